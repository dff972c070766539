//! The real-world accuracy harness's comparer (scripts/accuracy/compare.py)
//! on made-up labels and results: the corpus itself is never in CI, so this
//! guards the arithmetic and the --check gate that docs/accuracy.md quotes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

const REPOS: &str =
    "# repository\tcommit\tfiles\tstack\nacme/shop\t0123\t3\tNode\nacme/api\t4567\t2\tGo\n";

fn finding(rule: &str, path: &str, line: u32, fingerprint: &str) -> serde_json::Value {
    serde_json::json!({
        "rule": rule, "level": "error", "section": "5.1", "message": "m",
        "path": path, "line": line, "column": 1, "fingerprint": fingerprint,
    })
}

fn results(dir: &Path, slug: &str, findings: Vec<serde_json::Value>) {
    let doc = serde_json::json!({"version": 1, "findings": findings});
    std::fs::write(dir.join(format!("{slug}.json")), doc.to_string()).unwrap();
}

fn compare(data: &Path, results: &Path, check: bool) -> (bool, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/accuracy/compare.py");
    let mut cmd = Command::new("python3");
    cmd.arg(script)
        .arg("--data")
        .arg(data)
        .arg("--results")
        .arg(results);
    if check {
        cmd.arg("--check");
    }
    let out = cmd.output().expect("python3 runs");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// The columns after `rule *` in the precision table.
fn row<'a>(text: &'a str, rule: &str) -> Vec<&'a str> {
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{rule} *")))
        .unwrap_or_default();
    line.split_whitespace().skip(2).collect()
}

fn setup(labels: &str, secrets: &str) -> (tempfile::TempDir, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("repos.tsv"), REPOS).unwrap();
    std::fs::write(data.path().join("labels.tsv"), labels).unwrap();
    std::fs::write(data.path().join("secrets.tsv"), secrets).unwrap();
    let out = tempfile::tempdir().unwrap();
    results(
        out.path(),
        "acme+shop",
        vec![
            finding("hardcoded-secret", "src/pay.js", 3, "f1"),
            finding("hardcoded-secret", "src/lang/de.json", 9, "f2"),
            finding("plaintext-http", "src/api.js", 7, "f3"),
        ],
    );
    results(
        out.path(),
        "acme+api",
        vec![finding("plaintext-http", "main.go", 12, "f4")],
    );
    (data, out)
}

#[test]
fn precision_recall_and_the_gate() {
    // hardcoded-secret: one TP, one FP -> 50 %, under the 90 % target.
    let labels = "# header\n\
        acme/shop\thardcoded-secret\tsrc/pay.js\t3\tf1\tTP\tlive key\n\
        acme/shop\thardcoded-secret\tsrc/lang/de.json\t9\tf2\tFP\ttranslation\n\
        acme/shop\tplaintext-http\tsrc/api.js\t7\tf3\tTP\tcalls a real host\n\
        acme/api\tplaintext-http\tmain.go\t12\tchanged\tTP\tmatched by line\n";
    let secrets = "# header\n\
        acme/shop\tsrc/pay.js\t3\treal\tstripe-key\t\tinfra\tlive key\n\
        acme/api\tconfig.yml\t4\treal\tpassword\tdefault\tdetect-secrets\tdb password\n\
        acme/api\tgo.sum\t1\tnot\thash\t\ttrufflehog3\tchecksum\n";
    let (data, out) = setup(labels, secrets);
    let (ok, text) = compare(data.path(), out.path(), false);
    assert!(ok, "{text}");
    assert_eq!(
        row(&text, "hardcoded-secret"),
        ["2", "1", "1", "0", "50%"],
        "{text}"
    );
    assert_eq!(
        row(&text, "plaintext-http"),
        ["2", "2", "0", "0", "100%"],
        "{text}"
    );
    assert!(text.contains("found by infra: 1 (50% recall)"), "{text}");
    assert!(
        text.contains("missed: acme/api config.yml:4 (password, default)"),
        "{text}"
    );
    assert!(
        text.contains("hardcoded-secret precision 50% < 90%"),
        "{text}"
    );
    let (ok, _) = compare(data.path(), out.path(), true);
    assert!(!ok, "--check must fail under 90 % precision");
}

