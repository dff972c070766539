//! File classes: what a file is *for* (generated, vendored, minified,
//! translation, docs, licence, test, fixture, example), as opposed to its
//! format ([`super::kind`]). Line rules declare per class whether they skip,
//! demote or check a file; the audit applies that in one place.
//!
//! Path classes come from the name alone ([`of_path`]); the content signals
//! (a "generated, do not edit" header, minified code, a JSON catalog of
//! prose) are decided in the walk from the text it already read
//! ([`of_file`]), never a second read.

use super::text::{extension, file_name};
use serde::{Serialize, Serializer};

/// One class. A file may have several (`tests/fixtures/x.min.js`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u16)]
pub enum FileClass {
    /// Written by a tool: a "generated … do not edit" header, `*_gen.*`,
    /// `*.pb.go`, `*.generated.*`, `cue.mod/gen/`, lockfiles, source maps, logs.
    Generated = 1 << 0,
    /// Someone else's code copied in: `vendor/`, `third_party/`, `wwwroot/lib/`, …
    Vendored = 1 << 1,
    /// `*.min.js`, `*.min.css`, or JS/CSS with very long, dense lines.
    Minified = 1 << 2,
    /// Locale folders and message catalogs (`locales/`, `i18n/`, `*.po`,
    /// JSON whose values are prose).
    Translation = 1 << 3,
    /// Prose: Markdown, reStructuredText, AsciiDoc, and `docs/`, `guides/`.
    Docs = 1 << 4,
    /// LICENSE, COPYING, NOTICE, CODE_OF_CONDUCT, CONTRIBUTING, CHANGELOG, …
    Licence = 1 << 5,
    /// Test code: `tests/`, `spec/`, `*_test.go`, `*.spec.ts`, …
    Test = 1 << 6,
    /// Test data: `fixtures/`, `testdata/`, `__snapshots__/`, VCR cassettes.
    Fixture = 1 << 7,
    /// `examples/`, `samples/`.
    Example = 1 << 8,
}

impl FileClass {
    pub const ALL: [FileClass; 9] = [
        FileClass::Generated,
        FileClass::Vendored,
        FileClass::Minified,
        FileClass::Translation,
        FileClass::Docs,
        FileClass::Licence,
        FileClass::Test,
        FileClass::Fixture,
        FileClass::Example,
    ];

    /// The id shown in reports, `infra explain` and `infra context`.
    pub fn id(self) -> &'static str {
        match self {
            FileClass::Generated => "generated",
            FileClass::Vendored => "vendored",
            FileClass::Minified => "minified",
            FileClass::Translation => "translation",
            FileClass::Docs => "docs",
            FileClass::Licence => "licence",
            FileClass::Test => "test",
            FileClass::Fixture => "fixture",
            FileClass::Example => "example",
        }
    }
}

