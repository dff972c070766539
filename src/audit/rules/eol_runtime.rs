//! eol-runtime: Dockerfiles build on runtimes that still get security fixes
//! (checklist §5.3).

use crate::audit::date::Date;
use crate::audit::finding::Findings;
use crate::audit::rule::{
    AuditInput, ClassAction, ClassPolicy, Confidence, FileClass, Level, Rule, RuleMeta, Verdict,
};
use crate::context::Dockerfile;
use crate::model::Location;
use std::collections::BTreeMap;

crate::declare_rule!(
    EolRuntime,
    RuleMeta {
        id: "eol-runtime",
        section: "5.3",
        level: Level::Warning,
        confidence: Confidence::High,
        description: "Dockerfile base images are on a runtime version that still gets security fixes",
        applies: "when the repository has a Dockerfile",
        rationale: "Checklist §5.3: keep dependencies reasonably up to date. A runtime past its end of life gets no more security releases: every advisory published after that date stays open in the image, and the upgrade grows with each release skipped.",
        detection: "Each `FROM` image of a Dockerfile (every stage; a stage built from an earlier stage is skipped; `${VAR}` is replaced by the default of an `ARG` before the first `FROM`) that is an official image of a runtime in infra's dated table (docs/eol.md, with sources): `node`, `python`, `ruby`, `php`, `golang`, `eclipse-temurin`, `postgres` (optionally `docker.io/`, `library/` or a Docker Hub mirror in front) and `mcr.microsoft.com/dotnet/{sdk,aspnet,runtime,runtime-deps}`. The version is the tag's leading number (`18-alpine`, `3.9.18-slim`, `17.0.8_7-jre`, `8.0`) cut to the table's granularity (node, temurin, postgres ≥ 10 and dotnet ≥ 5 by major; the others by major.minor). A version whose end-of-life date is on or before today is a finding at the `FROM` line. No tag, `latest`, `lts`, a bare major where the table needs a minor (`python:3`), a digest without tag, an unresolved variable or a version the table does not list are not findings. Today is the audit's date (`SOURCE_DATE_EPOCH` when set, else the clock). Dockerfiles under test, fixture, example, vendored or generated folders are skipped.",
        fix: "move the image to a supported release line of the runtime (the table in docs/eol.md lists each line's end of life) and rebuild",
        fixed_by_init: false,
        fail_example: "FROM node:16-alpine\n# Node.js 16 reached its end of life on 2023-09-11",
        pass_example: "FROM node:24-alpine",
    }
);

/// One release line and the day it stops getting fixes.
struct Line {
    version: &'static str,
    eol: Date,
}

const fn l(version: &'static str, y: i32, m: u32, d: u32) -> Line {
    Line {
        version,
        eol: Date::new(y, m, d),
    }
}

/// A runtime of the table: its name in messages and its release lines.
struct Runtime {
    id: &'static str,
    name: &'static str,
    lines: &'static [Line],
}

