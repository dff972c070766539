//! `infra audit`: the rule engine. Rules read the shared discovery and the
//! content scan, report findings through one builder; the engine applies
//! level overrides, ignores and baselines and gives every rule a result.
//!
//! [`audit_tree`] is the whole pipeline as one library call: read and
//! validate infra.toml's `[audit]` ([`settings`]), discover and scan in one
//! walk ([`discover_for_audit`]), run every rule ([`run`]). Content scanners
//! plug in through [`FileScanner`]; rules read what they found as
//! `input.scan`.

pub mod baseline;
pub mod checklist;
pub(crate) mod ci;
pub mod date;
pub(crate) mod diagnostics;
pub mod diff;
pub(crate) mod finding;
pub mod history;

pub(crate) mod meta;
pub mod registry;
pub(crate) mod rule;
pub(crate) mod rules;
pub(crate) mod scan;
pub(crate) mod settings;
pub(crate) mod suppress;

pub use finding::{Finding, Findings, Related, Snippet, Suppression, SuppressionKind};
pub use meta::RuleMeta;
pub use rule::{
    AuditInput, Change, ChangeStatus, Confidence, Known, Level, Rule, RuleCore, Verdict,
};
pub use scan::{
    discover_and_scan, discover_for_audit, FileScanner, InlineIgnoreScanner, ScanMatch,
    ScanResults, SecretFileScanner,
};
pub use settings::{RuleSetting, Settings, SettingsError};

use crate::answers::AnswersError;
use crate::context::{Context, DiscoverError};
use crate::model::Location;
use crate::source::walk::WalkOptions;
use baseline::Baseline;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use suppress::{ConfigIgnore, InlineIgnore};

/// How to audit a tree: the walk, and the flags that win over infra.toml.
#[derive(Debug, Clone, Default)]
pub struct AuditOptions {
    pub walk: WalkOptions,
    /// `--fail-on`; `None`: `[audit] fail_on`, else `error`.
    pub fail_on: Option<Level>,
    /// `--no-ignores`: report everything, suppress nothing.
    pub no_ignores: bool,
    /// `--baseline FILE`.
    pub baseline: Option<PathBuf>,
    /// The date rules compare published dates with (end of life); `None`:
    /// the system clock. The CLI pins it from `SOURCE_DATE_EPOCH`.
    pub today: Option<date::Date>,
    /// Diff mode ([`diff`]): the change under review, for the change rules.
    pub changes: Option<Vec<Change>>,
    /// What git tracks, when the tree is a copy outside git (a base tree or
    /// the index written out by [`diff`]): every file of the copy.
    pub tracked: Option<std::collections::BTreeSet<String>>,
    /// `--staged`: run only the rules that judge a file on its own, and the
    /// change rules ([`registry::STAGED`]); the others end unknown.
    pub staged: bool,
    /// `--base`: what the base tree had ([`Report::known`] of its audit).
    pub before: Option<rule::Known>,
    /// What the progress line calls the walk ("reading the base tree");
    /// `None`: "reading files".
    pub phase: Option<&'static str>,
    /// `--history`: the commits `secret-in-history` reads ([`history`]).
    pub history: Option<history::HistoryRange>,
}

/// Why a tree could not be audited. Everything but `Discover` is a mistake
/// in the input (exit 2); `NothingToAudit` is its own outcome (exit 3).
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("{} is not a directory", .0.display())]
    NotADirectory(PathBuf),
    /// infra.toml is unreadable or malformed (with its line and column).
    #[error(transparent)]
    Answers(#[from] AnswersError),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error("cannot read baseline {path}: {source}")]
    BaselineUnreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {error}")]
    BaselineInvalid {
        path: String,
        error: baseline::BaselineError,
    },
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error(
        "nothing to audit: {} has no files (after .gitignore, .ignore and .infraignore)",
        .0.display()
    )]
    NothingToAudit(PathBuf),
    /// `--staged` with nothing staged below the audited folder.
    #[error("nothing to audit: no change is staged below {}; `git add` what the commit will hold", .0.display())]
    NothingStaged(PathBuf),
    /// Diff mode could not ask git (with the fix in the message).
    #[error(transparent)]
    Git(#[from] crate::source::git::GitError),
    #[error("cannot write the tree to compare with into a temporary folder: {0}")]
    TempTree(std::io::Error),
}

