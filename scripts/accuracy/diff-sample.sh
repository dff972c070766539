#!/usr/bin/env bash
# Diff mode on real history: for the last N first-parent commits of a clone,
# audit the change as its pull request would have been audited (a merge:
# its second parent against its first; a plain commit: against its parent)
# and print one line per finding: commit, rule, path:line, message.
# It runs only infra; nothing of the repository is built or executed.
# usage: scripts/accuracy/diff-sample.sh CLONE N [INFRA]
#        COMMITS="sha …" scripts/accuracy/diff-sample.sh CLONE 0 [INFRA]
set -euo pipefail
clone=$(cd "$1" && pwd)
count=${2:-10}
infra=${3:-target/release/infra}
infra=$(cd "$(dirname "$infra")" && pwd)/$(basename "$infra")
work=$(mktemp -d)
trap 'git -C "$clone" worktree prune; rm -rf "$work"' EXIT
# COMMITS="sha sha …" audits those commits instead of the last N.
list() {
  if [ -n "${COMMITS:-}" ]; then
    for c in $COMMITS; do git -C "$clone" rev-parse "$c"; done
  else
    git -C "$clone" rev-list --first-parent -n "$count" HEAD
  fi
}
list | while read -r commit; do
  parents=$(git -C "$clone" rev-list --parents -n 1 "$commit" | cut -d' ' -f2-)
  base=${parents%% *}
  head=$commit
  case "$parents" in *" "*) head=${parents##* } ;; esac
  tree="$work/${commit:0:12}"
  git -C "$clone" worktree add -q --detach "$tree" "$head" 2>/dev/null || { echo "${commit:0:12} skipped: checkout failed"; continue; }
  start=$(date +%s.%N)
  set +e
  "$infra" audit "$tree" --base "$base" --format json >"$work/out.json" 2>"$work/err.txt"
  code=$?
  set -e
  took=$(echo "$(date +%s.%N) - $start" | bc)
  python3 - "$work/out.json" "${commit:0:12}" "$code" "$took" "$work/err.txt" <<'PY'
import json, sys
path, commit, code, took, err = sys.argv[1:]
try:
    report = json.load(open(path))
except ValueError:
    print(f"{commit} exit {code}: {open(err).read().strip()[:300]}")
    sys.exit(0)
found = report["findings"]
print(f"{commit} exit {code} in {float(took):.2f}s: {len(found)} new")
for f in found:
    print(f"  {f['rule']} {f['path']}:{f['line']} {f['message'][:160]}")
PY
  git -C "$clone" worktree remove --force "$tree"
done
