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

# Four sets of renders: the fixed fixture (src/render/fixture.rs), the same
# with Go, Rust, pnpm and Poetry stacks in sub-folders, an empty repo with no
# deploy branches (edge cases), and the
# bundled example repo run through discovery and answer resolution with
# `--set platform.target=<platform>`.
(cd "$root" && cargo build --quiet --example render_all)
"$root/target/debug/examples/render_all" "$out/fixture"
"$root/target/debug/examples/render_all" "$out/polyglot" polyglot
"$root/target/debug/examples/render_all" "$out/minimal" minimal
if [ -d "$root/examples/shopfront" ]; then
    "$root/target/debug/examples/render_all" "$out/example" "$root/examples/shopfront"
    # The same example through the real binary, every answer given by --set.
    (cd "$root" && cargo build --quiet --bin infra)
    for platform in vercel netlify aws gcp azure fly kubernetes; do
        case "$platform" in
            aws) region=eu-west-1 ;; gcp) region=europe-west1 ;;
            azure) region=westeurope ;; fly) region=ams ;; *) region=unused ;;
        esac
        dest="$out/cli/$platform"
        mkdir -p "$dest"
        cp -R "$root/examples/shopfront/." "$dest/"
        rm -f "$dest/infra.toml"
        "$root/target/debug/infra" init "$dest" --no-input -q \
            --set "platform.target=$platform" --set "platform.region=$region" \
            --set environments=dev,staging,production \
            --set environments.staging.url=https://staging.shop.example.com \
            --set environments.production.url=https://shop.example.com \
            --set sla.availability=99.9 --set sla.latency_p95_ms=300 \
            --set sla.error_rate_percent=1 --set sla.rpo_hours=24 --set sla.rto_hours=4 \
            --set alerts.channel=slack:#shop-ops
    done
fi

# shellcheck source=scripts/lint-common.sh
source "$root/scripts/lint-common.sh"

# yamllint and markdownlint-cli2 run inside a render, with no config flag.
yamllint_in() {
    local dir="$1"
    shift
    (cd "$dir" && yamllint --strict -f parsable "$@")
}
markdownlint_in() {
    (cd "$1" && markdownlint-cli2 "docs/infra/**/*.md" projectplan.md)
}

for dir in "$out"/*/*/; do
    platform="$(basename "$(dirname "$dir")")/$(basename "$dir")"
    workflows=("$dir".github/workflows/*.yml)
    yaml=("${workflows[@]}" "$dir.github/dependabot.yml" "$dir.yamllint")
    run "$platform actionlint" actionlint -no-color "${workflows[@]}"
    run "$platform zizmor" zizmor --offline --no-progress --format plain "$dir.github/"
    # As a user runs them, from the repository with no config flag: the
    # linters find the .yamllint and .markdownlint.jsonc rendered beside.
    run "$platform yamllint" yamllint_in "$dir" "${yaml[@]#"$dir"}"
    run "$platform markdownlint" markdownlint_in "$dir"
    run "$platform dotenv-linter" dotenv-linter --plain check "$dir.env.example"
done

if [ "$failures" -gt 0 ]; then
    echo "lint-renders: $failures linter run(s) reported findings" >&2
    exit 1
fi
echo "lint-renders: every render of the 7 platforms passes all 5 linters"
