//! Writing answers back to `infra.toml`. A new file gets explanatory comments;
//! an existing one is edited in place with toml_edit, changing only values
//! that differ, so the user's comments, order and formatting survive.

use super::model::{InfraToml, SCHEMA_VERSION};
use toml_edit::{DocumentMut, Item, Value};

const HEADER: &str = "\
# Answers for `infra` (docs/answers.md). Commit this file; never put secrets in it.
# After changing an answer, run `infra update` to re-render the files.
";

/// Said next to `schema_version`, which people could take for the app's version.
const SCHEMA_COMMENT: &str = "format of this file, not your app's version";

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot serialise answers: {0}")]
    Serialise(#[from] toml::ser::Error),
    #[error("cannot re-read serialised answers: {0}")]
    Reread(#[source] toml_edit::TomlError),
    #[error("infra.toml is not valid TOML: {0}")]
    Existing(#[source] toml_edit::TomlError),
}

/// The text infra.toml should have: `existing` updated to `answers`, or a new
/// file. Either way it carries the current `schema_version`: a file from
/// before the key existed gets that one line (after its leading comment
/// block), and nothing else changes unless an answer did.
pub fn render_infra_toml(
    existing: Option<&str>,
    answers: &InfraToml,
) -> Result<String, WriteError> {
    let answers = InfraToml {
        schema_version: Some(SCHEMA_VERSION),
        ..answers.clone()
    };
    let fresh_text = toml::to_string(&answers)?;
    let fresh: DocumentMut = fresh_text.parse().map_err(WriteError::Reread)?;
    let Some(existing) = existing else {
        return Ok(annotate(&fresh));
    };
    let mut doc: DocumentMut = existing.parse().map_err(WriteError::Existing)?;
    if !doc.contains_key("schema_version") {
        doc = with_schema_version(existing)
            .parse()
            .map_err(WriteError::Existing)?;
    }
    sync_table(doc.as_table_mut(), fresh.as_table());
    Ok(doc.to_string())
}

/// `existing` with a `schema_version` line: below the file's header (leading
/// comments followed by a blank line), else at the very top. Both are before
/// any table, where a top-level key must be.
fn with_schema_version(existing: &str) -> String {
    let lines: Vec<&str> = existing.split_inclusive('\n').collect();
    let comments = lines
        .iter()
        .take_while(|l| l.trim_start().starts_with('#'))
        .count();
    let header = if comments > 0 && lines.get(comments).is_some_and(|l| l.trim().is_empty()) {
        comments
    } else {
        0
    };
    let mut out: String = lines[..header].concat();
    out.push_str(&format!(
        "schema_version = {SCHEMA_VERSION}  # {SCHEMA_COMMENT}\n"
    ));
    if header == 0 && !existing.trim().is_empty() {
        out.push('\n');
    }
    out.push_str(&lines[header..].concat());
    out
}

/// Make `target` hold what `source` holds, touching only what differs.
fn sync_table(target: &mut toml_edit::Table, source: &toml_edit::Table) {
    let stale: Vec<String> = target
        .iter()
        .filter(|(k, _)| !source.contains_key(k))
        .map(|(k, _)| k.to_string())
        .collect();
    for key in stale {
        target.remove(&key);
    }
    for (key, item) in source.iter() {
        match (target.get_mut(key), item) {
            (Some(Item::Table(t)), Item::Table(s)) => sync_table(t, s),
            (Some(Item::Value(Value::InlineTable(t))), Item::Table(s)) => {
                let mut as_table = t.clone().into_table();
                sync_table(&mut as_table, s);
                *t = as_table.into_inline_table();
            }
            (Some(Item::Value(old)), Item::Value(new)) if same_value(old, new) => {}
            (Some(Item::Value(old)), Item::Value(new)) => {
                let decor = old.decor().clone();
                *old = new.clone();
                *old.decor_mut() = decor;
            }
            (Some(Item::ArrayOfTables(old)), Item::ArrayOfTables(new))
                if old.len() == new.len() =>
            {
                for (o, n) in old.iter_mut().zip(new.iter()) {
                    sync_table(o, n);
                }
            }
            (Some(existing), _) => *existing = item.clone(),
            (None, _) => {
                target.insert(key, item.clone());
            }
        }
    }
}

/// Equal as TOML values (so `99` and `99.0`, or `'x'` and `"x"`, count as unchanged).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.value() == y.value(),
        (Value::Boolean(x), Value::Boolean(y)) => x.value() == y.value(),
        (Value::Integer(x), Value::Integer(y)) => x.value() == y.value(),
        (Value::Float(x), Value::Float(y)) => x.value() == y.value(),
        (Value::Integer(x), Value::Float(y)) | (Value::Float(y), Value::Integer(x)) => {
            (*x.value() as f64) == *y.value()
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| same_value(a, b))
        }
        (x, y) => x.to_string().trim() == y.to_string().trim(),
    }
}

