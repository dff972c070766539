//! Log calls in source code, for the §4.1 logging rules: which arguments of
//! a log call carry a secret (`log-sensitive-data`), found in the same walk
//! as every other scan.
//!
//! How a file is read, cheapest step first:
//! 1. only source files of a language with a known logging API are read;
//! 2. one case-insensitive literal pass looks for a secret word (`password`,
//!    `token`, `secret`, `apikey`, `authorization`, `headers`, …) — a file
//!    with none costs that pass and nothing else;
//! 3. the language's log-call regex finds each call; its arguments are
//!    read up to the closing parenthesis with string literals blanked out
//!    (their interpolations — `${x}`, f-string `{x}`, `#{x}`, Rust `{x}` —
//!    are kept, since they are code);
//! 4. each identifier chain left (`user.password`, `req.headers`) is named
//!    for a secret by its last segment's words, unless a word says it is
//!    only about the secret (`tokenCount`, `password_reset_url`,
//!    `secretName`) or it is tested, measured or masked (`!!token`,
//!    `len(token)`, `mask(password)`, `token != nil`).
//!
//! Only the identifier is kept, never a value.

use crate::source::literals::{covering, with_ascii_lowercase, LiteralSets};
use aho_corasick::AhoCorasick;
use regex::Regex;
use std::sync::LazyLock;

/// One log call argument that names a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SensitiveLog {
    /// 1-based line of the identifier.
    pub line: u32,
    /// 1-based character column of the identifier.
    pub column: u32,
    /// Length of the identifier chain in characters.
    pub len: u32,
    /// The identifier as written (`req.headers`, `user.password`).
    pub identifier: String,
    /// What it names: `password`, `token`, `secret`, `api-key`,
    /// `private-key`, `authorization`, `card-number` or `request-headers`.
    pub what: &'static str,
}

/// The languages whose logging APIs are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Js,
    Python,
    Go,
    Ruby,
    Java,
    /// Kotlin and Scala: Java's loggers, `$name` in strings.
    Kotlin,
    Rust,
    Php,
    CSharp,
}

impl Lang {
    pub fn of_path(path: &str) -> Option<Lang> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let ext = name.rsplit_once('.')?.1;
        Some(match ext {
            "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs" | "mts" | "cts" | "vue" | "svelte" => {
                Lang::Js
            }
            "py" => Lang::Python,
            "go" => Lang::Go,
            "rb" => Lang::Ruby,
            "java" => Lang::Java,
            "kt" | "kts" | "scala" => Lang::Kotlin,
            "rs" => Lang::Rust,
            "php" => Lang::Php,
            "cs" => Lang::CSharp,
            _ => return None,
        })
    }

    /// The start of a log call, up to and including its `(` (Ruby: the
    /// method name, its arguments may follow without parentheses).
    fn call_pattern(self) -> &'static str {
        match self {
            Lang::Js => {
                r"\b(?:console|logger|log|_logger|_log|winston|pino|logging)\s*\.\s*(?:log|info|warn|warning|error|debug|trace|fatal|verbose|silly|critical|notice)\s*\("
            }
            Lang::Python => {
                r"\b(?:logging|logger|log|_logger|_log|LOGGER|LOG|structlog)\s*\.\s*(?:debug|info|warning|warn|error|exception|critical|fatal|log|msg)\s*\(|(?:^|[^\w.])print\s*\("
            }
            Lang::Go => {
                r"\b(?:log|slog|logger|logrus|sugar|zlog|lg|zap\.[LS]\(\))\s*\.\s*(?:Print|Fatal|Panic|Debug|Info|Warn|Warning|Error|Log|Trace)[a-zA-Z]*\s*\("
            }
            Lang::Ruby => {
                r"(?:\bRails\.logger|\blogger|@logger|\blog)\s*\.\s*(?:debug|info|warn|error|fatal|unknown)\b[ \t]*\(?"
            }
            Lang::Java | Lang::Kotlin => {
                r"\b(?:log|logger|LOG|LOGGER|Log|Logger|logging)\s*\.\s*(?:trace|debug|info|warn|warning|error|fatal|severe)\s*\("
            }
            Lang::Rust => {
                r"\b(?:(?:tracing|log)\s*::\s*)?(?:trace|debug|info|warn|error|event)\s*!\s*\("
            }
            Lang::Php => {
                r"\bLog\s*::\s*(?:emergency|alert|critical|error|warning|notice|info|debug|log)\s*\(|\$(?:this\s*->\s*)?_?logger\s*->\s*(?:emergency|alert|critical|error|warning|notice|info|debug|log)\s*\(|\berror_log\s*\("
            }
            Lang::CSharp => {
                r"\b(?:_logger|logger|_log|Log|Logger)\s*\.\s*(?:Log(?:Information|Warning|Error|Debug|Trace|Critical)?|Information|Warning|Error|Debug|Verbose|Fatal)\s*(?:<[^>]*>)?\s*\("
            }
        }
    }
}

static CALLS: LazyLock<Vec<(Lang, Regex)>> = LazyLock::new(|| {
    use Lang::*;
    [Js, Python, Go, Ruby, Java, Kotlin, Rust, Php, CSharp]
        .into_iter()
        .map(|l| {
            (
                l,
                crate::source::text::re(&format!("(?m){}", l.call_pattern())),
            )
        })
        .collect()
});

impl Lang {
    /// Logger set-up: creating or configuring a logger, or a framework's
    /// request-logging middleware.
    fn setup_pattern(self) -> &'static str {
        match self {
            Lang::Js => {
                r"\b(?:createLogger|pino|bunyan\.createLogger|morgan|log4js\.configure|getLogger)\s*\(|\blogger\s*:\s*(?:true|\{)|new\s+Logger\s*\("
            }
            Lang::Python => {
                r"\blogging\s*\.\s*(?:basicConfig|getLogger|config\.dictConfig|config\.fileConfig)\s*\(|\bstructlog\s*\.\s*(?:configure|get_logger)\s*\(|\bfrom\s+loguru\s+import|\bLOGGING\s*="
            }
            Lang::Go => {
                r"\b(?:zap\.New[A-Za-z]*|slog\.New|logrus\.New|zerolog\.New|log\.New|log\.SetOutput|gin\.Default|gin\.Logger|middleware\.Logger|middleware\.RequestLogger)\s*\("
            }
            Lang::Ruby => {
                r"\bLogger\.new\b|\bconfig\.log_level\b|\bconfig\.logger\b|\bconfig\.lograge\b"
            }
            Lang::Java | Lang::Kotlin => {
                r"\bLoggerFactory\s*\.\s*getLogger\s*\(|@Slf4j\b|\bLogManager\s*\.\s*getLogger\s*\(|\bKotlinLogging\s*\.\s*logger\b"
            }
            Lang::Rust => {
                r"\b(?:tracing_subscriber|env_logger|pretty_env_logger|simple_logger|log4rs|fern|tracing_bunyan_formatter)\s*::"
            }
            Lang::Php => r"\bLog\s*::\s*channel\s*\(|\bnew\s+Logger\s*\(|\bLoggerInterface\b",
            Lang::CSharp => {
                r"\bILogger\s*<|\bAddLogging\s*\(|\bUseSerilog\s*\(|\bLoggerConfiguration\s*\("
            }
        }
    }
}

