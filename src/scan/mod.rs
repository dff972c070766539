//! The one-pass content scanner: secrets, URLs, live-mode switches and
//! production endpoints, found in a single pass over each file's text.
//!
//! How a file is scanned, cheapest step first:
//! 1. lockfiles are skipped (their hashes are not secrets);
//! 2. one Aho-Corasick pass looks for every pattern's required literals — a
//!    file with none costs that pass and nothing else;
//! 3. each line holding a literal runs only the regexes of the patterns
//!    whose literals it holds, on that line, for positions;
//! 4. each match passes its pattern's checks (placeholders, documentation
//!    examples, entropy, context) and is redacted before it leaves.
//!
//! The raw secret value never leaves this module: [`SecretMatch`] holds only
//! its redacted form. Large files are not scanned here: the walk lists files
//! over its size limit without reading them (the crate forbids `unsafe`, so
//! no memory maps), and the audit reports them as skipped.

pub(crate) mod entropy;
pub(crate) mod gate;
pub(crate) mod guards;
pub(crate) mod kind;
pub(crate) mod logs;
pub(crate) mod names;
pub(crate) mod patterns;
pub(crate) mod placeholder;
pub mod redact;
pub(crate) mod url;
pub(crate) mod value;

use crate::source::class::{Classes, FileClass};
use crate::source::literals::{covering, LiteralSets};
use patterns::{Check, Class, Confidence, Mode, PatternDef, SECRET_PATTERNS};
use regex_automata::meta::{self, Regex};
use regex_automata::util::captures::Captures;
use regex_automata::Input;
use serde::Serialize;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

pub use kind::{MatchKind, PlainScheme, SecretKind};
pub use names::is_secret_name;
pub use redact::redact;

/// One secret found in a file. Holds no raw secret value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecretMatch {
    /// `hardcoded-secret`, `test-mode-key` (a payment key in test mode: not a
    /// finding, but its mode matters) or `publishable-key` (public by design).
    pub rule: &'static str,
    /// Kind id, e.g. `aws-access-key-id`, `stripe-live-secret-key`.
    pub kind: &'static str,
    pub provider: &'static str,
    /// 1-based line.
    pub line: u32,
    /// 1-based column of the first character of the secret, in characters.
    pub column: u32,
    /// 1-based column just past the secret (exclusive).
    pub end_column: u32,
    /// A short prefix and the length, e.g. `sk_l…(32 chars)`.
    pub redacted: String,
    pub confidence: Confidence,
    /// Under a test or fixture folder (or a test file): reported at a lower level.
    pub in_test_fixture: bool,
    /// For payment keys: `Some(true)` in live mode, `Some(false)` in test mode.
    pub live: Option<bool>,
    /// Why the evidence is weaker than the rule's level (a default
    /// credential, an encrypted key): reported one level lower.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weak_evidence: Option<&'static str>,
    /// Tells values apart within one run (equal values, equal ids) without
    /// holding them: a hash keyed with this process's random key, so it
    /// says nothing about the value and is never written anywhere. The
    /// history scan reports each distinct secret once by it.
    #[serde(skip)]
    pub value_id: u64,
}

/// The per-process key of [`SecretMatch::value_id`].
static VALUE_KEY: std::sync::LazyLock<std::collections::hash_map::RandomState> =
    std::sync::LazyLock::new(std::collections::hash_map::RandomState::new);

pub(crate) fn value_id(value: &str) -> u64 {
    use std::hash::BuildHasher as _;
    VALUE_KEY.hash_one(value)
}

impl SecretMatch {
    /// Whether this match is a `hardcoded-secret` finding.
    pub fn is_secret(&self) -> bool {
        self.rule == RULE_SECRET
    }

    /// The typed kind: secret, test-mode key or publishable key.
    pub fn match_kind(&self) -> MatchKind {
        let kind = SecretKind(self.kind);
        match self.rule {
            RULE_TEST_KEY => MatchKind::TestModeKey(kind),
            RULE_PUBLIC_KEY => MatchKind::PublishableKey(kind),
            _ => MatchKind::Secret(kind),
        }
    }
}

pub const RULE_SECRET: &str = "hardcoded-secret";
pub const RULE_TEST_KEY: &str = "test-mode-key";
pub const RULE_PUBLIC_KEY: &str = "publishable-key";

/// A URL with a host, for `plaintext-http` and `environment-config-mixed`.
/// Only scheme, host and port are kept: paths and queries may carry tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UrlMatch {
    pub line: u32,
    pub column: u32,
    pub end_column: u32,
    /// Lower-cased: `http`, `https`, `ws` or `wss`.
    pub scheme: String,
    /// Lower-cased host name or IP literal.
    pub host: String,
    pub port: Option<u16>,
    /// Loopback, private, link-local, reserved (`*.test`, `example.com`) or a
    /// single-label service name (`http://api:8080`).
    pub local: bool,
    /// An XML namespace, schema or licence identifier, never fetched (also
    /// every URL of a JSON-LD document: its IRIs name things).
    pub namespace: bool,
    /// A stand-in host (`yourapp.com`, `foo.bar`, `123.123.123`).
    pub placeholder: bool,
    /// Only in a comment of the file's language, or in a Rust file's test
    /// module: nothing in production requests it.
    pub comment: bool,
}

impl UrlMatch {
    /// Plain `http://`/`ws://` to a host outside this machine and network.
    pub fn is_plaintext_remote(&self) -> bool {
        matches!(self.scheme.as_str(), "http" | "ws")
            && !self.local
            && !self.namespace
            && !self.placeholder
            && !self.comment
    }

    /// [`MatchKind::PlaintextUrl`] when [`Self::is_plaintext_remote`].
    pub fn plaintext_kind(&self) -> Option<MatchKind> {
        if !self.is_plaintext_remote() {
            return None;
        }
        PlainScheme::parse(&self.scheme).map(MatchKind::PlaintextUrl)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignalKind {
    /// `PAYPAL_MODE=live`, `braintree.Environment.Production`, …
    LiveSwitch,
    /// A payment or notification provider's production host.
    ProductionEndpoint,
}

/// A non-secret content fact the environment rules need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signal {
    pub kind: SignalKind,
    pub provider: &'static str,
    pub line: u32,
    pub column: u32,
    pub end_column: u32,
    /// What matched, safe to print: `PAYPAL_MODE=live` or the host name.
    pub text: String,
}

impl Signal {
    /// The typed kind: a live switch or a production endpoint, by provider.
    pub fn match_kind(&self) -> MatchKind {
        match self.kind {
            SignalKind::LiveSwitch => MatchKind::LiveSwitch(self.provider),
            SignalKind::ProductionEndpoint => MatchKind::ProductionEndpoint(self.provider),
        }
    }
}

/// Everything the scanner found in one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FileScan {
    pub secrets: Vec<SecretMatch>,
    pub urls: Vec<UrlMatch>,
    pub signals: Vec<Signal>,
}

impl FileScan {
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty() && self.urls.is_empty() && self.signals.is_empty()
    }
}

/// What a compiled rule produces.
#[derive(Debug, Clone, Copy)]
enum Produces {
    Secret(&'static PatternDef),
    Url,
    LiveSwitch,
    EndpointHost,
}

struct Rule {
    produces: Produces,
    re: Regex,
    gate: patterns::Gate,
}

/// One match's groups by name, as spans of the line searched: from the
/// regex's captures, or read by hand for the generic assignment pattern.
enum Groups<'h> {
    Caps {
        hay: &'h str,
        caps: &'h Captures,
    },
    Assignment {
        hay: &'h str,
        whole: (usize, usize),
        spans: gate::AssignmentSpans,
    },
}