/// Audit the repository at `root`: infra.toml and its `[audit]` settings
/// (flags in `options` win), discovery and every content scanner in one
/// walk, every rule. Pure apart from reading the tree: prints and writes
/// The history scan skips the files `hardcoded-secret` skips in the tree.
fn secret_not_the_projects(classes: crate::source::class::Classes) -> bool {
    rule::class_action(rules::hardcoded_secret::SECRET_CLASSES, classes)
        == Some(rule::ClassAction::Skip)
}

/// nothing.
pub fn audit_tree(root: &Path, options: &AuditOptions) -> Result<Report, AuditError> {
    if !root.is_dir() {
        return Err(AuditError::NotADirectory(root.to_path_buf()));
    }
    let answers = crate::answers::read_infra_toml(root)?;
    let (toml, text) = match &answers {
        Some((t, s)) => (Some(t), s.as_str()),
        None => (None, ""),
    };
    let mut settings = Settings::from_answers(toml.and_then(|t| t.audit.as_ref()), text)?;
    if let Some(level) = options.fail_on {
        settings.fail_on = level;
    }
    settings.no_ignores = options.no_ignores;
    settings.staged = options.staged;
    if let Some(path) = &options.baseline {
        let shown = path.display().to_string();
        let raw =
            std::fs::read_to_string(path).map_err(|source| AuditError::BaselineUnreadable {
                path: shown.clone(),
                source,
            })?;
        let b = Baseline::parse(&raw).map_err(|error| AuditError::BaselineInvalid {
            path: shown.clone(),
            error,
        })?;
        settings.baseline = Some((b, shown));
    }
    let progress = |what: &str| {
        if let Some(p) = &options.walk.progress {
            p.phase(what);
        }
    };
    progress(options.phase.unwrap_or("reading files"));
    // One walk: discovery and the content scanners see each file once.
    let (mut ctx, scan) = discover_for_audit(root, &options.walk)?;
    progress("running the rules");
    if ctx.files.is_empty() {
        return Err(AuditError::NothingToAudit(root.to_path_buf()));
    }
    if let Some(tracked) = &options.tracked {
        crate::context::set_tracked(root, &mut ctx, tracked.clone());
    }
    let history = match &options.history {
        Some(range) => Some(history::scan(
            root,
            range,
            options.walk.max_file_size,
            secret_not_the_projects,
        )?),
        None => None,
    };
    let input = AuditInput {
        ctx: &ctx,
        answers: toml,
        scan: &scan,
        changes: options.changes.as_deref(),
        today: options.today.unwrap_or_else(date::Date::today),
        max_instance_vcpus: settings.max_instance_vcpus,
        before: options.before.as_ref(),
        history: history.as_ref(),
    };
    let mut report = run(&input, &settings);
    report.known = rule::Known::of(&ctx);
    report.history = history
        .as_ref()
        .filter(|h| h.has_head)
        .map(history::HistoryScan::describe);
    Ok(report)
}

/// ` (did you mean "x"?)` or nothing.
pub fn did_you_mean(id: &str) -> String {
    registry::suggest(id).map_or_else(String::new, |s| format!(" (did you mean {s:?}?)"))
}

/// A rule's outcome for this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Pass,
    Fail,
    NotApplicable,
    Unknown,
}

