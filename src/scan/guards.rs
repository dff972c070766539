//! Request guards named in code and configuration: security headers (HSTS,
//! CSP, X-Frame-Options and the middleware that sets them) and rate limits
//! (libraries, nginx `limit_req`, ingress annotations, API gateway
//! throttling). One Aho-Corasick pass per file; lines that are comments do
//! not count (`# config.force_ssl = true` is Rails' default, switched off).

use super::logs::Lang;
use crate::source::literals::{with_ascii_lowercase, LiteralSets};
use std::sync::LazyLock;

/// The header families a needle is evidence for: `hsts`, `csp`, `frame`,
/// or `all` (middleware that sets every one by default).
const HEADER_NEEDLES: &[(&str, &str)] = &[
    ("strict-transport-security", "hsts"),
    ("stricttransportsecurity", "hsts"),
    ("strict_transport_security", "hsts"),
    ("hsts", "hsts"),
    ("stsseconds", "hsts"),
    ("force_ssl", "hsts"),
    ("content-security-policy", "csp"),
    ("contentsecuritypolicy", "csp"),
    ("content_security_policy", "csp"),
    ("csp_default_src", "csp"),
    ("csp.middleware", "csp"),
    ("x-frame-options", "frame"),
    ("x_frame_options", "frame"),
    ("frameoptions", "frame"),
    ("frame_options", "frame"),
    ("framedeny", "frame"),
    ("frame-ancestors", "frame"),
    ("helmet", "all"),
    ("talisman", "all"),
    ("secure_headers", "all"),
    ("secureheaders", "all"),
    ("nwebsec", "all"),
    ("unrolled/secure", "all"),
    ("gin-contrib/secure", "all"),
];

/// What names a rate limit or throttle.
const RATE_NEEDLES: &[&str] = &[
    "ratelimit",
    "rate-limit",
    "rate_limit",
    "rate-limiter",
    "rate_limiter",
    "throttl",
    "limit_req",
    "limit-rps",
    "limit-rpm",
    "limit-connections",
    "rack::attack",
    "rack-attack",
    "rack_attack",
    "bucket4j",
    "tollbooth",
    "httprate",
    "x/time/rate",
    "rate.newlimiter",
    "ulule/limiter",
    "slowapi",
    "flask_limiter",
    "flask-limiter",
    "tower_governor",
    "tower-governor",
    "actix_governor",
    "actix-governor",
    "express-slow-down",
    "rate_based",
    "usage_plan",
];

/// Every needle (all lower-case), header families first, in the SIMD
/// literal sets, searched in the file's lower-cased copy (an overlapping
/// case-insensitive automaton visits every byte: 9 % of the audit).
static SETS: LazyLock<LiteralSets> = LazyLock::new(|| {
    let needles: Vec<String> = HEADER_NEEDLES
        .iter()
        .map(|(n, _)| *n)
        .chain(RATE_NEEDLES.iter().copied())
        .map(str::to_ascii_lowercase)
        .collect();
    LiteralSets::new(&needles)
});

/// One guard a file names: the header family (`None` for a rate limit),
/// the needle and its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guard {
    pub family: Option<&'static str>,
    pub needle: &'static str,
    pub line: u32,
}

