//! Scanner behaviour on single lines: provider formats, look-alikes, URLs,
//! live-mode switches and production endpoints.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use infra::scan::{Scanner, SignalKind};

fn kinds(path: &str, text: &str) -> Vec<&'static str> {
    Scanner::new()
        .scan(path, text)
        .into_iter()
        .filter(|m| m.is_secret())
        .map(|m| m.kind)
        .collect()
}

// Built by concatenation so this file does not itself look like a leak.
fn key(prefix: &str, body: &str) -> String {
    format!("{prefix}{body}")
}

#[test]
fn finds_provider_keys_with_positions() {
    let text = format!(
        "# header\nconst k = \"{}\";\n",
        key("ghp_", "q8Zr3xLp0vN2Tw9kQm4Yb7Hc1Jd5Fg6Ks8Ua")
    );
    let found = Scanner::new().scan("src/a.js", &text);
    assert_eq!(found.len(), 1);
    let m = &found[0];
    assert_eq!(
        (m.kind, m.line, m.column, m.end_column),
        ("github-pat", 2, 12, 52)
    );
    assert_eq!(m.redacted, "ghp_…(40 chars)");
    assert!(!m.in_test_fixture);
}

#[test]
fn columns_count_characters_not_bytes() {
    let text = format!(
        "msg = \"héllo\"; t = \"{}\"",
        key("glpat-", "Zx8Qw2Er4Ty6Ui8Op0As")
    );
    let m = &Scanner::new().scan("a.py", &text)[0];
    assert_eq!(m.kind, "gitlab-pat");
    assert_eq!(m.column, 21);
}

#[test]
fn test_fixture_paths_are_flagged() {
    let text = key("AKIA", "Q3ZL7RWB2MXN5TKP");
    let m = &Scanner::new().scan("tests/fixtures/creds.env", &text)[0];
    assert!(m.in_test_fixture);
    let m = &Scanner::new().scan("src/creds.env", &text)[0];
    assert!(!m.in_test_fixture);
}

#[test]
fn generic_assignments_need_entropy_and_a_literal() {
    assert_eq!(
        kinds("app.py", "password = \"Xk9#mQ2vL7pR4wZt\""),
        ["generic-high-entropy"]
    );
    assert_eq!(
        kinds(".env", "SESSION_SECRET=Xk9mQ2vL7pR4wZtB8nC3"),
        ["generic-high-entropy"]
    );
    for quiet in [
        "password = get_password()",
        "password = os.environ[\"DB_PASSWORD\"]",
        "token = process.env.TOKEN",
        "password = \"\"",
        "secret = \"aaaaaaaaaaaaaaaaaaaa\"",
        "password_hash_algorithm = \"bcrypt-sha256-v2\"",
        "token_url = \"https://auth.shop.io/oauth/token\"",
        "if password == \"Xk9mQ2vL7pR4wZt\":",
        "secret_name: my-app-credentials",
        "API_KEY: ${API_KEY}",
        "api_key: \"{{ api_key }}\"",
        "password: changeme",
        "client_secret = \"your_client_secret_here\"",
        "SECRET_KEY=REPLACE_ME",
    ] {
        assert!(kinds("x.py", quiet).is_empty(), "{quiet}");
        assert!(kinds("x.yml", quiet).is_empty(), "{quiet}");
    }
}

#[test]
fn documentation_examples_and_placeholders_are_not_secrets() {
    for text in [
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "STRIPE=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
        "GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
        "REDIS_URL=redis://:${REDIS_PASSWORD}@redis:6379",
        "SMTP_URL=smtps://user:pass@hostname:port",
        "see https://user:pass@example.com/",
    ] {
        assert!(kinds("README.md", text).is_empty(), "{text}");
    }
}

/// Shapes seen in GSA/notifications-api's history (docs/accuracy.md): a
/// detect-secrets baseline's hashes, a Cloud Foundry `((var))` and a value
/// that names what it stands in for.
#[test]
fn hashes_of_secrets_and_manifest_variables_are_not_secrets() {
    let sha1 = "d70eab08607a4d05faa2d0d6647206599e9abc65";
    for (path, text) in [
        (
            ".secrets.baseline",
            format!("      \"hashed_secret\": \"{sha1}\",\n"),
        ),
        (
            "config/users.yml",
            format!("  password_digest: \"{sha1}\"\n"),
        ),
        (
            "manifest.yml",
            "      NOTIFY_E2E_TEST_PASSWORD: ((NOTIFY_E2E_TEST_PASSWORD))\n".to_string(),
        ),
        (
            "environment.sh",
            "export MMG_API_KEY=mmg=secret-key\n".to_string(),
        ),
    ] {
        assert!(kinds(path, &text).is_empty(), "{path}: {text}");
    }
    // The same hash under a name that holds the secret itself is still one.
    assert_eq!(
        kinds("config/app.yml", &format!("api_secret: \"{sha1}\"\n")),
        ["generic-high-entropy"]
    );
}

