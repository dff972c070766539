//! Findings and the one builder that makes them. Rules describe what is wrong
//! and where; the builder adds the snippet, docs anchor, default fix and the
//! content fingerprint, and redacts anything that looks like a secret, so no
//! report format can print one.

use super::meta::RuleMeta;
use crate::model::Location;
use crate::model::{Confidence, Level};
use crate::scan::redact::{redact_text, redact_text_keeping};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// One problem a rule found. Built only through [`Findings::add`].
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub section: &'static str,
    /// After per-rule overrides from `infra.toml`.
    pub level: Level,
    pub confidence: Confidence,
    pub message: String,
    /// Facts that support the finding (redacted).
    pub evidence: Vec<String>,
    /// Primary location; `line`/`column` are 0 for a whole file, `path` is
    /// `.` for the repository as a whole.
    pub location: Location,
    pub snippet: Option<Snippet>,
    pub related: Vec<Related>,
    pub fix: String,
    /// Where the rule is explained: `<[audit] docs_url>#<rule-id>` when the
    /// repository publishes the rules, else the `infra explain <rule-id>` command.
    pub docs: String,
    /// Hash of rule id, path and the offending content (not line numbers),
    /// so it survives lines moving; baselines are keyed on it.
    pub fingerprint: String,
    /// The fingerprint without the path: what diff mode matches across a
    /// rename (`infra audit --base`).
    #[serde(skip)]
    pub identity: String,
    /// The members of a set the finding lists (the environments missing):
    /// diff mode counts it as the base's when the base's finding of the
    /// same rule and file listed them all, so fixing part of a gap is not
    /// a new finding. Empty for most rules.
    #[serde(skip)]
    pub parts: Vec<String>,
    /// Set by the engine when an ignore or baseline entry covers the finding.
    pub suppression: Option<Suppression>,
    /// The rule asked for one level below its configured level (e.g. a
    /// secret under a test fixture folder); the engine applies it.
    pub demoted: bool,
}

/// The offending source lines, already redacted.
#[derive(Debug, Clone, Serialize)]
pub struct Snippet {
    pub first_line: u32,
    pub lines: Vec<String>,
    /// 1-based column the caret starts at (0: underline the whole line).
    pub column: u32,
    /// How many characters to underline (0: to the end of the line).
    pub width: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// Why a finding is not counted.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Suppression {
    /// `inline`, `config` (infra.toml) or `baseline`.
    pub kind: SuppressionKind,
    pub reason: String,
    /// Where the ignore that matched lives.
    pub location: Location,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SuppressionKind {
    Inline,
    Config,
    Baseline,
}

impl SuppressionKind {
    pub fn id(self) -> &'static str {
        match self {
            SuppressionKind::Inline => "inline",
            SuppressionKind::Config => "config",
            SuppressionKind::Baseline => "baseline",
        }
    }
}

/// Collects one rule's findings. The texts are the ones discovery read, used
/// to cut snippets; nothing here touches the file system.
pub struct Findings<'a> {
    meta: &'static RuleMeta,
    texts: &'a BTreeMap<String, String>,
    out: Vec<Finding>,
}

impl<'a> Findings<'a> {
    pub fn new(meta: &'static RuleMeta, texts: &'a BTreeMap<String, String>) -> Self {
        Findings {
            meta,
            texts,
            out: Vec::new(),
        }
    }

