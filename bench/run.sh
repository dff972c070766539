#!/usr/bin/env bash
# Benchmark (not a test): infra's one-pass content scan against ripgrep running
# the same patterns on the same generated tree, in paired alternating runs.
#
#   bench/run.sh                 # 7 pairs, 20,000- and 100,000-file trees
#   PAIRS=3 AUDIT_FILES=20000 bench/run.sh
#   DETECT_SECRETS=1 bench/run.sh   # also one timed detect-secrets run (slow)
#   BENCH_AUDIT=0 bench/run.sh      # skip the `infra audit` pairs
#   BASE_INFRA=/path/to/older/infra bench/run.sh
#                                   # also this build's `infra audit` against an
#                                   # older build's, paired, and both builds'
#                                   # instruction counts (callgrind, CG_FILES tree)
#
# Trees and raw timings go to bench/out/ (git-ignored); the summary is printed
# as Markdown for docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

PAIRS=${PAIRS:-7}
DISCOVERY_FILES=${DISCOVERY_FILES:-20000}
AUDIT_FILES=${AUDIT_FILES:-100000}
DS_FILES=${DS_FILES:-2000}
CG_FILES=${CG_FILES:-2000}
OUT=bench/out
mkdir -p "$OUT"

echo "== building release binaries" >&2
cargo build --release --quiet --bin infra --example gen_tree --example scan_tree
INFRA=target/release/infra
SCAN=target/release/examples/scan_tree
GEN=target/release/examples/gen_tree

RG=.tools/cargo/bin/rg
if [ ! -x "$RG" ]; then
    echo "== installing ripgrep into .tools/cargo" >&2
    cargo install --quiet ripgrep --root .tools/cargo
fi

tree() { # tree NAME FILES
    local dir="$OUT/$1"
    if [ ! -f "$dir/BENCH_MANIFEST.txt" ]; then
        rm -rf "$dir"
        "$GEN" "$dir" --files "$2" >&2
    fi
    echo "$dir"
}

now_ns() { date +%s%N; }

# time_cmd FILE CMD... : append the wall time in seconds to FILE.
time_cmd() {
    local file=$1
    shift
    local t0 t1
    t0=$(now_ns)
    "$@" >"$OUT/last.out" 2>"$OUT/last.err" || true
    t1=$(now_ns)
    echo "$((t1 - t0))" >>"$file" # nanoseconds
}

# pairs NAME_A NAME_B -- CMD_A... -- CMD_B... : alternate A/B, PAIRS times,
# after one warm-up run of each (so both see a warm page cache).
pairs() {
    local a=$1 b=$2
    shift 2
    local -a ca=() cb=()
    shift # --
    while [ "$1" != "--" ]; do ca+=("$1"); shift; done
    shift
    cb=("$@")
    : >"$OUT/times-$a.txt"
    : >"$OUT/times-$b.txt"
    "${ca[@]}" >/dev/null 2>&1 || true
    "${cb[@]}" >/dev/null 2>&1 || true
    for i in $(seq 1 "$PAIRS"); do
        if [ $((i % 2)) -eq 1 ]; then
            time_cmd "$OUT/times-$a.txt" "${ca[@]}"
            time_cmd "$OUT/times-$b.txt" "${cb[@]}"
        else
            time_cmd "$OUT/times-$b.txt" "${cb[@]}"
            time_cmd "$OUT/times-$a.txt" "${ca[@]}"
        fi
    done
}

stats() { # stats NAME_A NAME_B : medians and the median of per-pair ratios A/B
    python3 - "$OUT/times-$1.txt" "$OUT/times-$2.txt" <<'PY'
import statistics, sys
a = [int(x) / 1e9 for x in open(sys.argv[1])]
b = [int(x) / 1e9 for x in open(sys.argv[2])]
r = [x / y for x, y in zip(a, b)]
print(f"{statistics.median(a):.3f} {statistics.median(b):.3f} {statistics.median(r):.2f} {min(r):.2f} {max(r):.2f}")
PY
}

available() { # available SUBCOMMAND DIR : does this build implement it?
    "$INFRA" "$1" "$2" --format json >/dev/null 2>"$OUT/probe.err" || true
    ! grep -q "not available in this build" "$OUT/probe.err"
}

