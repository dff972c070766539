//! dependency-updates-missing: a bot proposes dependency updates for every
//! ecosystem the repository uses (checklist §5.3).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::context::Context;
use crate::model::Location;
use crate::parse::yaml::{self, Yaml};
use globset::Glob;
use std::collections::BTreeSet;

crate::declare_rule!(
    DependencyUpdatesMissing,
    RuleMeta {
        id: "dependency-updates-missing",
        section: "5.3",
        level: Level::Warning,
        confidence: Confidence::High,
        description: "Dependabot or Renovate keeps every ecosystem's dependencies up to date",
        applies: "when the repository has package manifests, Dockerfiles or GitHub Actions workflows",
        rationale: "Checklist §5.3: keep dependencies reasonably up to date. Without a bot proposing updates, versions age until a security fix needs a jump across several majors at the worst moment.",
        detection: "The ecosystems in use are the package manifests discovery found (a package.json without dependencies has none) (npm, pip/uv/poetry, cargo, go modules, bundler, composer, maven, gradle, nuget, each in its folder), the folders with Dockerfiles (`docker`) and GitHub Actions workflows that use actions (`github-actions`, folder `/`). `uv` stands in for `pip` and `bun` for `npm`; a workspace member without its own lockfile is covered by the entry of the folder above that holds the workspace's lockfile (`bun.lock`, `uv.lock`, `Cargo.lock`, `go.work`, …); manifests under test, fixture, example, vendored or generated folders are left out. A Renovate configuration (`renovate.json`, `renovate.json5`, `.renovaterc`, `.renovaterc.json`, the same under `.github/` or `.gitlab/`, or a `renovate` key in the root package.json) covers every ecosystem. Otherwise `.github/dependabot.yml` must have an `updates` entry with the ecosystem's `package-ecosystem` and a `directory` (or a `directories` pattern) matching the manifest's folder; each ecosystem and folder it lacks is a finding. An unreadable dependabot.yml makes the result unknown.",
        fix: "add the missing entries to .github/dependabot.yml (`package-ecosystem`, `directory`, `schedule`), or add a Renovate configuration; `infra init` renders a dependabot.yml for what it finds",
        fixed_by_init: true,
        fail_example: "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: {interval: weekly}\n# the repo also has api/go.mod and a Dockerfile",
        pass_example: "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: {interval: weekly}\n  - package-ecosystem: gomod\n    directory: /api\n    schedule: {interval: weekly}\n  - package-ecosystem: docker\n    directory: /\n    schedule: {interval: weekly}",
    }
);

const DEPENDABOT: &[&str] = &[".github/dependabot.yml", ".github/dependabot.yaml"];
const RENOVATE: &[&str] = &[
    "renovate.json",
    "renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".renovaterc.json5",
    ".github/renovate.json",
    ".github/renovate.json5",
    ".gitlab/renovate.json",
    ".gitlab/renovate.json5",
];

/// One ecosystem in one folder, and the file that shows it is used.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Needed {
    ecosystem: String,
    /// Folder relative to the root, `""` for the root.
    dir: String,
    evidence: String,
}

