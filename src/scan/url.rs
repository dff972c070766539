//! What makes a found URL not an endpoint: it sits in a comment, its host
//! is a placeholder, or the text around it makes it an identifier (a JSON
//! Schema `$schema`, a JSON-LD `@context`, an XML namespace in a Go struct
//! tag). [`super::parse_url`] finds URLs; this decides what they are.

use crate::source::text::{extension, file_name};

/// Line-comment markers (and block-comment openers) of a file's language,
/// by name; empty when the format has none we know.
pub fn comment_markers(path: &str) -> &'static [&'static str] {
    const C_LIKE: &[&str] = &["//", "/*"];
    const C_AND_HASH: &[&str] = &["//", "/*", "#"];
    const HASH: &[&str] = &["#"];
    const SQL: &[&str] = &["--", "/*"];
    const INI: &[&str] = &[";", "#"];
    const MARKUP: &[&str] = &["<!--"];
    const CSS: &[&str] = &["/*"];
    let name = file_name(path);
    let lower = name.to_ascii_lowercase();
    if lower == "dockerfile" || lower.starts_with("dockerfile.") || lower == "makefile" {
        return HASH;
    }
    if lower == ".env"
        || lower.starts_with(".env.")
        || lower == "procfile"
        || (lower.starts_with('.') && lower.ends_with("ignore"))
        || matches!(
            lower.as_str(),
            ".gitattributes" | ".editorconfig" | "codeowners"
        )
    {
        return HASH;
    }
    match extension(&lower).as_str() {
        "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs" | "go" | "rs" | "java" | "kt" | "kts"
        | "scala" | "c" | "h" | "cc" | "cpp" | "hpp" | "cs" | "fs" | "swift" | "dart"
        | "groovy" | "gradle" | "scss" | "less" | "proto" | "jsonc" | "json5" | "zig" => C_LIKE,
        "php" => C_AND_HASH,
        "py" | "rb" | "sh" | "bash" | "zsh" | "fish" | "ps1" | "yml" | "yaml" | "toml" | "tf"
        | "hcl" | "conf" | "cfg" | "r" | "pl" | "pm" | "ex" | "exs" | "properties" | "nix"
        | "cmake" | "mk" | "env" | "rake" | "gemspec" | "coffee" | "cr" | "jl" => HASH,
        "sql" | "lua" | "hs" | "elm" => SQL,
        "ini" | "clj" | "cljs" | "el" | "lisp" | "asm" => INI,
        "html" | "htm" | "xml" | "svg" | "xhtml" | "vue" | "svelte" | "erb" | "ejs" | "hbs" => {
            MARKUP
        }
        "css" => CSS,
        _ => &[],
    }
}

/// Whether byte `at` of `line` is inside a comment: a marker before it,
/// outside quotes, or a line that continues a block comment (` * …`).
#[cfg(test)]
pub fn in_comment(line: &str, at: usize, markers: &[&str]) -> bool {
    LineComments::new(line, at, markers).covers(at)
}

/// Where a line's comment starts, found once for all of its URLs: the
/// quote-aware walk is linear in the line, so per URL it was quadratic on
/// long lines with many links.
pub struct LineComments {
    /// The whole line continues a block comment.
    starred: bool,
    /// Byte offset of the first comment marker outside quotes, if one
    /// starts before the limit the walk was given.
    start: Option<usize>,
}

impl LineComments {
    /// Looks at markers starting before `limit` (the last offset asked about).
    pub fn new(line: &str, limit: usize, markers: &[&str]) -> LineComments {
        let none = LineComments {
            starred: false,
            start: None,
        };
        if markers.is_empty() {
            return none;
        }
        let trimmed = line.trim_start();
        if markers.contains(&"/*") && (trimmed.starts_with("* ") || trimmed == "*") {
            return LineComments {
                starred: true,
                start: None,
            };
        }
        let bytes = line.as_bytes();
        let end = limit.min(bytes.len());
        let mut quote: Option<u8> = None;
        let mut i = 0;
        while i < end {
            let b = bytes[i];
            match quote {
                Some(q) => {
                    if b == b'\\' {
                        i += 1;
                    } else if b == q {
                        quote = None;
                    }
                }
                None if matches!(b, b'"' | b'\'' | b'`') => quote = Some(b),
                None => {
                    // Bytes, not `&str`: `i` may sit inside a multi-byte character.
                    let rest = &bytes[i..];
                    let hit = markers.iter().any(|m| {
                        rest.starts_with(m.as_bytes())
                            && match *m {
                                // `#` starts a comment only at a word boundary
                                // (`a#b` in a URL or a colour is not one).
                                "#" | ";" => i == 0 || bytes[i - 1].is_ascii_whitespace(),
                                // `://` of an unquoted URL is not a comment.
                                "//" => i == 0 || bytes[i - 1] != b':',
                                _ => true,
                            }
                    });
                    if hit {
                        return LineComments {
                            starred: false,
                            start: Some(i),
                        };
                    }
                }
            }
            i += 1;
        }
        none
    }