/// A group's text and byte offsets in the line.
#[derive(Clone, Copy)]
struct Found<'h> {
    hay: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Found<'h> {
    fn as_str(&self) -> &'h str {
        self.hay.get(self.start..self.end).unwrap_or("")
    }
    fn start(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
}

impl<'h> Groups<'h> {
    fn found(hay: &'h str, span: Option<(usize, usize)>) -> Option<Found<'h>> {
        span.map(|(start, end)| Found { hay, start, end })
    }
    fn whole(&self) -> Option<Found<'h>> {
        match self {
            Groups::Caps { hay, caps } => {
                Self::found(hay, caps.get_match().map(|m| (m.start(), m.end())))
            }
            Groups::Assignment { hay, whole, .. } => Self::found(hay, Some(*whole)),
        }
    }
    fn name(&self, name: &str) -> Option<Found<'h>> {
        match self {
            Groups::Caps { hay, caps } => {
                Self::found(hay, caps.get_group_by_name(name).map(|s| (s.start, s.end)))
            }
            Groups::Assignment { hay, spans, .. } => Self::found(
                hay,
                match name {
                    "name" => Some(spans.name),
                    "q" => Some(spans.q),
                    "s" => Some(spans.s),
                    _ => None,
                },
            ),
        }
    }
}

/// Per-thread search state for one scanner's regexes. `regex::Regex` keeps
/// its caches in a pool shared by all threads, and on every thread but the
/// first each search took and returned one under a lock; a walk with two
/// workers spent a tenth of its time there.
struct Scratch {
    owner: u64,
    /// The literal hits of the file being scanned: (offset, literal id).
    hits: Vec<(usize, usize)>,
    caches: Vec<meta::Cache>,
    caps: Vec<Captures>,
}

impl Scratch {
    fn for_scanner(scanner: &Scanner) -> Scratch {
        Scratch {
            owner: scanner.id,
            hits: Vec::new(),
            caches: scanner.rules.iter().map(|r| r.re.create_cache()).collect(),
            caps: scanner
                .rules
                .iter()
                .map(|r| r.re.create_captures())
                .collect(),
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Option<Scratch>> = const { RefCell::new(None) };
}

/// Tells scanners apart, so a thread's scratch is rebuilt for a new one.
static NEXT_SCANNER_ID: AtomicU64 = AtomicU64::new(1);

/// Rules are addressed by bit in a `u128` mask.
const MAX_RULES: usize = 128;

/// The compiled scanner; build once, share across threads.
pub struct Scanner {
    /// The literals, in small sets ([`LiteralSets`]).
    literals: LiteralSets,
    /// For each literal (by id across the sets), the rules it triggers.
    literal_rules: Vec<u128>,
    /// The id of the `://` literal: URLs are parsed by hand at each hit
    /// (far cheaper than a regex on every line with a link).
    url_literal: Option<usize>,
    /// The connection-string rule, run only when a URL carries `user:pass@`.
    url_password_rule: u128,
    /// The bare-host endpoint rule (URLs' hosts are checked directly).
    endpoint_rule: u128,
    rules: Vec<Rule>,
    id: u64,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new()
    }
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("rules", &self.rules.len())
            .field("literals", &self.literal_rules.len())
            .finish()
    }
}

/// Every rule source: (what it produces, regex, literals, literals in any case).
fn rule_sources() -> Vec<(Produces, &'static str, Vec<String>)> {
    let mut out = Vec::new();
    for def in SECRET_PATTERNS {
        let lits = def
            .literals
            .iter()
            .flat_map(|l| patterns::literal_variants(l, def.any_case))
            .collect();
        out.push((Produces::Secret(def), def.regex, lits));
    }
    let any = |ls: &[&str]| -> Vec<String> {
        ls.iter()
            .flat_map(|l| patterns::literal_variants(l, true))
            .collect()
    };
    out.push((
        Produces::Url,
        patterns::signals::URL,
        vec!["://".to_string()],
    ));
    out.push((
        Produces::LiveSwitch,
        patterns::signals::LIVE_SWITCH,
        any(patterns::signals::LIVE_SWITCH_LITERALS),
    ));
    // Host names are lower case in practice; one casing keeps the
    // literal set small enough for the SIMD prefilter.
    out.push((
        Produces::EndpointHost,
        patterns::signals::ENDPOINT_HOST,
        patterns::signals::ENDPOINT_LITERALS
            .iter()
            .map(|l| l.to_string())
            .collect(),
    ));
    out
}

/// The scanner's regexes, one per line, for running ripgrep with the same
/// patterns (`rg -f`): the benchmark's fair comparison.
pub fn pattern_list() -> Vec<&'static str> {
    rule_sources().into_iter().map(|(_, re, _)| re).collect()
}