/// Files that may configure a guard: source code, proxy and platform
/// configuration, manifests, YAML and Terraform; never lockfiles, which
/// name what dependencies depend on.
pub fn may_configure(path: &str) -> bool {
    if Lang::of_path(path).is_some() {
        return true;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    // Manifests name what is installed, not what runs: a listed package may
    // be unused, and the rules read dependencies from discovery.
    if lower.ends_with("-lock.json")
        || lower.ends_with(".lock")
        || lower == "pnpm-lock.yaml"
        || matches!(
            lower.as_str(),
            "package.json" | "composer.json" | "pyproject.toml" | "cargo.toml"
        )
    {
        return false;
    }
    matches!(
        lower.as_str(),
        "caddyfile" | "_headers" | "web.config" | ".htaccess" | "vercel.json" | "firebase.json"
    ) || lower.starts_with("nginx")
        || lower.starts_with("appsettings") && lower.ends_with(".json")
        || [
            ".conf", ".toml", ".yaml", ".yml", ".tf", ".cfg", ".ini", ".tpl",
        ]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// A line that is only a comment: what it names is switched off.
fn is_comment(line: &str) -> bool {
    let t = line.trim_start();
    ["#", "//", "/*", "*", ";", "<!--", "--"]
        .iter()
        .any(|c| t.starts_with(c))
}

/// The first mention of each header family and of a rate limit in `text`,
/// outside comment lines.
pub fn guards(path: &str, text: &str) -> Vec<Guard> {
    if !may_configure(path) {
        return Vec::new();
    }
    let needle_len = |i: usize| match HEADER_NEEDLES.get(i) {
        Some((n, _)) => n.len(),
        None => RATE_NEEDLES
            .get(i - HEADER_NEEDLES.len())
            .map_or(0, |n| n.len()),
    };
    // In the order the text ends them, as an overlapping search reports.
    let mut hits: Vec<(usize, usize, usize)> = Vec::new();
    with_ascii_lowercase(text, |lower| {
        SETS.for_each_hit(lower, |start, i| {
            hits.push((start + needle_len(i), i, start))
        });
    });
    hits.sort_unstable();
    let mut out: Vec<Guard> = Vec::new();
    let bytes = text.as_bytes();
    for (_, i, start) in hits {
        let (family, needle) = match HEADER_NEEDLES.get(i) {
            Some((n, f)) => (Some(*f), *n),
            None => (None, RATE_NEEDLES[i - HEADER_NEEDLES.len()]),
        };
        if out.iter().any(|g| g.family == family) {
            continue;
        }
        let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |p| p + 1);
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(text.len(), |p| start + p);
        if is_comment(text.get(line_start..end).unwrap_or_default()) {
            continue;
        }
        let line = memchr::memchr_iter(b'\n', &bytes[..start]).count() + 1;
        out.push(Guard {
            family,
            needle,
            line: u32::try_from(line).unwrap_or(u32::MAX),
        });
        if out.len() == 5 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn families(path: &str, text: &str) -> Vec<Option<&'static str>> {
        guards(path, text).into_iter().map(|g| g.family).collect()
    }

    #[test]
    fn helmet_sets_every_header() {
        let g = guards("app.js", "const x = 1;\napp.use(helmet());\n");
        assert_eq!(
            g,
            [Guard {
                family: Some("all"),
                needle: "helmet",
                line: 2
            }]
        );
    }

    #[test]
    fn commented_settings_do_not_count() {
        assert!(families(
            "config/environments/production.rb",
            "  # config.force_ssl = true\n"
        )
        .is_empty());
        assert_eq!(
            families(
                "config/environments/production.rb",
                "  config.force_ssl = true\n"
            ),
            [Some("hsts")]
        );
    }

    #[test]
    fn each_family_once_and_rate_limits() {
        let text = "add_header Strict-Transport-Security max-age=1;\nadd_header X-Frame-Options DENY;\nadd_header Strict-Transport-Security x;\nlimit_req zone=one;\n";
        assert_eq!(
            families("deploy/nginx.conf", text),
            [Some("hsts"), Some("frame"), None]
        );
    }

    #[test]
    fn lockfiles_and_unknown_files_are_not_read() {
        assert!(guards("package-lock.json", "\"helmet\": {}").is_empty());
        assert!(guards("notes.md", "use helmet").is_empty());
        assert!(guards("package.json", "\"helmet\": \"7\"").is_empty());
        assert!(!guards("vercel.json", "\"key\": \"X-Frame-Options\"").is_empty());
    }

    #[test]
    fn django_throttling_and_csp_settings() {
        let text = "REST_FRAMEWORK = {\n  'DEFAULT_THROTTLE_CLASSES': [],\n}\nCSP_DEFAULT_SRC = (\"'self'\",)\n";
        assert_eq!(families("app/settings.py", text), [None, Some("csp")]);
    }

    #[test]
    fn any_cut_of_a_multibyte_text_is_safe() {
        let text = "# hsts é\nñ add_header X-Frame-Options ü;\n// rateLimit\nlimit_req 😀\n";
        let cuts = (0..=text.len()).filter(|i| text.is_char_boundary(*i));
        for i in cuts {
            let g = guards("nginx.conf", &text[..i]);
            assert!(g.len() <= 2, "{i}: {g:?}");
        }
        assert_eq!(families("nginx.conf", text), [Some("frame"), None]);
    }
}
