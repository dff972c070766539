//! Environment variables the code and config read, per language (each
//! language's regexes compiled once, run only on its files), `.env*` files
//! (names only, never values) and the secret-looking-name heuristic.

use super::model::{EnvClass, EnvEntry, EnvFile, EnvRead, ReadDefault};
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
        r"(?m)(?:^\s*|[;&|({]\s*|\b(?:then|else|do)\s+|\bexport\s+|\blocal\s+|\breadonly\s+|\bdeclare\s+(?:-\w+\s+)*)([A-Z_][A-Z0-9_]*)=",
    )
});
static SHELL_LOOP_READ: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:for|read(?:\s+-\w+)*)\s+([A-Z_][A-Z0-9_]*)\b"));
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
    let mut push = |name: &str, offset: usize, via: &str, default: ReadDefault| {
        let (line, column) = index.position(text, offset);
        out.push((
            name.to_string(),
            EnvRead {
                location: Location::new(path, line, column),
                via: via.to_string(),
                default,
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
                    ReadDefault::None,
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
    let laravel_config = lang == Lang::Php && path.starts_with("config/");
    let dockerfile = lang == Lang::Interpolated
        && crate::source::kind::is_dockerfile(crate::source::text::file_name(path));
    let (excluded, build_args): (HashSet<String>, HashSet<String>) = match lang {
        Lang::Shell => (shell_locals(text), HashSet::new()),
        Lang::Interpolated if dockerfile => dockerfile_names(text),
        _ => (HashSet::new(), HashSet::new()),
    };
    for pattern in patterns {
        for caps in pattern.regex.captures_iter(text) {
            let Some(m) = caps.get(1) else { continue };
            if in_comment(lang, text, m.start()) {
                continue;
            }
            // `$${X}` is compose's (and Make's) escape for a literal `${X}`
            // the container's shell expands: not read from the environment here.
            let start = caps.get(0).map_or(m.start(), |all| all.start());
            if matches!(lang, Lang::Interpolated | Lang::Spring) && text[..start].ends_with('$') {
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
                            let default = if part.contains('=') {
                                ReadDefault::Given
                            } else {
                                ReadDefault::None
                            };
                            push(trimmed, offset + lead, pattern.via, default);
                        }
                        offset += part.len() + 1;
                    }
                }
                PatternKind::SkipCargo if m.as_str().starts_with("CARGO_") => {}
                _ => {
                    let name = m.as_str();
                    // `$Item`: the upper-case pattern stopped inside a mixed-case name.
                    if lang == Lang::Shell
                        && text[m.end()..]
                            .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                    {
                        continue;
                    }
                    if excluded.contains(name) && !build_args.contains(name) {
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
                    let via = if build_args.contains(name) {
                        "Dockerfile ARG"
                    } else {
                        pattern.via
                    };
                    let default =
                        if pattern.kind == PatternKind::SkipCargo && pattern.via == "option_env!" {
                            ReadDefault::Given
                        } else if guarded_before(lang, &text[..start]) {
                            ReadDefault::Checked
                        } else {
                            match default_after(lang, via, &text[m.end()..]) {
                                // Laravel's `env('X')` defaults to null, which its
                                // config arrays read as "not configured".
                                ReadDefault::None if laravel_config && via == "env()" => {
                                    ReadDefault::Empty
                                }
                                d => d,
                            }
                        };
                    push(name, start, via, default);
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

/// Whether the read sits on a commented-out line (`// 'x' => env('X')`,
/// `# ENV["X"] is needed`): commented code reads nothing.
fn in_comment(lang: Lang, text: &str, offset: usize) -> bool {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..offset].trim_start();
    let markers: &[&str] = match lang {
        Lang::Js | Lang::Rust | Lang::Go | Lang::Jvm | Lang::CSharp => &["//", "/*", "*"],
        Lang::Php => &["//", "#", "/*", "*"],
        Lang::Python | Lang::Ruby | Lang::Shell | Lang::Interpolated | Lang::GithubWorkflow => {
            &["#"]
        }
        Lang::Spring => &["#", "!"],
    };
    markers.iter().any(|m| before.starts_with(m))
}

/// `${X:-d}` / `${X-d}` / `${X:=d}` (and Spring's `${X:d}`): the text right after the name.
static INTERP_DEFAULT: LazyLock<Regex> = LazyLock::new(|| re(r"^(:?)([-=+?])(\}?)"));
/// A call's second argument: `env('X', 'd')`, `os.getenv("X", d)`, `ENV.fetch("X", d)`.
static CALL_DEFAULT: LazyLock<Regex> = LazyLock::new(|| re(r#"^["'`]\s*,\s*(?:default\s*=\s*)?"#));
/// Ruby's `ENV.fetch("X") { d }`.
static BLOCK_DEFAULT: LazyLock<Regex> = LazyLock::new(|| re(r#"^["']\s*\)\s*(?:\{|do\b)"#));
/// `process.env.X || 'd'`, `ENV["X"] ?? d`, `os.environ.get("X") or "d"`,
/// `ENV["X"].presence || d`.
static OR_DEFAULT: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"^["'`]?\s*[\])]?\s*\)?\s*(?:\.presence\s*)?(?:\|\||\?\?|\bor\b)\s*=?\s*"#)
});
/// The code checks presence or compares with a literal, so unset is handled:
/// `ENV["X"].present?`, `ENV["X"] == "true"`, `process.env.X === "1"`.
static CHECKED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"^["'`]?\s*[\])]?\s*(?:&?\.(?:present\?|blank\?|nil\?|empty\?)|(?:===?|!==?)\s*["'`]|\?\s*[^?.\s])"#,
    )
});
/// Rust: `env::var("X").unwrap_or(…)`, `.ok()`, `.is_ok()`.
static RUST_DEFAULT: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"^"\s*\)\s*\.\s*(?:unwrap_or|ok\(|is_ok|is_err|map_or|unwrap_or_default)"#)
});
static EMPTY_LITERAL: LazyLock<Regex> =
    LazyLock::new(|| re(r#"^(?:''|""|``|null|NULL|None|nil|undefined)[ \t]*(?:[),;}\]\r\n]|$)"#));

/// Whether the code after a read's name supplies a fallback for it.
fn default_after(lang: Lang, via: &str, after: &str) -> ReadDefault {
    let literal = |tail: &str| {
        if EMPTY_LITERAL.is_match(tail.trim_start()) {
            ReadDefault::Empty
        } else {
            ReadDefault::Given
        }
    };
    match lang {
        Lang::Shell | Lang::Interpolated => match INTERP_DEFAULT.captures(after) {
            Some(c) => match (c.get(2).map(|m| m.as_str()), c.get(3).map(|m| m.as_str())) {
                (Some("?"), _) => ReadDefault::None,
                (Some("+"), _) => ReadDefault::Given,
                (_, Some("}")) => ReadDefault::Empty,
                _ => ReadDefault::Given,
            },
            None => ReadDefault::None,
        },
        Lang::Spring => match after.strip_prefix(':') {
            Some(rest) if rest.starts_with('}') => ReadDefault::Empty,
            Some(_) => ReadDefault::Given,
            None => ReadDefault::None,
        },
        Lang::GithubWorkflow => ReadDefault::None,
        _ if via == "os.LookupEnv" => ReadDefault::Given,
        // Rust's `?` is the try operator, not a ternary: only the combinators count.
        Lang::Rust if RUST_DEFAULT.is_match(after) => ReadDefault::Given,
        Lang::Rust => ReadDefault::None,
        _ => {
            if let Some(m) = CALL_DEFAULT.find(after) {
                let tail = &after[m.end()..];
                if tail.starts_with("cast") {
                    return ReadDefault::None;
                }
                return literal(tail);
            }
            if BLOCK_DEFAULT.is_match(after) {
                return ReadDefault::Given;
            }
            if CHECKED.is_match(after) {
                return ReadDefault::Checked;
            }
            if let Some(m) = OR_DEFAULT.find(after) {
                return literal(&after[m.end()..]);
            }
            ReadDefault::None
        }
    }
}

/// The read is a condition: `if ENV["X"]`, `unless ENV["X"]`, `if (process.env.X`, `a && process.env.X`.
fn guarded_before(lang: Lang, before: &str) -> bool {
    if lang == Lang::Shell {
        // `[ -z "$X" ]`, `[ -n "${X}" ]`: the script tests whether it is set.
        let t = before.trim_end_matches(['"', '\'']).trim_end();
        return t.ends_with("-z") || t.ends_with("-n");
    }
    if matches!(
        lang,
        Lang::Shell | Lang::Interpolated | Lang::Spring | Lang::GithubWorkflow | Lang::Rust
    ) {
        return false;
    }
    let line = before.rsplit('\n').next().unwrap_or(before).trim_end();
    let line = line.trim_end_matches(['(', '!', ' ']);
    ["if", "unless", "elsif", "&&"].iter().any(|w| {
        line.ends_with(w)
            && !line[..line.len() - w.len()]
                .ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// A Dockerfile's own names: those it sets (`ENV X=…`, `ARG X=…`, continued
/// lines included) and its build arguments without a default (`ARG X`),
/// which `docker build --build-arg` supplies.
fn dockerfile_names(text: &str) -> (HashSet<String>, HashSet<String>) {
    let mut set = HashSet::new();
    let mut args = HashSet::new();
    let mut logical = String::new();
    let mut handle = |line: &str| {
        let mut words = line.split_whitespace();
        let instruction = words.next().unwrap_or("").to_ascii_uppercase();
        let rest: Vec<&str> = words.collect();
        match instruction.as_str() {
            "ENV" => {
                if rest.first().is_some_and(|w| !w.contains('=')) {
                    // `ENV NAME value` (legacy form): one name.
                    if let Some(w) = rest.first() {
                        set.insert((*w).to_string());
                    }
                } else {
                    for w in &rest {
                        if let Some((name, _)) = w.split_once('=') {
                            if is_name(name) {
                                set.insert(name.to_string());
                            }
                        }
                    }
                }
            }
            "ARG" => {
                for w in &rest {
                    match w.split_once('=') {
                        Some((name, _)) if is_name(name) => {
                            set.insert(name.to_string());
                        }
                        None if is_name(w) => {
                            args.insert((*w).to_string());
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    };
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('#') && logical.is_empty() {
            continue;
        }
        if let Some(head) = t.strip_suffix('\\') {
            logical.push_str(head);
            logical.push(' ');
            continue;
        }
        logical.push_str(t);
        handle(&logical);
        logical.clear();
    }
    if !logical.is_empty() {
        handle(&logical);
    }
    (set, args)
}

static ENV_LINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$"));
/// A commented-out entry, `# NAME=default` / `#NAME=` / `# export NAME=`:
/// the name must be the first word after `#` and UPPER_SNAKE, so prose
/// (`# Set DB_HOST=db when …`) is not taken for an entry.
static COMMENTED_LINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*#+\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=(?:\S|$)"));

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
        if t.starts_with('#') {
            if let Some(name) = COMMENTED_LINE.captures(line).and_then(|c| c.get(1)) {
                entries.push(EnvEntry {
                    name: name.as_str().to_string(),
                    line: i as u32 + 1,
                    has_value: false,
                    commented: true,
                });
            }
            continue;
        }
        if t.is_empty() {
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
            commented: false,
        });
    }
    EnvFile {
        tracked_although_ignored: false,
        path: path.to_string(),
        entries,
    }
}

/// Set by the OS, the shell, a proxy set-up or a language toolchain.
const SYSTEM: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "USERNAME",
    "USERPROFILE",
    "LOGNAME",
    "PWD",
    "OLDPWD",
    "SHELL",
    "TERM",
    "COLORTERM",
    "LANG",
    "LANGUAGE",
    "TZ",
    "TMPDIR",
    "TEMP",
    "TMP",
    "HOSTNAME",
    "EDITOR",
    "VISUAL",
    "PAGER",
    "DISPLAY",
    "COLUMNS",
    "LINES",
    "SHLVL",
    "APPDATA",
    "LOCALAPPDATA",
    "PROGRAMFILES",
    "SYSTEMROOT",
    "COMSPEC",
    "SSH_AUTH_SOCK",
    "NO_COLOR",
    "FORCE_COLOR",
    "GOPATH",
    "GOROOT",
    "GOOS",
    "GOARCH",
    "GOFLAGS",
    "GOPROXY",
    "GOBIN",
    "CGO_ENABLED",
    "JAVA_HOME",
    "PYTHONPATH",
    "PYTHONUNBUFFERED",
    "PYTHONDONTWRITEBYTECODE",
    "VIRTUAL_ENV",
    "NODE_OPTIONS",
    "NODE_PATH",
    "GEM_HOME",
    "GEM_PATH",
    "RUBYOPT",
    "RUSTFLAGS",
    "RUSTDOCFLAGS",
    "RUST_BACKTRACE",
    "OUT_DIR",
    "OPT_LEVEL",
    "DEBIAN_FRONTEND",
    "DOCKER_HOST",
    "DOCKER_BUILDKIT",
    "JAVA_OPTS",
    "JDK_JAVA_OPTIONS",
    "GRADLE_OPTS",
    "GRADLE_USER_HOME",
    "MAVEN_OPTS",
    "MAVEN_HOME",
    "M2_HOME",
];
const SYSTEM_PREFIXES: &[&str] = &[
    "MVNW_", "LC_", "XDG_", "npm_", "CARGO_", "RUSTUP_", "BUNDLE_", "BUNDLER_", "DEP_", "PNPM_",
    "YARN_",
];
const PROXIES: &[&str] = &[
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "all_proxy",
    "ftp_proxy",
];
const CI_NAMES: &[&str] = &[
    "CI",
    "CONTINUOUS_INTEGRATION",
    "GITLAB_CI",
    "BUILDKITE",
    "CIRCLECI",
    "TRAVIS",
    "JENKINS_URL",
    "BUILD_NUMBER",
    "APPVEYOR",
    "TF_BUILD",
    "DRONE",
    "TEAMCITY_VERSION",
    "CODEBUILD_BUILD_ID",
];
const CI_PREFIXES: &[&str] = &[
    "GITHUB_",
    "RUNNER_",
    "CI_",
    "GITLAB_",
    "BUILDKITE_",
    "CIRCLE_",
    "TRAVIS_",
    "JENKINS_",
    "BITBUCKET_",
    "DRONE_",
    "CODEBUILD_",
    "APPVEYOR_",
    "ACTIONS_",
];
/// The runtime mode framework tooling sets (`next build` sets NODE_ENV,
/// `rails s -e`, the platform), or a variable the hosting platform injects.
const RUNTIME: &[&str] = &[
    "NODE_ENV",
    "RAILS_ENV",
    "RACK_ENV",
    "MIX_ENV",
    "DYNO",
    "VERCEL",
    "NETLIFY",
    "RENDER",
    "K_SERVICE",
    "K_REVISION",
    "KUBERNETES_SERVICE_HOST",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_EXECUTION_ENV",
    "NEXT_RUNTIME",
];
const RUNTIME_PREFIXES: &[&str] = &[
    "VERCEL_", "NETLIFY_", "RENDER_", "FLY_", "HEROKU_", "RAILWAY_",
];
/// BuildKit's automatic platform arguments.
const BUILDKIT: &[&str] = &[
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
];
/// Public client config the bundler inlines at build time from `.env` files:
/// app configuration like any other, so it belongs in `.env.example`.
const PUBLIC_PREFIXES: &[&str] = &[
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "NUXT_PUBLIC_",
    "PUBLIC_",
];

/// A build tool's config or a build script: what it reads, the build reads.
fn is_build_file(path: &str) -> bool {
    let name = crate::source::text::file_name(path).to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or("");
    name == "build.rs"
        || (name.contains(".config.")
            && matches!(
                stem,
                "next"
                    | "vite"
                    | "webpack"
                    | "rollup"
                    | "esbuild"
                    | "tsup"
                    | "astro"
                    | "svelte"
                    | "nuxt"
                    | "babel"
                    | "postcss"
                    | "tailwind"
                    | "turbo"
                    | "rspack"
            ))
}

/// A test file, or the config of a test runner.
fn is_test_harness(path: &str) -> bool {
    let name = crate::source::text::file_name(path).to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or("");
    crate::scan::is_test_path(path)
        || path
            .split('/')
            .any(|p| matches!(p, "e2e" | "cypress" | "playwright"))
        || (name.contains(".config.")
            && matches!(stem, "playwright" | "cypress" | "jest" | "vitest" | "karma"))
        || matches!(
            name.as_str(),
            "conftest.py" | "pytest.ini" | "phpunit.xml" | "phpunit.xml.dist"
        )
}

/// A file the test environment alone reads (`config/environments/test.rb`, `settings/test.py`).
fn is_test_env_file(path: &str) -> bool {
    path.rsplit(['/', '.', '_', '-'])
        .find_map(crate::model::canonical_environment)
        == Some("test")
}

/// A one-off task's parameters (`rake bench ENDPOINT=/`): not service config.
fn is_task_file(path: &str) -> bool {
    let name = crate::source::text::file_name(path);
    name.ends_with(".rake") || name == "Rakefile" || path.contains("lib/tasks/")
}

/// Names a test env file sets (`.env.test`, `.env.test.example`, `.env.ci`, `.env.testing`).
pub fn test_env_names(files: &[EnvFile]) -> HashSet<String> {
    files
        .iter()
        .filter(|f| {
            let name = crate::source::text::file_name(&f.path).to_ascii_lowercase();
            name.strip_prefix(".env.").is_some_and(|rest| {
                let first = rest.split('.').next().unwrap_or("");
                matches!(first, "test" | "testing" | "ci" | "e2e")
            })
        })
        .flat_map(|f| f.entries.iter().map(|e| e.name.clone()))
        .collect()
}

/// `next.config.js` (`.mjs`, `.cjs`, `.ts`, `.mts`) anywhere in the tree.
pub fn is_next_config(path: &str) -> bool {
    let name = crate::source::text::file_name(path);
    name.strip_prefix("next.config.")
        .is_some_and(|ext| matches!(ext, "js" | "mjs" | "cjs" | "ts" | "mts"))
}

/// The keys of the `env: { … }` object in a Next.js config: shorthand
/// (`basePath,`) and `key: value` entries at the object's top level.
pub fn next_config_env_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find("env:").map(|i| i + from) {
        from = i + 4;
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let rest = text[from..].trim_start();
        if !rest.starts_with('{') {
            continue;
        }
        let open = text.len() - rest.len();
        let (mut depth, mut at, mut token_start) = (0usize, open, None::<usize>);
        let mut expect_key = true;
        while at < bytes.len() {
            let c = bytes[at];
            match c {
                b'{' | b'[' | b'(' => depth += 1,
                b'}' | b']' | b')' => {
                    if depth == 1 {
                        if let (true, Some(s)) = (expect_key, token_start) {
                            keys.push(text[s..at].trim().to_string());
                        }
                    }
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                b',' if depth == 1 => {
                    if let (true, Some(s)) = (expect_key, token_start) {
                        keys.push(text[s..at].trim().to_string());
                    }
                    expect_key = true;
                    token_start = None;
                }
                b':' if depth == 1 && expect_key => {
                    if let Some(s) = token_start {
                        keys.push(text[s..at].trim().trim_matches(['\'', '"']).to_string());
                    }
                    expect_key = false;
                    token_start = None;
                }
                _ if depth == 1
                    && expect_key
                    && token_start.is_none()
                    && !c.is_ascii_whitespace() =>
                {
                    token_start = Some(at);
                }
                _ => {}
            }
            at += 1;
        }
        from = at.max(from);
    }
    keys.retain(|k| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
    });
    keys
}

/// Files only CI runs: a repository's own actions and CI config folders.
fn is_ci_file(path: &str) -> bool {
    [".github/", ".gitlab/", ".circleci/", ".buildkite/"]
        .iter()
        .any(|d| path.starts_with(d))
}

/// Who supplies a variable, and why we think so: by its name first (OS,
/// CI, runtime mode, BuildKit), then by where all its reads are.
pub fn classify(name: &str, reads: &[EnvRead], test_names: &HashSet<String>) -> (EnvClass, String) {
    let has_prefix = |prefixes: &[&str]| prefixes.iter().any(|p| name.starts_with(p));
    if PROXIES.contains(&name.to_ascii_lowercase().as_str()) {
        return (EnvClass::System, "proxy setting of the host".into());
    }
    if SYSTEM.contains(&name) || has_prefix(SYSTEM_PREFIXES) {
        return (EnvClass::System, "set by the OS, shell or toolchain".into());
    }
    if CI_NAMES.contains(&name) || has_prefix(CI_PREFIXES) {
        return (EnvClass::Ci, "set by the CI system".into());
    }
    if reads.iter().all(|r| r.via.contains("${{")) && !reads.is_empty() {
        return (
            EnvClass::Ci,
            "a CI secret or variable read by workflows".into(),
        );
    }
    // A script of a repository's own CI actions (`.github/actions/x/
    // entrypoint.sh`) gets its inputs from the workflow that calls it.
    if !reads.is_empty() && reads.iter().all(|r| is_ci_file(&r.location.path)) {
        return (
            EnvClass::Ci,
            "read only by CI actions and scripts, which the workflow supplies".into(),
        );
    }
    // Hosts inject their own facts (`VERCEL_URL`, `FLY_REGION`), never
    // credentials: a `VERCEL_TOKEN` or `FLY_API_TOKEN` is the user's to supply.
    if RUNTIME.contains(&name) || (has_prefix(RUNTIME_PREFIXES) && !is_secret_name(name)) {
        return (
            EnvClass::Runtime,
            "runtime mode or platform variable the tooling or host sets".into(),
        );
    }
    if BUILDKIT.contains(&name) {
        return (EnvClass::Build, "BuildKit sets it for each build".into());
    }
    if reads.is_empty() {
        return (EnvClass::App, "read by the app".into());
    }
    let all = |f: &dyn Fn(&EnvRead) -> bool| reads.iter().all(f);
    if all(&|r| is_test_harness(&r.location.path)) {
        return (
            EnvClass::Test,
            "read only by tests or test-runner config".into(),
        );
    }
    if test_names.contains(name)
        && all(&|r| is_test_harness(&r.location.path) || is_test_env_file(&r.location.path))
    {
        return (
            EnvClass::Test,
            "set by a test env file, read only in the test environment".into(),
        );
    }
    if !has_prefix(PUBLIC_PREFIXES) {
        // A build argument the Dockerfile declares reaches the app only
        // through the image (`ENV X=${X}`), so the build supplies it.
        if reads.iter().any(|r| r.via == "Dockerfile ARG") {
            return (
                EnvClass::Build,
                "Dockerfile build argument (--build-arg)".into(),
            );
        }
        if all(&|r| is_build_file(&r.location.path) || r.via == "Dockerfile ARG") {
            return (EnvClass::Build, "read only by the build".into());
        }
    }
    if all(&|r| is_task_file(&r.location.path)) {
        return (EnvClass::Task, "parameter of a one-off task".into());
    }
    if has_prefix(PUBLIC_PREFIXES) {
        return (
            EnvClass::App,
            "public client config the bundler inlines from .env files".into(),
        );
    }
    (EnvClass::App, "read by the app".into())
}

/// Every app read has a fallback in code — for a secret a non-empty one,
/// since an empty secret is no working default.
pub fn is_optional(secret: bool, reads: &[EnvRead]) -> bool {
    let app: Vec<&EnvRead> = reads
        .iter()
        .filter(|r| !is_test_harness(&r.location.path) && !r.via.contains("${{"))
        .collect();
    // A presence check anywhere means the code handles the unset case.
    if app.iter().any(|r| r.default == ReadDefault::Checked) {
        return true;
    }
    !app.is_empty()
        && app.iter().all(|r| match r.default {
            ReadDefault::Given => true,
            ReadDefault::Empty => !secret,
            ReadDefault::None | ReadDefault::Checked => false,
        })
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
    fn next_config_env_keys_are_read() {
        let text = "const basePath = process.env.BASE_PATH || '';\nexport default {\n  env: {\n    basePath,\n    currentVersion: pkg.version,\n    'quoted': x(1, 2),\n    nested: { a: 1 },\n  },\n  serverRuntimeConfig: { env: 1 },\n};\n";
        assert_eq!(
            next_config_env_keys(text),
            ["basePath", "currentVersion", "quoted", "nested"]
        );
        assert!(next_config_env_keys("process.env: 1").is_empty());
        assert!(next_config_env_keys("env: {").is_empty());
        assert!(is_next_config("web/next.config.mjs"));
        assert!(!is_next_config("next.config.json"));
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
        // Set in an `if … then X=…; else X=…; fi` one-liner, a loop body or a
        // group: still the script's own variable.
        let branches = "if command -v podman; then ENGINE=podman; else ENGINE=docker; fi\n\"$ENGINE\" run x\nfor i in 1; do N=$i; done; echo $N\n{ G=1; }; echo $G $EXTERNAL\n";
        assert_eq!(just_names(branches, Lang::Shell), ["EXTERNAL"]);
        let mixed = "for Item in a b; do echo $Item; done\nif [ -z \"$SKIP_SETUP\" ]; then :; fi\n";
        let got = defaults("x.sh", mixed, Lang::Shell);
        assert_eq!(got, [("SKIP_SETUP".to_string(), ReadDefault::Checked)]);
    }

    #[test]
    fn interpolation_and_workflows() {
        let compose = "services:\n  db:\n    image: postgres:${PG_VERSION:-16}\n    environment:\n      - PASSWORD=${DB_PASSWORD}\n";
        assert_eq!(
            just_names(compose, Lang::Interpolated),
            ["PG_VERSION", "DB_PASSWORD"]
        );
        let docker = "ARG BASE\nARG NODE=20\nENV APP_HOME=/app \\\n    GEM_DIR=\"/g\"\nFROM ${BASE}:${NODE}\nWORKDIR ${APP_HOME}\nRUN ls ${GEM_DIR} $${ESCAPED}\n";
        let got = names("Dockerfile", docker, Lang::Interpolated);
        let n: Vec<_> = got.iter().map(|g| (g.0.as_str(), g.3.as_str())).collect();
        assert_eq!(n, [("BASE", "Dockerfile ARG")]);
        assert_eq!(
            just_names("x: $${ESCAPED} ${REAL}\n", Lang::Interpolated),
            ["REAL"]
        );
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

    fn defaults(path: &str, text: &str, lang: Lang) -> Vec<(String, ReadDefault)> {
        scan(path, text, lang)
            .into_iter()
            .map(|(n, r)| (n, r.default))
            .collect()
    }

    #[test]
    fn in_code_defaults() {
        use ReadDefault::{Checked, Empty, Given, None};
        let php = "env('A', 'x');\nenv('B');\nenv('C', '');\nenv(\n    'D',\n    Str::slug('y')\n);\nenv('E', null);\n";
        let got = defaults("app/Support/x.php", php, Lang::Php);
        let want: Vec<(String, ReadDefault)> = [
            ("A", Given),
            ("B", None),
            ("C", Empty),
            ("D", Given),
            ("E", Empty),
        ]
        .iter()
        .map(|(n, d)| (n.to_string(), *d))
        .collect();
        assert_eq!(got, want);
        let got: Vec<_> = defaults("config/app.php", "env('B');\n", Lang::Php)
            .into_iter()
            .map(|d| d.1)
            .collect();
        assert_eq!(got, [Empty]);
        let rb = "ENV.fetch(\"A\") { 5 }\nENV.fetch(\"B\")\nENV[\"C\"] || \"d\"\nENV[\"D\"].present?\nENV[\"E\"] == \"true\"\nx = ENV[\"F\"]\nENV.fetch(\"G\", nil)\n";
        let got: Vec<_> = defaults("a.rb", rb, Lang::Ruby)
            .into_iter()
            .map(|d| d.1)
            .collect();
        assert_eq!(got, [Given, None, Given, Checked, Checked, None, Empty]);
        let py = "os.getenv('A', 'd')\nos.environ['B']\nos.environ.get('C') or 'x'\nenv('D', cast=bool)\nenv('E', default='')\n";
        let got: Vec<_> = defaults("a.py", py, Lang::Python)
            .into_iter()
            .map(|d| d.1)
            .collect();
        assert_eq!(got, [Given, None, Given, None, Empty]);
        let guards = "x = ENV[\"A\"] if ENV[\"A\"]\nif (process.env.B) {}\n";
        let got: Vec<_> = defaults("a.rb", guards, Lang::Ruby)
            .into_iter()
            .map(|d| d.1)
            .collect();
        assert_eq!(got, [None, Checked]);
        let got: Vec<_> = defaults("a.js", guards, Lang::Js)
            .into_iter()
            .map(|d| d.1)
            .collect();
        assert_eq!(got, [Checked]);
        let js = "process.env.A || 'x'\nprocess.env.B\nprocess.env.C ?? ''\nconst { D = 3, E } = process.env;\nprocess.env.F === 'true'\n";
        let got: Vec<_> = defaults("a.js", js, Lang::Js)
            .into_iter()
            .map(|d| d.1)
            .collect();
        assert_eq!(got, [Given, None, Empty, Given, None, Checked]);
        let rs = "env::var(\"A\").unwrap_or_default(); env::var(\"B\")?; option_env!(\"C\");";
        let got: Vec<_> = defaults("a.rs", rs, Lang::Rust)
            .into_iter()
            .map(|d| d.1)
            .collect();
        assert_eq!(got, [Given, None, Given]);
        let compose = "a: ${A:-x}\nb: ${B}\nc: ${C:-}\nd: ${D:?need}\n";
        let got: Vec<_> = defaults("compose.yml", compose, Lang::Interpolated)
            .into_iter()
            .map(|d| d.1)
            .collect();
        assert_eq!(got, [Given, None, Empty, None]);
        assert_eq!(
            defaults("a.sh", "echo ${A:-x} $B\n", Lang::Shell)
                .into_iter()
                .map(|d| d.1)
                .collect::<Vec<_>>(),
            [Given, None]
        );
    }

    #[test]
    fn commented_code_reads_nothing() {
        assert_eq!(
            just_names(
                "// 'x' => env('A'),\n  # env('B')\n'y' => env('C'),\n",
                Lang::Php
            ),
            ["C"]
        );
        assert_eq!(
            just_names("# needs ENV[\"A\"]\nENV[\"B\"]\n", Lang::Ruby),
            ["B"]
        );
        assert_eq!(
            just_names(
                "// process.env.A\n * process.env.B\nprocess.env.C\n",
                Lang::Js
            ),
            ["C"]
        );
    }

    fn read(path: &str, via: &str, default: ReadDefault) -> EnvRead {
        EnvRead {
            location: Location::new(path, 1, 1),
            via: via.into(),
            default,
        }
    }

    #[test]
    fn classes() {
        let none = HashSet::new();
        let app = [read("src/app.js", "process.env", ReadDefault::None)];
        let class = |name: &str, reads: &[EnvRead]| classify(name, reads, &none).0;
        assert_eq!(class("DATABASE_URL", &app), EnvClass::App);
        for n in [
            "HOME",
            "https_proxy",
            "NO_PROXY",
            "CARGO_HOME",
            "LC_ALL",
            "BUNDLE_PATH",
        ] {
            assert_eq!(class(n, &app), EnvClass::System, "{n}");
        }
        for n in [
            "CI",
            "GITHUB_SHA",
            "GITLAB_CI",
            "CI_COMMIT_SHA",
            "BUILDKITE_BRANCH",
            "CIRCLE_SHA1",
        ] {
            assert_eq!(class(n, &app), EnvClass::Ci, "{n}");
        }
        assert_eq!(class("NODE_ENV", &app), EnvClass::Runtime);
        assert_eq!(class("RAILS_ENV", &app), EnvClass::Runtime);
        assert_eq!(class("TARGETARCH", &app), EnvClass::Build);
        let build = [read("build.rs", "std::env::var", ReadDefault::None)];
        assert_eq!(class("PROTOC", &build), EnvClass::Build);
        let next = [read("next.config.mjs", "process.env", ReadDefault::None)];
        assert_eq!(class("ANALYZE", &next), EnvClass::Build);
        assert_eq!(class("NEXT_PUBLIC_API_URL", &next), EnvClass::App);
        let arg = [read("Dockerfile", "Dockerfile ARG", ReadDefault::None)];
        assert_eq!(class("GIT_SHA", &arg), EnvClass::Build);
        let tests = [
            read("test/helper.rb", "ENV[]", ReadDefault::None),
            read("playwright.config.ts", "process.env", ReadDefault::None),
        ];
        assert_eq!(class("COVERAGE", &tests), EnvClass::Test);
        let in_test_env = [read(
            "config/environments/test.rb",
            "ENV[]",
            ReadDefault::None,
        )];
        let set: HashSet<String> = ["PARALLEL".to_string()].into();
        assert_eq!(classify("PARALLEL", &in_test_env, &set).0, EnvClass::Test);
        assert_eq!(classify("PARALLEL", &app, &set).0, EnvClass::App);
        let task = [read("lib/tasks/bench.rake", "ENV.fetch", ReadDefault::None)];
        assert_eq!(class("ITERATIONS", &task), EnvClass::Task);
        let wf = [read(
            ".github/workflows/d.yml",
            "${{ secrets }}",
            ReadDefault::None,
        )];
        assert_eq!(class("DEPLOY_KEY", &wf), EnvClass::Ci);
        assert_eq!(class("VERCEL_TOKEN", &wf), EnvClass::Ci);
        // A container action's entry script reads what its workflow passes.
        let action = [read(
            ".github/actions/docker/entrypoint.sh",
            "shell $VAR",
            ReadDefault::None,
        )];
        assert_eq!(class("DOCKER_IMAGE", &action), EnvClass::Ci);
        let mixed = [
            read(
                ".github/actions/docker/entrypoint.sh",
                "shell $VAR",
                ReadDefault::None,
            ),
            read("src/app.sh", "shell $VAR", ReadDefault::None),
        ];
        assert_eq!(class("DOCKER_IMAGE", &mixed), EnvClass::App);
        assert_eq!(class("FLY_API_TOKEN", &app), EnvClass::App);
        assert_eq!(class("FLY_REGION", &app), EnvClass::Runtime);

        let given = read("a.php", "env()", ReadDefault::Given);
        let empty = read("a.php", "env()", ReadDefault::Empty);
        assert!(is_optional(false, std::slice::from_ref(&given)));
        assert!(is_optional(false, std::slice::from_ref(&empty)));
        assert!(!is_optional(true, &[empty]));
        assert!(is_optional(true, std::slice::from_ref(&given)));
        assert!(!is_optional(false, &[given, app[0].clone()]));
        let checked = read("a.rb", "ENV[]", ReadDefault::Checked);
        assert!(is_optional(true, &[checked, app[0].clone()]));
        assert_eq!(
            test_env_names(&[parse_env_file(".env.test.example", "A=1\n")]),
            ["A".to_string()].into()
        );
    }

    #[test]
    fn env_files_keep_names_only() {
        let text = "# comment\nexport A=1\nB=\nC=\"\"\nD='x'\nE= # none\nF=\"multi\nline\"\nG=ok\nnot a line\n# H=3306\n#I=\n# export J=x  # note\n# Set K=1 when needed\n# lower=1\n";
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
                ("G", 9, true),
                ("H", 11, false),
                ("I", 12, false),
                ("J", 13, false)
            ]
        );
        assert!(f.entries[7..].iter().all(|e| e.commented) && !f.entries[6].commented);
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
