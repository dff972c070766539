#!/usr/bin/env bash
# Run the GitHub Action's logic (scripts/action/run.sh) outside GitHub, on
# fixture git repositories made here in a temp folder (a small Node service
# with a README and .env.example), and check what it leaves behind: the
# SARIF file, the job summary, $GITHUB_OUTPUT, annotations and the exit code.
#
#   a  pull_request event: the change's findings only, SARIF with
#      change-env-undeclared, Markdown in the summary, outputs, fail-on
#   b  no event: a whole-repository audit
#   c  no binary and no local build: the placeholder checksum refuses the
#      download before anything is fetched or run
#   d  a file:// release archive: a wrong sha256 is refused, the right one runs
#   e  a shallow clone without the base: fetched from origin; without an
#      origin that has it, a clear error
#   f  bad input: fail-on, a malformed event payload
#
# The binary: $INFRA_BINARY, else target/release/infra, else
# target/debug/infra (what `cargo test` leaves; .ci/run passes it), else
# `cargo build --release --locked --bin infra`. Prints PASS/FAIL per check;
# exits 1 if any check fails.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run_sh="$root/scripts/action/run.sh"

if [ -n "${INFRA_BINARY:-}" ]; then
    infra="$INFRA_BINARY"
elif [ -x "$root/target/release/infra" ]; then
    infra="$root/target/release/infra"
elif [ -x "$root/target/debug/infra" ]; then
    infra="$root/target/debug/infra"
else
    (cd "$root" && cargo build --release --locked --bin infra)
    infra="$root/target/release/infra"