    /// Whether byte `at` (at most the limit given to `new`) is in the comment.
    pub fn covers(&self, at: usize) -> bool {
        self.starred || self.start.is_some_and(|s| s < at)
    }
}

/// Hosts written as stand-ins: `yourapp.com`, `foo.bar`, `fake.com`,
/// `123.123.123` (not an address), `1.2.3.4`.
pub fn host_is_placeholder(host: &str) -> bool {
    const WORDS: &[&str] = &[
        "example",
        "examples",
        "fake",
        "dummy",
        "foo",
        "foobar",
        "bar",
        "baz",
        "qux",
        "placeholder",
        "domain",
        "hostname",
        "somehost",
        "somedomain",
        "someserver",
        "somesite",
        "mysite",
        "mydomain",
        "myserver",
        "myhost",
        "myapp",
        "mycompany",
        "acme",
        "changeme",
        "local",
    ];
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() >= 2 && labels.iter().all(|l| l.bytes().all(|b| b.is_ascii_digit())) {
        // Dotted digits that are no IPv4 address, or the classic stand-ins.
        return host.parse::<std::net::Ipv4Addr>().is_err()
            || matches!(host, "1.2.3.4" | "123.123.123.123" | "1.1.1.1.1");
    }
    if host.contains("x.x") || host.ends_with(".tld") {
        return true;
    }
    let Some(domain) = labels.len().checked_sub(2).and_then(|i| labels.get(i)) else {
        return false;
    };
    // `example2.com`, `foo1.org`: numbered stand-ins.
    let word = domain.trim_end_matches(|c: char| c.is_ascii_digit());
    let my_stand_in = domain.starts_with("my")
        && ["server", "site", "host", "domain", "app", "company"]
            .iter()
            .any(|w| domain.ends_with(w));
    WORDS.contains(&word)
        || my_stand_in
        || domain.starts_with("your")
        || labels.contains(&"example")
        || host == "foo.bar"
}

/// Text just before a URL that makes it an identifier, never fetched.
pub fn identifier_context(before: &str) -> bool {
    const CONTEXTS: &[&str] = &[
        "xmlns",
        "DOCTYPE",
        "schemaLocation",
        "$schema",
        "@context",
        "\"@type\"",
        "xml:\"",
        "rdf:about",
        "rdf:resource",
        "itemtype=",
        // An input's hint text, shown, never requested.
        "placeholder=\"",
    ];
    // One search for all of them: this runs at every URL.
    static SEARCH: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::LazyLock::new(|| aho_corasick::AhoCorasick::new(CONTEXTS).ok());
    match SEARCH.as_ref() {
        Some(ac) => ac.is_match(before),
        None => CONTEXTS.iter().any(|c| before.contains(c)),
    }
}

/// Host and path prefixes of well-known identifiers that are not on a
/// namespace-only host: RSS extensions, WebFinger relations, SAX features.
const IDENTIFIER_PREFIXES: &[&str] = &[
    "search.yahoo.com/mrss",
    "webfinger.net/rel",
    "xml.org/sax",
    "www.itunes.com/dtds",
    "www.google.com/schemas",
    "backend.userland.com/",
    "wellformedweb.org/",
];

/// `host` + `path` is one of [`IDENTIFIER_PREFIXES`].
pub fn identifier_url(host: &str, path: &str) -> bool {
    IDENTIFIER_PREFIXES.iter().any(|p| {
        let (h, rest) = p.split_once('/').unwrap_or((p, ""));
        host == h && path.trim_start_matches('/').starts_with(rest)
    })
}

/// A URL path that names a schema or namespace (`….dtd`, `….xsd`, `/ns#`).
pub fn identifier_path(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    let p = p.split(['?', ' ']).next().unwrap_or("");
    p.ends_with(".dtd")
        || p.ends_with(".xsd")
        || p.ends_with(".rdf")
        || p.ends_with('#')
        || p.contains("/ns#")
        || p.contains("/ns/")
        || p.ends_with("/ns")
}