impl Scanner {
    /// Compile every pattern. The catalog is static and a test compiles all
    /// of it, so a pattern that failed to compile would be dropped here
    /// rather than panic; `rule_count` lets tests see that none was.
    pub fn new() -> Scanner {
        let mut rules = Vec::new();
        let mut literal_list: Vec<String> = Vec::new();
        let mut literal_rules: Vec<u128> = Vec::new();
        for (produces, src, lits) in rule_sources() {
            if rules.len() >= MAX_RULES {
                break;
            }
            let Ok(re) = Regex::new(src) else { continue };
            let bit = 1u128 << rules.len();
            let gate = match produces {
                Produces::Secret(def) => def.gate,
                _ => patterns::Gate::None,
            };
            rules.push(Rule { produces, re, gate });
            for lit in lits {
                if lit == "://" {
                    continue;
                }
                match literal_list.iter().position(|l| *l == lit) {
                    Some(i) => literal_rules[i] |= bit,
                    None => {
                        literal_list.push(lit);
                        literal_rules.push(bit);
                    }
                }
            }
        }
        // A literal also triggers the rules of every literal inside it
        // (`sk-ant-` those of `sk-`): the search reports only the longest
        // literal starting at a position.
        let names: Vec<&str> = literal_list.iter().map(String::as_str).collect();
        let mut literal_rules = covering(&names, &literal_rules);
        let url_password_rule = rules
            .iter()
            .position(
                |r| matches!(r.produces, Produces::Secret(d) if d.check == Check::UrlPassword),
            )
            .map_or(0, |i| 1u128 << i);
        let endpoint_rule = rules
            .iter()
            .position(|r| matches!(r.produces, Produces::EndpointHost))
            .map_or(0, |i| 1u128 << i);
        let url_literal = Some(literal_list.len());
        literal_list.push("://".to_string());
        literal_rules.push(0);
        let literals = LiteralSets::new(&literal_list);
        Scanner {
            literals,
            literal_rules,
            url_literal,
            url_password_rule,
            endpoint_rule,
            rules,
            id: NEXT_SCANNER_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// How many rules compiled (all of them, unless the catalog is broken).
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// Secrets in one file (including test-mode and publishable keys, told
    /// apart by [`SecretMatch::rule`]).
    pub fn scan(&self, path: &str, text: &str) -> Vec<SecretMatch> {
        self.scan_file(path, text).secrets
    }

    /// Everything in one file, in one pass: secrets, URLs and signals.
    pub fn scan_file(&self, path: &str, text: &str) -> FileScan {
        self.scan_classified(path, text, crate::source::class::of_path(path))
    }

    /// [`Scanner::scan_file`] with the classes the walk already decided
    /// (`SourceFile::classes`), so the path is not classified again.
    pub fn scan_classified(&self, path: &str, text: &str, classes: Classes) -> FileScan {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut slot) => {
                // A thread's scratch belongs to the scanner that made it.
                if slot.as_ref().is_some_and(|s| s.owner != self.id) {
                    *slot = None;
                }
                let scratch = slot.get_or_insert_with(|| Scratch::for_scanner(self));
                self.scan_with(path, text, classes, scratch)
            }
            // Only a scan inside a scan lands here; it gets its own.
            Err(_) => self.scan_with(path, text, classes, &mut Scratch::for_scanner(self)),
        })
    }

    fn scan_with(
        &self,
        path: &str,
        text: &str,
        classes: Classes,
        scratch: &mut Scratch,
    ) -> FileScan {
        let mut out = FileScan::default();
        if self.literals.is_empty() || is_lockfile(path) {
            return out;
        }
        let file = FileInfo {
            in_test_fixture: classes.has(FileClass::Test) || classes.has(FileClass::Fixture),
            code: is_code_file(path),
            sealed: std::cell::OnceCell::new(),
            comments: url::comment_markers(path),
            linked_data: url::urls_are_identifiers(path, text),
            test_code_from: url::rust_test_module_start(path, text).unwrap_or(usize::MAX),
        };
        let bytes = text.as_bytes();
        let mut lines = LineCounter::default();
        // The line being collected: its span, the rules its literals
        // triggered, and where its `://` hits are.
        let mut current: Option<(usize, usize, u128)> = None;
        let mut urls: Vec<usize> = Vec::new();
        scratch.hits.clear();
        self.literals
            .for_each_hit(bytes, |start, id| scratch.hits.push((start, id)));
        scratch.hits.sort_unstable();
        let hits = std::mem::take(&mut scratch.hits);
        for &(start, id) in &hits {
            let mask = self.literal_rules.get(id).copied().unwrap_or(0);
            let is_url = Some(id) == self.url_literal;
            if let Some((ls, le, m)) = current.as_mut() {
                if start >= *ls && start < *le {
                    *m |= mask;
                    if is_url {
                        urls.push(start);
                    }
                    continue;
                }
                let (ls, le, m) = (*ls, *le, *m);
                let line_no = lines.line_of(bytes, ls);
                self.scan_line(text, (ls, le), m, &urls, line_no, &file, scratch, &mut out);
                urls.clear();
            }
            let ls = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |i| i + 1);
            let le = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
            current = Some((ls, le, mask));
            if is_url {
                urls.push(start);
            }
        }
        if let Some((ls, le, m)) = current {
            let line_no = lines.line_of(bytes, ls);
            self.scan_line(text, (ls, le), m, &urls, line_no, &file, scratch, &mut out);
        }
        scratch.hits = hits;
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn scan_line(
        &self,
        text: &str,
        (ls, le): (usize, usize),
        candidates: u128,
        url_hits: &[usize],
        line_no: u32,
        file: &FileInfo,
        scratch: &mut Scratch,
        out: &mut FileScan,
    ) {
        let Some(line) = text.get(ls..le) else { return };
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut wanted = candidates;
        let comments = url_hits
            .last()
            .map(|&last| url::LineComments::new(line, last.saturating_sub(ls), file.comments));
        for &at in url_hits {
            let (url, has_password) = parse_url(line, at - ls, line_no);
            if let Some(mut u) = url {
                // Test code makes no production request either.
                u.comment = comments.as_ref().is_some_and(|c| c.covers(at - ls))
                    || at >= file.test_code_from;
                u.namespace |= file.linked_data;
                // A URL to a provider's production host is also a signal
                // (unless the bare-host pattern will report it on this line).
                if let Some(provider) = production_endpoint(&u.host) {
                    if wanted & self.endpoint_rule == 0 {
                        out.signals.push(Signal {
                            kind: SignalKind::ProductionEndpoint,
                            provider,
                            line: line_no,
                            column: u.column,
                            end_column: u.end_column,
                            text: u.host.clone(),
                        });
                    }
                }
                out.urls.push(u);
            }
            if has_password {
                wanted |= self.url_password_rule;
            }
        }
        if wanted == 0 {
            return;
        }
        // No `RegexSet` pass first: on lines with several candidates its
        // overlapping DFA built states faster than it saved regex runs (and
        // a Unicode `\b` sent it to the PikeVM on non-ASCII lines); each
        // rule's own regex, with its literal prefilter, is cheaper.
        let mut found: Vec<(usize, usize, usize, SecretMatch)> = Vec::new();
        let mut bits = wanted;
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let Some(rule) = self.rules.get(i) else { break };
            if !gate::admits(rule.gate, line) {
                continue;
            }
            let (Some(cache), Some(caps)) = (scratch.caches.get_mut(i), scratch.caps.get_mut(i))
            else {
                continue;
            };
            let mut at = 0;
            while at <= line.len() {
                let input = Input::new(line).range(at..);
                // The generic assignment's groups are read by hand from the
                // match (a plain search); other patterns, and shapes the
                // hand reading does not know, take the capture search.
                let mut quick = None;
                if rule.gate == patterns::Gate::Assignment {
                    let Some(m) = rule.re.search_with(cache, &input) else {
                        break;
                    };
                    quick = gate::assignment_spans(line, m.start(), m.end())
                        .map(|spans| (m.start(), m.end(), spans));
                }
                let (m_start, m_end, groups) = match quick {
                    Some((start, end, spans)) => (
                        start,
                        end,
                        Groups::Assignment {
                            hay: line,
                            whole: (start, end),
                            spans,
                        },
                    ),
                    None => {
                        rule.re.search_captures_with(cache, &input, caps);
                        let Some(m) = caps.get_match() else { break };
                        (m.start(), m.end(), Groups::Caps { hay: line, caps })
                    }
                };
                // Past an empty match, on to the next character.
                at = if m_start == m_end {
                    line[m_end..]
                        .chars()
                        .next()
                        .map_or(line.len() + 1, |c| m_end + c.len_utf8())
                } else {
                    m_end
                };
                match rule.produces {
                    Produces::Secret(def) => {
                        if let Some((s, e, m)) =
                            self.secret(def, &groups, text, (ls, le), line, line_no, file)
                        {
                            found.push((i, s, e, m));
                        }
                    }
                    // Found by `parse_url` at `://` hits, never by regex.
                    Produces::Url => {}
                    Produces::LiveSwitch => {
                        if let Some(s) = live_switch(&groups, line, line_no) {
                            out.signals.push(s);
                        }
                    }
                    Produces::EndpointHost => {
                        if let Some(s) = endpoint(&groups, line, line_no) {
                            out.signals.push(s);
                        }
                    }
                }
            }
        }
        // Overlapping secrets: the pattern listed first (more specific) wins.
        found.sort_by_key(|(rule, start, _, _)| (*rule, *start));
        let mut kept: Vec<(usize, usize, SecretMatch)> = Vec::new();
        for (_, s, e, m) in found {
            // (A `NextLineValue` match sits on the next line: no overlap.)
            if kept
                .iter()
                .all(|(ks, ke, km)| km.line != m.line || e <= *ks || s >= *ke)
            {
                kept.push((s, e, m));
            }
        }
        kept.sort_by_key(|(s, _, m)| (m.line, *s));
        out.secrets.extend(kept.into_iter().map(|(_, _, m)| m));
    }
}