fn needed(ctx: &Context) -> BTreeSet<Needed> {
    let mut out = BTreeSet::new();
    for s in &ctx.stacks {
        // A package.json without dependencies (tool config only) has
        // nothing to update; other manifests' dependency lists are not
        // always complete, so they count whatever they list.
        if s.language == crate::context::stack::Language::Node && s.dependencies.is_empty() {
            continue;
        }
        if let Some(eco) = (s.language.ecosystem().dependabot)(s) {
            out.insert(Needed {
                ecosystem: eco.to_string(),
                dir: s.dir.trim_matches('/').to_string(),
                evidence: s.manifest.clone(),
            });
        }
    }
    for d in &ctx.containers {
        let dir = d.path.rsplit_once('/').map_or("", |(d, _)| d);
        out.insert(Needed {
            ecosystem: "docker".into(),
            dir: dir.to_string(),
            evidence: d.path.clone(),
        });
    }
    let actions = ctx
        .pipelines
        .iter()
        .filter(|p| p.path.starts_with(".github/workflows/"))
        .find(|p| {
            p.jobs.iter().any(|j| {
                matches!(j.calls, Some(crate::parse::pipeline::Uses::Remote(_)))
                    || j.steps
                        .iter()
                        .any(|s| matches!(s.uses, Some(crate::parse::pipeline::Uses::Remote(_))))
            })
        });
    if let Some(p) = actions {
        out.insert(Needed {
            ecosystem: "github-actions".into(),
            dir: String::new(),
            evidence: p.path.clone(),
        });
    }
    // One entry per ecosystem and folder, whatever shows it; manifests of
    // tests, examples and copied-in code are not the project's to update.
    use crate::source::class::FileClass::*;
    let mut seen = BTreeSet::new();
    out.into_iter()
        .filter(|n| {
            // `requirements.example.txt` is a template someone copies.
            let name = crate::source::text::file_name(&n.evidence);
            if name.contains(".example.") || name.contains(".sample.") {
                return false;
            }
            let c = ctx.classes_of(&n.evidence);
            ![Test, Fixture, Example, Vendored, Generated]
                .iter()
                .any(|k| c.has(*k))
        })
        .filter(|n| seen.insert((n.ecosystem.clone(), n.dir.clone())))
        .collect()
}

/// `package-ecosystem` and the folder patterns of each `updates` entry.
fn covered(doc: &Yaml) -> Vec<(String, Vec<String>)> {
    let Some(updates) = doc.get("updates").and_then(Yaml::as_seq) else {
        return Vec::new();
    };
    updates
        .iter()
        .filter_map(|u| {
            let eco = u.str_at("package-ecosystem")?.to_string();
            let mut dirs: Vec<String> = u
                .str_at("directory")
                .map(|d| vec![d.to_string()])
                .unwrap_or_default();
            if let Some(list) = u.get("directories") {
                dirs.extend(list.str_list());
            }
            Some((eco, dirs))
        })
        .collect()
}

/// Dependabot's names for one package manager family: `uv` updates what
/// `pip` would for a uv project, `bun` what `npm` would for a bun one.
fn same_ecosystem(entry: &str, needed: &str) -> bool {
    fn family(e: &str) -> &str {
        match e {
            "pip" | "uv" | "pipenv" | "poetry" => "python",
            "npm" | "bun" | "yarn" | "pnpm" => "node",
            other => other,
        }
    }
    entry == needed || family(entry) == family(needed)
}

/// Lockfiles that make a folder the root of a workspace its members share.
fn lockfiles(ecosystem: &str) -> &'static [&'static str] {
    match ecosystem {
        "npm" | "bun" => &[
            "package-lock.json",
            "yarn.lock",
            "pnpm-lock.yaml",
            "bun.lock",
            "bun.lockb",
        ],
        "pip" | "uv" => &["uv.lock", "poetry.lock", "Pipfile.lock"],
        "cargo" => &["Cargo.lock"],
        "gomod" => &["go.work"],
        _ => &[],
    }
}

/// The folders whose entry would update `n`: its own, and for a workspace
/// member without a lockfile of its own, the nearest folder above with one
/// (Dependabot updates a workspace from its root).
fn covering_folders(ctx: &Context, n: &Needed) -> Vec<String> {
    let mut out = vec![n.dir.clone()];
    let locks = lockfiles(&n.ecosystem);
    let has_lock = |dir: &str| {
        locks.iter().any(|l| {
            ctx.has_file(&if dir.is_empty() {
                (*l).to_string()
            } else {
                format!("{dir}/{l}")
            })
        })
    };
    if locks.is_empty() || has_lock(&n.dir) {
        return out;
    }
    let mut dir = n.dir.as_str();
    while !dir.is_empty() {
        dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
        if has_lock(dir) {
            out.push(dir.to_string());
            break;
        }
    }
    out
}

