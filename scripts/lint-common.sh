# shellcheck shell=bash
# Shared by scripts/lint-renders.sh and scripts/lint-workflows.sh (sourced):
# `run LABEL CMD...` runs one linter, prints ok or FAIL with its output
# indented, and counts the failures in $failures.
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
