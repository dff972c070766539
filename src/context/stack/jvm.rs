//! The JVM: Maven `pom.xml` and Gradle `build.gradle(.kts)` (dependencies,
//! Spring Boot), and the wrapper-aware build and test commands CI runs.

use super::formats::dep;
use super::{has, CommandContext, Ecosystem, Features, Manifest};
use crate::context::facts::Facts;
use crate::context::model::{Stack, StackCommands};
use crate::source::text::{file_name, re, LineIndex};
use regex::Regex;
use std::sync::LazyLock;

pub static ECOSYSTEM: Ecosystem = Ecosystem {
    id: "java",
    manifest,
    parse,
    lockfiles: &[],
    default_package_manager: None,
    framework,
    commands,
    label: |_| "Java",
    version_files: &[],
    dependabot,
    vulnerability_scan: |_, _| None,
};

fn manifest(name: &str) -> Option<u8> {
    match name {
        "pom.xml" => Some(0),
        "build.gradle" | "build.gradle.kts" => Some(1),
        _ => None,
    }
}

fn parse(path: &str, text: &str, m: Manifest, _: &mut Facts, _: &mut Features) -> Option<Manifest> {
    Some(if file_name(path) == "pom.xml" {
        pom(text, m)
    } else {
        gradle(text, m)
    })
}

fn dependabot(s: &Stack) -> Option<&'static str> {
    Some(if s.package_manager.as_deref() == Some("gradle") {
        "gradle"
    } else {
        "maven"
    })
}

static POM_DEP: LazyLock<Regex> = LazyLock::new(|| re(r"(?s)<dependency>(.*?)</dependency>"));
static POM_PARENT: LazyLock<Regex> = LazyLock::new(|| re(r"(?s)<parent>(.*?)</parent>"));
static XML_COMMENT: LazyLock<Regex> = LazyLock::new(|| re(r"(?s)<!--.*?-->"));
static POM_GROUP: LazyLock<Regex> = LazyLock::new(|| re(r"<groupId>\s*([^<\s]+)\s*</groupId>"));
static POM_ARTIFACT: LazyLock<Regex> =
    LazyLock::new(|| re(r"<artifactId>\s*([^<\s]+)\s*</artifactId>"));
static POM_VERSION: LazyLock<Regex> = LazyLock::new(|| re(r"<version>\s*([^<\s]+)\s*</version>"));
static POM_SCOPE: LazyLock<Regex> = LazyLock::new(|| re(r"<scope>\s*test\s*</scope>"));

fn pom(text: &str, mut m: Manifest) -> Manifest {
    // Blank out comments, keeping offsets (and so line numbers) intact.
    let cleaned = XML_COMMENT.replace_all(text, |c: &regex::Captures<'_>| {
        c[0].chars()
            .map(|ch| if ch == '\n' { '\n' } else { ' ' })
            .collect::<String>()
    });
    let idx = LineIndex::new(&cleaned);
    let without_parent =
        POM_PARENT.replace(&cleaned, |c: &regex::Captures<'_>| " ".repeat(c[0].len()));
    let head_end = without_parent
        .find("<dependencies>")
        .unwrap_or(without_parent.len());
    m.name = POM_ARTIFACT
        .captures(&without_parent[..head_end])
        .map(|c| c[1].to_string());
    for block in POM_DEP.captures_iter(&cleaned) {
        let Some(body) = block.get(1) else { continue };
        let group = POM_GROUP.captures(body.as_str()).map(|c| c[1].to_string());
        let Some(artifact) = POM_ARTIFACT.captures(body.as_str()) else {
            continue;
        };
        let version = POM_VERSION
            .captures(body.as_str())
            .map(|c| c[1].to_string());
        let dev = POM_SCOPE.is_match(body.as_str());
        let name = match group {
            Some(g) => format!("{g}:{}", &artifact[1]),
            None => artifact[1].to_string(),
        };
        let offset = body.start() + artifact.get(0).map_or(0, |a| a.start());
        m.dependencies
            .push(dep(&name, version, dev, idx.line(offset)));
    }
    m.build_tool = Some("maven".to_string());
    m.package_manager = Some("maven".to_string());
    m
}

static GRADLE_DEP: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"^\s*(implementation|api|compileOnly|runtimeOnly|testImplementation|testRuntimeOnly|testCompileOnly|developmentOnly|annotationProcessor|kapt|ksp)\s*\(?\s*["']([^"':\s]+):([^"':\s]+)(?::([^"'\s]+))?["']"#,
    )
});
static GRADLE_SPRING: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?m)^\s*id\s*\(?\s*["']org\.springframework\.boot["']"#));

fn gradle(text: &str, mut m: Manifest) -> Manifest {
    for (i, line) in text.lines().enumerate() {
        if let Some(c) = GRADLE_DEP.captures(line) {
            let dev = c[1].starts_with("test");
            let name = format!("{}:{}", &c[2], &c[3]);
            m.dependencies.push(dep(
                &name,
                c.get(4).map(|v| v.as_str().to_string()),
                dev,
                i as u32 + 1,
            ));
        }
    }
    if let Some(found) = GRADLE_SPRING.find(text) {
        let line = text[..found.start()].matches('\n').count() as u32 + 1;
        m.dependencies
            .push(dep("org.springframework.boot", None, false, line));
    }
    m.build_tool = Some("gradle".to_string());
    m.package_manager = Some("gradle".to_string());
    m
}


fn framework(n: &str) -> Option<&'static str> {
    Some({
            if n.starts_with("org.springframework.boot") {
                "spring-boot"
            } else {
                return None;
            }
        })
}

fn commands(c: &CommandContext<'_>) -> StackCommands {
    {
            if c.tools == "maven" || c.manifest == "pom.xml" {
                let mvn = if has(c.files, c.dir, "mvnw") {
                    "./mvnw"
                } else {
                    "mvn"
                };
                StackCommands {
                    install: None,
                    build: Some(format!("{mvn} -B package -DskipTests")),
                    lint: None,
                    typecheck: None,
                    test: Some(format!("{mvn} -B test")),
                }
            } else {
                let gradle = if has(c.files, c.dir, "gradlew") {
                    "./gradlew"
                } else {
                    "gradle"
                };
                StackCommands {
                    install: None,
                    build: Some(format!("{gradle} build -x test")),
                    lint: None,
                    typecheck: None,
                    test: Some(format!("{gradle} test")),
                }
            }
        }
}

