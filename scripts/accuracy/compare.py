#!/usr/bin/env python3
"""Compare `infra audit --format json` results with hand-labelled verdicts.

Called by scripts/accuracy.sh. Data beside this file:

- repos.tsv    repository, pinned commit, file count, stack, and optionally
               which rules are labelled there: `all` (the default), `ci`
               (the §3 CI/CD rules) or `iac` (the rules over code,
               manifests and IaC of IAC_RULES); in `ci` and `iac`
               repositories a rule with a label there counts too, other
               rules' findings are not counted
- labels.tsv   one row per finding: repo, rule, path, line, fingerprint,
               verdict (TP, FP, or TP-dropped: a true positive a precision
               fix knowingly stopped reporting, its reason says why), reason
- secrets.tsv  the union of candidates that infra, detect-secrets and
               trufflehog3 reported, each verified by hand: repo, path, line,
               verdict (real or not), kind, weak, found_by, reason

A finding matches a label by repo, rule and fingerprint, or failing that by
repo, rule, path and line (a fingerprint changes when the message's cause
changes). Real secrets are matched to hardcoded-secret findings (any level)
by repo, path and line.
"""
import argparse
import collections
import csv
import json
import os
import sys

# The rules issue 9 holds to >= 90 % precision.
LINE_RULES = (
    "hardcoded-secret",
    "plaintext-http",
    "env-example-incomplete",
    "env-example-has-value",
    "nonprod-live-credentials",
)
# The §3 CI/CD rules, held to the same target on the repositories that
# deploy from CI (docs/accuracy.md, "CI/CD rules on real repositories").
CI_RULES = (
    "ci-missing",
    "ci-no-build",
    "ci-no-tests",
    "ci-no-lint",
    "deploy-not-gated-on-tests",
    "deploy-unreviewed-branch",
    "deploy-ad-hoc-script",
    "deploy-no-rollback",
    "branch-mapping-undocumented",
    "workflow-secret-exposure",
)
# The rules over code, manifests and IaC (observability, exposure,
# dependencies, backups, cost), held to the same target everywhere and the
# only ones labelled in `iac` repositories (checkov's test beds).
IAC_RULES = (
    "admin-interface-exposed",
    "backups-undocumented",
    "unbounded-resources",
    "oversized-instance",
    "dependency-updates-missing",
    "log-sensitive-data",
    "logging-missing",
    "log-context-missing",
    "metrics-missing",
    "vulnerability-scan-missing",
    "dependency-unvetted-source",
    "eol-runtime",
    "security-headers-missing",
    "rate-limiting-missing",
    "alerts-missing",
    "dashboards-missing",
)
HELD = LINE_RULES + CI_RULES + IAC_RULES
SCOPED = {"ci": CI_RULES, "iac": IAC_RULES}
TARGET = 0.90


def read_tsv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f, delimiter="\t") if r and not r[0].startswith("#")]
    return rows