#[test]
fn default_credentials_are_reported_as_weaker_evidence() {
    // Issue 9: a default pair is still a committed credential, one level lower.
    let scanner = infra::scan::Scanner::new();
    for text in [
        "DATABASE_URL=postgres://postgres:postgres@localhost:5432/app",
        "DATABASE_URL=postgres://user:password@db:5432/app",
        "Conn=\"Server=db;User Id=sa;Password=password;\"",
    ] {
        let found = scanner.scan("config/app.env", text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert!(found[0].weak_evidence.is_some(), "{text}");
    }
}

#[test]
fn stripe_test_keys_are_not_findings_but_expose_their_mode() {
    let text = format!("k = \"{}\"", key("sk_test_", "4eC39HqLyjWDarjtT1zdp7dc"));
    let found = Scanner::new().scan("a.py", &text);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule, "test-mode-key");
    assert_eq!(found[0].live, Some(false));
    assert!(!found[0].is_secret());
    let text = format!("k = \"{}\"", key("sk_live_", "4eC39HqLyjWDarjtT1zdp7dc"));
    let found = Scanner::new().scan("a.py", &text);
    assert_eq!(found[0].kind, "stripe-live-secret-key");
    assert_eq!(found[0].live, Some(true));
    assert!(found[0].is_secret());
}

#[test]
fn lockfiles_are_skipped_entirely() {
    let text = format!(
        "\"token\": \"{}\"",
        key("ghp_", "q8Zr3xLp0vN2Tw9kQm4Yb7Hc1Jd5Fg6Ks8Ua")
    );
    for lock in ["package-lock.json", "Cargo.lock", "go.sum", "web/yarn.lock"] {
        assert!(Scanner::new().scan(lock, &text).is_empty(), "{lock}");
    }
}

#[test]
fn overlapping_matches_keep_the_specific_pattern() {
    // `token: ghp_…` matches both github-pat and the generic assignment.
    let text = format!(
        "token: {}",
        key("ghp_", "q8Zr3xLp0vN2Tw9kQm4Yb7Hc1Jd5Fg6Ks8Ua")
    );
    assert_eq!(kinds("ci.yml", &text), ["github-pat"]);
}

#[test]
fn urls_are_classified() {
    let text = "\
api = \"http://api.shop.io/v1\"\n\
local = \"http://localhost:3000\"\n\
svc = \"http://inventory:8080/items\"\n\
ns = '<svg xmlns=\"http://www.w3.org/2000/svg\">'\n\
safe = \"https://api.stripe.com\"\n\
doc = \"http://docs.example.com/x\"\n\
priv = \"http://10.0.0.5/\"\n";
    let scan = Scanner::new().scan_file("src/a.py", text);
    let remote: Vec<_> = scan
        .urls
        .iter()
        .filter(|u| u.is_plaintext_remote())
        .map(|u| (u.line, u.host.as_str()))
        .collect();
    assert_eq!(remote, [(1, "api.shop.io")]);
    assert_eq!(scan.urls.len(), 7);
    let https = scan.urls.iter().find(|u| u.scheme == "https").unwrap();
    assert_eq!((https.host.as_str(), https.line), ("api.stripe.com", 5));
}

#[test]
fn urls_keep_no_credentials_or_paths() {
    let text = "u = \"http://bot:Zx8Qw2Er4Ty6Ui8Op0As@ci.shop.io:8443/hook?token=abc\"";
    let scan = Scanner::new().scan_file("a.py", text);
    let u = &scan.urls[0];
    assert_eq!((u.host.as_str(), u.port), ("ci.shop.io", Some(8443)));
    let json = serde_json::to_string(&scan).unwrap();
    assert!(!json.contains("Zx8Qw2Er4Ty6Ui8Op0As"));
    assert!(!json.contains("token=abc"));
    assert_eq!(scan.secrets[0].kind, "connection-string-password");
}

