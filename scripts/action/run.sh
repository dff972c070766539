#!/usr/bin/env bash
# The logic of action.yml (the `infra audit` GitHub Action), kept here so
# scripts/test-action.sh can run it outside GitHub on a fixture repository.
#
# 1. Find infra: INFRA_BINARY (a path, or a command on PATH), else a build of
#    this action's own checkout (target/release/infra beside Cargo.toml two
#    folders up), else download the pinned release for the runner and verify
#    its SHA-256 against the table below (or INFRA_SHA256). An archive that
#    cannot be verified is never unpacked or run.
# 2. Pick --base: INFRA_BASE, else the pull request's base commit (or the
#    merge group's, or a push's `before`) from GITHUB_EVENT_PATH; otherwise
#    the whole repository is audited. Fetch the base if the clone lacks it
#    (needs credentials for a private repository: prefer fetch-depth: 0).
# 3. Run the audit: SARIF to a file (for github/codeql-action/upload-sarif),
#    Markdown to the job summary, annotations (or text) to the log. One run
#    writes one format, so infra runs once per format, all with the same
#    SOURCE_DATE_EPOCH so the runs agree; the SARIF run's exit code counts.
# 4. Exit by INFRA_FAIL_ON: error|warning|note fail the step on findings at
#    or above that level (infra's exit 13, 12 or 11 for a worst finding that
#    is an error, warning or note); empty leaves the threshold to infra.toml's
#    [audit] fail_on (else error); never passes on findings but still fails
#    when infra itself fails (exit 1, 2, 3, 4).
#
# Inputs (environment; action.yml maps its inputs onto these):
#   INFRA_PATH                 repository folder to audit (default .)
#   INFRA_BASE                 git ref or commit; empty: from the event; `none`: whole repository
#   INFRA_FAIL_ON              error, warning, note, never; empty (default): infra.toml's [audit] fail_on, else error
#   INFRA_FORMAT               what the log gets: github (annotations, default), text or none
#   INFRA_SARIF_FILE           where the SARIF goes (default $RUNNER_TEMP/infra-audit.sarif); written after every run
#   INFRA_SUMMARY              true (default): append the Markdown report to $GITHUB_STEP_SUMMARY
#   INFRA_BINARY               an infra binary (path, or command on PATH) to use instead of a download
#   INFRA_VERSION              release to download (default: the pinned one below)
#   INFRA_SHA256               SHA-256 of that release's archive, for a version the table lacks
#   INFRA_RELEASE_REPOSITORY   owner/name the releases are published from (default: the
#                              action's own, from GITHUB_ACTION_PATH .../_actions/OWNER/NAME/REF)
#   INFRA_DOWNLOAD_BASE        releases URL prefix (default https://github.com/<repository>/releases/download)
# Outputs (to $GITHUB_OUTPUT): sarif-file, report-file, exit-code, findings, base, infra.
set -euo pipefail
# Functions below run in command substitutions; let them stop on errors too
# (bash 4.4+; every step still checks their status explicitly).
shopt -s inherit_errexit 2>/dev/null || true
# Workflow commands go to the step's standard output, also from functions
# whose standard output is captured.
exec 3>&1

# The release this version of the action installs, and the SHA-256 of each
# archive. No release has been published yet: every row is a placeholder, and
# a placeholder never verifies. After a release, replace the rows with the
# ones the release workflow writes to its job summary (from SHA256SUMS).
PINNED_VERSION="0.1.0"
CHECKSUMS="
0.1.0 x86_64-unknown-linux-musl  placeholder-no-release-published-yet
0.1.0 aarch64-unknown-linux-musl placeholder-no-release-published-yet
0.1.0 x86_64-apple-darwin        placeholder-no-release-published-yet
0.1.0 aarch64-apple-darwin       placeholder-no-release-published-yet
0.1.0 x86_64-pc-windows-msvc     placeholder-no-release-published-yet
"

log() { printf '%s\n' "$*" >&2; }
# A workflow command's message must be one line with % escaped.
gh_escape() {
    local s="$1"
    s="${s//'%'/'%25'}"
    s="${s//$'\r'/'%0D'}"
    s="${s//$'\n'/'%0A'}"
    printf '%s' "$s"
}
fail() {
    local code="$1"
    shift
    printf '::error title=infra audit::%s\n' "$(gh_escape "$*")" >&3
    log "infra audit: $*"
    exit "$code"
}
notice() {
    printf '::notice title=infra audit::%s\n' "$(gh_escape "$*")" >&3
    log "infra audit: $*"
}
set_output() {
    case "$2" in *$'\n'* | *$'\r'*) fail 1 "output $1 would span lines: $2" ;; esac
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
        printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
    fi
}

