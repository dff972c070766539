#!/usr/bin/env bash
# Lint this repository's own CI files with the field's linters and require
# zero findings: actionlint (with shellcheck over every `run:` block), zizmor
# (offline, default persona) and yamllint over action.yml,
# .github/workflows/*.yml and .pre-commit-hooks.yaml; shellcheck over
# scripts/action/run.sh and scripts/*.sh. The linters come from .tools/
# (scripts/install-linters.sh installs them).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
cd "$root"

actionlint="$tools/venv/bin/actionlint"
zizmor="$tools/venv/bin/zizmor"
yamllint="$tools/venv/bin/yamllint"
shellcheck="$tools/shellcheck/bin/shellcheck"
for tool in "$actionlint" "$zizmor" "$yamllint" "$shellcheck"; do
    if [ ! -x "$tool" ]; then
        echo "lint-workflows: $tool is missing; run scripts/install-linters.sh" >&2
        exit 2
    fi
done

workflows=(.github/workflows/*.yml)
yaml=(action.yml "${workflows[@]}" .pre-commit-hooks.yaml .github/dependabot.yml)
scripts=(scripts/action/run.sh scripts/*.sh)

# shellcheck source=scripts/lint-common.sh
source "$root/scripts/lint-common.sh"

run "actionlint ${workflows[*]}" "$actionlint" -no-color -shellcheck "$shellcheck" "${workflows[@]}"
run "zizmor .github/ action.yml" "$zizmor" --offline --no-progress --format plain .github/ action.yml
run "yamllint ${yaml[*]}" "$yamllint" --strict -c .yamllint -f parsable "${yaml[@]}"
run "shellcheck ${scripts[*]}" "$shellcheck" "${scripts[@]}"

if [ "$failures" -gt 0 ]; then
    echo "lint-workflows: $failures linter run(s) reported findings" >&2
    exit 1
fi
echo "lint-workflows: action.yml, the workflows, the pre-commit hooks and the scripts pass all 4 linters"
