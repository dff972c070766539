//! workflow-secret-exposure on small self-written repositories: each case
//! is one CI shape with the exact findings the rule must report (cause,
//! file, line, level) or the verdict it must reach, in the style of
//! tests/pipelines.rs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use infra::audit::{self, AuditOptions, Level, Status};
use std::fs;

const RULE: &str = "workflow-secret-exposure";
const PKG: &str = r#"{"name": "shop", "scripts": {"test": "vitest run"}}"#;

struct Case {
    name: &'static str,
    files: &'static [(&'static str, &'static str)],
    want: Status,
    /// (cause, path, line, level) of every finding, in report order.
    findings: &'static [(&'static str, &'static str, u32, Level)],
    /// A piece of the first finding's message, or of the verdict's reason.
    says: &'static str,
}

fn run(case: &Case) {
    let dir = tempfile::tempdir().unwrap();
    let mut has_pkg = false;
    for (path, text) in case.files {
        let full = dir.path().join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, text).unwrap();
        has_pkg |= *path == "package.json";
    }
    if !has_pkg {
        fs::write(dir.path().join("package.json"), PKG).unwrap();
    }
    let report = audit::audit_tree(dir.path(), &AuditOptions::default()).unwrap();
    let result = report.result(RULE).unwrap();
    let mine = report.only(RULE);
    let text = infra::report::text::render(&mine, false);
    assert_eq!(
        result.status, case.want,
        "{}: should be {:?}\n{text}\nreason: {:?}",
        case.name, case.want, result.reason
    );
    let got: Vec<(String, String, u32, Level)> = mine
        .findings
        .iter()
        .map(|f| {
            let cause = f
                .evidence
                .iter()
                .find_map(|e| e.strip_prefix("cause: "))
                .unwrap_or("?")
                .to_string();
            (cause, f.location.path.clone(), f.location.line, f.level)
        })
        .collect();
    let want: Vec<(String, String, u32, Level)> = case
        .findings
        .iter()
        .map(|(c, p, l, lv)| (c.to_string(), p.to_string(), *l, *lv))
        .collect();
    assert_eq!(got, want, "{}:\n{text}", case.name);
    let said = format!("{text}\n{}", result.reason.clone().unwrap_or_default());
    assert!(
        said.contains(case.says),
        "{}: expected {:?} in\n{said}",
        case.name,
        case.says
    );
}

const CI: &str = ".github/workflows/ci.yml";
const DEPLOY: &str = ".github/workflows/deploy.yml";
const GITLAB: &str = ".gitlab-ci.yml";
const E: Level = Level::Error;
const W: Level = Level::Warning;