struct FileInfo {
    in_test_fixture: bool,
    code: bool,
    /// Whether the file is a SealedSecret (its values are ciphertext);
    /// looked up once, the first time a name-based match needs it.
    sealed: std::cell::OnceCell<bool>,
    /// The language's comment markers, for URLs only in comments.
    comments: &'static [&'static str],
    linked_data: bool,
    /// Byte offset of a trailing Rust test module: URLs after it are test data.
    test_code_from: usize,
}

impl FileInfo {
    fn sealed(&self, text: &str) -> bool {
        *self
            .sealed
            .get_or_init(|| memchr::memmem::find(text.as_bytes(), b"kind: SealedSecret").is_some())
    }
}

/// Turns byte offsets into line numbers, counting newlines once, forwards.
#[derive(Default)]
struct LineCounter {
    pos: usize,
    line: u32,
}

impl LineCounter {
    fn line_of(&mut self, bytes: &[u8], offset: usize) -> u32 {
        if offset < self.pos {
            self.pos = 0;
            self.line = 0;
        }
        let end = offset.min(bytes.len());
        let n = memchr::memchr_iter(b'\n', &bytes[self.pos..end]).count();
        self.line = self
            .line
            .saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
        self.pos = end;
        self.line.saturating_add(1)
    }
}

/// 1-based character column of byte offset `at` in `line`.
fn column(line: &str, at: usize) -> u32 {
    let prefix = line.get(..at).unwrap_or(line);
    u32::try_from(prefix.chars().count())
        .unwrap_or(u32::MAX)
        .saturating_add(1)
}

/// The kind of a low-entropy password a person chose (`welcome123`),
/// assigned to a password name.
pub const KIND_WEAK_PASSWORD: &str = "weak-password";

/// The kind of a well-known default password inside a connection string
/// (`User Id=sa;Password=password`).
pub const KIND_DEFAULT_CREDENTIAL: &str = "default-credential";

/// Why a match is reported one level lower than its rule.
pub const WEAK_DEFAULT: &str = "a well-known default credential";
pub const WEAK_ENCRYPTED: &str = "an encrypted private key (it still needs its passphrase)";

/// What the checks made of one regex match.
struct Accepted<'a> {
    value: &'a str,
    /// Byte offset of `value` in its line (the next line for `NextLineValue`).
    start: usize,
    line: &'a str,
    line_no: u32,
    confidence: Confidence,
    /// When the value decoded to another pattern's format, that pattern.
    decoded_as: Option<&'static PatternDef>,
    /// `weak-password` for a plain password under a password name.
    kind_override: Option<&'static str>,
    weak_evidence: Option<&'static str>,
}

impl Scanner {
    #[allow(clippy::too_many_arguments)]
    fn secret(
        &self,
        def: &'static PatternDef,
        caps: &Groups<'_>,
        text: &str,
        (line_start, line_end): (usize, usize),
        line: &str,
        line_no: u32,
        file: &FileInfo,
    ) -> Option<(usize, usize, SecretMatch)> {
        let whole = caps.whole()?;
        let m = caps.name("s").unwrap_or(whole);
        let mut acc = Accepted {
            value: m.as_str(),
            start: m.start(),
            line,
            line_no,
            confidence: def.confidence,
            decoded_as: None,
            kind_override: None,
            weak_evidence: None,
        };
        match def.check {
            Check::PemBody => {
                if !pem_body_follows(text, line_start + m.end()) {
                    return None;
                }
                if pem_is_encrypted(m.as_str(), text, line_start + m.end()) {
                    acc.weak_evidence = Some(WEAK_ENCRYPTED);
                }
            }
            Check::Base64Pem => {
                let v = m.as_str();
                // Bounded: a PEM header and its first lines are enough.
                let cut = v.len().min(value::MAX_DECODED) / 4 * 4;
                let bytes = value::decode_base64(v.get(..cut)?)?;
                let pem = String::from_utf8_lossy(&bytes);
                let at = pem.find("-----BEGIN ")?;
                let header_end = pem[at..].find("KEY-----").map(|i| at + i + 8)?;
                if !pem[at..header_end].contains("PRIVATE KEY")
                    || !pem_body_follows(&pem, header_end)
                {
                    return None;
                }
                if pem_is_encrypted(&pem[at..header_end], &pem, header_end) {
                    acc.weak_evidence = Some(WEAK_ENCRYPTED);
                }
            }
            Check::SasQuery => {
                if !line.contains("sv=") {
                    return None;
                }
            }
            Check::UrlPassword => {
                let user = caps.name("user").map_or("", |u| u.as_str());
                let host = caps
                    .name("host")
                    .map_or("", |h| h.as_str())
                    .to_ascii_lowercase();
                let pw = acc.value;
                if is_documentation_host(&host) || !url_password_is_reference_free(pw) {
                    return None;
                }
                if value::is_generic_url_credential(user, pw) {
                    return None;
                }
                // `Example: postgres://user:password@…` shows the format.
                let before = line.get(..whole.start()).unwrap_or("");
                if matches!(user.to_ascii_lowercase().as_str(), "user" | "username")
                    && value::introduced_as_example(before)
                {
                    return None;
                }
                if value::is_default_credential(user, pw) {
                    acc.weak_evidence = Some(WEAK_DEFAULT);
                    acc.confidence = Confidence::Medium;
                } else if !url_password_is_real(user, pw) {
                    return None;
                } else if host_is_local(&host) {
                    acc.confidence = Confidence::Medium;
                }
                return Some(self.finish(def, acc, file));
            }
            Check::NextLineValue => {
                let name = caps.name("name").map_or("", |n| n.as_str());
                let next_start = (line_end + 1).min(text.len());
                let rest = text.get(next_start..).unwrap_or("");
                let next = rest.split('\n').next().unwrap_or("");
                let next = next.strip_suffix('\r').unwrap_or(next);
                let trimmed = next.trim_start();
                let after = trimmed.strip_prefix("value:")?;
                let raw = after.trim();
                let (quoted, v) = match raw.chars().next() {
                    Some(q @ ('"' | '\'')) if raw.len() >= 2 && raw.ends_with(q) => {
                        (true, &raw[1..raw.len() - 1])
                    }
                    _ => (false, raw),
                };
                if v.contains(char::is_whitespace) {
                    return None;
                }
                let offset = next.len() - after.len()
                    + (after.len() - after.trim_start().len())
                    + usize::from(quoted);
                acc.value = v;
                acc.start = offset;
                acc.line = next;
                acc.line_no = line_no.saturating_add(1);
                if !self.assignment(def, name, &mut acc, true, false, file, text) {
                    return None;
                }
                return Some(self.finish(def, acc, file));
            }
            Check::Assignment => {
                let name_m = caps.name("name")?;
                let name = name_m.as_str();
                let before = &line[..name_m.start()];
                // `${NAME:+x}`, `/admin/passwords`, `/:token`: a name inside a
                // path or a shell expansion, not an assignment.
                if before.ends_with(['/', '{', '$']) || before.ends_with("/:") {
                    return None;
                }
                // At most 256 characters, as the pattern once bounded it.
                let mut v = match acc.value.char_indices().nth(MAX_ASSIGNED_CHARS) {
                    Some((cut, _)) => &acc.value[..cut],
                    None => acc.value,
                };
                let quote = caps.name("q").map_or("", |q| q.as_str());
                // A quoted value must end at its closing quote: `"Token: "+x`
                // and `"Passwort ändern"` are prose and concatenation.
                if !quote.is_empty() && !line[m.start() + v.len()..].starts_with(quote) {
                    return None;
                }
                // In a query or connection string the value ends at `&`.
                let in_query = before.ends_with(['?', '&', ';']);
                if in_query {
                    v = v.split('&').next().unwrap_or(v);
                }
                // Prose ends a value with its sentence: `(password: Admin_123).`
                acc.value = v.trim_end_matches([')', ']', '}', '>', '\\', '|', '.', ',', ';']);
                if !self.assignment(def, name, &mut acc, !quote.is_empty(), in_query, file, text) {
                    return None;
                }
                return Some(self.finish(def, acc, file));
            }
            Check::Mixed => {
                if entropy::char_classes(acc.value) < 3 {
                    return None;
                }
            }
            Check::Plain => {}
        }
        if !matches!(def.check, Check::PemBody | Check::Base64Pem) {
            let v = acc.value;
            if placeholder::is_documentation_example(v) || placeholder::is_placeholder(v) {
                return None;
            }
            if entropy::shannon(v) < def.min_entropy {
                return None;
            }
        }
        Some(self.finish(def, acc, file))
    }

