//! `infra context` end to end: snapshots of the text and JSON output over the
//! fixture repos, usage errors, and hostile input that must not crash discovery.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/context")
}

fn infra() -> Command {
    let mut cmd = Command::cargo_bin("infra").unwrap();
    cmd.env("NO_COLOR", "1").env_remove("CI");
    cmd
}

/// Run `infra context <fixture>` from the fixtures folder so paths are relative.
fn context(fixture: &str, format: &str) -> String {
    let out = infra()
        .current_dir(fixtures())
        .args(["context", fixture, "--format", format, "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(fixture: &str) -> serde_json::Value {
    serde_json::from_str(&context(fixture, "json")).unwrap()
}

macro_rules! fixture_snapshots {
    ($($test:ident => $fixture:literal),* $(,)?) => {$(
        #[test]
        fn $test() {
            insta::assert_snapshot!(concat!($fixture, "-text"), context($fixture, "text"));
            insta::assert_snapshot!(concat!($fixture, "-json"), context($fixture, "json"));
        }
    )*};
}

fixture_snapshots! {
    node_fixture => "node",
    python_fixture => "python",
    rust_fixture => "rust",
    go_fixture => "go",
    k8s_terraform_fixture => "k8s-terraform",
}

fn service_ids(v: &serde_json::Value) -> Vec<String> {
    v["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn fixtures_find_their_stacks_services_and_platforms() {
    let node = json("node");
    assert_eq!(node["version"], 1);
    assert_eq!(
        service_ids(&node),
        ["postgresql", "redis", "stripe", "sendgrid"]
    );
    assert_eq!(node["platform_hints"][1]["platform"], "vercel");
    assert_eq!(
        node["stacks"][0]["frameworks"],
        serde_json::json!(["next", "react"])
    );
    assert_eq!(
        node["stacks"][1]["frameworks"],
        serde_json::json!(["express"])
    );

    let python = json("python");
    assert_eq!(
        service_ids(&python),
        ["mysql", "postgresql", "rabbitmq", "twilio"]
    );
    assert_eq!(python["platform_hints"][0]["region"], "ams");

    let rust = json("rust");
    assert_eq!(service_ids(&rust), ["postgresql", "s3"]);
    assert_eq!(
        rust["platform_hints"][0]["platform"],
        serde_json::Value::Null
    );

    let go = json("go");
    assert_eq!(service_ids(&go), ["mongodb", "kafka", "sentry"]);
    let envs: Vec<_> = go["environments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].clone())
        .collect();
    assert_eq!(envs, ["staging", "production"]);

    let k8s = json("k8s-terraform");
    assert_eq!(service_ids(&k8s), ["postgresql", "redis", "s3", "sqs"]);
    let limits: Vec<_> = k8s["kubernetes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["kind"].as_str().unwrap().to_string(),
                o["has_resource_limits"].clone(),
            )
        })
        .collect();
    assert!(limits.contains(&("Deployment".into(), serde_json::json!(true))));
    assert!(limits.contains(&("CronJob".into(), serde_json::json!(false))));
    // The go-templated chart file is neither parsed nor reported.
    assert_eq!(k8s["problems"], serde_json::json!([]));
}

#[test]
fn json_never_contains_env_values() {
    for fixture in ["node", "python", "rust", "go", "k8s-terraform"] {
        let out = context(fixture, "json");
        for value in [
            "redis://localhost:6379",
            "postgres://vault@localhost/vault",
            "eu-central-1",
            "https://api.shop.example.com",
        ] {
            assert!(!out.contains(value), "{fixture} leaks {value}");
        }
    }
}

#[test]
fn other_formats_are_a_usage_error() {
    let out = infra()
        .current_dir(fixtures())
        .args(["context", "node", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("text or json"), "{err}");
}

#[test]
fn missing_or_non_directory_path_is_a_usage_error() {
    let out = infra()
        .args(["context", "/definitely/not/here"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
    let out = infra()
        .current_dir(fixtures())
        .args(["context", "node/package.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a directory"));
}

fn write(root: &Path, path: &str, bytes: &[u8]) {
    let full = root.join(path);
    fs::create_dir_all(full.parent().unwrap()).unwrap();
    fs::write(full, bytes).unwrap();
}

fn run_json(root: &Path) -> serde_json::Value {
    let out = infra()
        .args(["context", "--format", "json"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn invalid_utf8_binary_and_malformed_manifests_do_not_crash() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "README.md",
        b"# Caf\xe9 \xff\n\nBroken \xc3\x28 bytes but still prose.\n",
    );
    write(root, "logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    write(
        root,
        "package.json",
        b"{\"name\": \"x\", \"dependencies\": {\"pg\": ",
    );
    write(root, "pyproject.toml", b"[project\nname = ");
    write(
        root,
        "docker-compose.yml",
        b"services:\n  db:\n    image: [postgres\n",
    );
    write(root, "config/production.json", b"{,}");
    write(
        root,
        "src/app.js",
        b"const a = process.env.\xffBAD;\nconst b = process.env.GOOD_VAR;\n",
    );
    let v = run_json(root);
    let problems: Vec<(String, u64)> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["location"]["path"].as_str().unwrap().to_string(),
                p["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let paths: Vec<&str> = problems.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "config/production.json",
            "docker-compose.yml",
            "package.json",
            "pyproject.toml"
        ]
    );
    assert!(problems.iter().all(|(_, line)| *line >= 1), "{problems:?}");
    assert_eq!(v["stats"]["skipped_binary"], 1);
    assert!(v["project"]["name"].as_str().unwrap().starts_with("Caf"));
    let vars: Vec<_> = v["env_vars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].clone())
        .collect();
    assert_eq!(vars, ["GOOD_VAR"]);
}

#[test]
fn infraignore_hides_files_from_discovery() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "src/a.js", b"process.env.KEPT;\n");
    write(root, "generated/b.js", b"process.env.HIDDEN;\n");
    write(root, "node_modules/x/c.js", b"process.env.VENDORED;\n");
    write(root, ".infraignore", b"generated/\n");
    let v = run_json(root);
    let vars: Vec<_> = v["env_vars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].clone())
        .collect();
    assert_eq!(vars, ["KEPT"]);
}

#[test]
fn empty_repo_has_an_empty_context() {
    let dir = tempfile::tempdir().unwrap();
    let v = run_json(dir.path());
    assert_eq!(v["plan"], serde_json::Value::Null);
    assert_eq!(v["stacks"], serde_json::json!([]));
    assert_eq!(v["stats"]["files"], 0);
    let text = infra().arg("context").arg(dir.path()).output().unwrap();
    assert_eq!(text.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&text.stdout).contains("no projectplan.md"));
}
