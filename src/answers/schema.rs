//! The JSON Schema of `infra.toml`, for editors (taplo, even-better-toml):
//! generated from the key table in `keys.rs` (types, help, ranges, choices),
//! the per-environment fields, the platforms' region lists and the shape of
//! `[audit]`, so it cannot drift from what infra accepts. Draft 4, the
//! draft taplo implements. `tests/schema.rs` checks the committed copy in
//! docs/ and that every field of the answer types is described.

use super::keys::{self, Kind, KEYS};
use super::model::SCHEMA_VERSION;
use super::validate::ALERT_KINDS;
use crate::platform::Platform;
use serde_json::{json, Map, Value};

/// Where `infra init` puts the schema in a repository, next to the lock.
pub const SCHEMA_PATH: &str = ".infra/infra.toml.schema.json";

/// The first line of a new infra.toml: taplo's schema directive, relative
/// to the file.
pub const DIRECTIVE: &str = "#:schema ./.infra/infra.toml.schema.json";

/// Whether infra.toml's text asks for the schema (its directive is there).
pub fn wanted(infra_toml: &str) -> bool {
    infra_toml.lines().any(|l| l.trim_end() == DIRECTIVE)
}

/// The schema as pretty JSON with a final newline, as it is written.
pub fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema()).unwrap_or_default();
    text.push('\n');
    text
}

fn table(description: &str, properties: Map<String, Value>) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("type".into(), json!("object"));
    m.insert("description".into(), json!(description));
    m.insert("additionalProperties".into(), json!(false));
    m.insert("properties".into(), Value::Object(properties));
    m
}

/// The schema of one fixed key's value.
fn value_schema(info: &keys::KeyInfo) -> Value {
    let mut s = Map::new();
    let description = format!("{} (e.g. {})", info.help, info.example);
    s.insert("description".into(), json!(description));
    match info.kind {
        Kind::Text => {
            s.insert("type".into(), json!("string"));
        }
        Kind::Number => {
            s.insert("type".into(), json!("number"));
        }
        Kind::Integer => {
            s.insert("type".into(), json!("integer"));
        }
        Kind::Bool => {
            s.insert("type".into(), json!("boolean"));
        }
        Kind::List => {
            s.insert("type".into(), json!("array"));
            s.insert("items".into(), json!({"type": "string"}));
        }
    }
    if let Some(r) = info.range {
        s.insert("minimum".into(), json!(r.min));
        if r.min_exclusive {
            s.insert("exclusiveMinimum".into(), json!(true));
        }
        s.insert("maximum".into(), json!(r.max));
    }
    if !info.choices.is_empty() {
        s.insert("enum".into(), json!(info.choices));
    }
    match info.key {
        "project.name" => {
            s.insert("minLength".into(), json!(1));
            s.insert("maxLength".into(), json!(100));
        }
        "platform.target" => {
            let ids: Vec<&str> = Platform::ALL
                .iter()
                .flat_map(|p| std::iter::once(p.id()).chain(p.def().aliases.iter().copied()))
                .collect();
            s.insert("enum".into(), json!(ids));
        }
        "platform.region" => {
            s.insert("pattern".into(), json!("^[a-z0-9-]{1,40}$"));
        }
        "alerts.channel" => {
            s.insert(
                "pattern".into(),
                json!(format!("^({}):.+", ALERT_KINDS.join("|"))),
            );
        }
        "data.stores" => {
            s.insert(
                "items".into(),
                json!({"type": "string", "pattern": NAME_PATTERN}),
            );
        }
        _ => {}
    }
    Value::Object(s)
}

/// Environment names and service ids (validate.rs's `check_environment_name`).
const NAME_PATTERN: &str = "^[a-z][a-z0-9-]{0,31}$";

fn environments() -> Value {
    let mut props = Map::new();
    props.insert(
        "name".into(),
        json!({"type": "string", "pattern": NAME_PATTERN,
               "description": "lowercase letters, digits and dashes, starting with a letter (dev, staging, production, …)"}),
    );
    for (field, kind, example) in keys::ENV_FIELDS {
        let (ty, description) = match (*field, kind) {
            ("branch", _) => ("string", "the branch whose pushes deploy here; a valid git branch name, each environment its own"),
            ("url", _) => ("string", "public URL; https outside dev"),
            ("approval", _) => ("boolean", "deploys wait for a reviewer"),
            (_, Kind::Bool) => ("boolean", "per-environment answer"),
            _ => ("string", "per-environment answer"),
        };
        let mut f = json!({"type": ty, "description": format!("{description} (e.g. {example})")});
        if *field == "url" {
            f["pattern"] = json!("^https?://[^/?#\\s]+");
        }
        props.insert(field.to_string(), f);
    }
    let mut env = table("one environment; `name` is required", props);
    env.insert("required".into(), json!(["name"]));
    json!({
        "type": "array",
        "description": "environments in order; the checklist requires at least staging and production (and dev)",
        "items": Value::Object(env),
    })
}

