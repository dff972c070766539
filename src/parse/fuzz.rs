//! Fuzz entries for every parser in `parse/` (`fuzz/fuzz_targets/parse_*.rs`)
//! and the seeded mutation test that runs them in CI. On any bytes each
//! parser returns a document or an error, never panics, and every position it
//! reports lies inside the text (an error may point one line past the end).

use super::pipeline::{commands, github, gitlab, Pipeline};
use super::{compose, dockerfile, k8s, markdown, prometheus, terraform, yaml};
use crate::model::Location;

/// Lines as YAML counts them: `\n`, `\r\n` and a lone `\r` each end one.
fn line_count(text: &str) -> u32 {
    let breaks =
        text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count();
    breaks as u32 + 1
}

fn assert_inside(text: &str, line: u32, what: &str) {
    assert!(
        line <= line_count(text) + 1,
        "{what} at line {line} of a {}-line text",
        line_count(text)
    );
}

fn assert_located(text: &str, at: &Location, path: &str) {
    assert_eq!(at.path, path, "a position names another file");
    assert_inside(text, at.line, "position");
}

fn yaml_node(text: &str, node: &yaml::Yaml) {
    assert_inside(text, node.line, "YAML node");
    match &node.value {
        yaml::Value::Scalar(_) => {}
        yaml::Value::Seq(items) => items.iter().for_each(|i| yaml_node(text, i)),
        yaml::Value::Map(entries) => entries.iter().for_each(|(k, v)| {
            yaml_node(text, k);
            yaml_node(text, v);
        }),
    }
}

pub fn yaml(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match yaml::parse_documents(&text) {
        Ok(docs) => docs.iter().for_each(|d| yaml_node(&text, d)),
        Err(e) => assert_inside(&text, e.line, "YAML error"),
    }
}

pub fn markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for h in markdown::headings(&text) {
        assert_inside(&text, h.line, "heading");
        assert!((1..=6).contains(&h.level), "heading level {}", h.level);
    }
    let _ = markdown::plain(&text);
}

pub fn compose(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match compose::parse("compose.yml", &text) {
        Ok(file) => file
            .services
            .iter()
            .for_each(|s| assert_located(&text, &s.location, "compose.yml")),
        Err(e) => assert_inside(&text, e.line, "compose error"),
    }
}

pub fn dockerfile(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let doc = dockerfile::parse(&text);
    for i in doc.instructions() {
        assert_inside(&text, i.line, "instruction");
        assert!(!i.keyword.is_empty(), "an instruction without a keyword");
    }
}

pub fn k8s(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match k8s::parse("k8s.yaml", &text) {
        Ok(objects) => {
            for o in &objects {
                assert_located(&text, &o.location, "k8s.yaml");
                for c in o.containers.iter().chain(&o.init_containers) {
                    if let Some((_, at)) = &c.image {
                        assert_located(&text, at, "k8s.yaml");
                    }
                    c.env
                        .iter()
                        .for_each(|(_, at)| assert_located(&text, at, "k8s.yaml"));
                }
            }
        }
        Err(e) => assert_inside(&text, e.line, "k8s error"),
    }
}

pub fn terraform(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match terraform::parse(&text) {
        Ok(body) => terraform_located(&text, &body),
        Err(e) => assert_inside(&text, e.line, "terraform error"),
    }
}

/// Prometheus rule files: every group and rule lies inside the text, each
/// rule has a name; the same bytes read as a PrometheusRule's `spec.groups`.
pub fn prometheus(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let check = |groups: &[prometheus::Group]| {
        for g in groups {
            assert_inside(&text, g.line, "rule group");
            for r in &g.rules {
                assert_inside(&text, r.line, "rule");
            }
        }
    };
    match prometheus::parse(&text) {
        Ok(groups) => check(&groups),
        Err(e) => assert_inside(&text, e.line, "rule file error"),
    }
    if let Ok(docs) = yaml::parse_documents(&text) {
        for doc in &docs {
            if let Some(node) = doc.path(&["spec", "groups"]) {
                match prometheus::groups(node) {
                    Ok(groups) => check(&groups),
                    Err(e) => assert_inside(&text, e.line, "PrometheusRule error"),
                }
            }
        }
    }
}

fn terraform_located(text: &str, body: &terraform::Body) {
    for a in &body.attributes {
        assert_inside(text, a.line, "attribute");
    }
    for b in &body.blocks {
        assert_inside(text, b.line, "block");
        terraform_located(text, &b.body);
    }
}

