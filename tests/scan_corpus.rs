//! The planted corpus (tests/fixtures/secrets): recall, false positives and
//! redaction of every real-format secret, scanned through the one walk.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use infra::scan::{FileScan, Scanner, SecretMatch};
use infra::source::walk::{walk, WalkOptions};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Expected {
    lookalikes: usize,
    secret: Vec<Planted>,
}

#[derive(Deserialize, Clone)]
struct Planted {
    path: String,
    line: u32,
    kind: String,
    value: String,
    #[serde(default)]
    fixture: bool,
    /// Weaker evidence (a default credential, an encrypted key): reported
    /// one level lower, with a reason.
    #[serde(default)]
    weak: bool,
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/secrets")
}

fn expected() -> Expected {
    let text = std::fs::read_to_string(corpus().join("expected.toml")).unwrap();
    toml::from_str(&text).unwrap()
}

fn scan_corpus() -> Vec<(String, FileScan)> {
    let scanner = Scanner::new();
    let walked = walk(&corpus().join("repo"), &WalkOptions::default(), |f| {
        let scan = scanner.scan_file(f.path, f.text);
        (!scan.is_empty()).then_some(scan)
    })
    .unwrap();
    walked.items
}

fn secrets(scans: &[(String, FileScan)]) -> Vec<(String, SecretMatch)> {
    scans
        .iter()
        .flat_map(|(p, s)| s.secrets.iter().map(move |m| (p.clone(), m.clone())))
        .collect()
}

#[test]
fn corpus_is_large_enough() {
    let e = expected();
    assert!(e.secret.len() >= 90, "{} planted secrets", e.secret.len());
    assert!(e.lookalikes >= 90, "{} look-alikes", e.lookalikes);
    let kinds: std::collections::BTreeSet<_> = e.secret.iter().map(|s| &s.kind).collect();
    assert!(kinds.len() >= 38, "{} kinds", kinds.len());
    assert!(e.secret.iter().filter(|s| s.weak).count() >= 6);
}

#[test]
fn recall_and_false_positives() {
    let e = expected();
    let found: Vec<_> = secrets(&scan_corpus())
        .into_iter()
        .filter(|(_, m)| m.is_secret())
        .collect();
    let mut missed = Vec::new();
    for p in &e.secret {
        let hit = found
            .iter()
            .find(|(path, m)| *path == p.path && m.line == p.line && m.kind == p.kind);
        match hit {
            Some((_, m)) => {
                assert_eq!(m.in_test_fixture, p.fixture, "{}:{}", p.path, p.line);
                assert_eq!(
                    m.weak_evidence.is_some(),
                    p.weak,
                    "{}:{} weak evidence {:?}",
                    p.path,
                    p.line,
                    m.weak_evidence
                );
            }
            None => missed.push(format!("{}:{} {}", p.path, p.line, p.kind)),
        }
    }
    let false_positives: Vec<_> = found
        .iter()
        .filter(|(path, m)| {
            !e.secret
                .iter()
                .any(|p| p.path == *path && p.line == m.line && p.kind == m.kind)
        })
        .map(|(path, m)| format!("{path}:{}:{} {} {}", m.line, m.column, m.kind, m.redacted))
        .collect();
    let total = e.secret.len();
    let recall = (total - missed.len()) as f64 / total as f64;
    println!(
        "corpus: {total} planted secrets, {} look-alikes; recall {:.1}% ({} missed), {} false positives",
        e.lookalikes,
        recall * 100.0,
        missed.len(),
        false_positives.len()
    );
    for m in &missed {
        println!("  missed: {m}");
    }
    for f in &false_positives {
        println!("  false positive: {f}");
    }
    assert!(missed.is_empty(), "recall {recall:.3}; missed {missed:#?}");
    assert!(
        false_positives.is_empty(),
        "false positives: {false_positives:#?}"
    );
}