impl Status {
    pub fn id(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::NotApplicable => "not-applicable",
            Status::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleResult {
    pub rule: &'static str,
    pub section: &'static str,
    /// Effective level (after overrides).
    pub level: Level,
    pub status: Status,
    /// Why not applicable or unknown.
    pub reason: Option<String>,
    /// Findings still counted.
    pub findings: usize,
    pub suppressed: usize,
}

/// Counts for summaries; every format prints them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub suppressed: usize,
    pub passed: usize,
    pub failed: usize,
    pub not_applicable: usize,
    pub unknown: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionSummary {
    /// Top-level checklist section (`"2"`).
    pub section: String,
    pub title: &'static str,
    pub passed: usize,
    pub failed: usize,
    pub not_applicable: usize,
    pub unknown: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub suppressed: usize,
}

/// The outcome of one audit: what every report format renders.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// All findings, suppressed ones included (see `Finding::suppression`),
    /// in checklist order then path and line.
    pub findings: Vec<Finding>,
    /// One per rule in the registry.
    pub results: Vec<RuleResult>,
    pub fail_on: Level,
    pub files: u64,
    /// A report cut down to some rules (`only`, `-q`): checklist coverage
    /// is not judged on it.
    #[serde(skip)]
    pub partial: bool,
    /// Diff mode: what the change was compared with, and what was left out.
    #[serde(skip)]
    pub diff: Option<diff::DiffInfo>,
    /// What the tree uses, for a later diff against it.
    #[serde(skip)]
    pub known: rule::Known,
    /// `[audit] docs_url`: where reports link each rule.
    #[serde(skip)]
    pub docs_url: Option<String>,
    /// `--history`: what the history scan read ([`history::HistoryScan::describe`]).
    #[serde(skip)]
    pub history: Option<String>,
}

/// A checklist MUST this audit did not check, and why.
#[derive(Debug, Clone)]
pub struct Unchecked {
    pub must: &'static checklist::Must,
    pub reason: String,
}

impl Report {
    /// The MUSTs no rule checked: none exists yet, or every rule for it
    /// ended unknown. Empty for partial reports.
    pub fn unchecked_musts(&self) -> Vec<Unchecked> {
        if self.partial {
            return Vec::new();
        }
        checklist::MUSTS
            .iter()
            .filter_map(|must| {
                if must.rules.is_empty() {
                    return Some(Unchecked {
                        must,
                        reason: "no rule yet".into(),
                    });
                }
                let results: Vec<&RuleResult> =
                    must.rules.iter().filter_map(|r| self.result(r)).collect();
                let all_unknown =
                    !results.is_empty() && results.iter().all(|r| r.status == Status::Unknown);
                let change_only = must.rules.iter().all(|r| registry::is_change_rule(r));
                if change_only && self.diff.is_none() {
                    return Some(Unchecked {
                        must,
                        reason: "checked only on a change: `infra audit --base REF` or `--staged`"
                            .into(),
                    });
                }
                all_unknown.then(|| Unchecked {
                    must,
                    reason: format!(
                        "{} unknown",
                        results
                            .iter()
                            .map(|r| r.rule)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })
            })
            .collect()
    }

    /// Findings that count (not suppressed).
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppression.is_none())
    }

