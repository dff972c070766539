//! Node.js: `package.json` (dependencies, scripts, `packageManager`), the
//! lockfile that names npm, pnpm, yarn or bun, and the commands CI runs.

use super::formats::{json_deps, json_scripts, parse_json};
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
};

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
    m.scripts = json_scripts(&v);
    m.package_manager = v
        .get("packageManager")
        .and_then(|p| p.as_str())
        .and_then(|p| p.split('@').next())
        .filter(|p| matches!(*p, "npm" | "pnpm" | "yarn" | "bun"))
        .map(str::to_string);
    Some(m)
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