    /// The checks for a value assigned to a secret-looking name. `acc.value`
    /// is the candidate; on success it may be re-kinded (a decoded token) or
    /// marked as weaker evidence (a default credential).
    #[allow(clippy::too_many_arguments)]
    fn assignment(
        &self,
        def: &'static PatternDef,
        name: &str,
        acc: &mut Accepted<'_>,
        quoted: bool,
        in_connection_string: bool,
        file: &FileInfo,
        text: &str,
    ) -> bool {
        let v = acc.value;
        // A SealedSecret's `encryptedData` is ciphertext meant for git.
        if file.sealed(text) {
            return false;
        }
        // `cpe:2.3:a:js-tokens:js-tokens:3.0.2:…` (an SBOM's product id):
        // the "name" and "value" are a vendor and a version, inside a CPE.
        if acc.line[..acc.start.min(acc.line.len())]
            .rfind("cpe:")
            .is_some_and(|at| {
                acc.line[at..].starts_with("cpe:2.3:") || acc.line[at..].starts_with("cpe:/")
            })
        {
            return false;
        }
        // In tests a bare `token` is the thing under test (a webhook nonce,
        // a header value, an anti-forgery or invitation token), not a key of
        // a system; provider-format tokens are still found by their format.
        if file.in_test_fixture && is_bare_token_name(name) {
            return false;
        }
        // A base64 or hex value holding a provider token is that token.
        if let Some(decoded) = value::decoded_text(v) {
            if let Some(inner) = self.decoded_secret(&decoded) {
                acc.decoded_as = Some(inner);
                acc.confidence = Confidence::High;
                return true;
            }
            if placeholder::is_placeholder(decoded.trim()) {
                return false;
            }
        }
        let password = value::is_password_name(name);
        if password
            && in_connection_string
            && !placeholder::is_reference(v)
            && value::is_default_credential("", v)
        {
            acc.weak_evidence = Some(WEAK_DEFAULT);
            acc.confidence = Confidence::Medium;
            acc.kind_override = Some(KIND_DEFAULT_CREDENTIAL);
            return true;
        }
        match assignment_is_secret(name, v, quoted, file.code, def.min_entropy) {
            Assignment::No => false,
            Assignment::Weak if password => {
                acc.confidence = Confidence::Medium;
                acc.kind_override = Some(KIND_WEAK_PASSWORD);
                true
            }
            Assignment::Weak => false,
            Assignment::Yes => {
                if entropy::shannon(v) >= 4.0 && v.len() >= 20 {
                    acc.confidence = Confidence::High;
                }
                true
            }
        }
    }

    /// The catalog pattern a decoded value matches, if any (specific formats
    /// only: generic names and URLs are not re-read inside blobs).
    fn decoded_secret(&self, decoded: &str) -> Option<&'static PatternDef> {
        for rule in &self.rules {
            let Produces::Secret(def) = rule.produces else {
                continue;
            };
            if matches!(
                def.check,
                Check::Assignment | Check::NextLineValue | Check::UrlPassword | Check::SasQuery
            ) || def.class == Class::Public
            {
                continue;
            }
            for caps in rule.re.captures_iter(decoded) {
                let groups = Groups::Caps {
                    hay: decoded,
                    caps: &caps,
                };
                let Some(m) = groups.name("s").or_else(|| groups.whole()) else {
                    continue;
                };
                let ok = match def.check {
                    Check::PemBody => pem_body_follows(decoded, m.end()),
                    Check::Base64Pem => false,
                    _ => {
                        !placeholder::is_placeholder(m.as_str())
                            && !placeholder::is_documentation_example(m.as_str())
                            && entropy::shannon(m.as_str()) >= def.min_entropy
                            && (def.check != Check::Mixed || entropy::char_classes(m.as_str()) >= 3)
                    }
                };
                if ok {
                    return Some(def);
                }
            }
        }
        None
    }

    fn finish(
        &self,
        def: &'static PatternDef,
        acc: Accepted<'_>,
        file: &FileInfo,
    ) -> (usize, usize, SecretMatch) {
        let value = acc.value;
        let shown_def = acc.decoded_as.unwrap_or(def);
        let live = match shown_def.mode {
            Mode::None => None,
            Mode::StripeInfix => {
                let probe = if acc.decoded_as.is_some() { "" } else { value };
                if probe.contains("_live_") || acc.decoded_as.is_some() {
                    Some(true)
                } else if probe.contains("_test_") {
                    Some(false)
                } else {
                    None
                }
            }
            Mode::SandboxInfix => Some(acc.decoded_as.is_some() || !value.contains("-sandbox-")),
        };
        let rule = match (shown_def.class, live) {
            (Class::Public, _) => RULE_PUBLIC_KEY,
            (Class::Secret, Some(false)) => RULE_TEST_KEY,
            (Class::Secret, _) => RULE_SECRET,
        };
        let start = acc.start;
        let end = start + value.len();
        let kind = if let Some(k) = acc.kind_override {
            k
        } else if acc.decoded_as.is_some() {
            shown_def.id
        } else {
            refine_kind(def.id, value)
        };
        let found = SecretMatch {
            rule,
            kind,
            provider: shown_def.provider,
            line: acc.line_no,
            column: column(acc.line, start),
            end_column: column(acc.line, end),
            redacted: redact(value),
            confidence: acc.confidence,
            in_test_fixture: file.in_test_fixture,
            live,
            weak_evidence: acc.weak_evidence,
            value_id: value_id(value),
        };
        (start, end, found)
    }
}