fn pipeline_located(text: &str, p: &Pipeline, path: &str) {
    for t in &p.triggers {
        assert_located(text, &t.location, path);
    }
    // Entries may come from an included GitLab file: only this file's.
    let inside = |at: &Location, what: &str| {
        if at.path == path {
            assert_inside(text, at.line, what);
        }
    };
    for e in &p.env {
        inside(&e.location, "workflow env");
    }
    for job in &p.jobs {
        assert_located(text, &job.location, path);
        for e in &job.env {
            inside(&e.location, "job env");
        }
        for s in &job.secrets {
            inside(&s.location, "secret read");
        }
        for at in job.permissions_at.iter().chain(p.permissions_at.iter()) {
            inside(at, "permissions");
        }
        for step in &job.steps {
            assert_eq!(step.with.len(), step.with_at.len(), "with vs with_at");
            for at in step
                .with_at
                .iter()
                .chain(step.env.iter().map(|e| &e.location))
            {
                inside(at, "step input");
            }
            // GitLab steps may come from an included file; those positions
            // are checked against that file's text by its own parse.
            if step.location.path == path {
                assert_inside(text, step.location.line, "step");
            }
            if let Some(run) = &step.run {
                let analysis =
                    commands::classify_script(&run.text, run.line, "", &commands::NoResolve);
                for c in &analysis.found {
                    assert!(!c.command.is_empty(), "a classified command without text");
                }
            }
            if let Some(uses) = &step.uses {
                let _ = commands::classify_action(uses.text(), &step.with);
            }
        }
        if let Some(env) = &job.environment {
            let _ = env.name.text();
        }
    }
}

/// GitHub workflows, composite actions and GitLab CI (whose local includes
/// resolve to the same bytes, so include chains and cycles are exercised).
pub fn pipeline(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for (path, parsed) in [
        ("ci.yml", github::parse_workflow("ci.yml", &text)),
        ("action.yml", github::parse_action("action.yml", &text)),
    ] {
        match parsed {
            Ok(p) => pipeline_located(&text, &p, path),
            Err(e) => assert_inside(&text, e.line, "workflow error"),
        }
    }
    let same = |_: &str| Some(text.to_string());
    match gitlab::parse(".gitlab-ci.yml", &text, &same) {
        Ok(p) => pipeline_located(&text, &p, ".gitlab-ci.yml"),
        Err(e) => assert_inside(&text, e.line, "GitLab CI error"),
    }
}

