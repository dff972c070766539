//! CI pipelines as one typed model with source positions: GitHub Actions
//! workflows and composite actions (`github.rs`) and GitLab CI (`gitlab.rs`).
//! The model records what the file says (triggers, jobs, `needs`, conditions,
//! environments, steps and their commands); what a command does is
//! `commands.rs`'s job, and whether production is gated is the rules' job.
//! Where a file leaves a fact to run time (an expression, a workflow from
//! another repository, an include from another project), the model keeps it
//! as `Dynamic`/`External` with the text, never a guess.

pub(crate) mod commands;
pub(crate) mod github;
pub(crate) mod gitlab;

use crate::model::Location;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    GithubActions,
    GitlabCi,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PipelineKind {
    /// `.github/workflows/*.yml` or `.gitlab-ci.yml`.
    Workflow,
    /// A workflow whose only trigger is `workflow_call`.
    Reusable,
    /// `action.yml` with `runs.using: composite`.
    CompositeAction,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    pub system: System,
    pub kind: PipelineKind,
    pub path: String,
    pub name: Option<String>,
    pub triggers: Vec<Trigger>,
    /// Workflow-level `permissions:`; `None` when the key is absent.
    pub permissions: Option<Permissions>,
    /// Where the workflow-level `permissions:` value is.
    pub permissions_at: Option<Location>,
    /// Workflow-level `env:` (GitHub) or global `variables:` (GitLab).
    pub env: Vec<EnvVar>,
    /// `workflow_dispatch` inputs of `type: choice`, with their options.
    pub dispatch_choices: Vec<(String, Vec<String>)>,
    pub jobs: Vec<Job>,
    /// GitLab `stages:` in order (the default list when absent).
    pub stages: Vec<String>,
    /// GitLab `include:` entries that are not local files of this repository.
    pub external_includes: Vec<(String, Location)>,
}

/// A branch or tag filter; an empty `include` list means every ref.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RefFilter {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

impl RefFilter {
    pub fn any() -> Self {
        RefFilter::default()
    }

    /// Whether `name` passes the filter (GitHub glob semantics: `*` does
    /// not cross `/`, `**` does).
    pub fn matches(&self, name: &str) -> bool {
        let included = self.include.is_empty() || self.include.iter().any(|p| glob(p, name));
        included && !self.exclude.iter().any(|p| glob(p, name))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// `branches: None` with `tags: Some` means a tag-only push trigger.
    Push {
        branches: Option<RefFilter>,
        tags: Option<RefFilter>,
    },
    PullRequest {
        branches: RefFilter,
    },
    PullRequestTarget {
        branches: RefFilter,
    },
    WorkflowRun {
        workflows: Vec<String>,
        branches: RefFilter,
    },
    WorkflowDispatch,
    WorkflowCall,
    Schedule,
    Release,
    /// GitLab: merge request pipelines.
    MergeRequest,
    Other(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    pub event: Event,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Permissions {
    WriteAll,
    ReadAll,
    /// `permissions: {}`.
    None,
    Scopes(Vec<(String, String)>),
    /// An expression or another shape the model does not read.
    Dynamic(String),
}

impl Permissions {
    /// Whether any scope may write (`id-token: write` included).
    pub fn writes(&self) -> bool {
        match self {
            Permissions::WriteAll => true,
            Permissions::Scopes(s) => s.iter().any(|(_, v)| v == "write"),
            _ => false,
        }
    }

    pub fn scope(&self, name: &str) -> Option<&str> {
        match self {
            Permissions::Scopes(s) => s.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()),
            Permissions::WriteAll => Some("write"),
            Permissions::ReadAll => Some("read"),
            _ => None,
        }
    }
}

/// A value written literally or left to an expression evaluated at run time.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Literal(String),
    Dynamic(String),
}

impl Value {
    fn from_text(text: &str) -> Value {
        let variable = text
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'$' && (w[1].is_ascii_alphabetic() || w[1] == b'_' || w[1] == b'{'));
        if variable {
            Value::Dynamic(text.to_string())
        } else {
            Value::Literal(text.to_string())
        }
    }