/// A document whose URLs name things rather than locate what the code
/// fetches: JSON-LD (a `@context`) and ActivityStreams objects (`type` with
/// `actor` or `attributedTo`: ActivityPub sample payloads), and SVG images.
pub fn urls_are_identifiers(path: &str, text: &str) -> bool {
    let ext = extension(&file_name(path).to_ascii_lowercase());
    if ext == "svg" {
        return true;
    }
    if !matches!(ext.as_str(), "json" | "jsonld") {
        return false;
    }
    let head = text.get(..4096.min(text.len())).unwrap_or(text);
    head.contains("\"@context\"")
        || (head.contains("\"type\"")
            && [
                "\"actor\"",
                "\"attributedTo\"",
                "\"totalItems\"",
                "\"orderedItems\"",
            ]
            .iter()
            .any(|k| head.contains(k)))
}

/// Where a Rust file's trailing unit-test module starts (`#[cfg(test)]`
/// then `mod`), as a byte offset; URLs after it are test data.
pub fn rust_test_module_start(path: &str, text: &str) -> Option<usize> {
    if extension(file_name(path)) != "rs" {
        return None;
    }
    let mut from = 0;
    while let Some(i) = text[from..].find("#[cfg(test)]") {
        let at = from + i;
        let mut rest = text[at + "#[cfg(test)]".len()..].trim_start();
        // Other attributes may sit between (`#[expect(…)]`).
        while rest.starts_with("#[") {
            rest = rest.find('\n').map_or("", |n| rest[n..].trim_start());
        }
        if rest.starts_with("mod ") || rest.starts_with("pub mod ") {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_by_language() {
        let js = comment_markers("src/a.js");
        let line = "const a = 1; // see http";
        assert!(in_comment(line, line.len() - 4, js));
        let line = "fetch(\"http";
        assert!(!in_comment(line, line.len() - 4, js));
        let line = "const s = \"// not a comment\"; fetch(http";
        assert!(!in_comment(line, line.len() - 4, js));
        assert!(in_comment(" * http", 3, js));
        let rb = comment_markers("lib/a.rb");
        assert!(in_comment("  # link: http", 10, rb));
        assert!(!in_comment("color = \"#fff\"; get http", 20, rb));
        assert!(!in_comment("url: http", 5, comment_markers("a.md")));
        assert!(in_comment("-- see http", 7, comment_markers("db/x.sql")));
        assert!(in_comment(
            "# see http",
            6,
            comment_markers("web/.gitignore")
        ));
        // A byte order mark or other multi-byte text never panics.
        let bom = "\u{feff}// see http";
        assert!(in_comment(bom, bom.len() - 4, js));
        assert!(!in_comment("é\"ü\" x", 6, rb));
    }

    #[test]
    fn placeholders() {
        for h in [
            "123.123.123",
            "foo.bar",
            "yourapplication.com",
            "fake.com",
            "www.example.io",
            "api.mysite.org",
            "1.2.3.4",
            "example2.com",
            "mygemserver.com",
            "local.com",
        ] {
            assert!(host_is_placeholder(h), "{h}");
        }
        for h in ["api.partner.io", "8.8.8.8", "example-shop.io", "mysql.com"] {
            assert!(!host_is_placeholder(h), "{h}");
        }
    }

    #[test]
    fn identifiers() {
        assert!(identifier_context("  \"$schema\": \""));
        assert!(identifier_context("Author string `xml:\""));
        assert!(!identifier_context("url = \""));
        assert!(identifier_path("/dtds/podcast-1.0.dtd author"));
        assert!(identifier_path("/ns#"));
        assert!(!identifier_path("/api/v1"));
        assert!(urls_are_identifiers("a/b.json", "{\n \"@context\": []\n}"));
        assert!(urls_are_identifiers(
            "a/like.json",
            "{\"actor\": \"x\", \"type\": \"Like\"}"
        ));
        assert!(!urls_are_identifiers("a/b.js", "\"@context\""));
        assert!(!urls_are_identifiers("a/b.json", "{\"type\": \"x\"}"));
        assert!(identifier_url("search.yahoo.com", "/mrss/"));
        let rs = "fn a() {}\n#[cfg(test)]\nfn b() {}\n#[cfg(test)]\n#[expect(x)]\nmod tests {}\n";
        assert_eq!(rust_test_module_start("src/a.rs", rs), rs.rfind("#[cfg"));
        assert_eq!(rust_test_module_start("src/a.py", rs), None);
        assert!(!identifier_url("search.yahoo.com", "/search"));
    }
}
