//! Content scanning in the same walk as discovery: every [`FileScanner`]
//! sees each text file once, next to discovery's own analysis, and fills a
//! [`ScanResults`] that rules read as `input.scan`. Secret detection
//! (issue 5) adds a scanner here; inline ignore comments are the first one.

use super::suppress::{self, InlineIgnore};
use crate::context::{discover_with, Context, DiscoverError};
use crate::model::Location;
use crate::source::walk::{SourceFile, WalkOptions};
use std::path::Path;

/// One match a content scanner found in one file. `shown` is what reports
/// may print: already redacted, never the raw value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanMatch {
    /// Scanner-defined id of the pattern (`aws-access-key`, …).
    pub pattern: String,
    pub location: Location,
    /// Length of the match in characters (for the caret).
    pub len: u32,
    pub shown: String,
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
            .sort_by(|a, b| (&a.location, &a.pattern).cmp(&(&b.location, &b.pattern)));
        self.matches.dedup();
        self.inline_ignores
            .sort_by(|a, b| a.location.cmp(&b.location));
        self.inline_ignores.dedup();
    }

    pub fn in_file<'s>(&'s self, path: &'s str) -> impl Iterator<Item = &'s ScanMatch> + 's {
        self.matches.iter().filter(move |m| m.location.path == path)
    }

    /// The scan over what discovery already read (`ctx.texts`), for when the
    /// walk ran without a scanner: finds inline ignores in those files.
    pub fn from_context(ctx: &Context) -> ScanResults {
        let mut out = ScanResults::default();
        for (path, text) in &ctx.texts {
            out.inline_ignores
                .extend(suppress::parse_inline(path, text));
        }
        out.finish();
        out
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
