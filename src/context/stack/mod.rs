//! Language ecosystems: one file per ecosystem says which manifests are its
//! own, how to read them, which frameworks and package managers it knows,
//! the commands CI runs for it, and its Dependabot ecosystem. This file merges
//! the manifests of one folder into [`Stack`]s and holds the one list of
//! ecosystems (adding one: a file here and a line in `ecosystems!`).

mod formats;

use super::facts::{Fact, Facts};
use super::model::{Dependency, Evidence, Stack, StackCommands};
use super::services;
use crate::model::Location;
use crate::source::text::{file_name, parent};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// Service evidence a manifest finds beyond its dependency names (features, extras).
pub type Features = Vec<(&'static str, Evidence)>;

/// The scan a stack's CI job runs, given whether a file next to its manifest exists.
pub type VulnerabilityScan = fn(&Stack, &dyn Fn(&str) -> bool) -> Option<String>;

/// What one ecosystem knows. One `static ECOSYSTEM` per ecosystem file.
pub struct Ecosystem {
    /// Stable id, as `infra context` prints it (`node`, `java`, …).
    pub id: &'static str,
    /// The rank of a manifest file name this ecosystem reads (lower names the
    /// stack when several share a folder), or `None` when it is not one.
    pub manifest: fn(name: &str) -> Option<u8>,
    /// Read one manifest; `None` when it cannot be read (a problem was recorded).
    pub parse: fn(&str, &str, Manifest, &mut Facts, &mut Features) -> Option<Manifest>,
    /// Lockfile name ⇒ the package manager it proves, in order of preference.
    pub lockfiles: &'static [(&'static str, &'static str)],
    pub default_package_manager: Option<&'static str>,
    /// A framework a (lower-cased) dependency name is.
    pub framework: fn(&str) -> Option<&'static str>,
    /// The commands CI runs, only those the project has adopted.
    pub commands: fn(&CommandContext<'_>) -> StackCommands,
    /// How docs and workflows name the stack (`TypeScript`, `Python`).
    pub label: fn(&Stack) -> &'static str,
    /// Files next to the manifest that pin the toolchain version.
    pub version_files: &'static [&'static str],
    /// The Dependabot `package-ecosystem` for this stack.
    pub dependabot: fn(&Stack) -> Option<&'static str>,
    /// The pinned dependency vulnerability scan a rendered CI job runs after
    /// installing, given whether a file next to the manifest exists; `None`
    /// when infra knows no scan it can run for this stack.
    pub vulnerability_scan: VulnerabilityScan,
}

/// Declares the ecosystem modules, the [`Language`] enum and its dispatch.
macro_rules! ecosystems {
    ($($variant:ident => $module:ident),* $(,)?) => {
        $(mod $module;)*

        /// A language ecosystem recognised from its manifest.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Language {
            $($variant),*
        }

        impl Language {
            pub const ALL: &'static [Language] = &[$(Language::$variant),*];

            pub fn ecosystem(self) -> &'static Ecosystem {
                match self {
                    $(Language::$variant => &$module::ECOSYSTEM),*
                }
            }
        }
    };
}

ecosystems! {
    Node => node,
    Python => python,
    Rust => rust,
    Go => go,
    Ruby => ruby,
    Php => php,
    Java => jvm,
}

