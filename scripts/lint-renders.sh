#!/usr/bin/env bash
# Render the bundled fixture for each of the 7 platforms into a temp dir and
# run the field's linters over every render: actionlint, zizmor (offline),
# yamllint, markdownlint-cli2 and dotenv-linter. Any finding fails the run.
# Linters come from .tools/ (scripts/install-linters.sh installs them).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
export PATH="$tools/venv/bin:$tools/npm/node_modules/.bin:$tools/cargo/bin:$PATH"
export DOTENV_LINTER_SKIP_UPDATES=true

for tool in actionlint zizmor yamllint markdownlint-cli2 dotenv-linter; do
    if ! command -v "$tool" >/dev/null; then
        echo "lint-renders: $tool is missing; run scripts/install-linters.sh" >&2
        exit 2
    fi
done

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# The renders come from the fixture in src/render/fixture.rs (the shopfront
# example's context with every answer given).
(cd "$root" && cargo run --quiet --example render_all -- "$out")

failures=0
run() {
    local label="$1"
    shift
    local log
    if ! log="$("$@" 2>&1)"; then
        echo "FAIL $label"
        printf '%s\n' "$log" | sed 's/^/    /'
        failures=$((failures + 1))
    else
        echo "ok   $label"
    fi
}

for dir in "$out"/*/; do
    platform="$(basename "$dir")"
    workflows=("$dir".github/workflows/*.yml)
    yaml=("${workflows[@]}" "$dir.github/dependabot.yml")
    run "$platform actionlint" actionlint -no-color "${workflows[@]}"
    run "$platform zizmor" zizmor --offline --no-progress --format plain "$dir.github/"
    run "$platform yamllint" yamllint --strict -c "$root/.yamllint" -f parsable "${yaml[@]}"
    run "$platform markdownlint" markdownlint-cli2 --config "$root/.markdownlint.jsonc" "$dir**/*.md"
    run "$platform dotenv-linter" dotenv-linter --plain check "$dir.env.example"
done

if [ "$failures" -gt 0 ]; then
    echo "lint-renders: $failures linter run(s) reported findings" >&2
    exit 1
fi
echo "lint-renders: all 7 renders pass all 5 linters"