/// The dated table. Every date is the end of life endoflife.date lists
/// (products/<id>.md, which cites each project's own policy page); the
/// sources and the date they were last checked are in docs/eol.md. Keep the
/// two in step.
static RUNTIMES: &[Runtime] = &[
    Runtime {
        id: "node",
        name: "Node.js",
        lines: &[
            l("10", 2021, 4, 30),
            l("12", 2022, 4, 30),
            l("14", 2023, 4, 30),
            l("15", 2021, 6, 1),
            l("16", 2023, 9, 11),
            l("17", 2022, 6, 1),
            l("18", 2025, 4, 30),
            l("19", 2023, 6, 1),
            l("20", 2026, 4, 30),
            l("21", 2024, 6, 1),
            l("22", 2027, 4, 30),
            l("23", 2025, 6, 1),
            l("24", 2028, 4, 30),
        ],
    },
    Runtime {
        id: "python",
        name: "Python",
        lines: &[
            l("2.7", 2020, 1, 1),
            l("3.6", 2021, 12, 23),
            l("3.7", 2023, 6, 27),
            l("3.8", 2024, 10, 7),
            l("3.9", 2025, 10, 31),
            l("3.10", 2026, 10, 31),
            l("3.11", 2027, 10, 31),
            l("3.12", 2028, 10, 31),
            l("3.13", 2029, 10, 31),
        ],
    },
    Runtime {
        id: "ruby",
        name: "Ruby",
        lines: &[
            l("2.5", 2021, 3, 31),
            l("2.6", 2022, 3, 31),
            l("2.7", 2023, 3, 31),
            l("3.0", 2024, 4, 23),
            l("3.1", 2025, 3, 26),
            l("3.2", 2026, 3, 31),
            l("3.3", 2027, 3, 31),
            l("3.4", 2028, 3, 31),
        ],
    },
    Runtime {
        id: "php",
        name: "PHP",
        lines: &[
            l("7.2", 2020, 11, 30),
            l("7.3", 2021, 12, 6),
            l("7.4", 2022, 11, 28),
            l("8.0", 2023, 11, 26),
            l("8.1", 2025, 12, 31),
            l("8.2", 2026, 12, 31),
            l("8.3", 2027, 12, 31),
            l("8.4", 2028, 12, 31),
        ],
    },
    Runtime {
        id: "go",
        name: "Go",
        lines: &[
            l("1.18", 2023, 2, 1),
            l("1.19", 2023, 9, 6),
            l("1.20", 2024, 2, 6),
            l("1.21", 2024, 8, 13),
            l("1.22", 2025, 2, 11),
            l("1.23", 2025, 8, 12),
            l("1.24", 2026, 2, 10),
        ],
    },
    Runtime {
        id: "eclipse-temurin",
        name: "Eclipse Temurin (Java)",
        lines: &[
            l("8", 2030, 12, 31),
            l("11", 2027, 10, 31),
            l("16", 2021, 9, 30),
            l("17", 2027, 10, 31),
            l("18", 2022, 9, 30),
            l("19", 2023, 3, 31),
            l("20", 2023, 9, 19),
            l("21", 2029, 12, 31),
            l("22", 2024, 9, 17),
            l("23", 2025, 3, 18),
        ],
    },
    Runtime {
        id: "dotnet",
        name: ".NET",
        lines: &[
            l("3.1", 2022, 12, 13),
            l("5", 2022, 5, 10),
            l("6", 2024, 11, 12),
            l("7", 2024, 5, 14),
            l("8", 2026, 11, 10),
            l("9", 2026, 11, 10),
            l("10", 2028, 11, 14),
        ],
    },
    Runtime {
        id: "postgresql",
        name: "PostgreSQL",
        lines: &[
            l("9.6", 2021, 11, 11),
            l("10", 2022, 11, 10),
            l("11", 2023, 11, 9),
            l("12", 2024, 11, 21),
            l("13", 2025, 11, 13),
            l("14", 2026, 11, 12),
            l("15", 2027, 11, 11),
            l("16", 2028, 11, 9),
            l("17", 2029, 11, 8),
        ],
    },
];

/// The runtime an image reference is the official image of, and its tag.
/// `docker.io/library/node:18-alpine@sha256:…` → (`node`, `18-alpine`).
fn runtime_of(image: &str) -> Option<(&'static Runtime, &str)> {
    let reference = image.split('@').next().unwrap_or(image);
    let (repo, tag) = match reference.rfind(':') {
        // A `:` before the last `/` is a registry port, not a tag.
        Some(i) if !reference[i..].contains('/') => (&reference[..i], &reference[i + 1..]),
        _ => return None,
    };
    let lower = repo.to_ascii_lowercase();
    let mut name = lower.as_str();
    for prefix in [
        "docker.io/",
        "index.docker.io/",
        "registry-1.docker.io/",
        "mirror.gcr.io/",
        "public.ecr.aws/docker/",
    ] {
        name = name.strip_prefix(prefix).unwrap_or(name);
    }
    name = name.strip_prefix("library/").unwrap_or(name);
    let id = match name {
        "node" => "node",
        "python" => "python",
        "ruby" => "ruby",
        "php" => "php",
        "golang" => "go",
        "eclipse-temurin" => "eclipse-temurin",
        "postgres" => "postgresql",
        "mcr.microsoft.com/dotnet/sdk"
        | "mcr.microsoft.com/dotnet/aspnet"
        | "mcr.microsoft.com/dotnet/runtime"
        | "mcr.microsoft.com/dotnet/runtime-deps"
        | "mcr.microsoft.com/dotnet/core/sdk"
        | "mcr.microsoft.com/dotnet/core/aspnet"
        | "mcr.microsoft.com/dotnet/core/runtime" => "dotnet",
        _ => return None,
    };
    RUNTIMES.iter().find(|r| r.id == id).map(|r| (r, tag))
}

