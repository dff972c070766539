//! The provider catalog: every secret format the scanner knows, each with
//! the literals that must appear on a line before its regex is worth running.
//!
//! Formats are public facts (prefixes, lengths, alphabets) from the providers'
//! own documentation. Order matters: when two patterns match overlapping text,
//! the one listed first wins, so specific formats come before generic ones.

/// How sure a match is a real secret (the shared vocabulary's confidence).
pub use crate::model::Confidence;

/// Which test a pattern's lines must pass first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// No test: the literal prefilter is selective enough.
    None,
    /// `- name: DB_PASSWORD` alone on its line (k8s and compose env lists).
    NameLine,
    /// A Dockerfile `ENV`/`ARG` instruction.
    EnvArg,
    /// `NAME = value`, `name: value`, `"name" => "value"` with a
    /// secret-looking name right before the separator.
    Assignment,
}

/// Extra checks a regex match must pass before it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Only the entropy floor and the placeholder/example filters.
    Plain,
    /// A PEM header must be followed by a base64 body, not `...`.
    PemBody,
    /// An Azure `sig=` must sit in a SAS query (`sv=` on the same line).
    SasQuery,
    /// A URL or connection string whose password is not a default or a reference.
    UrlPassword,
    /// A value assigned to a secret-looking name: entropy, length, name filters.
    Assignment,
    /// Random-looking: must mix letters and digits.
    Mixed,
    /// A secret name alone on its line (`- name: DB_PASSWORD`): the value is
    /// the next line's `value:`.
    NextLineValue,
    /// A base64-wrapped PEM block (`LS0tLS1CRUdJTi…` is `-----BEGIN `):
    /// decoded, it must hold a private key with a body.
    Base64Pem,
}

/// How the live/test mode of a payment key is read from the match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Not a payment key.
    None,
    /// `_live_` or `_test_` in the key (Stripe style).
    StripeInfix,
    /// `-sandbox-` in the key is test mode; any other environment is live
    /// (Plaid's `development` reaches real banks too).
    SandboxInfix,
}

/// What a match of this pattern is, once classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A credential: reported as `hardcoded-secret` unless it is a test-mode key.
    Secret,
    /// A key meant to be public (publishable keys): never `hardcoded-secret`,
    /// but its live/test mode still matters to `nonprod-live-credentials`.
    Public,
}

/// One entry of the catalog.
#[derive(Debug, Clone, Copy)]
pub struct PatternDef {
    /// Stable kind id, e.g. `github-pat`.
    pub id: &'static str,
    /// Human name of the provider, e.g. `GitHub`.
    pub provider: &'static str,
    /// At least one of these must appear on the line (matched case-sensitively;
    /// see [`literal_variants`] for the casings tried).
    pub literals: &'static [&'static str],
    /// Literals also tried in lower, UPPER and Capitalised form.
    pub any_case: bool,
    /// The regex; the secret is the `s` group when present, else the whole match.
    pub regex: &'static str,
    pub check: Check,
    /// Minimum Shannon entropy (bits/char) of the secret.
    pub min_entropy: f64,
    pub confidence: Confidence,
    pub mode: Mode,
    pub class: Class,
    /// A byte test a line must pass before the regex runs on it.
    pub gate: Gate,
}

const fn def(
    id: &'static str,
    provider: &'static str,
    literals: &'static [&'static str],
    regex: &'static str,
    min_entropy: f64,
) -> PatternDef {
    PatternDef {
        id,
        provider,
        literals,
        any_case: false,
        regex,
        check: Check::Plain,
        min_entropy,
        confidence: Confidence::High,
        mode: Mode::None,
        class: Class::Secret,
        gate: Gate::None,
    }
}

impl PatternDef {
    const fn check(mut self, check: Check) -> Self {
        self.check = check;
        self
    }
    #[allow(dead_code)] // kept for literals that need every casing
    const fn any_case(mut self) -> Self {
        self.any_case = true;
        self
    }
    const fn confidence(mut self, c: Confidence) -> Self {
        self.confidence = c;
        self
    }
    const fn mode(mut self, m: Mode) -> Self {
        self.mode = m;
        self
    }
    const fn class(mut self, c: Class) -> Self {
        self.class = c;
        self
    }
    const fn gate(mut self, g: Gate) -> Self {
        self.gate = g;
        self
    }
}

