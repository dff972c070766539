//! The import direction of docs/architecture.md, enforced: each top-level
//! module of `src/` may use only the modules its row names, and no two files
//! of one folder use each other (directly or round a longer loop).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Module ⇒ the crate modules it may use. Keep in step with docs/architecture.md.
const ALLOWED: &[(&str, &[&str])] = &[
    ("exit", &[]),
    ("file_version", &[]),
    ("model", &[]),
    ("source", &["model"]),
    ("parse", &["model", "source"]),
    ("scan", &["model", "source"]),
    ("platform", &["model"]),
    ("context", &["model", "source", "parse", "scan", "platform"]),
    (
        "answers",
        &[
            "model",
            "source",
            "parse",
            "platform",
            "context",
            "file_version",
        ],
    ),
    (
        "audit",
        &[
            "model",
            "source",
            "parse",
            "scan",
            "platform",
            "context",
            "answers",
            "file_version",
        ],
    ),
    (
        "render",
        &[
            "model",
            "source",
            "parse",
            "scan",
            "platform",
            "context",
            "answers",
            "file_version",
        ],
    ),
    (
        "report",
        &["model", "scan", "context", "render", "audit", "output"],
    ),
    ("output", &["exit"]),
    ("cli", &["exit", "output"]),
    (
        "commands",
        &[
            "model",
            "source",
            "parse",
            "scan",
            "platform",
            "context",
            "answers",
            "audit",
            "render",
            "report",
            "output",
            "cli",
            "exit",
            "file_version",
        ],
    ),
    ("fuzzing", &["answers"]),
    ("lib", &[]),
    ("main", &[]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/audit/rules/x.rs` ⇒ ["audit", "rules", "x"]; `mod.rs` names its folder.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Code without comments and string literals, so prose naming a module does not count.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut kept = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if !in_str && c == '/' && chars.get(i + 1) == Some(&'/') {
                break;
            }
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            } else if !in_str {
                kept.push(c);
            }
            prev = if prev == '\\' && c == '\\' { ' ' } else { c };
            i += 1;
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// Paths a file names: `crate::a::b` (also inside `use crate::{a::x, b}`) and `super::x`.
fn references(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let ident = |s: &str| -> Vec<String> {
        let end = s
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(s.len());
        s[..end]
            .split("::")
            .map(|p| {
                p.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|p| !p.is_empty())
            .collect()
    };
    for (i, _) in code.match_indices("crate::") {
        let before = code[..i].chars().last().unwrap_or(' ');
        if before.is_ascii_alphanumeric() || before == '_' || before == '$' {
            continue;
        }
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let p = ident(item.trim());
                if !p.is_empty() {
                    out.push(p);
                }
            }
        } else {
            let p = ident(rest);
            if !p.is_empty() {
                out.push(p);
            }
        }
    }
    for (i, _) in code.match_indices("super::") {
        let before = code[..i].chars().last().unwrap_or(' ');
        if before.is_ascii_alphanumeric() || before == '_' || before == ':' {
            continue;
        }
        let mut p = vec!["super".to_string()];
        p.extend(ident(&code[i + "super::".len()..]));
        out.push(p);
    }
    out
}

#[test]
fn modules_import_only_downwards() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed: BTreeMap<&str, BTreeSet<&str>> = ALLOWED
        .iter()
        .map(|(m, deps)| (*m, deps.iter().copied().collect()))
        .collect();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let module = module_path(&src, file);
        let top = module[0].as_str();
        let Some(ok) = allowed.get(top) else {
            violations.push(format!(
                "{}: module `{top}` has no row in ALLOWED (and docs/architecture.md)",
                file.display()
            ));
            continue;
        };
        let code = code_only(&fs::read_to_string(file).unwrap());
        for path in references(&code) {
            if path[0] == "super" {
                continue;
            }
            let used = path[0].as_str();
            if used != top && !ok.contains(used) && allowed.contains_key(used) {
                violations.push(format!(
                    "{}: `{top}` uses `crate::{}`",
                    file.strip_prefix(&src).unwrap().display(),
                    path.join("::")
                ));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports against the layering of docs/architecture.md:\n{}",
        violations.join("\n")
    );
}

#[test]
fn no_file_level_cycles_between_siblings() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_path(&src, f)).collect();
    // Edges between sibling files (same parent, neither is the parent's mod.rs).
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for file in &files {
        if file
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs")
        {
            continue;
        }
        let me = module_path(&src, file);
        let parent = &me[..me.len() - 1];
        let code = code_only(&fs::read_to_string(file).unwrap());
        for path in references(&code) {
            let target: Vec<String> = if path[0] == "super" {
                parent
                    .iter()
                    .cloned()
                    .chain(path[1..].iter().cloned())
                    .collect()
            } else {
                path.clone()
            };
            // The longest prefix that is a file is what is used.
            let used = (1..=target.len())
                .rev()
                .map(|n| target[..n].to_vec())
                .find(|p| modules.contains(p));
            if let Some(used) = used {
                if used.len() == me.len() && used[..used.len() - 1] == *parent && used != me {
                    edges.entry(me.clone()).or_default().insert(used);
                }
            }
        }
    }
    // Depth-first search for a cycle.
    fn visit(
        node: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        stack: &mut Vec<Vec<String>>,
        done: &mut BTreeSet<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        if let Some(i) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(node.clone());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, edges, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        if let Some(cycle) = visit(node, &edges, &mut Vec::new(), &mut done) {
            let names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
            panic!("file-level import cycle: {}", names.join(" -> "));
        }
    }
}

#[test]
fn the_checker_sees_imports() {
    // The checker must be able to fail: it finds the paths of a sample.
    let code = code_only(
        "use crate::audit::Report;\nuse crate::{scan::redact, model};\n// crate::render in a comment\nlet s = \"crate::cli\";\nsuper::finding::x();\n",
    );
    let refs: Vec<String> = references(&code).iter().map(|p| p.join("::")).collect();
    assert_eq!(
        refs,
        [
            "audit::Report",
            "scan::redact",
            "model",
            "super::finding::x"
        ]
    );
}
