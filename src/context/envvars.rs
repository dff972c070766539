//! Environment variables the code and config read, per language (each
//! language's regexes compiled once, run only on its files), `.env*` files
//! (names only, never values) and the secret-looking-name heuristic.

use super::model::{EnvEntry, EnvFile, EnvRead};
use crate::model::Location;
pub use crate::scan::is_secret_name;
use crate::source::text::{re, LineIndex};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// What kind of file decides which patterns run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Js,
    Python,
    Rust,
    Go,
    Ruby,
    Php,
    Jvm,
    CSharp,
    Shell,
    /// compose, k8s, Dockerfile, serverless: `${X}` interpolation.
    Interpolated,
    Spring,
    GithubWorkflow,
}

/// One pattern: group 1 is the variable name (or a destructured list for `Destructure`).
struct Pattern {
    regex: Regex,
    via: &'static str,
    kind: PatternKind,
}

#[derive(Clone, Copy, PartialEq)]
enum PatternKind {
    Name,
    Destructure,
    /// `env!`-style compile-time reads where cargo's own variables are noise.
    SkipCargo,
}

fn p(regex: &str, via: &'static str) -> Pattern {
    Pattern {
        regex: re(regex),
        via,
        kind: PatternKind::Name,
    }
}

const NAME: &str = r"([A-Za-z_][A-Za-z0-9_]*)";