python="$(command -v python3 || command -v python || true)"
[ -n "$python" ] || fail 1 "python3 is needed to read the event payload and the SARIF file; install it on the runner"

action_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
path="${INFRA_PATH:-.}"
base_input="${INFRA_BASE:-}"
fail_on="${INFRA_FAIL_ON:-}"
format="${INFRA_FORMAT:-github}"
summary="${INFRA_SUMMARY:-true}"
version="${INFRA_VERSION:-$PINNED_VERSION}"
version="${version#v}"
tmp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
sarif="${INFRA_SARIF_FILE:-$tmp/infra-audit.sarif}"
report="$tmp/infra-audit.md"
binary_input="${INFRA_BINARY:-}"
sha256_input="${INFRA_SHA256:-}"
release_repository="${INFRA_RELEASE_REPOSITORY:-}"
download_base="${INFRA_DOWNLOAD_BASE:-}"
# infra reads INFRA_<KEY> as infra.toml answers (docs/answers.md); the
# action's own variables are not for it.
unset INFRA_PATH INFRA_BASE INFRA_FAIL_ON INFRA_FORMAT INFRA_SUMMARY INFRA_VERSION \
    INFRA_SARIF_FILE INFRA_BINARY INFRA_SHA256 INFRA_RELEASE_REPOSITORY INFRA_DOWNLOAD_BASE

fail_on_args=()
case "$fail_on" in
    error | warning | note) fail_on_args=(--fail-on "$fail_on") ;;
    never | "") ;;
    *) fail 2 "fail-on is '$fail_on'; give error, warning, note or never (or leave it empty for infra.toml's [audit] fail_on)" ;;
esac
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || fail 2 "version is '$version'; give a release version such as $PINNED_VERSION"
case "$format" in
    github | text | none) ;;
    *) fail 2 "format is '$format'; give github, text or none" ;;
esac
case "$summary" in
    true | false) ;;
    *) fail 2 "summary is '$summary'; give true or false" ;;
esac
[ -d "$path" ] || fail 2 "path '$path' is not a folder in $(pwd)"
mkdir -p "$tmp"
work="$(mktemp -d "$tmp/infra-audit.XXXXXX")"
trap 'rm -rf "$work"' EXIT

sha256_of() {
    if command -v sha256sum >/dev/null; then
        sha256sum "$1" | cut -d' ' -f1
    else
        shasum -a 256 "$1" | cut -d' ' -f1
    fi
}

# The release target of this runner, from RUNNER_OS/RUNNER_ARCH (uname outside GitHub).
runner_target() {
    local os="${RUNNER_OS:-}" arch="${RUNNER_ARCH:-}"
    if [ -z "$os" ]; then
        case "$(uname -s)" in
            Linux) os=Linux ;; Darwin) os=macOS ;; MINGW* | MSYS* | CYGWIN*) os=Windows ;; *) os="$(uname -s)" ;;
        esac
    fi
    if [ -z "$arch" ]; then
        case "$(uname -m)" in
            x86_64 | amd64) arch=X64 ;; aarch64 | arm64) arch=ARM64 ;; *) arch="$(uname -m)" ;;
        esac
    fi
    case "$os/$arch" in
        Linux/X64) echo x86_64-unknown-linux-musl ;;
        Linux/ARM64) echo aarch64-unknown-linux-musl ;;
        macOS/X64) echo x86_64-apple-darwin ;;
        macOS/ARM64) echo aarch64-apple-darwin ;;
        Windows/X64) echo x86_64-pc-windows-msvc ;;
        *) fail 1 "no infra release is built for $os/$arch; build infra (cargo build --release) and give its path as infra-binary" ;;
    esac
}