#[test]
fn live_switches_and_production_endpoints() {
    let text = "\
PAYPAL_MODE=live\n\
PAYPAL_MODE=sandbox\n\
BRAINTREE_ENVIRONMENT: production\n\
gateway = braintree.Environment.Production\n\
PAYPAL_API=https://api-m.paypal.com\n\
PAYPAL_SANDBOX=https://api-m.sandbox.paypal.com\n\
APNS_HOST=api.push.apple.com\n\
SQUARE=https://connect.squareupsandbox.com\n";
    let scan = Scanner::new().scan_file("config/staging.env", text);
    let got: Vec<_> = scan
        .signals
        .iter()
        .map(|s| (s.kind, s.provider, s.line, s.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (SignalKind::LiveSwitch, "PayPal", 1, "PAYPAL_MODE=live"),
            (
                SignalKind::LiveSwitch,
                "Braintree",
                3,
                "BRAINTREE_ENVIRONMENT=production"
            ),
            (
                SignalKind::LiveSwitch,
                "Braintree",
                4,
                "braintree.Environment.Production"
            ),
            (
                SignalKind::ProductionEndpoint,
                "PayPal",
                5,
                "api-m.paypal.com"
            ),
            (
                SignalKind::ProductionEndpoint,
                "Apple Push Notification service",
                7,
                "api.push.apple.com"
            ),
        ]
    );
}

#[test]
fn hostile_input_does_not_panic() {
    let s = Scanner::new();
    let long_line = "password=".repeat(20_000);
    let mut text = String::from("-----BEGIN RSA PRIVATE KEY-----");
    text.push_str(&"\u{fffd}".repeat(100));
    for t in [
        "",
        "\n\n\n",
        "://",
        "http://",
        "sig=",
        "ghp_",
        long_line.as_str(),
        text.as_str(),
        "password=\"é\u{301}é\u{301}é\u{301}é\u{301}é\u{301}\"",
        "\r\n\r\ntoken=\r\n",
    ] {
        let _ = s.scan_file("a.env", t);
    }
}

#[test]
fn exported_patterns_compile_as_one_set() {
    // The catalog, as the benchmark exports it for ripgrep, compiles as one set.
    let patterns = infra::scan::pattern_list();
    assert!(patterns.len() > 30);
    assert!(regex::RegexSet::new(&patterns).is_ok());
}

#[test]
fn file_names_with_line_numbers_are_not_assignments() {
    // A grep-style listing: `path/token_store.py:21:…`.
    assert!(kinds("notes.txt", "src/token_store.py:21:generic-high-entropy").is_empty());
    assert!(kinds("notes.txt", "src/secret_7.ts:65:stripe-live-secret-key").is_empty());
}

/// Shapes seen in juice-shop's history (docs/accuracy.md): an SBOM's CPE
/// product ids, whose vendor or product may be named like a secret, and a
/// public Ethereum address.
#[test]
fn sbom_cpes_and_ethereum_addresses_are_not_secrets() {
    for (path, text) in [
        (
            "ftp/sbom.json.bak",
            "      \"cpe\": \"cpe:2.3:a:js-tokens:js-tokens:3.0.2:*:*:*:*:*:*:*\",\n",
        ),
        (
            "sbom.json",
            "          \"value\": \"cpe:2.3:a:auth0:jsonwebtoken:8.5.1:*:*:*:*:node.js:*:*\"\n",
        ),
        (
            "src/faucet.ts",
            "const contractAddress = '0x0f3e5a1B7c2D9e4F8a6b3C1d5E7f9A2b4C6d8E0f'\n",
        ),
    ] {
        assert!(kinds(path, text).is_empty(), "{path}: {text}");
    }
}

/// Missed in GSA/notifications-api's history (docs/accuracy.md): a New
/// Relic ingest license key in `newrelic.ini`.
#[test]
fn new_relic_license_keys_are_found() {
    let us = key("3c9d0a7e51b24f68a0d1c7e2b9f4a6d35e8c", "NRAL");
    let eu = key("eu01xx7e51b24f68a0d1c7e2b9f4a6d35e8c", "NRAL");
    for k in [&us, &eu] {
        assert_eq!(
            kinds("newrelic.ini", &format!("[newrelic]\nlicense_key = {k}\n")),
            ["newrelic-license-key"],
            "{k}"
        );
    }
    // Prose that ends in the same letters is not a key.
    assert!(kinds("notes.md", "GENERAL NRAL notes\n").is_empty());
}