#[test]
fn unlabelled_and_lost_findings_fail_the_gate() {
    let labels = "acme/shop\thardcoded-secret\tsrc/pay.js\t3\tf1\tTP\tlive key\n\
        acme/shop\thardcoded-secret\tsrc/lang/de.json\t9\tf2\tTP\tsay\n\
        acme/shop\tplaintext-http\tsrc/gone.js\t1\tgone\tTP\tno longer reported\n";
    let (data, out) = setup(labels, "");
    let (ok, text) = compare(data.path(), out.path(), true);
    assert!(!ok, "{text}");
    assert!(
        text.contains("labelled true positives no longer reported (1)"),
        "{text}"
    );
    assert!(
        text.contains("acme/shop\tplaintext-http\tsrc/api.js\t7\tf3\t?"),
        "{text}"
    );
    assert!(text.contains("unlabelled findings (2)"), "{text}");
}

#[test]
fn everything_labelled_and_precise_passes() {
    let labels = "acme/shop\thardcoded-secret\tsrc/pay.js\t3\tf1\tTP\tlive key\n\
        acme/shop\thardcoded-secret\tsrc/lang/de.json\t9\tf2\tTP\tkey in a locale file\n\
        acme/shop\tplaintext-http\tsrc/api.js\t7\tf3\tTP\tcalls a real host\n\
        acme/api\tplaintext-http\tmain.go\t12\tf4\tTP\tcalls a real host\n";
    let (data, out) = setup(
        labels,
        "acme/shop\tsrc/pay.js\t3\treal\tstripe-key\t\tinfra\tlive\n",
    );
    let (ok, text) = compare(data.path(), out.path(), true);
    assert!(ok, "{text}");
    assert!(text.contains("found by infra: 1 (100% recall)"), "{text}");
    assert!(!text.contains("not met"), "{text}");
}

#[test]
fn a_bad_verdict_is_an_error_that_names_the_row() {
    let (data, out) = setup(
        "acme/shop\thardcoded-secret\tsrc/pay.js\t3\tf1\tmaybe\tx\n",
        "",
    );
    let (ok, text) = compare(data.path(), out.path(), false);
    assert!(!ok);
    assert!(
        text.contains("verdict must be TP, FP or TP-dropped, got 'maybe'"),
        "{text}"
    );
}

#[test]
fn a_true_positive_given_up_is_shown_but_does_not_fail_the_gate() {
    let labels = "acme/shop\thardcoded-secret\tsrc/pay.js\t3\tf1\tTP\tlive key\n\
        acme/shop\thardcoded-secret\tsrc/lang/de.json\t9\tf2\tTP\tkey in a locale file\n\
        acme/shop\thardcoded-secret\ttest/fixtures/a.yml\t2\tgone\tTP-dropped\tbare token in a fixture\n\
        acme/shop\tplaintext-http\tsrc/api.js\t7\tf3\tTP\tcalls a real host\n\
        acme/api\tplaintext-http\tmain.go\t12\tf4\tTP\tcalls a real host\n";
    let (data, out) = setup(labels, "");
    let (ok, text) = compare(data.path(), out.path(), true);
    assert!(ok, "{text}");
    assert!(
        text.contains("true positives knowingly given up (1)"),
        "{text}"
    );
    assert!(
        text.contains("acme/shop test/fixtures/a.yml:2: bare token in a fixture"),
        "{text}"
    );
    assert!(!text.contains("no longer reported"), "{text}");
    // Reported again, it counts as a true positive like any other.
    results(
        out.path(),
        "acme+shop",
        vec![
            finding("hardcoded-secret", "src/pay.js", 3, "f1"),
            finding("hardcoded-secret", "src/lang/de.json", 9, "f2"),
            finding("hardcoded-secret", "test/fixtures/a.yml", 2, "gone"),
            finding("plaintext-http", "src/api.js", 7, "f3"),
        ],
    );
    let (ok, text) = compare(data.path(), out.path(), true);
    assert!(ok, "{text}");
    assert_eq!(
        row(&text, "hardcoded-secret"),
        ["3", "3", "0", "0", "100%"],
        "{text}"
    );
}