# Download the release archive, verify it, unpack it; prints the binary's path.
download_release() {
    local target asset expected url dir archive actual exe
    target="$(runner_target)" || exit $?
    asset="infra-v$version-$target.tar.gz"
    expected="$sha256_input"
    if [ -z "$expected" ]; then
        expected="$(printf '%s\n' "$CHECKSUMS" | awk -v v="$version" -v t="$target" '$1 == v && $2 == t { print $3 }')"
    fi
    expected="$(printf '%s' "$expected" | tr 'A-F' 'a-f')"
    if ! [[ "$expected" =~ ^[0-9a-f]{64}$ ]]; then
        if [ -z "$expected" ]; then
            fail 1 "refusing to download infra $version for $target: this action has no SHA-256 for it, so the download could not be verified. Give the archive's SHA-256 as sha256 (from the release's SHA256SUMS), or a local build as infra-binary."
        fi
        fail 1 "refusing to download infra $version for $target: the checksum this action pins for it is a placeholder (no release has been published yet), so the download could not be verified. Give a local build as infra-binary, or the archive's SHA-256 as sha256."
    fi
    local repository="$release_repository"
    if [ -z "$download_base" ]; then
        # github.action_repository is not set inside composite actions; the
        # runner keeps a used action at _actions/OWNER/NAME/REF (then the
        # action's path in the repository: `.` for `uses: $/.`).
        if [ -z "$repository" ] && [[ "${GITHUB_ACTION_PATH:-}" =~ [/\\]_actions[/\\]([^/\\]+)[/\\]([^/\\]+)[/\\][^/\\]+([/\\].*)?$ ]]; then
            repository="${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"
        fi
        [ -n "$repository" ] || fail 1 "cannot tell which repository publishes infra releases; set release-repository (owner/name)"
        download_base="https://github.com/$repository/releases/download"
    fi
    url="$download_base/v$version/$asset"
    dir="$tmp/infra-$version-$target"
    archive="$tmp/$asset"
    rm -rf "$dir" "$archive"
    log "infra audit: downloading $url"
    # https only, except a file:// prefix given on purpose (the local test).
    curl --fail --silent --show-error --location --retry 3 \
        --proto '=https,file' --proto-redir '=https' \
        --output "$archive" "$url" || fail 1 "could not download $url"
    actual="$(sha256_of "$archive")"
    if [ "$actual" != "$expected" ]; then
        rm -f "$archive"
        fail 1 "refusing to run the download: $asset has SHA-256 $actual, expected $expected. The archive is not the release this action pins; nothing was run."
    fi
    mkdir -p "$dir"
    # From standard input: GNU tar on Windows takes D:\\… as a remote host.
    tar -xzf - -C "$dir" <"$archive" || fail 1 "could not unpack $asset"
    rm -f "$archive"
    exe="infra"
    [ "${target#*windows}" != "$target" ] && exe="infra.exe"
    [ -f "$dir/infra-v$version-$target/$exe" ] || fail 1 "$asset has no infra-v$version-$target/$exe"
    chmod +x "$dir/infra-v$version-$target/$exe"
    printf '%s\n' "$dir/infra-v$version-$target/$exe"
}