static USES: LazyLock<Vec<(Lang, Regex, Regex)>> = LazyLock::new(|| {
    use Lang::*;
    [Js, Python, Go, Ruby, Java, Kotlin, Rust, Php, CSharp]
        .into_iter()
        .map(|l| {
            (
                l,
                crate::source::text::re(&format!("(?m){}", l.call_pattern())),
                crate::source::text::re(&format!("(?m){}", l.setup_pattern())),
            )
        })
        .collect()
});

thread_local! {
    /// Each walk thread's own copies: one `regex::Regex` shared by the
    /// threads makes them take turns at its cache pool (a clone has its
    /// own pool); this took the audit from 0.2 s to 0.95 s on rails.
    static CALLS_HERE: Vec<(Lang, Regex)> = CALLS.clone();
    static USES_HERE: Vec<(Lang, Regex, Regex)> = USES.clone();
}

/// Where a source file first sets up a logger or calls one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogUse {
    pub line: u32,
    /// `setup` (a logger is created or configured), `call`, or `print`
    /// (Python's `print` in a web app's file, which goes to its log).
    pub what: &'static str,
}

/// The first logger set-up in `text`, else its first log call outside a
/// comment (Python's `print` only in a web app's file).
pub fn first_log_use(path: &str, text: &str) -> Option<LogUse> {
    let lang = Lang::of_path(path)?;
    USES_HERE.with(|uses| {
        let (_, call, setup) = uses.iter().find(|(l, _, _)| *l == lang)?;
        first_log_use_with(text, lang, call, setup)
    })
}

fn first_log_use_with(text: &str, lang: Lang, call: &Regex, setup: &Regex) -> Option<LogUse> {
    let line = |at: usize| {
        u32::try_from(memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count())
            .unwrap_or(u32::MAX)
            .saturating_add(1)
    };
    if let Some(m) = setup.find(text) {
        return Some(LogUse {
            line: line(m.start()),
            what: "setup",
        });
    }
    let server = lang == Lang::Python && is_python_server(text);
    call.find_iter(text)
        .filter(|m| !in_line_comment(text.as_bytes(), m.start(), lang))
        .find_map(|m| {
            let print = is_print(m.as_str());
            // `print`'s pattern may start at the character before it.
            let lead = m.as_str().len()
                - m.as_str()
                    .trim_start_matches(|c: char| !c.is_alphabetic())
                    .len();
            (!print || server).then(|| LogUse {
                line: line(m.start() + lead),
                what: if print { "print" } else { "call" },
            })
        })
}

fn is_print(call: &str) -> bool {
    call.trim_start_matches(|c: char| !c.is_alphabetic())
        .starts_with("print")
}

/// A Python file that imports a web framework (Flask, Django, FastAPI,
/// Starlette, aiohttp, Tornado): the code of a service.
pub fn imports_python_server(path: &str, text: &str) -> bool {
    Lang::of_path(path) == Some(Lang::Python) && is_python_server(text)
}

/// Names of metrics libraries and agents, as code imports them.
const METRICS_NEEDLES: &[&str] = &[
    "prometheus",
    "prom-client",
    "prom_client",
    "statsd",
    "opentelemetry",
    "micrometer",
    "expvar",
    "dd-trace",
    "ddtrace",
    "newrelic",
    "hot-shots",
    "yabeda",
    // Performance monitoring: request rate, errors and latency per route.
    "traces_sample_rate",
    "traces_sampler",
    "enable_tracing",
    "tracessamplerate",
    "tracessampler",
    "skylight",
    "scout_apm",
    "appsignal",
    "elastic-apm",
    "elasticapm",
];

#[cfg(test)]
/// The line of the first mention of a metrics library or agent in a source
/// file of a known language (an import, a client, an exporter).
pub fn first_metrics_use(path: &str, text: &str) -> Option<u32> {
    hits(path, text)?.metrics
}

/// What code writes to put a request or correlation id on its logs:
/// headers, field names, middleware and tracing context.
const CONTEXT_NEEDLES: &[&str] = &[
    "x-request-id",
    "request_id",
    "requestid",
    "request-id",
    "correlation_id",
    "correlationid",
    "correlation-id",
    "trace_id",
    "traceid",
    "trace-id",
    "traceparent",
    "opentelemetry",
    "mdc.put",
    "log_tags",
    "genreqid",
    "asgi_correlation_id",
    "cls-rtracer",
];

#[cfg(test)]
/// The line of the first request, correlation or trace id a source file of
/// a known language handles (`X-Request-Id`, `request_id`, `traceparent`,
/// `middleware.RequestID`, Rails' `log_tags`, slf4j's `MDC.put`).
pub fn first_log_context(path: &str, text: &str) -> Option<u32> {
    hits(path, text)?.context
}

/// Words without which no identifier can name a secret (the prefilter).
const NEEDLES: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "token",
    "secret",
    "apikey",
    "api_key",
    "api-key",
    "privatekey",
    "private_key",
    "authorization",
    "cardnumber",
    "card_number",
    "ccnumber",
    "cvv",
    "jwt",
    "headers",
    "header",
];

/// Every needle of the three lists (all lower-case) in the small SIMD sets
/// of [`LiteralSets`], searched in the file's lower-cased copy: a
/// case-insensitive automaton over 60 needles gets no SIMD prefilter and
/// visits every byte (11 % of the audit).
static NEEDLE_SETS: LazyLock<LiteralSets> = LazyLock::new(|| {
    let needles: Vec<&str> = all_needles().copied().collect();
    LiteralSets::new(&needles)
});

fn all_needles() -> impl Iterator<Item = &'static &'static str> {
    METRICS_NEEDLES.iter().chain(CONTEXT_NEEDLES).chain(NEEDLES)
}

const METRICS_BIT: u8 = 1;
const CONTEXT_BIT: u8 = 2;
const SECRET_BIT: u8 = 4;