#[test]
fn ci_rules_are_held_to_the_target_and_ci_only_repositories_count_only_them() {
    let data = tempfile::tempdir().unwrap();
    let repos = "# repository\tcommit\tfiles\tstack\tlabels\nacme/deploys\t89ab\t9\tRails\tci\n";
    std::fs::write(data.path().join("repos.tsv"), repos).unwrap();
    std::fs::write(data.path().join("secrets.tsv"), "").unwrap();
    let labels = "acme/deploys\tdeploy-not-gated-on-tests\t.github/workflows/prod.yml\t9\tg1\tTP\tno test before the release deploy\n\
        acme/deploys\tdeploy-not-gated-on-tests\t.github/workflows/stage.yml\t5\tg2\tFP\tstaging, not production\n\
        acme/deploys\tunbounded-resources\tk8s/web.yaml\t12\tu1\tTP\tno memory limit\n";
    std::fs::write(data.path().join("labels.tsv"), labels).unwrap();
    let out = tempfile::tempdir().unwrap();
    results(
        out.path(),
        "acme+deploys",
        vec![
            finding(
                "deploy-not-gated-on-tests",
                ".github/workflows/prod.yml",
                9,
                "g1",
            ),
            finding(
                "deploy-not-gated-on-tests",
                ".github/workflows/stage.yml",
                5,
                "g2",
            ),
            // Not labelled in a `ci` repository, and not counted either.
            finding("hardcoded-secret", "config/dev.yml", 2, "s1"),
            // Labelled there, so counted like anywhere else.
            finding("unbounded-resources", "k8s/web.yaml", 12, "u1"),
        ],
    );
    let (_, text) = compare(data.path(), out.path(), false);
    let line = text
        .lines()
        .find(|l| l.starts_with("deploy-not-gated-on-tests +"))
        .unwrap_or_default();
    assert_eq!(
        line.split_whitespace().skip(2).collect::<Vec<_>>(),
        ["2", "1", "1", "0", "50%"],
        "{text}"
    );
    assert!(
        text.contains("deploy-not-gated-on-tests precision 50% < 90%"),
        "{text}"
    );
    assert!(
        text.contains(
            "not counted (repositories labelled for the §3 or the IaC rules only): hardcoded-secret 1"
        ),
        "{text}"
    );
    assert!(!text.contains("config/dev.yml"), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("unbounded-resources ~")
            && l.split_whitespace().skip(2).collect::<Vec<_>>() == ["1", "1", "0", "0", "100%"]),
        "{text}"
    );
    let (ok, _) = compare(data.path(), out.path(), true);
    assert!(!ok, "--check must fail when a §3 rule is under 90 %");
    // A labels column other than all, ci or iac is refused.
    std::fs::write(
        data.path().join("repos.tsv"),
        "acme/deploys\t89ab\t9\tRails\tsome\n",
    )
    .unwrap();
    let (ok, text) = compare(data.path(), out.path(), false);
    assert!(
        !ok && text.contains("labels column must be all, ci or iac"),
        "{text}"
    );
}

#[test]
fn iac_repositories_count_only_the_iac_rules_and_hold_them_to_the_target() {
    let data = tempfile::tempdir().unwrap();
    let repos = "acme/goat\t89ab\t9\tTerraform\tiac\n";
    std::fs::write(data.path().join("repos.tsv"), repos).unwrap();
    std::fs::write(data.path().join("secrets.tsv"), "").unwrap();
    let labels = "acme/goat\tadmin-interface-exposed\tmain.tf\t3\ta1\tTP\tSSH open\n\
        acme/goat\tadmin-interface-exposed\tmain.tf\t9\ta2\tFP\tport 80 only\n";
    std::fs::write(data.path().join("labels.tsv"), labels).unwrap();
    let out = tempfile::tempdir().unwrap();
    results(
        out.path(),
        "acme+goat",
        vec![
            finding("admin-interface-exposed", "main.tf", 3, "a1"),
            finding("admin-interface-exposed", "main.tf", 9, "a2"),
            // Not an IaC rule and not labelled there: not counted.
            finding(
                "deploy-not-gated-on-tests",
                ".github/workflows/x.yml",
                4,
                "d1",
            ),
        ],
    );
    let (_, text) = compare(data.path(), out.path(), false);
    let line = text
        .lines()
        .find(|l| l.starts_with("admin-interface-exposed ~"))
        .unwrap_or_default();
    assert_eq!(
        line.split_whitespace().skip(2).collect::<Vec<_>>(),
        ["2", "1", "1", "0", "50%"],
        "{text}"
    );
    assert!(text.contains("deploy-not-gated-on-tests 1"), "{text}");
    assert!(
        text.contains("admin-interface-exposed precision 50% < 90%"),
        "{text}"
    );
    let (ok, _) = compare(data.path(), out.path(), true);
    assert!(!ok, "--check must fail when an IaC rule is under 90 %");
}