impl Language {
    pub fn id(self) -> &'static str {
        self.ecosystem().id
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Language {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// The ecosystem whose manifest this file name is, and the manifest's rank.
pub fn manifest_of(name: &str) -> Option<(Language, u8)> {
    Language::ALL
        .iter()
        .find_map(|l| (l.ecosystem().manifest)(name).map(|rank| (*l, rank)))
}

/// One manifest's facts; manifests of one language in one folder merge into a [`Stack`].
#[derive(Debug, Clone)]
pub struct Manifest {
    pub language: Language,
    pub path: String,
    pub dir: String,
    pub name: Option<String>,
    pub dependencies: Vec<Dependency>,
    pub scripts: BTreeMap<String, String>,
    /// A package manager the manifest itself names (`packageManager`, `[tool.poetry]`).
    pub package_manager: Option<String>,
    /// Which manifest names the stack when several share a folder (lower wins).
    pub rank: u8,
    /// Extra facts the command derivation needs (Gradle wrapper, Maven, …).
    pub build_tool: Option<String>,
}

/// Package names compared loosely (`Flask_Login` = `flask-login`).
pub(super) fn normalize_name(name: &str) -> String {
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

/// Read one manifest into facts: the manifest, and the services its
/// dependencies evidence.
pub fn analyze(path: &str, text: &str, facts: &mut Facts) {
    let name = file_name(path);
    let Some((language, rank)) = manifest_of(name) else {
        return;
    };
    let m = Manifest {
        language,
        path: path.to_string(),
        dir: parent(path).to_string(),
        name: None,
        dependencies: Vec::new(),
        scripts: BTreeMap::new(),
        package_manager: None,
        rank,
        build_tool: None,
    };
    let mut feature_evidence: Features = Vec::new();
    let Some(mut manifest) =
        (language.ecosystem().parse)(path, text, m, facts, &mut feature_evidence)
    else {
        return;
    };
    for s in manifest
        .dependencies
        .iter_mut()
        .filter_map(|d| d.source.as_mut())
    {
        s.file = path.to_string();
    }
    for dep in &manifest.dependencies {
        facts.extend(
            services::dependency_usage(&dep.name, dep.dev, path, dep.line)
                .into_iter()
                .map(Fact::ServiceUse),
        );
        for def in services::match_dependency(&dep.name) {
            facts.push(Fact::Service(
                def.id,
                Evidence {
                    location: Location::new(path, dep.line, 0),
                    via: format!("dependency \"{}\"", dep.name),
                },
            ));
        }
    }
    facts.extend(
        feature_evidence
            .into_iter()
            .map(|(id, e)| Fact::Service(id, e)),
    );
    facts.push(Fact::Manifest(manifest));
}

/// Merge the manifests of one language in one folder into stacks, with
/// frameworks, package manager (lockfiles from `files`) and CI commands.
pub fn stacks(mut manifests: Vec<Manifest>, files: &[String]) -> Vec<Stack> {
    manifests.sort_by(|a, b| {
        (&a.dir, a.language, a.rank, &a.path).cmp(&(&b.dir, b.language, b.rank, &b.path))
    });
    let mut groups: Vec<Vec<Manifest>> = Vec::new();
    for m in manifests {
        match groups.last_mut() {
            Some(g) if g[0].dir == m.dir && g[0].language == m.language => g.push(m),
            _ => groups.push(vec![m]),
        }
    }
    groups.into_iter().filter_map(|g| stack(g, files)).collect()
}

pub(super) fn has(files: &[String], dir: &str, name: &str) -> bool {
    let path = if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    };
    files.binary_search(&path).is_ok()
}

fn stack(group: Vec<Manifest>, files: &[String]) -> Option<Stack> {
    let primary = group.first()?.clone();
    let mut dependencies: Vec<Dependency> = Vec::new();
    let mut scripts = BTreeMap::new();
    let mut package_manager = None;
    let mut build_tool: Option<String> = None;
    let mut name = None;
    for m in &group {
        dependencies.extend(m.dependencies.iter().cloned());
        for (k, v) in &m.scripts {
            scripts.entry(k.clone()).or_insert_with(|| v.clone());
        }
        package_manager = package_manager.or_else(|| m.package_manager.clone());
        build_tool = build_tool.or_else(|| m.build_tool.clone());
        name = name.or_else(|| m.name.clone());
    }
    let dir = primary.dir.as_str();
    let eco = primary.language.ecosystem();
    let package_manager = eco
        .lockfiles
        .iter()
        .find(|(f, _)| has(files, dir, f))
        .map(|(_, pm)| pm.to_string())
        .or(package_manager)
        .or_else(|| eco.default_package_manager.map(str::to_string));
    let mut frameworks: Vec<String> = dependencies
        .iter()
        .filter(|d| !d.dev)
        .filter_map(|d| (eco.framework)(&d.name.to_ascii_lowercase()))
        .map(str::to_string)
        .collect();
    frameworks.sort();
    frameworks.dedup();
    dependencies.sort_by(|a, b| (&a.name, a.dev, a.line).cmp(&(&b.name, b.dev, b.line)));
    dependencies.dedup_by(|a, b| a.name == b.name && a.dev == b.dev);
    let ctx = CommandContext {
        manifest: file_name(&primary.path),
        dir,
        files,
        deps: &dependencies,
        scripts: &scripts,
        pm: package_manager.as_deref().unwrap_or(""),
        tools: build_tool.as_deref().unwrap_or(""),
        group: &group,
    };
    let commands = (eco.commands)(&ctx);
    Some(Stack {
        language: primary.language,
        manifest: primary.path.clone(),
        dir: primary.dir.clone(),
        name,
        frameworks,
        dependencies,
        scripts,
        package_manager,
        commands,
    })
}

pub struct CommandContext<'a> {
    pub manifest: &'a str,
    pub dir: &'a str,
    pub files: &'a [String],
    pub deps: &'a [Dependency],
    pub scripts: &'a BTreeMap<String, String>,
    pub pm: &'a str,
    /// Python tools configured in pyproject; `maven`/`gradle` for Java.
    pub tools: &'a str,
    pub group: &'a [Manifest],
}

impl CommandContext<'_> {
    pub fn dep(&self, name: &str) -> bool {
        let want = normalize_name(name);
        self.deps.iter().any(|d| normalize_name(&d.name) == want)
    }

