//! The README's first command does the tool's job on the bundled example,
//! and everything the README names is in the clone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md")).unwrap()
}

/// The lines of the README's first ```sh block.
fn first_commands() -> Vec<String> {
    let text = readme();
    let block = text
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the README starts with a sh block");
    block.lines().map(str::to_string).collect()
}

#[test]
fn the_first_command_renders_the_example_sources_like_the_committed_example() {
    let lines = first_commands();
    assert_eq!(lines.len(), 2, "two commands: {lines:?}");
    assert!(lines[1].starts_with("cargo test --locked"), "{lines:?}");
    // `mkdir -p DEST && (cd examples/shopfront && cp -r SOURCES DEST/) && cargo run --release -- ARGS`
    let (copy, init) = lines[0]
        .split_once(") && ")
        .expect("the first command copies the sources, then runs infra");
    let sources = copy
        .split("cp -r ")
        .nth(1)
        .and_then(|rest| rest.split(" /tmp/shopfront/").next())
        .expect("the first line copies the example's sources");
    let dir = tempfile::tempdir().unwrap();
    let example = repo().join("examples/shopfront");
    for name in sources.split_whitespace() {
        let status = Command::new("cp")
            .arg("-r")
            .arg(example.join(name))
            .arg(dir.path())
            .status()
            .unwrap();
        assert!(status.success(), "cp {name}");
    }
    // `cargo run --release -- ARGS   # comment`, with the fresh folder for /tmp/shopfront.
    let args: Vec<PathBuf> = init
        .split(" -- ")
        .nth(1)
        .and_then(|rest| rest.split('#').next())
        .expect("the first command runs infra")
        .split_whitespace()
        .map(|a| {
            if a == "/tmp/shopfront" {
                dir.path().to_path_buf()
            } else {
                PathBuf::from(a)
            }
        })
        .collect();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    cmd.current_dir(repo()).args(&args).env_remove("CI");
    for (key, _) in std::env::vars() {
        if key.starts_with("INFRA_") {
            cmd.env_remove(key);
        }
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let created = stdout.lines().filter(|l| l.starts_with("create ")).count();
    let claimed: usize = init
        .split("# the main job: ")
        .nth(1)
        .and_then(|c| c.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the README says how many files are created");
    assert_eq!(created, claimed, "{stdout}");
    assert!(!stdout.contains("unchanged "), "{stdout}");
    // The same sources and answers render what the example has committed.
    let committed: Vec<_> = common::tree(&example)
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".infra/") && p != "infra.toml" && p != "projectplan.md")
        .collect();
    let rendered = common::tree(dir.path());
    for (path, bytes) in &committed {
        let ours = rendered.iter().find(|(p, _)| p == path);
        assert!(
            ours.is_some_and(|(_, b)| b == bytes),
            "{path} differs from the committed example"
        );
    }
}

#[test]
fn everything_the_readme_links_or_names_is_in_the_clone() {
    let text = readme();
    // Markdown links to files of the repository.
    let mut checked = 0;
    for part in text.split("](").skip(1) {
        let target = part.split(')').next().unwrap();
        if target.starts_with("http") || target.starts_with('#') {
            continue;
        }
        let path = target.split('#').next().unwrap();
        assert!(
            repo().join(path).exists(),
            "README links to {target}, which is not in the clone"
        );
        checked += 1;
    }
    assert!(checked >= 8, "the link check found only {checked} links");
    // Paths named in backticks.
    for part in text.split('`').skip(1).step_by(2) {
        let looks_like_path = (part.starts_with("docs/")
            || part.starts_with("src/")
            || part.starts_with("examples/")
            || part.starts_with("tests/")
            || part.starts_with("scripts/"))
            && !part.contains(' ')
            && !part.contains('*')
            && !part.contains('<');
        if looks_like_path {
            assert!(
                repo().join(part).exists(),
                "README names `{part}`, which is not in the clone"
            );
        }
    }
    // Documents a clone does not contain, and issue numbers.
    for gone in ["the SPEC", "SPEC.md", "role-checklist", "the checklist"] {
        assert!(!text.contains(gone), "README names {gone:?}");
    }
    let issue = regex::Regex::new(r"(?i)\bissues? \d").unwrap();
    assert!(!issue.is_match(&text), "README names issue numbers");
}
