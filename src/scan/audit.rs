//! The scanner as an audit content scanner: plugs into the audit engine's
//! [`FileScanner`] hook so secrets, URLs and signals are found in the same
//! walk as discovery, each file read once.
//!
//! The engine's [`ScanMatch`] has a string `pattern`; it is `CLASS/ID`:
//! - `hardcoded-secret/<kind>`, `test-mode-key/<kind>`, `publishable-key/<kind>`
//!   for [`SecretMatch`]es (`shown` is the redacted form; whether the path is a
//!   test fixture is [`is_test_path`]);
//! - `plaintext-url/<scheme>` for `http://`/`ws://` to a non-local host,
//!   `shown` = host (other URLs stay in [`super::FileScan::urls`]);
//! - `live-switch/<provider>` and `production-endpoint/<provider>`, `shown` =
//!   the matched switch or host.

use super::{is_test_path, Scanner, SecretMatch, SignalKind};
use crate::audit::{FileScanner, InlineIgnoreScanner, ScanMatch, ScanResults};
use crate::context::{Context, DiscoverError};
use crate::model::Location;
use crate::source::walk::{SourceFile, WalkOptions};
use std::path::Path;

/// Discovery and every content scanner `infra audit` runs — inline ignores
/// and this scanner — in one walk, each file read once.
pub fn discover_and_scan(
    root: &Path,
    opts: &WalkOptions,
) -> Result<(Context, ScanResults), DiscoverError> {
    let secrets = SecretFileScanner::new();
    crate::audit::discover_and_scan(root, opts, &[&InlineIgnoreScanner, &secrets])
}

/// Content scanner for `infra audit` (see the module docs for the match ids).
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
        let found = self.scanner.scan_file(file.path, file.text);
        let at = |line, column| Location::new(file.path, line, column);
        for m in found.secrets {
            let SecretMatch {
                rule,
                kind,
                line,
                column,
                end_column,
                redacted,
                ..
            } = m;
            out.matches.push(ScanMatch {
                pattern: format!("{rule}/{kind}"),
                location: at(line, column),
                len: width(column, end_column),
                shown: redacted,
            });
        }
        // Only plaintext remote URLs become matches: a repo has hundreds of
        // thousands of ordinary links, and no rule reads them yet.
        for u in found.urls.into_iter().filter(|u| u.is_plaintext_remote()) {
            out.matches.push(ScanMatch {
                pattern: format!("plaintext-url/{}", u.scheme),
                location: at(u.line, u.column),
                len: width(u.column, u.end_column),
                shown: u.host,
            });
        }
        for s in found.signals {
            let class = match s.kind {
                SignalKind::LiveSwitch => "live-switch",
                SignalKind::ProductionEndpoint => "production-endpoint",
            };
            out.matches.push(ScanMatch {
                pattern: format!("{class}/{}", s.provider),
                location: at(s.line, s.column),
                len: width(s.column, s.end_column),
                shown: s.text,
            });
        }
    }
}

/// Whether a match id names a `hardcoded-secret` finding.
pub fn is_reportable_secret(m: &ScanMatch) -> bool {
    m.pattern.starts_with("hardcoded-secret/")
}

/// Whether a match sits under a test or fixture folder: still reported, one
/// level lower, since fixtures hold fake keys far more often than real ones.
pub fn in_test_fixture(m: &ScanMatch) -> bool {
    is_test_path(&m.location.path)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        };
        let mut out = ScanResults::default();
        SecretFileScanner::new().scan(&file, &mut out);
        let ids: Vec<_> = out.matches.iter().map(|m| m.pattern.as_str()).collect();
        assert_eq!(
            ids,
            [
                "hardcoded-secret/github-pat",
                "plaintext-url/http",
                "live-switch/PayPal"
            ]
        );
        assert!(is_reportable_secret(&out.matches[0]));
        assert_eq!(
            out.matches[0].location,
            Location::new("config/staging.yml", 1, 8)
        );
        assert_eq!(out.matches[0].len, 40);
        assert_eq!(out.matches[1].shown, "api.shop.io");
        assert!(out.matches.iter().all(|m| !m.shown.contains(&key[4..])));
    }
}
