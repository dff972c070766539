//! Content scanning in the same walk as discovery: every [`FileScanner`]
//! sees each text file once, next to discovery's own analysis, and fills a
//! [`ScanResults`] that rules read as `input.scan`. Four scanners run for
//! `infra audit` ([`discover_for_audit`]): inline ignore comments,
//! [`SecretFileScanner`], which turns what the one-pass scanner in
//! `src/scan` finds into typed [`ScanMatch`]es:
//! - [`MatchKind::Secret`], [`MatchKind::TestModeKey`] and
//!   [`MatchKind::PublishableKey`] for secret matches (`shown` is the
//!   redacted form);
//! - [`MatchKind::PlaintextUrl`] for `http://`/`ws://` to a non-local host,
//!   `shown` = host (other URLs are not kept);
//! - [`MatchKind::LiveSwitch`] and [`MatchKind::ProductionEndpoint`],
//!   `shown` = the matched switch or host.
//!
//! A third, [`LogFileScanner`], reads the arguments of log calls in
//! source files ([`MatchKind::SensitiveLog`], `shown` = the identifier that
//! names a secret, never a value) and each file's first logger set-up or
//! log call ([`MatchKind::LogUse`]), and Python files that import a web
//! framework ([`MatchKind::ServerImport`]), and each file's first mention
//! of a metrics library ([`MatchKind::MetricsUse`]) and of a request or
//! correlation id ([`MatchKind::LogContext`]).
//!
//! A fourth, [`GuardFileScanner`], finds in code and configuration the
//! first mention per file of each security header family
//! ([`MatchKind::SecurityHeader`]) and of a rate limit
//! ([`MatchKind::RateLimit`]), `shown` = the needle.

use super::suppress::{self, InlineIgnore};
use crate::context::{discover_with, Context, DiscoverError};
use crate::model::Location;
use crate::scan::{MatchKind, Scanner};
use crate::source::walk::{SourceFile, WalkOptions};
use std::path::Path;

/// One match a content scanner found in one file. `shown` is what reports
/// may print: already redacted, never the raw value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanMatch {
    /// What was found.
    pub kind: MatchKind,
    pub location: Location,
    /// Length of the match in characters (for the caret).
    pub len: u32,
    pub shown: String,
    /// For secrets: why the evidence is weaker (a default credential, an
    /// encrypted key), so the finding is reported one level lower.
    pub weak_evidence: Option<&'static str>,
}

/// What content scanners found, per file, in the one walk.
#[derive(Debug, Clone, Default)]
pub struct ScanResults {
    /// Sorted by path then line once [`ScanResults::finish`] ran.
    pub matches: Vec<ScanMatch>,
    /// `infra: ignore[...]` comments seen in any scanned file.
    pub inline_ignores: Vec<InlineIgnore>,
    /// Files a scanner skipped (too large, binary), with why: reported as notes.
    pub skipped: Vec<(Location, String)>,
}

impl ScanResults {
    pub fn is_empty(&self) -> bool {
        self.matches.is_empty() && self.inline_ignores.is_empty() && self.skipped.is_empty()
    }

    pub fn merge(&mut self, other: ScanResults) {
        self.matches.extend(other.matches);
        self.inline_ignores.extend(other.inline_ignores);
        self.skipped.extend(other.skipped);
    }

    /// Sort and deduplicate after merging per-file results from many threads.
    pub fn finish(&mut self) {
        self.matches
            .sort_by(|a, b| (&a.location, a.kind).cmp(&(&b.location, b.kind)));
        self.matches.dedup();
        self.inline_ignores
            .sort_by(|a, b| a.location.cmp(&b.location));
        self.inline_ignores.dedup();
    }

    pub fn in_file<'s>(&'s self, path: &'s str) -> impl Iterator<Item = &'s ScanMatch> + 's {
        self.matches.iter().filter(move |m| m.location.path == path)
    }
}

