//! change-logging-missing: code the change adds that calls an external
//! service sits in a file that logs (checklist §8).

use crate::audit::finding::Findings;
use crate::audit::rule::{
    AuditInput, Change, ChangeStatus, ClassAction, ClassPolicy, Confidence, Level, Rule, RuleMeta,
    Verdict,
};
use crate::audit::rules::change_repository;
use crate::scan::logs::Lang;
use crate::scan::MatchKind;

crate::declare_rule!(
    ChangeLoggingMissing,
    RuleMeta {
        id: "change-logging-missing",
        section: "8",
        level: Level::Warning,
        confidence: Confidence::Low,
        description: "Code the change adds that calls an external service is in a file that logs",
        applies: "in diff mode (`--base REF`, `--staged`), to source files the change adds lines to",
        rationale: "Checklist §8: logging must cover errors and critical paths. A new call to a payment provider, queue or database whose failures are logged nowhere is an outage nobody can explain.",
        detection: "A heuristic: discovery's evidence that a source file uses an external service (a client import, a connection URL, a provider's env var, a queue or cache command; embedded stores such as SQLite aside) on a line the change adds, where that file (under its old name, for a rename) had no evidence of the service at the base (with `--staged`: none on lines the commit leaves), in a JavaScript/TypeScript, Python, Go, Ruby, Java, Kotlin, Scala, Rust, PHP or C# file where the log scanner found no logger set-up and no log call at all. It cannot see a logger the caller or a framework adds, so it stays a low-confidence warning and says what it found.",
        fix: "log the integration's failures where they happen (the error, the operation and the request id, never the credentials), or handle them where an existing logger records them",
        fixed_by_init: false,
        fail_example: "+ const charge = await stripe.charges.create(...)   (the file has no log call)",
        pass_example: "try { await stripe.charges.create(...) } catch (err) { logger.error({ err, orderId }, \"charge failed\"); throw err; }",
    }
);

impl Rule for ChangeLoggingMissing {
    fn class_policy(&self) -> ClassPolicy {
        use crate::source::class::FileClass::*;
        use ClassAction::*;
        &[
            (Generated, Skip),
            (Vendored, Skip),
            (Minified, Skip),
            (Test, Skip),
            (Fixture, Skip),
            (Example, Skip),
            (Docs, Skip),
        ]
    }

    fn repository(&self, input: &AuditInput<'_>, _out: &mut Findings<'_>) -> Verdict {
        change_repository(input)
    }

    fn change(&self, input: &AuditInput<'_>, change: &Change, out: &mut Findings<'_>) -> Verdict {
        if change.status == ChangeStatus::Deleted || Lang::of_path(&change.path).is_none() {
            return Verdict::Skipped;
        }
        let logs = input
            .scan
            .in_file(&change.path)
            .any(|m| matches!(m.kind, MatchKind::LogUse(_)));
        if logs {
            return Verdict::Checked;
        }
        for s in input.ctx.used_services().filter(|s| !s.embedded) {
            let Some(e) = s
                .evidence
                .iter()
                .find(|e| e.location.path == change.path && change.adds(e.location.line))
            else {
                continue;
            };
            // The file used it before the change: not a new integration.
            let was_at = match &change.status {
                ChangeStatus::Renamed { from } => from.clone(),
                _ => change.path.clone(),
            };
            let in_file = s.evidence.iter().filter(|e| e.location.path == change.path);
            let new = match input.before {
                Some(before) => !before.service_files.contains(&(s.id.clone(), was_at)),
                None => crate::audit::rules::all_added(input, in_file.map(|e| &e.location)),
            };
            if !new {
                continue;
            }
            out.add(format!(
                "the change adds a use of {} ({}) in a file that logs nothing: its failures would go unrecorded",
                s.name, s.kind
            ))
            .at(e.location.clone())
            .evidence(format!("found: {} via {}", s.name, e.via))
            .evidence(format!(
                "not found: a logger set-up or log call anywhere in {}",
                change.path
            ))
            .key(format!("service {}", s.id))
            .emit();
        }
        Verdict::Checked
    }
}