/// Per needle of [`NEEDLE_SETS`], the lists it belongs to or contains a
/// needle of: the search reports the longest needle at a position, which
/// stands for those inside it ([`covering`]).
static NEEDLE_LISTS: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let needles: Vec<&str> = all_needles().copied().collect();
    let own: Vec<u8> = METRICS_NEEDLES
        .iter()
        .map(|_| METRICS_BIT)
        .chain(CONTEXT_NEEDLES.iter().map(|_| CONTEXT_BIT))
        .chain(NEEDLES.iter().map(|_| SECRET_BIT))
        .collect();
    covering(&needles, &own)
});

/// Per set of [`NEEDLE_SETS`], the lists its needles answer for.
static SET_LISTS: LazyLock<Vec<u8>> = LazyLock::new(|| {
    NEEDLE_SETS
        .set_literals()
        .iter()
        .map(|ids| {
            ids.iter()
                .fold(0, |m, &i| m | NEEDLE_LISTS.get(i).copied().unwrap_or(0))
        })
        .collect()
});

/// What one search of a source file found: the lines of the first metrics
/// and log-context mentions, and whether any secret word occurs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hits {
    pub metrics: Option<u32>,
    pub context: Option<u32>,
    pub secret_words: bool,
}

/// One pass over a source file of a known language (`None` otherwise).
pub fn hits(path: &str, text: &str) -> Option<Hits> {
    Lang::of_path(path)?;
    let lists = &*NEEDLE_LISTS;
    let (mut metrics, mut context, mut secret_words) = (None::<usize>, None::<usize>, false);
    let first = |seen: &mut Option<usize>, at: usize| *seen = Some(seen.map_or(at, |s| s.min(at)));
    with_ascii_lowercase(text, |lower| {
        // Hits come set after set, not in text order: keep the first of each.
        NEEDLE_SETS.for_each_hit_while(lower, |set, at, id| {
            let bits = lists.get(id).copied().unwrap_or(0);
            if bits & METRICS_BIT != 0 {
                first(&mut metrics, at);
            }
            if bits & CONTEXT_BIT != 0 {
                first(&mut context, at);
            }
            secret_words |= bits & SECRET_BIT != 0;
            // This set's later hits lie after `at`: they change nothing once
            // every answer the set can give is known at or before it.
            let can = SET_LISTS.get(set).copied().unwrap_or(0);
            let open = |bit: u8, seen: Option<usize>| can & bit != 0 && seen.is_none_or(|s| s > at);
            open(METRICS_BIT, metrics)
                || open(CONTEXT_BIT, context)
                || (can & SECRET_BIT != 0 && !secret_words)
        });
    });
    let line = |at: usize| {
        u32::try_from(memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count())
            .ok()
            .map(|n| n.saturating_add(1))
    };
    Some(Hits {
        metrics: metrics.and_then(line),
        context: context.and_then(line),
        secret_words,
    })
}

#[cfg(test)]
/// Every log call argument in `text` (a file at `path`) that names a secret.
pub fn sensitive_log_args(path: &str, text: &str) -> Vec<SensitiveLog> {
    if !hits(path, text).is_some_and(|h| h.secret_words) {
        return Vec::new();
    }
    sensitive_log_args_found(path, text)
}

/// [`sensitive_log_args`] once [`hits`] found a secret word in the file.
pub fn sensitive_log_args_found(path: &str, text: &str) -> Vec<SensitiveLog> {
    let Some(lang) = Lang::of_path(path) else {
        return Vec::new();
    };
    CALLS_HERE.with(|calls| match calls.iter().find(|(l, _)| *l == lang) {
        Some((_, call)) => args_naming_secrets(path, text, lang, call),
        None => Vec::new(),
    })
}

/// The secret words alone, to skip a log call whose arguments hold none
/// before masking and splitting them (most calls of a file that names a
/// secret somewhere do not).
static SECRET_NEEDLES: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(NEEDLES)
        .ok()
});

fn args_naming_secrets(path: &str, text: &str, lang: Lang, call: &Regex) -> Vec<SensitiveLog> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let python_server = lang == Lang::Python && is_python_server(text);
    let Some(secret_needles) = SECRET_NEEDLES.as_ref() else {
        return out;
    };
    // Built at the first finding: most files have none.
    let mut lines: Option<crate::source::text::LineIndex> = None;
    // A Rust file's unit-test module logs test data.
    let tests_from = super::url::rust_test_module_start(path, text).unwrap_or(usize::MAX);
    for m in call.find_iter(text) {
        if m.start() >= tests_from {
            break;
        }
        let matched = m.as_str();
        if lang == Lang::Python
            && matched
                .trim_start_matches(|c: char| !c.is_alphabetic())
                .starts_with("print")
            && !python_server
        {
            continue;
        }
        if in_line_comment(bytes, m.start(), lang) {
            continue;
        }
        let paren = matched.ends_with('(');
        let (start, end) = (m.end(), args_end(bytes, m.end(), lang, paren));
        if !secret_needles.is_match(&bytes[start..end]) {
            continue;
        }
        let masked = mask_strings(&bytes[start..end], lang);
        for chain in chains(&masked) {
            let Some(what) = names_secret(&masked, &chain) else {
                continue;
            };
            let at = start + chain.start;
            let identifier: String = String::from_utf8_lossy(&masked[chain.start..chain.end])
                .split_whitespace()
                .collect();
            let (line, column) = lines
                .get_or_insert_with(|| crate::source::text::LineIndex::new(text))
                .position(text, at);
            out.push(SensitiveLog {
                line,
                column,
                len: u32::try_from(identifier.chars().count()).unwrap_or(u32::MAX),
                identifier,
                what,
            });
        }
    }
    // One finding per line and kind of secret: `secret = %cfg.secret`
    // names it twice.
    out.sort_by_key(|s| (s.line, s.column));
    let mut seen = std::collections::HashSet::new();
    out.retain(|s| seen.insert((s.line, s.what)));
    out
}

/// `import x` and `from x` for each Python web framework, in one automaton.
static PYTHON_SERVER_IMPORTS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    let frameworks = [
        "flask",
        "django",
        "fastapi",
        "starlette",
        "aiohttp",
        "tornado",
    ];
    let needles: Vec<String> = frameworks
        .iter()
        .flat_map(|w| [format!("import {w}"), format!("from {w}")])
        .collect();
    AhoCorasick::new(needles).ok()
});

/// A Python file of a web app, where `print` goes to the server's log.
fn is_python_server(text: &str) -> bool {
    PYTHON_SERVER_IMPORTS
        .as_ref()
        .is_some_and(|ac| ac.is_match(text))
}

