//! dependency-unvetted-source: production dependencies come from their
//! ecosystem's registry, not from git repositories, URLs or folders outside
//! the repository (checklist §5.3).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::context::model::{DepSource, SourceKind};
use crate::model::Location;

crate::declare_rule!(
    DependencyUnvettedSource,
    RuleMeta {
        id: "dependency-unvetted-source",
        section: "5.3",
        level: Level::Warning,
        confidence: Confidence::High,
        description: "Production dependencies come from their registry, not from git, a URL or a folder outside the repository",
        applies: "when the repository has package manifests",
        rationale: "Checklist §5.3: avoid random, unvetted libraries for critical tasks. A registry release has a version, a publisher, advisories and a lockfile hash that update bots and scanners read; a git branch, a tarball URL or a sibling folder on someone's disk has none of that, changes under the same name and cannot be audited.",
        detection: "Every production (non-dev) dependency of the manifests discovery reads, outside test, fixture, example, vendored and generated folders: package.json `dependencies` and `optionalDependencies` whose specifier is git (`git+https://`, `git://`, `github:`, `gitlab:`, `bitbucket:`, the `user/repo` shorthand), a tarball URL (`http(s)://…`) or a path (`file:`, `link:`, `portal:`, `./`, `../`); Cargo.toml `[dependencies]`, `[workspace.dependencies]` and target dependencies with `git =` or `path =`; requirements*.txt (not dev/test/lint/doc/ci files) lines `git+…`, `-e <VCS or path>`, archive URLs, local paths and `name @ url`; pyproject `name @ git+…`/URL, Poetry `{ git | path | url = … }`, `[tool.uv.sources]` `git`/`path`/`url`; Pipfile `[packages]` with `git`/`path`/`file`; Gemfile gems outside dev/test groups with `git:`, `github:`/`gitlab:`/`bitbucket:`, `path:` or in a `git … do`/`path … do` block; go.mod `replace … => ./dir`. A path that stays inside the repository (a workspace member) is fine; one that climbs out of it (`../../other`) or is absolute is a finding. One finding per dependency, at the line that names the source.",
        fix: "depend on a published release from the registry (or publish the fork to a private registry with a version); for a package of this repository keep the path inside it",
        fixed_by_init: false,
        fail_example: "\"dependencies\": {\n  \"left-pad\": \"github:someone/left-pad#main\",\n  \"shared\": \"file:../../other-repo/shared\"\n}",
        pass_example: "\"dependencies\": {\n  \"left-pad\": \"^1.3.0\",\n  \"shared\": \"file:./packages/shared\"\n}",
    }
);

/// A URL with its credentials (`https://user:token@host`) masked.
fn shown(spec: &str) -> String {
    let Some(scheme_end) = spec.find("://").map(|i| i + 3) else {
        return spec.to_string();
    };
    let rest = &spec[scheme_end..];
    let host_end = rest.find('/').unwrap_or(rest.len());
    match rest[..host_end].rfind('@') {
        Some(at) if &rest[..at] != "git" => {
            format!("{}***{}", &spec[..scheme_end], &rest[at..])
        }
        _ => spec.to_string(),
    }
}

fn describe(source: &DepSource) -> &'static str {
    match source.kind {
        SourceKind::Git => "a git repository",
        SourceKind::Url => "a URL",
        SourceKind::Path => "a folder outside the repository",
    }
}

fn registry(language: crate::context::stack::Language) -> &'static str {
    use crate::context::stack::Language::*;
    match language {
        Node => "the npm registry",
        Python => "PyPI",
        Rust => "crates.io",
        Go => "a published module version",
        Ruby => "RubyGems",
        Php => "Packagist",
        Java => "Maven Central",
    }
}

impl Rule for DependencyUnvettedSource {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        use crate::source::class::FileClass::*;
        let ctx = input.ctx;
        if ctx.stacks.is_empty() {
            return Verdict::NotApplicable("no package manifest".into());
        }
        for stack in &ctx.stacks {
            for d in stack.dependencies.iter().filter(|d| !d.dev) {
                let Some(source) = &d.source else { continue };
                // A folder's manifests merge into one stack: the source
                // knows which of them says it.
                let manifest = if source.file.is_empty() {
                    stack.manifest.clone()
                } else {
                    source.file.clone()
                };
                let c = ctx.classes_of(&manifest);
                if [Test, Fixture, Example, Vendored, Generated]
                    .iter()
                    .any(|k| c.has(*k))
                {
                    continue;
                }
                if source.kind == SourceKind::Path {
                    let spec = source.spec.split('#').next().unwrap_or(&source.spec);
                    if crate::source::text::join_relative(&stack.dir, spec).is_some() {
                        continue;
                    }
                }
                let spec = shown(&source.spec);
                out.add(format!(
                    "production dependency `{}` is taken from {} (`{spec}`), not from {}",
                    d.name,
                    describe(source),
                    registry(stack.language)
                ))
                .at(Location::new(&manifest, source.line.max(1), 1))
                .fix(match source.kind {
                    SourceKind::Path => format!(
                        "publish `{}` and depend on a released version, or move it into the repository as a workspace member",
                        d.name
                    ),
                    _ => format!(
                        "depend on a released version of `{}` from the registry (a fork: publish it under its own name and version)",
                        d.name
                    ),
                })
                .key(format!("{} {}", d.name, source.kind.id()))
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
    fn paths_inside_and_outside() {
        assert_eq!(
            crate::source::text::join_relative("", "./packages/ui").as_deref(),
            Some("packages/ui")
        );
        assert_eq!(
            crate::source::text::join_relative("apps/web", "../../libs/x").as_deref(),
            Some("libs/x")
        );
        assert_eq!(
            crate::source::text::join_relative("apps/web", "../../../x"),
            None
        );
        assert_eq!(crate::source::text::join_relative("", "../sibling"), None);
        assert_eq!(crate::source::text::join_relative("", "/opt/lib"), None);
        assert_eq!(crate::source::text::join_relative("", "~/src/lib"), None);
        assert_eq!(crate::source::text::join_relative("", "C:\\src\\lib"), None);
        assert_eq!(
            crate::source::text::join_relative("", ".").as_deref(),
            Some("")
        );
    }

    #[test]
    fn credentials_are_masked() {
        assert_eq!(
            // infra: ignore[hardcoded-secret] synthetic value: the test proves it is masked
            shown("git+https://me:abc123@github.com/o/r.git"),
            "git+https://***@github.com/o/r.git"
        );
        assert_eq!(
            shown("git+ssh://git@github.com/o/r.git"),
            "git+ssh://git@github.com/o/r.git"
        );
        assert_eq!(shown("github:o/r"), "github:o/r");
    }
}