    pub fn suppressed(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppression.is_some())
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for f in &self.findings {
            if f.suppression.is_some() {
                s.suppressed += 1;
                continue;
            }
            match f.level {
                Level::Error => s.errors += 1,
                Level::Warning => s.warnings += 1,
                Level::Note => s.notes += 1,
            }
        }
        for r in &self.results {
            match r.status {
                Status::Pass => s.passed += 1,
                Status::Fail => s.failed += 1,
                Status::NotApplicable => s.not_applicable += 1,
                Status::Unknown => s.unknown += 1,
            }
        }
        s
    }

    /// Per top-level checklist section, in order; sections with neither a
    /// rule result nor a finding are left out.
    pub fn sections(&self) -> Vec<SectionSummary> {
        let mut map: BTreeMap<u32, SectionSummary> = BTreeMap::new();
        let top = |s: &str| s.split('.').next().unwrap_or("").to_string();
        let entry = |map: &mut BTreeMap<u32, SectionSummary>, sec: &str| {
            let t = top(sec);
            let key = t.parse::<u32>().unwrap_or(u32::MAX);
            map.entry(key)
                .or_insert_with(|| SectionSummary {
                    title: registry::section_title(&t),
                    section: t,
                    passed: 0,
                    failed: 0,
                    not_applicable: 0,
                    unknown: 0,
                    errors: 0,
                    warnings: 0,
                    notes: 0,
                    suppressed: 0,
                })
                .section
                .clone()
        };
        for r in &self.results {
            entry(&mut map, r.section);
            let key = top(r.section).parse::<u32>().unwrap_or(u32::MAX);
            if let Some(s) = map.get_mut(&key) {
                match r.status {
                    Status::Pass => s.passed += 1,
                    Status::Fail => s.failed += 1,
                    Status::NotApplicable => s.not_applicable += 1,
                    Status::Unknown => s.unknown += 1,
                }
            }
        }
        for f in &self.findings {
            entry(&mut map, f.section);
            let key = top(f.section).parse::<u32>().unwrap_or(u32::MAX);
            if let Some(s) = map.get_mut(&key) {
                if f.suppression.is_some() {
                    s.suppressed += 1;
                } else {
                    match f.level {
                        Level::Error => s.errors += 1,
                        Level::Warning => s.warnings += 1,
                        Level::Note => s.notes += 1,
                    }
                }
            }
        }
        map.into_values().collect()
    }

    /// The worst counted level at or above `fail_on`, which picks the exit code.
    pub fn failing_level(&self) -> Option<Level> {
        self.active()
            .map(|f| f.level)
            .filter(|l| *l >= self.fail_on)
            .max()
    }

    /// One line: how ready the repo is. "ready" only when nothing fails at
    /// `fail_on`, no rule ended unknown and every checklist MUST was checked.
    pub fn readiness(&self) -> String {
        let s = self.summary();
        let applicable = s.passed + s.failed + s.unknown;
        let unchecked = self.unchecked_musts().len();
        let verdict = match (self.failing_level(), s.unknown, unchecked) {
            (Some(_), _, _) => "not ready".to_string(),
            (None, 0, 0) => "ready".to_string(),
            (None, u, 0) => format!("not verified: {u} unknown"),
            (None, 0, m) => format!(
                "not verified: {m} checklist MUST{} not checked",
                if m == 1 { "" } else { "s" }
            ),
            (None, u, m) => format!(
                "not verified: {u} unknown, {m} checklist MUST{} not checked",
                if m == 1 { "" } else { "s" }
            ),
        };
        let n = |count: usize, what: &str| {
            format!("{count} {what}{}", if count == 1 { "" } else { "s" })
        };
        let verdict = match &self.diff {
            Some(d) => format!("{verdict}; {}", d.describe()),
            None => verdict,
        };
        let verdict = match &self.history {
            Some(h) => format!("{verdict}; {h}"),
            None => verdict,
        };
        format!(
            "readiness: {}/{} applicable rules pass ({} not applicable, {} unknown); {}, {}, {}, {} suppressed; {verdict} (fail on {})",
            s.passed,
            applicable,
            s.not_applicable,
            s.unknown,
            n(s.errors, "error"),
            n(s.warnings, "warning"),
            n(s.notes, "note"),
            s.suppressed,
            self.fail_on
        )
    }

    /// Keep only the findings and results of one rule (used by tests and
    /// snapshots of single rules).
    pub fn only(&self, rule: &str) -> Report {
        Report {
            findings: self
                .findings
                .iter()
                .filter(|f| f.rule == rule)
                .cloned()
                .collect(),
            results: self
                .results
                .iter()
                .filter(|r| r.rule == rule)
                .cloned()
                .collect(),
            fail_on: self.fail_on,
            files: self.files,
            partial: true,
            diff: self.diff.clone(),
            known: rule::Known::default(),
            docs_url: self.docs_url.clone(),
            history: self.history.clone(),
        }
    }

    pub fn result(&self, rule: &str) -> Option<&RuleResult> {
        self.results.iter().find(|r| r.rule == rule)
    }
}

/// An engine diagnostic, built through the same builder as rule findings.
fn diag(
    meta: &'static RuleMeta,
    ctx: &Context,
    message: String,
    at: Location,
    key: &str,
) -> Vec<Finding> {
    let mut f = Findings::new(meta, &ctx.texts);
    f.add(message).at(at).key(key).emit();
    f.into_vec()
}