/// Whether the call at `at` sits after a line comment marker on its line.
fn in_line_comment(bytes: &[u8], at: usize, lang: Lang) -> bool {
    let line_start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let before = &bytes[line_start..at];
    let trimmed = before.trim_ascii_start();
    let hash = matches!(lang, Lang::Python | Lang::Ruby | Lang::Php);
    trimmed.starts_with(b"//")
        || trimmed.starts_with(b"*")
        || trimmed.starts_with(b"/*")
        || (hash && trimmed.starts_with(b"#"))
        || contains(before, b" // ")
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Longest argument list read, in bytes.
const MAX_ARGS: usize = 4096;

/// The byte offset just past a call's arguments: its closing parenthesis
/// (or, for a Ruby call without parentheses, the end of its line).
fn args_end(bytes: &[u8], start: usize, lang: Lang, paren: bool) -> usize {
    let limit = bytes.len().min(start + MAX_ARGS);
    let mut depth = 0usize;
    let mut i = start;
    let mut quote: Option<u8> = None;
    while i < limit {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == q {
                quote = None;
            } else if b == b'\n' && q != b'`' {
                // An unterminated quote (an apostrophe in Rust or Go) ends
                // at the line's end.
                quote = None;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' | b'`' => quote = Some(b),
            b'\''
                if !matches!(
                    lang,
                    Lang::Rust | Lang::Go | Lang::Java | Lang::Kotlin | Lang::CSharp
                ) =>
            {
                quote = Some(b)
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                if depth == 0 {
                    return i;
                }
                depth -= 1;
            }
            b'\n' if !paren && depth == 0 => return i,
            _ => {}
        }
        i += 1;
    }
    i.min(bytes.len())
}

/// `args` with every string literal's text replaced by spaces (same
/// length), keeping interpolated code, and comments blanked.
fn mask_strings(args: &[u8], lang: Lang) -> Vec<u8> {
    let mut out = args.to_vec();
    let mut i = 0;
    while i < args.len() {
        let b = args[i];
        // Line comments inside a multi-line argument list.
        let slash_comment = b == b'/' && args.get(i + 1) == Some(&b'/');
        let hash_comment = b == b'#'
            && matches!(lang, Lang::Python | Lang::Ruby)
            && args.get(i + 1) != Some(&b'{');
        if slash_comment && lang != Lang::Python || hash_comment {
            while i < args.len() && args[i] != b'\n' {
                out[i] = b' ';
                i += 1;
            }
            continue;
        }
        let is_quote = match b {
            b'"' | b'`' => true,
            b'\'' => match lang {
                // A char literal `'x'` or `'\n'`; a lifetime otherwise.
                Lang::Rust | Lang::Go | Lang::Java | Lang::Kotlin | Lang::CSharp => {
                    args.get(i + 2) == Some(&b'\'') || args.get(i + 1) == Some(&b'\\')
                }
                _ => true,
            },
            _ => false,
        };
        if !is_quote {
            if !b.is_ascii() {
                out[i] = b' ';
            }
            i += 1;
            continue;
        }
        let interp = interpolation(args, i, lang);
        // Python triple quotes.
        let triple = lang == Lang::Python && args[i..].starts_with(&[b, b, b]);
        let open = if triple { 3 } else { 1 };
        for o in out.iter_mut().skip(i).take(open) {
            *o = b' ';
        }
        i += open;
        i = mask_string_body(args, &mut out, i, b, triple, interp, lang);
    }
    out
}

/// How a string starting at `i` interpolates code.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Interp {
    None,
    /// `${expr}` (JS templates, Kotlin).
    DollarBrace,
    /// `{expr}` (Python f-strings, C# `$"…"`, Rust format strings).
    Brace,
    /// `#{expr}` (Ruby).
    HashBrace,
    /// `$name` and `{$expr}` (PHP), `$name` and `${expr}` (Kotlin, Scala).
    Dollar,
}

fn interpolation(args: &[u8], i: usize, lang: Lang) -> Interp {
    let q = args[i];
    let prefix = |n: usize| -> &[u8] {
        let s = i.saturating_sub(n);
        &args[s..i]
    };
    match (lang, q) {
        (Lang::Js, b'`') => Interp::DollarBrace,
        (Lang::Python, b'"' | b'\'') => {
            let p = prefix(2);
            let letters: Vec<u8> = p
                .iter()
                .rev()
                .take_while(|c| c.is_ascii_alphabetic())
                .copied()
                .collect();
            if letters.iter().any(|c| matches!(c, b'f' | b'F')) {
                Interp::Brace
            } else {
                Interp::None
            }
        }
        (Lang::Ruby, b'"' | b'`') => Interp::HashBrace,
        (Lang::Kotlin | Lang::Php, b'"') => Interp::Dollar,
        (Lang::CSharp, b'"') => {
            if prefix(2).contains(&b'$') {
                Interp::Brace
            } else {
                Interp::None
            }
        }
        (Lang::Rust, b'"') => Interp::Brace,
        _ => Interp::None,
    }
}

/// Blank a string body from `i` (just past its opening quote) to its
/// closing quote; returns the offset past the closing quote. Interpolated
/// code is kept.
fn mask_string_body(
    args: &[u8],
    out: &mut [u8],
    mut i: usize,
    q: u8,
    triple: bool,
    interp: Interp,
    lang: Lang,
) -> usize {
    let raw = matches!((lang, q), (Lang::Go, b'`'));
    while i < args.len() {
        let b = args[i];
        if b == b'\\' && !raw {
            out[i] = b' ';
            if i + 1 < args.len() {
                out[i + 1] = b' ';
            }
            i += 2;
            continue;
        }
        if b == q && (!triple || args[i..].starts_with(&[q, q, q])) {
            let n = if triple { 3 } else { 1 };
            for o in out.iter_mut().skip(i).take(n) {
                *o = b' ';
            }
            return i + n;
        }
        if b == b'\n' && q != b'`' && !triple && lang != Lang::Rust && lang != Lang::CSharp {
            return i;
        }
        let next = args.get(i + 1).copied();
        let opener = match interp {
            Interp::DollarBrace if b == b'$' && next == Some(b'{') => 2,
            Interp::HashBrace if b == b'#' && next == Some(b'{') => 2,
            Interp::Brace if b == b'{' && next == Some(b'{') => {
                out[i] = b' ';
                out[i + 1] = b' ';
                i += 2;
                continue;
            }
            Interp::Brace if b == b'{' => {
                // Rust: only `{name}` and `{name:…}` capture a variable.
                if lang == Lang::Rust && !rust_capture(&args[i + 1..]) {
                    0
                } else {
                    1
                }
            }
            Interp::Dollar if b == b'$' && next == Some(b'{') => 2,
            Interp::Dollar if b == b'{' && next == Some(b'$') => 1,
            Interp::Dollar
                if b == b'$' && next.is_some_and(|c| c.is_ascii_alphabetic() || c == b'_') =>
            {
                // `$name` (PHP keeps the `$` as part of the name's sigil).
                out[i] = b' ';
                i += 1;
                while i < args.len() && (args[i].is_ascii_alphanumeric() || args[i] == b'_') {
                    i += 1;
                }
                // `$user->password` in PHP strings.
                while lang == Lang::Php
                    && args[i..].starts_with(b"->")
                    && args.get(i + 2).is_some_and(|c| c.is_ascii_alphabetic())
                {
                    i += 2;
                    while i < args.len() && (args[i].is_ascii_alphanumeric() || args[i] == b'_') {
                        i += 1;
                    }
                }
                // Close the chain so it is not joined with what follows.
                if i < args.len() && args[i] != q {
                    out[i] = b' ';
                    i += 1;
                }
                continue;
            }
            _ => 0,
        };
        if opener > 0 {
            for o in out.iter_mut().skip(i).take(opener) {
                *o = b' ';
            }
            i += opener;
            // Code up to the matching `}`.
            let mut depth = 0usize;
            while i < args.len() {
                let c = args[i];
                match c {
                    b'{' | b'(' | b'[' => depth += 1,
                    b'}' if depth == 0 => break,
                    b'}' | b')' | b']' => depth = depth.saturating_sub(1),
                    // A format spec after the expression (`{x:?}`).
                    b':' if lang == Lang::Rust && depth == 0 => {
                        while i < args.len() && args[i] != b'}' {
                            out[i] = b' ';
                            i += 1;
                        }
                        break;
                    }
                    b'"' | b'\'' => out[i] = b' ',
                    _ if !c.is_ascii() => out[i] = b' ',
                    _ => {}
                }
                i += 1;
            }
            if i < args.len() {
                out[i] = b' ';
                i += 1;
            }
            continue;
        }
        out[i] = b' ';
        i += 1;
    }
    i
}

