//! Benchmark driver: the audit's content pass on its own — the one parallel
//! walk with the scanner in its visitor — until `infra audit` runs it.
//!
//! `scan_tree DIR` prints what it found; `scan_tree --discovery DIR` also runs
//! discovery's per-file analysis in the same visitor and assembles the
//! `Context` (what `infra audit` does); `--discovery-only DIR` runs discovery
//! alone (what `infra context` does); `scan_tree --rg-patterns` prints the
//! scanner's regexes as a ripgrep pattern file (capture names removed, since
//! ripgrep joins all patterns into one regex).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use infra::scan::Scanner;
use infra::source::walk::{walk, WalkOptions};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: scan_tree [--discovery|--discovery-only] DIR | --rg-patterns";
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mode = match args.first().map(String::as_str) {
        Some("--discovery") | Some("--discovery-only") => Some(args.remove(0)),
        _ => None,
    };
    let arg = args.first().cloned().ok_or(usage)?;
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
    if mode.as_deref() == Some("--discovery-only") {
        let ctx = infra::context::discover(&root, &WalkOptions::default())?;
        println!(
            "files={} env_vars={} services={}",
            ctx.files.len(),
            ctx.env_vars.len(),
            ctx.services.len()
        );
        return Ok(());
    }
    if mode.is_some() {
        // Discovery and the scanner in one visitor: each file read once.
        let walked = walk(&root, &WalkOptions::default(), |f| {
            let facts = infra::context::analyze_file(f);
            let scan = scanner.scan_classified(f.path, f.text, f.classes);
            Some((facts, (!scan.is_empty()).then_some(scan)))
        })?;
        let mut scans = Vec::new();
        let mut facts = Vec::new();
        for (path, (fa, sc)) in walked.items {
            if let Some(sc) = sc {
                scans.push((path.clone(), sc));
            }
            if let Some(fa) = fa {
                facts.push((path, fa));
            }
        }
        let split = infra::source::walk::Walked {
            items: facts,
            files: walked.files,
            stats: walked.stats,
            problems: walked.problems,
        };
        let ctx = infra::context::assemble(&root, split);
        let secrets: usize = scans
            .iter()
            .map(|(_, s)| s.secrets.iter().filter(|m| m.is_secret()).count())
            .sum();
        println!(
            "files={} env_vars={} services={} secrets={secrets}",
            ctx.files.len(),
            ctx.env_vars.len(),
            ctx.services.len()
        );
        return Ok(());
    }
    let walked = walk(&root, &WalkOptions::default(), |f| {
        if walk_only {
            return None;
        }
        let scan = scanner.scan_classified(f.path, f.text, f.classes);
        (!scan.is_empty()).then_some(scan)
    })?;
    let list = std::env::var_os("SCAN_TREE_LIST").is_some();
    let (mut secrets, mut fixtures, mut urls, mut signals) = (0, 0, 0, 0);
    for (path, scan) in &walked.items {
        if list {
            for m in scan.secrets.iter().filter(|m| m.is_secret()) {
                println!("{path}:{}:{} {} {}", m.line, m.column, m.kind, m.redacted);
            }
        }
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
