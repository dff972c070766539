//! Go: `go.mod` (module name, direct requirements) and the go commands CI runs.

use super::formats::{dep, sourced};
use crate::context::model::SourceKind;
use super::{has, CommandContext, Ecosystem, Features, Manifest};
use crate::context::facts::Facts;
use crate::context::model::StackCommands;
use crate::source::text::re;
use regex::Regex;
use std::sync::LazyLock;

pub static ECOSYSTEM: Ecosystem = Ecosystem {
    id: "go",
    manifest,
    parse,
    lockfiles: &[],
    default_package_manager: None,
    framework,
    commands,
    label: |_| "Go",
    version_files: &[],
    dependabot: |_| Some("gomod"),
    vulnerability_scan: |_, _| Some(format!("go run golang.org/x/vuln/cmd/govulncheck@{GOVULNCHECK} ./...")),
};

/// govulncheck release the rendered scan runs (pinned: `@latest` would change under the user).
const GOVULNCHECK: &str = "v1.1.4";


fn manifest(name: &str) -> Option<u8> {
    (name == "go.mod").then_some(0)
}

fn parse(_: &str, text: &str, m: Manifest, _: &mut Facts, _: &mut Features) -> Option<Manifest> {
    Some(go_mod(text, m))
}

static GO_MODULE: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*module\s+(\S+)"));
static GO_REQUIRE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?:require\s+)?([A-Za-z0-9][^\s]*\.[^\s]*)\s+(v[^\s]+)(.*)$"));

/// `old [v] => new [v]` of a `replace` directive or block line.
static GO_REPLACE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?:replace\s+)?(\S+)(?:\s+v\S+)?\s*=>\s*(\S+)"));

fn go_mod(text: &str, mut m: Manifest) -> Manifest {
    let mut in_require = false;
    let mut in_replace = false;
    let mut replaces: Vec<(String, String, u32)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.split("//").next().unwrap_or(line).trim();
        if t.starts_with("replace (") || t == "replace(" {
            in_replace = true;
            continue;
        }
        if in_replace && t.starts_with(')') {
            in_replace = false;
            continue;
        }
        if in_replace || t.starts_with("replace ") {
            if let Some(c) = GO_REPLACE.captures(t) {
                replaces.push((c[1].to_string(), c[2].to_string(), i as u32 + 1));
            }
            continue;
        }
        let t = line.trim();
        if let Some(c) = GO_MODULE.captures(t) {
            m.name = Some(c[1].to_string());
            continue;
        }
        if t.starts_with("require (") || t == "require(" {
            in_require = true;
            continue;
        }
        if in_require && t.starts_with(')') {
            in_require = false;
            continue;
        }
        if !(in_require || t.starts_with("require ")) {
            continue;
        }
        if let Some(c) = GO_REQUIRE.captures(t) {
            if c[3].contains("// indirect") {
                continue;
            }
            m.dependencies
                .push(dep(&c[1], Some(c[2].to_string()), false, i as u32 + 1));
        }
    }
    // A replacement by a folder on disk (`=> ../fork`) is where the module
    // comes from; one by another module version stays a module.
    for (old, new, line) in replaces {
        let local = new.starts_with("./") || new.starts_with("../") || new.starts_with('/');
        if !local {
            continue;
        }
        match m.dependencies.iter_mut().find(|d| d.name == old) {
            Some(d) => *d = sourced(d.clone(), SourceKind::Path, &new, line),
            None => m
                .dependencies
                .push(sourced(dep(&old, None, false, line), SourceKind::Path, &new, line)),
        }
    }
    m.package_manager = Some("go".to_string());
    m
}


fn framework(n: &str) -> Option<&'static str> {
    Some({
            let base = go_module_base(n);
            match base {
                "github.com/gin-gonic/gin" => "gin",
                "github.com/labstack/echo" => "echo",
                "github.com/go-chi/chi" => "chi",
                "github.com/gofiber/fiber" => "fiber",
                _ => return None,
            }
        })
}

fn go_module_base(name: &str) -> &str {
    match name.rsplit_once('/') {
        Some((base, last))
            if last.len() >= 2
                && last.starts_with('v')
                && last[1..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            base
        }
        _ => name,
    }
}

fn commands(c: &CommandContext<'_>) -> StackCommands {
    StackCommands {
            install: Some("go mod download".to_string()),
            build: Some("go build ./...".to_string()),
            lint: Some(
                if c.dep("github.com/golangci/golangci-lint")
                    || has(c.files, c.dir, ".golangci.yml")
                {
                    "golangci-lint run".to_string()
                } else {
                    "go vet ./...".to_string()
                },
            ),
            typecheck: None,
            test: Some("go test ./...".to_string()),
        }
}


#[cfg(test)]
mod source_tests {
    use super::*;
    use crate::context::stack::Language;
    use std::collections::BTreeMap;

    #[test]
    fn local_replacements() {
        let m = Manifest {
            language: Language::Go,
            path: "go.mod".into(),
            dir: String::new(),
            name: None,
            dependencies: Vec::new(),
            scripts: BTreeMap::new(),
            package_manager: None,
            rank: 0,
            build_tool: None,
        };
        let text = "module x\n\nrequire a.com/lib v1.0.0\n\nreplace a.com/lib => ../fork\nreplace (\n\tb.com/dep v1.2.0 => ./vendor/dep\n\tc.com/mod => d.com/mod v1.0.0\n)\n";
        let m = go_mod(text, m);
        let got: Vec<(&str, Option<&str>, u32)> = m
            .dependencies
            .iter()
            .map(|d| (d.name.as_str(), d.source.as_ref().map(|s| s.spec.as_str()), d.source.as_ref().map_or(0, |s| s.line)))
            .collect();
        assert_eq!(got, vec![("a.com/lib", Some("../fork"), 5), ("b.com/dep", Some("./vendor/dep"), 7)]);
    }
}