find_infra() {
    if [ -n "$binary_input" ]; then
        case "$binary_input" in
            */* | *\\*)
                [ -f "$binary_input" ] && [ -x "$binary_input" ] \
                    || fail 2 "infra-binary '$binary_input' is not an executable file (in $(pwd))"
                printf '%s\n' "$binary_input"
                ;;
            *)
                command -v "$binary_input" \
                    || fail 2 "infra-binary '$binary_input' is not a command on PATH; give a path to the binary"
                ;;
        esac
        return
    fi
    # A build of this action's own checkout (the action used by path, after
    # cargo build --release in it); never a binary from the audited
    # repository nor a CARGO_TARGET_DIR, which may hold another program.
    local candidate="$action_dir/target/release/infra"
    if [ -f "$action_dir/Cargo.toml" ] && [ -f "$candidate" ] && [ -x "$candidate" ]; then
        printf '%s\n' "$candidate"
        return
    fi
    download_release
}

infra="$(find_infra)" || exit $?
log "infra audit: using $("$infra" --version) at $infra"

# --- the base of the change ---------------------------------------------------

event_base() {
    [ -n "${GITHUB_EVENT_PATH:-}" ] || return 0
    [ -f "$GITHUB_EVENT_PATH" ] || fail 2 "GITHUB_EVENT_PATH '$GITHUB_EVENT_PATH' is not a file"
    "$python" - "${GITHUB_EVENT_NAME:-}" "$GITHUB_EVENT_PATH" <<'PY'
import json, re, sys
name, path = sys.argv[1], sys.argv[2]
try:
    with open(path, encoding="utf-8") as f:
        event = json.load(f)
except (OSError, ValueError) as err:
    sys.exit(f"infra audit: cannot read the event payload {path}: {err}")
if not isinstance(event, dict):
    sys.exit(f"infra audit: the event payload {path} is not a JSON object")
sha = ""
if name in ("pull_request", "pull_request_target") or (not name and "pull_request" in event):
    sha = ((event.get("pull_request") or {}).get("base") or {}).get("sha") or ""
elif name == "merge_group":
    sha = (event.get("merge_group") or {}).get("base_sha") or ""
elif name == "push" and not event.get("created") and not event.get("deleted"):
    sha = event.get("before") or ""
if not isinstance(sha, str) or sha.strip("0") == "":
    sha = ""
elif not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", sha):
    sys.exit(f"infra audit: the event payload's base {sha!r} is not a commit id")
print(sha)
PY
}

is_sha() { [[ "$1" =~ ^[0-9a-f]{40}$|^[0-9a-f]{64}$ ]]; }
has_commit() { git -C "$path" cat-file -e "$1^{commit}" 2>/dev/null; }
is_shallow() { [ "$(git -C "$path" rev-parse --is-shallow-repository 2>/dev/null)" = true ]; }
# What infra needs: the base commit, and in a shallow clone a merge base
# (a full clone may have none: infra then compares with the base itself).
base_usable() {
    has_commit "$1" || return 1
    if is_shallow; then
        git -C "$path" merge-base "$1" HEAD >/dev/null 2>&1 || return 1
    fi
    return 0
}

base=""
from_event=false
case "$base_input" in
    none) ;;
    "")
        base="$(event_base)" || fail 2 "could not take the base from the ${GITHUB_EVENT_NAME:-} event payload (see above); set base, or base: none to audit the whole repository"
        from_event=true
        ;;
    *) base="$base_input" ;;
esac

if [ -n "$base" ]; then
    git -C "$path" rev-parse --is-inside-work-tree >/dev/null 2>&1 \
        || fail 2 "'$path' is not in a git work tree, so there is no change to compare with $base; check out the repository with actions/checkout, or set base: none"
fi

# infra never touches the network, so a shallow clone without the base (the
# default fetch-depth: 1) is fixed here: fetch the base and the history that
# reaches the merge base. fetch-depth: 0 on actions/checkout avoids this (and
# with persist-credentials: false a private repository cannot be fetched).
if [ -n "$base" ] && ! base_usable "$base"; then
    if is_sha "$base" && git -C "$path" remote get-url origin >/dev/null 2>&1; then
        notice "the clone lacks $base or its merge base with HEAD; fetching history from origin (set fetch-depth: 0 on actions/checkout to skip this)"
        if is_shallow; then
            git -C "$path" fetch --quiet --no-tags --unshallow origin "$base" \
                || git -C "$path" fetch --quiet --no-tags origin "$base" \
                || log "infra audit: git fetch origin $base failed"
        else
            git -C "$path" fetch --quiet --no-tags origin "$base" || log "infra audit: git fetch origin $base failed"
        fi
    fi
    if ! base_usable "$base"; then
        if [ "$from_event" = true ] && [ "${GITHUB_EVENT_NAME:-}" = push ]; then
            # A force push's `before` may be gone: audit everything instead.
            notice "the push's previous commit $base is not in the repository; auditing the whole repository"
            base=""
        elif has_commit "$base"; then
            fail 2 "the shallow clone in '$path' has no merge base of $base and HEAD: check out with fetch-depth: 0 (actions/checkout), or deepen it: git fetch --unshallow origin"
        else
            fail 2 "commit $base is not in the clone in '$path' and could not be fetched: check out with fetch-depth: 0 (actions/checkout) so the base commit and its history are present"
        fi
    fi
fi
set_output base "$base"
if [ -n "$base" ]; then
    log "infra audit: reporting what the change since $base introduces"
else
    log "infra audit: auditing the whole repository"
fi

# --- the audit ------------------------------------------------------------------

args=(audit "$path" --color never --no-input)
[ "${#fail_on_args[@]}" -eq 0 ] || args+=("${fail_on_args[@]}")
[ -z "$base" ] || args+=(--base "$base")
# Every run audits as of the same day.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(date +%s)}"
export NO_COLOR=1

# Reports are written outside the audited tree first (a report inside it
# would be an untracked file of the change for the runs after the first) and
# moved to their places at the end.
work_sarif="$work/infra-audit.sarif"
work_report="$work/infra-audit.md"
rm -f "$sarif" "$report"
code=0
"$infra" "${args[@]}" --format sarif --output "$work_sarif" || code=$?
set_output exit-code "$code"
set_output infra "$infra"

# Locations in infra's reports are relative to the audited folder; GitHub
# wants them relative to the repository root.
prefix="$("$python" -c 'import os, sys; r = os.path.relpath(os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])); print("" if r == "." else r.replace(os.sep, "/") + "/")' \
    "$path" "$(git -C "$path" rev-parse --show-toplevel 2>/dev/null || printf '%s' "$path")")"

findings=""
if [ -f "$work_sarif" ]; then
    findings="$("$python" - "$work_sarif" "$prefix" <<'PY'
import json, sys
path, prefix = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    sarif = json.load(f)
count = 0
for run in sarif.get("runs", []):
    for result in run.get("results", []):
        if not result.get("suppressions"):
            count += 1
        if prefix:
            for key in ("locations", "relatedLocations"):
                for loc in result.get(key, []):
                    art = loc.get("physicalLocation", {}).get("artifactLocation", {})
                    if "uri" in art:
                        art["uri"] = prefix + art["uri"]
if prefix:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(sarif, f, indent=2)
        f.write("\n")
print(count)
PY
)" || fail 1 "infra wrote a SARIF file that is not valid JSON: $work_sarif"
fi

# Exit 1-4 means no report: say so and stop with infra's code.
case "$code" in
    0 | 11 | 12 | 13) ;;
    3) fail 3 "infra found nothing to audit in '$path' (exit 3); check the path input" ;;
    *) fail "$code" "infra audit failed with exit $code (1 internal, 2 usage or bad input, 4 unreadable file); its message is above" ;;
esac
[ -f "$work_sarif" ] || fail 1 "infra exited $code but wrote no SARIF file"

"$infra" "${args[@]}" --format markdown --output "$work_report" || true

case "$format" in
    github)
        # Workflow commands on standard output become annotations; their
        # file= property is relative to the repository root.
        esc_prefix="${prefix//'%'/'%25'}"
        esc_prefix="${esc_prefix//','/'%2C'}"
        esc_prefix="${esc_prefix//':'/'%3A'}"
        "$infra" "${args[@]}" --format github \
            | PREFIX="$esc_prefix" awk '{ if (match($0, /^::[a-z]+ file=/)) { $0 = substr($0, 1, RLENGTH) ENVIRON["PREFIX"] substr($0, RLENGTH + 1) } print }' \
            || true
        ;;
    text) "$infra" "${args[@]}" --format text || true ;;
    none) ;;
esac

mkdir -p "$(dirname "$sarif")"
mv -f "$work_sarif" "$sarif"
set_output sarif-file "$sarif"
set_output findings "$findings"
log "infra audit: SARIF with $findings finding(s) in $sarif"

if [ -f "$work_report" ]; then
    mv -f "$work_report" "$report"
    set_output report-file "$report"
    if [ "$summary" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
        # A step summary holds at most 1 MiB.
        limit=1000000
        if [ "$(wc -c <"$report")" -gt "$limit" ]; then
            head -c "$limit" "$report" | sed '$d' >>"$GITHUB_STEP_SUMMARY"
            printf '\n\n_The report is longer than a job summary holds; the SARIF upload and the log have every finding._\n' >>"$GITHUB_STEP_SUMMARY"
        else
            cat "$report" >>"$GITHUB_STEP_SUMMARY"
        fi
    fi
else
    log "infra audit: the Markdown report could not be written; the job summary has none"
fi

case "$code" in
    0) log "infra audit: passed" ;;
    *)
        if [ "$fail_on" = never ]; then
            log "infra audit: findings (exit $code), not failing the step (fail-on: never)"
            code=0
        else
            log "infra audit: findings at or above ${fail_on:-the threshold (infra.toml [audit] fail_on, else error)} (exit $code)"
        fi
        ;;
esac
exit "$code"