/// The release line a tag names, at the table's granularity: `None` for
/// tags that name no version (`latest`, `lts-alpine`, `alpine3.19`) or not
/// precisely enough (`python:3`).
fn release_line(runtime: &Runtime, tag: &str) -> Option<String> {
    let digits_end = tag
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(tag.len());
    // The number must end the tag or be followed by a variant (`-slim`, `_7`).
    if digits_end < tag.len() && !tag[digits_end..].starts_with(['-', '_']) {
        return None;
    }
    let parts: Vec<&str> = tag[..digits_end]
        .split('.')
        .take_while(|p| !p.is_empty())
        .collect();
    let major: u32 = parts.first()?.parse().ok()?;
    let minor = parts.get(1).and_then(|m| m.parse::<u32>().ok());
    let by_major = match runtime.id {
        "node" | "eclipse-temurin" => true,
        "postgresql" => major >= 10,
        "dotnet" => major >= 5,
        _ => false,
    };
    if by_major {
        Some(major.to_string())
    } else {
        minor.map(|m| format!("{major}.{m}"))
    }
}

/// `${NAME}`, `$NAME` and `${NAME:-x}` replaced from `args`; `None` when a
/// variable has no value.
fn substitute(text: &str, args: &BTreeMap<String, String>) -> Option<String> {
    if !text.contains('$') {
        return Some(text.to_string());
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, default, used) = if let Some(inner) = after.strip_prefix('{') {
            let end = inner.find('}')?;
            let body = &inner[..end];
            let (name, default) = match body.split_once(":-") {
                Some((n, d)) => (n, Some(d)),
                None => (body, None),
            };
            (name, default, end + 2)
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], None, end)
        };
        let value = args
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
            .or(default)?;
        out.push_str(value);
        rest = &after[used..];
    }
    out.push_str(rest);
    Some(out)
}

/// Today's verdict on one image: the runtime, the line and its end of life,
/// when that day has come.
fn end_of_life(image: &str, today: Date) -> Option<(&'static Runtime, String, Date)> {
    let (runtime, tag) = runtime_of(image)?;
    let line = release_line(runtime, tag)?;
    let entry = runtime.lines.iter().find(|l| l.version == line)?;
    (entry.eol <= today).then_some((runtime, line, entry.eol))
}

impl Rule for EolRuntime {
    fn class_policy(&self) -> ClassPolicy {
        &[
            (FileClass::Test, ClassAction::Skip),
            (FileClass::Fixture, ClassAction::Skip),
            (FileClass::Example, ClassAction::Skip),
            (FileClass::Vendored, ClassAction::Skip),
            (FileClass::Generated, ClassAction::Skip),
        ]
    }

    fn repository(&self, input: &AuditInput<'_>, _out: &mut Findings<'_>) -> Verdict {
        if input.ctx.containers.is_empty() {
            return Verdict::NotApplicable("no Dockerfile".into());
        }
        Verdict::Skipped
    }