const CASES: &[Case] = &[
    // Secrets printed to the log.
    Case {
        name: "echo of a secret expression",
        files: &[(CI, "on: push\npermissions: {}\njobs:\n  a:\n    steps:\n      - run: |\n          npm ci\n          echo \"token is ${{ secrets.NPM_TOKEN }}\"\n")],
        want: Status::Fail,
        findings: &[("echo", CI, 8, E)],
        says: "prints the secret `secrets.NPM_TOKEN`",
    },
    Case {
        name: "echo of a variable set from a secret in the step's env",
        files: &[(CI, "on: push\npermissions: {}\njobs:\n  a:\n    steps:\n      - env:\n          TOKEN: ${{ secrets.API_TOKEN }}\n        run: echo \"$TOKEN\"\n")],
        want: Status::Fail,
        findings: &[("echo", CI, 8, E)],
        says: "is set from a secret here",
    },
    Case {
        name: "printf of a variable set from a secret in the workflow's env",
        files: &[(CI, "on: push\npermissions: {}\nenv:\n  DB_PASSWORD: ${{ secrets.DB_PASSWORD }}\njobs:\n  a:\n    steps:\n      - run: printf 'pw=%s\\n' \"${DB_PASSWORD}\"\n")],
        want: Status::Fail,
        findings: &[("echo", CI, 8, E)],
        says: "`DB_PASSWORD`",
    },
    Case {
        name: "a secret piped or redirected is not printed; GITHUB_TOKEN is not a secret here",
        files: &[(CI, "on: push\npermissions: {}\njobs:\n  a:\n    env:\n      TOKEN: ${{ secrets.REGISTRY_TOKEN }}\n      GH: ${{ secrets.GITHUB_TOKEN }}\n    steps:\n      - run: |\n          echo \"$TOKEN\" | docker login ghcr.io -u me --password-stdin\n          echo \"token=$TOKEN\" >> \"$GITHUB_ENV\"\n          echo \"::add-mask::$TOKEN\"\n          echo \"$GH\"\n          echo '$TOKEN'\n          echo ${{ secrets.GITHUB_TOKEN }}\n")],
        want: Status::Pass,
        findings: &[],
        says: "",
    },
    Case {
        name: "names, comments and conditions that mention secrets count for nothing",
        files: &[(CI, "on: push\npermissions: {}\njobs:\n  a:\n    name: echo ${{ secrets.X }}\n    steps:\n      - name: echo secrets.DEPLOY_KEY\n        if: ${{ secrets.DEPLOY_KEY != '' }}\n        run: |\n          # echo ${{ secrets.DEPLOY_KEY }}\n          echo done\n")],
        want: Status::Pass,
        findings: &[],
        says: "",
    },
    Case {
        name: "set -x in a step that holds a secret",
        files: &[(CI, "on: push\npermissions: {}\njobs:\n  a:\n    env:\n      KEY: ${{ secrets.SIGNING_KEY }}\n    steps:\n      - run: |\n          set -euxo pipefail\n          ./sign.sh \"$KEY\"\n")],
        want: Status::Fail,
        findings: &[("xtrace", CI, 9, E)],
        says: "`set -x`",
    },
    // Untrusted text in scripts.
    Case {
        name: "a pull request title in run: of a pull_request_target workflow that checks out the base",
        files: &[(CI, "on: pull_request_target\npermissions: {}\njobs:\n  greet:\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo \"Thanks for ${{ github.event.pull_request.title }} (#${{ github.event.pull_request.number }})\"\n")],
        want: Status::Fail,
        findings: &[("template-injection", CI, 7, E)],
        says: "anyone who can open a pull request",
    },
    Case {
        name: "only numbers and shas of the pull request: nothing untrusted",
        files: &[(CI, "on: pull_request\npermissions: {}\njobs:\n  a:\n    steps:\n      - run: echo ${{ github.event.pull_request.number }} ${{ github.event.pull_request.head.sha }}\n")],
        want: Status::Pass,
        findings: &[],
        says: "",
    },
    Case {
        name: "a comment body in github-script",
        files: &[(CI, "on:\n  issue_comment:\n    types: [created]\npermissions: {}\njobs:\n  bot:\n    steps:\n      - uses: actions/github-script@v7\n        with:\n          script: |\n            const body = `${{ github.event.comment.body }}`\n            console.log(body)\n")],
        want: Status::Fail,
        findings: &[("template-injection", CI, 11, E)],
        says: "anyone who can comment",
    },
    Case {
        name: "issue text in a push workflow is empty, a commit message is not",
        files: &[(CI, "on: push\npermissions: {}\njobs:\n  a:\n    steps:\n      - run: echo \"${{ github.event.issue.title }}\"\n      - run: echo \"${{ github.event.head_commit.message }}\"\n")],
        want: Status::Fail,
        findings: &[("template-injection", CI, 7, E)],
        says: "github.event.head_commit.message",
    },
    Case {
        name: "untrusted text through env: is safe",
        files: &[(CI, "on: issues\npermissions: {}\njobs:\n  a:\n    steps:\n      - env:\n          TITLE: ${{ github.event.issue.title }}\n        run: echo \"$TITLE\"\n")],
        want: Status::Pass,
        findings: &[],
        says: "",
    },
    Case {
        name: "a local reusable workflow takes its caller's events",
        files: &[
            (CI, "on: pull_request_target\npermissions: {}\njobs:\n  call:\n    uses: ./.github/workflows/label.yml\n"),
            (".github/workflows/label.yml", "on: workflow_call\njobs:\n  label:\n    steps:\n      - run: ./label.sh \"${{ github.head_ref }}\"\n"),
        ],
        want: Status::Fail,
        findings: &[("template-injection", ".github/workflows/label.yml", 5, E)],
        says: "github.head_ref",
    },
    // Pull request code with the base repository's secrets.
    Case {
        name: "pull_request_target checks out the head with a secret",
        files: &[(CI, "on: pull_request_target\npermissions:\n  contents: read\njobs:\n  build:\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: npm ci && npm test\n        env:\n          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n")],
        want: Status::Fail,
        findings: &[("pr-head-checkout", CI, 9, E)],
        says: "the secret `NPM_TOKEN`",
    },
    Case {
        name: "workflow_run checks out the head with the default token",
        files: &[(CI, "on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\njobs:\n  report:\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.workflow_run.head_sha }}\n      - run: ./report.sh\n")],
        want: Status::Fail,
        findings: &[("pr-head-checkout", CI, 10, E)],
        says: "default GITHUB_TOKEN",
    },
    Case {
        name: "pull_request_target with the head but a read-only token and no secrets",
        files: &[(CI, "on: pull_request_target\npermissions:\n  contents: read\n  pull-requests: read\njobs:\n  lint:\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: refs/pull/${{ github.event.number }}/merge\n      - run: npx eslint .\n        env:\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n")],
        want: Status::Pass,
        findings: &[],
        says: "",
    },
    Case {
        name: "pull_request_target with id-token: write and gh pr checkout",
        files: &[(CI, "on: pull_request_target\npermissions: {}\njobs:\n  preview:\n    permissions:\n      id-token: write\n      contents: read\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          gh pr checkout ${{ github.event.pull_request.number }}\n          make preview\n")],
        want: Status::Fail,
        findings: &[("pr-head-checkout", CI, 11, E)],
        says: "OIDC token",
    },
    Case {
        name: "a checkout ref the rule cannot read is unknown",
        files: &[(CI, "on: pull_request_target\njobs:\n  build:\n    steps:\n      - id: pr\n        run: ./find-ref.sh\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ steps.pr.outputs.sha }}\n")],
        want: Status::Unknown,
        findings: &[],
        says: "cannot tell whether that is the pull request's code",
    },
    // Deploy workflows: permissions and environments.
    Case {
        name: "a deploy workflow with write-all",
        files: &[(DEPLOY, "on: {push: {branches: [main]}}\npermissions: write-all\njobs:\n  deploy:\n    environment: production\n    steps: [{run: npm test}, {run: flyctl deploy}]\n")],
        want: Status::Fail,
        findings: &[("permissions", DEPLOY, 2, E)],
        says: "write-all",
    },
    Case {
        name: "a deploy workflow without permissions, one level lower",
        files: &[(DEPLOY, "on: {push: {branches: [main]}}\njobs:\n  deploy:\n    environment: production\n    steps: [{run: npm test}, {run: flyctl deploy}]\n")],
        want: Status::Fail,
        findings: &[("permissions", DEPLOY, 3, W)],
        says: "read-write unless",
    },
    Case {
        name: "a deploy to a kind cluster the job creates is a test, not a deploy",
        files: &[(CI, "on: pull_request
jobs:
  e2e:
    steps:
      - uses: helm/kind-action@v1
      - run: kubectl apply -f k8s/
")],
        want: Status::Pass,
        findings: &[],
        says: "",
    },
    Case {
        name: "a workflow that does not deploy needs no permissions here",
        files: &[(CI, "on: [push, pull_request]\njobs:\n  test:\n    steps: [{run: npm test}]\n")],
        want: Status::Pass,
        findings: &[],
        says: "",
    },
    Case {
        name: "deploy secrets without an environment",
        files: &[(DEPLOY, "on: {push: {branches: [main]}}\npermissions: {}\njobs:\n  deploy:\n    permissions: {contents: read}\n    steps:\n      - run: flyctl deploy --remote-only\n        env:\n          FLY_API_TOKEN: ${{ secrets.FLY_API_TOKEN }}\n")],
        want: Status::Fail,
        findings: &[("env-outside-environment", DEPLOY, 4, W)],
        says: "has no `environment:`",
    },
    Case {
        name: "deploy secrets in a production environment infra.toml does not declare protected",
        files: &[(DEPLOY, "on: {push: {branches: [main]}}\npermissions: {}\njobs:\n  deploy:\n    environment: production\n    permissions: {contents: read}\n    steps:\n      - run: flyctl deploy --remote-only\n        env:\n          FLY_API_TOKEN: ${{ secrets.FLY_API_TOKEN }}\n")],
        want: Status::Fail,
        findings: &[("env-not-protected", DEPLOY, 5, W)],
        says: "not declared as protected in infra.toml",
    },
    Case {
        name: "deploy secrets in a declared protected environment",
        files: &[
            (DEPLOY, "on: {push: {branches: [main]}}\npermissions: {}\njobs:\n  deploy:\n    environment: production\n    permissions: {contents: read}\n    steps:\n      - run: flyctl deploy --remote-only\n        env:\n          FLY_API_TOKEN: ${{ secrets.FLY_API_TOKEN }}\n"),
            ("infra.toml", "schema_version = 1\n[[environments]]\nname = \"production\"\nbranch = \"main\"\napproval = true\n"),
        ],
        want: Status::Pass,
        findings: &[],
        says: "",
    },
    Case {
        name: "an environment picked by an expression is unknown",
        files: &[(DEPLOY, "on: {push: {branches: [main]}}\npermissions: {}\njobs:\n  deploy:\n    environment: ${{ github.ref_name == 'main' && 'production' || 'staging' }}\n    permissions: {contents: read}\n    steps:\n      - run: flyctl deploy\n        env: {FLY_API_TOKEN: '${{ secrets.FLY_API_TOKEN }}'}\n")],
        want: Status::Unknown,
        findings: &[],
        says: "cannot tell which environment",
    },
    Case {
        name: "an environment from a workflow_dispatch choice is checked per option",
        files: &[(DEPLOY, "on:\n  workflow_dispatch:\n    inputs:\n      environment: {type: choice, options: [staging, production]}\npermissions: {}\njobs:\n  rollback:\n    environment:\n      name: ${{ inputs.environment }}\n    permissions: {contents: read}\n    steps:\n      - run: flyctl deploy --image \"$IMAGE\"\n        env: {FLY_API_TOKEN: '${{ secrets.FLY_API_TOKEN }}'}\n")],
        want: Status::Fail,
        findings: &[("env-not-protected", DEPLOY, 9, W)],
        says: "deploys to `production`",
    },
    // Scripts from the network.
    Case {
        name: "curl | sh in a job that holds a secret",
        files: &[(CI, "on: push\npermissions: {}\njobs:\n  a:\n    env:\n      SENTRY_AUTH_TOKEN: ${{ secrets.SENTRY_AUTH_TOKEN }}\n    steps:\n      - run: curl -sL https://sentry.io/get-cli/ | bash\n      - run: sentry-cli releases new \"$GITHUB_SHA\"\n")],
        want: Status::Fail,
        findings: &[("pipe-to-shell", CI, 8, W)],
        says: "holds the secret `SENTRY_AUTH_TOKEN`",
    },
    Case {
        name: "curl | sh in a job without secrets",
        files: &[(CI, "on: push\npermissions: {}\njobs:\n  a:\n    steps:\n      - run: curl -fsSL https://get.example.dev/install.sh | sh\n")],
        want: Status::Pass,
        findings: &[],
        says: "",
    },
    // Undecidable.
    Case {
        name: "only a reusable workflow from another repository",
        files: &[(CI, "on: push\njobs:\n  ci:\n    uses: acme/workflows/.github/workflows/ci.yml@v1\n    secrets: inherit\n")],
        want: Status::Unknown,
        findings: &[],
        says: "from another repository",
    },
    // GitLab CI.
    Case {
        name: "GitLab: echo of a credential-looking variable, one level lower",
        files: &[(GITLAB, "variables:\n  APP_NAME: shop\ndeploy:\n  script:\n    - echo \"deploying $APP_NAME at $CI_COMMIT_SHA\"\n    - echo \"token=$DEPLOY_TOKEN\"\n    - echo \"$CI_REGISTRY_PASSWORD\" | docker login -u \"$CI_REGISTRY_USER\" --password-stdin \"$CI_REGISTRY\"\n")],
        want: Status::Fail,
        findings: &[("echo", GITLAB, 6, W)],
        says: "guess from the name",
    },
    Case {
        name: "GitLab: a variable set in the file is no CI secret; curl | bash with a credential",
        files: &[(GITLAB, "variables:\n  CACHE_KEY: v1\nbuild:\n  script:\n    - echo \"$CACHE_KEY\"\n    - curl -fsSL https://get.example.dev | bash\n    - npm publish --token \"$NPM_TOKEN\"\n")],
        want: Status::Fail,
        findings: &[("pipe-to-shell", GITLAB, 6, W)],
        says: "`$NPM_TOKEN`",
    },
];

#[test]
fn workflow_secret_exposure_suite() {
    assert!(CASES.len() >= 15, "{} cases", CASES.len());
    let mut failed = Vec::new();
    for case in CASES {
        if let Err(e) = std::panic::catch_unwind(|| run(case)) {
            failed.push(format!(
                "{}: {}",
                case.name,
                e.downcast_ref::<String>().cloned().unwrap_or_default()
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}