/// Stripe keys name their mode and type in the prefix.
fn refine_kind(id: &'static str, value: &str) -> &'static str {
    match id {
        "stripe-secret-key" | "stripe-publishable-key" => {
            match value.get(..8).unwrap_or_default() {
                "sk_live_" => "stripe-live-secret-key",
                "sk_test_" => "stripe-test-secret-key",
                "rk_live_" => "stripe-live-restricted-key",
                "rk_test_" => "stripe-test-restricted-key",
                "pk_live_" => "stripe-live-publishable-key",
                "pk_test_" => "stripe-test-publishable-key",
                _ => id,
            }
        }
        _ => id,
    }
}

/// A PEM header counts only when a base64 body follows (on the next lines,
/// or after a literal `\n` in JSON), not `...` or `<key>`.
fn pem_body_follows(text: &str, after: usize) -> bool {
    let rest = text.get(after..).unwrap_or("");
    let rest = rest.as_bytes();
    // The body ends at the `-----END` marker; look no further than that.
    let end = memchr::memmem::find(rest, b"-----").unwrap_or(rest.len());
    let window = &rest[..end.min(400)];
    let is_b64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=');
    let mut run = 0usize;
    let mut best = 0usize;
    for b in window {
        run = if is_b64(b) { run + 1 } else { 0 };
        best = best.max(run);
    }
    if best < 40 {
        return false;
    }
    // Entropy over the whole window, not the longest line: an OpenSSH
    // key's first line is its fixed `openssh-key-v1` preamble.
    let body: String = window
        .iter()
        .filter(|b| is_b64(b))
        .map(|&b| char::from(b))
        .collect();
    entropy::shannon(&body) >= 4.0
}

/// A password part that is a variable (`${DB_PASSWORD}`, `%s`, `$PW`,
/// `<password>`, `{{ pw }}`) is no password at all.
fn url_password_is_reference_free(password: &str) -> bool {
    !password.starts_with('%') && !placeholder::is_reference(password)
}

/// Hosts reserved for documentation (RFC 2606): a URL to them is an example.
fn is_documentation_host(host: &str) -> bool {
    ["example.com", "example.org", "example.net"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        || host.ends_with(".example")
        // `user:pass@hostname:port`: a template, not a host.
        || matches!(host, "hostname" | "host" | "your-host" | "yourhost")
}

/// Whether a PEM private key is encrypted (`ENCRYPTED PRIVATE KEY`, or a
/// `Proc-Type: 4,ENCRYPTED` header right after the begin line).
fn pem_is_encrypted(header: &str, text: &str, after: usize) -> bool {
    if header.contains("ENCRYPTED") {
        return true;
    }
    let rest = text.get(after..).unwrap_or("");
    let head = rest.get(..rest.len().min(120)).unwrap_or(rest);
    if head.contains("Proc-Type: 4,ENCRYPTED") {
        return true;
    }
    // OpenSSH's own format names its cipher inside the base64 body:
    // `openssh-key-v1\0`, a length, then `none` or `aes256-ctr`.
    header.contains("OPENSSH")
        && rest
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .is_some_and(openssh_body_is_encrypted)
}

fn openssh_body_is_encrypted(first_line: &str) -> bool {
    let whole = first_line.len() - first_line.len() % 4;
    let Some(bytes) = first_line.get(..whole).and_then(value::decode_base64) else {
        return false;
    };
    let Some(rest) = bytes.strip_prefix(b"openssh-key-v1\0") else {
        return false;
    };
    let Some(len) = rest
        .get(..4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
    else {
        return false;
    };
    rest.get(4..4 + len).is_some_and(|cipher| cipher != b"none")
}

fn url_password_is_real(user: &str, password: &str) -> bool {
    password.chars().count() >= 6
        && password != user
        && !password.starts_with('%')
        && !placeholder::is_placeholder(password)
        && !placeholder::is_documentation_example(password)
}

/// Name suffixes that mark configuration *about* a secret, not the secret.
const NOT_SECRET_NAME_SUFFIXES: &[&str] = &[
    "url",
    "uri",
    "endpoint",
    "path",
    "file",
    "dir",
    "name",
    "type",
    "length",
    "len",
    "size",
    "count",
    "header",
    "field",
    "param",
    "policy",
    "regex",
    "pattern",
    "prompt",
    "label",
    "hint",
    "ttl",
    "expiry",
    "expires",
    "expires_in",
    "timeout",
    "id",
    "version",
    "format",
    "env",
    "var",
    "ref",
    "arn",
    "provider",
    "manager",
    "store",
    "kind",
    "mode",
    "method",
    "algorithm",
    "hash",
    "location",
    "enabled",
    "required",
    "prefix",
    "suffix",
    "class",
    "template",
    "message",
];

/// Longest value an assignment match keeps (the generic pattern's own
/// bound, applied after the match so its regex stays small).
const MAX_ASSIGNED_CHARS: usize = 256;

/// `token`, `@token`, `:token`, `"token"`: the bare word, no qualifier
/// (`api_token`, `access_token` say whose token it is).
fn is_bare_token_name(name: &str) -> bool {
    name.trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .eq_ignore_ascii_case("token")
}

/// What [`assignment_is_secret`] made of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Assignment {
    /// Not a secret: a name, an expression, a reference, prose.
    No,
    /// Too plain to be a random key, but a person's choice of password
    /// (`welcome123`): a secret only under a password name.
    Weak,
    /// Random-looking: a secret under any secret name.
    Yes,
}

fn assignment_is_secret(
    name: &str,
    value: &str,
    quoted: bool,
    code: bool,
    min_entropy: f64,
) -> Assignment {
    use Assignment::{No, Weak, Yes};
    let name = name.to_ascii_lowercase();
    let tail = name.rsplit(['_', '-', '.']).next().unwrap_or(&name);
    if NOT_SECRET_NAME_SUFFIXES.contains(&tail)
        || NOT_SECRET_NAME_SUFFIXES
            .iter()
            .any(|s| s.len() > 3 && name.ends_with(s) && !name.ends_with("password"))
    {
        return No;
    }
    // `PublicKeyToken=…`, `public_token`: public by name.
    if name.contains("public") || name.contains("publishable") {
        return No;
    }
    // `"hashed_secret": "<sha1>"` (a detect-secrets baseline),
    // `password_digest`: a hash of the secret, which opens nothing.
    if name.contains("hashed") || tail == "digest" {
        return No;
    }
    // Per-session anti-forgery tokens grant nothing once the session ends.
    if ["csrf", "xsrf", "authenticity"]
        .iter()
        .any(|w| name.contains(w))
    {
        return No;
    }
    if placeholder::is_filter_marker(value) {
        return No;
    }
    // `token_store.py:12:…` is a file name and a line number, not a name.
    const FILE_EXTENSIONS: &[&str] = &[
        "py", "js", "ts", "tsx", "jsx", "go", "rs", "java", "rb", "php", "md", "json", "yml",
        "yaml", "toml", "txt", "css", "html", "sh", "c", "h", "cpp", "cs", "kt", "swift",
    ];
    if name.contains('.') && FILE_EXTENSIONS.contains(&tail) {
        return No;
    }
    // In code an unquoted value is an expression (`os.environ[...]`, a call).
    if code && !quoted {
        return No;
    }
    let len = value.chars().count();
    if len < 6 {
        return No;
    }
    if value.contains("://")
        || value.starts_with('/')
        || value.starts_with("./")
        || value.starts_with("~/")
        || value.starts_with("arn:")
        || value.starts_with("projects/")
    {
        return No;
    }
    // Sandbox credentials (`access-sandbox-…`) are test-mode by design.
    if value.contains("-sandbox-") {
        return No;
    }
    // Words, identifiers and member chains: `my_secret_name`, `SECRET_KEY`,
    // `config.secrets.apiKey`, `BCrypt::Password.create(x)`.
    let identifier = |s: &str| {
        !s.is_empty()
            && s.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let chain = |s: &str| {
        !s.is_empty()
            && s.split(['.', ':'])
                .filter(|p| !p.is_empty())
                .all(|p| identifier(p.trim_end_matches(['?', '!'])))
    };
    if value
        .chars()
        .all(|c| c.is_ascii_lowercase() || matches!(c, '_' | '-' | '.'))
        || value
            .chars()
            .all(|c| c.is_ascii_uppercase() || matches!(c, '_' | '-' | '.'))
    {
        return No;
    }
    // A call, index or closing argument: `get_password()`, `vault.read(`,
    // `cfg[`, `password).relay(…)`.
    if let Some(i) = value.find(['(', '[', ')']) {
        if chain(&value[..i]) {
            return No;
        }
    }
    if !quoted && value.contains('.') && chain(value) {
        return No;
    }
    if value.contains('.')
        && value
            .split('.')
            .all(|p| identifier(p) && !p.chars().any(|c| c.is_ascii_digit()))
    {
        return No;
    }
    // Unquoted and the same as the name's last word: a variable.
    if !quoted && value.eq_ignore_ascii_case(tail) {
        return No;
    }
    // A quoted phrase under a key or secret name is still a committed key.
    if quoted && matches!(tail, "key" | "secret") && value::is_phrase_key(value) {
        return Yes;
    }
    if value::is_not_a_secret(value) {
        return No;
    }
    if placeholder::is_reference(value) {
        return No;
    }
    let h = entropy::shannon(value);
    let classes = entropy::char_classes(value);
    let random = if len >= 12 {
        h >= 3.0 && classes >= 2
    } else {
        len >= 8 && h >= 2.5 && classes >= 3
    };
    if random
        && h >= min_entropy
        && !placeholder::is_placeholder(value)
        && !placeholder::is_documentation_example(value)
    {
        return Yes;
    }
    // Fillers a person types (`xxxx`, `****`, `changeme`) are not weak
    // passwords; digit runs are (`Aa12345678`).
    let filler = placeholder::is_placeholder(value)
        && !(value.contains("1234") || value.contains("0000"))
        || placeholder::is_placeholder(value.trim_end_matches(|c: char| c.is_ascii_digit()));
    if value::is_weak_password(value) && !filler && !placeholder::is_documentation_example(value) {
        return Weak;
    }
    No
}

/// The URL whose `://` is at byte `at` of `line`, if its scheme is
/// http(s) or ws(s); and whether its authority carries `user:password@`
/// (any scheme), which sends the line to the connection-string pattern.
fn parse_url(line: &str, at: usize, line_no: u32) -> (Option<UrlMatch>, bool) {
    let bytes = line.as_bytes();
    let mut s = at;
    while s > 0 && at - s < 16 {
        let b = bytes[s - 1];
        if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.') {
            s -= 1;
        } else {
            break;
        }
    }
    let auth_start = at + 3;
    let auth_len = bytes[auth_start.min(bytes.len())..]
        .iter()
        .position(|b| {
            b.is_ascii_whitespace()
                || matches!(b, b'/' | b'?' | b'#' | b'"' | b'\'' | b'<' | b'>' | b'`')
        })
        .unwrap_or(bytes.len().saturating_sub(auth_start));
    let authority = line.get(auth_start..auth_start + auth_len).unwrap_or("");
    let (userinfo, hostport, host_offset) = match authority.rfind('@') {
        Some(i) => (&authority[..i], &authority[i + 1..], auth_start + i + 1),
        None => ("", authority, auth_start),
    };
    let has_password = userinfo.contains(':');
    let scheme = line.get(s..at).unwrap_or("").to_ascii_lowercase();
    // The scheme ends in one of these (`git+https` counts as https).
    let scheme = ["https", "http", "wss", "ws"].into_iter().find(|w| {
        scheme.ends_with(w)
            && (scheme.len() == w.len() || scheme.as_bytes()[scheme.len() - w.len() - 1] == b'+')
    });
    let Some(scheme) = scheme else {
        return (None, has_password);
    };
    let host_len = if hostport.starts_with('[') {
        hostport.find(']').map_or(0, |i| i + 1)
    } else {
        hostport
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || b == b'.' || b == b'-'))
            .unwrap_or(hostport.len())
    };
    let host = hostport[..host_len].trim_end_matches('.');
    if !host
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'[')
    {
        return (None, has_password);
    }
    let rest = &hostport[host_len..];
    let port_digits = rest
        .strip_prefix(':')
        .map(|r| r.bytes().take_while(u8::is_ascii_digit).count())
        .unwrap_or(0);
    let port = rest.get(1..1 + port_digits).and_then(|p| p.parse().ok());
    let end = host_offset + host_len + if port_digits > 0 { 1 + port_digits } else { 0 };
    let host = host.to_ascii_lowercase();
    let start = at - (scheme.len().min(at - s));
    let before = line.get(..start).unwrap_or("");
    let recent = before
        .get(before.len().saturating_sub(40)..)
        .unwrap_or(before);
    let path = line.get(end..).unwrap_or("");
    let path = &path[..path
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`' | ')'))
        .unwrap_or(path.len())];
    let namespace = host_is_namespace(&host)
        || url::identifier_context(recent)
        || url::identifier_path(path)
        || url::identifier_url(&host, path);
    let url = UrlMatch {
        line: line_no,
        column: column(line, start),
        end_column: column(line, end),
        local: host_is_local(&host),
        namespace,
        placeholder: url::host_is_placeholder(&host),
        comment: false,
        scheme: scheme.to_string(),
        host,
        port,
    };
    (Some(url), has_password)
}

fn live_switch(caps: &Groups<'_>, line: &str, line_no: u32) -> Option<Signal> {
    let whole = caps.whole()?;
    let (provider_word, text) = match (caps.name("name"), caps.name("value")) {
        (Some(n), Some(v)) => (
            n.as_str().to_ascii_lowercase(),
            format!("{}={}", n.as_str(), v.as_str()),
        ),
        _ => ("braintree".to_string(), whole.as_str().to_string()),
    };
    let provider = [
        ("paypal", "PayPal"),
        ("braintree", "Braintree"),
        ("adyen", "Adyen"),
        ("square", "Square"),
        ("klarna", "Klarna"),
        ("checkout", "Checkout.com"),
        ("authorize", "Authorize.net"),
        ("mollie", "Mollie"),
        ("razorpay", "Razorpay"),
    ]
    .iter()
    .find(|(w, _)| provider_word.starts_with(w))
    .map_or("payment provider", |(_, p)| p);
    Some(Signal {
        kind: SignalKind::LiveSwitch,
        provider,
        line: line_no,
        column: column(line, whole.start()),
        end_column: column(line, whole.end()),
        text,
    })
}

fn endpoint(caps: &Groups<'_>, line: &str, line_no: u32) -> Option<Signal> {
    let m = caps.name("host")?;
    let host = m.as_str().to_ascii_lowercase();
    let provider = production_endpoint(&host)?;
    Some(Signal {
        kind: SignalKind::ProductionEndpoint,
        provider,
        line: line_no,
        column: column(line, m.start()),
        end_column: column(line, m.end()),
        text: host,
    })
}

/// The provider whose production (not sandbox) host this is.
pub fn production_endpoint(host: &str) -> Option<&'static str> {
    let provider = patterns::signals::PRODUCTION_ENDPOINTS
        .iter()
        .find(|(pat, _)| {
            if pat.starts_with(['-', '.']) {
                host.ends_with(pat)
            } else {
                host == *pat
            }
        })
        .map(|(_, p)| *p)?;
    if host.contains("sandbox") || host.contains("test") || host.contains("playground") {
        return None;
    }
    Some(provider)
}

/// Hosts that never leave the machine or its private network, and names
/// reserved for documentation and tests (RFC 2606, RFC 6761).
pub fn host_is_local(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if !h.contains('.') && !h.contains(':') {
        // `localhost`, or a single-label service name (`http://api:8080`).
        return true;
    }
    if h == "::1" || h == "0.0.0.0" || h == "host.docker.internal" {
        return true;
    }
    const LOCAL_SUFFIXES: &[&str] = &[
        ".localhost",
        ".local",
        ".test",
        ".example",
        ".invalid",
        ".internal",
        ".lan",
        ".home.arpa",
        ".localdomain",
    ];
    if LOCAL_SUFFIXES.iter().any(|s| h.ends_with(s)) {
        return true;
    }
    for doc in ["example.com", "example.org", "example.net"] {
        if h.strip_suffix(doc)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
        {
            return true;
        }
    }
    if let Ok(ip) = h.parse::<std::net::Ipv4Addr>() {
        return ip.is_loopback()
            || ip.is_private()
            || ip.is_link_local()
            || ip.is_unspecified()
            || ip.is_documentation();
    }
    false
}