"$SCAN" --rg-patterns >"$OUT/patterns.rg"
RG_ARGS=(--hidden --no-require-git --max-filesize 2M --no-messages -n -f "$OUT/patterns.rg")

echo "## Results ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM; ripgrep $("$RG" --version | head -1 | cut -d' ' -f2); $PAIRS pairs, alternating order, after one warm-up run each."
echo

# (a) discovery on the smaller tree
D=$(tree "t$DISCOVERY_FILES" "$DISCOVERY_FILES")
echo "### Discovery, $DISCOVERY_FILES-file tree ($(du -sh "$D" | cut -f1))"
echo
if available context "$D"; then
    pairs context rg20 -- "$INFRA" context "$D" --format json -- "$RG" "${RG_ARGS[@]}" "$D"
    read -r ma mb ratio lo hi < <(stats context rg20)
    echo "| command | median s |"
    echo "|---|---|"
    echo "| infra context --format json | $ma |"
    echo "| rg, scanner patterns | $mb |"
    echo
    echo "Ratio infra context / rg (median of pairs): **$ratio** (range $lo–$hi)"
else
    pairs disc20 rg20 -- "$SCAN" --discovery-only "$D" -- "$RG" "${RG_ARGS[@]}" "$D"
    read -r ma mb ratio lo hi < <(stats disc20 rg20)
    pairs scan20 rg20b -- "$SCAN" "$D" -- "$RG" "${RG_ARGS[@]}" "$D"
    read -r sa sb sratio slo shi < <(stats scan20 rg20b)
    echo "\`infra context\` is not wired in this build; measured discovery itself (\`context::discover\`, via \`scan_tree --discovery-only\`)."
    echo
    echo "| pair | infra side, median s | rg, median s | ratio (median of pairs) | range |"
    echo "|---|---|---|---|---|"
    echo "| discovery (\`scan_tree --discovery-only\`) vs rg | $ma | $mb | **$ratio** | $lo–$hi |"
    echo "| content scan (\`scan_tree\`) vs rg | $sa | $sb | **$sratio** | $slo–$shi |"
fi
echo

# (a2) `infra audit --staged` on the same tree as a git repository with three
# staged edits: it must stay well under a second whatever the tree's size,
# since it reads only the index and the staged files. Paired with the git
# floor it cannot beat (`git diff --cached` itself).
G="$OUT/staged$DISCOVERY_FILES"
if [ ! -d "$G/.git" ]; then
    rm -rf "$G" && cp -r "$D" "$G"
    git -C "$G" init -q
    git -C "$G" add -A
    git -C "$G" -c user.email=bench@example.invalid -c user.name=bench commit -q -m tree
fi
git -C "$G" reset -q --hard
mapfile -t staged_files < <(git -C "$G" ls-files | grep -E '\.(js|py|go)$' | head -3)
for f in "${staged_files[@]}"; do
    echo "const added = process.env.BENCH_ADDED_VAR;" >>"$G/$f"
done
git -C "$G" add -- "${staged_files[@]}"
pairs staged gitfloor -- "$INFRA" audit "$G" --staged --format json -- git -C "$G" diff --cached -U0
read -r ma mb ratio lo hi < <(stats staged gitfloor)
echo "### \`infra audit --staged\`, $(git -C "$G" ls-files | wc -l)-file git repository, ${#staged_files[@]} staged edits"
echo
echo "| command | median s |"
echo "|---|---|"
echo "| infra audit --staged --format json | $ma |"
echo "| git diff --cached -U0 (the floor) | $mb |"
echo
echo "Ratio (median of pairs): $ratio (range $lo–$hi)."
echo
git -C "$G" reset -q --hard

# (b) the content scan against ripgrep on the large tree
T=$(tree "t$AUDIT_FILES" "$AUDIT_FILES")
echo "### Content scan, $AUDIT_FILES-file tree ($(du -sh "$T" | cut -f1))"
echo
echo "| pair | infra side, median s | rg, median s | ratio (median of pairs) | range |"
echo "|---|---|---|---|---|"
# `infra audit` (discovery + scanner in one walk, then every rule and the
# report): on by default now that the scanner is wired in; BENCH_AUDIT=0 skips it.
if [ "${BENCH_AUDIT:-1}" = 1 ] && available audit "$T"; then
    pairs audit rg100a -- "$INFRA" audit "$T" --format json -- "$RG" "${RG_ARGS[@]}" "$T"
    read -r ma mb ratio lo hi < <(stats audit rg100a)
    echo "| \`infra audit --format json\` vs rg | $ma | $mb | **$ratio** | $lo–$hi |"
