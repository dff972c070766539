//! Ruby: `Gemfile` (gems with their groups) and the bundler commands CI runs.

use super::formats::{dep, sourced};
use crate::context::model::SourceKind;
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
    vulnerability_scan: |_, _| None,
};

fn manifest(name: &str) -> Option<u8> {
    (name == "Gemfile").then_some(0)
}

fn parse(_: &str, text: &str, m: Manifest, _: &mut Facts, _: &mut Features) -> Option<Manifest> {
    Some(gemfile(text, m))
}

static GEM: LazyLock<Regex> =
    LazyLock::new(|| re(r#"^\s*gem\s*\(?\s*["']([^"']+)["'](?:\s*,\s*["']([^"']+)["'])?(.*)$"#));
static GEM_GROUP: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*group\s+(.*?)\s+do\b"));
/// `git: "url"`, `:github => 'u/r'`, `path: "../x"` in a gem's options.
static GEM_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"(?:^|[\s,(])(?::(git|github|gitlab|bitbucket|path)\s*=>|(git|github|gitlab|bitbucket|path):)\s*["']([^"']+)["']"#)
});
/// `git "url" do` / `path "../x" do` / `github "u/r" do`: a block of gems from there.
static SOURCE_BLOCK: LazyLock<Regex> =
    LazyLock::new(|| re(r#"^\s*(git|github|path)\s*\(?\s*["']([^"']+)["'].*\bdo\b"#));
/// Any other block opener (`platforms :jruby do`, `install_if -> { … } do`).
static BLOCK: LazyLock<Regex> = LazyLock::new(|| re(r"\bdo\s*(?:\|[^|]*\|)?\s*$"));

/// An open `… do` block of a Gemfile.
enum Block {
    Group(bool),
    Source(SourceKind, String, u32),
    Other,
}

fn gem_source(kind: &str, value: &str) -> (SourceKind, String) {
    match kind {
        "path" => (SourceKind::Path, value.to_string()),
        "git" => (SourceKind::Git, value.to_string()),
        host => (SourceKind::Git, format!("{host}:{value}")),
    }
}

fn gemfile(text: &str, mut m: Manifest) -> Manifest {
    let mut blocks: Vec<Block> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('#') {
            continue;
        }
        let line_no = i as u32 + 1;
        if let Some(c) = GEM_GROUP.captures(t) {
            blocks.push(Block::Group(
                !c[1].contains(":production") && !c[1].contains(":default"),
            ));
            continue;
        }
        if let Some(c) = SOURCE_BLOCK.captures(t) {
            let (kind, spec) = gem_source(&c[1], &c[2]);
            blocks.push(Block::Source(kind, spec, line_no));
            continue;
        }
        if t == "end" || t.starts_with("end ") {
            blocks.pop();
            continue;
        }
        if let Some(c) = GEM.captures(t) {
            let rest = c.get(3).map_or("", |r| r.as_str());
            let rest = rest.split(" #").next().unwrap_or(rest);
            let inline_dev = rest.contains("group:") && !rest.contains(":production");
            let group_dev = blocks.iter().rev().find_map(|b| match b {
                Block::Group(dev) => Some(*dev),
                _ => None,
            });
            let dev = group_dev.unwrap_or(false) || inline_dev;
            let mut d = dep(
                &c[1],
                c.get(2).map(|v| v.as_str().to_string()),
                dev,
                line_no,
            );
            if let Some(s) = GEM_SOURCE.captures(rest) {
                let kind = s.get(1).or(s.get(2)).map_or("", |k| k.as_str());
                let (kind, spec) = gem_source(kind, &s[3]);
                d = sourced(d, kind, &spec, line_no);
            } else if let Some((kind, spec, _)) = blocks.iter().rev().find_map(|b| match b {
                Block::Source(k, s, l) => Some((*k, s.clone(), *l)),
                _ => None,
            }) {
                d = sourced(d, kind, &spec, line_no);
            }
            m.dependencies.push(d);
            continue;
        }
        if BLOCK.is_match(t) {
            blocks.push(Block::Other);
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


#[cfg(test)]
mod source_tests {
    use super::*;
    use crate::context::stack::Language;
    use std::collections::BTreeMap;

    fn manifest() -> Manifest {
        Manifest {
            language: Language::Ruby,
            path: "Gemfile".into(),
            dir: String::new(),
            name: None,
            dependencies: Vec::new(),
            scripts: BTreeMap::new(),
            package_manager: None,
            rank: 0,
            build_tool: None,
        }
    }

    #[test]
    fn gem_sources_and_blocks() {
        let text = "gem 'a', github: 'o/a'\ngem 'b', :git => 'https://x/b.git'\nplatforms :jruby do\n  gem 'c'\nend\ngroup :test do\n  gem 'd', path: '../d'\nend\ngit 'https://x/e.git' do\n  gem 'e'\nend\ngem 'f' # git: 'not this'\n";
        let m = gemfile(text, manifest());
        let got: Vec<(&str, bool, Option<SourceKind>)> = m
            .dependencies
            .iter()
            .map(|d| (d.name.as_str(), d.dev, d.source.as_ref().map(|s| s.kind)))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a", false, Some(SourceKind::Git)),
                ("b", false, Some(SourceKind::Git)),
                ("c", false, None),
                ("d", true, Some(SourceKind::Path)),
                ("e", false, Some(SourceKind::Git)),
                ("f", false, None),
            ]
        );
    }
}
