//! Findings the engine itself raises about the audit's inputs: ignores
//! without a reason or that match nothing, stale baseline entries, files
//! that could not be parsed. They are listed, explained and documented like
//! rules, under section 0.

use super::meta::RuleMeta;
use crate::model::{Confidence, Level};

pub static IGNORE_MISSING_REASON: RuleMeta = RuleMeta {
    id: "ignore-missing-reason",
    section: "0",
    level: Level::Warning,
    confidence: Confidence::High,
    description: "An inline `infra: ignore[...]` comment gives no reason, so it suppresses nothing",
    applies: "every inline ignore comment",
    rationale: "A suppression without a reason cannot be reviewed; the next reader cannot tell an accepted risk from a forgotten one.",
    detection: concat!("An `infra:", " ignore[<rule-id>]` comment with nothing after the closing bracket."),
    fix: concat!("add the reason after the bracket: `# infra:", " ignore[<rule-id>] why this is acceptable`"),
    fixed_by_init: false,
    fail_example: concat!("# infra:", " ignore[env-example-missing]"),
    pass_example: concat!("# infra:", " ignore[env-example-missing] this library reads no configuration"),
};

pub static IGNORE_UNUSED: RuleMeta = RuleMeta {
    id: "ignore-unused",
    section: "0",
    level: Level::Note,
    confidence: Confidence::High,
    description: "An inline ignore or an `[[audit.ignore]]` entry matches no finding",
    applies: "every inline ignore and every [[audit.ignore]] entry",
    rationale: "Ignores outlive the problems they hid; an unused one will silently hide the next, unrelated finding.",
    detection: "After all rules ran, the ignore covered no finding of the rules it names.",
    fix: "delete the ignore",
    fixed_by_init: false,
    fail_example: concat!("<!-- infra:", " ignore[deploy-no-rollback] old reason --> (and the doc now has a rollback section)"),
    pass_example: "(no ignore left once the finding is fixed)",
};

pub static IGNORE_UNKNOWN_RULE: RuleMeta = RuleMeta {
    id: "ignore-unknown-rule",
    section: "0",
    level: Level::Warning,
    confidence: Confidence::High,
    description: "An inline ignore names a rule id that does not exist",
    applies: "every inline ignore comment",
    rationale: "A misspelt rule id suppresses nothing while looking like it does.",
    detection: "The id in `infra: ignore[...]` is not in `infra rules`.",
    fix: "use an id from `infra rules` (the message suggests the closest one)",
    fixed_by_init: false,
    fail_example: concat!("# infra:", " ignore[readme-mising] typo"),
    pass_example: concat!(
        "# infra:",
        " ignore[readme-missing] generated mirror of upstream"
    ),
};

pub static BASELINE_STALE: RuleMeta = RuleMeta {
    id: "baseline-stale",
    section: "0",
    level: Level::Note,
    confidence: Confidence::High,
    description: "A baseline entry matches no current finding",
    applies: "when --baseline is given",
    rationale: "A stale entry means the problem was fixed (or moved); keeping it would hide a future finding with the same fingerprint.",
    detection: "A fingerprint in the baseline file that no finding of this run has.",
    fix: "rewrite the baseline with `infra audit --write-baseline FILE`",
    fixed_by_init: false,
    fail_example: "{\"rule\": \"readme-missing\", \"path\": \"README.md\", \"fingerprint\": \"…\"} after README.md was added",
    pass_example: "a baseline written by the latest `infra audit --write-baseline`",
};

pub static FILE_UNPARSEABLE: RuleMeta = RuleMeta {
    id: "file-unparseable",
    section: "0",
    level: Level::Warning,
    confidence: Confidence::High,
    description: "A file discovery needed could not be read or parsed",
    applies: "files discovery reads: manifests, compose, workflows, config, docs",
    rationale: "Rules cannot check what they cannot read; a broken manifest or workflow is also a problem in itself.",
    detection: "Discovery reported a read or parse error for the file.",
    fix: "fix the syntax error at the reported location (or exclude the file in .infraignore)",
    fixed_by_init: false,
    fail_example: "docker-compose.yml: `services: [` (unterminated)",
    pass_example: "docker-compose.yml that parses",
};

pub static FILE_SKIPPED: RuleMeta = RuleMeta {
    id: "file-skipped",
    section: "0",
    level: Level::Note,
    confidence: Confidence::High,
    description: "A file was not scanned: over the size limit, or binary",
    applies: "files over 2 MiB and binary files (a NUL byte in the first 8 KiB)",
    rationale: "What is not read is not checked: a large dump or a binary can still hold a credential, so the report says what it did not look at rather than passing silently.",
    detection: "The walk lists such files without reading (too large) or without scanning (binary). Each file over the limit gets a note; binaries get one note with their count.",
    fix: "make sure no secret or configuration lives in these files, or exclude them in .infraignore",
    fixed_by_init: false,
    fail_example: "db/dump.sql: 40 MiB, over the 2 MiB scan limit",
    pass_example: "no file over the limit; images listed once as binary",
};

/// Every engine diagnostic, in the order `infra rules` lists them.
pub static ALL: &[&RuleMeta] = &[
    &IGNORE_MISSING_REASON,
    &IGNORE_UNUSED,
    &IGNORE_UNKNOWN_RULE,
    &BASELINE_STALE,
    &FILE_UNPARSEABLE,
    &FILE_SKIPPED,
];
