//! The JSON Schema of infra.toml (src/answers/schema.rs): the committed copy
//! is what the generator makes, it accepts what infra accepts and refuses
//! typical mistakes, and `infra init` points new files at it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use infra::answers::schema;
use serde_json::Value;
use std::path::Path;

const COMMITTED: &str = "docs/infra.toml.schema.json";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft4::options()
        .build(&schema::json_schema())
        .unwrap()
}

fn as_json(toml_text: &str) -> Value {
    let value: toml::Value = toml::from_str(toml_text).unwrap();
    serde_json::to_value(value).unwrap()
}

fn errors(toml_text: &str) -> Vec<String> {
    validator()
        .iter_errors(&as_json(toml_text))
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let generated = schema::schema_text();
    let path = repo().join(COMMITTED);
    if std::env::var_os("INFRA_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{COMMITTED} is out of date: INFRA_UPDATE_SCHEMA=1 cargo test --test schema"
    );
}

#[test]
fn every_key_and_every_field_of_the_answer_types_is_described() {
    let s = schema::json_schema();
    for info in infra::answers::keys::KEYS {
        let mut at = &s;
        for part in info.key.split('.') {
            at = &at["properties"][part];
        }
        assert!(at.is_object(), "{} is not in the schema", info.key);
        assert!(
            at["description"].is_string(),
            "{} has no description",
            info.key
        );
    }
    for (field, _, _) in infra::answers::keys::ENV_FIELDS {
        assert!(
            s["properties"]["environments"]["items"]["properties"][field].is_object(),
            "environments.*.{field}"
        );
    }
    // Every field the answer types have, filled in, is accepted: a field the
    // schema lacks would be refused (additionalProperties is false).
    let full: infra::answers::InfraToml = toml::from_str(
        r#"
schema_version = 1
[project]
name = "x"
[platform]
target = "gcp"
region = "europe-west1"
[[environments]]
name = "production"
branch = "main"
url = "https://x.example"
approval = true
[sla]
availability = 99.9
latency_p95_ms = 300
error_rate_percent = 1.0
rpo_hours = 24.0
rto_hours = 4.0
[data]
stores = ["postgresql"]
backup_frequency = "daily"
backup_retention_days = 30
[alerts]
channel = "slack:#ops"
[templates]
dir = ".infra/templates"
[audit]
fail_on = "error"
allow_inline_ignores = true
[[audit.ignore]]
rule = "readme-missing"
paths = ["a/**"]
reason = "generated"
[audit.rules]
plaintext-http = "off"
"#,
    )
    .unwrap();
    let json = serde_json::to_value(&full).unwrap();
    let problems: Vec<String> = validator()
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
    let fields = |v: &Value| v.as_object().map(|o| o.len()).unwrap_or(0);
    assert_eq!(
        fields(&json),
        9,
        "a top-level field was added: describe it in the schema"
    );
}

#[test]
fn what_infra_accepts_the_schema_accepts() {
    let example = std::fs::read_to_string(repo().join("examples/shopfront/infra.toml")).unwrap();
    assert_eq!(errors(&example), Vec::<String>::new());
    let answers_md = std::fs::read_to_string(repo().join("docs/answers.md")).unwrap();
    let block = answers_md
        .split("## Example\n\n```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/answers.md has an example");
    assert_eq!(errors(block), Vec::<String>::new());
}

#[test]
fn typical_mistakes_are_refused() {
    for (text, what) in [
        ("[sla]\navailability = \"high\"\n", "a string for a number"),
        ("[sla]\navailability = 100.5\n", "out of range"),
        ("[sla]\nerror_rate_percent = 0\n", "exclusive minimum"),
        ("[sla]\nuptime = 3\n", "an unknown key"),
        ("colour = \"red\"\n", "an unknown top-level key"),
        ("[platform]\ntarget = \"heroku\"\n", "an unknown platform"),
        (
            "[platform]\ntarget = \"aws\"\nregion = \"mars-central-9\"\n",
            "a region AWS does not have",
        ),
        (
            "[platform]\ntarget = \"aws\"\nregion = \"europe-west1\"\n",
            "a GCP region on AWS",
        ),
        (
            "[data]\nbackup_frequency = \"monthly\"\n",
            "an unknown frequency",
        ),
        (
            "[[environments]]\nbranch = \"main\"\n",
            "an environment without a name",
        ),
        (
            "[[environments]]\nname = \"Prod\"\n",
            "a name with capitals",
        ),
        (
            "[alerts]\nchannel = \"carrier-pigeon:x\"\n",
            "an unknown alert kind",
        ),
        ("[audit]\nfail_on = \"warn\"\n", "a level that is not one"),
        (
            "[audit.rules]\nreadme-missing = \"loud\"\n",
            "a rule level that is not one",
        ),
        ("schema_version = 99\n", "a newer format"),
    ] {
        assert!(!errors(text).is_empty(), "accepted {what}: {text}");
    }
    // Targets without regions take any region field as it is (infra ignores it).
    assert_eq!(
        errors("[platform]\ntarget = \"vercel\"\n"),
        Vec::<String>::new()
    );
}

#[test]
fn init_points_a_new_infra_toml_at_the_schema_and_writes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = assert_cmd::Command::cargo_bin("infra").unwrap();
    cmd.current_dir(dir.path()).env_remove("CI");
    for (key, _) in std::env::vars() {
        if key.starts_with("INFRA_") {
            cmd.env_remove(key);
        }
    }
    cmd.args([
        "init",
        ".",
        "--no-input",
        "--set=platform.target=fly",
        "--set=platform.region=ams",
        "--set=environments=dev,staging,production",
        "--set=sla.availability=99.9",
        "--set=sla.latency_p95_ms=300",
        "--set=sla.error_rate_percent=1",
        "--set=alerts.channel=slack:#ops",
    ])
    .assert()
    .success();
    let text = std::fs::read_to_string(dir.path().join("infra.toml")).unwrap();
    assert_eq!(text.lines().next(), Some(schema::DIRECTIVE), "{text}");
    let written = std::fs::read_to_string(dir.path().join(schema::SCHEMA_PATH)).unwrap();
    assert_eq!(written, schema::schema_text());
    // The directive resolves from infra.toml's folder.
    let target = schema::DIRECTIVE
        .trim_start_matches("#:schema ")
        .trim_start_matches("./");
    assert_eq!(target, schema::SCHEMA_PATH);
    // What init wrote is valid against the schema it wrote.
    assert_eq!(errors(&text), Vec::<String>::new());
}