/// `name}` or `name:` right after a `{` in a Rust format string.
fn rust_capture(rest: &[u8]) -> bool {
    let n = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count();
    n > 0 && !rest[0].is_ascii_digit() && matches!(rest.get(n), Some(b'}' | b':'))
}

/// One identifier chain in masked arguments: `user.password`, `req.headers`.
#[derive(Debug, Clone)]
struct Chain {
    start: usize,
    end: usize,
    /// Byte ranges of each segment.
    segments: Vec<(usize, usize)>,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$' || b == b'@'
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

fn chains(code: &[u8]) -> Vec<Chain> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < code.len() {
        let b = code[i];
        if b.is_ascii_digit() {
            while i < code.len() && is_ident(code[i]) {
                i += 1;
            }
            continue;
        }
        if !is_ident_start(b) {
            i += 1;
            continue;
        }
        let start = i;
        let mut segments = Vec::new();
        loop {
            let s = i;
            while i < code.len() && (is_ident(code[i]) || (i == s && is_ident_start(code[i]))) {
                i += 1;
            }
            segments.push((s, i));
            // A separator: `.`, `?.`, `->`, `::`, then another segment.
            let mut j = i;
            while j < code.len() && code[j] == b' ' {
                j += 1;
            }
            let sep = if code[j..].starts_with(b"?.")
                || code[j..].starts_with(b"->")
                || code[j..].starts_with(b"::")
            {
                2
            } else if code.get(j) == Some(&b'.') {
                1
            } else {
                0
            };
            if sep == 0 {
                break;
            }
            let mut k = j + sep;
            while k < code.len() && code[k] == b' ' {
                k += 1;
            }
            if k < code.len() && is_ident_start(code[k]) {
                i = k;
            } else {
                break;
            }
        }
        out.push(Chain {
            start,
            end: i,
            segments,
        });
    }
    out
}

/// Whether `chain` names a secret whose value the call logs, and what.
fn names_secret(code: &[u8], chain: &Chain) -> Option<&'static str> {
    let &(ls, le) = chain.segments.last()?;
    let last = std::str::from_utf8(&code[ls..le]).ok()?;
    let last = last.trim_start_matches(['$', '@']);
    let after = next_non_space(code, chain.end);
    let rest = &code[after.min(code.len())..];
    // A call: `getToken()`, `token.toString()` is read below by its last segment.
    if rest.first() == Some(&b'(') {
        return None;
    }
    let what = if is_request_headers(code, chain, last) {
        // `req.headers['user-agent']` and `headers.get("x")` pick one header.
        if rest.first() == Some(&b'[') {
            return None;
        }
        "request-headers"
    } else {
        secret_word(last)?
    };
    if is_tested_or_measured(code, chain.start, rest) {
        return None;
    }
    if let Some(value) = key_value(rest) {
        if value_is_constant_or_masked(value) {
            return None;
        }
    }
    Some(what)
}