/// Run every rule and apply settings. Pure: reads `input`, writes nothing.
pub fn run(input: &AuditInput<'_>, settings: &Settings) -> Report {
    let ctx = input.ctx;
    let mut findings: Vec<Finding> = Vec::new();
    let mut verdicts: Vec<(&'static RuleMeta, Level, Verdict)> = Vec::new();
    for rule in registry::RULES {
        let meta = rule.meta();
        let level = match settings.overrides.get(meta.id) {
            Some(RuleSetting::Off) => {
                verdicts.push((
                    meta,
                    meta.level,
                    Verdict::NotApplicable("turned off in infra.toml [audit.rules]".into()),
                ));
                continue;
            }
            Some(RuleSetting::Level(l)) => *l,
            None => meta.level,
        };
        if settings.staged && !registry::STAGED.contains(&meta.id) {
            verdicts.push((
                meta,
                level,
                Verdict::Unknown(
                    "not run with --staged, which reads only the staged files: `infra audit` checks it"
                        .into(),
                ),
            ));
            continue;
        }
        if let Some(kind) = input.answers.and_then(|a| a.deploys_nothing()) {
            if registry::NEEDS_A_DEPLOYMENT.contains(&meta.id) {
                verdicts.push((
                    meta,
                    level,
                    Verdict::NotApplicable(format!(
                        "infra.toml says this repository is a {kind} (`[project] kind`): it deploys nothing"
                    )),
                ));
                continue;
            }
        }
        // Every scope the input has data for; findings only from scopes
        // that checked (a rule that says it did not apply must not fail).
        let (mut produced, verdict) = rule::run_rule(*rule, input);
        for f in &mut produced {
            f.level = if f.demoted { level.lower() } else { level };
        }
        findings.extend(produced);
        verdicts.push((meta, level, verdict));
    }

    let mut diags: Vec<Finding> = Vec::new();
    for p in &ctx.problems {
        diags.extend(diag(
            &diagnostics::FILE_UNPARSEABLE,
            ctx,
            format!("discovery could not use {}: {}", p.location.path, p.message),
            p.location.clone(),
            &p.message,
        ));
    }

    for f in ctx.files.iter().filter(|f| f.too_large) {
        diags.extend(diag(
            &diagnostics::FILE_SKIPPED,
            ctx,
            format!(
                "{} ({:.1} MiB) is over the scan size limit and was not read: nothing in it was checked",
                f.path,
                f.size as f64 / (1024.0 * 1024.0)
            ),
            Location::file(f.path.clone()),
            "too large",
        ));
    }
    let binaries: Vec<&str> = ctx
        .files
        .iter()
        .filter(|f| f.binary)
        .map(|f| f.path.as_str())
        .collect();
    if let Some(first) = binaries.first() {
        let examples = binaries
            .iter()
            .take(3)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        diags.extend(diag(
            &diagnostics::FILE_SKIPPED,
            ctx,
            format!(
                "{} binary file{} not scanned (e.g. {examples})",
                binaries.len(),
                if binaries.len() == 1 {
                    " was"
                } else {
                    "s were"
                }
            ),
            Location::file((*first).to_string()),
            "binary files",
        ));
    }

    let use_ignores = !settings.no_ignores;
    // A rule may find an inline ignore outside the tree (in the commit that
    // added a line): it counts only where inline ignores do.
    if !use_ignores || !settings.allow_inline_ignores {
        for f in &mut findings {
            if f.suppression
                .as_ref()
                .is_some_and(|s| s.kind == SuppressionKind::Inline)
            {
                f.suppression = None;
            }
        }
    }
    let inline: Vec<InlineIgnore> = if use_ignores && settings.allow_inline_ignores {
        input.scan.inline_ignores.clone()
    } else {
        Vec::new()
    };
    let mut valid_inline = Vec::new();
    for ig in inline {
        let unknown: Vec<&String> = ig
            .rules
            .iter()
            .filter(|r| registry::find(r).is_none())
            .collect();
        for r in &unknown {
            diags.extend(diag(
                &diagnostics::IGNORE_UNKNOWN_RULE,
                ctx,
                format!(
                    "`infra: ignore[{r}]` names no known rule{}",
                    did_you_mean(r)
                ),
                ig.location.clone(),
                r,
            ));
        }
        if ig.reason.is_none() {
            diags.extend(diag(
                &diagnostics::IGNORE_MISSING_REASON,
                ctx,
                format!(
                    "`infra: ignore[{}]` has no reason, so it suppresses nothing",
                    ig.rules.join(",")
                ),
                ig.location.clone(),
                &ig.rules.join(","),
            ));
            continue;
        }
        valid_inline.push(ig);
    }
    let config: &[ConfigIgnore] = if use_ignores {
        &settings.config_ignores
    } else {
        &[]
    };
    let (inline_used, config_used) = suppress::apply(&mut findings, &valid_inline, config);
    for (ig, used) in valid_inline.iter().zip(inline_used) {
        if !used && ig.rules.iter().all(|r| registry::find(r).is_some()) {
            diags.extend(diag(
                &diagnostics::IGNORE_UNUSED,
                ctx,
                format!("`infra: ignore[{}]` matches no finding", ig.rules.join(",")),
                ig.location.clone(),
                &ig.rules.join(","),
            ));
        }
    }
    for (ig, used) in config.iter().zip(config_used) {
        if !used {
            diags.extend(diag(
                &diagnostics::IGNORE_UNUSED,
                ctx,
                format!(
                    "[[audit.ignore]] for {}{} matches no finding",
                    ig.rule,
                    if ig.paths.is_empty() {
                        String::new()
                    } else {
                        format!(" in {}", ig.paths.join(", "))
                    }
                ),
                ig.location.clone(),
                &format!("{} {}", ig.rule, ig.paths.join(",")),
            ));
        }
    }
    if let (true, Some((baseline, source))) = (use_ignores, &settings.baseline) {
        for stale in baseline.apply(&mut findings, source) {
            diags.extend(diag(
                &diagnostics::BASELINE_STALE,
                ctx,
                format!(
                    "baseline entry for {} in {} matches no finding (fixed or changed)",
                    stale.rule, stale.path
                ),
                Location::file(source.clone()),
                &stale.fingerprint,
            ));
        }
    }
    for mut d in diags {
        match settings.overrides.get(d.rule) {
            Some(RuleSetting::Off) => continue,
            Some(RuleSetting::Level(l)) => d.level = *l,
            None => {}
        }
        findings.push(d);
    }

    let order: BTreeMap<&str, usize> = registry::all_meta()
        .enumerate()
        .map(|(i, m)| (m.id, i))
        .collect();
    findings.sort_by(|a, b| {
        let ka = (
            order.get(a.rule),
            &a.location.path,
            a.location.line,
            a.location.column,
        );
        let kb = (
            order.get(b.rule),
            &b.location.path,
            b.location.line,
            b.location.column,
        );
        ka.cmp(&kb)
    });

    let results = verdicts
        .into_iter()
        .map(|(meta, level, verdict)| {
            let mine = findings.iter().filter(|f| f.rule == meta.id);
            let (active, suppressed) = mine.fold((0, 0), |(a, s), f| {
                if f.suppression.is_some() {
                    (a, s + 1)
                } else {
                    (a + 1, s)
                }
            });
            let (status, reason) = match verdict {
                Verdict::Checked if active > 0 => (Status::Fail, None),
                Verdict::Checked => (Status::Pass, None),
                Verdict::Declared(_) if active > 0 => (Status::Fail, None),
                Verdict::Declared(r) => {
                    (Status::Pass, Some(format!("declared, not verified: {r}")))
                }
                Verdict::NotApplicable(r) => (Status::NotApplicable, Some(r)),
                Verdict::Unknown(r) => (Status::Unknown, Some(r)),
                // run_rule never returns it; an engine verdict is never Skipped.
                Verdict::Skipped => (Status::NotApplicable, None),
            };
            RuleResult {
                rule: meta.id,
                section: meta.section,
                level,
                status,
                reason,
                findings: active,
                suppressed,
            }
        })
        .collect();

    if let Some(url) = &settings.docs_url {
        for f in &mut findings {
            f.docs = format!("{url}#{}", f.rule);
        }
    }

    Report {
        findings,
        results,
        fail_on: settings.fail_on,
        files: ctx.stats.files.max(ctx.files.len() as u64),
        partial: false,
        diff: None,
        known: rule::Known::default(),
        docs_url: settings.docs_url.clone(),
        history: None,
    }
}