static JS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    vec![
        p(&format!(r"\bprocess\.env\.{NAME}"), "process.env"),
        p(
            &format!(r#"\bprocess\.env\[\s*["'`]{NAME}["'`]\s*\]"#),
            "process.env",
        ),
        Pattern {
            regex: re(r"\b(?:const|let|var)\s*\{([^}]*)\}\s*=\s*process\.env\b"),
            via: "process.env",
            kind: PatternKind::Destructure,
        },
        p(&format!(r"\bimport\.meta\.env\.{NAME}"), "import.meta.env"),
        p(
            &format!(r#"\bDeno\.env\.get\(\s*["'`]{NAME}["'`]"#),
            "Deno.env.get",
        ),
        p(&format!(r"\bBun\.env\.{NAME}"), "Bun.env"),
        p(
            &format!(r#"\bBun\.env\[\s*["'`]{NAME}["'`]\s*\]"#),
            "Bun.env",
        ),
    ]
});

static PYTHON: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    vec![
        p(
            &format!(r#"\bos\.environ\[\s*["']{NAME}["']\s*\]"#),
            "os.environ",
        ),
        p(
            &format!(r#"\bos\.environ\.get\(\s*["']{NAME}["']"#),
            "os.environ.get",
        ),
        p(&format!(r#"\bos\.getenv\(\s*["']{NAME}["']"#), "os.getenv"),
        p(
            &format!(r#"(?:^|[^.\w])environ(?:\[\s*|\.get\(\s*)["']{NAME}["']"#),
            "os.environ",
        ),
        p(
            &format!(r#"(?:^|[^.\w])getenv\(\s*["']{NAME}["']"#),
            "os.getenv",
        ),
        p(
            r#"(?:^|[^.\w])env(?:\.(?:str|bool|int|float|list|tuple|dict|url|db|db_url|cache|cache_url|email|email_url|search_url|json|path|decimal))?\(\s*["']([A-Z_][A-Z0-9_]*)["']"#,
            "django-environ env()",
        ),
    ]
});

static RUST: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    vec![
        p(&format!(r#"\benv::var\(\s*"{NAME}""#), "std::env::var"),
        p(
            &format!(r#"\benv::var_os\(\s*"{NAME}""#),
            "std::env::var_os",
        ),
        Pattern {
            regex: re(&format!(r#"(?:^|[^\w:])env!\(\s*"{NAME}""#)),
            via: "env!",
            kind: PatternKind::SkipCargo,
        },
        Pattern {
            regex: re(&format!(r#"\boption_env!\(\s*"{NAME}""#)),
            via: "option_env!",
            kind: PatternKind::SkipCargo,
        },
        p(&format!(r#"\bdotenvy?::var\(\s*"{NAME}""#), "dotenvy::var"),
    ]
});

static GO: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    vec![
        p(&format!(r#"\bos\.Getenv\(\s*"{NAME}""#), "os.Getenv"),
        p(&format!(r#"\bos\.LookupEnv\(\s*"{NAME}""#), "os.LookupEnv"),
    ]
});

static RUBY: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    vec![
        p(&format!(r#"\bENV\[\s*["']{NAME}["']\s*\]"#), "ENV[]"),
        p(
            &format!(r#"\bENV\.fetch[\s(]\s*["']{NAME}["']"#),
            "ENV.fetch",
        ),
    ]
});

static PHP: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    vec![
        p(&format!(r#"\bgetenv\(\s*["']{NAME}["']"#), "getenv"),
        p(&format!(r#"\$_ENV\[\s*["']{NAME}["']\s*\]"#), "$_ENV"),
        p(
            r#"\$_SERVER\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"#,
            "$_SERVER",
        ),
        p(&format!(r#"(?:^|[^\w>:$])env\(\s*["']{NAME}["']"#), "env()"),
    ]
});

static JVM: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    vec![p(
        &format!(r#"\bSystem\.getenv\(\s*"{NAME}""#),
        "System.getenv",
    )]
});

static CSHARP: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    vec![p(
        &format!(r#"\bEnvironment\.GetEnvironmentVariable\(\s*"{NAME}""#),
        "Environment.GetEnvironmentVariable",
    )]
});

static SHELL: LazyLock<Vec<Pattern>> =
    LazyLock::new(|| vec![p(r"\$\{?([A-Z_][A-Z0-9_]*)", "shell $VAR")]);

static INTERPOLATED: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    vec![
        p(&format!(r"\$\{{{NAME}(?:[:?+=-][^}}]*)?\}}"), "${}"),
        p(&format!(r"\$\{{env:{NAME}[^}}]*\}}"), "${env:}"),
    ]
});

static SPRING: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    vec![p(
        r"\$\{([A-Z_][A-Z0-9_]*)(?::[^}]*)?\}",
        "${} in Spring config",
    )]
});

static WORKFLOW_EXPR: LazyLock<Regex> = LazyLock::new(|| re(r"\$\{\{(.*?)\}\}"));
static WORKFLOW_REF: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"\b(secrets|vars)\.{NAME}")));

static SHELL_ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?m)(?:^\s*|[;&|]\s*|\bexport\s+|\blocal\s+|\breadonly\s+|\bdeclare\s+(?:-\w+\s+)*)([A-Z_][A-Z0-9_]*)=",
    )
});
static SHELL_LOOP_READ: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:for|read(?:\s+-\w+)*)\s+([A-Z_][A-Z0-9_]*)\b"));
/// Names a Dockerfile sets itself (`ENV X`) or defaults (`ARG X=…`): not the environment's to supply.
static DOCKER_ENV: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?mi)^\s*(?:ENV\s+([A-Za-z_][A-Za-z0-9_]*)|ARG\s+([A-Za-z_][A-Za-z0-9_]*)\s*=)")
});

/// Variables the shell or the CI runner sets: reading them says nothing about config.
const SHELL_BUILTINS: &[&str] = &[
    "PATH",
    "HOME",
    "PWD",
    "OLDPWD",
    "USER",
    "SHELL",
    "IFS",
    "PS1",
    "PS2",
    "PS4",
    "UID",
    "EUID",
    "PPID",
    "RANDOM",
    "LINENO",
    "SECONDS",
    "HOSTNAME",
    "TERM",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "OPTARG",
    "OPTIND",
    "REPLY",
    "PIPESTATUS",
    "FUNCNAME",
    "SHLVL",
    "EDITOR",
    "LOGNAME",
    "CI",
    "TZ",
    "DISPLAY",
    "COLUMNS",
    "LINES",
    "HOSTTYPE",
    "OSTYPE",
    "MACHTYPE",
    "GROUPS",
    "EPOCHSECONDS",
];
const RUNNER_PREFIXES: &[&str] = &["GITHUB_", "RUNNER_", "BASH_", "BASH", "CI_", "ZSH_"];

/// The language of a file for env-var scanning, from its name and first line.
pub fn lang_for(path: &str, name: &str, text: &str) -> Option<Lang> {
    let ext = crate::source::text::extension(name);
    if path.starts_with(".github/workflows/") && matches!(ext.as_str(), "yml" | "yaml") {
        return Some(Lang::GithubWorkflow);
    }
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("application") && matches!(ext.as_str(), "properties" | "yml" | "yaml") {
        return Some(Lang::Spring);
    }
    if crate::source::kind::is_dockerfile(name)
        || crate::source::kind::is_compose(name)
        || lower == "serverless.yml"
        || lower == "serverless.yaml"
    {
        return Some(Lang::Interpolated);
    }
    if matches!(ext.as_str(), "yml" | "yaml")
        && text.contains("apiVersion")
        && text.contains("kind:")
    {
        return Some(Lang::Interpolated);
    }
    Some(match ext.as_str() {
        "js" | "jsx" | "mjs" | "cjs" | "ts" | "tsx" | "mts" | "cts" | "vue" | "svelte"
        | "astro" => Lang::Js,
        "py" => Lang::Python,
        "rs" => Lang::Rust,
        "go" => Lang::Go,
        "rb" | "rake" | "erb" => Lang::Ruby,
        "php" => Lang::Php,
        "java" | "kt" | "kts" | "scala" | "groovy" => Lang::Jvm,
        "cs" => Lang::CSharp,
        "sh" | "bash" | "zsh" => Lang::Shell,
        "" if text.starts_with("#!") && {
            let first = text.lines().next().unwrap_or("");
            first.contains("sh") && !first.contains("python") && !first.contains("node")
        } =>
        {
            Lang::Shell
        }
        _ => return None,
    })
}

/// Cheap literal check before running a language's regexes.
fn worth_scanning(lang: Lang, text: &str) -> bool {
    match lang {
        Lang::Js => text.contains("env"),
        Lang::Python => text.contains("env"),
        Lang::Rust => text.contains("env"),
        Lang::Go => text.contains("os."),
        Lang::Ruby => text.contains("ENV"),
        Lang::Php => text.contains("env") || text.contains("_ENV") || text.contains("_SERVER"),
        Lang::Jvm => text.contains("getenv"),
        Lang::CSharp => text.contains("GetEnvironmentVariable"),
        Lang::Shell | Lang::Interpolated | Lang::Spring => text.contains('$'),
        Lang::GithubWorkflow => text.contains("${{"),
    }
}

/// Every env var read in one file, in file order.
pub fn scan(path: &str, text: &str, lang: Lang) -> Vec<(String, EnvRead)> {
    if !worth_scanning(lang, text) {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    let mut out = Vec::new();
    let mut push = |name: &str, offset: usize, via: &str| {
        let (line, column) = index.position(text, offset);
        out.push((
            name.to_string(),
            EnvRead {
                location: Location::new(path, line, column),
                via: via.to_string(),
            },
        ));
    };
    if lang == Lang::GithubWorkflow {
        for expr in WORKFLOW_EXPR.captures_iter(text) {
            let Some(inner) = expr.get(1) else { continue };
            for r in WORKFLOW_REF.captures_iter(inner.as_str()) {
                let (Some(kind), Some(name)) = (r.get(1), r.get(2)) else {
                    continue;
                };
                if name.as_str() == "GITHUB_TOKEN" {
                    continue;
                }
                let via = if kind.as_str() == "secrets" {
                    "${{ secrets }}"
                } else {
                    "${{ vars }}"
                };
                push(
                    name.as_str(),
                    inner.start() + r.get(0).map_or(0, |m| m.start()),
                    via,
                );
            }
        }
        return sorted(out);
    }
    let patterns: &[Pattern] = match lang {
        Lang::Js => &JS,
        Lang::Python => &PYTHON,
        Lang::Rust => &RUST,
        Lang::Go => &GO,
        Lang::Ruby => &RUBY,
        Lang::Php => &PHP,
        Lang::Jvm => &JVM,
        Lang::CSharp => &CSHARP,
        Lang::Shell => &SHELL,
        Lang::Interpolated => &INTERPOLATED,
        Lang::Spring => &SPRING,
        Lang::GithubWorkflow => &[],
    };
    let excluded: HashSet<String> = match lang {
        Lang::Shell => shell_locals(text),
        Lang::Interpolated if text.contains("ENV") || text.contains("ARG") => DOCKER_ENV
            .captures_iter(text)
            .filter_map(|c| c.get(1).or(c.get(2)).map(|m| m.as_str().to_string()))
            .collect(),
        _ => HashSet::new(),
    };
    for pattern in patterns {
        for caps in pattern.regex.captures_iter(text) {
            let Some(m) = caps.get(1) else { continue };
            if lang == Lang::Shell && in_shell_comment(text, m.start()) {
                continue;
            }
            match pattern.kind {
                PatternKind::Destructure => {
                    let mut offset = m.start();
                    for part in m.as_str().split(',') {
                        let name_part = part.split([':', '=']).next().unwrap_or("");
                        let trimmed = name_part.trim();
                        if is_name(trimmed) {
                            let lead = part.find(trimmed).unwrap_or(0);
                            push(trimmed, offset + lead, pattern.via);
                        }
                        offset += part.len() + 1;
                    }
                }
                PatternKind::SkipCargo if m.as_str().starts_with("CARGO_") => {}
                _ => {
                    let name = m.as_str();
                    if excluded.contains(name) {
                        continue;
                    }
                    // `${env:X}`, `${self:x}`: serverless variable sources, not a var named `env`.
                    let after = &text[m.end()..];
                    if pattern.via == "${}"
                        && after.starts_with(':')
                        && !after[1..].starts_with(['-', '?', '+', '='])
                    {
                        continue;
                    }
                    if lang == Lang::Shell
                        && (SHELL_BUILTINS.contains(&name)
                            || RUNNER_PREFIXES.iter().any(|p| name.starts_with(p)))
                    {
                        continue;
                    }
                    let start = caps.get(0).map_or(m.start(), |all| all.start());
                    push(name, start, pattern.via);
                }
            }
        }
    }
    sorted(out)
}

fn sorted(mut out: Vec<(String, EnvRead)>) -> Vec<(String, EnvRead)> {
    out.sort_by(|a, b| a.1.location.cmp(&b.1.location).then_with(|| a.0.cmp(&b.0)));
    out.dedup_by(|a, b| a.0 == b.0 && a.1.location == b.1.location);
    out
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn shell_locals(text: &str) -> HashSet<String> {
    SHELL_ASSIGN
        .captures_iter(text)
        .chain(SHELL_LOOP_READ.captures_iter(text))
        .filter_map(|c| c.get(1).map(|m| m.as_str().to_string()))
        .collect()
}

fn in_shell_comment(text: &str, offset: usize) -> bool {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..offset].trim_start().starts_with('#')
}

static ENV_LINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$"));

/// Names set by a dotenv file and whether each has a value (values are never kept).
pub fn parse_env_file(path: &str, text: &str) -> EnvFile {
    let mut entries = Vec::new();
    let mut in_multiline: Option<char> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some(q) = in_multiline {
            if line.trim_end().ends_with(q) {
                in_multiline = None;
            }
            continue;
        }
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let Some(caps) = ENV_LINE.captures(line) else {
            continue;
        };
        let (Some(name), Some(value)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        let value = value.as_str().trim();
        let has_value = if let Some(q) = value.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let rest = &value[1..];
            match rest.find(q) {
                Some(end) => !rest[..end].is_empty(),
                None => {
                    in_multiline = Some(q);
                    !rest.is_empty()
                }
            }
        } else {
            !(value.is_empty() || value.starts_with('#'))
        };
        entries.push(EnvEntry {
            name: name.as_str().to_string(),
            line: i as u32 + 1,
            has_value,
        });
    }
    EnvFile {
        tracked_although_ignored: false,
        path: path.to_string(),
        entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(path: &str, text: &str, lang: Lang) -> Vec<(String, u32, u32, String)> {
        scan(path, text, lang)
            .into_iter()
            .map(|(n, r)| (n, r.location.line, r.location.column, r.via))
            .collect()
    }

    fn just_names(text: &str, lang: Lang) -> Vec<String> {
        names("f", text, lang).into_iter().map(|n| n.0).collect()
    }

    #[test]
    fn javascript() {
        let js = "const a = process.env.DATABASE_URL;\nconst b = process.env['STRIPE_KEY'];\nconst { PORT, HOST: h, ...rest } = process.env;\nimport.meta.env.VITE_API;\nDeno.env.get(\"DENO_X\"); Bun.env.BUN_Y;\nconst x = env.NOT_THIS;\n";
        let got = names("a.js", js, Lang::Js);
        assert_eq!(got[0], ("DATABASE_URL".into(), 1, 11, "process.env".into()));
        let n: Vec<_> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(
            n,
            [
                "DATABASE_URL",
                "STRIPE_KEY",
                "PORT",
                "HOST",
                "VITE_API",
                "DENO_X",
                "BUN_Y"
            ]
        );
        assert_eq!(got[3].2, 15);
    }

    #[test]
    fn python_rust_go_ruby_php_jvm_csharp() {
        assert_eq!(
            just_names("os.environ['A']\nos.environ.get(\"B\", 1)\nos.getenv('C')\nenv('D')\nenv.str(\"E\")\nself.env('lower')\n", Lang::Python),
            ["A", "B", "C", "D", "E"]
        );
        assert_eq!(
            just_names("std::env::var(\"A\"); env::var_os(\"B\"); env!(\"CARGO_PKG_NAME\"); env!(\"C\"); option_env!(\"D\"); dotenvy::var(\"E\")", Lang::Rust),
            ["A", "B", "C", "D", "E"]
        );
        assert_eq!(
            just_names("os.Getenv(\"A\")\nv, ok := os.LookupEnv(\"B\")", Lang::Go),
            ["A", "B"]
        );
        assert_eq!(
            just_names("ENV['A']\nENV.fetch(\"B\")\nENV.fetch 'C'", Lang::Ruby),
            ["A", "B", "C"]
        );
        assert_eq!(
            just_names(
                "getenv('A'); $_ENV['B']; env('C'); $this->env('no');",
                Lang::Php
            ),
            ["A", "B", "C"]
        );
        assert_eq!(just_names("System.getenv(\"A\")", Lang::Jvm), ["A"]);
        assert_eq!(
            just_names("Environment.GetEnvironmentVariable(\"A\")", Lang::CSharp),
            ["A"]
        );
    }

    #[test]
    fn shell_excludes_builtins_and_locals() {
        let sh = "#!/bin/sh\n# $COMMENTED\nNAME=x\necho \"$NAME $DEPLOY_TOKEN ${REGION} $HOME $1 $GITHUB_SHA\"\nfor F in a; do echo $F; done\n";
        assert_eq!(just_names(sh, Lang::Shell), ["DEPLOY_TOKEN", "REGION"]);
    }

    #[test]
    fn interpolation_and_workflows() {
        let compose = "services:\n  db:\n    image: postgres:${PG_VERSION:-16}\n    environment:\n      - PASSWORD=${DB_PASSWORD}\n";
        assert_eq!(
            just_names(compose, Lang::Interpolated),
            ["PG_VERSION", "DB_PASSWORD"]
        );
        let docker =
            "ARG BASE\nARG NODE=20\nENV APP_HOME=/app\nFROM ${BASE}:${NODE}\nWORKDIR ${APP_HOME}\n";
        assert_eq!(just_names(docker, Lang::Interpolated), ["BASE"]);
        let sls = "provider:\n  environment:\n    KEY: ${env:SLS_KEY, 'x'}\n";
        assert_eq!(just_names(sls, Lang::Interpolated), ["SLS_KEY"]);
        let wf = "env:\n  A: ${{ secrets.DEPLOY_KEY }}\n  B: ${{ vars.REGION || secrets.OTHER }}\n  T: ${{ secrets.GITHUB_TOKEN }}\n  C: $NOT_THIS\n";
        let got = names(".github/workflows/ci.yml", wf, Lang::GithubWorkflow);
        let n: Vec<_> = got
            .iter()
            .map(|g| (g.0.as_str(), g.1, g.3.as_str()))
            .collect();
        assert_eq!(
            n,
            [
                ("DEPLOY_KEY", 2, "${{ secrets }}"),
                ("REGION", 3, "${{ vars }}"),
                ("OTHER", 3, "${{ secrets }}")
            ]
        );
        assert_eq!(
            just_names("url=${DB_URL:jdbc:x}\nname=${lower}", Lang::Spring),
            ["DB_URL"]
        );
    }

    #[test]
    fn languages_from_names() {
        assert_eq!(lang_for("src/a.ts", "a.ts", ""), Some(Lang::Js));
        assert_eq!(
            lang_for(".github/workflows/ci.yml", "ci.yml", ""),
            Some(Lang::GithubWorkflow)
        );
        assert_eq!(
            lang_for("bin/deploy", "deploy", "#!/usr/bin/env bash\n"),
            Some(Lang::Shell)
        );
        assert_eq!(lang_for("bin/run", "run", "#!/usr/bin/env python3\n"), None);
        assert_eq!(lang_for("README.md", "README.md", ""), None);
        assert_eq!(
            lang_for("docker-compose.yml", "docker-compose.yml", ""),
            Some(Lang::Interpolated)
        );
    }

    #[test]
    fn env_files_keep_names_only() {
        let text = "# comment\nexport A=1\nB=\nC=\"\"\nD='x'\nE= # none\nF=\"multi\nline\"\nG=ok\nnot a line\n";
        let f = parse_env_file(".env.example", text);
        let got: Vec<_> = f
            .entries
            .iter()
            .map(|e| (e.name.as_str(), e.line, e.has_value))
            .collect();
        assert_eq!(
            got,
            [
                ("A", 2, true),
                ("B", 3, false),
                ("C", 4, false),
                ("D", 5, true),
                ("E", 6, false),
                ("F", 7, true),
                ("G", 9, true)
            ]
        );
        assert!(
            crate::source::kind::is_env_file(".env")
                && crate::source::kind::is_env_file(".env.local")
                && crate::source::kind::is_env_file("app.env")
        );
        assert!(
            !crate::source::kind::is_env_file(".envrc")
                && !crate::source::kind::is_env_file(".env-cmdrc")
                && !crate::source::kind::is_env_file("x.environment")
        );
    }
}
