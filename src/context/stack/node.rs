//! Node.js: `package.json` (dependencies, scripts, `packageManager`), the
//! lockfile that names npm, pnpm, yarn or bun, and the commands CI runs.

use super::formats::{json_deps, json_scripts, parse_json, sourced};
use crate::context::model::SourceKind;
use super::{has, CommandContext, Ecosystem, Features, Manifest};
use crate::context::facts::Facts;
use crate::context::model::{Stack, StackCommands};

pub static ECOSYSTEM: Ecosystem = Ecosystem {
    id: "node",
    manifest,
    parse,
    lockfiles: &[("pnpm-lock.yaml", "pnpm"), ("yarn.lock", "yarn"), ("bun.lockb", "bun"), ("bun.lock", "bun"), ("package-lock.json", "npm"), ("npm-shrinkwrap.json", "npm")],
    default_package_manager: Some("npm"),
    framework,
    commands,
    label,
    version_files: &[".nvmrc", ".node-version"],
    dependabot: |_| Some("npm"),
    vulnerability_scan: node_scan,
};

/// Production dependencies only, failing on high and critical advisories:
/// each package manager's own audit command and flags.
fn node_scan(s: &Stack, has_file: &dyn Fn(&str) -> bool) -> Option<String> {
    Some(
        match s.package_manager.as_deref().unwrap_or("npm") {
            "pnpm" => "pnpm audit --prod --audit-level high",
            // Yarn 2+ (a .yarnrc.yml) moved audit under `yarn npm`.
            "yarn" if has_file(".yarnrc.yml") => {
                "yarn npm audit --environment production --severity high"
            }
            "yarn" => "yarn audit --groups dependencies --level high",
            "bun" => "bun audit --prod --audit-level=high",
            _ => "npm audit --omit=dev --audit-level=high",
        }
        .to_string(),
    )
}


fn manifest(name: &str) -> Option<u8> {
    (name == "package.json").then_some(0)
}

fn label(s: &Stack) -> &'static str {
    if s.dependencies.iter().any(|d| d.name == "typescript") {
        "TypeScript"
    } else {
        "Node.js"
    }
}

fn parse(
    path: &str,
    text: &str,
    mut m: Manifest,
    facts: &mut Facts,
    _: &mut Features,
) -> Option<Manifest> {
    let v = parse_json(path, text, facts)?;
    let lines: Vec<&str> = text.lines().collect();
    m.name = v.get("name").and_then(|n| n.as_str()).map(str::to_string);
    m.dependencies
        .extend(json_deps(&v, &lines, "dependencies", false, |_| false));
    m.dependencies
        .extend(json_deps(&v, &lines, "devDependencies", true, |_| false));
    m.dependencies
        .extend(json_deps(&v, &lines, "optionalDependencies", false, |_| {
            false
        }));
    for d in &mut m.dependencies {
        if let Some((kind, spec)) = d.version.as_deref().and_then(npm_source) {
            let line = d.line;
            *d = sourced(d.clone(), kind, &spec, line);
        }
    }
    m.scripts = json_scripts(&v);
    m.package_manager = v
        .get("packageManager")
        .and_then(|p| p.as_str())
        .and_then(|p| p.split('@').next())
        .filter(|p| matches!(*p, "npm" | "pnpm" | "yarn" | "bun"))
        .map(str::to_string);
    Some(m)
}

/// Where an npm dependency specifier fetches from when it is not the
/// registry: git (`git+https://…`, `github:u/r`, the `u/r` shorthand), a
/// tarball URL, or a local path (`file:`, `link:`, `portal:`, `./x`). Ranges,
/// tags, `npm:` aliases, `workspace:` and `catalog:` are the registry's.
pub(super) fn npm_source(spec: &str) -> Option<(SourceKind, String)> {
    let s = spec.trim();
    let git_prefixes = [
        "git+", "git://", "git@", "github:", "gitlab:", "bitbucket:", "gist:",
    ];
    if git_prefixes.iter().any(|p| s.starts_with(p)) {
        return Some((SourceKind::Git, s.to_string()));
    }
    if s.starts_with("http://") || s.starts_with("https://") {
        let kind = if s.split('#').next().is_some_and(|u| u.ends_with(".git")) {
            SourceKind::Git
        } else {
            SourceKind::Url
        };
        return Some((kind, s.to_string()));
    }
    for p in ["file:", "link:", "portal:"] {
        if let Some(path) = s.strip_prefix(p) {
            return Some((SourceKind::Path, path.to_string()));
        }
    }
    if s.starts_with("./") || s.starts_with("../") || s.starts_with('/') || s.starts_with("~/") {
        return Some((SourceKind::Path, s.to_string()));
    }
    // `user/repo` or `user/repo#ref`: GitHub. A range never has a `/`.
    let head = s.split('#').next().unwrap_or(s);
    let shorthand = head.split('/').count() == 2
        && !s.contains(':')
        && !s.starts_with('@')
        && !s.contains(' ')
        && head
            .split('/')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)));
    shorthand.then(|| (SourceKind::Git, s.to_string()))
}

