//! What a CI step runs: shell lines split into simple commands, wrappers
//! (`npx`, `uv run`, `bundle exec`, env assignments …) peeled off, and each
//! command classified as build, test, lint, type check, deploy or image
//! push. `npm run x`, `make x`, `just x`, `task x` and `./script.sh` are
//! followed through a [`Resolve`] the caller provides (package.json
//! scripts, Makefile, justfile, Taskfile, script files); what cannot be
//! followed is `Unknown` with the reason, never a guess from a name.

use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Activity {
    Build,
    Test,
    Lint,
    TypeCheck,
    Deploy,
    /// Pushes an image or package a deploy may take.
    Publish,
    /// Checks dependencies against a vulnerability database (`cargo
    /// audit`, `npm audit`, `pip-audit`, `trivy fs` …); which ecosystems it
    /// covers is [`scan_coverage`] of its command.
    VulnScan,
}

/// The ecosystems a vulnerability scan covers, by its recognised command
/// ([`Classified::command`]): stack ids (`node`, `rust`, …), or `None` for a
/// scanner that reads every ecosystem's manifests or lockfiles (osv-scanner,
/// trivy, grype, snyk, GitHub's dependency review, GitLab's dependency
/// scanning).
pub fn scan_coverage(command: &str) -> Option<&'static [&'static str]> {
    Some(match command {
        "cargo audit"
        | "cargo deny"
        | "rustsec/audit-check"
        | "actions-rust-lang/audit"
        | "embarkstudios/cargo-deny-action" => &["rust"],
        "npm audit" | "pnpm audit" | "yarn audit" | "bun audit" | "audit-ci"
        | "better-npm-audit" | "importmap audit" => &["node"],
        "pip-audit" | "safety" | "pypa/gh-action-pip-audit" => &["python"],
        "govulncheck" | "golang/govulncheck-action" | "nancy" => &["go"],
        "bundler-audit" => &["ruby"],
        "composer audit" => &["php"],
        "dependency-check" => &["java"],
        "osv-scanner"
        | "grype"
        | "snyk test"
        | "docker scout cves"
        | "dependency-review"
        | "gitlab dependency scanning" => return None,
        c if c.starts_with("trivy ") => return None,
        _ => &[],
    })
}

/// Where a deploy goes, when the command says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Vercel,
    Netlify,
    Aws,
    Gcp,
    Azure,
    Fly,
    Kubernetes,
    Terraform,
    Serverless,
    Heroku,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    pub activity: Activity,
    /// The command as recognised (`cargo test`, `vercel deploy --prod`).
    pub command: String,
    pub target: Option<Target>,
    /// The deploy says it is a production one (`--prod`), or is not marked
    /// as preview; `false` for a preview (`vercel deploy` without `--prod`).
    pub production: bool,
    /// 1-based line in the file the step is in.
    pub line: u32,
    /// The chain that led here (`npm run ci`, `make test`).
    pub via: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub command: String,
    pub reason: String,
    pub line: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    pub found: Vec<Classified>,
    pub unknown: Vec<Unresolved>,
}

impl Analysis {
    pub fn has(&self, activity: Activity) -> bool {
        self.found.iter().any(|c| c.activity == activity)
    }

    pub fn activities(&self) -> BTreeSet<Activity> {
        self.found.iter().map(|c| c.activity).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    Npm,
    Make,
    Just,
    Task,
    /// A script file of the repository (`./scripts/deploy.sh`).
    File,
    /// A Rake task: infra does not read Rakefiles, so it stays unknown.
    Rake,
}

/// Looks up what a runner's name stands for: the body of an npm script, a
/// Make/just/Task recipe, or a script file's text. `dir` is the step's
/// working directory relative to the root (`""` for the root).
pub trait Resolve {
    fn resolve(&self, runner: Runner, name: &str, dir: &str) -> Option<String>;
}

/// A resolver that knows nothing: every runner call is unknown.
pub struct NoResolve;

impl Resolve for NoResolve {
    fn resolve(&self, _: Runner, _: &str, _: &str) -> Option<String> {
        None
    }
}

const MAX_DEPTH: usize = 4;

/// Classify one shell line (already joined across continuations), run in
/// `dir` (relative to the root, `""` for the root).
#[cfg(test)]
pub fn classify_line(line: &str, line_no: u32, dir: &str, resolver: &dyn Resolve) -> Analysis {
    let mut out = Analysis::default();
    let cx = Walk { resolver };
    cx.walk(
        line,
        line_no,
        &mut Cwd::at(dir),
        &mut Vec::new(),
        &mut out,
        0,
    );
    out
}

/// Classify a whole script body whose first line is `first_line`. A `cd`
/// (or `pushd`/`popd`) to a literal directory moves the directory later
/// commands of the script resolve their runners in.
pub fn classify_script(text: &str, first_line: u32, dir: &str, resolver: &dyn Resolve) -> Analysis {
    let mut out = Analysis::default();
    let script = super::Script {
        text: text.to_string(),
        line: first_line,
    };
    let cx = Walk { resolver };
    let mut cwd = Cwd::at(dir);
    for (line_no, line) in script.lines() {
        cx.walk(&line, line_no, &mut cwd, &mut Vec::new(), &mut out, 0);
    }
    out
}

/// The working directory of a script as far as its text says: a stack for
/// `pushd`/`popd`, relative to the repository root.
#[derive(Debug, Clone)]
struct Cwd {
    stack: Vec<String>,
}

impl Cwd {
    fn at(dir: &str) -> Cwd {
        Cwd {
            stack: vec![normalize("", dir)],
        }
    }

    fn current(&self) -> &str {
        self.stack.last().map(String::as_str).unwrap_or("")
    }

