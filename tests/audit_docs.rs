//! docs/rules.md, the rule registry and `infra rules` must agree: one
//! heading per rule id, ids unique and kebab-case.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use infra::audit::registry;
use std::path::Path;

const MARKER: &str = "<!-- Everything below is generated from src/audit/registry.rs";

fn generated() -> String {
    let mut out = String::new();
    for m in registry::all_meta() {
        out.push_str(&format!("\n## {}\n\n", m.id));
        out.push_str(&format!(
            "§{} {} · {} · confidence {} · fixed by `infra init`: {}\n\n",
            m.section,
            registry::section_title(m.section),
            m.level,
            m.confidence.id(),
            if m.fixed_by_init { "yes" } else { "no" }
        ));
        out.push_str(&format!("{}.\n\n", m.description));
        out.push_str(&format!("- **Applies:** {}\n", m.applies));
        out.push_str(&format!("- **Why:** {}\n", m.rationale));
        out.push_str(&format!("- **Detection:** {}\n", m.detection));
        let classes = registry::class_policy(m.id);
        if !classes.is_empty() {
            out.push_str(&format!("- **File classes:** {classes}.\n"));
        }
        out.push_str(&format!("- **Fix:** {}\n\n", m.fix));
        out.push_str("Failing example:\n\n```text\n");
        out.push_str(m.fail_example);
        out.push_str("\n```\n\nPassing example:\n\n```text\n");
        out.push_str(m.pass_example);
        out.push_str("\n```\n");
    }
    out
}

#[test]
fn docs_rules_md_matches_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text
        .find(MARKER)
        .expect("generated marker in docs/rules.md");
    let end = start + text[start..].find("-->").unwrap() + 3;
    let (head, body) = text.split_at(end);
    let want = format!("\n{}", generated());
    if std::env::var_os("INFRA_UPDATE_DOCS").is_some() {
        std::fs::write(&path, format!("{head}{want}")).unwrap();
        return;
    }
    assert_eq!(
        body, want,
        "docs/rules.md is out of date: INFRA_UPDATE_DOCS=1 cargo test --test audit_docs"
    );
}

#[test]
fn registry_rules_output_and_doc_headings_agree() {
    let registry_ids: Vec<String> = registry::all_meta().map(|m| m.id.to_string()).collect();

    let out = Command::cargo_bin("infra")
        .unwrap()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cli_ids: Vec<String> = listed["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(registry_ids, cli_ids);

    let text_out = Command::cargo_bin("infra")
        .unwrap()
        .arg("rules")
        .output()
        .unwrap();
    let table = String::from_utf8(text_out.stdout).unwrap();
    let table_ids: Vec<String> = table
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(registry_ids, table_ids);

    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md"))
        .unwrap();
    let generated_part = &doc[doc.find(MARKER).unwrap()..];
    let mut in_fence = false;
    let mut doc_ids: Vec<String> = Vec::new();
    for line in generated_part.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
        } else if let (false, Some(h)) = (in_fence, line.strip_prefix("## ")) {
            doc_ids.push(h.to_string());
        }
    }
    assert_eq!(registry_ids, doc_ids);

    let mut sorted = registry_ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), registry_ids.len(), "rule ids are unique");
    for id in &registry_ids {
        assert!(
            id.split('-').all(|p| !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
            "{id} is kebab-case"
        );
    }
}

#[test]
fn explain_prints_every_part_and_suggests_on_typos() {
    let out = Command::cargo_bin("infra")
        .unwrap()
        .args(["explain", "deploy-no-rollback"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for part in [
        "§3.2",
        "Why:",
        "How it is detected:",
        "How to fix:",
        "Failing example:",
        "Passing example:",
    ] {
        assert!(text.contains(part), "missing {part} in:\n{text}");
    }
    let out = Command::cargo_bin("infra")
        .unwrap()
        .args(["explain", "deploy-no-rolback"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("did you mean \"deploy-no-rollback\""), "{err}");
}