impl std::fmt::Display for FileClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for FileClass {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// The set of classes of one file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Classes(u16);

impl Classes {
    pub fn has(self, class: FileClass) -> bool {
        self.0 & class as u16 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn with(self, class: FileClass, yes: bool) -> Classes {
        if yes {
            Classes(self.0 | class as u16)
        } else {
            self
        }
    }

    pub fn iter(self) -> impl Iterator<Item = FileClass> {
        FileClass::ALL.into_iter().filter(move |c| self.has(*c))
    }
}

impl Serialize for Classes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

const TEST_DIRS: &[&str] = &["test", "tests", "__tests__", "spec", "specs", "__mocks__"];
const FIXTURE_DIRS: &[&str] = &[
    "fixtures",
    "fixture",
    "__fixtures__",
    "testdata",
    "test-data",
    "test_data",
    "__snapshots__",
    "cassettes",
    "vcr_cassettes",
];
const EXAMPLE_DIRS: &[&str] = &["examples", "example", "samples", "sample"];
const VENDOR_DIRS: &[&str] = &[
    "vendor",
    "vendors",
    "third_party",
    "third-party",
    "thirdparty",
    "node_modules",
    "bower_components",
];
const TRANSLATION_DIRS: &[&str] = &[
    "locale",
    "locales",
    "i18n",
    "l10n",
    "lang",
    "langs",
    "intl",
    "translations",
];
const DOC_DIRS: &[&str] = &["docs", "doc", "guides", "documentation"];

/// Classes `path` (relative, `/`-separated) has by name alone.
pub fn of_path(path: &str) -> Classes {
    let name = file_name(path);
    let lower = name.to_ascii_lowercase();
    let ext = extension(&lower);
    let dirs: Vec<&str> = path.split('/').rev().skip(1).collect();
    let in_dir = |set: &[&str]| dirs.iter().any(|d| set.contains(d));
    let stem = lower.split('.').next().unwrap_or(&lower);
    let test_file = lower.contains(".test.")
        || lower.contains(".spec.")
        || stem.ends_with("_test")
        || stem.ends_with("_spec")
        || (stem.starts_with("test_") && ext == "py");
    let generated = stem.ends_with("_gen")
        || lower.contains("_gen.")
        || lower.ends_with(".pb.go")
        || lower.contains(".generated.")
        || lower.contains(".g.dart")
        || path.contains("cue.mod/gen/")
        || is_lockfile(path)
        || matches!(ext.as_str(), "map" | "log");
    let vendored =
        in_dir(VENDOR_DIRS) || path.contains("wwwroot/lib/") || path.contains("static/vendor/");
    let minified = lower.ends_with(".min.js")
        || lower.ends_with(".min.css")
        || lower.ends_with(".min.mjs")
        || lower.ends_with("-min.js");
    let translation =
        in_dir(TRANSLATION_DIRS) || matches!(ext.as_str(), "po" | "pot" | "mo" | "xliff" | "xlf");
    let docs = in_dir(DOC_DIRS)
        || matches!(
            ext.as_str(),
            "md" | "markdown" | "mdx" | "rst" | "adoc" | "asciidoc"
        );
    let licence = matches!(
        stem.to_ascii_uppercase().as_str(),
        "LICENSE"
            | "LICENCE"
            | "COPYING"
            | "NOTICE"
            | "CODE_OF_CONDUCT"
            | "CONTRIBUTING"
            | "CHANGELOG"
            | "CHANGES"
            | "HISTORY"
            | "AUTHORS"
    );
    Classes::default()
        .with(FileClass::Generated, generated)
        .with(FileClass::Vendored, vendored)
        .with(FileClass::Minified, minified)
        .with(FileClass::Translation, translation)
        .with(FileClass::Docs, docs)
        .with(FileClass::Licence, licence)
        .with(FileClass::Test, test_file || in_dir(TEST_DIRS))
        .with(FileClass::Fixture, in_dir(FIXTURE_DIRS))
        .with(
            FileClass::Example,
            in_dir(EXAMPLE_DIRS) || is_example_name(&lower),
        )
}

/// `.env.example`, `varsfile.sample`, `config.example.yml`,
/// `settings.py.dist`: a file that shows what to write, not what is used.
fn is_example_name(lower: &str) -> bool {
    const MARKS: [&str; 4] = ["example", "sample", "dist", "template"];
    let mut parts = lower.split('.').skip(1);
    let last = lower.rsplit('.').next().unwrap_or("");
    // The last part anywhere, `example`/`sample` also in the middle.
    (lower.contains('.') && MARKS.contains(&last)) || parts.any(|p| p == "example" || p == "sample")
}

/// Classes of a file whose text the walk has read: [`of_path`] plus the
/// generated header and minified code.
pub fn of_file(path: &str, text: &str) -> Classes {
    let classes = of_path(path);
    classes
        .with(FileClass::Generated, has_generated_header(text))
        .with(
            FileClass::Minified,
            !classes.has(FileClass::Minified) && looks_minified(path, text),
        )
        .with(
            FileClass::Translation,
            !classes.has(FileClass::Translation) && looks_like_message_catalog(path, text),
        )
}

/// A JSON message catalog outside a locale folder (`src/messages/de.json`):
/// most of its `"key": "value"` lines (of the first 200) hold prose. A file named like a locale
/// (`de.json`, `pt-BR.json`) needs half of them, any other JSON four in five
/// of at least twenty, so config files with a few sentences stay config.
fn looks_like_message_catalog(path: &str, text: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    let Some(stem) = name.strip_suffix(".json") else {
        return false;
    };
    let (mut pairs, mut prose) = (0usize, 0usize);
    // A catalog shows itself in its first entries: read at most 200 lines.
    for line in text.lines().take(200) {
        let Some(value) = string_value(line.trim()) else {
            continue;
        };
        pairs += 1;
        prose += usize::from(is_prose(value));
    }
    if looks_like_locale(stem) {
        pairs >= 5 && 2 * prose >= pairs
    } else {
        pairs >= 20 && 5 * prose >= 4 * pairs
    }
}

/// The value of a one-line `"key": "value",`, if the line is one.
fn string_value(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('"')?;
    let (_, value) = rest.split_once("\": \"")?;
    let value = value.strip_suffix(',').unwrap_or(value);
    value.strip_suffix('"')
}

/// Words a person reads: a space between letters, or letters outside ASCII
/// (`Berechtigungs-Code` alone is one word, `Zugriff verweigert` is prose).
fn is_prose(v: &str) -> bool {
    if v.contains("://") || v.starts_with('/') {
        return false;
    }
    let letters = v.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2 && (v.contains(' ') || v.chars().any(|c| c.is_alphabetic() && !c.is_ascii()))
}

/// `de`, `en-us`, `pt_br`, `zh-hans`: a language code, maybe with a region
/// or script.
fn looks_like_locale(stem: &str) -> bool {
    let mut parts = stem.splitn(2, ['-', '_']);
    let lang = parts.next().unwrap_or("");
    let region = parts.next().unwrap_or("");
    lang.len() == 2
        && lang.chars().all(|c| c.is_ascii_lowercase())
        && (region.is_empty()
            || ((2..=4).contains(&region.len()) && region.chars().all(|c| c.is_ascii_alphabetic())))
}

/// How many leading lines may hold a "generated" header.
const HEADER_LINES: usize = 5;

/// `// Code generated by protoc-gen-go. DO NOT EDIT.`, `# @generated`,
/// `/* This file was automatically generated; do not edit */` …
pub fn has_generated_header(text: &str) -> bool {
    // Only the first lines, and no copy of them: this runs on every file.
    let end = memchr::memchr_iter(b'\n', text.as_bytes())
        .nth(HEADER_LINES - 1)
        .unwrap_or(text.len());
    let head = &text.as_bytes()[..end];
    let has = |needle: &[u8]| {
        head.windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    };
    if !has(b"generated") {
        return false;
    }
    text[..end].lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.contains("@generated")
            || (l.contains("generated")
                && (l.contains("do not edit")
                    || l.contains("don't edit")
                    || l.contains("do not modify")))
    })
}