/// The separator between a name and its value in code and config:
/// `=`, `:`, `:=`, `=>`, with optional closing quotes or brackets before it.
macro_rules! assign {
    () => {
        r#"["'\]]{0,2}\s*(?::=|=>|=|:)\s*["'`]?"#
    };
}

/// Every secret pattern, most specific first.
pub const SECRET_PATTERNS: &[PatternDef] = &[
    def(
        "gcp-service-account-key",
        "Google Cloud",
        &["\"private_key\""],
        r#""private_key"\s*:\s*"(?P<s>-----BEGIN PRIVATE KEY-----)"#,
        0.0,
    )
    .check(Check::PemBody),
    def(
        "private-key",
        "PEM",
        &["-----BEGIN"],
        r"(?P<s>-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----)",
        0.0,
    )
    .check(Check::PemBody),
    def(
        "private-key",
        "PEM",
        // `-----BEGIN ` in base64, as a k8s Secret's `tls.key` holds it.
        &["LS0tLS1CRUdJTi"],
        r"(?P<s>LS0tLS1CRUdJTi[A-Za-z0-9+/]{40,}={0,2})",
        0.0,
    )
    .check(Check::Base64Pem),
    def(
        "aws-access-key-id",
        "AWS",
        &["AKIA", "ASIA"],
        r"\b(?P<s>(?:AKIA|ASIA)[A-Z2-7]{16})\b",
        3.0,
    ),
    def(
        "aws-secret-access-key",
        "AWS",
        &["ecret", "ECRET"],
        concat!(
            r"(?i:secret[_-]?access[_-]?key|aws[_-]?secret[_-]?(?:access[_-]?)?key)",
            assign!(),
            r"(?P<s>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"
        ),
        4.0,
    ),
    def(
        "gcp-api-key",
        "Google Cloud",
        &["AIza"],
        r"\b(?P<s>AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$)",
        3.5,
    ),
    def(
        "azure-storage-account-key",
        "Azure",
        &["AccountKey="],
        r"(?i:AccountKey)=(?P<s>[A-Za-z0-9+/]{86}==)",
        4.0,
    ),
    def(
        "azure-sas-token",
        "Azure",
        &["sig="],
        r"[?&;]sig=(?P<s>[A-Za-z0-9%+/]{40,100})",
        3.5,
    )
    .check(Check::SasQuery),
    def(
        "github-pat",
        "GitHub",
        &["ghp_"],
        r"\b(?P<s>ghp_[A-Za-z0-9]{36})\b",
        3.5,
    ),
    def(
        "github-fine-grained-pat",
        "GitHub",
        &["github_pat_"],
        r"\b(?P<s>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b",
        3.5,
    ),
    def(
        "github-token",
        "GitHub",
        &["gho_", "ghu_", "ghs_", "ghr_"],
        r"\b(?P<s>gh[ousr]_[A-Za-z0-9]{36})\b",
        3.5,
    ),
    def(
        "gitlab-pat",
        "GitLab",
        &["glpat-"],
        r"\b(?P<s>glpat-[A-Za-z0-9_-]{20,64})(?:[^A-Za-z0-9_-]|$)",
        3.5,
    ),
    def(
        "slack-token",
        "Slack",
        &["xox"],
        r"\b(?P<s>xox[abeprs]-(?:[0-9]+-){1,3}[0-9A-Za-z]{20,64})\b",
        3.0,
    ),
    def(
        "slack-app-token",
        "Slack",
        &["xapp-"],
        r"\b(?P<s>xapp-[0-9]+-[A-Z0-9]+-[0-9]+-[a-f0-9]{32,80})\b",
        3.0,
    ),
    def(
        "slack-webhook",
        "Slack",
        &["hooks.slack.com"],
        r"hooks\.slack\.com/(?:services|workflows|triggers)/(?P<s>T[A-Z0-9]{8,12}/[AB][A-Z0-9]{8,12}/[A-Za-z0-9]{20,32})",
        3.0,
    ),
    def(
        "stripe-secret-key",
        "Stripe",
        &["k_live_", "k_test_"],
        r"\b(?P<s>[sr]k_(?:live|test)_[0-9A-Za-z]{24,247})\b",
        3.5,
    )
    .mode(Mode::StripeInfix),
    def(
        "stripe-publishable-key",
        "Stripe",
        &["k_live_", "k_test_"],
        r"\b(?P<s>pk_(?:live|test)_[0-9A-Za-z]{24,247})\b",
        3.5,
    )
    .mode(Mode::StripeInfix)
    .class(Class::Public),
    def(
        "plaid-access-token",
        "Plaid",
        // Plaid tokens sit under an `access_token` name; the prefilter's
        // 64-literal budget has no room for their own prefixes.
        &["oken", "OKEN"],
        r"\b(?P<s>access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b",
        3.0,
    )
    .mode(Mode::SandboxInfix),
    def(
        "stripe-webhook-secret",
        "Stripe",
        &["whsec_"],
        r"\b(?P<s>whsec_[A-Za-z0-9+/]{32,64})",
        3.5,
    ),
    def(
        "twilio-api-key",
        "Twilio",
        // `twilio`, `Twilio`, `TWILIO`, in two literals.
        &["wilio", "WILIO"],
        r"\b(?P<s>SK[0-9a-fA-F]{32})\b",
        3.0,
    ),
    def(
        "twilio-auth-token",
        "Twilio",
        &["oken", "OKEN"],
        concat!(
            r"(?i:twilio[A-Za-z0-9_.-]*?(?:auth)?[_.-]?token)",
            assign!(),
            r"(?P<s>[0-9a-f]{32})\b"
        ),
        3.0,
    ),
    def(
        "sendgrid-api-key",
        "SendGrid",
        &["SG."],
        r"\b(?P<s>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)",
        3.5,
    ),
    def(
        "postmark-server-token",
        "Postmark",
        &["oken", "OKEN", "key", "KEY", "Key"],
        concat!(
            r"(?i:postmark[A-Za-z0-9_.-]*?(?:token|key))",
            r#"["'\]]{0,2}\s*(?::=|=>|=|:|,)\s*["'`]?"#,
            r"(?P<s>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b"
        ),
        3.0,
    ),
    def(
        "mailgun-api-key",
        "Mailgun",
        &["key-"],
        r"\b(?P<s>key-[0-9a-f]{32})\b",
        3.0,
    ),
    def(
        "mailgun-api-key",
        "Mailgun",
        &["key", "KEY", "Key"],
        concat!(
            r"(?i:mailgun[A-Za-z0-9_.-]*?key)",
            assign!(),
            r"(?P<s>[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})\b"
        ),
        3.0,
    ),
    def(
        "npm-token",
        "npm",
        &["npm_"],
        r"\b(?P<s>npm_[A-Za-z0-9]{36})\b",
        3.5,
    ),
    def(
        "pypi-token",
        "PyPI",
        &["pypi-AgEI"],
        r"\b(?P<s>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})",
        3.5,
    ),
    def(
        "dockerhub-pat",
        "Docker Hub",
        &["dckr_pat_"],
        r"\b(?P<s>dckr_pat_[A-Za-z0-9_-]{24,40})(?:[^A-Za-z0-9_-]|$)",
        3.5,
    ),
    def(
        "anthropic-api-key",
        "Anthropic",
        &["sk-ant-"],
        r"\b(?P<s>sk-ant-[A-Za-z0-9_-]{32,120})(?:[^A-Za-z0-9_-]|$)",
        3.5,
    )
    .check(Check::Mixed),
    def(
        "openai-api-key",
        "OpenAI",
        &["sk-"],
        r"\b(?P<s>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,200})(?:[^A-Za-z0-9_-]|$)",
        3.5,
    )
    .check(Check::Mixed),
    def(
        "telegram-bot-token",
        "Telegram",
        // The bot id, a colon, then `AA` and 33 more characters.
        &[":AA"],
        r"\b(?P<s>[0-9]{8,10}:AA[0-9A-Za-z_-]{33})(?:[^0-9A-Za-z_-]|$)",
        3.5,
    ),
    def(
        "shopify-token",
        "Shopify",
        // One short literal keeps the set under the SIMD limit.
        &["shp"],
        r"\b(?P<s>shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32})\b",
        3.0,
    ),
    def(
        "vault-token",
        "HashiCorp Vault",
        &["hvs."],
        r"\b(?P<s>hvs\.[A-Za-z0-9_-]{24,})(?:[^A-Za-z0-9_.-]|$)",
        3.5,
    )
    .check(Check::Mixed),
    def(
        "doppler-token",
        "Doppler",
        &["dp.pt.", "dp.st."],
        r"\b(?P<s>dp\.(?:pt|st(?:\.[a-z0-9_-]{2,35})?)\.[A-Za-z0-9]{40,44})\b",
        3.5,
    ),
    def(
        "newrelic-user-api-key",
        "New Relic",
        &["NRAK-"],
        r"\b(?P<s>NRAK-[A-Z0-9]{27})\b",
        3.5,
    ),
    // The ingest (license) key: 40 characters whose last four are `NRAL`
    // (EU accounts' start `eu01xx`).
    def(
        "newrelic-license-key",
        "New Relic",
        &["NRAL"],
        r"\b(?P<s>(?:eu01xx)?[a-f0-9]{30,36}NRAL)\b",
        3.0,
    ),
    def(
        "square-token",
        "Square",
        &["sq0"],
        r"\b(?P<s>sq0(?:atp|csp)-[0-9A-Za-z_-]{22,43})(?:[^0-9A-Za-z_-]|$)",
        3.5,
    ),
    def(
        "heroku-api-key",
        "Heroku",
        &["HRKU-"],
        r"\b(?P<s>HRKU-AA[0-9A-Za-z_-]{58})(?:[^0-9A-Za-z_-]|$)",
        3.5,
    ),
    def(
        "jwt",
        "JWT",
        &["eyJ"],
        r"\b(?P<s>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})",
        3.0,
    )
    .confidence(Confidence::Medium),
    def(
        "connection-string-password",
        "URL",
        // `://` hits are URLs, parsed by hand; this pattern runs only on
        // lines where one carries `user:password@`.
        &["://"],
        r#"(?i:\b(?P<scheme>postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|cockroachdb|clickhouse|couchdb|neo4j(?:\+s)?|nats|ldaps?|ftps?|sftp|smtps?|https?)://)(?P<user>[^:/\s@"'<>]*):(?P<s>[^@/?#\s"'<>]{1,200})@(?P<host>[A-Za-z0-9._-]+)"#,
        0.0,
    )
    .check(Check::UrlPassword),
    def(
        "generic-high-entropy",
        "generic",
        // `- name: DB_PASSWORD` whose `value:` is on the next line (k8s
        // env, compose and Helm lists): the value is read from that line.
        &["assw", "ASSW", "ecret", "ECRET", "oken", "OKEN", "key", "KEY", "Key"],
        concat!(
            r#"^\s*-?\s*name:\s*["']?(?P<name>[A-Za-z0-9_.-]*(?i:"#,
            crate::secret_name_regex!(),
            r#")[A-Za-z0-9_.-]*)["']?\s*$"#
        ),
        3.0,
    )
    .check(Check::NextLineValue)
    .gate(Gate::NameLine)
    .confidence(Confidence::Medium),
    def(
        "generic-high-entropy",
        "generic",
        // Dockerfile `ENV NAME value` / `ARG NAME value` (the space form).
        &["assw", "ASSW", "ecret", "ECRET", "oken", "OKEN", "key", "KEY", "Key"],
        concat!(
            r"^\s*(?:ENV|ARG)\s+(?P<name>[A-Za-z0-9_.-]*(?i:",
            crate::secret_name_regex!(),
            r#")[A-Za-z0-9_.-]*)\s+(?P<q>["']?)(?P<s>[^\s"'=][^\s"']{5,255})["']?\s*$"#
        ),
        3.0,
    )
    .check(Check::Assignment)
    .gate(Gate::EnvArg)
    .confidence(Confidence::Medium),
    def(
        "generic-high-entropy",
        "generic",
        // Short cores, so the whole literal set stays under the SIMD
        // prefilter's limit: `key` covers api_key, apiKey, ACCESS_KEY …,
        // `assw` covers password, Passwd, PASSWORD.
        &[
            "assw", "ASSW", "pwd", "PWD", "Pwd", "ecret", "ECRET", "oken", "OKEN", "key", "KEY",
            "Key", "redential", "REDENTIAL",
        ],
        concat!(
            r"(?P<name>[A-Za-z0-9_.-]*(?i:",
            crate::secret_name_regex!(),
            r")[A-Za-z0-9_.-]*)",
            r#"["'\]]{0,2}\s*(?::=|=>|=|:)\s*(?P<q>["'`]?)"#,
            // Unbounded here, cut at 256 characters by the scanner: a
            // Unicode class repeated 255 times compiled to thousands of NFA
            // states, which every capture search paid for.
            r#"(?P<s>[^\s"'`;,=][^\s"'`;,]{5,})"#
        ),
        3.0,
    )
    .check(Check::Assignment)
    .gate(Gate::Assignment)
    .confidence(Confidence::Medium),
];

