//! Errors from reading and validating answers; each names the key, where the
//! value came from, and how to fix it.

use std::fmt;

#[derive(Debug, thiserror::Error)]
pub enum AnswersError {
    /// A file shaped like infra.toml that does not parse, or holds a value of
    /// the wrong type: the message names the file, line, column and key.
    #[error("{path}:{line}:{column}: {}{message}", key_prefix(.key))]
    Syntax {
        path: String,
        line: u32,
        column: u32,
        /// The dotted key the error is about, when one can be named.
        key: Option<String>,
        message: String,
    },
    /// A file could not be read (permission denied, a folder in the way, …).
    #[error("cannot read {path}: {message}")]
    Io {
        path: String,
        message: String,
        /// `NotFound` for a path the user gave that is not there (a usage
        /// error), anything else for a file that cannot be read.
        kind: std::io::ErrorKind,
    },
    #[error("{}", list_invalid(.0))]
    Invalid(Vec<Invalid>),
    #[error("{}", list_missing(.missing, .why))]
    Missing {
        missing: Vec<Missing>,
        /// Why nobody was asked.
        why: NoPrompt,
    },
    #[error("interrupted: nothing was written")]
    Interrupted,
    #[error("prompt failed: {0}")]
    Prompt(String),
}

fn key_prefix(key: &Option<String>) -> String {
    key.as_ref().map(|k| format!("{k}: ")).unwrap_or_default()
}

/// Why answers were not asked for at a prompt: said in the "missing answers"
/// message, so it is true for the run that prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoPrompt {
    /// `--no-input` was given.
    NoInputFlag,
    /// The `CI` environment variable is set.
    Ci,
    /// Standard input is not a terminal.
    NotTerminal,
    /// The command never prompts (`update`, `plan`, `check`): its name.
    Command(&'static str),
}

impl fmt::Display for NoPrompt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoPrompt::NoInputFlag => f.write_str("prompts are off because --no-input was given"),
            NoPrompt::Ci => {
                f.write_str("prompts are off because the CI environment variable is set")
            }
            NoPrompt::NotTerminal => {
                f.write_str("prompts are off because standard input is not a terminal")
            }
            NoPrompt::Command(name) => write!(
                f,
                "`infra {name}` never prompts; run `infra init` at a terminal to be asked"
            ),
        }
    }
}

/// A value that failed validation (or, as a warning, one that contradicts another).
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
        if self.origin.is_empty() {
            write!(f, "{}: {}", self.key, self.message)
        } else {
            write!(f, "{}: {}: {}", self.origin, self.key, self.message)
        }
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

fn list_missing(items: &[Missing], why: &NoPrompt) -> String {
    let width = items.iter().map(|m| m.key.len()).max().unwrap_or(0);
    let mut out = format!("missing answers ({why}):");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_missing_message_gives_the_reason_of_this_run() {
        let missing = vec![Missing {
            key: "sla.availability".into(),
            help: "availability".into(),
            example: "99.9".into(),
        }];
        let at_terminal = AnswersError::Missing {
            missing: missing.clone(),
            why: NoPrompt::Command("update"),
        }
        .to_string();
        assert!(
            at_terminal.contains("`infra update` never prompts"),
            "{at_terminal}"
        );
        assert!(!at_terminal.contains("no terminal"), "{at_terminal}");
        let ci = AnswersError::Missing {
            missing,
            why: NoPrompt::Ci,
        }
        .to_string();
        assert!(
            ci.contains("because the CI environment variable is set"),
            "{ci}"
        );
    }

    #[test]
    fn syntax_errors_name_the_key_when_known() {
        let e = AnswersError::Syntax {
            path: "infra.toml".into(),
            line: 2,
            column: 16,
            key: Some("sla.availability".into()),
            message: "expected a number".into(),
        };
        assert_eq!(
            e.to_string(),
            "infra.toml:2:16: sla.availability: expected a number"
        );
    }
}
