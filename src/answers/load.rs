//! Turning each answer source into a layer: TOML files (with the position of
//! every key, so errors point at `infra.toml:LINE:COL`), `INFRA_*` variables
//! and `--set` pairs.

use super::error::{AnswersError, Invalid};
use super::keys;
use super::model::{InfraToml, SCHEMA_VERSION};
use std::collections::BTreeMap;
use std::path::Path;

pub const INFRA_TOML: &str = "infra.toml";

/// Where a layer's values came from, highest precedence first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Set,
    AnswersFile(String),
    Env,
    InfraToml,
    Discovered,
    Prompt,
    Default,
}

impl Source {
    pub fn label(&self) -> String {
        match self {
            Source::Set => "--set".into(),
            Source::AnswersFile(p) => format!("--answers {p}"),
            Source::Env => "environment".into(),
            Source::InfraToml => INFRA_TOML.into(),
            Source::Discovered => "discovered".into(),
            Source::Prompt => "prompt".into(),
            Source::Default => "default".into(),
        }
    }
}

/// One source's answers.
#[derive(Debug, Clone)]
pub struct Layer {
    pub source: Source,
    pub toml: InfraToml,
    /// The source gave the environment list itself, not only per-environment fields.
    pub env_list_explicit: bool,
    /// Where each value came from inside the source, by dotted key
    /// (`sla.availability`, `environments.production.url`): `file:line:col`,
    /// `--set sla.availability`, `INFRA_SLA_AVAILABILITY`, or a discovery location.
    pub origins: BTreeMap<String, String>,
}

impl Layer {
    pub fn new(source: Source) -> Self {
        Layer {
            source,
            toml: InfraToml::default(),
            env_list_explicit: false,
            origins: BTreeMap::new(),
        }
    }

    /// Where `key` came from, for error messages.
    pub fn origin(&self, key: &str) -> String {
        self.origins
            .get(key)
            .cloned()
            .unwrap_or_else(|| self.source.label())
    }
}

/// Read `infra.toml` at the repo root; `Ok(None)` when there is none.
pub fn read_infra_toml(root: &Path) -> Result<Option<(InfraToml, String)>, AnswersError> {
    let path = root.join(INFRA_TOML);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let layer = parse_toml_layer(&text, INFRA_TOML, Source::InfraToml)?;
            // The kind decides which audit rules apply: a value that means
            // nothing must not quietly count as a service.
            let kind = layer.toml.project.as_ref().and_then(|p| p.kind.as_deref());
            if let Some(kind) = kind.filter(|k| !super::model::PROJECT_KINDS.contains(k)) {
                return Err(AnswersError::Invalid(vec![super::error::Invalid {
                    key: "project.kind".into(),
                    origin: layer.origin("project.kind"),
                    message: format!(
                        "{kind:?} is not a project kind: give {}",
                        super::model::PROJECT_KINDS.join(", ")
                    ),
                }]));
            }
            Ok(Some((layer.toml, text)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(AnswersError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
            kind: e.kind(),
        }),
    }
}

/// Parse TOML text shaped like `infra.toml` into a layer, recording the
/// position of every key. `display` is the path shown in errors.
pub fn parse_toml_layer(text: &str, display: &str, source: Source) -> Result<Layer, AnswersError> {
    let table = toml::de::DeTable::parse(text).ok();
    if let Some(table) = &table {
        check_schema_version(text, display, table.get_ref())?;
    }
    let toml: InfraToml = toml::from_str(text).map_err(|e| {
        let offset = e.span().map(|s| s.start);
        let (line, column) = offset.map(|o| line_col(text, o)).unwrap_or((1, 1));
        let key = match (&table, offset) {
            (Some(table), Some(offset)) => key_at(table.get_ref(), offset, ""),
            _ => key_on_line(text, line),
        };
        AnswersError::Syntax {
            path: display.to_string(),
            line,
            column,
            message: plain_message(e.message().trim(), key.as_deref()),
            key,
        }
    })?;
    let mut layer = Layer::new(source);
    layer.env_list_explicit = toml.environments.is_some();
    layer.toml = toml;
    if let Some(table) = &table {
        index_positions(text, display, table.get_ref(), "", &mut layer.origins);
    }
    Ok(layer)
}

