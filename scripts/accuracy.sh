#!/usr/bin/env bash
# Real-world accuracy harness (docs/accuracy.md): audits exported snapshots
# of the public repositories in scripts/accuracy/repos.tsv and compares every
# finding with the hand-labelled verdicts beside this script.
#
#   scripts/accuracy.sh export MIRRORS CORPUS   write each fetched snapshot's
#       tree to CORPUS/<owner>+<name>/ (MIRRORS holds the bare git directories
#       that the search library's `fetch` brings: MIRRORS/<owner>+<name>/repo);
#       refuses a snapshot whose HEAD is not the pinned commit.
#   scripts/accuracy.sh run CORPUS [--infra BIN] [--out DIR] [--check]
#       audit each tree, then print per-rule precision, secret recall, the
#       findings no label covers and the labelled true positives that are
#       no longer reported. --check exits 1 when a line-level rule is under
#       90 % precision, a finding is unlabelled, a labelled true positive or
#       a real secret is lost, or a pinned repository is missing.
#
# Nothing from the repositories is committed: the labels hold rule, path,
# line, fingerprint, verdict and a reason, never a snippet or a value.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
data="$here/accuracy"

usage() {
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

repos() { grep -v '^#' "$data/repos.tsv" | cut -f1,2; }

cmd="${1:-}"
[ -n "$cmd" ] || usage
shift

case "$cmd" in
export)
    [ $# -eq 2 ] || usage
    mirrors="$1" corpus="$2"
    exporter="$root/../shared/tools/export-snapshot.py"
    [ -f "$exporter" ] || { echo "error: $exporter not found (the steering repo's export tool)" >&2; exit 2; }
    mkdir -p "$corpus"
    status=0
    while IFS=$'\t' read -r repo commit; do
        slug="${repo/\//+}"
        git_dir="$mirrors/$slug/repo"
        if [ ! -d "$git_dir" ]; then
            echo "missing: $repo (fetch github:$repo, expected at $git_dir)" >&2
            status=1
            continue
        fi
        head="$(git --git-dir "$git_dir" rev-parse HEAD)"
        if [ "$head" != "$commit" ]; then
            echo "error: $repo snapshot is at $head, pinned $commit; update repos.tsv and relabel, or fetch the pinned commit" >&2
            status=1
            continue
        fi
        if [ -f "$corpus/$slug.commit" ] && [ "$(cat "$corpus/$slug.commit")" = "$commit" ]; then
            continue
        fi
        rm -rf "${corpus:?}/$slug"
        python3 "$exporter" "$git_dir" "$corpus/$slug" >/dev/null
        echo "$commit" >"$corpus/$slug.commit"
        echo "exported $repo@${commit:0:7}"
    done < <(repos)
    exit "$status"
    ;;
run)
    [ $# -ge 1 ] || usage
    corpus="$1"
    shift
    infra="$root/target/release/infra" out="" check=""
    while [ $# -gt 0 ]; do
        case "$1" in
        --infra) infra="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --check) check="--check"; shift ;;
        *) usage ;;
        esac
    done
    if [ ! -x "$infra" ]; then
        (cd "$root" && cargo build --release --locked --quiet)
    fi
    out="${out:-$(mktemp -d)}"
    mkdir -p "$out"
    missing=()
    while IFS=$'\t' read -r repo commit; do
        slug="${repo/\//+}"
        tree="$corpus/$slug"
        if [ ! -d "$tree" ]; then
            missing+=("$repo")
            continue
        fi
        if [ -f "$corpus/$slug.commit" ] && [ "$(cat "$corpus/$slug.commit")" != "$commit" ]; then
            echo "error: $tree was exported at $(cat "$corpus/$slug.commit"), pinned $commit" >&2
            exit 2
        fi
        # 0 and 11-13 (findings at note, warning, error) are all a finished
        # audit; anything else is a failure of the run itself.
        # The labels were made on 2026-12-03: eol-runtime compares base
        # images with that day, not the clock (SOURCE_DATE_EPOCH wins when set).
        rc=0
        SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1796256000}" \
            "$infra" audit "$tree" --format json --no-ignores >"$out/$slug.json" 2>"$out/$slug.err" || rc=$?
        if [ "$rc" -ne 0 ] && { [ "$rc" -lt 11 ] || [ "$rc" -gt 13 ]; }; then
            echo "error: infra audit $tree exited $rc (see $out/$slug.err)" >&2
            exit 2
        fi
    done < <(repos)
    if [ ${#missing[@]} -gt 0 ]; then
        # shellcheck disable=SC2016 # the backticks are literal text
        printf 'missing from %s (run `%s export`): %s\n' "$corpus" "$0" "${missing[*]}" >&2
    fi
    python3 "$data/compare.py" --data "$data" --results "$out" ${check:+"$check"} \
        --missing "${#missing[@]}"
    ;;
*)
    usage
    ;;
esac