    fn dockerfile(
        &self,
        input: &AuditInput<'_>,
        dockerfile: &Dockerfile,
        out: &mut Findings<'_>,
    ) -> Verdict {
        let Some(text) = input.ctx.texts.get(&dockerfile.path) else {
            return Verdict::Unknown(format!("{} was not read", dockerfile.path));
        };
        let doc = crate::parse::dockerfile::parse(text);
        // `ARG NAME=value` before the first FROM: what FROM lines may use.
        let mut args: BTreeMap<String, String> = BTreeMap::new();
        for i in doc.preamble.iter().filter(|i| i.keyword == "ARG") {
            for word in i.args.split_whitespace() {
                let (name, value) = word.split_once('=').unwrap_or((word, ""));
                let value = value.trim_matches(['"', '\'']);
                args.insert(name.to_string(), value.to_string());
            }
        }
        for stage in doc
            .stages
            .iter()
            .filter(|s| !s.from_stage && !s.from.is_empty())
        {
            let Some(image) = substitute(&stage.from, &args) else {
                continue;
            };
            // A variable can name an earlier stage.
            let lower = image.to_ascii_lowercase();
            if doc
                .stages
                .iter()
                .any(|s| s.line < stage.line && s.alias.as_deref() == Some(lower.as_str()))
            {
                continue;
            }
            let Some((runtime, line, eol)) = end_of_life(&image, input.today) else {
                continue;
            };
            let via = if image == stage.from {
                String::new()
            } else {
                format!(" (`{}` with the ARG defaults)", stage.from)
            };
            out.add(format!(
                "`FROM {image}`{via} is {} {line}, which reached its end of life on {eol}",
                runtime.name
            ))
            .at(Location::new(&dockerfile.path, stage.line, 1))
            .fix(format!(
                "move to a supported {} release line and rebuild (docs/eol.md lists each line's end of life)",
                runtime.name
            ))
            .key(format!("{} {line}", runtime.id))
            .emit();
        }
        Verdict::Checked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date::new(2026, 12, 3);

    fn eol(image: &str) -> Option<String> {
        end_of_life(image, TODAY).map(|(r, l, d)| format!("{} {l} {d}", r.id))
    }

    #[test]
    fn images_and_tags() {
        assert_eq!(eol("node:16-alpine").as_deref(), Some("node 16 2023-09-11"));
        assert_eq!(
            eol("docker.io/library/node:18.20.4-bookworm-slim").as_deref(),
            Some("node 18 2025-04-30")
        );
        assert_eq!(
            eol("python:3.9.18-slim@sha256:abc").as_deref(),
            Some("python 3.9 2025-10-31")
        );
        assert_eq!(
            eol("public.ecr.aws/docker/library/golang:1.21-alpine").as_deref(),
            Some("go 1.21 2024-08-13")
        );
        assert_eq!(
            eol("eclipse-temurin:19.0.2_7-jre").as_deref(),
            Some("eclipse-temurin 19 2023-03-31")
        );
        assert_eq!(
            eol("mcr.microsoft.com/dotnet/aspnet:6.0").as_deref(),
            Some("dotnet 6 2024-11-12")
        );
        assert_eq!(
            eol("mcr.microsoft.com/dotnet/core/sdk:3.1").as_deref(),
            Some("dotnet 3.1 2022-12-13")
        );
        assert_eq!(
            eol("postgres:9.6-alpine").as_deref(),
            Some("postgresql 9.6 2021-11-11")
        );
        assert_eq!(eol("php:8.0-fpm").as_deref(), Some("php 8.0 2023-11-26"));
        assert_eq!(eol("ruby:2.7.8").as_deref(), Some("ruby 2.7 2023-03-31"));
        // The day of the end of life is past support.
        assert!(end_of_life("postgres:14", Date::new(2026, 11, 12)).is_some());
        assert!(end_of_life("postgres:14", Date::new(2026, 11, 11)).is_none());
        for image in [
            "node:24-alpine",
            "node",
            "node:latest",
            "node:lts-alpine",
            "python:3",
            "python:3-slim",
            "python:3.13",
            "golang:1.21rc2",
            "node@sha256:abc",
            "bitnami/node:16",
            "registry.example.com:5000/node",
            "ruby:alpine3.19",
            "eclipse-temurin:21-jdk",
            "php:8.4-apache",
            "golang:1.26",
        ] {
            assert_eq!(eol(image), None, "{image}");
        }
    }

    #[test]
    fn arg_defaults() {
        let mut args = BTreeMap::new();
        args.insert("NODE_VERSION".to_string(), "16".to_string());
        assert_eq!(
            substitute("node:${NODE_VERSION}-alpine", &args).as_deref(),
            Some("node:16-alpine")
        );
        assert_eq!(
            substitute("node:$NODE_VERSION", &args).as_deref(),
            Some("node:16")
        );
        assert_eq!(
            substitute("python:${PY:-3.8}-slim", &args).as_deref(),
            Some("python:3.8-slim")
        );
        assert_eq!(substitute("python:${PY}", &args), None);
    }

    #[test]
    fn the_table_is_in_order_and_documented() {
        let doc = include_str!("../../../docs/eol.md");
        for r in RUNTIMES {
            for line in r.lines {
                let row = format!("| {} | {} | {} |", r.name, line.version, line.eol);
                assert!(doc.contains(&row), "docs/eol.md lacks the row `{row}`");
            }
        }
    }
}