#[test]
fn spans_cover_exactly_the_planted_value() {
    let e = expected();
    let repo = corpus().join("repo");
    for (path, m) in secrets(&scan_corpus()) {
        let Some(p) = e
            .secret
            .iter()
            .find(|p| p.path == path && p.line == m.line && p.kind == m.kind)
        else {
            continue;
        };
        let text = std::fs::read_to_string(repo.join(&path)).unwrap();
        let line = text.lines().nth(m.line as usize - 1).unwrap();
        let span: String = line
            .chars()
            .skip(m.column as usize - 1)
            .take((m.end_column - m.column) as usize)
            .collect();
        assert_eq!(span, p.value, "{path}:{}", m.line);
    }
}

#[test]
fn no_planted_value_survives_redaction() {
    let e = expected();
    let scans = scan_corpus();
    let json = serde_json::to_string(&scans).unwrap();
    let debug = format!("{scans:?}");
    for p in &e.secret {
        // The PEM entries' "value" is the public header; their bodies are
        // checked below. Default credentials (`postgres`) are public words
        // that occur elsewhere in any output.
        if p.value.starts_with("-----BEGIN") || p.weak {
            continue;
        }
        assert!(!json.contains(&p.value), "{} leaked in JSON", p.path);
        assert!(!debug.contains(&p.value), "{} leaked in Debug", p.path);
        let redacted = infra::scan::redact(&p.value);
        let chars: Vec<char> = p.value.chars().collect();
        for w in chars.windows(5) {
            let w: String = w.iter().collect();
            assert!(
                !redacted.contains(&w),
                "{}: redacted form shows {w}",
                p.path
            );
        }
    }
    // No line of any private key body appears anywhere in the output.
    let repo = corpus().join("repo");
    for key in ["deploy/id_rsa", "keys/deploy_key"] {
        let text = std::fs::read_to_string(repo.join(key)).unwrap();
        for body in text.lines().filter(|l| !l.starts_with("-----")) {
            assert!(!json.contains(body), "{key} body leaked");
        }
    }
    for (_, m) in secrets(&scans) {
        let shown = m.redacted.split('…').next().unwrap();
        assert!(shown.chars().count() <= 4, "{} shows {shown}", m.redacted);
    }
}

#[test]
fn test_mode_and_publishable_keys_expose_their_mode() {
    let all = secrets(&scan_corpus());
    let in_file = |f: &str| -> Vec<&SecretMatch> {
        all.iter().filter(|(p, _)| p == f).map(|(_, m)| m).collect()
    };
    let stripe = in_file("web/src/stripe-test.js");
    let kinds: Vec<_> = stripe.iter().map(|m| (m.rule, m.kind, m.live)).collect();
    assert_eq!(
        kinds,
        [
            ("test-mode-key", "stripe-test-secret-key", Some(false)),
            (
                "publishable-key",
                "stripe-test-publishable-key",
                Some(false)
            ),
            ("publishable-key", "stripe-live-publishable-key", Some(true)),
        ]
    );
    let live = in_file("api/payments.js");
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].live, Some(true));
    assert_eq!(live[0].kind, "stripe-live-secret-key");
}

#[test]
fn no_planted_value_in_any_audit_output_format() {
    let e = expected();
    let repo = corpus().join("repo");
    for format in ["text", "json", "sarif", "junit", "github", "markdown"] {
        let out = assert_cmd::Command::cargo_bin("infra")
            .unwrap()
            .args(["audit", "--format", format, "--color", "always"])
            .arg(&repo)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stdout.contains("hardcoded-secret"),
            "{format}: no hardcoded-secret finding in\n{stdout}\n{stderr}"
        );
        for p in &e.secret {
            if p.value.starts_with("-----BEGIN") || p.weak {
                continue;
            }
            assert!(
                !stdout.contains(&p.value),
                "{format} leaks {}:{}",
                p.path,
                p.line
            );
            assert!(
                !stderr.contains(&p.value),
                "{format} leaks {}:{} on stderr",
                p.path,
                p.line
            );
        }
        for key in ["deploy/id_rsa", "keys/deploy_key"] {
            let text = std::fs::read_to_string(repo.join(key)).unwrap();
            for body in text.lines().filter(|l| !l.starts_with("-----")) {
                assert!(!stdout.contains(body), "{format} leaks a line of {key}");
            }
        }
    }
}
