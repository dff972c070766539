//! What a match is, as a type: the audit's rules match on [`MatchKind`]
//! instead of parsing `class/kind` strings.

use std::cmp::Ordering;
use std::fmt;

/// A secret format's kind id from the catalog (`github-pat`,
/// `stripe-live-secret-key`, `generic-high-entropy`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SecretKind(pub &'static str);

impl SecretKind {
    pub fn id(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for SecretKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The scheme of a plaintext URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlainScheme {
    Http,
    Ws,
}

impl PlainScheme {
    pub fn id(self) -> &'static str {
        match self {
            PlainScheme::Http => "http",
            PlainScheme::Ws => "ws",
        }
    }

    /// The encrypted scheme to use instead.
    pub fn secure(self) -> &'static str {
        match self {
            PlainScheme::Http => "https",
            PlainScheme::Ws => "wss",
        }
    }

    pub fn parse(scheme: &str) -> Option<PlainScheme> {
        match scheme {
            "http" => Some(PlainScheme::Http),
            "ws" => Some(PlainScheme::Ws),
            _ => None,
        }
    }
}

/// What one match found in a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchKind {
    /// A credential: a `hardcoded-secret` finding.
    Secret(SecretKind),
    /// A payment key in test mode: not a finding, but its mode matters.
    TestModeKey(SecretKind),
    /// A key public by design (publishable keys); its live/test mode matters.
    PublishableKey(SecretKind),
    /// `http://` or `ws://` to a host outside this machine and network.
    PlaintextUrl(PlainScheme),
    /// A payment SDK switched to live mode (`PAYPAL_MODE=live`), by provider.
    LiveSwitch(&'static str),
    /// A payment or notification provider's production host, by provider.
    ProductionEndpoint(&'static str),
    /// A log call argument naming a secret, by what it names (`password`,
    /// `token`, `request-headers`, …); `shown` is the identifier.
    SensitiveLog(&'static str),
    /// A source file's first logger set-up (`setup`) or log call (`call`),
    /// one per file; `shown` is empty.
    LogUse(&'static str),
    /// A source file that imports a web framework, by language (`python`):
    /// the framework is used, not only installed beside another tool.
    ServerImport(&'static str),
    /// A source file's first mention of a metrics library or agent
    /// (`prom-client`, `prometheus`, `statsd`, OpenTelemetry, …), by
    /// language family (`code`); one per file.
    MetricsUse(&'static str),
    /// A source file's first request, correlation or trace id (`code`);
    /// one per file.
    LogContext(&'static str),
    /// A file's first mention of a security header or a middleware that
    /// sets them, by family (`hsts`, `csp`, `frame`, or `all` for helmet-like
    /// middleware); `shown` is the needle. One per family per file.
    SecurityHeader(&'static str),
    /// A file's first mention of a rate limit or throttle (a library, an
    /// nginx `limit_req`, an ingress annotation, API gateway throttling),
    /// detail `code`; `shown` is the needle.
    RateLimit(&'static str),
}

impl MatchKind {
    /// The class id: `hardcoded-secret`, `test-mode-key`, `publishable-key`,
    /// `plaintext-url`, `live-switch`, `production-endpoint`, `sensitive-log`, `log-use`, `server-import`, `metrics-use`, `log-context`, `security-header` or `rate-limit`.
    pub fn class(self) -> &'static str {
        match self {
            MatchKind::Secret(_) => super::RULE_SECRET,
            MatchKind::TestModeKey(_) => super::RULE_TEST_KEY,
            MatchKind::PublishableKey(_) => super::RULE_PUBLIC_KEY,
            MatchKind::PlaintextUrl(_) => "plaintext-url",
            MatchKind::LiveSwitch(_) => "live-switch",
            MatchKind::ProductionEndpoint(_) => "production-endpoint",
            MatchKind::SensitiveLog(_) => "sensitive-log",
            MatchKind::LogUse(_) => "log-use",
            MatchKind::ServerImport(_) => "server-import",
            MatchKind::MetricsUse(_) => "metrics-use",
            MatchKind::LogContext(_) => "log-context",
            MatchKind::SecurityHeader(_) => "security-header",
            MatchKind::RateLimit(_) => "rate-limit",
        }
    }

    /// What within the class: the secret kind, the URL scheme or the provider.
    pub fn detail(self) -> &'static str {
        match self {
            MatchKind::Secret(k) | MatchKind::TestModeKey(k) | MatchKind::PublishableKey(k) => {
                k.id()
            }
            MatchKind::PlaintextUrl(s) => s.id(),
            MatchKind::LiveSwitch(p)
            | MatchKind::ProductionEndpoint(p)
            | MatchKind::SensitiveLog(p)
            | MatchKind::LogUse(p)
            | MatchKind::ServerImport(p)
            | MatchKind::MetricsUse(p)
            | MatchKind::LogContext(p)
            | MatchKind::SecurityHeader(p)
            | MatchKind::RateLimit(p) => p,
        }
    }
}

/// Ordered by class id, then detail (as the `class/detail` text would sort).
impl Ord for MatchKind {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.class(), self.detail()).cmp(&(other.class(), other.detail()))
    }
}

impl PartialOrd for MatchKind {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// `class/detail`, e.g. `hardcoded-secret/github-pat`.
impl fmt::Display for MatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.class(), self.detail())
    }
}