/// Refuse a `schema_version` newer than this build, at its line and column,
/// before the rest is read: a newer file may hold keys this build rejects.
fn check_schema_version(
    text: &str,
    display: &str,
    table: &toml::de::DeTable<'_>,
) -> Result<(), AnswersError> {
    let Some(value) = table.get("schema_version") else {
        return Ok(());
    };
    let toml::de::DeValue::Integer(found) = value.get_ref() else {
        return Ok(()); // not an integer: the typed parse reports it
    };
    let Some(found) = i64::from_str_radix(found.as_str(), found.radix()).ok() else {
        return Ok(());
    };
    match crate::file_version::unsupported("schema_version", found, SCHEMA_VERSION) {
        None => Ok(()),
        Some(message) => {
            let (line, column) = line_col(text, value.span().start);
            Err(AnswersError::Syntax {
                path: display.to_string(),
                line,
                column,
                // The message starts with the key already.
                key: None,
                message,
            })
        }
    }
}

/// Record `display:line:col` for every value, keyed like `--set` keys; array
/// entries of `environments` are keyed by their `name`.
fn index_positions(
    text: &str,
    display: &str,
    table: &toml::de::DeTable<'_>,
    prefix: &str,
    out: &mut BTreeMap<String, String>,
) {
    use toml::de::DeValue;
    for (key, value) in table.iter() {
        let key_name = key.get_ref().as_ref();
        let path = if prefix.is_empty() {
            key_name.to_string()
        } else {
            format!("{prefix}.{key_name}")
        };
        let (line, col) = line_col(text, value.span().start);
        out.insert(path.clone(), format!("{display}:{line}:{col}"));
        match value.get_ref() {
            DeValue::Table(inner) => index_positions(text, display, inner, &path, out),
            DeValue::Array(items) if path == "environments" => {
                for item in items.iter() {
                    if let DeValue::Table(env) = item.get_ref() {
                        let name = env.get("name").and_then(|n| match n.get_ref() {
                            DeValue::String(s) => Some(s.to_string()),
                            _ => None,
                        });
                        if let Some(name) = name {
                            let env_prefix = format!("environments.{name}");
                            let (l, c) = line_col(text, item.span().start);
                            out.insert(env_prefix.clone(), format!("{display}:{l}:{c}"));
                            index_positions(text, display, env, &env_prefix, out);
                        }
                    }
                }
            }
            DeValue::Array(items) if path == "audit.ignore" => {
                for (i, item) in items.iter().enumerate() {
                    if let DeValue::Table(entry) = item.get_ref() {
                        index_positions(text, display, entry, &format!("{path}.{i}"), out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The dotted key whose name or value holds byte `offset`, keyed like
/// `--set` keys (`environments.production.approval`). Tables are searched
/// whole: the span of `[sla]` is its header, not its body.
fn key_at(table: &toml::de::DeTable<'_>, offset: usize, prefix: &str) -> Option<String> {
    use toml::de::DeValue;
    let inside = |span: std::ops::Range<usize>| {
        span.start <= offset && offset < span.end.max(span.start + 1)
    };
    for (key, value) in table.iter() {
        let name = key.get_ref().as_ref();
        let path = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        };
        if inside(key.span()) {
            return Some(path);
        }
        match value.get_ref() {
            DeValue::Table(inner) => {
                if let Some(found) = key_at(inner, offset, &path) {
                    return Some(found);
                }
            }
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let DeValue::Table(entry) = item.get_ref() {
                        let label = entry
                            .get("name")
                            .and_then(|n| match n.get_ref() {
                                DeValue::String(s) if path == "environments" => Some(s.to_string()),
                                _ => None,
                            })
                            .unwrap_or_else(|| i.to_string());
                        if let Some(found) = key_at(entry, offset, &format!("{path}.{label}")) {
                            return Some(found);
                        }
                    }
                }
                if inside(value.span()) {
                    return Some(path);
                }
            }
            _ if inside(value.span()) => return Some(path),
            _ => {}
        }
    }
    None
}

/// For text that is not TOML at all: the key written on `line`, under the
/// table header above it (`[sla]` then `availability = ` ⇒ `sla.availability`).
fn key_on_line(text: &str, line: u32) -> Option<String> {
    let mut table = String::new();
    for (i, l) in text.lines().enumerate() {
        let l = l.trim();
        if let Some(header) = l.strip_prefix('[') {
            let header = header.trim_start_matches('[');
            if let Some(end) = header.find(']') {
                table = header[..end].trim().to_string();
            }
        }
        if i + 1 == line as usize {
            let (key, _) = l.split_once('=')?;
            let key = key.trim().trim_matches('"');
            let ok = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
            return ok.then(|| {
                if table.is_empty() {
                    key.to_string()
                } else {
                    format!("{table}.{key}")
                }
            });
        }
    }
    None
}

/// serde's wording (`expected f64`) in the user's terms, with an example of
/// a good value for the key when there is one.
fn plain_message(message: &str, key: Option<&str>) -> String {
    let mut out = message
        .replace("expected f64", "expected a number")
        .replace("expected u32", "expected a whole number")
        .replace("expected a sequence", "expected a list")
        .replace("expected a string", "expected text in quotes");
    let typed = out.starts_with("invalid type") || out.starts_with("invalid value");
    if let (true, Some(key)) = (typed, key) {
        if let Some(info) = keys::KEYS.iter().find(|k| k.key == key) {
            let example = match info.kind {
                keys::Kind::Text => format!("\"{}\"", info.example),
                keys::Kind::List => format!(
                    "[{}]",
                    keys::parse_list(info.example)
                        .iter()
                        .map(|s| format!("\"{s}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => info.example.to_string(),
            };
            let leaf = key.rsplit('.').next().unwrap_or(key);
            out.push_str(&format!(" (e.g. {leaf} = {example})"));
        }
    }
    out
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line as u32, column as u32)
}

/// Read `--answers FILE`.
pub fn read_answers_file(path: &Path) -> Result<Layer, AnswersError> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| AnswersError::Io {
        path: display.clone(),
        message: e.to_string(),
        kind: e.kind(),
    })?;
    parse_toml_layer(&text, &display, Source::AnswersFile(display.clone()))
}

/// The `--set KEY=VALUE` pairs, in order (a later pair wins).
pub fn set_layer(pairs: &[String]) -> Result<Layer, AnswersError> {
    let mut layer = Layer::new(Source::Set);
    let mut invalid = Vec::new();
    for pair in pairs {
        let Some((key, value)) = pair.split_once('=') else {
            invalid.push(Invalid {
                key: pair.clone(),
                origin: "--set".into(),
                message: format!("`{pair}` is not KEY=VALUE"),
            });
            continue;
        };
        let key = key.trim();
        let mut explicit = layer.env_list_explicit;
        match keys::set(&mut layer.toml, key, value, &mut explicit) {
            Ok(()) => {
                layer.env_list_explicit = explicit;
                layer
                    .origins
                    .insert(key.to_string(), format!("--set {key}"));
            }
            Err(message) => invalid.push(Invalid {
                key: key.to_string(),
                origin: format!("--set {key}"),
                message,
            }),
        }
    }
    if invalid.is_empty() {
        Ok(layer)
    } else {
        Err(AnswersError::Invalid(invalid))
    }
}

/// `INFRA_*` variables. Unrecognised `INFRA_` names are ignored: the prefix is
/// not ours alone, but the names we read are listed in docs/answers.md.
pub fn env_layer(vars: &[(String, String)]) -> Result<Layer, AnswersError> {
    let mut layer = Layer::new(Source::Env);
    let mut invalid = Vec::new();
    let lookup: BTreeMap<&str, &str> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut apply = |key: String, var: &str, value: &str, layer: &mut Layer| {
        let mut explicit = layer.env_list_explicit;
        match keys::set(&mut layer.toml, &key, value, &mut explicit) {
            Ok(()) => {
                layer.env_list_explicit = explicit;
                layer.origins.insert(key, var.to_string());
            }
            Err(message) => invalid.push(Invalid {
                key,
                origin: var.to_string(),
                message,
            }),
        }
    };
    for info in keys::KEYS {
        let var = keys::env_name(info.key);
        if let Some(value) = lookup.get(var.as_str()) {
            apply(info.key.to_string(), &var, value, &mut layer);
        }
    }
    // Per-environment keys: INFRA_ENVIRONMENTS_<NAME>_<FIELD>.
    for (var, value) in &lookup {
        let Some(rest) = var.strip_prefix("INFRA_ENVIRONMENTS_") else {
            continue;
        };
        for (field, _, _) in keys::ENV_FIELDS {
            let suffix = format!("_{}", field.to_ascii_uppercase());
            if let Some(env) = rest.strip_suffix(&suffix) {
                if !env.is_empty() {
                    let name = env.to_ascii_lowercase().replace('_', "-");
                    apply(
                        format!("environments.{name}.{field}"),
                        var,
                        value,
                        &mut layer,
                    );
                }
            }
        }
    }
    if invalid.is_empty() {
        Ok(layer)
    } else {
        Err(AnswersError::Invalid(invalid))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_point_at_line_and_column() {
        let err = parse_toml_layer("[sla]\navailability = \n", "infra.toml", Source::InfraToml)
            .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("infra.toml:2:"), "{text}");
    }

    #[test]
    fn unknown_keys_are_named_with_their_line() {
        let err = parse_toml_layer(
            "[project]\nname = \"x\"\n\n[platform]\ntarget = \"aws\"\ncolour = \"red\"\n",
            "infra.toml",
            Source::InfraToml,
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("infra.toml:6:1"), "{text}");
        assert!(text.contains("colour"), "{text}");
    }

    #[test]
    fn positions_are_indexed_by_key() {
        let layer = parse_toml_layer(
            "[sla]\navailability = 99.9\n\n[[environments]]\nname = \"production\"\nurl = \"http://x\"\n",
            "infra.toml",
            Source::InfraToml,
        )
        .unwrap();
        assert_eq!(layer.origin("sla.availability"), "infra.toml:2:16");
        assert_eq!(
            layer.origin("environments.production.url"),
            "infra.toml:6:7"
        );
        assert!(layer.env_list_explicit);
    }

    #[test]
    fn env_layer_reads_fixed_and_per_environment_keys() {
        let vars = vec![
            ("INFRA_PLATFORM_TARGET".to_string(), "gcp".to_string()),
            (
                "INFRA_ENVIRONMENTS_PRODUCTION_URL".to_string(),
                "https://x.dev".to_string(),
            ),
            ("INFRA_UNRELATED".to_string(), "1".to_string()),
        ];
        let layer = env_layer(&vars).unwrap();
        assert_eq!(layer.toml.platform.unwrap().target.as_deref(), Some("gcp"));
        let envs = layer.toml.environments.unwrap();
        assert_eq!(envs[0].name, "production");
        assert!(!layer.env_list_explicit);
        assert_eq!(layer.origins["platform.target"], "INFRA_PLATFORM_TARGET");
    }

    #[test]
    fn wrong_types_name_the_key_line_and_column() {
        let err = parse_toml_layer(
            "[project]\nname = \"x\"\n\n[sla]\navailability = \"high\"\n",
            "infra.toml",
            Source::InfraToml,
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("infra.toml:5:16: sla.availability: invalid type: string \"high\", expected a number"),
            "{text}"
        );
        assert!(text.contains("(e.g. availability = 99.9)"), "{text}");
        assert!(!text.contains("f64"), "{text}");
    }

    #[test]
    fn wrong_types_inside_environments_name_the_environment() {
        let err = parse_toml_layer(
            "[[environments]]\nname = \"dev\"\n\n[[environments]]\nname = \"production\"\napproval = \"yes\"\n",
            "infra.toml",
            Source::InfraToml,
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("infra.toml:6:12: environments.production.approval: "),
            "{text}"
        );
    }

    #[test]
    fn unknown_keys_are_named_with_their_table() {
        let err =
            parse_toml_layer("[sla]\nuptime = 3\n", "infra.toml", Source::InfraToml).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("infra.toml:2:1: sla.uptime: unknown field"),
            "{err}"
        );
    }

    #[test]
    fn syntax_errors_name_the_key_on_their_line() {
        let err = parse_toml_layer(
            "[platform]\ntarget = \"aws\n",
            "infra.toml",
            Source::InfraToml,
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("infra.toml:2:"), "{text}");
        assert!(text.contains(": platform.target: "), "{text}");
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
        assert_eq!(line_col("", 5), (1, 1));
    }
}