/// Non-secret content signals the environment and network rules need.
pub mod signals {
    /// Any URL with a scheme and host; the host is classified later.
    pub const URL: &str = r"(?i:\b(?P<scheme>https?|wss?)://)(?:[^\s/@?#]*@)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(?P<port>[0-9]{1,5}))?";

    /// `PAYPAL_MODE=live` and friends: a payment SDK switched to live mode.
    pub const LIVE_SWITCH: &str = r#"(?i:\b(?P<name>(?:paypal|braintree|adyen|square|klarna|checkout|authorize[_.-]?net|mollie|razorpay)[_.-]?(?:mode|env|environment))["'\]]{0,2}\s*(?::=|=>|=|:)\s*["'`]?(?P<value>live|production|prod)\b|braintree\.Environment\.Production\b)"#;

    /// Literals that must be on the line for [`LIVE_SWITCH`] to be tried.
    /// (The value side: far fewer lines say `live` or `prod` than `_env`.)
    pub const LIVE_SWITCH_LITERALS: &[&str] = &["live", "prod"];

    /// Hosts of payment and notification providers that have a separate
    /// sandbox host: naming the production one in non-production config is a
    /// finding. Matched as whole host or (leading `.`) as a suffix.
    pub const PRODUCTION_ENDPOINTS: &[(&str, &str)] = &[
        ("api.paypal.com", "PayPal"),
        ("api-m.paypal.com", "PayPal"),
        ("api-3t.paypal.com", "PayPal"),
        ("ipnpb.paypal.com", "PayPal"),
        ("svcs.paypal.com", "PayPal"),
        ("api.braintreegateway.com", "Braintree"),
        ("payments.braintree-api.com", "Braintree"),
        ("connect.squareup.com", "Square"),
        ("checkout-live.adyen.com", "Adyen"),
        ("-live.adyen.com", "Adyen"),
        ("live.adyenpayments.com", "Adyen"),
        ("api.authorize.net", "Authorize.net"),
        ("api2.authorize.net", "Authorize.net"),
        ("secure.authorize.net", "Authorize.net"),
        ("secure2.authorize.net", "Authorize.net"),
        ("api.push.apple.com", "Apple Push Notification service"),
        ("gateway.push.apple.com", "Apple Push Notification service"),
        ("api.klarna.com", "Klarna"),
        ("api-na.klarna.com", "Klarna"),
        ("api-oc.klarna.com", "Klarna"),
        ("api.checkout.com", "Checkout.com"),
    ];