    pub fn script<'n>(&self, names: &[&'n str]) -> Option<&'n str> {
        names.iter().copied().find(|n| {
            self.scripts
                .get(*n)
                .is_some_and(|cmd| !cmd.contains("no test specified"))
        })
    }

    pub fn py_tool(&self, tool: &str) -> bool {
        self.dep(tool) || self.tools.split(',').any(|t| t == tool)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::facts::Collected;

    fn run(path: &str, text: &str) -> Collected {
        let mut f = Facts::default();
        analyze(path, text, &mut f);
        f.collect()
    }

    fn deps(f: &Collected) -> Vec<(String, Option<String>, bool, u32)> {
        f.manifest
            .as_ref()
            .unwrap()
            .dependencies
            .iter()
            .map(|d| (d.name.clone(), d.version.clone(), d.dev, d.line))
            .collect()
    }

    #[test]
    fn package_json_and_node_commands() {
        let text = "{\n  \"name\": \"web\",\n  \"scripts\": {\"build\": \"next build\", \"lint\": \"next lint\", \"test\": \"vitest\"},\n  \"dependencies\": {\n    \"next\": \"14.2.0\",\n    \"pg\": \"^8\",\n    \"@sentry/nextjs\": \"^8\"\n  },\n  \"devDependencies\": {\n    \"typescript\": \"^5\"\n  }\n}\n";
        let f = run("web/package.json", text);
        assert_eq!(
            deps(&f),
            [
                ("@sentry/nextjs".into(), Some("^8".into()), false, 7),
                ("next".into(), Some("14.2.0".into()), false, 5),
                ("pg".into(), Some("^8".into()), false, 6),
                ("typescript".into(), Some("^5".into()), true, 10),
            ]
        );
        let ids: Vec<_> = f.services.iter().map(|s| s.0).collect();
        assert_eq!(ids, ["sentry", "postgresql"]);
        let files = vec![
            "web/package-lock.json".to_string(),
            "web/package.json".to_string(),
        ];
        let stacks = stacks(vec![f.manifest.unwrap()], &files);
        let s = &stacks[0];
        assert_eq!(
            (s.dir.as_str(), s.package_manager.as_deref()),
            ("web", Some("npm"))
        );
        assert_eq!(s.frameworks, ["next"]);
        assert_eq!(s.commands.install.as_deref(), Some("npm ci"));
        assert_eq!(s.commands.lint.as_deref(), Some("npm run lint"));
        assert_eq!(s.commands.typecheck.as_deref(), Some("npx tsc --noEmit"));
        assert_eq!(s.commands.test.as_deref(), Some("npm test"));
    }

    #[test]
    fn default_npm_test_script_is_not_a_test() {
        let f = run(
            "package.json",
            "{\"scripts\": {\"test\": \"echo \\\"Error: no test specified\\\" && exit 1\"}}",
        );
        let s = &stacks(vec![f.manifest.unwrap()], &[])[0];
        assert_eq!(s.commands.test, None);
        assert_eq!(s.commands.install.as_deref(), Some("npm install"));
    }

    #[test]
    fn cargo_with_features() {
        let text = "[package]\nname = \"api\"\n\n[dependencies]\naxum = \"0.7\"\nsqlx = { version = \"0.8\", features = [\"runtime-tokio\", \"postgres\"] }\naws-sdk-s3 = \"1\"\n\n[dev-dependencies]\ninsta = \"1\"\n";
        let f = run("Cargo.toml", text);
        assert_eq!(f.manifest.as_ref().unwrap().name.as_deref(), Some("api"));
        let sqlx = deps(&f).into_iter().find(|d| d.0 == "sqlx").unwrap();
        assert_eq!(sqlx, ("sqlx".into(), Some("0.8".into()), false, 6));
        let ids: Vec<_> = f
            .services
            .iter()
            .map(|s| (s.0, s.1.location.line))
            .collect();
        assert_eq!(ids, [("s3", 7), ("postgresql", 6)]);
        let s = &stacks(vec![f.manifest.unwrap()], &["Cargo.lock".to_string()])[0];
        assert_eq!(s.frameworks, ["axum"]);
        assert_eq!(
            s.commands.build.as_deref(),
            Some("cargo build --locked --all-targets")
        );
    }

    #[test]
    fn python_manifests_merge() {
        let py = "[project]\nname = \"svc\"\ndependencies = [\n  \"fastapi>=0.110\",\n  \"psycopg[binary]>=3\",\n]\n[project.optional-dependencies]\ndev = [\"pytest\", \"ruff\"]\n[tool.mypy]\nstrict = true\n";
        let req = "# comment\n-r base.txt\ncelery[redis]==5.3 ; python_version > '3.8'\ntwilio\ngit+https://x/y.git\n";
        let a = run("pyproject.toml", py).manifest.unwrap();
        let b = run("requirements.txt", req).manifest.unwrap();
        // The VCS line is a dependency too, with where it comes from.
        assert_eq!(b.dependencies.len(), 3);
        assert_eq!(b.dependencies[0].line, 3);
        let git = b.dependencies[2].source.as_ref().unwrap();
        assert_eq!(
            (b.dependencies[2].name.as_str(), git.kind, git.line),
            ("y", crate::context::model::SourceKind::Git, 5)
        );
        assert_eq!(git.file, "requirements.txt");
        let files = vec!["uv.lock".to_string()];
        let s = &stacks(vec![b, a], &files)[0];
        assert_eq!(s.manifest, "pyproject.toml");
        assert_eq!(s.package_manager.as_deref(), Some("uv"));
        assert_eq!(s.frameworks, ["fastapi"]);
        assert_eq!(s.commands.lint.as_deref(), Some("uv run ruff check ."));
        assert_eq!(s.commands.typecheck.as_deref(), Some("uv run mypy ."));
        assert_eq!(s.commands.test.as_deref(), Some("uv run pytest"));
    }

    #[test]
    fn poetry_pipfile() {
        let py = "[tool.poetry]\nname = \"x\"\n[tool.poetry.dependencies]\npython = \"^3.12\"\ndjango = \"^5\"\n[tool.poetry.group.dev.dependencies]\npytest = \"*\"\n";
        let f = run("pyproject.toml", py);
        assert_eq!(
            deps(&f).iter().map(|d| d.0.as_str()).collect::<Vec<_>>(),
            ["django", "pytest"]
        );
        let s = &stacks(vec![f.manifest.unwrap()], &[])[0];
        assert_eq!(s.package_manager.as_deref(), Some("poetry"));
        assert_eq!(s.commands.test.as_deref(), Some("poetry run pytest"));
        let f = run(
            "Pipfile",
            "[packages]\nflask = \"*\"\n[dev-packages]\nflake8 = \"*\"\n",
        );
        assert_eq!(deps(&f)[0], ("flask".into(), None, false, 2));
    }

    #[test]
    fn go_gem_composer_jvm() {
        let go = "module example.com/api\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgo.mongodb.org/mongo-driver v1.15.0\n\tgolang.org/x/net v0.1.0 // indirect\n)\nrequire github.com/getsentry/sentry-go v0.28.0\n";
        let f = run("go.mod", go);
        assert_eq!(deps(&f).len(), 3);
        assert_eq!(deps(&f)[2].3, 10);
        let s = &stacks(vec![f.manifest.clone().unwrap()], &[])[0];
        assert_eq!(s.frameworks, ["gin"]);
        assert_eq!(s.commands.lint.as_deref(), Some("go vet ./..."));

        let gem = "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem \"pg\"\ngroup :development, :test do\n  gem 'rspec-rails'\nend\n";
        let f = run("Gemfile", gem);
        assert_eq!(deps(&f)[2], ("rspec-rails".into(), None, true, 5));
        let s = &stacks(vec![f.manifest.unwrap()], &[])[0];
        assert_eq!(s.commands.test.as_deref(), Some("bundle exec rspec"));

        let composer = "{\"name\": \"acme/app\", \"require\": {\"php\": \"^8.2\", \"laravel/framework\": \"^11\"}, \"require-dev\": {\"phpunit/phpunit\": \"^10\"}}";
        let s = &stacks(vec![run("composer.json", composer).manifest.unwrap()], &[])[0];
        assert_eq!(s.frameworks, ["laravel"]);
        assert_eq!(s.dependencies.len(), 2);
        assert_eq!(s.commands.test.as_deref(), Some("vendor/bin/phpunit"));

        let pom = "<project>\n  <parent><artifactId>spring-boot-starter-parent</artifactId></parent>\n  <artifactId>svc</artifactId>\n  <dependencies>\n    <!-- <dependency><artifactId>gone</artifactId></dependency> -->\n    <dependency>\n      <groupId>org.springframework.boot</groupId>\n      <artifactId>spring-boot-starter-web</artifactId>\n    </dependency>\n    <dependency>\n      <groupId>org.postgresql</groupId>\n      <artifactId>postgresql</artifactId>\n      <scope>test</scope>\n    </dependency>\n  </dependencies>\n</project>\n";
        let f = run("pom.xml", pom);
        let m = f.manifest.clone().unwrap();
        assert_eq!(m.name.as_deref(), Some("svc"));
        assert_eq!(
            deps(&f),
            [
                (
                    "org.springframework.boot:spring-boot-starter-web".into(),
                    None,
                    false,
                    8
                ),
                ("org.postgresql:postgresql".into(), None, true, 12),
            ]
        );
        let s = &stacks(vec![m], &["mvnw".to_string()])[0];
        assert_eq!(s.frameworks, ["spring-boot"]);
        assert_eq!(s.commands.test.as_deref(), Some("./mvnw -B test"));

        let gradle = "plugins {\n  id(\"org.springframework.boot\") version \"3.3.0\"\n}\ndependencies {\n  implementation(\"org.springframework.kafka:spring-kafka:3.2.0\")\n  testImplementation 'org.junit.jupiter:junit-jupiter'\n}\n";
        let f = run("build.gradle.kts", gradle);
        assert_eq!(f.services[0].0, "kafka");
        let s = &stacks(vec![f.manifest.unwrap()], &[])[0];
        assert_eq!(s.frameworks, ["spring-boot"]);
        assert_eq!(s.commands.build.as_deref(), Some("gradle build -x test"));
    }

    #[test]
    fn malformed_manifests_are_problems() {
        for (path, text) in [
            ("package.json", "{\"name\": "),
            ("package.json", "[1, 2]"),
            ("Cargo.toml", "[package\nname = 1"),
            ("pyproject.toml", "[project]\ndependencies = [\"x\""),
            ("composer.json", "nope"),
            ("Pipfile", "[[["),
        ] {
            let f = run(path, text);
            assert!(f.manifest.is_none(), "{path}");
            assert_eq!(f.problems.len(), 1, "{path}");
            assert!(
                f.problems[0].location.line >= 1,
                "{path}: {:?}",
                f.problems[0]
            );
        }
        // Text manifests never fail: odd lines are skipped.
        assert!(run("go.mod", "\u{0}\u{1}garbage\nrequire (\n")
            .problems
            .is_empty());
        assert!(run("requirements.txt", "[[\n===\n")
            .manifest
            .unwrap()
            .dependencies
            .is_empty());
    }
}
