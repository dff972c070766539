//! Benchmark driver: the audit's content pass on its own — the one parallel
//! walk with the scanner in its visitor — until `infra audit` runs it.
//!
//! `scan_tree DIR` prints what it found; `scan_tree --rg-patterns` prints the
//! scanner's regexes as a ripgrep pattern file (capture names removed, since
//! ripgrep joins all patterns into one regex).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use infra::context::walk::{walk, WalkOptions};
use infra::scan::Scanner;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arg = std::env::args()
        .nth(1)
        .ok_or("usage: scan_tree DIR | --rg-patterns")?;
    if arg == "--rg-patterns" {
        let names = regex::Regex::new(r"\(\?P<[A-Za-z_]+>")?;
        for p in infra::scan::pattern_list() {
            println!("{}", names.replace_all(p, "("));
        }
        return Ok(());
    }
    let scanner = Scanner::new();
    // For profiling: the walk alone, without the scanner.
    let walk_only = std::env::var_os("SCAN_TREE_WALK_ONLY").is_some();
    let root = PathBuf::from(arg);
    let walked = walk(&root, &WalkOptions::default(), |f| {
        if walk_only {
            return None;
        }
        let scan = scanner.scan_file(f.path, f.text);
        (!scan.is_empty()).then_some(scan)
    })?;
    let (mut secrets, mut fixtures, mut urls, mut signals) = (0, 0, 0, 0);
    for (_, scan) in &walked.items {
        secrets += scan.secrets.iter().filter(|m| m.is_secret()).count();
        fixtures += scan.secrets.iter().filter(|m| m.in_test_fixture).count();
        urls += scan.urls.len();
        signals += scan.signals.len();
    }
    println!(
        "files={} bytes={} skipped_large={} skipped_binary={} secrets={secrets} in_fixtures={fixtures} urls={urls} signals={signals}",
        walked.stats.files,
        walked.stats.bytes,
        walked.stats.skipped_large,
        walked.stats.skipped_binary
    );
    // Recall against the generator's manifest, when there is one.
    if let Ok(manifest) = std::fs::read_to_string(root.join("BENCH_MANIFEST.txt")) {
        let found: std::collections::HashSet<String> = walked
            .items
            .iter()
            .flat_map(|(p, s)| {
                s.secrets
                    .iter()
                    .filter(|m| m.is_secret())
                    .map(move |m| format!("{p}:{}:{}", m.line, m.kind))
            })
            .collect();
        let planted: Vec<&str> = manifest.lines().collect();
        let hit = planted.iter().filter(|l| found.contains(**l)).count();
        println!("planted={} found_planted={hit}", planted.len());
    }
    Ok(())
}