    /// Bare host names of those providers (without a scheme), e.g. in
    /// `PAYPAL_HOST=api-m.paypal.com`.
    pub const ENDPOINT_HOST: &str = r"(?i:\b(?P<host>[a-z0-9.-]*(?:paypal\.com|braintreegateway\.com|braintree-api\.com|squareup\.com|adyen\.com|adyenpayments\.com|authorize\.net|push\.apple\.com|klarna\.com|checkout\.com))\b)";

    /// Literals for bare host names; hosts inside URLs are checked
    /// against [`PRODUCTION_ENDPOINTS`] when the URL is parsed.
    pub const ENDPOINT_LITERALS: &[&str] =
        &["paypal.com", "push.apple.com", "braintree", "squareup"];
}

/// The casings a literal is searched in: as written, and for `any_case`
/// literals also lower, UPPER and Capitalised (`secret`, `SECRET`, `Secret`),
/// which covers snake_case, SCREAMING_CASE and camelCase names.
pub fn literal_variants(lit: &str, any_case: bool) -> Vec<String> {
    let mut out = vec![lit.to_string()];
    if any_case {
        let lower = lit.to_ascii_lowercase();
        let upper = lit.to_ascii_uppercase();
        let mut cap = lower.clone();
        if let Some(first) = cap.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        let mut pascal = lit.to_string();
        if let Some(first) = pascal.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        for v in [lower, upper, cap, pascal] {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}