/// `[[audit.ignore]]` and `[audit.rules]`, which no `--set` key reaches.
fn audit_extras(props: &mut Map<String, Value>) {
    props.insert(
        "ignore".into(),
        json!({
            "type": "array",
            "description": "findings to suppress, each with the reason",
            "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["rule", "reason"],
                "properties": {
                    "rule": {"type": "string", "description": "rule id (`infra rules` lists them)"},
                    "paths": {"type": "array", "items": {"type": "string"}, "description": "path globs; empty means everywhere"},
                    "reason": {"type": "string", "minLength": 1, "description": "why the finding does not apply"}
                }
            }
        }),
    );
    let mut levels: Vec<&str> = keys::LEVELS.to_vec();
    levels.push("off");
    props.insert(
        "rules".into(),
        json!({
            "type": "object",
            "description": "per-rule level overrides: rule-id = \"error\" | \"warning\" | \"note\" | \"off\"",
            "additionalProperties": {"type": "string", "enum": levels}
        }),
    );
}

/// A region must be the platform's own: one alternative per platform with
/// regions, and one for every other target (or none).
fn regions_by_platform() -> Value {
    let mut alternatives = Vec::new();
    let mut with_regions = Vec::new();
    for p in Platform::ALL.iter().filter(|p| !p.regions().is_empty()) {
        let names: Vec<&str> = std::iter::once(p.id())
            .chain(p.def().aliases.iter().copied())
            .collect();
        with_regions.extend(names.iter().copied());
        alternatives.push(json!({
            "properties": {
                "target": {"enum": names},
                "region": {"enum": p.regions()}
            }
        }));
    }
    alternatives.push(json!({"properties": {"target": {"not": {"enum": with_regions}}}}));
    alternatives.push(json!({"not": {"required": ["target"]}}));
    Value::Array(alternatives)
}

/// The whole schema.
pub fn json_schema() -> Value {
    let mut root = Map::new();
    root.insert(
        "schema_version".into(),
        json!({
            "type": "integer",
            "minimum": 1,
            "maximum": SCHEMA_VERSION,
            "description": "the format of this file, not your app's version"
        }),
    );
    // Sections in the key table's order.
    let mut sections: Vec<(&str, Map<String, Value>)> = Vec::new();
    for info in KEYS {
        if info.key == "environments" {
            root.insert("environments".into(), environments());
            continue;
        }
        let Some((section, leaf)) = info.key.split_once('.') else {
            continue;
        };
        let at = match sections.iter().position(|(s, _)| *s == section) {
            Some(i) => i,
            None => {
                sections.push((section, Map::new()));
                sections.len() - 1
            }
        };
        sections[at].1.insert(leaf.to_string(), value_schema(info));
    }
    for (section, mut props) in sections {
        if section == "audit" {
            audit_extras(&mut props);
        }
        let about = match section {
            "project" => "[project]: what the service is called",
            "platform" => "[platform]: where the service runs; the region must be one of the platform's",
            "sla" => "[sla]: what the service promises (availability, latency, error rate; RPO and RTO when it keeps data)",
            "data" => "[data]: the data stores backed up, how often and for how long",
            "alerts" => "[alerts]: where alerts go",
            "templates" => "[templates]: template overrides",
            "audit" => "[audit]: how `infra audit` judges the repository",
            _ => "",
        };
        let mut t = table(about, props);
        if section == "platform" {
            t.insert("anyOf".into(), regions_by_platform());
        }
        root.insert(section.to_string(), Value::Object(t));
    }
    let mut schema = table(
        "infra.toml: the answers `infra` renders from (docs/answers.md). Commit it; never put secrets in it.",
        root,
    );
    schema.insert(
        "$schema".into(),
        json!("http://json-schema.org/draft-04/schema#"),
    );
    schema.insert("title".into(), json!("infra.toml"));
    Value::Object(schema)
}