fn dir_matches(pattern: &str, dir: &str) -> bool {
    let pattern = pattern.trim().trim_matches('/');
    if pattern == dir {
        return true;
    }
    // `/**` is every folder, the root included.
    pattern == "**" || Glob::new(pattern).is_ok_and(|g| g.compile_matcher().is_match(dir))
}

impl Rule for DependencyUpdatesMissing {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let needed = needed(ctx);
        if needed.is_empty() {
            return Verdict::NotApplicable(
                "no package manifest, Dockerfile or workflow action".into(),
            );
        }
        if RENOVATE.iter().any(|p| ctx.has_file(p)) {
            return Verdict::Checked;
        }
        if ctx
            .texts
            .get("package.json")
            .is_some_and(|t| t.contains("\"renovate\""))
        {
            return Verdict::Checked;
        }
        let Some((path, text)) = DEPENDABOT
            .iter()
            .find_map(|p| ctx.texts.get(*p).map(|t| (*p, t)))
        else {
            // Workspace members are updated with their root: list the roots.
            let roots: Vec<&Needed> = needed
                .iter()
                .filter(|n| covering_folders(ctx, n).len() == 1)
                .collect();
            let mut list: Vec<String> = roots
                .iter()
                .take(6)
                .map(|n| format!("{} ({})", n.ecosystem, n.evidence))
                .collect();
            if roots.len() > 6 {
                list.push(format!("{} more", roots.len() - 6));
            }
            let mut b = out
                .add(format!(
                    "no Dependabot or Renovate configuration: nothing proposes updates for {}",
                    list.join(", ")
                ))
                .at_file(".github/dependabot.yml")
                .key("no bot");
            for n in roots.iter().take(5) {
                b = b.related(
                    Location::new(&n.evidence, 1, 1),
                    format!("uses {}", n.ecosystem),
                );
            }
            b.emit();
            return Verdict::Checked;
        };
        let doc = match yaml::parse_documents(text) {
            Ok(docs) => docs.into_iter().next(),
            Err(e) => {
                return Verdict::Unknown(format!(
                    "{path}:{}:{}: cannot read it: {}",
                    e.line, e.column, e.message
                ))
            }
        };
        let entries = doc.as_ref().map(covered).unwrap_or_default();
        let updates_at = doc
            .as_ref()
            .and_then(|d| d.get("updates"))
            .map_or(Location::new(path, 1, 1), |u| {
                Location::new(path, u.line, u.column)
            });
        for n in &needed {
            let folders = covering_folders(ctx, n);
            let ok = entries.iter().any(|(eco, dirs)| {
                same_ecosystem(eco, &n.ecosystem)
                    && dirs
                        .iter()
                        .any(|d| folders.iter().any(|f| dir_matches(d, f)))
            });
            if !ok {
                let folder = format!("/{}", n.dir);
                out.add(format!(
                    "{path} has no `{}` entry for `{folder}`: {} is not kept up to date",
                    n.ecosystem, n.evidence
                ))
                .at(updates_at.clone())
                .related(Location::new(&n.evidence, 1, 1), format!("uses {}", n.ecosystem))
                .fix(format!(
                    "add `- package-ecosystem: {}` with `directory: \"{folder}\"` and a `schedule` to {path}",
                    n.ecosystem
                ))
                .key(format!("{} {folder}", n.ecosystem))
                .emit();
            }
        }
        Verdict::Checked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecosystem_families() {
        assert!(same_ecosystem("uv", "pip"));
        assert!(same_ecosystem("bun", "npm"));
        assert!(!same_ecosystem("docker-compose", "docker"));
        assert!(!same_ecosystem("npm", "pip"));
    }

    #[test]
    fn folders_and_patterns() {
        assert!(dir_matches("/", ""));
        assert!(dir_matches("/web", "web"));
        assert!(dir_matches("/web/", "web"));
        assert!(dir_matches("/apps/*", "apps/api"));
        assert!(dir_matches("/**", "apps/api"));
        assert!(dir_matches("/**", ""));
        assert!(!dir_matches("/", "web"));
        assert!(!dir_matches("/apps/*", "libs/x"));
    }
}
