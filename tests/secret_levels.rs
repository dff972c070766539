//! A secret under a test or fixture folder is still reported, one level
//! lower than the same secret in application code (issue 5).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;

#[test]
fn fixture_secrets_are_reported_one_level_lower() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Built at run time so this source file holds no token itself.
    let app_key = format!("{}{}", "ghp_", "Zq8r3xLp0vN2Tw9kQm4Yb7Hc1Jd5Fg6Ks8Ua");
    let fixture_key = format!("{}{}", "ghp_", "Ab7kP2mQ9wXr4Ts1Vn8Yc3Hd6Jf0Lg5Ze2Ub");
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::create_dir_all(root.join("tests/fixtures")).unwrap();
    std::fs::write(root.join("README.md"), "# App\n").unwrap();
    std::fs::write(
        root.join("src/app.js"),
        format!("const token = \"{app_key}\";\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("tests/fixtures/client.js"),
        format!("const token = \"{fixture_key}\";\n"),
    )
    .unwrap();
    let out = Command::cargo_bin("infra")
        .unwrap()
        .args(["audit", "--format", "json"])
        .arg(root)
        .env_remove("CI")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        !stdout.contains(&app_key) && !stdout.contains(&fixture_key),
        "a secret was printed"
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let level_at = |path: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "hardcoded-secret" && f["path"] == path)
            .map(|f| f["level"].as_str().unwrap().to_string())
    };
    assert_eq!(level_at("src/app.js").as_deref(), Some("error"));
    assert_eq!(
        level_at("tests/fixtures/client.js").as_deref(),
        Some("warning")
    );
}

#[test]
fn default_credentials_in_app_code_are_reported_one_level_lower_with_why() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("README.md"), "# App\n").unwrap();
    std::fs::write(
        root.join("src/db.js"),
        "const url = \"postgres://postgres:postgres@db/postgres\";\n",
    )
    .unwrap();
    let out = Command::cargo_bin("infra")
        .unwrap()
        .args(["audit", "--format", "json"])
        .arg(root)
        .env_remove("CI")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "hardcoded-secret" && f["path"] == "src/db.js")
        .cloned()
        .expect("a default credential is reported, never passed silently");
    assert_eq!(found["level"], "warning");
    let message = found["message"].as_str().unwrap();
    assert!(message.contains("default credential"), "{message}");
    assert!(message.contains("src/db.js"), "{message}");
}
