//! What infra knows about each deployment target, one file per platform:
//! how it deploys and rolls back, where logs and metrics are, how secrets and
//! access work, which managed service hosts each kind of data store, and the
//! platform's own files `init` renders. Adding a platform: a file here, a line
//! in `platforms!`, and its templates' branches.

use crate::model::ServiceKind;
use serde::{Serialize, Serializer};
use std::fmt;

/// One platform's knowledge. One `static PLATFORM` per platform file.
pub struct PlatformDef {
    /// Stable id, as infra.toml spells it (`platform.target`).
    pub id: &'static str,
    pub name: &'static str,
    /// Other spellings `platform.target` accepts (`k8s`).
    pub aliases: &'static [&'static str],
    /// A region to preselect at the prompt; `None` when the platform has no region to choose.
    pub suggested_region: Option<&'static str>,
    /// Every region `platform.region` accepts here (docs/answers.md); empty
    /// when the platform has no region to choose. Kept in this one file per
    /// platform, so a new region is one line.
    pub regions: &'static [&'static str],
    /// Staging is a preview alias of production (only production rolls back).
    pub staging_is_preview: bool,
    /// The platform's own files `init` renders when absent: (path, template).
    pub runtime_files: &'static [(&'static str, &'static str)],
    /// Deploy, rollback, logs, metrics, secrets and access, for templates.
    pub facts: fn(region: Option<String>, slug: &str) -> PlatformFacts,
    /// The managed offering that hosts a service here, when the platform has one.
    pub hosting: fn(id: &str, kind: ServiceKind) -> Option<Hosting>,
}

/// Declares the platform modules, the [`Platform`] enum and its dispatch.
macro_rules! platforms {
    ($($variant:ident => $module:ident),* $(,)?) => {
        $(mod $module;)*

        /// A deployment target `infra` renders for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Platform {
            $($variant),*
        }

        const COUNT: usize = [$(stringify!($variant)),*].len();

        impl Platform {
            pub const ALL: [Platform; COUNT] = [$(Platform::$variant),*];

            pub fn def(self) -> &'static PlatformDef {
                match self {
                    $(Platform::$variant => &$module::PLATFORM),*
                }
            }
        }
    };
}

platforms! {
    Vercel => vercel,
    Netlify => netlify,
    Aws => aws,
    Gcp => gcp,
    Azure => azure,
    Fly => fly,
    Kubernetes => kubernetes,
}

impl Platform {
    pub fn id(self) -> &'static str {
        self.def().id
    }

    pub fn display_name(self) -> &'static str {
        self.def().name
    }

    /// Whether the platform has a region the user must choose.
    pub fn has_region(self) -> bool {
        self.def().suggested_region.is_some()
    }

    /// The regions this platform accepts (empty when it has none).
    pub fn regions(self) -> &'static [&'static str] {
        self.def().regions
    }

    /// A sensible region to preselect in the prompt (never applied silently).
    pub fn suggested_region(self) -> Option<&'static str> {
        self.def().suggested_region
    }

    pub fn parse(s: &str) -> Option<Platform> {
        let s = s.trim().to_ascii_lowercase();
        Platform::ALL
            .into_iter()
            .find(|p| p.id() == s || p.def().aliases.contains(&s.as_str()))
    }

    pub fn ids() -> String {
        Platform::ALL.map(Platform::id).join(", ")
    }

    pub fn facts(self, region: Option<String>, slug: &str) -> PlatformFacts {
        (self.def().facts)(region, slug)
    }

    /// How this platform hosts a service: its managed offering, else a generic one.
    pub fn hosting(self, id: &str, kind: ServiceKind) -> Hosting {
        (self.def().hosting)(id, kind).unwrap_or_else(|| generic_hosting(id, kind))
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Platform {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// Everything a platform contributes to the docs and workflows.
#[derive(Debug, Clone, Serialize)]
pub struct PlatformFacts {
    pub id: &'static str,
    pub name: &'static str,
    pub region: Option<String>,
    pub runtime: &'static str,
    pub secrets_store: &'static str,
    pub secrets_cmd: &'static str,
    pub auth: &'static str,
    pub deploy_cmds: Vec<String>,
    pub rollback_list_cmd: String,
    pub rollback_cmds: Vec<String>,
    pub logs: &'static str,
    pub logs_cmd: String,
    pub metrics: &'static str,
    pub dashboards: &'static str,
    pub alerting: &'static str,
    pub zero_downtime: &'static str,
    pub https: &'static str,
    pub headers: &'static str,
    pub access: &'static str,
    /// Names of GitHub environment variables (`vars.*`) the deploy workflow reads.
    pub gh_vars: Vec<GhSetting>,
    /// Names of GitHub environment secrets the deploy workflow reads.
    pub gh_secrets: Vec<GhSetting>,
    pub container: bool,
    pub oidc: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct GhSetting {
    pub name: &'static str,
    pub purpose: &'static str,
}

/// Where a service lives on a platform and how it is backed up and restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hosting {
    pub hosted: String,
    pub backup: String,
    pub restore: String,
}

impl Hosting {
    pub fn new(hosted: &str, backup: &str, restore: &str) -> Hosting {
        Hosting {
            hosted: hosted.to_string(),
            backup: backup.to_string(),
            restore: restore.to_string(),
        }
    }

    /// A cache, wherever it is hosted: not backed up, refilled after a flush.
    pub fn cache(hosted: &str) -> Hosting {
        Hosting::new(
            hosted,
            "not backed up (a cache is rebuilt from the source of truth)",
            "flush and let the app refill it",
        )
    }
}

pub(crate) fn is_postgres(id: &str) -> bool {
    matches!(id, "postgresql" | "postgres")
}

pub(crate) fn is_sql(id: &str) -> bool {
    is_postgres(id) || id == "mysql"
}

/// What any platform offers when it has no managed service of its own.
fn generic_hosting(id: &str, kind: ServiceKind) -> Hosting {
    let s = Hosting::new;
    match kind {
        ServiceKind::Database if is_sql(id) => s(
            "a managed database service from your provider",
            "the provider's automated backups with point-in-time recovery, plus a nightly logical dump (`pg_dump`/`mysqldump`) to separate storage",
            "restore the latest backup into a new instance, verify it, then switch `DATABASE_URL` to it",
        ),
        ServiceKind::Database => s(
            "a managed database service",
            "the provider's automated backups, plus a nightly logical dump to separate storage",
            "restore the latest dump into a new instance, verify it, then switch the connection string",
        ),
        ServiceKind::Cache => Hosting::cache("a managed Redis service"),
        ServiceKind::ObjectStorage => s("the platform's object storage", "bucket versioning plus a lifecycle rule keeping old versions for the retention period", "restore the previous object version"),
        ServiceKind::Search => s("a managed search service", "daily index snapshots", "restore the latest snapshot, or re-index from the database"),
        ServiceKind::Queue => s("a managed queue service", "not backed up; messages are retried from the producer", "replay from the dead-letter queue"),
        _ => s("an external provider", "kept by the provider", "not applicable"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_with_a_region_list_it_and_suggest_one_of_them() {
        for p in Platform::ALL {
            assert_eq!(p.has_region(), !p.regions().is_empty(), "{p}");
            if let Some(r) = p.suggested_region() {
                assert!(p.regions().contains(&r), "{p}: {r}");
            }
            let mut sorted = p.regions().to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), p.regions().len(), "{p}: a region twice");
        }
        assert!(Platform::Aws.regions().contains(&"eu-west-1"));
        assert!(!Platform::Aws.regions().contains(&"mars-central-9"));
    }
}
