//! backups-undocumented: data stores have backups documented with
//! frequency, retention and a restore procedure (checklist §5.4).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, ClassPolicy, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{any_keyword, infra_doc, infra_docs, DocLookup};
use crate::context::model::{K8sObject, PodStorage, TerraformBlock};
use crate::model::Location;
use crate::parse::markdown::sections::Doc;
use crate::parse::terraform::Value;

crate::declare_rule!(
    BackupsUndocumented,
    RuleMeta {
        id: "backups-undocumented",
        section: "5.4",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "Backups of every data store are documented: frequency, retention and how to restore",
        applies: "the configuration checks: Terraform database resources and Kubernetes workloads running a database image; the documentation check: when discovery finds a store of the app's own (a service with a store role: database, embedded database such as SQLite, object storage, search, a Redis that is the primary store) or infra.toml lists `[data] stores`; not a driver dependency with no connection settings of the app's own (a client library), a cache, or a queue (pending jobs are retried or re-enqueued, not restored)",
        rationale: "Checklist §5.4: for data stores ensure backups are configured, and document at high level the frequency, the retention and the restore procedure. A backup nobody has restored is a hope, not a backup.",
        detection: "docs/infra/backups.md (or a \"Backups\" section in any docs/infra/*.md) mentions frequency (\"frequency\", \"schedule\", \"how often\", \"hourly\", \"daily\", \"weekly\", \"every\", \"cron\", \"continuous\"), retention (\"retention\", \"retain\", \"kept for\", \"keep\") and restore (\"restore\", \"restoring\", \"recovery\", \"recover\"). For an embedded store (SQLite, H2, LevelDB, …) the backup is a copy of its file, so the doc must also say where that file lives (\"file\", \"volume\", \"disk\", \"path\", \".db\", \".sqlite\", \"litestream\"). What the configuration says, whatever the docs say: Terraform `backup_retention_period = 0` on RDS, Aurora, DocumentDB and Neptune (automated backups off); a Cloud SQL instance without `backup_configuration { enabled = true }` (off is Cloud SQL's default); and, one level lower, `skip_final_snapshot = true` without `deletion_protection = true` (a destroy or a replacement drops the data without a last snapshot) and a DynamoDB table without `point_in_time_recovery { enabled = true }` when no `aws_backup_plan` is in the repository. Values computed from variables are not judged. Kubernetes: a workload's database or search container (by its image) whose mounted volumes are only `emptyDir`, or that mounts no volume besides configuration and secrets: its data goes with the pod, so there is nothing to back up. Kustomize patch files (listed under a kustomization's `patches`/`patchesStrategicMerge`) are partial objects and are not judged on what they leave out. Helm templates are not rendered: when the repository has any, the rule is unknown unless it found something, and the reason names them.",
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

/// The Terraform resources whose backup settings the rule reads.
const DATABASE_RESOURCES: &[&str] = &[
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_docdb_cluster",
    "aws_neptune_cluster",
    "aws_redshift_cluster",
    "google_sql_database_instance",
    "aws_dynamodb_table",
];

impl Rule for BackupsUndocumented {
    fn class_policy(&self) -> ClassPolicy {
        super::DEPLOYED_ONLY
    }

    fn terraform_resource(
        &self,
        input: &AuditInput<'_>,
        r: &TerraformBlock,
        out: &mut Findings<'_>,
    ) -> Verdict {
        let body = &r.body;
        let at = |line: u32| Location::new(&r.location.path, line, 1);
        let name = format!("{}.{}", r.kind, r.name);
        let kind = r.kind.as_str();
        if !DATABASE_RESOURCES.contains(&kind) {
            return Verdict::Skipped;
        }
        if matches!(
            kind,
            "aws_db_instance" | "aws_rds_cluster" | "aws_docdb_cluster" | "aws_neptune_cluster"
        ) {
            if let Some(a) = body.attribute("backup_retention_period") {
                if a.value.as_f64() == Some(0.0) {
                    out.add(format!(
                        "`{name}` turns automated backups off (`backup_retention_period = 0`)"
                    ))
                    .at(at(a.line))
                    .fix("set `backup_retention_period` to the retention you document (7 to 35 days), so point-in-time restores exist")
                    .key(format!("{name} retention 0"))
                    .emit();
                }
            }
        }
        if matches!(
            kind,
            "aws_db_instance"
                | "aws_rds_cluster"
                | "aws_docdb_cluster"
                | "aws_neptune_cluster"
                | "aws_redshift_cluster"
        ) {
            let protected =
                body.value("deletion_protection").and_then(Value::as_bool) == Some(true);
            if let Some(a) = body.attribute("skip_final_snapshot") {
                if a.value.as_bool() == Some(true) && !protected {
                    out.add(format!(
                        "`{name}` skips the final snapshot and has no deletion protection: a `terraform destroy` or a replacement drops its data for good"
                    ))
                    .at(at(a.line))
                    .fix("set `skip_final_snapshot = false` with a `final_snapshot_identifier`, or `deletion_protection = true`")
                    .key(format!("{name} final snapshot"))
                    .demoted()
                    .emit();
                }
            }
        }
        if kind == "google_sql_database_instance" {
            if let Some(settings) = body.block("settings") {
                let dynamic = settings
                    .body
                    .blocks("dynamic")
                    .any(|d| d.label(0) == "backup_configuration");
                let enabled = settings
                    .body
                    .block("backup_configuration")
                    .map(|b| b.body.value("enabled"));
                let off = match enabled {
                    None => true,
                    Some(v) => v.is_some_and(|v| v.as_bool() == Some(false)) || v.is_none(),
                };
                if off && !dynamic {
                    let line = settings
                        .body
                        .block("backup_configuration")
                        .map_or(settings.line, |b| b.line);
                    out.add(format!(
                        "Cloud SQL instance `{name}` has no automated backups (`backup_configuration {{ enabled = true }}` is not set; off is Cloud SQL's default)"
                    ))
                    .at(at(line))
                    .fix("add `backup_configuration { enabled = true }` (and `point_in_time_recovery_enabled = true` for PostgreSQL) to `settings`")
                    .key(format!("{name} backups off"))
                    .emit();
                }
            }
        }
        if kind == "aws_dynamodb_table" {
            let pitr = body
                .block("point_in_time_recovery")
                .and_then(|b| b.body.value("enabled"))
                .map(|v| v.as_bool() != Some(false));
            let backup_plan = input
                .ctx
                .terraform
                .resources
                .iter()
                .any(|r| r.kind == "aws_backup_plan");
            if pitr != Some(true) && !backup_plan {
                out.add(format!(
                    "DynamoDB table `{name}` has no point-in-time recovery and no AWS Backup plan is in the repository"
                ))
                .at(r.location.clone())
                .fix("add `point_in_time_recovery { enabled = true }`, or an `aws_backup_plan` that selects the table")
                .key(format!("{name} pitr"))
                .demoted()
                .emit();
            }
        }
        Verdict::Checked
    }

    fn helm_templates(
        &self,
        _input: &AuditInput<'_>,
        templates: &[String],
        _out: &mut Findings<'_>,
    ) -> Verdict {
        super::helm_not_rendered(templates)
    }

    fn kubernetes_object(
        &self,
        _input: &AuditInput<'_>,
        object: &K8sObject,
        out: &mut Findings<'_>,
    ) -> Verdict {
        // A kustomize patch is a partial object: what it leaves out, its base sets.
        if object.patch {
            return Verdict::Skipped;
        }
        if object.stores.is_empty() {
            return Verdict::Skipped;
        }
        let workload = object.name.as_deref().unwrap_or("(unnamed)");
        for s in &object.stores {
            let (why, key) = match &s.storage {
                PodStorage::Lasting => continue,
                PodStorage::EmptyDir(v) => (
                    format!("keeps its data on the `emptyDir` volume `{v}`"),
                    "emptyDir",
                ),
                PodStorage::None => ("mounts no data volume".to_string(), "no volume"),
            };
            out.add(format!(
                "container `{}` ({}) of {} `{workload}` {why}: the data is lost when the pod is rescheduled, and there is nothing to back up",
                s.container, s.image, object.kind
            ))
            .at(s.location.clone())
            .related(object.location.clone(), format!("{} {workload}", object.kind))
            .fix("keep the data on a PersistentVolumeClaim (a StatefulSet with `volumeClaimTemplates`) with snapshots, or use the platform's managed database")
            .key(format!("{} {workload} {} {key}", object.kind, s.container))
            .emit();
        }
        Verdict::Checked
    }

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