fi
case "$infra" in /*) ;; *) infra="$(pwd)/$infra" ;; esac
[ -x "$infra" ] || {
    echo "test-action: $infra is not an executable" >&2
    exit 2
}
python="$(command -v python3 || command -v python)"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "test-action: $("$infra" --version) from $infra, fixtures in $tmp"

failures=0
passes=0
pass() {
    echo "PASS $1"
    passes=$((passes + 1))
}
failed() {
    echo "FAIL $1"
    shift
    [ $# -eq 0 ] || printf '    %s\n' "$@"
    failures=$((failures + 1))
}

# --- fixtures -------------------------------------------------------------------

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=fixture GIT_AUTHOR_EMAIL=fixture@example.com
export GIT_COMMITTER_NAME=fixture GIT_COMMITTER_EMAIL=fixture@example.com
export GIT_AUTHOR_DATE="2026-01-05T10:00:00Z" GIT_COMMITTER_DATE="2026-01-05T10:00:00Z"

# A Node service at DIR/SUB (SUB may be .): the base commit, then a head
# commit that reads process.env.NEW_VAR. Prints the base commit.
make_repo() {
    local dir="$1" sub="${2:-.}"
    mkdir -p "$dir/$sub"
    git -C "$dir" init -q -b main
    cat >"$dir/$sub/package.json" <<'JSON'
{
  "name": "orders-api",
  "version": "1.0.0",
  "private": true,
  "main": "server.js",
  "scripts": { "start": "node server.js", "test": "node --test" }
}
JSON
    cat >"$dir/$sub/server.js" <<'JS'
const http = require("http");
const port = process.env.PORT || 3000;
http.createServer((req, res) => { res.end("ok"); }).listen(port);
JS
    printf 'PORT=3000\n' >"$dir/$sub/.env.example"
    cat >"$dir/$sub/README.md" <<'MD'
# orders-api

A small HTTP service that answers ok.

## Run

`npm start`, then open http://localhost:3000.
MD
    git -C "$dir" add -A
    git -C "$dir" commit -qm "orders-api"
    git -C "$dir" rev-parse HEAD
    cat >>"$dir/$sub/server.js" <<'JS'
const newVar = process.env.NEW_VAR;
console.log("NEW_VAR set:", Boolean(newVar));
JS
    GIT_COMMITTER_DATE="2026-01-06T10:00:00Z" GIT_AUTHOR_DATE="2026-01-06T10:00:00Z" \
        git -C "$dir" commit -qam "read NEW_VAR"
}

pr_event() { # FILE BASE_SHA
    printf '{"action":"synchronize","number":7,"pull_request":{"number":7,"base":{"ref":"main","sha":"%s"},"head":{"ref":"feature"}}}\n' "$2" >"$1"
}

# run_action NAME WORKDIR [VAR=VALUE ...]: run.sh in WORKDIR (the
# workspace) with a clean environment (nothing from a real GitHub job leaks
# in), its own RUNNER_TEMP, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY. Leaves
# $out/{stdout,stderr,output,summary,rc} and sets $out and $rc.
run_action() {
    local name="$1" workdir="$2"
    shift 2
    out="$tmp/runs/$name"
    mkdir -p "$out/runner-temp"
    : >"$out/output"
    : >"$out/summary"
    rc=0
    (cd "$workdir" && env -i \
        PATH="${TEST_PATH:-$PATH}" HOME="$tmp/home" LANG=C.UTF-8 CI=true \
        GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null \
        RUNNER_TEMP="$out/runner-temp" GITHUB_OUTPUT="$out/output" \
        GITHUB_STEP_SUMMARY="$out/summary" SOURCE_DATE_EPOCH=1796256000 \
        "$@" bash "${RUN_SH:-$run_sh}" >"$out/stdout" 2>"$out/stderr") || rc=$?
    echo "$rc" >"$out/rc"
}
# The last value of KEY in $out/output; no line at all is "<unset>".
output_of() {
    local line value="<unset>"
    while IFS= read -r line; do
        case "$line" in "$1="*) value="${line#"$1="}" ;; esac
    done <"$out/output"
    printf '%s' "$value"
}
log_tail() { tail -n 5 "$out/stderr" | sed 's/^/stderr: /'; }
# sarif_rules FILE: the ruleId and first location of each result, one a line.
sarif_rules() {
    "$python" - "$1" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    sarif = json.load(f)
assert sarif.get("version") == "2.1.0", "not SARIF 2.1.0"
for run in sarif["runs"]:
    for r in run.get("results", []):
        loc = r.get("locations", [{}])[0].get("physicalLocation", {}).get("artifactLocation", {}).get("uri", "")
        print(r["ruleId"], loc)
PY
}

mkdir -p "$tmp/home"

# --- a: pull_request event ------------------------------------------------------

repo_a="$tmp/a/repo"
base_a="$(make_repo "$repo_a")"
pr_event "$tmp/a/event.json" "$base_a"
pr_env=(GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$tmp/a/event.json" INFRA_BINARY="$infra")

run_action a-error "$repo_a" "${pr_env[@]}" INFRA_FAIL_ON=error
sarif="$out/runner-temp/infra-audit.sarif"
if [ "$rc" = 13 ] && [ "$(output_of exit-code)" = 13 ]; then
    pass "a1 pull_request, fail-on error: the step fails with infra's exit 13 (an error finding)"
else
    failed "a1 pull_request, fail-on error: the step fails with exit 13" "exit $rc, exit-code output $(output_of exit-code)" "$(log_tail)"
fi
if rules="$(sarif_rules "$sarif" 2>&1)" && grep -qx 'change-env-undeclared server.js' <<<"$rules"; then
    pass "a2 SARIF written to RUNNER_TEMP, valid JSON, a change-env-undeclared result at server.js"
else
    failed "a2 SARIF with a change-env-undeclared result at server.js" "${rules:-no SARIF at $sarif}"
fi
if grep -q '^## infra audit' "$out/summary" && grep -q 'change-env-undeclared' "$out/summary" \
    && grep -q "change against --base ${base_a:0:12}" "$out/summary"; then
    pass "a3 the job summary got the Markdown report (heading, the finding, the base)"
else
    failed "a3 the job summary got the Markdown report" "summary: $(head -c 300 "$out/summary")"
fi
findings="$(output_of findings)"
if [ "$(output_of base)" = "$base_a" ] && [ "$(output_of sarif-file)" = "$sarif" ] \
    && [ "$(output_of report-file)" = "$out/runner-temp/infra-audit.md" ] && [ -f "$out/runner-temp/infra-audit.md" ] \
    && [[ "$findings" =~ ^[1-9][0-9]*$ ]]; then
    pass "a4 GITHUB_OUTPUT: base=$base_a, exit-code, sarif-file, report-file, findings=$findings"
else
    failed "a4 GITHUB_OUTPUT has base, exit-code, sarif-file, report-file, findings" "$(cat "$out/output")"
fi
if grep -q '^::error file=server.js,line=4,.*title=change-env-undeclared' "$out/stdout"; then
    pass "a5 annotations: ::error file=server.js,line=4 for change-env-undeclared on the log"
else
    failed "a5 an ::error annotation for change-env-undeclared at server.js:4" "$(head -n 3 "$out/stdout")"
fi
# Only the change's findings: the base's own (no docs/infra, no CI) are left out.
if ! grep -q 'ci-missing' <<<"$rules" && grep -q 'ci-missing' < <("$infra" audit "$repo_a" --format json --no-input 2>/dev/null || true); then
    pass "a6 diff mode: findings the base already had (ci-missing) are not in the SARIF"
else
    failed "a6 diff mode leaves out the base's findings (ci-missing)" "$rules"
fi

run_action a-never "$repo_a" "${pr_env[@]}" INFRA_FAIL_ON=never
if [ "$rc" = 0 ] && [ "$(output_of exit-code)" = 13 ] && [ -s "$out/runner-temp/infra-audit.sarif" ] \
    && grep -q 'not failing the step (fail-on: never)' "$out/stderr"; then
    pass "a7 fail-on never: the step passes, exit-code output still 13, SARIF written"
else
    failed "a7 fail-on never passes the step" "exit $rc, exit-code output $(output_of exit-code)" "$(log_tail)"
fi

run_action a-default "$repo_a" "${pr_env[@]}" INFRA_SARIF_FILE="reports/infra.sarif"
if [ "$rc" = 13 ] && [ -s "$repo_a/reports/infra.sarif" ] && [ "$(output_of sarif-file)" = "reports/infra.sarif" ] \
    && grep -qx 'change-env-undeclared server.js' < <(sarif_rules "$repo_a/reports/infra.sarif" 2>&1); then
    pass "a8 fail-on empty (infra.toml, else error) fails on the error; sarif-file inside the repository is written last"
else
    failed "a8 fail-on empty and sarif-file inside the repository" "exit $rc, $(cat "$out/output")" "$(log_tail)"
fi
rm -rf "$repo_a/reports"

# A service in a sub-folder: SARIF and annotations name paths from the repository root.
repo_m="$tmp/m/repo"
base_m="$(make_repo "$repo_m" services/orders)"
pr_event "$tmp/m/event.json" "$base_m"
run_action a-subfolder "$repo_m" GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$tmp/m/event.json" \
    INFRA_BINARY="$infra" INFRA_PATH=services/orders
if grep -qx 'change-env-undeclared services/orders/server.js' < <(sarif_rules "$out/runner-temp/infra-audit.sarif" 2>&1) \
    && grep -q '^::error file=services/orders/server.js,' "$out/stdout"; then
    pass "a9 path: services/orders: SARIF and annotations say services/orders/server.js"
else
    failed "a9 path in a sub-folder: locations from the repository root" "$(sarif_rules "$out/runner-temp/infra-audit.sarif" 2>&1 | head -n 3)" "$(grep '^::' "$out/stdout" | head -n 2)"
fi

# --- b: no event: the whole repository --------------------------------------------

run_action b-whole "$repo_a" INFRA_BINARY="$infra" INFRA_FAIL_ON=never
rules="$(sarif_rules "$out/runner-temp/infra-audit.sarif" 2>&1 || true)"
if [ "$rc" = 0 ] && [ "$(output_of base)" = "" ] && grep -q '^ci-missing ' <<<"$rules" \
    && ! grep -q '^change-' <<<"$rules" && grep -q 'auditing the whole repository' "$out/stderr" \
    && grep -q '^## infra audit' "$out/summary" && ! grep -q 'change against' "$out/summary"; then
    pass "b1 no event: whole-repository audit (base empty, ci-missing reported, no change rules, summary without a base)"
else
    failed "b1 no event: a whole-repository audit" "exit $rc, base '$(output_of base)'" "$(head -n 5 <<<"$rules")" "$(log_tail)"
fi

run_action b-none "$repo_a" "${pr_env[@]}" INFRA_BASE=none INFRA_FAIL_ON=never
if [ "$(output_of base)" = "" ] && grep -q '^ci-missing ' < <(sarif_rules "$out/runner-temp/infra-audit.sarif" 2>&1); then
    pass "b2 base: none in a pull request audits the whole repository"
else
    failed "b2 base: none audits the whole repository" "base '$(output_of base)'" "$(log_tail)"
fi

# --- c: the download path refuses the placeholder ---------------------------------

# The action's files alone (no Cargo.toml, no target/): what a runner gets
# for `uses: OWNER/infra@SHA`, under _actions/OWNER/NAME/REF.
action_copy="$tmp/_actions/acme/infra/0123456789abcdef0123456789abcdef01234567"
mkdir -p "$action_copy/scripts/action"
cp "$run_sh" "$action_copy/scripts/action/run.sh"
# A curl that records being called: nothing may be downloaded.
mkdir -p "$tmp/shim"
printf '#!/bin/sh\necho "curl $*" >>"%s/curl-calls"\nexit 99\n' "$tmp" >"$tmp/shim/curl"
chmod +x "$tmp/shim/curl"
TEST_PATH="$tmp/shim:$PATH" RUN_SH="$action_copy/scripts/action/run.sh" \
    run_action c-placeholder "$repo_a" "${pr_env[@]:0:2}" GITHUB_ACTION_PATH="$action_copy"
if [ "$rc" != 0 ] && grep -q 'could not be verified' "$out/stderr" && grep -q 'placeholder' "$out/stderr" \
    && grep -q '^::error title=infra audit::refusing to download' "$out/stdout" \
    && [ ! -e "$tmp/curl-calls" ] && [ "$(output_of exit-code)" = "<unset>" ] \
    && [ -z "$(ls -A "$out/runner-temp")" ]; then
    pass "c1 no binary, no local build: refused (placeholder checksum, 'could not be verified'), nothing downloaded or run"
else
    failed "c1 the placeholder checksum refuses the download" "exit $rc; curl calls: $(cat "$tmp/curl-calls" 2>/dev/null || echo none)" "$(log_tail)"
fi

# --- d: a file:// release archive --------------------------------------------------

case "$(uname -s)/$(uname -m)" in
    Linux/x86_64) target=x86_64-unknown-linux-musl ;;
    Linux/aarch64 | Linux/arm64) target=aarch64-unknown-linux-musl ;;
    Darwin/x86_64) target=x86_64-apple-darwin ;;
    Darwin/arm64) target=aarch64-apple-darwin ;;
    *) target="" ;;
esac
if [ -z "$target" ]; then
    failed "d no release target for $(uname -s)/$(uname -m) on this machine"
else
    version=0.1.0
    rel="$tmp/releases/v$version"
    mkdir -p "$rel" "$tmp/pack/infra-v$version-$target"
    cp "$infra" "$tmp/pack/infra-v$version-$target/infra"
    tar -czf "$rel/infra-v$version-$target.tar.gz" -C "$tmp/pack" "infra-v$version-$target"
    right="$("$python" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$rel/infra-v$version-$target.tar.gz")"
    wrong="$(printf 'not the archive' | "$python" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
    dl_env=(GITHUB_ACTION_PATH="$action_copy" INFRA_DOWNLOAD_BASE="file://$tmp/releases" INFRA_VERSION="v$version")

    RUN_SH="$action_copy/scripts/action/run.sh" run_action d-wrong "$repo_a" "${pr_env[@]:0:2}" "${dl_env[@]}" INFRA_SHA256="$wrong"
    if [ "$rc" != 0 ] && grep -q "has SHA-256 $right, expected $wrong" "$out/stderr" \
        && [ ! -e "$out/runner-temp/infra-$version-$target" ] && [ "$(output_of exit-code)" = "<unset>" ] \
        && [ ! -e "$out/runner-temp/infra-audit.sarif" ]; then
        pass "d1 file:// download with a wrong sha256: refused, not unpacked, nothing run"
    else
        failed "d1 a wrong sha256 is refused" "exit $rc" "$(log_tail)"
    fi

    RUN_SH="$action_copy/scripts/action/run.sh" run_action d-right "$repo_a" "${pr_env[@]:0:2}" "${dl_env[@]}" INFRA_SHA256="$right"
    if [ "$rc" = 13 ] && [ "$(output_of infra)" = "$out/runner-temp/infra-$version-$target/infra-v$version-$target/infra" ] \
        && grep -qx 'change-env-undeclared server.js' < <(sarif_rules "$out/runner-temp/infra-audit.sarif" 2>&1); then
        pass "d2 file:// download with the right sha256 of infra-v$version-$target.tar.gz: unpacked and run"
    else
        failed "d2 the right sha256 runs the downloaded binary" "exit $rc, infra output $(output_of infra)" "$(log_tail)"
    fi

    # The release repository comes from the action's path when not given.
    RUN_SH="$action_copy/scripts/action/run.sh" TEST_PATH="$tmp/shim:$PATH" run_action d-repo "$repo_a" \
        GITHUB_ACTION_PATH="$action_copy" INFRA_SHA256="$right" INFRA_VERSION="$version"
    if grep -q "curl .*https://github.com/acme/infra/releases/download/v$version/infra-v$version-$target.tar.gz" "$tmp/curl-calls" 2>/dev/null \
        && grep -q 'could not download' "$out/stderr"; then
        pass "d3 without release-repository the URL is https://github.com/acme/infra/releases/download/v$version/… (from the action's path)"
    else
        failed "d3 the release URL from GITHUB_ACTION_PATH" "curl calls: $(cat "$tmp/curl-calls" 2>/dev/null || echo none)" "$(log_tail)"
    fi
    rm -f "$tmp/curl-calls"
    # `uses: $/.` puts the action at _actions/OWNER/NAME/REF/. on the runner.
    RUN_SH="$action_copy/scripts/action/run.sh" TEST_PATH="$tmp/shim:$PATH" run_action d-self "$repo_a" \
        GITHUB_ACTION_PATH="$action_copy/." INFRA_SHA256="$right" INFRA_VERSION="$version"
    if grep -q "curl .*https://github.com/acme/infra/releases/download/v$version/" "$tmp/curl-calls" 2>/dev/null; then
        pass "d4 the same from an action path ending in /. (uses: \$/.)"
    else
        failed "d4 the release URL from GITHUB_ACTION_PATH .../REF/." "curl calls: $(cat "$tmp/curl-calls" 2>/dev/null || echo none)" "$(log_tail)"
    fi
    rm -f "$tmp/curl-calls"
fi

# --- e: a shallow clone without the base ---------------------------------------------

git clone -q --bare "$repo_a" "$tmp/e/origin.git"
git clone -q --depth 1 "file://$tmp/e/origin.git" "$tmp/e/shallow"
if git -C "$tmp/e/shallow" cat-file -e "$base_a^{commit}" 2>/dev/null; then
    failed "e0 the shallow fixture clone already has the base commit (fixture broken)"
else
    run_action e-fetch "$tmp/e/shallow" "${pr_env[@]}"
    if [ "$rc" = 13 ] && grep -q 'fetching history from origin' "$out/stdout" \
        && [ "$(git -C "$tmp/e/shallow" rev-parse --is-shallow-repository)" = false ] \
        && grep -qx 'change-env-undeclared server.js' < <(sarif_rules "$out/runner-temp/infra-audit.sarif" 2>&1); then
        pass "e1 shallow clone without the base: fetched from origin (unshallowed), then audited against it"
    else
        failed "e1 a shallow clone fetches the base from origin" "exit $rc" "$(log_tail)"
    fi
fi
git clone -q --depth 1 "file://$tmp/e/origin.git" "$tmp/e/no-origin"
git -C "$tmp/e/no-origin" remote remove origin
run_action e-no-origin "$tmp/e/no-origin" "${pr_env[@]}"
if [ "$rc" = 2 ] && grep -q "commit $base_a is not in the clone" "$out/stderr" && grep -q 'fetch-depth: 0' "$out/stderr" \
    && [ "$(output_of exit-code)" = "<unset>" ]; then
    pass "e2 shallow clone, base unreachable: exit 2 naming fetch-depth: 0, infra not run"
else
    failed "e2 a base that cannot be fetched is a clear error" "exit $rc" "$(log_tail)"
fi

# --- f: bad input ----------------------------------------------------------------------

run_action f-fail-on "$repo_a" INFRA_BINARY="$infra" INFRA_FAIL_ON=errors
if [ "$rc" = 2 ] && grep -q "fail-on is 'errors'" "$out/stderr"; then
    pass "f1 fail-on: errors is exit 2 with the accepted values"
else
    failed "f1 a bad fail-on is exit 2" "exit $rc" "$(log_tail)"
fi
printf '{"pull_request": ' >"$tmp/bad-event.json"
run_action f-event "$repo_a" INFRA_BINARY="$infra" GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$tmp/bad-event.json"
if [ "$rc" = 2 ] && grep -q 'cannot read the event payload' "$out/stderr" && [ "$(output_of exit-code)" = "<unset>" ]; then
    pass "f2 a malformed event payload is exit 2, not a silent whole-repository audit"
else
    failed "f2 a malformed event payload is exit 2" "exit $rc" "$(log_tail)"
fi

echo "test-action: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