/// Hosts whose `http://` URLs are identifiers (XML namespaces, schemas,
/// licences), not endpoints anything connects to.
fn host_is_namespace(host: &str) -> bool {
    const HOSTS: &[&str] = &[
        "www.w3.org",
        "w3.org",
        "schemas.xmlsoap.org",
        "schemas.microsoft.com",
        "schemas.android.com",
        "schemas.openxmlformats.org",
        "xmlns.com",
        "purl.org",
        "json-schema.org",
        "ns.adobe.com",
        "java.sun.com",
        "xmlns.jcp.org",
        "xml.apache.org",
        "www.apache.org",
        "apache.org",
        "maven.apache.org",
        "opensource.org",
        "www.opensource.org",
        "creativecommons.org",
        "www.gnu.org",
        "gnu.org",
        "relaxng.org",
        "docbook.org",
        "www.springframework.org",
        "schema.org",
        "ogp.me",
        "xmlpull.org",
        "www.xmlpull.org",
        // ActivityPub / JSON-LD vocabularies.
        "ostatus.org",
        "joinmastodon.org",
        "litepub.social",
        "www.w3id.org",
        "w3id.org",
        "rssnamespace.org",
    ];
    HOSTS.contains(&host)
}

/// Lockfiles hold integrity hashes and checksums, never secrets.
pub fn is_lockfile(path: &str) -> bool {
    crate::source::class::is_lockfile(path)
}

