//! backups-undocumented: data stores have backups documented with
//! frequency, retention and a restore procedure (checklist §5.4).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{any_keyword, infra_doc, infra_docs, DocLookup};
use crate::parse::markdown::sections::Doc;

crate::declare_rule!(
    BackupsUndocumented,
    RuleMeta {
        id: "backups-undocumented",
        section: "5.4",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "Backups of every data store are documented: frequency, retention and how to restore",
        applies: "when discovery finds a store of the app's own (a service with a store role: database, embedded database such as SQLite, object storage, search, a Redis that is the primary store) or infra.toml lists `[data] stores`; not a driver dependency with no connection settings of the app's own (a client library), a cache, or a queue (pending jobs are retried or re-enqueued, not restored)",
        rationale: "Checklist §5.4: for data stores ensure backups are configured, and document at high level the frequency, the retention and the restore procedure. A backup nobody has restored is a hope, not a backup.",
        detection: "docs/infra/backups.md (or a \"Backups\" section in any docs/infra/*.md) mentions frequency (\"frequency\", \"schedule\", \"how often\", \"hourly\", \"daily\", \"weekly\", \"every\", \"cron\", \"continuous\"), retention (\"retention\", \"retain\", \"kept for\", \"keep\") and restore (\"restore\", \"restoring\", \"recovery\", \"recover\"). For an embedded store (SQLite, H2, LevelDB, …) the backup is a copy of its file, so the doc must also say where that file lives (\"file\", \"volume\", \"disk\", \"path\", \".db\", \".sqlite\", \"litestream\").",
        fix: "run `infra init` to render docs/infra/backups.md (frequency, retention and restore steps per data store), then check it matches what is configured",
        fixed_by_init: true,
        fail_example: "docker-compose.yml: image: postgres:16   (and no backups doc)",
        pass_example: "# Backups\n\n## Frequency\nDaily snapshots at 02:00 UTC.\n\n## Retention\nKept for 30 days.\n\n## Restore\n1. Pick the snapshot …",
    }
);

pub const FREQUENCY: &[&str] = &[
    "frequency",
    "schedule",
    "how often",
    "hourly",
    "daily",
    "weekly",
    "every ",
    "cron",
    "continuous",
];
pub const RETENTION: &[&str] = &["retention", "retain", "kept for", "keep "];
pub const RESTORE: &[&str] = &["restore", "restoring", "recovery", "recover"];
/// Words that place an embedded store's file: its backup is a copy of it.
pub const EMBEDDED_FILE: &[&str] = &[
    "file",
    "volume",
    "disk",
    "path",
    ".db",
    ".sqlite",
    "litestream",
];

impl Rule for BackupsUndocumented {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let mut stores: Vec<String> = ctx.data_stores().map(|s| s.name.clone()).collect();
        if let Some(list) = input
            .answers
            .and_then(|a| a.data.as_ref())
            .and_then(|d| d.stores.as_ref())
        {
            // infra.toml names stores by id; show the discovered name when known.
            for id in list {
                let name = ctx
                    .service(id)
                    .map_or_else(|| id.clone(), |s| s.name.clone());
                if !stores.iter().any(|s| s.eq_ignore_ascii_case(&name)) {
                    stores.push(name);
                }
            }
        }
        stores.sort();
        stores.dedup();
        if stores.is_empty() {
            return Verdict::NotApplicable("no data store found".into());
        }
        // The text to check and where it is: backups.md, else a Backups section elsewhere.
        let (path, text) = match infra_doc(ctx, "backups.md") {
            DocLookup::Found(d) => (d.path.to_string(), d.text.to_lowercase()),
            DocLookup::Unreadable(p) => return Verdict::Unknown(format!("{p} was not read")),
            DocLookup::Missing => {
                let docs = infra_docs(ctx);
                let hit = docs.iter().find_map(|d| {
                    let doc: &Doc = &d.doc;
                    doc.find(&["backup", "backups", "disaster recovery"])
                        .filter(|s| s.has_content())
                        .map(|s| (d.path.to_string(), s.text_lower()))
                });
                match hit {
                    Some(h) => h,
                    None => {
                        let mut b = out
                            .add(format!(
                                "no backups doc, but the app keeps data in {}",
                                stores.join(", ")
                            ))
                            .at_file("docs/infra/backups.md")
                            .key("no doc");
                        for s in ctx.data_stores().take(3) {
                            if let Some(e) = crate::audit::rules::service_evidence(s) {
                                b = b.related(
                                    e.location.clone(),
                                    format!("{} found here ({})", s.name, e.via),
                                );
                            }
                        }
                        b.emit();
                        return Verdict::Checked;
                    }
                }
            }
        };
        for (what, keywords, heading) in [
            ("how often backups run", FREQUENCY, "Frequency"),
            ("how long backups are kept", RETENTION, "Retention"),
            ("how to restore from a backup", RESTORE, "Restore"),
        ] {
            if !any_keyword(&text, keywords) {
                out.add(format!("{path} does not say {what}"))
                    .at_file(&path)
                    .fix(format!(
                        "add a `## {heading}` section to {path} saying {what}"
                    ))
                    .key(heading)
                    .emit();
            }
        }
        let embedded: Vec<&str> = ctx
            .data_stores()
            .filter(|s| s.embedded)
            .map(|s| s.name.as_str())
            .collect();
        if !embedded.is_empty() && !any_keyword(&text, EMBEDDED_FILE) {
            out.add(format!(
                "{path} does not say which file or volume holds {}",
                embedded.join(", ")
            ))
            .at_file(&path)
            .evidence("an embedded store lives in a file: its backup is a copy of that file or its volume")
            .fix(format!(
                "say in {path} where the database file lives (path or volume) and how it is copied safely (e.g. `sqlite3 app.db \".backup …\"` or a volume snapshot)"
            ))
            .key("Embedded file")
            .emit();
        }
        Verdict::Checked
    }
}
