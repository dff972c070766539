//! Errors from reading and validating answers; each names the key, where the
//! value came from, and how to fix it.

use std::fmt;

#[derive(Debug, thiserror::Error)]
pub enum AnswersError {
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        path: String,
        line: u32,
        column: u32,
        message: String,
    },
    #[error("cannot read {path}: {message}")]
    Io { path: String, message: String },
    #[error("{}", list_invalid(.0))]
    Invalid(Vec<Invalid>),
    #[error("{}", list_missing(.0))]
    Missing(Vec<Missing>),
    #[error("interrupted: nothing was written")]
    Interrupted,
    #[error("prompt failed: {0}")]
    Prompt(String),
}

/// A value that failed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    pub key: String,
    /// `infra.toml:12:16`, `--set sla.availability`, `INFRA_PLATFORM_TARGET`, …
    pub origin: String,
    pub message: String,
}

/// An answer no source supplied and no prompt could ask for.
#[derive(Debug, Clone, PartialEq)]
pub struct Missing {
    pub key: String,
    pub help: String,
    pub example: String,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.origin, self.key, self.message)
    }
}

fn list_invalid(items: &[Invalid]) -> String {
    let mut out = format!(
        "{} invalid answer{}:",
        items.len(),
        if items.len() == 1 { "" } else { "s" }
    );
    for item in items {
        out.push_str(&format!("\n  {item}"));
    }
    out
}

fn list_missing(items: &[Missing]) -> String {
    let width = items.iter().map(|m| m.key.len()).max().unwrap_or(0);
    let mut out =
        String::from("missing answers (prompts are off: no terminal, --no-input, or CI is set):");
    for m in items {
        out.push_str(&format!(
            "\n  {:width$}  {}  (--set {}={})",
            m.key, m.help, m.key, m.example
        ));
    }
    out.push_str(
        "\nSupply them with --set KEY=VALUE, --answers FILE, INFRA_* variables, or infra.toml (see docs/answers.md). Nothing was written.",
    );
    out
}