/// Paths under test and fixture folders, and test files by name: the
/// `test` and `fixture` file classes (`source::class`), the one source.
pub fn is_test_path(path: &str) -> bool {
    crate::source::class::is_test_path(path)
}

/// Source files, where an unquoted value after `=` is an expression.
fn is_code_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((_, ext)) = name.rsplit_once('.') else {
        return false;
    };
    matches!(
        ext,
        "js" | "jsx"
            | "ts"
            | "tsx"
            | "mjs"
            | "cjs"
            | "py"
            | "rb"
            | "go"
            | "java"
            | "kt"
            | "kts"
            | "scala"
            | "groovy"
            | "gradle"
            | "php"
            | "rs"
            | "cs"
            | "fs"
            | "swift"
            | "c"
            | "cc"
            | "cpp"
            | "h"
            | "hpp"
            | "m"
            | "dart"
            | "ex"
            | "exs"
            | "erl"
            | "clj"
            | "lua"
            | "pl"
            | "r"
            | "vue"
            | "svelte"
            | "tf"
            | "hcl"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openssh_keys_say_in_their_body_whether_they_are_encrypted() {
        // The first body line of an OpenSSH key: magic, then the cipher's
        // name (`aes256-ctr` or `none`); no key material follows here.
        // Split so that this file holds no key header of its own.
        let header = concat!("-----BEGIN OPENSSH ", "PRIVATE KEY-----");
        let encrypted = format!(
            "{header}\nb3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAAAAAAAAAAAAAAA\n"
        );
        let plain = format!(
            "{header}\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAGYmNyeXB0AAAAAAAAAAAAAAAAAAAAAAAAAA\n"
        );
        assert!(pem_is_encrypted(header, &encrypted, header.len()));
        assert!(!pem_is_encrypted(header, &plain, header.len()));
        assert!(!pem_is_encrypted(
            header,
            &format!("{header}\n!!!\n"),
            header.len()
        ));
    }

    #[test]
    fn every_pattern_compiles() {
        let scanner = Scanner::new();
        assert_eq!(scanner.rule_count(), SECRET_PATTERNS.len() + 3);
        assert!(scanner.rule_count() <= MAX_RULES);
        assert!(regex::RegexSet::new(pattern_list()).is_ok());
    }

    #[test]
    fn every_pattern_has_distinctive_literals() {
        // Short literals would make the prefilter pass nearly every line;
        // every pattern needs at least one, three bytes or longer.
        for def in SECRET_PATTERNS {
            assert!(!def.literals.is_empty(), "{} has no literal", def.id);
            for l in def.literals {
                assert!(l.len() >= 3, "{}: literal {l:?} too short", def.id);
            }
        }
    }

    #[test]
    fn literal_set_is_small_enough_for_the_simd_prefilter() {
        // aho-corasick's SIMD (Teddy) search takes at most 64 literals a set,
        // and is fast with far fewer.
        let s = Scanner::new();
        let sizes = s.literals.set_sizes();
        assert!(
            sizes.len() >= 3,
            "the literals are split into sets: {sizes:?}"
        );
        assert!(sizes
            .iter()
            .all(|&n| n <= crate::source::literals::MAX_SET_LITERALS));
        assert_eq!(
            sizes.iter().sum::<usize>(),
            s.literal_rules.len(),
            "every literal is in a set"
        );
    }

    #[test]
    fn assigned_values_stop_at_256_characters() {
        // Random-looking, 300 characters: as with the pattern's old
        // `{5,255}` bound, an unquoted value is cut at 256 and a quoted one
        // that does not close there is not a value.
        let value: String = (0..300).map(|i| b"aZ3kQ9xP2mW7"[i % 12] as char).collect();
        let s = Scanner::new();
        let found = s.scan("config/app.yml", &format!("api_key: {value}\n"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].end_column - found[0].column, 256);
        let quoted = s.scan("config/app.yml", &format!("api_key: \"{value}\"\n"));
        assert!(quoted.is_empty(), "{quoted:?}");
    }

    #[test]
    fn line_counter_counts_forwards() {
        let text = b"a\nb\nc\n";
        let mut c = LineCounter::default();
        assert_eq!(c.line_of(text, 0), 1);
        assert_eq!(c.line_of(text, 2), 2);
        assert_eq!(c.line_of(text, 4), 3);
        assert_eq!(c.line_of(text, 0), 1);
    }

    #[test]
    fn hosts() {
        for h in [
            "localhost",
            "127.0.0.1",
            "0.0.0.0",
            "api",
            "app.local",
            "svc.test",
            "example.com",
            "www.example.org",
            "10.1.2.3",
            "192.168.0.1",
            "[::1]",
        ] {
            assert!(host_is_local(h), "{h}");
        }
        for h in ["api.stripe.com", "8.8.8.8", "internal.corp.com"] {
            assert!(!host_is_local(h), "{h}");
        }
    }

    #[test]
    fn lockfiles_are_skipped() {
        let s = Scanner::new();
        let text = "\"integrity\": \"sha512-ghp_0123456789abcdefghijABCDEFGHIJ012345\"";
        assert!(s.scan("web/package-lock.json", text).is_empty());
    }
}