/// A per-file content scanner run inside the shared walk (see module docs).
/// `scan` is called once per readable text file, from many threads.
pub trait FileScanner: Sync {
    fn scan(&self, file: &SourceFile<'_>, out: &mut ScanResults);
}

/// The built-in scanner: inline ignore comments in every file.
pub struct InlineIgnoreScanner;

impl FileScanner for InlineIgnoreScanner {
    fn scan(&self, file: &SourceFile<'_>, out: &mut ScanResults) {
        out.inline_ignores
            .extend(suppress::parse_inline(file.path, file.text));
    }
}

/// Discover `root` and run `scanners` over every readable text file in the
/// same parallel walk (each file read once), through
/// [`crate::context::discover_with`].
pub fn discover_and_scan(
    root: &Path,
    opts: &WalkOptions,
    scanners: &[&dyn FileScanner],
) -> Result<(Context, ScanResults), DiscoverError> {
    let (ctx, per_file) = discover_with(root, opts, |file| {
        let mut found = ScanResults::default();
        for s in scanners {
            s.scan(file, &mut found);
        }
        (!found.is_empty()).then_some(found)
    })?;
    let mut scan = ScanResults::default();
    for (_, found) in per_file {
        scan.merge(found);
    }
    scan.finish();
    Ok((ctx, scan))
}

/// Discovery and every content scanner `infra audit` runs (inline ignores,
/// [`SecretFileScanner`], [`LogFileScanner`] and [`GuardFileScanner`]) in one walk, each file read
/// once.
pub fn discover_for_audit(
    root: &Path,
    opts: &WalkOptions,
) -> Result<(Context, ScanResults), DiscoverError> {
    let secrets = SecretFileScanner::new();
    discover_and_scan(
        root,
        opts,
        &[
            &InlineIgnoreScanner,
            &secrets,
            &LogFileScanner,
            &GuardFileScanner,
        ],
    )
}

/// Log call arguments that name a secret (`src/scan/logs.rs`), in source
/// files outside the classes no log rule reads (generated, vendored,
/// minified, tests, fixtures, examples).
#[derive(Debug, Default)]
pub struct LogFileScanner;

impl FileScanner for LogFileScanner {
    fn scan(&self, file: &SourceFile<'_>, out: &mut ScanResults) {
        use crate::source::class::FileClass::*;
        if [Generated, Vendored, Minified, Test, Fixture, Example, Docs]
            .iter()
            .any(|c| file.classes.has(*c))
        {
            return;
        }
        if let Some(u) = crate::scan::logs::first_log_use(file.path, file.text) {
            out.matches.push(ScanMatch {
                kind: MatchKind::LogUse(u.what),
                location: Location::new(file.path, u.line, 1),
                len: 1,
                shown: String::new(),
                weak_evidence: None,
            });
        }
        let hits = crate::scan::logs::hits(file.path, file.text).unwrap_or_default();
        if let Some(line) = hits.metrics {
            out.matches.push(ScanMatch {
                kind: MatchKind::MetricsUse("code"),
                location: Location::new(file.path, line, 1),
                len: 1,
                shown: String::new(),
                weak_evidence: None,
            });
        }
        if let Some(line) = hits.context {
            out.matches.push(ScanMatch {
                kind: MatchKind::LogContext("code"),
                location: Location::new(file.path, line, 1),
                len: 1,
                shown: String::new(),
                weak_evidence: None,
            });
        }
        if crate::scan::logs::imports_python_server(file.path, file.text) {
            out.matches.push(ScanMatch {
                kind: MatchKind::ServerImport("python"),
                location: Location::new(file.path, 1, 1),
                len: 1,
                shown: String::new(),
                weak_evidence: None,
            });
        }
        let found = if hits.secret_words {
            crate::scan::logs::sensitive_log_args_found(file.path, file.text)
        } else {
            Vec::new()
        };
        for s in found {
            out.matches.push(ScanMatch {
                kind: MatchKind::SensitiveLog(s.what),
                location: Location::new(file.path, s.line, s.column),
                len: s.len.max(1),
                shown: s.identifier,
                weak_evidence: None,
            });
        }
    }
}

/// Security headers and rate limits named in code and configuration
/// (`src/scan/guards.rs`), outside generated, vendored, minified, test,
/// fixture and documentation files.
#[derive(Debug, Default)]
pub struct GuardFileScanner;

impl FileScanner for GuardFileScanner {
    fn scan(&self, file: &SourceFile<'_>, out: &mut ScanResults) {
        use crate::source::class::FileClass::*;
        if [Generated, Vendored, Minified, Test, Fixture, Docs]
            .iter()
            .any(|c| file.classes.has(*c))
        {
            return;
        }
        for g in crate::scan::guards::guards(file.path, file.text) {
            out.matches.push(ScanMatch {
                kind: match g.family {
                    Some(f) => MatchKind::SecurityHeader(f),
                    None => MatchKind::RateLimit("code"),
                },
                location: Location::new(file.path, g.line, 1),
                len: 1,
                shown: g.needle.to_string(),
                weak_evidence: None,
            });
        }
    }
}

/// The one-pass content scanner (`src/scan`) as a [`FileScanner`].
#[derive(Debug, Default)]
pub struct SecretFileScanner {
    scanner: Scanner,
}

impl SecretFileScanner {
    pub fn new() -> Self {
        SecretFileScanner {
            scanner: Scanner::new(),
        }
    }
}

fn width(start: u32, end: u32) -> u32 {
    end.saturating_sub(start).max(1)
}

impl FileScanner for SecretFileScanner {
    fn scan(&self, file: &SourceFile<'_>, out: &mut ScanResults) {
        let found = self
            .scanner
            .scan_classified(file.path, file.text, file.classes);
        let at = |line, column| Location::new(file.path, line, column);
        for m in found.secrets {
            out.matches.push(ScanMatch {
                kind: m.match_kind(),
                location: at(m.line, m.column),
                len: width(m.column, m.end_column),
                shown: m.redacted,
                weak_evidence: m.weak_evidence,
            });
        }
        // Only plaintext remote URLs become matches: a repo has hundreds of
        // thousands of ordinary links, and no rule reads them yet.
        for u in found.urls {
            if let Some(kind) = u.plaintext_kind() {
                out.matches.push(ScanMatch {
                    kind,
                    location: at(u.line, u.column),
                    len: width(u.column, u.end_column),
                    shown: u.host,
                    weak_evidence: None,
                });
            }
        }
        for s in found.signals {
            out.matches.push(ScanMatch {
                kind: s.match_kind(),
                location: at(s.line, s.column),
                len: width(s.column, s.end_column),
                shown: s.text,
                weak_evidence: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{PlainScheme, SecretKind};

    #[test]
    fn fills_scan_results_with_redacted_matches_only() {
        let key = format!("{}{}", "ghp_", "q8Zr3xLp0vN2Tw9kQm4Yb7Hc1Jd5Fg6Ks8Ua");
        // Built at run time so this source file holds no plaintext URL itself.
        let url = format!("{}://api.shop.io/x", "http");
        let text = format!("token: {key}\nurl: {url}\nPAYPAL_MODE=live\n");
        let file = SourceFile {
            path: "config/staging.yml",
            name: "staging.yml",
            bytes: text.as_bytes(),
            text: &text,
            classes: crate::source::class::Classes::default(),
        };
        let mut out = ScanResults::default();
        SecretFileScanner::new().scan(&file, &mut out);
        let kinds: Vec<_> = out.matches.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            [
                MatchKind::Secret(SecretKind("github-pat")),
                MatchKind::PlaintextUrl(PlainScheme::Http),
                MatchKind::LiveSwitch("PayPal"),
            ]
        );
        assert_eq!(
            out.matches[0].kind.to_string(),
            "hardcoded-secret/github-pat"
        );
        assert_eq!(
            out.matches[0].location,
            Location::new("config/staging.yml", 1, 8)
        );
        assert_eq!(out.matches[0].len, 40);
        assert_eq!(out.matches[1].shown, "api.shop.io");
        assert!(out.matches.iter().all(|m| !m.shown.contains(&key[4..])));
    }
}