    /// `cd`/`pushd`/`popd` words; anything else leaves the directory.
    fn apply(&mut self, words: &[String]) -> bool {
        let (push, pop) = match words.first().map(String::as_str) {
            Some("cd") => (false, false),
            Some("pushd") => (true, false),
            Some("popd") => (false, true),
            _ => return false,
        };
        if pop {
            if self.stack.len() > 1 {
                self.stack.pop();
            }
            return true;
        }
        let target = words[1..].iter().find(|w| !w.starts_with('-'));
        let next = target.and_then(|t| {
            for root in [
                "$GITHUB_WORKSPACE",
                "${GITHUB_WORKSPACE}",
                "${{ github.workspace }}",
                "${{github.workspace}}",
                "$CI_PROJECT_DIR",
                "${CI_PROJECT_DIR}",
            ] {
                if let Some(rest) = t.strip_prefix(root) {
                    return (!rest.contains('$')).then(|| normalize("", rest));
                }
            }
            // A variable or an absolute path: not a directory of the
            // repository infra can name, so runners stay where they were.
            (!t.contains('$') && !t.starts_with('/') && !t.starts_with('~'))
                .then(|| normalize(self.current(), t))
        });
        match (next, push) {
            (Some(d), true) => self.stack.push(d),
            (Some(d), false) => {
                if let Some(top) = self.stack.last_mut() {
                    *top = d;
                }
            }
            (None, true) => {
                let here = self.current().to_string();
                self.stack.push(here);
            }
            (None, false) => {}
        }
        true
    }
}

/// `base` joined with the relative `path`, `.` and `..` resolved, never
/// above the root.
fn normalize(base: &str, path: &str) -> String {
    let mut parts: Vec<&str> = base
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

struct Walk<'a> {
    resolver: &'a dyn Resolve,
}

impl Walk<'_> {
    fn walk(
        &self,
        line: &str,
        line_no: u32,
        cwd: &mut Cwd,
        via: &mut Vec<String>,
        out: &mut Analysis,
        depth: usize,
    ) {
        // `url="$(vercel deploy …)"`: what a command substitution runs, the
        // step runs.
        if depth < MAX_DEPTH {
            for inner in substitutions(line) {
                self.walk(inner, line_no, &mut cwd.clone(), via, out, depth + 1);
            }
        }
        for simple in split_commands(line) {
            let words = peel(&words(&simple));
            if words.is_empty() || cwd.apply(&words) {
                continue;
            }
            // What a shell or a container runs is what the step runs.
            if let Some(inner) = wrapped_command(&words) {
                if depth < MAX_DEPTH {
                    // A container's working directory is its image's: the
                    // repository root is the usual copy of the checkout.
                    let mut inner_cwd = if matches!(words[0].as_str(), "sh" | "bash" | "zsh") {
                        cwd.clone()
                    } else {
                        Cwd::at("")
                    };
                    self.walk(&inner, line_no, &mut inner_cwd, via, out, depth + 1);
                }
                continue;
            }
            if let Some((runner, names)) = runner_call(&words) {
                // `yarn eslint .` runs the package's binary when no script
                // has that name.
                let binary = match (runner, words[0].as_str()) {
                    (Runner::Npm, "yarn") => {
                        let skip = if words.get(1).map(String::as_str) == Some("run") {
                            2
                        } else {
                            1
                        };
                        classify_words(&words[skip.min(words.len())..])
                    }
                    _ => None,
                };
                for name in names {
                    self.follow(runner, &name, binary.clone(), line_no, cwd, via, out, depth);
                }
                continue;
            }
            if let Some((activity, target, production, command)) = classify_words(&words) {
                out.found.push(Classified {
                    activity,
                    command,
                    target,
                    production,
                    line: line_no,
                    via: via.clone(),
                });
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn follow(
        &self,
        runner: Runner,
        name: &str,
        binary: Option<Found>,
        line_no: u32,
        cwd: &Cwd,
        via: &mut Vec<String>,
        out: &mut Analysis,
        depth: usize,
    ) {
        let label = format!("{} {name}", runner_label(runner));
        if depth >= MAX_DEPTH || via.contains(&label) {
            return;
        }
        if name.contains('$') {
            out.unknown.push(Unresolved {
                command: label.clone(),
                reason: format!(
                    "{label} could not be followed: the {} is chosen at run time",
                    runner_noun(runner)
                ),
                line: line_no,
            });
            return;
        }
        match self.resolver.resolve(runner, name, cwd.current()) {
            Some(body) => {
                // The project's own build script is its build, whatever it
                // runs; tests get no such benefit of the name (a test
                // proves it).
                if matches!(name, "build" | "compile" | "bundle" | "dist") {
                    out.found.push(Classified {
                        activity: Activity::Build,
                        command: label.clone(),
                        target: None,
                        production: false,
                        line: line_no,
                        via: via.clone(),
                    });
                }
                via.push(label);
                // A script file or an npm script runs its lines in one
                // shell, so a `cd` carries on; each Make recipe line is a
                // shell of its own.
                let mut body_cwd = cwd.clone();
                for inner in body.lines() {
                    let inner = inner.trim().trim_start_matches(['@', '-']);
                    if inner.is_empty() || inner.starts_with('#') {
                        continue;
                    }
                    if runner == Runner::Make {
                        body_cwd = cwd.clone();
                    }
                    // Lines of another file keep the step's line: that is
                    // where the pipeline runs them.
                    self.walk(inner, line_no, &mut body_cwd, via, out, depth + 1);
                }
                via.pop();
            }
            None if binary.is_some() => {
                if let Some((activity, target, production, command)) = binary {
                    out.found.push(Classified {
                        activity,
                        command,
                        target,
                        production,
                        line: line_no,
                        via: via.clone(),
                    });
                }
            }
            None => out.unknown.push(Unresolved {
                command: label.clone(),
                reason: if runner == Runner::Rake {
                    format!("{label} could not be followed: infra does not read Rakefiles")
                } else {
                    format!(
                        "{label} could not be followed: no such {}",
                        runner_noun(runner)
                    )
                },
                line: line_no,
            }),
        }
    }
}

/// Words joined back into one shell line, quoting those that need it.
fn rejoin(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            if w.is_empty() || w.chars().any(|c| c.is_whitespace() || "&|;#".contains(c)) {
                if w.contains('\'') {
                    format!("\"{w}\"")
                } else {
                    format!("'{w}'")
                }
            } else {
                w.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Options of `docker run` / `docker compose run` that take a value as the
/// next word.
const CONTAINER_VALUE_OPTIONS: &[&str] = &[
    "-e",
    "--env",
    "--env-file",
    "-v",
    "--volume",
    "--mount",
    "-w",
    "--workdir",
    "--name",
    "--network",
    "--net",
    "-p",
    "--publish",
    "--entrypoint",
    "-u",
    "--user",
    "--platform",
    "-l",
    "--label",
    "--add-host",
    "--cpus",
    "-m",
    "--memory",
    "--shm-size",
    "--ipc",
    "--pid",
    "-h",
    "--hostname",
    "--gpus",
    "--cap-add",
    "--cap-drop",
    "--device",
    "--dns",
    "--tmpfs",
    "--ulimit",
    "--pull",
    "--runtime",
    "--security-opt",
    "--stop-signal",
    "--log-driver",
    "--log-opt",
    "--restart",
    "--cidfile",
    "--group-add",
    "--link",
    "--volumes-from",
];

/// The command a shell (`sh -c '…'`) or a container (`docker run IMAGE
/// cmd…`, `docker compose run SERVICE cmd…`) runs, as a shell line.
fn wrapped_command(w: &[String]) -> Option<String> {
    let arg = |i: usize| w.get(i).map(String::as_str);
    if matches!(arg(0), Some("sh" | "bash" | "zsh")) {
        let at = w[1..]
            .iter()
            .position(|a| a.starts_with('-') && !a.starts_with("--") && a.ends_with('c'))?;
        return w.get(at + 2).cloned();
    }
    let rest = match (arg(0), arg(1), arg(2)) {
        (Some("docker" | "podman"), Some("run"), _) => &w[2..],
        (Some("docker" | "podman"), Some("container"), Some("run")) => &w[3..],
        (Some("docker"), Some("compose"), Some("run")) => &w[3..],
        (Some("docker-compose"), Some("run"), _) => &w[2..],
        _ => return None,
    };
    let mut i = 0;
    while i < rest.len() && rest[i].starts_with('-') {
        let option = rest[i].as_str();
        i += if !option.contains('=') && CONTAINER_VALUE_OPTIONS.contains(&option) {
            2
        } else {
            1
        };
    }
    // rest[i] is the image (or the compose service); what follows runs.
    let command = rest.get(i + 1..).filter(|c| !c.is_empty())?;
    Some(rejoin(command))
}

fn runner_label(r: Runner) -> &'static str {
    match r {
        Runner::Npm => "npm run",
        Runner::Make => "make",
        Runner::Just => "just",
        Runner::Task => "task",
        Runner::File => "script",
        Runner::Rake => "rake",
    }
}

fn runner_noun(r: Runner) -> &'static str {
    match r {
        Runner::Npm => "script in package.json",
        Runner::Make => "Makefile target",
        Runner::Just => "justfile recipe",
        Runner::Task => "Taskfile task",
        Runner::File => "file in the repository",
        Runner::Rake => "Rakefile task",
    }
}

/// Split on `&&`, `||`, `;` and `|` outside quotes.
/// The insides of the outermost `$( … )` of a line (backticks are not
/// read; a `$((` arithmetic expansion is not a command).
fn substitutions(line: &str) -> Vec<&str> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'$' && bytes[i + 1] == b'(' && bytes.get(i + 2) != Some(&b'(') {
            let start = i + 2;
            let mut depth = 1;
            let mut j = start;
            while j < bytes.len() && depth > 0 {
                match bytes[j] {
                    b'(' => depth += 1,
                    b')' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            if depth == 0 {
                out.push(&line[start..j - 1]);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

fn split_commands(line: &str) -> Vec<String> {
    pipelines(line).into_iter().flatten().collect()
}

/// The pipelines of a shell line: split on `&&`, `||` and `;` outside
/// quotes, each part cut at its `|`s into the commands that feed each
/// other. A `#` that starts a word ends the line.
pub fn pipelines(line: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut pipeline: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    let end_command = |pipeline: &mut Vec<String>, cur: &mut String| {
        let c = std::mem::take(cur).trim().to_string();
        if !c.is_empty() {
            pipeline.push(c);
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) if c == q => {
                quote = None;
                cur.push(c);
            }
            Some(_) => cur.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                cur.push(c);
            }
            None if c == '|' && chars.get(i + 1) != Some(&'|') => {
                end_command(&mut pipeline, &mut cur);
            }
            None if c == ';' || c == '|' || (c == '&' && chars.get(i + 1) == Some(&'&')) => {
                end_command(&mut pipeline, &mut cur);
                if !pipeline.is_empty() {
                    out.push(std::mem::take(&mut pipeline));
                }
                if chars.get(i + 1) == Some(&c) {
                    i += 1;
                }
            }
            None if c == '#' && (cur.is_empty() || cur.ends_with(' ')) => break,
            None => cur.push(c),
        }
        i += 1;
    }
    end_command(&mut pipeline, &mut cur);
    if !pipeline.is_empty() {
        out.push(pipeline);
    }
    out
}

/// The words of one simple command with its wrappers (`sudo`, env
/// assignments, `npx` …) peeled off, quotes removed, nothing expanded.
pub fn command_words(command: &str) -> Vec<String> {
    peel(&words(command))
}

/// Shell words, quotes removed (no expansion); a `${{ … }}` expression is
/// one word (or part of one), spaces and all.
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    let mut rest = command;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("${{") {
            if let Some(end) = rest.find("}}") {
                cur.push_str(&rest[..end + 2]);
                rest = &rest[end + 2..];
                continue;
            }
        }
        rest = &rest[c.len_utf8()..];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                any = true;
            }
            None if c.is_whitespace() => {
                if !cur.is_empty() || any {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            None => cur.push(c),
        }
    }
    if !cur.is_empty() || any {
        out.push(cur);
    }
    out
}

/// Drop what only wraps the real command: env assignments, `sudo`, `time`,
/// `npx`, `uv run`, `bundle exec`, `python -m` and the like.
fn peel(words: &[String]) -> Vec<String> {
    let mut w: Vec<String> = words.to_vec();
    loop {
        let Some(first) = w.first().cloned() else {
            return w;
        };
        let is_assignment = first.contains('=')
            && first.split('=').next().is_some_and(|n| {
                !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
        let second = w.get(1).map(String::as_str);
        let drop = match (first.as_str(), second) {
            _ if is_assignment => 1,
            // `npx --yes vercel@64.0.2 deploy`: the runner's own options and
            // the package's version pin are not the command.
            ("npx" | "bunx", _) => {
                let skip = 1 + package_runner_options(&w[1..]);
                w.drain(..skip.min(w.len()));
                strip_version_pin(&mut w);
                continue;
            }
            ("pnpm" | "yarn", Some("dlx")) => {
                let skip = 2 + package_runner_options(&w[2..]);
                w.drain(..skip.min(w.len()));
                strip_version_pin(&mut w);
                continue;
            }
            (
                "sudo" | "time" | "exec" | "command" | "env" | "cross-env" | "dotenv" | "xvfb-run",
                _,
            ) => 1,
            ("uv" | "poetry" | "pipenv" | "pdm" | "hatch" | "rye", Some("run")) => 2,
            ("bundle", Some("exec")) => 2,
            // `uvx pip-audit`, `pipx run pip-audit`: the tool runs.
            ("uvx", Some(tool)) if !tool.starts_with('-') => 1,
            ("pipx", Some("run")) => 2,
            ("pnpm" | "yarn", Some("exec")) => 2,
            ("python" | "python3" | "py", Some("-m")) => 2,
            // `coverage run [opts] manage.py test`: the wrapped command runs.
            ("coverage", Some("run")) => {
                let mut i = 2;
                while let Some(a) = w.get(i).filter(|a| a.starts_with('-')) {
                    // `-m pytest` runs the module; `--rcfile x` takes a value.
                    let takes_value = !a.contains('=')
                        && matches!(
                            a.as_str(),
                            "--data-file"
                                | "--rcfile"
                                | "--source"
                                | "--include"
                                | "--omit"
                                | "--concurrency"
                                | "--context"
                        );
                    i += if takes_value { 2 } else { 1 };
                }
                i
            }
            // Shell keywords before a command (`if aws …; then helm …`).
            ("if" | "then" | "else" | "elif" | "do" | "while" | "until" | "!", Some(_)) => 1,
            ("go", Some("run")) if w.get(2).is_some_and(|m| m.contains("golangci-lint")) => 2,
            ("dotnet", Some("tool")) => 0,
            _ => 0,
        };
        if drop == 0 {
            // `./node_modules/.bin/jest`, `vendor/bin/phpunit`, `bin/rails`.
            let base = first.rsplit('/').next().unwrap_or(&first).to_string();
            if base != first && !first.ends_with(".sh") && base != "mvnw" && base != "gradlew" {
                w[0] = base;
            }
            return w;
        }
        w.drain(..drop.min(w.len()));
    }
}

/// How many leading words are `npx`/`bunx`/`dlx` options (`--yes`, `-y`,
/// `--package pkg`, `-p pkg`, `--package=pkg`, `--quiet`).
fn package_runner_options(w: &[String]) -> usize {
    let mut i = 0;
    while let Some(word) = w.get(i) {
        if !word.starts_with('-') {
            break;
        }
        i += 1;
        if matches!(word.as_str(), "-p" | "--package" | "-c" | "--call") {
            i += 1;
        }
    }
    i
}

/// `vercel@64.0.2` → `vercel`, `@scope/cli@1` → `@scope/cli`; packages
/// whose binary has another name become that binary (`netlify-cli` →
/// `netlify`).
fn strip_version_pin(w: &mut [String]) {
    if let Some(first) = w.first_mut() {
        let at = first
            .get(1..)
            .and_then(|rest| rest.find('@'))
            .map(|i| i + 1);
        if let Some(i) = at {
            first.truncate(i);
        }
        let binary = match first.as_str() {
            "netlify-cli" => "netlify",
            "aws-cdk" => "cdk",
            "firebase-tools" => "firebase",
            "@railway/cli" => "railway",
            _ => return,
        };
        *first = binary.to_string();
    }
}

/// `npm run x`, `yarn x`, `make x`, `./script.sh` …
fn runner_call(w: &[String]) -> Option<(Runner, Vec<String>)> {
    runner_call_one(w).map(|(r, n)| match n {
        RunnerNames::One(n) => (r, vec![n]),
        RunnerNames::Many(v) => (r, v),
    })
}

enum RunnerNames {
    One(String),
    Many(Vec<String>),
}

fn runner_call_one(w: &[String]) -> Option<(Runner, RunnerNames)> {
    let arg = |i: usize| w.get(i).map(String::as_str);
    let first = w[0].as_str();
    match (first, arg(1)) {
        ("npm" | "pnpm" | "bun", Some("run" | "run-script")) => {
            arg(2).map(|n| (Runner::Npm, RunnerNames::One(n.to_string())))
        }
        ("yarn", Some("run")) => arg(2).map(|n| (Runner::Npm, RunnerNames::One(n.to_string()))),
        // `yarn build` is `yarn run build` unless it is a yarn command.
        ("yarn", Some(name))
            if !name.starts_with('-')
                && !matches!(
                    name,
                    "install"
                        | "add"
                        | "remove"
                        | "test"
                        | "workspace"
                        | "workspaces"
                        | "set"
                        | "config"
                        | "dlx"
                        | "exec"
                        | "why"
                        | "upgrade"
                        | "audit"
                        | "cache"
                        | "global"
                        | "init"
                        | "link"
                        | "pack"
                        | "publish"
                        | "version"
                ) =>
        {
            Some((Runner::Npm, RunnerNames::One(name.to_string())))
        }
        ("npm" | "pnpm" | "yarn", Some("test" | "t")) => {
            Some((Runner::Npm, RunnerNames::One("test".into())))
        }
        // `pnpm build` runs the script `build`: pnpm runs a script of any
        // name that is not one of its own commands (`pnpm deploy` is).
        ("pnpm", Some(name))
            if !name.starts_with('-')
                && !matches!(
                    name,
                    "install"
                        | "i"
                        | "add"
                        | "remove"
                        | "rm"
                        | "update"
                        | "up"
                        | "exec"
                        | "dlx"
                        | "create"
                        | "audit"
                        | "outdated"
                        | "list"
                        | "ls"
                        | "why"
                        | "link"
                        | "unlink"
                        | "publish"
                        | "pack"
                        | "store"
                        | "config"
                        | "init"
                        | "import"
                        | "rebuild"
                        | "prune"
                        | "fetch"
                        | "deploy"
                        | "patch"
                        | "patch-commit"
                        | "env"
                        | "setup"
                        | "licenses"
                        | "root"
                        | "bin"
                        | "self-update"
                        | "approve-builds"
                        | "dedupe"
                        | "install-test"
                        | "it"
                        | "recursive"
                ) =>
        {
            Some((Runner::Npm, RunnerNames::One(name.to_string())))
        }
        // Every target named, in order; `-C dir`/`-f file`/`-j n` values
        // are not targets.
        ("make" | "gmake", _) => {
            let mut targets = Vec::new();
            let mut i = 1;
            while i < w.len() {
                let a = w[i].as_str();
                if matches!(
                    a,
                    "-C" | "-f" | "--file" | "--directory" | "-I" | "-o" | "-W"
                ) {
                    i += 2;
                    continue;
                }
                if !a.starts_with('-') && !a.contains('=') && a.parse::<u32>().is_err() {
                    targets.push(a.to_string());
                }
                i += 1;
            }
            if targets.is_empty() {
                targets.push("(default)".into());
            }
            Some((Runner::Make, RunnerNames::Many(targets)))
        }
        // `rake` alone runs the default task; `rake test`/`spec` are known.
        ("rake", None) => Some((Runner::Rake, RunnerNames::One("(default)".into()))),
        ("rake", Some(t)) if !rake_tests(w) && !t.starts_with('-') => {
            Some((Runner::Rake, RunnerNames::One(t.to_string())))
        }
        ("just", _) => w[1..]
            .iter()
            .find(|a| !a.starts_with('-'))
            .map(|n| (Runner::Just, RunnerNames::One(n.clone()))),
        ("task", _) => w[1..]
            .iter()
            .find(|a| !a.starts_with('-'))
            .map(|n| (Runner::Task, RunnerNames::One(n.clone()))),
        ("bash" | "sh" | "zsh" | "source" | ".", Some(file))
            if file.ends_with(".sh") || file.contains('/') =>
        {
            Some((
                Runner::File,
                RunnerNames::One(file.trim_start_matches("./").to_string()),
            ))
        }
        (file, _) if file.ends_with(".sh") || file.starts_with("./scripts/") => Some((
            Runner::File,
            RunnerNames::One(file.trim_start_matches("./").to_string()),
        )),
        _ => None,
    }
}

/// `rake` with a test task among its tasks (`rake spec`, `rake
/// test:system`, knapsack's `knapsack:rspec[…]`).
fn rake_tests(w: &[String]) -> bool {
    w[1..].iter().any(|t| {
        matches!(t.as_str(), "test" | "spec")
            || t.starts_with("test:")
            || t.starts_with("spec:")
            || t.starts_with("knapsack:rspec")
            || t.starts_with("knapsack:minitest")
    })
}

type Found = (Activity, Option<Target>, bool, String);

/// `trivy … --scanners x,y`: whether vulnerabilities are among them (the
/// default when the flag is absent).
fn scanners_include_vuln(w: &[String]) -> bool {
    let mut lists = w.iter().enumerate().filter_map(|(i, x)| {
        x.strip_prefix("--scanners=")
            .or_else(|| x.strip_prefix("--security-checks="))
            .map(str::to_string)
            .or_else(|| {
                matches!(x.as_str(), "--scanners" | "--security-checks")
                    .then(|| w.get(i + 1).cloned().unwrap_or_default())
            })
    });
    match lists.next() {
        Some(list) => list.split(',').any(|s| s.trim() == "vuln"),
        None => true,
    }
}

fn has(w: &[String], flag: &str) -> bool {
    w.iter()
        .any(|a| a == flag || a.starts_with(&format!("{flag}=")))
}

fn classify_words(w: &[String]) -> Option<Found> {
    use Activity::*;
    let a = |i: usize| w.get(i).map(String::as_str).unwrap_or("");
    let two = format!("{} {}", a(0), a(1));
    let found = |activity, target, production: bool, text: &str| {
        Some((activity, target, production, text.to_string()))
    };
    match a(0) {
        // Rust
        "cargo" => match a(1) {
            "test" | "nextest" => found(Test, None, false, &two),
            "clippy" => found(Lint, None, false, &two),
            "fmt" if has(w, "--check") => found(Lint, None, false, "cargo fmt --check"),
            "check" => found(TypeCheck, None, false, &two),
            "build" => found(Build, None, false, &two),
            "publish" => found(Publish, None, false, &two),
            "audit" => found(VulnScan, None, false, "cargo audit"),
            // `cargo deny check` checks every list, advisories among them;
            // `cargo deny check bans licenses` does not.
            "deny" => {
                let lists: Vec<&str> = w
                    .iter()
                    .skip_while(|x| *x != "check")
                    .skip(1)
                    .map(String::as_str)
                    .filter(|x| !x.starts_with('-'))
                    .collect();
                (w.iter().any(|x| x == "check")
                    && (lists.is_empty() || lists.contains(&"advisories")))
                .then(|| (VulnScan, None, false, "cargo deny".to_string()))
            }
            _ => None,
        },
        // JavaScript
        "jest" | "vitest" | "mocha" | "ava" | "jasmine" | "karma" | "tap" | "c8" | "nyc"
            if !has(w, "--help") =>
        {
            found(Test, None, false, a(0))
        }
        "node" if has(w, "--test") => found(Test, None, false, "node --test"),
        "deno" if a(1) == "test" => found(Test, None, false, &two),
        "deno" if a(1) == "lint" => found(Lint, None, false, &two),
        "bun" if a(1) == "test" => found(Test, None, false, &two),
        "playwright" | "cypress" if matches!(a(1), "test" | "run") => {
            found(Test, None, false, &two)
        }
        "eslint" | "biome" | "oxlint" | "stylelint" | "standard" | "xo" => {
            found(Lint, None, false, a(0))
        }
        "prettier" if has(w, "--check") || has(w, "-c") => {
            found(Lint, None, false, "prettier --check")
        }
        // Emitting or not, tsc type-checks the whole program.
        "tsc" | "vue-tsc" => found(TypeCheck, None, false, a(0)),
        "next" | "vite" | "nuxt" | "astro" | "remix" | "webpack" | "rollup" | "esbuild"
        | "tsup" => match a(1) {
            "build" => found(Build, None, false, &two),
            "lint" if a(0) == "next" => found(Lint, None, false, &two),
            _ => None,
        },
        "npm" | "pnpm" | "yarn" | "bun" => match a(1) {
            "publish" => found(Publish, None, false, &two),
            // `npm audit signatures` verifies registry signatures, not advisories.
            "audit" if a(2) != "signatures" => found(VulnScan, None, false, &two),
            _ => None,
        },
        "audit-ci" | "better-npm-audit" => found(VulnScan, None, false, a(0)),
        // importmap-rails checks the pinned JavaScript packages against npm's advisories.
        "importmap" if a(1) == "audit" => found(VulnScan, None, false, "importmap audit"),
        // Python
        "pip-audit" | "pip_audit" => found(VulnScan, None, false, "pip-audit"),
        "safety" if matches!(a(1), "check" | "scan") => found(VulnScan, None, false, a(0)),
        // Python
        "pytest" | "tox" | "nox" | "green" => found(Test, None, false, a(0)),
        "unittest" => found(Test, None, false, "python -m unittest"),
        "manage.py" if a(1) == "test" => found(Test, None, false, "manage.py test"),
        "python" | "python3" if a(1).ends_with("manage.py") && a(2) == "test" => {
            found(Test, None, false, "manage.py test")
        }
        "ruff" if matches!(a(1), "check" | "") || a(1) == "format" && has(w, "--check") => {
            found(Lint, None, false, &two)
        }
        "flake8" | "pylint" | "pycodestyle" | "bandit" => found(Lint, None, false, a(0)),
        "black" | "isort" if has(w, "--check") || has(w, "--check-only") => {
            found(Lint, None, false, a(0))
        }
        "mypy" | "pyright" | "pytype" | "basedpyright" => found(TypeCheck, None, false, a(0)),
        "build" if w.len() == 1 => found(Build, None, false, "python -m build"),
        "uv" | "poetry" | "hatch" | "pdm" if a(1) == "build" => found(Build, None, false, &two),
        "twine" if a(1) == "upload" => found(Publish, None, false, &two),
        // Go
        "go" => match a(1) {
            "test" => found(Test, None, false, &two),
            "vet" => found(Lint, None, false, &two),
            "build" | "install" => found(Build, None, false, &two),
            "run" if a(2).starts_with("golang.org/x/vuln/cmd/govulncheck") => {
                found(VulnScan, None, false, "govulncheck")
            }
            _ => None,
        },
        "govulncheck" => found(VulnScan, None, false, a(0)),
        "nancy" if a(1) == "sleuth" => found(VulnScan, None, false, a(0)),
        "gotestsum" | "ginkgo" => found(Test, None, false, a(0)),
        "golangci-lint" | "staticcheck" | "revive" => found(Lint, None, false, a(0)),
        // .NET
        "dotnet" => match a(1) {
            "test" => found(Test, None, false, &two),
            "build" | "publish" => found(Build, None, false, &two),
            "format" if has(w, "--verify-no-changes") => found(Lint, None, false, &two),
            _ => None,
        },
        // JVM
        "mvn" | "mvnw" | "./mvnw" => {
            let goals: Vec<&str> = w[1..]
                .iter()
                .map(String::as_str)
                .filter(|g| !g.starts_with('-'))
                .collect();
            let skip = w
                .iter()
                .any(|g| g.starts_with("-DskipTests") || g.starts_with("-Dmaven.test.skip"));
            if goals
                .iter()
                .any(|g| matches!(*g, "test" | "verify" | "install" | "package" | "deploy"))
                && !skip
            {
                found(Test, None, false, &format!("mvn {}", goals.join(" ")))
            } else if goals
                .iter()
                .any(|g| matches!(*g, "package" | "compile" | "install"))
            {
                found(Build, None, false, &format!("mvn {}", goals.join(" ")))
            } else {
                None
            }
        }
        "gradle" | "gradlew" | "./gradlew" => {
            let tasks: Vec<&str> = w[1..]
                .iter()
                .map(String::as_str)
                .filter(|g| !g.starts_with('-'))
                .collect();
            let skip = w.windows(2).any(|p| p[0] == "-x" && p[1] == "test");
            if tasks
                .iter()
                .any(|t| matches!(*t, "test" | "check" | "build"))
                && !skip
            {
                found(Test, None, false, &format!("gradle {}", tasks.join(" ")))
            } else if tasks
                .iter()
                .any(|t| matches!(*t, "assemble" | "build" | "bootJar" | "jar"))
            {
                found(Build, None, false, &format!("gradle {}", tasks.join(" ")))
            } else {
                None
            }
        }
        // Ruby, PHP, Elixir, C/C++
        "rspec" | "phpunit" | "pest" | "ctest" => found(Test, None, false, a(0)),
        "rake" if rake_tests(w) => found(Test, None, false, "rake test"),
        "rails" if matches!(a(1), "test" | "spec") => found(Test, None, false, &two),
        // Ruby, PHP, JVM dependency audits
        "bundler-audit" | "bundle-audit" if !matches!(a(1), "update" | "download" | "version") => {
            found(VulnScan, None, false, "bundler-audit")
        }
        "bundle" if a(1) == "audit" => found(VulnScan, None, false, "bundler-audit"),
        "composer" if a(1) == "audit" => found(VulnScan, None, false, "composer audit"),
        "dependency-check" | "dependency-check.sh" => {
            found(VulnScan, None, false, "dependency-check")
        }
        // Scanners of every ecosystem (`trivy config` reads IaC, not dependencies).
        "osv-scanner" => found(VulnScan, None, false, a(0)),
        "trivy"
            if matches!(
                a(1),
                "fs" | "filesystem" | "image" | "i" | "repo" | "repository" | "rootfs" | "sbom"
            ) && scanners_include_vuln(w) =>
        {
            found(VulnScan, None, false, &two)
        }
        "grype" if !matches!(a(1), "db" | "version" | "completion" | "config" | "") => {
            found(VulnScan, None, false, a(0))
        }
        "snyk" if a(1) == "test" || (a(1) == "container" && a(2) == "test") => {
            found(VulnScan, None, false, "snyk test")
        }
        "rubocop" | "standardrb" | "phpstan" | "psalm" | "php-cs-fixer" | "phpcs" | "credo"
        | "hadolint" | "shellcheck" | "ktlint" | "detekt" => found(Lint, None, false, a(0)),
        "php" if a(1) == "artisan" && a(2) == "test" => {
            found(Test, None, false, "php artisan test")
        }
        "mix" if a(1) == "test" => found(Test, None, false, &two),
        // Images
        "docker-compose" if a(1) == "build" || (a(1) == "up" && has(w, "--build")) => {
            found(Build, None, false, "docker-compose build")
        }
        "docker" | "podman" => match (a(1), a(2)) {
            ("compose", "build") => found(Build, None, false, "docker compose build"),
            ("compose", "up") if has(w, "--build") => {
                found(Build, None, false, "docker compose up --build")
            }
            ("push", _) | ("image", "push") => found(Publish, None, false, "docker push"),
            ("scout", "cves" | "quickview") => found(VulnScan, None, false, "docker scout cves"),
            ("build", _) | ("buildx", "build") if has(w, "--push") => {
                found(Publish, None, false, "docker build --push")
            }
            ("build", _) | ("buildx", "build") => found(Build, None, false, "docker build"),
            _ => None,
        },
        // Deploys, per platform CLI.
        "vercel" => {
            let sub = a(1);
            if matches!(
                sub,
                "" | "deploy" | "--prod" | "-y" | "--yes" | "--prebuilt" | "--token"
            ) || sub.starts_with("--")
            {
                if w.iter()
                    .any(|x| x == "build" || x == "pull" || x == "env" || x == "link")
                {
                    return None;
                }
                found(
                    Deploy,
                    Some(Target::Vercel),
                    has(w, "--prod"),
                    "vercel deploy",
                )
            } else if sub == "promote" || sub == "rollback" {
                found(Deploy, Some(Target::Vercel), true, &two)
            } else {
                None
            }
        }
        "netlify" if a(1) == "deploy" => found(
            Deploy,
            Some(Target::Netlify),
            has(w, "--prod") || has(w, "--prod-if-unlocked"),
            "netlify deploy",
        ),
        "aws" => {
            let cmd = format!("aws {} {}", a(1), a(2));
            let deploy = matches!(
                (a(1), a(2)),
                (
                    "ecs",
                    "update-service" | "deploy" | "register-task-definition"
                ) | (
                    "lambda",
                    "update-function-code" | "create-function" | "publish-version" | "update-alias"
                ) | ("s3", "sync" | "cp")
                    | ("cloudformation", "deploy" | "update-stack" | "create-stack")
                    | ("deploy", "create-deployment")
                    | ("elasticbeanstalk", "update-environment")
                    | ("apprunner", "start-deployment" | "update-service")
            );
            // An S3 copy deploys when it uploads: the destination is a
            // bucket and the source is not (a download is no deploy).
            let s3_paths: Vec<&str> = w
                .get(3..)
                .unwrap_or_default()
                .iter()
                .map(String::as_str)
                .filter(|x| !x.starts_with('-'))
                .collect();
            let upload = a(1) != "s3"
                || s3_paths.len() >= 2
                    && s3_paths[s3_paths.len() - 1].starts_with("s3://")
                    && !s3_paths[0].starts_with("s3://");
            if deploy && upload {
                found(Deploy, Some(Target::Aws), true, &cmd)
            } else {
                None
            }
        }
        "sam" | "cdk" | "copilot"
            if a(1) == "deploy" || (a(0) == "copilot" && a(2) == "deploy") =>
        {
            found(Deploy, Some(Target::Aws), true, &two)
        }
        "gcloud" => {
            let deploy = (a(1) == "run" && a(2) == "deploy")
                || (a(1) == "app" && a(2) == "deploy")
                || (a(1) == "functions" && a(2) == "deploy")
                || (a(1) == "run" && a(2) == "services" && a(3) == "update")
                || (a(1) == "run" && a(2) == "services" && a(3) == "update-traffic");
            if deploy {
                found(
                    Deploy,
                    Some(Target::Gcp),
                    true,
                    &format!("gcloud {} {}", a(1), a(2)),
                )
            } else {
                None
            }
        }
        "az" => {
            let deploy = matches!(
                (a(1), a(2)),
                ("containerapp", "update" | "up" | "create")
                    | ("webapp", "deploy" | "up")
                    | ("functionapp", "deployment" | "deploy")
                    | ("deployment", "group" | "sub")
            ) && !(a(1) == "deployment" && a(3) == "what-if");
            if deploy {
                found(
                    Deploy,
                    Some(Target::Azure),
                    true,
                    &format!("az {} {}", a(1), a(2)),
                )
            } else {
                None
            }
        }
        "flyctl" | "fly" if a(1) == "deploy" => {
            found(Deploy, Some(Target::Fly), true, "flyctl deploy")
        }
        "kubectl" | "oc" => {
            let deploy = matches!(a(1), "apply" | "create" | "replace")
                || (a(1) == "set" && a(2) == "image")
                || (a(1) == "rollout" && matches!(a(2), "restart" | "undo"));
            let dry = w.iter().any(|x| x.starts_with("--dry-run"));
            if deploy && !dry {
                found(
                    Deploy,
                    Some(Target::Kubernetes),
                    true,
                    &format!("kubectl {}", a(1)),
                )
            } else {
                None
            }
        }
        "helm" if matches!(a(1), "upgrade" | "install" | "rollback") && !has(w, "--dry-run") => {
            found(Deploy, Some(Target::Kubernetes), true, &two)
        }
        "skaffold" if matches!(a(1), "run" | "deploy") => {
            found(Deploy, Some(Target::Kubernetes), true, &two)
        }
        "kustomize" | "kapp" | "argocd" if matches!(a(1), "deploy" | "app") => {
            found(Deploy, Some(Target::Kubernetes), true, &two)
        }
        // Global options (`-chdir=dir`) come before the subcommand.
        "terraform" | "tofu" | "terragrunt"
            if {
                let sub: Vec<&str> = w[1..]
                    .iter()
                    .map(String::as_str)
                    .filter(|x| !x.starts_with('-'))
                    .take(2)
                    .collect();
                sub.first() == Some(&"apply") || sub == ["run-all", "apply"]
            } =>
        {
            found(Deploy, Some(Target::Terraform), true, "terraform apply")
        }
        "pulumi" if a(1) == "up" => found(Deploy, Some(Target::Other), true, &two),
        "serverless" | "sls" if a(1) == "deploy" => {
            found(Deploy, Some(Target::Serverless), true, &two)
        }
        "heroku" if a(1).starts_with("container:release") || a(1) == "releases:rollback" => {
            found(Deploy, Some(Target::Heroku), true, &two)
        }
        "git" if a(1) == "push" && w.iter().any(|x| x == "heroku" || x.contains("heroku.com")) => {
            found(Deploy, Some(Target::Heroku), true, "git push heroku")
        }
        "railway" if a(1) == "up" => found(Deploy, Some(Target::Other), true, &two),
        // Cloud Foundry (cloud.gov and others).
        "cf" if matches!(a(1), "push" | "restage" | "restart" | "rollback") => {
            found(Deploy, Some(Target::Other), true, &two)
        }
        _ => None,
    }
}

/// Action steps (`uses:`) that deploy, push, test or lint, by action name;
/// `with` are the step's inputs.
pub fn classify_action(uses: &str, with: &[(String, String)]) -> Option<Found> {
    use Activity::*;
    let name = uses.split('@').next().unwrap_or(uses).to_ascii_lowercase();
    let input = |k: &str| with.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let text = name.clone();
    let hit = |activity, target, production| Some((activity, target, production, text.clone()));
    match name.as_str() {
        "amondnet/vercel-action" => hit(
            Deploy,
            Some(Target::Vercel),
            input("vercel-args").is_some_and(|a| a.contains("--prod")),
        ),
        "nwtgck/actions-netlify" => hit(
            Deploy,
            Some(Target::Netlify),
            input("production-deploy").is_some_and(|v| v == "true" || v.contains("${{")),
        ),
        "aws-actions/amazon-ecs-deploy-task-definition"
        | "aws-actions/aws-cloudformation-github-deploy" => hit(Deploy, Some(Target::Aws), true),
        "google-github-actions/deploy-cloudrun"
        | "google-github-actions/deploy-appengine"
        | "google-github-actions/deploy-cloud-functions" => hit(Deploy, Some(Target::Gcp), true),
        "azure/webapps-deploy"
        | "azure/container-apps-deploy-action"
        | "azure/functions-action"
        | "azure/arm-deploy" => hit(Deploy, Some(Target::Azure), true),
        "azure/k8s-deploy" | "deliverybot/helm" | "wahyd4/kubectl-helm-action" => {
            hit(Deploy, Some(Target::Kubernetes), true)
        }
        "superfly/flyctl-actions" | "superfly/flyctl-actions/setup-flyctl" => {
            if input("args").is_some_and(|a| a.trim_start().starts_with("deploy")) {
                hit(Deploy, Some(Target::Fly), true)
            } else {
                None
            }
        }
        "docker/build-push-action" => {
            if input("push").is_some_and(|v| v != "false") {
                hit(Publish, None, false)
            } else {
                hit(Build, None, false)
            }
        }
        "golangci/golangci-lint-action"
        | "github/super-linter"
        | "super-linter/super-linter"
        | "hadolint/hadolint-action"
        | "reviewdog/action-eslint" => hit(Lint, None, false),
        "actions-rs/cargo" => match input("command") {
            Some("test") => hit(Test, None, false),
            Some("clippy") => hit(Lint, None, false),
            Some("build") => hit(Build, None, false),
            _ => None,
        },
        "cypress-io/github-action" => hit(Test, None, false),
        // Dependency vulnerability scans (CodeQL reads code, not dependencies).
        "actions/dependency-review-action" => {
            Some((VulnScan, None, false, "dependency-review".into()))
        }
        "rustsec/audit-check"
        | "actions-rust-lang/audit"
        | "pypa/gh-action-pip-audit"
        | "golang/govulncheck-action" => hit(VulnScan, None, false),
        "embarkstudios/cargo-deny-action" => {
            let args = format!(
                "{} {}",
                input("command").unwrap_or("check"),
                input("arguments").unwrap_or("")
            );
            let lists: Vec<&str> = args
                .split_whitespace()
                .skip_while(|x| *x != "check")
                .skip(1)
                .filter(|x| !x.starts_with('-'))
                .collect();
            (lists.is_empty() || lists.contains(&"advisories"))
                .then(|| (VulnScan, None, false, text.clone()))
        }
        "aquasecurity/trivy-action" => {
            let scan_type = input("scan-type").unwrap_or("image");
            let vuln = input("scanners").is_none_or(|s| s.split(',').any(|x| x.trim() == "vuln"));
            (matches!(scan_type, "fs" | "image" | "repo" | "rootfs" | "sbom") && vuln)
                .then(|| (VulnScan, None, false, format!("trivy {scan_type}")))
        }
        "anchore/scan-action" => Some((VulnScan, None, false, "grype".into())),
        // Canada's CDS security tools: builds on `trivy image --security-checks vuln`.
        "cds-snc/security-tools/.github/actions/docker-scan" => {
            Some((VulnScan, None, false, "trivy image".into()))
        }
        "google/osv-scanner-action" | "google/osv-scanner-action/osv-scanner-action" => {
            Some((VulnScan, None, false, "osv-scanner".into()))
        }
        "docker/scout-action" => input("command")
            .is_some_and(|c| {
                c.split(',')
                    .any(|x| matches!(x.trim(), "cves" | "quickview"))
            })
            .then(|| (VulnScan, None, false, "docker scout cves".into())),
        n if n.starts_with("snyk/actions/") && n != "snyk/actions/setup" => {
            let command = input("command").unwrap_or("test");
            (command.trim() == "test").then(|| (VulnScan, None, false, "snyk test".into()))
        }
        // rust-lang's image upload redeploys an ECS service when told to.
        "rust-lang/simpleinfra/github-actions/upload-docker-image" => {
            if input("redeploy_ecs_service").is_some_and(|v| !v.trim().is_empty()) {
                hit(Deploy, Some(Target::Aws), true)
            } else {
                hit(Publish, None, false)
            }
        }
        // cloud.gov's CLI action runs `cf <cf_command>`.
        "cloud-gov/cg-cli-tools" => {
            let command = input("cf_command").unwrap_or("");
            let sub = command.split_whitespace().next().unwrap_or("");
            if matches!(sub, "push" | "restage" | "restart" | "rollback") {
                Some((Deploy, Some(Target::Other), true, format!("cf {sub}")))
            } else if command.is_empty() {
                // Its `command:` input is a shell line of its own.
                input("command").and_then(|c| {
                    let a = classify_script(c, 1, "", &NoResolve);
                    a.found
                        .into_iter()
                        .find(|f| f.activity == Deploy)
                        .map(|f| (f.activity, f.target, f.production, f.command))
                })
            } else {
                None
            }
        }
        _ => None,
    }
}

/// `target: prerequisites` and their tab-indented recipe lines.
pub fn make_recipes(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut current: Option<usize> = None;
    for line in text.lines() {
        if line.starts_with('\t') {
            if let Some(i) = current {
                out[i].1.push_str(line.trim());
                out[i].1.push('\n');
            }
            continue;
        }
        current = None;
        let trimmed = line.trim_end();
        if trimmed.starts_with('#') || trimmed.starts_with('.') || trimmed.contains(":=") {
            continue;
        }
        if let Some((targets, prereqs)) = trimmed.split_once(':') {
            if targets.contains('=') || targets.contains('$') || prereqs.starts_with('=') {
                continue;
            }
            // Prerequisites run first: represent them as `make dep` lines.
            let mut body = String::new();
            for dep in prereqs
                .split_whitespace()
                .take_while(|d| !d.starts_with('#'))
            {
                if dep != "|" {
                    body.push_str(&format!("make {dep}\n"));
                }
            }
            for target in targets.split_whitespace() {
                out.push((target.to_string(), body.clone()));
                current = Some(out.len() - 1);
            }
        }
    }
    out
}

/// justfile recipes: `name args: deps` then indented lines.
pub fn just_recipes(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut current: Option<usize> = None;
    for line in text.lines() {
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some(i) = current {
                out[i].1.push_str(line.trim());
                out[i].1.push('\n');
            }
            continue;
        }
        current = None;
        let trimmed = line.trim_start_matches('@');
        if trimmed.starts_with('#') || trimmed.starts_with('[') || trimmed.contains(":=") {
            continue;
        }
        if let Some((head, deps)) = trimmed.split_once(':') {
            let Some(name) = head.split_whitespace().next() else {
                continue;
            };
            if matches!(name, "set" | "export" | "alias" | "import" | "mod") {
                continue;
            }
            let mut body = String::new();
            for dep in deps.split_whitespace() {
                body.push_str(&format!("just {dep}\n"));
            }
            out.push((name.to_string(), body));
            current = Some(out.len() - 1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<(u8, String), String>);

    impl Resolve for Map {
        fn resolve(&self, runner: Runner, name: &str, _dir: &str) -> Option<String> {
            self.0.get(&(runner as u8, name.to_string())).cloned()
        }
    }

    fn acts(line: &str) -> BTreeSet<Activity> {
        classify_line(line, 1, "", &NoResolve).activities()
    }

    /// The command a line's vulnerability scan is recognised as.
    fn scan(line: &str) -> Option<String> {
        classify_line(line, 1, "", &NoResolve)
            .found
            .into_iter()
            .find(|c| c.activity == Activity::VulnScan)
            .map(|c| c.command)
    }

    #[test]
    fn vulnerability_scans() {
        for (line, want) in [
            ("cargo audit --deny warnings", "cargo audit"),
            ("cargo deny check", "cargo deny"),
            (
                "cargo deny --all-features check advisories bans",
                "cargo deny",
            ),
            ("npm audit --audit-level=high", "npm audit"),
            ("pnpm audit --prod", "pnpm audit"),
            ("yarn npm audit --recursive", "npm audit"),
            ("npx audit-ci --high", "audit-ci"),
            ("uvx pip-audit -r requirements.txt", "pip-audit"),
            ("pipx run pip-audit", "pip-audit"),
            ("python -m pip_audit", "pip-audit"),
            ("poetry run safety check", "safety"),
            (
                "go run golang.org/x/vuln/cmd/govulncheck@latest ./...",
                "govulncheck",
            ),
            ("govulncheck ./...", "govulncheck"),
            ("bundle exec bundle-audit check --update", "bundler-audit"),
            ("bundle audit", "bundler-audit"),
            ("composer audit --locked", "composer audit"),
            ("bin/importmap audit", "importmap audit"),
            ("osv-scanner -r .", "osv-scanner"),
            ("trivy fs --exit-code 1 .", "trivy fs"),
            ("trivy image --scanners vuln,secret app:1", "trivy image"),
            ("grype dir:.", "grype"),
            ("snyk test --all-projects", "snyk test"),
            ("docker scout cves app:1", "docker scout cves"),
        ] {
            assert_eq!(scan(line).as_deref(), Some(want), "{line}");
        }
        for line in [
            "cargo deny check licenses bans",
            "npm audit signatures",
            "trivy config .",
            "trivy fs --scanners misconfig .",
            "grype db update",
            "snyk monitor",
            "safety --version",
            "npm ci",
        ] {
            assert_eq!(scan(line), None, "{line}");
        }
        assert_eq!(scan_coverage("cargo audit"), Some(&["rust"][..]));
        assert_eq!(scan_coverage("trivy fs"), None);
        assert_eq!(scan_coverage("something new"), Some(&[][..]));
    }

    #[test]
    fn vulnerability_scan_actions() {
        let with = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let cmd = |uses: &str, w: &[(&str, &str)]| {
            classify_action(uses, &with(w))
                .filter(|f| f.0 == Activity::VulnScan)
                .map(|f| f.3)
        };
        assert_eq!(
            cmd("actions/dependency-review-action@v4", &[]).as_deref(),
            Some("dependency-review")
        );
        assert_eq!(
            cmd("rustsec/audit-check@v2", &[]).as_deref(),
            Some("rustsec/audit-check")
        );
        assert_eq!(
            cmd("EmbarkStudios/cargo-deny-action@v2", &[]).as_deref(),
            Some("embarkstudios/cargo-deny-action")
        );
        assert_eq!(
            cmd(
                "EmbarkStudios/cargo-deny-action@v2",
                &[("command", "check licenses")]
            ),
            None
        );
        assert_eq!(
            cmd("aquasecurity/trivy-action@0.28.0", &[("scan-type", "fs")]).as_deref(),
            Some("trivy fs")
        );
        assert_eq!(
            cmd(
                "aquasecurity/trivy-action@0.28.0",
                &[("scan-type", "config")]
            ),
            None
        );
        assert_eq!(
            cmd(
                "aquasecurity/trivy-action@0.28.0",
                &[("scanners", "secret")]
            ),
            None
        );
        assert_eq!(
            cmd("snyk/actions/node@master", &[]).as_deref(),
            Some("snyk test")
        );
        assert_eq!(
            cmd("snyk/actions/node@master", &[("command", "monitor")]),
            None
        );
        assert_eq!(cmd("snyk/actions/setup@master", &[]), None);
        assert_eq!(cmd("github/codeql-action/analyze@v3", &[]), None);
        assert_eq!(
            cmd(
                "cds-snc/security-tools/.github/actions/docker-scan@837a88b",
                &[]
            )
            .as_deref(),
            Some("trivy image")
        );
    }

    #[test]
    fn direct_commands_per_stack() {
        use Activity::*;
        for (line, want) in [
            ("cargo test --all-features", Test),
            ("cargo clippy --all-targets -- -D warnings", Lint),
            ("cargo fmt --all -- --check", Lint),
            ("npx jest --ci", Test),
            ("pnpm exec vitest run", Test),
            ("./node_modules/.bin/eslint .", Lint),
            ("tsc --noEmit", TypeCheck),
            ("uv run pytest -q", Test),
            ("poetry run mypy src", TypeCheck),
            ("python -m pytest", Test),
            ("ruff check .", Lint),
            ("go test ./... -race", Test),
            ("go vet ./...", Lint),
            ("golangci-lint run", Lint),
            ("dotnet test --no-build", Test),
            ("./mvnw -B verify", Test),
            ("./gradlew build", Test),
            ("bundle exec rspec", Test),
            ("bin/rails test", Test),
            ("vendor/bin/phpunit", Test),
            ("php artisan test", Test),
            (
                "CI=true npm run build && docker push ghcr.io/acme/app:1",
                Publish,
            ),
        ] {
            assert!(acts(line).contains(&want), "{line}: {:?}", acts(line));
        }
    }

    #[test]
    fn the_word_test_alone_proves_nothing() {
        for line in [
            "echo test",
            "echo \"running tests\" && true",
            "printf 'cargo test\\n'",
            "# cargo test",
            "cargo build # then cargo test",
            "mvn -DskipTests package",
            "./gradlew build -x test",
            "kubectl apply --dry-run=client -f k8s/",
        ] {
            let a = acts(line);
            assert!(!a.contains(&Activity::Test), "{line}: {a:?}");
            assert!(!a.contains(&Activity::Deploy), "{line}: {a:?}");
        }
    }

    #[test]
    fn deploys_per_platform_and_production() {
        let one = |line: &str| {
            classify_line(line, 7, "", &NoResolve)
                .found
                .into_iter()
                .next()
        };
        let d = one("vercel deploy --prod --token=$VERCEL_TOKEN").unwrap();
        assert_eq!(
            (d.activity, d.target, d.production),
            (Activity::Deploy, Some(Target::Vercel), true)
        );
        assert_eq!(d.line, 7);
        assert!(!one("vercel deploy --prebuilt").unwrap().production);
        assert!(one("vercel build --prod").is_none());
        assert!(one("netlify deploy --dir=dist --prod").unwrap().production);
        assert!(!one("netlify deploy --dir=dist").unwrap().production);
        for (line, target) in [
            (
                "aws ecs update-service --cluster c --service s --force-new-deployment",
                Target::Aws,
            ),
            ("aws s3 sync dist/ s3://bucket --delete", Target::Aws),
            ("sam deploy --no-confirm-changeset", Target::Aws),
            (
                "gcloud run deploy api --image $IMAGE --region europe-west1",
                Target::Gcp,
            ),
            (
                "az containerapp update -n api -g rg --image $IMAGE",
                Target::Azure,
            ),
            ("flyctl deploy --remote-only", Target::Fly),
            (
                "kubectl set image deployment/api api=$IMAGE",
                Target::Kubernetes,
            ),
            (
                "helm upgrade --install api ./chart --atomic",
                Target::Kubernetes,
            ),
            ("terraform apply -auto-approve", Target::Terraform),
            ("npx serverless deploy --stage prod", Target::Serverless),
            ("npx --yes vercel@64.0.2 deploy --prod", Target::Vercel),
            (
                r#"url="$(npx --yes vercel@64.0.2 deploy --prebuilt --token "$T")""#,
                Target::Vercel,
            ),
            ("pnpm dlx netlify-cli@17 deploy --prod", Target::Netlify),
        ] {
            let d = one(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(
                (d.activity, d.target),
                (Activity::Deploy, Some(target)),
                "{line}"
            );
        }
        assert!(one("aws sts get-caller-identity").is_none());
        assert!(one("terraform plan").is_none());
    }

    #[test]
    fn runners_are_followed_and_unknowns_say_why() {
        let mut m = HashMap::new();
        m.insert(
            (Runner::Npm as u8, "ci".to_string()),
            "npm run lint && npm test".to_string(),
        );
        m.insert(
            (Runner::Npm as u8, "lint".to_string()),
            "eslint . && tsc --noEmit".to_string(),
        );
        m.insert(
            (Runner::Npm as u8, "test".to_string()),
            "vitest run".to_string(),
        );
        // A script named like one of pnpm's own commands.
        m.insert(
            (Runner::Npm as u8, "deploy".to_string()),
            "eslint .".to_string(),
        );
        m.insert(
            (Runner::Make as u8, "check".to_string()),
            "make test\ngo vet ./...\n".to_string(),
        );
        m.insert(
            (Runner::Make as u8, "test".to_string()),
            "go test ./...\n".to_string(),
        );
        m.insert(
            (Runner::File as u8, "scripts/deploy.sh".to_string()),
            "#!/bin/sh\nset -e\nflyctl deploy\n".to_string(),
        );
        let r = Map(m);
        let a = classify_line("npm run ci", 3, "", &r);
        assert_eq!(
            a.activities(),
            [Activity::Test, Activity::Lint, Activity::TypeCheck]
                .into_iter()
                .collect()
        );
        let test = a
            .found
            .iter()
            .find(|c| c.activity == Activity::Test)
            .unwrap();
        assert_eq!(test.via, ["npm run ci", "npm run test"]);
        assert_eq!(test.line, 3);
        let a = classify_line("make check", 1, "", &r);
        assert!(a.has(Activity::Test) && a.has(Activity::Lint));
        // pnpm's short form runs the script; its own commands do not.
        assert!(classify_line("pnpm lint", 1, "", &r).has(Activity::Lint));
        assert!(classify_line("pnpm ci", 1, "", &r).has(Activity::Test));
        // `pnpm deploy` is pnpm's command, not the script of that name;
        // `npm run deploy` is the script.
        assert!(!classify_line("pnpm deploy", 1, "", &r).has(Activity::Lint));
        assert!(classify_line("npm run deploy", 1, "", &r).has(Activity::Lint));
        let a = classify_line("./scripts/deploy.sh", 1, "", &r);
        assert_eq!(a.found[0].target, Some(Target::Fly));
        let a = classify_line("source scripts/deploy.sh", 1, "", &r);
        assert_eq!(a.found[0].target, Some(Target::Fly));
        let a = classify_line("make e2e", 9, "", &r);
        assert!(a.found.is_empty());
        assert_eq!(a.unknown[0].line, 9);
        assert!(
            a.unknown[0].reason.contains("Makefile target"),
            "{:?}",
            a.unknown
        );
        // A script that runs itself does not loop.
        let mut m = HashMap::new();
        m.insert(
            (Runner::Npm as u8, "x".to_string()),
            "npm run x".to_string(),
        );
        assert!(classify_line("npm run x", 1, "", &Map(m)).found.is_empty());
    }

    #[test]
    fn deploy_shapes_of_real_pipelines() {
        let deploy = |line: &str| {
            classify_line(line, 1, "", &NoResolve)
                .found
                .iter()
                .find(|c| c.activity == Activity::Deploy)
                .map(|c| c.command.clone())
        };
        for (line, want) in [
            ("terraform -chdir=terraform/aks apply -var-file x.json", "terraform apply"),
            ("cf push -f manifest.yml --strategy rolling", "cf push"),
            ("aws lambda create-function --function-name f --package-type Image", "aws lambda create-function"),
            ("aws s3 cp build.zip s3://bucket/app.zip", "aws s3 cp"),
            ("if aws lambda get-function --function-name f; then aws lambda update-function-code --function-name f; fi", "aws lambda update-function-code"),
        ] {
            assert_eq!(deploy(line).as_deref(), Some(want), "{line}");
        }
        // Downloads, plans and global options alone deploy nothing.
        for line in [
            "aws s3 cp s3://bucket/config.json ./config.json",
            "aws s3",
            "terraform -chdir=infra plan",
            "cf logs app --recent",
        ] {
            assert_eq!(deploy(line), None, "{line}");
        }
        let with = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let upload = "rust-lang/simpleinfra/github-actions/upload-docker-image@master";
        assert_eq!(
            classify_action(
                upload,
                &with(&[("image", "bot"), ("redeploy_ecs_service", "bot")])
            )
            .map(|f| f.0),
            Some(Activity::Deploy)
        );
        assert_eq!(
            classify_action(upload, &with(&[("image", "bot")])).map(|f| f.0),
            Some(Activity::Publish)
        );
        let cf = "cloud-gov/cg-cli-tools@main";
        assert_eq!(
            classify_action(cf, &with(&[("cf_command", "push -f manifest.yml")])).map(|f| f.3),
            Some("cf push".to_string())
        );
        assert!(
            classify_action(cf, &with(&[("cf_command", "run-task app --command x")])).is_none()
        );
        assert_eq!(
            classify_action(
                cf,
                &with(&[("command", "cf restage --strategy rolling app")])
            )
            .map(|f| f.3),
            Some("cf restage".to_string())
        );
    }

    #[test]
    fn cd_make_targets_containers_and_binaries() {
        let mut m = HashMap::new();
        m.insert(
            (Runner::Npm as u8, "test".to_string()),
            "vitest run".to_string(),
        );
        m.insert(
            (Runner::Make as u8, "apply".to_string()),
            "terraform apply\n".to_string(),
        );
        m.insert(
            (Runner::Make as u8, "prod".to_string()),
            "$(eval X=1)\n".to_string(),
        );
        // A resolver that answers only in the `web` directory for npm.
        struct InWeb(Map);
        impl Resolve for InWeb {
            fn resolve(&self, runner: Runner, name: &str, dir: &str) -> Option<String> {
                if runner == Runner::Npm && dir != "web" {
                    return None;
                }
                self.0.resolve(runner, name, dir)
            }
        }
        let r = InWeb(Map(m));
        let a = classify_script("cd ./web/src/..\nnpm test\n", 1, "", &r);
        assert!(a.has(Activity::Test), "{a:?}");
        let a = classify_script("pushd web\npopd\nnpm test\n", 1, "", &r);
        assert!(!a.has(Activity::Test) && a.unknown.len() == 1, "{a:?}");
        let a = classify_script("cd $GITHUB_WORKSPACE/web && npm test\n", 1, "", &r);
        assert!(a.has(Activity::Test), "{a:?}");
        // Every target runs; one chosen at run time is unknown, with why.
        let a = classify_line("make ${{ inputs.env }} prod apply", 4, "", &r);
        assert!(a.has(Activity::Deploy), "{a:?}");
        assert_eq!(a.unknown.len(), 1);
        assert!(a.unknown[0].reason.contains("chosen at run time"), "{a:?}");
        let a = classify_line("make -C infra -j 4 apply", 4, "", &r);
        assert!(a.has(Activity::Deploy) && a.unknown.is_empty(), "{a:?}");
        // What a container or a shell runs.
        assert_eq!(
            acts("docker run --rm -e CI=true -v $PWD:/app --net=host img:1 pytest -q"),
            BTreeSet::from([Activity::Test])
        );
        assert_eq!(
            acts("docker compose run --rm -T web bundle exec rspec"),
            BTreeSet::from([Activity::Test])
        );
        assert_eq!(
            acts("bash -ec 'go vet ./... && go test ./...'"),
            BTreeSet::from([Activity::Lint, Activity::Test])
        );
        assert!(acts("docker run --rm img").is_empty());
        // `yarn eslint` without such a script runs the binary.
        let a = classify_line("yarn eslint app/*.js", 1, "", &NoResolve);
        assert!(a.has(Activity::Lint) && a.unknown.is_empty(), "{a:?}");
        let a = classify_line("yarn deploy-all", 1, "", &NoResolve);
        assert_eq!(a.unknown.len(), 1, "{a:?}");
    }

    #[test]
    fn actions_by_name() {
        let with = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        let d =
            classify_action("amondnet/vercel-action@v25", &with("vercel-args", "--prod")).unwrap();
        assert_eq!(
            (d.0, d.1, d.2),
            (Activity::Deploy, Some(Target::Vercel), true)
        );
        let p = classify_action("docker/build-push-action@abc", &with("push", "true")).unwrap();
        assert_eq!(p.0, Activity::Publish);
        assert_eq!(
            classify_action("docker/build-push-action@abc", &[])
                .unwrap()
                .0,
            Activity::Build
        );
        assert!(classify_action("actions/checkout@v4", &[]).is_none());
        assert!(classify_action("superfly/flyctl-actions@1", &with("args", "status")).is_none());
    }

    #[test]
    fn recipes_of_make_and_just() {
        let make = make_recipes("VAR := x\n.PHONY: test\ntest: lint\n\tgo test ./...\n\n# c\nlint:\n\t@golangci-lint run\n");
        assert_eq!(
            make[0],
            ("test".to_string(), "make lint\ngo test ./...\n".to_string())
        );
        assert_eq!(make[1].0, "lint");
        let just = just_recipes(
            "set shell := [\"bash\"]\ntest: build\n    cargo test\n@build:\n    cargo build\n",
        );
        assert_eq!(
            just[0],
            ("test".to_string(), "just build\ncargo test\n".to_string())
        );
        assert_eq!(just[1].0, "build");
    }
}