def slug(repo):
    return repo.replace("/", "+", 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--missing", type=int, default=0)
    args = ap.parse_args()

    rows = read_tsv(os.path.join(args.data, "repos.tsv"))
    repos = [r[0] for r in rows]
    scope = {r[0]: (r[4] if len(r) > 4 and r[4] else "all") for r in rows}
    for repo, s in scope.items():
        if s not in ("all", "ci", "iac"):
            sys.exit(f"repos.tsv: labels column must be all, ci or iac, got {s!r} ({repo})")
    out_of_scope = collections.Counter()
    by_print = {}
    by_line = {}
    # A rule labelled in a `ci` or `iac` repository is counted there too.
    labelled_in = set()
    for row in read_tsv(os.path.join(args.data, "labels.tsv")):
        repo, rule, path, line, fingerprint, verdict, reason = (row + [""] * 7)[:7]
        if verdict not in ("TP", "FP", "TP-dropped"):
            sys.exit(f"labels.tsv: verdict must be TP, FP or TP-dropped, got {verdict!r} ({repo} {rule} {path}:{line})")
        dropped = verdict == "TP-dropped"
        label = {"verdict": "TP" if dropped else verdict, "dropped": dropped, "reason": reason, "seen": False,
                 "where": f"{repo} {path}:{line}", "rule": rule}
        by_print[(repo, rule, fingerprint)] = label
        labelled_in.add((repo, rule))
        by_line.setdefault((repo, rule, path, line), label)

    secrets = []
    for row in read_tsv(os.path.join(args.data, "secrets.tsv")):
        repo, path, line, verdict, kind, weak, found_by, reason = (row + [""] * 8)[:8]
        if verdict == "real":
            secrets.append((repo, path, line, kind, weak))

    counts = collections.defaultdict(collections.Counter)
    unlabelled = collections.defaultdict(list)
    reported_secret_lines = set()
    audited = []
    for repo in repos:
        path = os.path.join(args.results, slug(repo) + ".json")
        if not os.path.exists(path):
            continue
        audited.append(repo)
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for finding in doc["findings"]:
            rule = finding["rule"]
            if scope[repo] in SCOPED and rule not in SCOPED[scope[repo]] and (repo, rule) not in labelled_in:
                out_of_scope[rule] += 1
                continue
            line = str(finding.get("line", 0))
            if rule == "hardcoded-secret":
                reported_secret_lines.add((repo, finding["path"], line))
            label = by_print.get((repo, rule, finding["fingerprint"])) or by_line.get(
                (repo, rule, finding["path"], line))
            if label is None:
                counts[rule]["unlabelled"] += 1
                unlabelled[rule].append(
                    f"{repo}\t{rule}\t{finding['path']}\t{line}\t{finding['fingerprint']}\t?\t{finding['message']}")
                continue
            label["seen"] = True
            counts[rule][label["verdict"]] += 1

    failed = []
    print(f"audited {len(audited)} of {len(repos)} pinned repositories")
    if args.missing:
        failed.append(f"{args.missing} pinned repositories missing")
    print()
    print(f"{'rule':34} {'findings':>8} {'TP':>5} {'FP':>5} {'unlab.':>6} {'precision':>9}")
    def marker(rule):
        return " *" if rule in LINE_RULES else " +" if rule in CI_RULES else " ~" if rule in IAC_RULES else ""

    for rule in sorted(counts, key=lambda r: (r not in LINE_RULES, r not in CI_RULES, r not in IAC_RULES, r)):
        c = counts[rule]
        judged = c["TP"] + c["FP"]
        precision = c["TP"] / judged if judged else None
        shown = f"{precision:.0%}" if precision is not None else "-"
        total = judged + c["unlabelled"]
        print(f"{rule + marker(rule):34} {total:8} {c['TP']:5} {c['FP']:5} {c['unlabelled']:6} {shown:>9}")
        if rule in HELD and precision is not None and precision < TARGET:
            failed.append(f"{rule} precision {precision:.0%} < {TARGET:.0%}")
    for rule in HELD:
        if rule not in counts:
            print(f"{rule + marker(rule):34} {0:8} {'':5} {'':5} {'':6} {'no findings':>9}")
    print("(* line-level rules, + §3 CI/CD rules and ~ code/manifest/IaC rules held to 90 % precision)")
    if out_of_scope:
        print("not counted (repositories labelled for the §3 or the IaC rules only): "
              + ", ".join(f"{r} {n}" for r, n in sorted(out_of_scope.items())))

    unseen = [l for l in by_print.values() if l["verdict"] == "TP" and not l["seen"]
              and l["where"].split(" ")[0] in audited]
    lost = [l for l in unseen if not l["dropped"]]
    dropped = [l for l in unseen if l["dropped"]]
    if dropped:
        # Still true positives: the trade is shown, never hidden.
        print(f"\ntrue positives knowingly given up ({len(dropped)}):")
        for l in sorted(dropped, key=lambda l: l["where"]):
            print(f"  {l['rule']} {l['where']}: {l['reason']}")
    if lost:
        print(f"\nlabelled true positives no longer reported ({len(lost)}):")
        for l in sorted(lost, key=lambda l: l["where"]):
            print(f"  {l['rule']} {l['where']}: {l['reason']}")
        failed.append(f"{len(lost)} labelled true positives lost")

    real = [s for s in secrets if s[0] in audited]
    found = [s for s in real if (s[0], s[1], s[2]) in reported_secret_lines]
    print(f"\nreal secrets (union of infra, detect-secrets, trufflehog3; verified by hand): {len(real)}")
    if real:
        print(f"found by infra: {len(found)} ({len(found) / len(real):.0%} recall)")
    for s in real:
        if (s[0], s[1], s[2]) not in reported_secret_lines:
            weak = f", {s[4]}" if s[4] else ""
            print(f"  missed: {s[0]} {s[1]}:{s[2]} ({s[3]}{weak})")

    # Rules nobody labelled yet are counted, not judged: unknown is not pass.
    labelled_rules = set(HELD) | {l["rule"] for l in by_print.values()}
    todo = {r: v for r, v in unlabelled.items() if r in labelled_rules}
    unjudged = {r: len(v) for r, v in unlabelled.items() if r not in labelled_rules}
    if unjudged:
        print("\nnot labelled at all (precision unknown): "
              + ", ".join(f"{r} {n}" for r, n in sorted(unjudged.items())))
    if todo:
        print(f"\nunlabelled findings ({sum(len(v) for v in todo.values())}); "
              "complete verdict and reason (replace the message) for labels.tsv:")
        for rule in sorted(todo):
            for row in todo[rule]:
                print("  " + row)
        failed.append("unlabelled findings")

    if failed:
        print("\nnot met: " + "; ".join(failed))
    if args.check and failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