fn framework(n: &str) -> Option<&'static str> {
    Some(match n {
            "next" => "next",
            "react" => "react",
            "vue" => "vue",
            "nuxt" => "nuxt",
            "svelte" => "svelte",
            "@sveltejs/kit" => "sveltekit",
            "express" => "express",
            "fastify" => "fastify",
            "@nestjs/core" => "nestjs",
            "koa" => "koa",
            "hono" => "hono",
            "astro" => "astro",
            _ if n.starts_with("@remix-run/") => "remix",
            _ => return None,
        })
}

fn commands(c: &CommandContext<'_>) -> StackCommands {
    let pm = if c.pm.is_empty() { "npm" } else { c.pm };
    let lock = |f: &str| has(c.files, c.dir, f);
    let install = match pm {
        "pnpm" => "pnpm install --frozen-lockfile",
        "yarn" if lock("yarn.lock") => "yarn install --frozen-lockfile",
        "bun" => "bun install --frozen-lockfile",
        "npm" if lock("package-lock.json") || lock("npm-shrinkwrap.json") => "npm ci",
        "yarn" => "yarn install",
        _ => "npm install",
    };
    let run = |script: &str| match pm {
        "npm" => format!("npm run {script}"),
        other => format!("{other} run {script}"),
    };
    let exec = |bin: &str| match pm {
        "pnpm" => format!("pnpm exec {bin}"),
        "yarn" => format!("yarn {bin}"),
        "bun" => format!("bunx {bin}"),
        _ => format!("npx {bin}"),
    };
    StackCommands {
        install: Some(install.to_string()),
        build: c.script(&["build"]).map(run),
        lint: c
            .script(&["lint"])
            .map(run)
            .or_else(|| c.dep("eslint").then(|| exec("eslint ."))),
        typecheck: c
            .script(&["typecheck", "type-check", "check-types", "types", "tsc"])
            .map(run)
            .or_else(|| c.dep("typescript").then(|| exec("tsc --noEmit"))),
        test: c.script(&["test"]).map(|_| match pm {
            "npm" => "npm test".to_string(),
            other => format!("{other} test"),
        }),
    }
}


#[cfg(test)]
mod source_tests {
    use super::*;

    #[test]
    fn npm_specifiers() {
        let kind = |s: &str| npm_source(s).map(|(k, _)| k);
        for s in ["git+https://github.com/o/r.git", "github:o/r", "o/r#main", "git@github.com:o/r.git", "https://github.com/o/r.git#v1"] {
            assert_eq!(kind(s), Some(SourceKind::Git), "{s}");
        }
        assert_eq!(kind("https://example.com/x-1.0.0.tgz"), Some(SourceKind::Url));
        assert_eq!(npm_source("file:../x"), Some((SourceKind::Path, "../x".into())));
        assert_eq!(kind("link:./packages/x"), Some(SourceKind::Path));
        for s in ["^1.2.3", "~1.0", ">=1 <2", "latest", "npm:@scope/x@1", "workspace:*", "catalog:", "1.x || 2.x", "*", ""] {
            assert_eq!(kind(s), None, "{s}");
        }
    }
}

#[cfg(test)]
mod scan_tests {
    use super::*;

    fn stack(pm: Option<&str>) -> Stack {
        Stack {
            language: crate::context::stack::Language::Node,
            manifest: "package.json".into(),
            dir: String::new(),
            name: None,
            frameworks: Vec::new(),
            dependencies: Vec::new(),
            scripts: Default::default(),
            package_manager: pm.map(str::to_string),
            commands: Default::default(),
        }
    }

    #[test]
    fn each_package_manager_gets_its_own_audit() {
        let none = |_: &str| false;
        let berry = |n: &str| n == ".yarnrc.yml";
        let scan = |pm, files: &dyn Fn(&str) -> bool| node_scan(&stack(pm), files).unwrap();
        assert_eq!(scan(None, &none), "npm audit --omit=dev --audit-level=high");
        assert!(scan(Some("pnpm"), &none).starts_with("pnpm audit --prod"));
        assert!(scan(Some("yarn"), &none).starts_with("yarn audit --groups dependencies"));
        assert!(scan(Some("yarn"), &berry).starts_with("yarn npm audit --environment production"));
        assert!(scan(Some("bun"), &none).starts_with("bun audit --prod"));
    }
}