fi
pairs scan100 rg100 -- "$SCAN" "$T" -- "$RG" "${RG_ARGS[@]}" "$T"
read -r ma mb ratio lo hi < <(stats scan100 rg100)
echo "| content scan (\`scan_tree\`: walk + scanner) vs rg | $ma | $mb | **$ratio** | $lo–$hi |"
pairs walk100 rg100b -- "$SCAN" --discovery "$T" -- "$RG" "${RG_ARGS[@]}" "$T"
read -r ma mb ratio lo hi < <(stats walk100 rg100b)
echo "| whole audit walk (\`scan_tree --discovery\`: discovery + scanner, one read per file) vs rg | $ma | $mb | **$ratio** | $lo–$hi |"
"$SCAN" "$T" >"$OUT/scan-summary.txt"
echo
echo "rg: \`rg -f patterns.rg\` with the scanner's $(wc -l <"$OUT/patterns.rg") patterns. Scanner found: $(tr '\n' ' ' <"$OUT/scan-summary.txt")"
echo

# (c) this build against an older one: wall time in pairs on the large tree,
# and instruction counts under callgrind (repeatable on a noisy machine).
if [ -n "${BASE_INFRA:-}" ]; then
    echo "### This build against $BASE_INFRA"
    echo
    pairs auditnew auditbase -- "$INFRA" audit "$T" --format json -- "$BASE_INFRA" audit "$T" --format json
    read -r ma mb ratio lo hi < <(stats auditnew auditbase)
    echo "| pair | this build, median s | older build, median s | ratio (median of pairs) | range |"
    echo "|---|---|---|---|---|"
    echo "| \`infra audit --format json\`, $AUDIT_FILES-file tree | $ma | $mb | **$ratio** | $lo–$hi |"
    echo
    if command -v valgrind >/dev/null; then
        C=$(tree "t$CG_FILES" "$CG_FILES")
        count() { # count BINARY OUTFILE : instructions of one `infra audit` under callgrind
            valgrind --tool=callgrind --callgrind-out-file="$2" "$1" audit "$C" --format json \
                >"$OUT/last.out" 2>"$OUT/callgrind.err" || true
            awk '/^(summary|totals):/ {print $2; exit}' "$2"
        }
        new=$(count "$INFRA" "$OUT/cg-new.out")
        old=$(count "$BASE_INFRA" "$OUT/cg-base.out")
        echo "Instructions of one \`infra audit --format json\` on the $CG_FILES-file tree (callgrind): this build $new, older build $old, ratio $(python3 -c "print(f'{$new / $old:.3f}')")."
        echo
    fi
fi

if [ "${DETECT_SECRETS:-0}" = 1 ]; then
    if [ ! -x .tools/venv/bin/detect-secrets ]; then
        python3 -m venv .tools/venv && .tools/venv/bin/pip install --quiet detect-secrets || true
    fi
    if [ -x .tools/venv/bin/detect-secrets ]; then
        # detect-secrets is far slower: one run on a small tree, with a cap.
        S=$(tree "t$DS_FILES" "$DS_FILES")
        : >"$OUT/times-ds.txt"
        time_cmd "$OUT/times-ds.txt" timeout 900 .tools/venv/bin/detect-secrets scan --all-files "$S"
        : >"$OUT/times-scan1.txt"
        time_cmd "$OUT/times-scan1.txt" "$SCAN" "$S"
        ds=$(cat "$OUT/times-ds.txt")
        sc=$(cat "$OUT/times-scan1.txt")
        echo "### detect-secrets $(.tools/venv/bin/detect-secrets --version), $DS_FILES-file tree, one run each"
        echo
        echo "detect-secrets scan --all-files: $((ds / 1000000)) ms (capped at 900 s); scan_tree: $((sc / 1000000)) ms; ratio $((ds / (sc > 0 ? sc : 1)))×."
    else
        echo "detect-secrets could not be installed."
    fi
fi