    /// Start a finding with its message; finish it with [`FindingBuilder::emit`].
    pub fn add(&mut self, message: impl Into<String>) -> FindingBuilder<'_, 'a> {
        FindingBuilder {
            findings: self,
            message: message.into(),
            evidence: Vec::new(),
            location: None,
            width: 0,
            related: Vec::new(),
            fix: None,
            key: None,
            demoted: false,
            elsewhere: false,
            suppression: None,
            parts: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    pub fn into_vec(self) -> Vec<Finding> {
        self.out
    }
}

#[must_use = "a finding is only recorded by .emit()"]
pub struct FindingBuilder<'f, 'a> {
    findings: &'f mut Findings<'a>,
    message: String,
    evidence: Vec<String>,
    location: Option<Location>,
    width: u32,
    related: Vec<Related>,
    fix: Option<String>,
    key: Option<String>,
    demoted: bool,
    elsewhere: bool,
    suppression: Option<Suppression>,
    parts: Vec<String>,
}

impl FindingBuilder<'_, '_> {
    /// Report one level below the rule's configured level, for evidence that
    /// matters less (matches under test fixtures).
    pub fn demoted(mut self) -> Self {
        self.demoted = true;
        self
    }

    /// Primary location.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Primary location is a whole file (missing or lacking something).
    pub fn at_file(self, path: &str) -> Self {
        self.at(Location::file(path))
    }

    /// Characters to underline from the column.
    pub fn width(mut self, width: usize) -> Self {
        self.width = u32::try_from(width).unwrap_or(u32::MAX);
        self
    }

    pub fn evidence(mut self, fact: impl Into<String>) -> Self {
        self.evidence.push(fact.into());
        self
    }

    pub fn related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }

    /// A fix more specific than the rule's general one.
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// What identifies this finding within its file when there is no
    /// offending line (a missing section's name, a variable name …). Feeds
    /// the fingerprint instead of the source line.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// The set the finding lists ([`Finding::parts`]).
    pub fn parts<S: Into<String>>(mut self, parts: impl IntoIterator<Item = S>) -> Self {
        self.parts = parts.into_iter().map(Into::into).collect();
        self
    }

    /// The location is in a commit, not in the tree the texts are from: no
    /// snippet is cut (the tree's line there is another line), so give a
    /// [`FindingBuilder::key`].
    pub fn in_commit(mut self) -> Self {
        self.elsewhere = true;
        self
    }

    /// Suppressed by an inline ignore the rule found itself, outside the
    /// tree's texts (in a commit); the engine drops it under
    /// `--no-ignores` or `allow_inline_ignores = false`.
    pub fn suppressed_inline(mut self, reason: String, at: Location) -> Self {
        self.suppression = Some(Suppression {
            kind: SuppressionKind::Inline,
            reason,
            location: at,
        });
        self
    }

    pub fn emit(self) {
        let meta = self.findings.meta;
        let location = self.location.unwrap_or_else(|| Location::file("."));
        let line_text = if location.line > 0 && !self.elsewhere {
            self.findings
                .texts
                .get(&location.path)
                .and_then(|t| t.lines().nth(location.line as usize - 1))
        } else {
            None
        };
        let snippet = line_text.map(|l| Snippet {
            first_line: location.line,
            lines: vec![redact_text(l.trim_end()).into_owned()],
            column: location.column,
            width: self.width,
        });
        let content = match (&self.key, line_text) {
            (Some(k), _) => k.clone(),
            (None, Some(l)) => redact_text(l)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            (None, None) => self.message.clone(),
        };
        let fingerprint = fingerprint(meta.id, &location.path, &content);
        // Keys and messages that name their own file (`timeout
        // .github/workflows/a.yml`) must still match after a rename.
        let identity = if location.path.len() > 1 {
            self::fingerprint(meta.id, "", &content.replace(&location.path, "\u{0}"))
        } else {
            self::fingerprint(meta.id, "", &content)
        };
        // File paths in messages are shown as written, never redacted.
        let paths: Vec<String> = std::iter::once(location.path.clone())
            .chain(self.related.iter().map(|r| r.location.path.clone()))
            .collect();
        let keep: Vec<&str> = paths.iter().map(String::as_str).collect();
        let redact_text = |t: &str| redact_text_keeping(t, &keep).into_owned();
        let finding = Finding {
            rule: meta.id,
            section: meta.section,
            level: meta.level,
            confidence: meta.confidence,
            message: redact_text(&self.message),
            evidence: self.evidence.iter().map(|e| redact_text(e)).collect(),
            location,
            snippet,
            related: self
                .related
                .into_iter()
                .map(|r| Related {
                    message: redact_text(&r.message),
                    location: r.location,
                })
                .collect(),
            fix: redact_text(self.fix.as_deref().unwrap_or(meta.fix)),
            docs: meta.docs(),
            fingerprint,
            identity,
            parts: self.parts,
            suppression: self.suppression,
            demoted: self.demoted,
        };
        self.findings.out.push(finding);
    }
}

/// Content fingerprint: SHA-256 over rule id, path and normalised content,
/// first 16 bytes in hex. Line numbers never enter it.
pub fn fingerprint(rule: &str, path: &str, content: &str) -> String {
    let mut h = Sha256::new();
    h.update(rule.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    h.update([0]);
    let normalised = content.split_whitespace().collect::<Vec<_>>().join(" ");
    h.update(normalised.as_bytes());
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    static META: RuleMeta = RuleMeta {
        id: "test-rule",
        section: "0",
        level: Level::Warning,
        confidence: Confidence::High,
        description: "d",
        applies: "always",
        rationale: "r",
        detection: "d",
        fix: "default fix",
        fixed_by_init: false,
        fail_example: "",
        pass_example: "",
    };

    fn texts(path: &str, text: &str) -> BTreeMap<String, String> {
        BTreeMap::from([(path.to_string(), text.to_string())])
    }

    fn one(texts: &BTreeMap<String, String>, line: u32) -> Finding {
        let mut f = Findings::new(&META, texts);
        f.add("msg").at(Location::new("a.md", line, 1)).emit();
        f.into_vec().remove(0)
    }

    #[test]
    fn fingerprint_survives_moved_lines() {
        let a = one(&texts("a.md", "x\nbad  line\n"), 2);
        let b = one(&texts("a.md", "new\nlines\nx\nbad line\n"), 4);
        assert_eq!(a.fingerprint, b.fingerprint);
        let c = one(&texts("a.md", "x\nother line\n"), 2);
        assert_ne!(a.fingerprint, c.fingerprint);
    }

    #[test]
    fn builder_fills_defaults_and_snippet() {
        let f = one(&texts("a.md", "x\nbad line\n"), 2);
        assert_eq!(f.fix, "default fix");
        assert_eq!(f.docs, "infra explain test-rule");
        assert_eq!(
            f.snippet.map(|s| s.lines),
            Some(vec!["bad line".to_string()])
        );
        assert_eq!(f.fingerprint.len(), 32);
    }

    #[test]
    fn snippets_are_redacted() {
        let t = texts(
            "a.md",
            "x\nAPI_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n",
        );
        let f = one(&t, 2);
        let line = &f
            .snippet
            .as_ref()
            .map(|s| s.lines[0].clone())
            .unwrap_or_default();
        assert!(
            !line.contains("abcdefghijklmnopqrstuvwxyz0123456789"),
            "{line}"
        );
    }

    #[test]
    fn paths_in_messages_are_never_redacted() {
        // Long, mixed-case, with digits: the redaction heuristics alone
        // took these for tokens (`test…(44 chars).rb`).
        let path = "test/controllers/api/v1/auth_controller_test.rb";
        let t = texts(path, "x\n");
        let mut f = Findings::new(&META, &t);
        f.add(format!(
            "generic-high-entropy committed in {path}: Sec…(14 chars)"
        ))
        .at(Location::new(path, 1, 1))
        .evidence(format!("seen in {path}"))
        .emit();
        let found = f.into_vec().remove(0);
        assert_eq!(
            found.message,
            format!("generic-high-entropy committed in {path}: Sec…(14 chars)")
        );
        assert_eq!(found.evidence, vec![format!("seen in {path}")]);
    }
}