/// JS/CSS whose lines average over 300 characters, or with one line over
/// 2,000 characters and almost no whitespace: a bundler's output.
fn looks_minified(path: &str, text: &str) -> bool {
    let ext = extension(&file_name(path).to_ascii_lowercase());
    if !matches!(ext.as_str(), "js" | "mjs" | "cjs" | "css") || text.len() < 1000 {
        return false;
    }
    // `text.lines().count()`, counted with memchr.
    let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    let lines = (newlines + usize::from(!text.ends_with('\n'))).max(1);
    if text.len() / lines > 300 {
        return true;
    }
    text.lines().any(|l| {
        l.len() > 2000 && {
            let ws = l.bytes().filter(u8::is_ascii_whitespace).count();
            ws * 20 < l.len()
        }
    })
}

/// Test code or test data: reported one level lower by the secret rules.
pub fn is_test_path(path: &str) -> bool {
    let c = of_path(path);
    c.has(FileClass::Test) || c.has(FileClass::Fixture)
}

/// Lockfiles hold integrity hashes and checksums, never secrets.
pub fn is_lockfile(path: &str) -> bool {
    matches!(
        file_name(path),
        "package-lock.json"
            | "npm-shrinkwrap.json"
            | "yarn.lock"
            | "pnpm-lock.yaml"
            | "bun.lock"
            | "Cargo.lock"
            | "go.sum"
            | "poetry.lock"
            | "Pipfile.lock"
            | "uv.lock"
            | "pdm.lock"
            | "composer.lock"
            | "Gemfile.lock"
            | "packages.lock.json"
            | "gradle.lockfile"
            | "mix.lock"
            | "pubspec.lock"
            | "Podfile.lock"
            | "flake.lock"
            | "Package.resolved"
            | ".terraform.lock.hcl"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use FileClass::*;

    fn has(path: &str, class: FileClass) -> bool {
        of_path(path).has(class)
    }

    #[test]
    fn path_classes() {
        assert!(has("api/user_gen.go", Generated));
        assert!(has("api/v1/user.pb.go", Generated));
        assert!(has("web/schema.generated.ts", Generated));
        assert!(has("cue.mod/gen/k8s.io/api/core.cue", Generated));
        assert!(has("web/package-lock.json", Generated));
        assert!(has("logs/nginx.log", Generated));
        assert!(has("pkg/vendor/x/y.go", Vendored));
        assert!(has("src/wwwroot/lib/jquery/jquery.js", Vendored));
        assert!(has("assets/app.min.js", Minified));
        assert!(has("config/locales/fr.yml", Translation));
        assert!(has("po/de.po", Translation));
        assert!(has("docs/setup.txt", Docs));
        assert!(has("guides/source/intro.md", Docs));
        assert!(has("pkg/README.md", Docs));
        assert!(has("LICENSE", Licence));
        assert!(has("CODE_OF_CONDUCT.md", Licence));
        assert!(has("tests/fixtures/a.env", Test) && has("tests/fixtures/a.env", Fixture));
        assert!(has("spec/__snapshots__/a.snap", Fixture));
        assert!(has("examples/basic/main.tf", Example));
        for p in [
            "backend/.env.example",
            "varsfile.sample",
            "config/app.example.yml",
            "settings.py.dist",
            ".env.template",
        ] {
            assert!(has(p, Example), "{p}");
        }
        for p in [
            "src/example.rs",
            "sample.go",
            ".env",
            "app.yml",
            "docs/distribution.md",
        ] {
            assert!(!has(p, Example), "{p}");
        }
        assert!(of_path("src/main.rs").is_empty());
        assert!(!has("src/language.rs", Translation));
    }

    #[test]
    fn json_of_prose_is_a_message_catalog() {
        let entries = |n: usize, v: &str| {
            let body: Vec<String> = (0..n).map(|i| format!("  \"k{i}\": \"{v}\",")).collect();
            format!("{{\n{}\n}}\n", body.join("\n"))
        };
        let prose = entries(6, "Zugriff verweigert");
        let catalog = |path: &str, text: &str| of_file(path, text).has(FileClass::Translation);
        assert!(catalog("src/messages/de.json", &prose));
        assert!(catalog("web/pt-BR.json", &prose));
        // Not named like a locale: needs twenty prose entries.
        assert!(!catalog("src/config/app.json", &prose));
        assert!(catalog(
            "src/strings.json",
            &entries(25, "Sign in to continue")
        ));
        // Config values are not prose.
        assert!(!catalog("src/de.json", &entries(8, "postgres")));
        assert!(!catalog(
            "src/de.json",
            &entries(8, "https://api.example.com/v1 x")
        ));
        assert!(!catalog("src/de.yaml", &prose));
        assert!(!has("src/generator.go", Generated));
    }

    #[test]
    fn content_classes() {
        let gen = "// Code generated by protoc-gen-go. DO NOT EDIT.\npackage x\n";
        assert!(of_file("api/x.go", gen).has(Generated));
        assert!(!of_file("api/x.go", "package x\n// generated maps\n").has(Generated));
        let dense = format!("var a={};", "b:1,".repeat(600));
        assert!(of_file("public/app.js", &dense).has(Minified));
        let normal = "function a() {\n  return 1;\n}\n".repeat(100);
        assert!(!of_file("public/app.js", &normal).has(Minified));
    }

    #[test]
    fn test_paths() {
        assert!(is_test_path("tests/fixtures/a.env"));
        assert!(is_test_path("src/__tests__/a.js"));
        assert!(is_test_path("pkg/a_test.go"));
        assert!(is_test_path("web/a.spec.ts"));
        assert!(is_test_path("pkg/testdata/x.json"));
        assert!(!is_test_path("src/testing.rs"));
        assert!(!is_test_path("config/prod.yml"));
    }

    #[test]
    fn serialises_as_ids() {
        let c = of_path("tests/fixtures/a.md");
        let json = serde_json::to_string(&c).unwrap_or_default();
        assert_eq!(json, r#"["docs","test","fixture"]"#);
    }
}