/// The value after a key (`password: x`, `password=x`, Rust's
/// `password = %x`): `rest` starts just past the key.
fn key_value(rest: &[u8]) -> Option<&[u8]> {
    let sep = match rest {
        [b':', b':', ..] | [b'=', b'=' | b'>', ..] => return None,
        [b':' | b'=', ..] => 1,
        _ => return None,
    };
    let value = &rest[sep..];
    let mut depth = 0usize;
    let mut end = value.len();
    for (i, &b) in value.iter().enumerate() {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => {
                end = i;
                break;
            }
            b')' | b']' | b'}' => depth -= 1,
            b',' | b'\n' if depth == 0 => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    Some(&value[..end])
}

/// A key's value that shows nothing: a literal (blanked), a flag, a
/// ternary, or a measured or masked form.
fn value_is_constant_or_masked(value: &[u8]) -> bool {
    let v = String::from_utf8_lossy(value);
    let v = v.trim().trim_start_matches(['%', '?', '&', '*']).trim();
    if v.is_empty()
        || v.starts_with('!')
        || v.starts_with(|c: char| c.is_ascii_digit())
        || [
            "true",
            "false",
            "null",
            "nil",
            "None",
            "undefined",
            "True",
            "False",
        ]
        .contains(&v)
    {
        return true;
    }
    let ternary = v
        .match_indices('?')
        .any(|(i, _)| !matches!(v.as_bytes().get(i + 1), Some(b'.' | b'?')));
    let lower = v.to_ascii_lowercase();
    ternary
        || MEASURES.iter().any(|m| lower.contains(&format!("{m}(")))
        || [".length", ".size", ".count", ".len()", "[:", "[0:"]
            .iter()
            .any(|m| lower.contains(m))
}

fn next_non_space(code: &[u8], mut i: usize) -> usize {
    while i < code.len() && code[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// `req.headers`, `request.headers`, Go's `r.Header`: a whole request's
/// headers (cookies and the Authorization header with them).
fn is_request_headers(code: &[u8], chain: &Chain, last: &str) -> bool {
    if !matches!(last, "headers" | "Header" | "Headers" | "allHeaders") {
        return false;
    }
    let n = chain.segments.len();
    if n < 2 {
        return false;
    }
    let (s, e) = chain.segments[n - 2];
    let recv = String::from_utf8_lossy(&code[s..e]).to_ascii_lowercase();
    matches!(
        recv.trim_start_matches(['$', '@']),
        "req" | "request" | "r" | "httprequest" | "incomingrequest" | "ctx" | "context"
    )
}

/// The identifier's words, lower-cased: `apiKey` → `api key`,
/// `ACCESS_TOKEN` → `access token`.
fn words(ident: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = ident.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' || c == '$' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let boundary = c.is_ascii_uppercase()
            && i > 0
            && (chars[i - 1].is_ascii_lowercase()
                || chars[i - 1].is_ascii_digit()
                || (chars[i - 1].is_ascii_uppercase()
                    && chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase())));
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Words that make a secret's name about something else: its count, size,
/// id, expiry, URL, type, name, a flag, a hash or a masked form.
const ABOUT: &[&str] = &[
    "count",
    "counts",
    "counter",
    "length",
    "len",
    "size",
    "num",
    "id",
    "ids",
    "uuid",
    "expiry",
    "expires",
    "expired",
    "expire",
    "expiration",
    "exp",
    "ttl",
    "age",
    "url",
    "urls",
    "uri",
    "link",
    "type",
    "types",
    "kind",
    "name",
    "names",
    "hash",
    "hashed",
    "digest",
    "field",
    "fields",
    "label",
    "policy",
    "policies",
    "prompt",
    "prompts",
    "min",
    "max",
    "regex",
    "pattern",
    "format",
    "prefix",
    "suffix",
    "path",
    "file",
    "filename",
    "dir",
    "endpoint",
    "index",
    "idx",
    "limit",
    "limits",
    "version",
    "status",
    "state",
    "mode",
    "enabled",
    "disabled",
    "is",
    "has",
    "should",
    "can",
    "need",
    "needs",
    "require",
    "required",
    "requires",
    "valid",
    "invalid",
    "validate",
    "validated",
    "validation",
    "validator",
    "error",
    "errors",
    "err",
    "exception",
    "strength",
    "missing",
    "present",
    "exists",
    "provider",
    "providers",
    "manager",
    "service",
    "store",
    "cache",
    "source",
    "changed",
    "updated",
    "created",
    "usage",
    "used",
    "budget",
    "estimate",
    "total",
    "completion",
    "input",
    "output",
    "remaining",
    "rotation",
    "rotated",
    "schema",
    "arn",
    "ref",
    "refs",
    "scope",
    "scopes",
    "audience",
    "issuer",
    "claims",
    "config",
    "settings",
    "options",
    "opts",
    "host",
    "method",
    "algorithm",
    "alg",
    "encoding",
    "generator",
    "factory",
    "builder",
    "handler",
    "middleware",
    "helper",
    "util",
    "utils",
    "class",
    "module",
    "response",
    "resp",
    "fingerprint",
    "last4",
    "masked",
    "mask",
    "redacted",
    "safe",
    "hint",
    "preview",
    "sanitized",
    "obfuscated",
    "hidden",
    "encrypted",
    "env",
    "var",
    "key_name",
    "param",
    "location",
    "reset",
    "forgot",
    "change",
    "confirm",
    "confirmation",
    "new",
    "old",
    "sent",
    "mail",
    "email",
    "message",
    "msg",
    "text",
    "title",
    "description",
    "span",
    "parser",
    "lexer",
    "tokenizer",
    "stream",
    "list",
    "pos",
    "position",
    "start",
    "end",
    "line",
    "column",
    "col",
    "char",
    "chars",
    "kinds",
    "next",
    "prev",
    "previous",
    "current",
    "cur",
    "value_type",
    "duration",
    "timeout",
    "time",
    "at",
    "date",
    "issued",
    "lifetime",
];

/// Every secret word of [`secret_word`] holds one of these.
const SECRET_STEMS: &[&str] = &[
    "pass", "auth", "key", "secret", "number", "cvv", "token", "jwt",
];

/// Words after a secret's name that only give the value's form.
const VALUE_FORMS: &[&str] = &[
    "value",
    "val",
    "str",
    "string",
    "raw",
    "plain",
    "plaintext",
    "text",
    "bytes",
    "b64",
    "base64",
    "hex",
    "encoded",
    "decoded",
];

/// What a (last) identifier segment names, if a secret.
fn secret_word(ident: &str) -> Option<&'static str> {
    // Most identifiers hold none of the words: skip splitting them.
    let holds = |n: &str| {
        ident
            .as_bytes()
            .windows(n.len())
            .any(|w| w.eq_ignore_ascii_case(n.as_bytes()))
    };
    if !SECRET_STEMS.iter().any(|n| holds(n)) {
        return None;
    }
    let mut w = words(ident);
    if w.iter().any(|x| ABOUT.contains(&x.as_str())) {
        return None;
    }
    // The last word names the thing (`tokenEvent` is an event, `cartToken` a
    // token); words that only say which form the value takes are dropped
    // first (`tokenValue`, `password_raw`).
    while w.len() > 1 && w.last().is_some_and(|x| VALUE_FORMS.contains(&x.as_str())) {
        w.pop();
    }
    let has = |x: &str| w.last().is_some_and(|y| y == x);
    let pair = |a: &str, b: &str| w.len() >= 2 && w[w.len() - 2] == a && w[w.len() - 1] == b;
    let any = |x: &str| w.iter().any(|y| y == x);
    if has("password") || has("passwd") || has("passphrase") || has("passwords") {
        return Some("password");
    }
    if has("authorization") {
        return Some("authorization");
    }
    if has("apikey") || has("apikeys") || pair("api", "key") || pair("api", "keys") {
        return Some("api-key");
    }
    if has("privatekey") || pair("private", "key") {
        return Some("private-key");
    }
    if has("secret") || has("secrets") || has("clientsecret") {
        return Some("secret");
    }
    if has("cardnumber")
        || has("ccnumber")
        || has("cvv")
        || pair("card", "number")
        || pair("cc", "number")
    {
        return Some("card-number");
    }
    if has("token") || has("jwt") || has("accesstoken") || has("refreshtoken") {
        return Some("token");
    }
    if has("tokens") {
        // A list of credentials, not a lexer's or a model's tokens.
        let qualified = [
            "access", "refresh", "auth", "bearer", "session", "api", "oauth",
        ]
        .iter()
        .any(|q| any(q));
        return qualified.then_some("token");
    }
    None
}

/// The value is only tested, measured or masked: `!!token`, `!password`,
/// `typeof secret`, `token ? …`, `token != nil`, `len(token)`,
/// `mask(password)`, `bool(token)`, `token is None`.
fn is_tested_or_measured(code: &[u8], start: usize, rest: &[u8]) -> bool {
    // What follows.
    let r = String::from_utf8_lossy(&rest[..rest.len().min(16)]).into_owned();
    let r = r.trim_start();
    if (r.starts_with('?') && !r.starts_with("?.") && !r.starts_with("??"))
        || r.starts_with("==")
        || r.starts_with("!=")
        || r.starts_with("is ")
        || r.starts_with("is\n")
        || r.starts_with("&&")
        || r.starts_with("> ")
        || r.starts_with("< ")
        || r.starts_with(">=")
        || r.starts_with("<=")
        || r.starts_with("=~")
        || r.starts_with("in ")
        || r.starts_with("not in")
        || r.starts_with("[:")
        || r.starts_with("[0:")
        || r.starts_with("[..")
    {
        return true;
    }
    // What precedes: `!`, `typeof`, `not`, `defined?`, or an enclosing call
    // that measures or masks.
    let mut j = start;
    while j > 0 && code[j - 1] == b' ' {
        j -= 1;
    }
    if j > 0 && code[j - 1] == b'!' {
        return true;
    }
    let before = String::from_utf8_lossy(&code[..j]).into_owned();
    let before_trim = before.trim_end();
    if [
        "typeof", "not", "defined?", "isset", "empty", "&&", "==", "!=", "===", "!==",
    ]
    .iter()
    .any(|w| before_trim.ends_with(w))
    {
        return true;
    }
    if let Some(callee) = enclosing_callee(code, start) {
        let callee = callee
            .rsplit(['.', ':', '>'])
            .next()
            .unwrap_or(&callee)
            .to_ascii_lowercase();
        if MEASURES.iter().any(|m| callee.contains(m)) {
            return true;
        }
    }
    false
}

/// Calls that measure, test or mask their argument.
const MEASURES: &[&str] = &[
    "len",
    "length",
    "count",
    "size",
    "bool",
    "boolean",
    "mask",
    "redact",
    "hash",
    "sha",
    "md5",
    "digest",
    "bcrypt",
    "encrypt",
    "obfuscate",
    "sanitize",
    "censor",
    "scrub",
    "filter",
    "hide",
    "isset",
    "empty",
    "present",
    "nil",
    "null",
    "type",
    "typeof",
    "truncate",
    "fingerprint",
    "last",
    "prefix",
    "hint",
    "anonymize",
    "elide",
    "strip",
    "is_some",
    "is_none",
    "exists",
    "has",
    "defined",
    "blank",
    "preview",
];

/// The name of the call whose parentheses hold `at`, if any.
fn enclosing_callee(code: &[u8], at: usize) -> Option<String> {
    let mut depth = 0usize;
    let mut i = at;
    while i > 0 {
        i -= 1;
        match code[i] {
            b')' | b']' | b'}' => depth += 1,
            b'[' | b'{' => {
                if depth == 0 {
                    return None;
                }
                depth -= 1;
            }
            b'(' => {
                if depth == 0 {
                    let mut e = i;
                    while e > 0 && code[e - 1] == b' ' {
                        e -= 1;
                    }
                    let mut s = e;
                    while s > 0
                        && (is_ident(code[s - 1])
                            || matches!(code[s - 1], b'.' | b':' | b'>' | b'-'))
                    {
                        s -= 1;
                    }
                    return (s < e).then(|| String::from_utf8_lossy(&code[s..e]).into_owned());
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(path: &str, text: &str) -> Vec<(String, &'static str)> {
        sensitive_log_args(path, text)
            .into_iter()
            .map(|s| (s.identifier, s.what))
            .collect()
    }

    fn idents(path: &str, text: &str) -> Vec<String> {
        found(path, text).into_iter().map(|(i, _)| i).collect()
    }

    #[test]
    fn the_last_word_names_the_secret() {
        assert_eq!(secret_word("cartToken"), Some("token"));
        assert_eq!(secret_word("tokenValue"), Some("token"));
        assert_eq!(secret_word("rssbridge_token"), Some("token"));
        assert_eq!(secret_word("apiKey"), Some("api-key"));
        assert_eq!(secret_word("cardNumber"), Some("card-number"));
        assert_eq!(secret_word("refreshTokens"), Some("token"));
        assert_eq!(secret_word("tokenEvent"), None);
        assert_eq!(secret_word("passwordForm"), None);
        assert_eq!(secret_word("secretManager"), None);
    }

    #[test]
    fn words_split_camel_snake_and_caps() {
        assert_eq!(words("apiKey"), ["api", "key"]);
        assert_eq!(words("ACCESS_TOKEN"), ["access", "token"]);
        assert_eq!(words("JWTToken"), ["jwt", "token"]);
        assert_eq!(words("password_reset_url"), ["password", "reset", "url"]);
    }

    #[test]
    fn one_search_sees_needles_inside_longer_ones() {
        // Each needle alone in a file: every list with a needle it contains
        // reports it, although the search does not overlap.
        for n in all_needles() {
            let text = format!("x = {n}\n");
            let h = hits("a.py", &text).unwrap();
            let has = |list: &[&str]| list.iter().any(|x| n.contains(x));
            assert_eq!(h.metrics.is_some(), has(METRICS_NEEDLES), "{n}");
            assert_eq!(h.context.is_some(), has(CONTEXT_NEEDLES), "{n}");
            assert_eq!(h.secret_words, has(NEEDLES), "{n}");
        }
        let h = hits(
            "a.py",
            "import prometheus_client\nrequest_id = 1\nlog(password)\n",
        )
        .unwrap();
        assert_eq!(
            (h.metrics, h.context, h.secret_words),
            (Some(1), Some(2), true)
        );
    }

    #[test]
    fn secret_words_and_what_they_are_about() {
        assert_eq!(secret_word("password"), Some("password"));
        assert_eq!(secret_word("userPassword"), Some("password"));
        assert_eq!(secret_word("apiKey"), Some("api-key"));
        assert_eq!(secret_word("API_KEY"), Some("api-key"));
        assert_eq!(secret_word("clientSecret"), Some("secret"));
        assert_eq!(secret_word("cardNumber"), Some("card-number"));
        assert_eq!(secret_word("access_token"), Some("token"));
        assert_eq!(secret_word("authorization"), Some("authorization"));
        for about in [
            "tokenCount",
            "password_reset_url",
            "token_length",
            "secretName",
            "tokenExpiry",
            "token_id",
            "tokenType",
            "max_tokens",
            "tokens",
            "hasPassword",
            "passwordHash",
            "tokenizer",
            "secretary",
        ] {
            assert_eq!(secret_word(about), None, "{about}");
        }
    }

    #[test]
    fn javascript_calls() {
        assert_eq!(
            found("src/auth.js", "console.log('login', user.password);\n"),
            [("user.password".to_string(), "password")]
        );
        assert_eq!(
            idents("src/a.ts", "logger.info(`got ${token} for ${user}`);\n"),
            ["token"]
        );
        assert_eq!(
            found("src/a.ts", "logger.debug({ headers: req.headers });\n"),
            [("req.headers".to_string(), "request-headers")]
        );
        assert_eq!(
            idents(
                "src/a.js",
                "logger.info({\n  user: id,\n  apiKey: cfg.key,\n});\n"
            ),
            ["apiKey"]
        );
    }

    #[test]
    fn a_secret_word_in_the_message_is_not_a_finding() {
        for text in [
            "console.log('invalid password for', user.email);\n",
            "logger.warn(\"token expired\");\n",
            "log.error(`bad password: ${user.id}`)\n",
            "console.log(password.length);\n",
            "console.log('has token', !!token);\n",
            "console.log('token', token ? 'yes' : 'no');\n",
            "console.log(mask(password));\n",
            "console.log(req.headers['user-agent']);\n",
            "// console.log(password);\n",
            "console.log(getToken());\n",
            "console.log(tokenCount, password_reset_url);\n",
        ] {
            assert!(idents("src/a.js", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn python_calls() {
        assert_eq!(
            idents(
                "app/auth.py",
                "logger.info(f\"login {username} {password}\")\n"
            ),
            ["password"]
        );
        assert_eq!(
            idents(
                "app/auth.py",
                "logging.debug(\"key %s\", settings.API_KEY)\n"
            ),
            ["settings.API_KEY"]
        );
        assert!(idents("app/auth.py", "logger.info(\"password for %s\", user)\n").is_empty());
        assert!(idents("app/auth.py", "logger.info(\"t %d\", len(token))\n").is_empty());
        assert!(idents("app/auth.py", "logger.info(\"t %s\", token is None)\n").is_empty());
        // `print` counts only in a web app's code.
        assert!(idents("scripts/gen.py", "print(token)\n").is_empty());
        assert_eq!(
            idents("app/main.py", "from flask import Flask\nprint(token)\n"),
            ["token"]
        );
        assert!(idents("app/a.py", "logger.info('x')  # token\n").is_empty());
    }

    #[test]
    fn go_ruby_jvm_rust_php_csharp_calls() {
        assert_eq!(
            idents("main.go", "log.Printf(\"auth %s\", r.Header)\n"),
            ["r.Header"]
        );
        assert_eq!(
            idents(
                "main.go",
                "slog.Info(\"login\", \"user\", u, \"pw\", password)\n"
            ),
            ["password"]
        );
        assert!(idents("main.go", "log.Printf(\"token %d\", len(token))\n").is_empty());
        assert_eq!(
            idents(
                "app/x.rb",
                "Rails.logger.info \"token=#{user.api_token}\"\n"
            ),
            ["user.api_token"]
        );
        assert_eq!(
            idents(
                "A.java",
                "log.info(\"pw {}\", request.getPassword());\nlog.info(\"pw {}\", password);\n"
            ),
            ["password"]
        );
        assert_eq!(
            idents("a.kt", "logger.info(\"pw $password\")\n"),
            ["password"]
        );
        assert_eq!(idents("src/a.rs", "info!(\"token {token}\");\n"), ["token"]);
        assert_eq!(
            idents(
                "src/a.rs",
                "tracing::debug!(secret = %cfg.secret, \"loaded\");\n"
            ),
            ["secret"]
        );
        assert!(idents("src/a.rs", "info!(\"token {}\", token.len());\n").is_empty());
        assert!(idents(
            "src/a.rs",
            "fn a() {}\n#[cfg(test)]\nmod tests {\n    fn t() { info!(\"{token}\"); }\n}\n"
        )
        .is_empty());
        assert_eq!(
            idents(
                "a.php",
                "Log::info(\"login $password\");\n$this->logger->debug('x', ['t' => $token]);\n"
            ),
            ["password", "$token"]
        );
        assert_eq!(
            idents(
                "A.cs",
                "_logger.LogInformation(\"Key {Key}\", options.ApiKey);\n"
            ),
            ["options.ApiKey"]
        );
    }

    #[test]
    fn log_use_is_setup_first_then_calls() {
        let at = |p: &str, t: &str| first_log_use(p, t).map(|u| (u.line, u.what));
        assert_eq!(
            at(
                "src/a.js",
                "const x = 1;\nconsole.log(x);\nconst l = pino();\n"
            ),
            Some((3, "setup"))
        );
        assert_eq!(
            at("src/a.js", "const x = 1;\nconsole.log(x);\n"),
            Some((2, "call"))
        );
        assert_eq!(at("src/a.js", "// console.log(x);\n"), None);
        assert_eq!(at("app/a.py", "print('hi')\n"), None);
        assert_eq!(
            at("app/a.py", "from flask import Flask\nprint('hi')\n"),
            Some((2, "print"))
        );
        assert!(imports_python_server("app/a.py", "import flask\n"));
        assert!(!imports_python_server("app/a.py", "import locust\n"));
        assert_eq!(
            at("main.go", "func main() {\n\tr := gin.Default()\n}\n"),
            Some((2, "setup"))
        );
        assert_eq!(at("README.md", "console.log(x)\n"), None);
    }

    #[test]
    fn metrics_use() {
        assert_eq!(
            first_metrics_use(
                "src/m.js",
                "const x = 1;\nconst client = require('prom-client');\n"
            ),
            Some(2)
        );
        assert_eq!(first_metrics_use("main.go", "import \"expvar\"\n"), Some(1));
        assert_eq!(first_metrics_use("src/m.js", "console.log(1)\n"), None);
        assert_eq!(
            first_metrics_use("app.py", "sentry_sdk.init(dsn=d, traces_sample_rate=0.2)\n"),
            Some(1)
        );
        assert_eq!(first_metrics_use("docs/a.md", "prometheus\n"), None);
    }

    #[test]
    fn log_context() {
        assert_eq!(
            first_log_context("src/m.js", "const a = 1;\nres.set('X-Request-Id', id);\n"),
            Some(2)
        );
        assert_eq!(
            first_log_context("main.go", "r.Use(middleware.RequestID)\n"),
            Some(1)
        );
        assert_eq!(first_log_context("src/m.js", "console.log(1)\n"), None);
    }

    #[test]
    fn other_files_are_not_read() {
        assert!(idents("README.md", "console.log(password)\n").is_empty());
        assert!(idents("a.sh", "echo $password\n").is_empty());
    }
}