/// A new infra.toml: the schema directive for editors, the header and a
/// comment on the keys people look up.
fn annotate(doc: &DocumentMut) -> String {
    let mut out = format!("{}\n{HEADER}", super::schema::DIRECTIVE);
    for line in doc.to_string().lines() {
        let comment = match line.split('=').next().map(str::trim) {
            Some("schema_version") => Some(SCHEMA_COMMENT),
            Some("target") => Some("vercel | netlify | aws | gcp | azure | fly | kubernetes"),
            Some("approval") => Some("deploys wait for a reviewer"),
            Some("availability") => Some("percent"),
            Some("rpo_hours") => Some("most data you may lose"),
            Some("rto_hours") => Some("longest restore"),
            Some("backup_frequency") => Some("hourly | daily | weekly"),
            Some("fail_on") => Some("error | warning | note"),
            _ => None,
        };
        if line.starts_with('[') && !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str(line);
        if let Some(c) = comment {
            out.push_str(&format!("  # {c}"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(text: &str) -> InfraToml {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn new_files_round_trip_and_are_commented() {
        let a = answers(
            "[platform]\ntarget = \"aws\"\nregion = \"eu-west-1\"\n[sla]\navailability = 99.9\n",
        );
        let text = render_infra_toml(None, &a).unwrap();
        assert!(
            text.contains("target = \"aws\"  # vercel | netlify"),
            "{text}"
        );
        let versioned = InfraToml {
            schema_version: Some(1),
            ..a
        };
        assert_eq!(toml::from_str::<InfraToml>(&text).unwrap(), versioned);
    }

    #[test]
    fn existing_files_keep_comments_and_change_only_what_differs() {
        let existing = "# ours\nschema_version = 1\n[platform]\ntarget = \"aws\" # we chose aws\nregion = \"eu-west-1\"\n\n[sla]\navailability = 99 # agreed with sales\n";
        let a = answers(
            "[platform]\ntarget = \"aws\"\nregion = \"us-east-1\"\n[sla]\navailability = 99.0\n",
        );
        let text = render_infra_toml(Some(existing), &a).unwrap();
        assert!(text.starts_with("# ours\n"), "{text}");
        assert!(text.contains("target = \"aws\" # we chose aws"), "{text}");
        assert!(
            text.contains("availability = 99 # agreed with sales"),
            "{text}"
        );
        assert!(text.contains("region = \"us-east-1\""), "{text}");
        let versioned = InfraToml {
            schema_version: Some(1),
            ..a
        };
        assert_eq!(toml::from_str::<InfraToml>(&text).unwrap(), versioned);
    }

    #[test]
    fn unchanged_answers_leave_the_file_byte_identical() {
        let existing = "schema_version = 1\n[project]\nname = 'x'   # odd spacing\n\n[[environments]]\nname = \"dev\"\n\n[[environments]]\nname = \"production\"\nbranch = \"main\"\n";
        let a = answers(existing);
        assert_eq!(render_infra_toml(Some(existing), &a).unwrap(), existing);
    }

    #[test]
    fn new_files_carry_the_schema_version_under_the_header() {
        let text = render_infra_toml(None, &answers("[project]\nname = \"x\"\n")).unwrap();
        let want = format!(
            "{}\n{HEADER}schema_version = 1  # {SCHEMA_COMMENT}\n\n[project]\n",
            super::super::schema::DIRECTIVE
        );
        assert!(text.starts_with(&want), "{text}");
    }

    #[test]
    fn files_without_a_schema_version_get_exactly_one_line() {
        // With a header: the line goes below it.
        let old = format!("{HEADER}\n[project]\nname = \"x\"  # ours\n");
        let a = answers(&old);
        let text = render_infra_toml(Some(&old), &a).unwrap();
        let want = format!(
            "{HEADER}schema_version = 1  # {SCHEMA_COMMENT}\n\n[project]\nname = \"x\"  # ours\n"
        );
        assert_eq!(text, want);
        // Without one (a comment that belongs to the first table stays with it).
        let old = "# the project\n[project]\nname = \"x\"\n";
        let text = render_infra_toml(Some(old), &answers(old)).unwrap();
        assert_eq!(
            text,
            format!("schema_version = 1  # {SCHEMA_COMMENT}\n\n{old}")
        );
        // Idempotent: the second render changes nothing.
        assert_eq!(
            render_infra_toml(Some(&text), &answers(&text)).unwrap(),
            text
        );
    }
}
