//! Writing answers back to `infra.toml`. A new file gets explanatory comments;
//! an existing one is edited in place with toml_edit, changing only values
//! that differ, so the user's comments, order and formatting survive.

use super::model::InfraToml;
use toml_edit::{DocumentMut, Item, Value};

const HEADER: &str = "\
# Answers for `infra` (docs/answers.md). Commit this file; never put secrets in it.
# After changing an answer, run `infra update` to re-render the files.
";

/// The text infra.toml should have: `existing` updated to `answers`, or a new file.
pub fn render_infra_toml(existing: Option<&str>, answers: &InfraToml) -> Result<String, String> {
    let fresh_text =
        toml::to_string(answers).map_err(|e| format!("cannot serialise answers: {e}"))?;
    let fresh: DocumentMut = fresh_text
        .parse()
        .map_err(|e| format!("cannot re-read serialised answers: {e}"))?;
    let Some(existing) = existing else {
        return Ok(annotate(&fresh));
    };
    let mut doc: DocumentMut = existing
        .parse()
        .map_err(|e| format!("infra.toml is not valid TOML: {e}"))?;
    sync_table(doc.as_table_mut(), fresh.as_table());
    Ok(doc.to_string())
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

/// A new infra.toml: the header and a comment on the keys people look up.
fn annotate(doc: &DocumentMut) -> String {
    let mut out = String::from(HEADER);
    for line in doc.to_string().lines() {
        let comment = match line.split('=').next().map(str::trim) {
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
        assert_eq!(toml::from_str::<InfraToml>(&text).unwrap(), a);
    }

    #[test]
    fn existing_files_keep_comments_and_change_only_what_differs() {
        let existing = "# ours\n[platform]\ntarget = \"aws\" # we chose aws\nregion = \"eu-west-1\"\n\n[sla]\navailability = 99 # agreed with sales\n";
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
        assert_eq!(toml::from_str::<InfraToml>(&text).unwrap(), a);
    }

    #[test]
    fn unchanged_answers_leave_the_file_byte_identical() {
        let existing = "[project]\nname = 'x'   # odd spacing\n\n[[environments]]\nname = \"dev\"\n\n[[environments]]\nname = \"production\"\nbranch = \"main\"\n";
        let a = answers(existing);
        assert_eq!(render_infra_toml(Some(existing), &a).unwrap(), existing);
    }
}