/// What diff mode and `--history` read from git (`--name-status -z`, `-U0`
/// patches, `git log -p -U0` with commit lines), whose paths, hunk headers
/// and added lines carry the repository's own bytes: any bytes give changes
/// and line ranges that end where they start or later, and added lines
/// numbered from 1 that count up by one within a hunk.
pub fn git_output(data: &[u8]) {
    use crate::source::git::{parse_added_lines, parse_name_status, LogLine, LogParser};
    let _ = parse_name_status(data);
    for ranges in parse_added_lines(data).values() {
        for (start, end) in ranges {
            assert!(start <= end, "range {start}..{end}");
        }
    }
    let mut parser = LogParser::new();
    let mut last: Option<u32> = None;
    for line in data.split(|b| *b == b'\n') {
        match parser.line(line) {
            LogLine::Added { line, .. } => {
                assert!(line >= 1, "added line {line}");
                if let Some(prev) = last {
                    assert_eq!(line, prev.saturating_add(1), "{prev} then {line}");
                }
                last = Some(line);
            }
            _ => last = None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEEDS: &[&str] = &[
        "",
        "a: 1\nb: [1, 2, {c: d}]\n---\n- &x y\n- *x\n",
        "services:\n  web:\n    image: nginx\n    ports: [\"80:80\", {target: 443}]\n    environment: {A: 1}\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: x\n          env: [{name: A}]\n          resources: {limits: {cpu: 1, memory: 1Gi}}\n",
        "# T\n\nText **bold** [link](x)\n\nSub\n---\n```\n# not\n```\n",
        "FROM node:20 AS b\nRUN a \\\n  b\nFROM b\nUSER 1000\nHEALTHCHECK NONE\n",
        "on:\n  push:\n    branches: [main]\n    tags: ['v*']\njobs:\n  t:\n    steps:\n      - run: |\n          npm ci && npm test\n  d:\n    needs: [t]\n    environment: {name: production}\n    steps: [{uses: amondnet/vercel-action@v25, with: {vercel-args: --prod}}]\n",
        "include: [{local: a.yml}]\nstages: [test, deploy]\n.base: {script: [make test]}\nt:\n  extends: .base\nd:\n  stage: deploy\n  needs: []\n  script: [!reference [.base, script], helm upgrade x .]\n",
        "groups:\n  - name: api\n    interval: 30s\n    rules:\n      - alert: Down\n        expr: up{job=\"api\"} == 0\n        for: 5m\n        labels: {severity: page}\n        annotations:\n          summary: \"{{ $labels.instance }} down\"\n      - record: x\n        expr: sum(up)\n",
        "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: a}\nspec:\n  groups:\n    - name: a\n      rules:\n        - alert: Disk\n          expr: node_filesystem_avail_bytes < 1\n",
        "diff --git a/x b/x\n+++ b/x\n@@ -1,0 +4294967295,2 @@\n+a\n+++ \"b/q\\303\"\n@@ -1 +1 @@\nM\u{0}a\u{0}R100\u{0}b\u{0}c\u{0}",
        "\u{0}0123abcd 2026-01-02\n\ndiff --git a/k b/k\nnew file mode 100644\n--- /dev/null\n+++ b/k\n@@ -0,0 +1,2 @@\n+token: x\n++++ y\n\\ No newline at end of file\n@@ -3 +4294967295 @@\n-a\n+b\n+c\n\u{0}ff 2026-01-03\n+not in a hunk\n",
        "terraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\" }\n  }\n}\nprovider \"aws\" {\n  region = \"eu-west-1\"\n}\nresource \"aws_db_instance\" \"m\" {\n  engine = \"postgres\"\n}\n",
    ];

    const SPICE: &[&[u8]] = &[
        b"\x00",
        b"\xff",
        b"{",
        b"}",
        b"[",
        b"]",
        b":",
        b"\"",
        b"\n",
        b"\t",
        b"&a",
        b"*a",
        b"<<: *a\n",
        b"---\n",
        b"\\\n",
        b"#",
        b"/*",
        b"```",
        b"- ",
        b"\r",
    ];

    /// xorshift: repeatable pseudo-random numbers without a dependency.
    fn next(x: &mut u64) -> u64 {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        *x
    }

    #[test]
    fn every_parser_survives_mutated_seeds() {
        let parsers: [fn(&[u8]); 9] = [
            yaml, markdown, compose, dockerfile, k8s, terraform, pipeline, prometheus, git_output,
        ];
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for seed in SEEDS {
            for round in 0..150 {
                let mut data = seed.as_bytes().to_vec();
                for _ in 0..1 + round % 4 {
                    let at = next(&mut x) as usize % (data.len() + 1);
                    match next(&mut x) % 3 {
                        0 => data.truncate(at),
                        1 => {
                            let s = SPICE[next(&mut x) as usize % SPICE.len()];
                            data.splice(at..at, s.iter().copied());
                        }
                        _ if !data.is_empty() => {
                            let i = next(&mut x) as usize % data.len();
                            data[i] = next(&mut x) as u8;
                        }
                        _ => {}
                    }
                }
                for parse in parsers {
                    parse(&data);
                    parse(seed.as_bytes());
                }
            }
        }
    }

    /// Found by `cargo fuzz run parse_compose`: YAML counts a lone `\r` as a
    /// line break, so its error line may pass `str::lines()`'s count.
    #[test]
    fn a_lone_carriage_return_is_a_line_break() {
        for parse in [yaml, compose, k8s, pipeline, prometheus] {
            parse(&[63, 10, 13, 255]);
        }
    }

    #[test]
    fn deep_and_huge_inputs() {
        let deep = "[".repeat(10_000);
        let braces = "resource \"a\" \"b\" {\n".repeat(2_000);
        let groups = "groups:\n  - name: a\n    rules:\n".to_string()
            + &"      - alert: A\n        expr: up == 0\n".repeat(5_000);
        let nested = format!("groups:\n{}", "  - rules:\n".repeat(3_000));
        for data in [
            deep.as_bytes(),
            braces.as_bytes(),
            groups.as_bytes(),
            nested.as_bytes(),
            b"\xff\xfe\x00",
        ] {
            for parse in [
                yaml, markdown, compose, dockerfile, k8s, terraform, pipeline, prometheus,
                git_output,
            ] {
                parse(data);
            }
        }
    }
}