    pub fn literal(&self) -> Option<&str> {
        match self {
            Value::Literal(s) => Some(s),
            Value::Dynamic(_) => None,
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Value::Literal(s) | Value::Dynamic(s) => s,
        }
    }
}

/// One entry of an `env:` or `variables:` map, the value as written.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvVar {
    pub name: String,
    pub value: String,
    pub location: Location,
}

/// A `secrets.NAME` read inside a `${{ }}` expression, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretRef {
    pub name: String,
    pub location: Location,
}

/// Each `${{ … }}` of a text: the byte offset of `${{` and the expression
/// inside, trimmed. An unclosed `${{` ends the search.
pub fn expressions(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("${{").map(|i| i + from) {
        let inner = start + 3;
        let Some(end) = text[inner..].find("}}").map(|i| i + inner) else {
            break;
        };
        out.push((start, text[inner..end].trim()));
        from = end + 2;
    }
    out
}

/// The context paths an expression reads (`github.event.issue.title`,
/// `secrets.TOKEN`), with indexes and quoted keys normalised to dotted
/// names and `[0]`/`[*]` to `*`; text inside string literals is skipped.
pub fn context_paths(expr: &str) -> Vec<String> {
    let b = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
    while i < b.len() {
        let c = b[i];
        if c == b'\'' {
            // A string literal: '' escapes a quote.
            i += 1;
            while i < b.len() {
                if b[i] == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let mut path = String::new();
            let start = i;
            while i < b.len() && ident(b[i]) {
                i += 1;
            }
            path.push_str(&expr[start..i]);
            loop {
                if i < b.len() && b[i] == b'.' {
                    let s = i + 1;
                    let mut j = s;
                    if b.get(j) == Some(&b'*') {
                        j += 1;
                    } else {
                        while j < b.len() && ident(b[j]) {
                            j += 1;
                        }
                    }
                    if j == s {
                        break;
                    }
                    path.push('.');
                    path.push_str(&expr[s..j]);
                    i = j;
                } else if i < b.len() && b[i] == b'[' {
                    let Some(close) = expr[i..].find(']').map(|k| k + i) else {
                        break;
                    };
                    let key = expr[i + 1..close].trim();
                    let key = key.trim_matches(|c| c == '\'' || c == '"');
                    path.push('.');
                    if key.is_empty() || key == "*" || key.bytes().all(|c| c.is_ascii_digit()) {
                        path.push('*');
                    } else {
                        path.push_str(key);
                    }
                    i = close + 1;
                } else {
                    break;
                }
            }
            out.push(path);
            continue;
        }
        i += 1;
    }
    out
}

/// The secret names a text reads through `${{ secrets.NAME }}` (or
/// `secrets['NAME']`), with the byte offset of the expression.
pub fn secret_reads(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (at, expr) in expressions(text) {
        for path in context_paths(expr) {
            if let Some(name) = path.strip_prefix("secrets.") {
                let name = name.split('.').next().unwrap_or(name);
                out.push((at, name.to_string()));
            }
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    pub name: Value,
    pub location: Location,
}

/// An `if:` (GitHub) or one `rules:`/`only:`/`except:` entry (GitLab).
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub text: String,
    pub location: Location,
}

/// What a job waits for before it runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Needs {
    /// GitHub: no `needs:`; GitLab: no `needs:` (stage order applies).
    Unset,
    List(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: String,
    pub name: Option<String>,
    pub location: Location,
    pub needs: Needs,
    pub condition: Option<Condition>,
    /// GitLab `rules:` (each entry's `if:` text; `when: never` entries are
    /// exclusions), `only:`/`except:` refs.
    pub rules: Vec<Condition>,
    pub environment: Option<Environment>,
    pub permissions: Option<Permissions>,
    /// Where the job's `permissions:` value is.
    pub permissions_at: Option<Location>,
    /// Job-level `env:` (GitHub) or `variables:` (GitLab, along `extends:`).
    pub env: Vec<EnvVar>,
    /// Every `${{ secrets.NAME }}` in the job's values (not in `name:` or
    /// `if:`), `GITHUB_TOKEN` included: the model records what the file
    /// says, the rules decide what counts.
    pub secrets: Vec<SecretRef>,
    /// `uses:` of a job that calls a reusable workflow.
    pub calls: Option<Uses>,
    pub steps: Vec<Step>,
    /// GitLab `stage:`.
    pub stage: Option<String>,
    /// GitLab `when: manual` (or a manual rule).
    pub manual: bool,
    /// `secrets: inherit` or named secrets passed to a reusable workflow, or
    /// `${{ secrets.X }}` anywhere in the job.
    pub uses_secrets: bool,
    /// `timeout-minutes:` (GitHub) or `timeout:` (GitLab) is set, to any
    /// value or expression.
    pub timeout: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Uses {
    /// `./.github/workflows/x.yml` or `./path/to/action`.
    Local(String),
    /// `owner/repo/path@ref` or `owner/repo@ref`.
    Remote(String),
    /// `docker://image`.
    Docker(String),
}

impl Uses {
    fn parse(text: &str) -> Uses {
        let text = text.trim();
        if let Some(local) = text.strip_prefix("./") {
            Uses::Local(local.trim_end_matches('/').to_string())
        } else if let Some(image) = text.strip_prefix("docker://") {
            Uses::Docker(image.to_string())
        } else {
            Uses::Remote(text.to_string())
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Uses::Local(s) | Uses::Remote(s) | Uses::Docker(s) => s,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub name: Option<String>,
    pub location: Location,
    pub uses: Option<Uses>,
    /// The `with:` inputs of an action step, values as written.
    pub with: Vec<(String, String)>,
    /// Where each `with:` value is, in the order of `with`.
    pub with_at: Vec<Location>,
    /// The step's `env:`.
    pub env: Vec<EnvVar>,
    /// The shell text of `run:` (or a GitLab script line), with the line its
    /// first line is on.
    pub run: Option<Script>,
    pub condition: Option<Condition>,
    /// `continue-on-error: true` (GitHub) or `allow_failure: true` (GitLab,
    /// copied from the job).
    pub may_fail: bool,
    /// `working-directory:` of the step, else of the job's or workflow's
    /// `defaults.run`; `None` is the repository root.
    pub working_directory: Option<String>,
    /// What the step runs, filled by discovery once the files it may call
    /// (package.json, Makefile, scripts) are at hand; empty from the parser.
    pub runs: commands::Analysis,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    pub text: String,
    /// 1-based line of the script's first line in the file.
    pub line: u32,
}

impl Script {
    /// Each logical command line (continuations joined, comments dropped)
    /// with its own line number.
    pub fn lines(&self) -> Vec<(u32, String)> {
        let mut out: Vec<(u32, String)> = Vec::new();
        let mut pending: Option<(u32, String)> = None;
        for (i, raw) in self.text.lines().enumerate() {
            let line_no = self.line + i as u32;
            let trimmed = raw.trim();
            let (start, mut acc) = pending.take().unwrap_or((line_no, String::new()));
            if trimmed.starts_with('#') && acc.is_empty() {
                continue;
            }
            if let Some(head) = trimmed.strip_suffix('\\') {
                acc.push_str(head);
                acc.push(' ');
                pending = Some((start, acc));
                continue;
            }
            acc.push_str(trimmed);
            if !acc.trim().is_empty() {
                out.push((start, acc.trim().to_string()));
            }
        }
        if let Some((start, acc)) = pending {
            if !acc.trim().is_empty() {
                out.push((start, acc.trim().to_string()));
            }
        }
        out
    }
}

/// Glob match for ref filters: `*` any run without `/`, `**` any run,
/// `?` one character, other characters literal. Character classes and `!`
/// negation inside a pattern are taken literally (they are rare in refs).
pub fn glob(pattern: &str, name: &str) -> bool {
    fn go(p: &[u8], n: &[u8]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some(b'*') => {
                let double = p.get(1) == Some(&b'*');
                let rest = if double { &p[2..] } else { &p[1..] };
                (0..=n.len())
                    .take_while(|&i| double || !n[..i].contains(&b'/'))
                    .any(|i| go(rest, &n[i..]))
            }
            Some(b'?') => !n.is_empty() && go(&p[1..], &n[1..]),
            Some(c) => n.first() == Some(c) && go(&p[1..], &n[1..]),
        }
    }
    // Bounded: refs are short; a hostile pattern cannot blow up past this.
    if pattern.len() > 256 || name.len() > 256 {
        return pattern == name;
    }
    go(pattern.as_bytes(), name.as_bytes())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl From<super::yaml::YamlError> for PipelineError {
    fn from(e: super::yaml::YamlError) -> Self {
        PipelineError {
            line: e.line,
            column: e.column,
            message: e.message,
        }
    }
}

/// The line a scalar's text starts on: block scalars (`|`, `>`) start on
/// the line after their indicator.
fn content_line(source: &str, node: &super::yaml::Yaml) -> u32 {
    let line = source
        .lines()
        .nth(node.line.saturating_sub(1) as usize)
        .unwrap_or("");
    let at = line
        .char_indices()
        .nth(node.column.saturating_sub(1) as usize)
        .map(|(i, _)| i)
        .unwrap_or(line.len());
    let rest = line[at..].trim_start();
    if rest.starts_with('|') || rest.starts_with('>') {
        node.line + 1
    } else {
        node.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_globs_follow_github_semantics() {
        assert!(glob("main", "main"));
        assert!(!glob("main", "mainline"));
        assert!(glob("release/*", "release/1.2"));
        assert!(!glob("release/*", "release/1/2"));
        assert!(glob("release/**", "release/1/2"));
        assert!(glob("v*", "v1.2.3"));
        assert!(glob("hotfix-?", "hotfix-a"));
        let f = RefFilter {
            include: vec!["**".into()],
            exclude: vec!["dependabot/**".into()],
        };
        assert!(f.matches("feature/x"));
        assert!(!f.matches("dependabot/npm/x"));
        assert!(RefFilter::any().matches("anything"));
    }

    #[test]
    fn script_lines_join_continuations_and_drop_comments() {
        let s = Script {
            text: "# set up\nnpm ci\nnpm run build -- \\\n  --prod\n\necho done\n".into(),
            line: 10,
        };
        assert_eq!(
            s.lines(),
            vec![
                (11, "npm ci".to_string()),
                (12, "npm run build --  --prod".to_string()),
                (15, "echo done".to_string()),
            ]
        );
    }

    #[test]
    fn expressions_and_the_contexts_they_read() {
        let text = "echo ${{ github.event.issue.title }} ${{ secrets['NPM_TOKEN'] }} ${{ 'secrets.X' }} ${{";
        let exprs = expressions(text);
        assert_eq!(exprs.len(), 3);
        assert_eq!(exprs[0], (5, "github.event.issue.title"));
        assert_eq!(
            context_paths("toJSON(github.event.commits[0].message) || github.head_ref"),
            [
                "toJSON",
                "github.event.commits.*.message",
                "github.head_ref"
            ]
        );
        assert_eq!(
            context_paths("github.event.pages.*.page_name == 'a.b'"),
            ["github.event.pages.*.page_name"]
        );
        assert_eq!(secret_reads(text), vec![(37, "NPM_TOKEN".to_string())]);
        assert!(secret_reads("name: secrets.X").is_empty());
    }

    #[test]
    fn expressions_are_dynamic() {
        assert_eq!(
            Value::from_text("${{ inputs.env }}"),
            Value::Dynamic("${{ inputs.env }}".into())
        );
        assert_eq!(Value::from_text("production").literal(), Some("production"));
        assert!(Value::from_text("review/$CI_COMMIT_REF_SLUG")
            .literal()
            .is_none());
        assert_eq!(Value::from_text("costs $5").literal(), Some("costs $5"));
        assert!(Value::from_text("review/${CI_COMMIT_REF_SLUG}")
            .literal()
            .is_none());
    }
}
