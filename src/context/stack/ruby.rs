//! Ruby: `Gemfile` (gems with their groups) and the bundler commands CI runs.

use super::formats::dep;
use super::{CommandContext, Ecosystem, Features, Manifest};
use crate::context::facts::Facts;
use crate::context::model::StackCommands;
use crate::source::text::re;
use regex::Regex;
use std::sync::LazyLock;

pub static ECOSYSTEM: Ecosystem = Ecosystem {
    id: "ruby",
    manifest,
    parse,
    lockfiles: &[],
    default_package_manager: None,
    framework,
    commands,
    label: |_| "Ruby",
    version_files: &[],
    dependabot: |_| Some("bundler"),
};

fn manifest(name: &str) -> Option<u8> {
    (name == "Gemfile").then_some(0)
}

fn parse(_: &str, text: &str, m: Manifest, _: &mut Facts, _: &mut Features) -> Option<Manifest> {
    Some(gemfile(text, m))
}

static GEM: LazyLock<Regex> =
    LazyLock::new(|| re(r#"^\s*gem\s+["']([^"']+)["'](?:\s*,\s*["']([^"']+)["'])?(.*)$"#));
static GEM_GROUP: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*group\s+(.*?)\s+do\b"));

fn gemfile(text: &str, mut m: Manifest) -> Manifest {
    let mut group_dev: Vec<bool> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(c) = GEM_GROUP.captures(t) {
            group_dev.push(!c[1].contains(":production") && !c[1].contains(":default"));
            continue;
        }
        if t == "end" {
            group_dev.pop();
            continue;
        }
        if let Some(c) = GEM.captures(t) {
            let inline_dev = c.get(3).is_some_and(|r| {
                r.as_str().contains("group:") && !r.as_str().contains(":production")
            });
            let dev = group_dev.last().copied().unwrap_or(false) || inline_dev;
            m.dependencies.push(dep(
                &c[1],
                c.get(2).map(|v| v.as_str().to_string()),
                dev,
                i as u32 + 1,
            ));
        }
    }
    m.package_manager = Some("bundler".to_string());
    m
}


fn framework(n: &str) -> Option<&'static str> {
    Some(match n {
            "rails" => "rails",
            "sinatra" => "sinatra",
            _ => return None,
        })
}

fn commands(c: &CommandContext<'_>) -> StackCommands {
    StackCommands {
            install: Some("bundle install".to_string()),
            build: None,
            lint: c.dep("rubocop").then(|| "bundle exec rubocop".to_string()),
            typecheck: c.dep("sorbet").then(|| "bundle exec srb tc".to_string()),
            test: if c.dep("rspec") || c.dep("rspec-rails") {
                Some("bundle exec rspec".to_string())
            } else if c.dep("rails") {
                Some("bin/rails test".to_string())
            } else {
                None
            },
        }
}

