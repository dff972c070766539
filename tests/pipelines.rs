//! The pipeline suite: small self-written repositories, each a CI shape,
//! with the result the §3 rules must reach on it (issue 11's acceptance
//! list: gated through `needs`, `workflow_run` success, one job, a local
//! reusable workflow, GitLab stages; not gated through `needs: []`, a tag
//! release, an `if:` that skips the tests; environments by expression; a
//! "test" job that only echoes …).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use infra::audit::{self, AuditOptions, Status};
use std::fs;

const PKG: &str = r#"{"name": "shop", "scripts": {"test": "vitest run", "lint": "eslint .", "build": "vite build"}}"#;

struct Case {
    name: &'static str,
    files: &'static [(&'static str, &'static str)],
    rule: &'static str,
    want: Status,
    /// A piece of the first finding's message or the verdict's reason.
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
    let result = report.result(case.rule).unwrap();
    let mine = report.only(case.rule);
    let text = infra::report::text::render(&mine, false);
    assert_eq!(
        result.status, case.want,
        "{}: {} should be {:?}\n{text}\nreason: {:?}",
        case.name, case.rule, case.want, result.reason
    );
    let said = format!("{text}\n{}", result.reason.clone().unwrap_or_default());
    assert!(
        said.contains(case.says),
        "{}: expected {:?} in\n{said}",
        case.name,
        case.says
    );
}

const GATE: &str = "deploy-not-gated-on-tests";
const UNREVIEWED: &str = "deploy-unreviewed-branch";

const CASES: &[Case] = &[
    Case {
        name: "gated through needs",
        files: &[(".github/workflows/ci.yml", "on: {push: {branches: [main]}}\njobs:\n  test:\n    steps: [{run: npm test}]\n  deploy:\n    needs: test\n    environment: production\n    steps: [{run: flyctl deploy}]\n")],
        rule: GATE,
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "gated through a chain of needs",
        files: &[(".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    steps: [{run: npx vitest run}]\n  image:\n    needs: [test]\n    steps: [{run: docker build -t x .}]\n  deploy:\n    needs: [image]\n    environment: {name: production, url: 'https://shop.example'}\n    steps: [{run: gcloud run deploy shop --image x}]\n")],
        rule: GATE,
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "gated inside one job",
        files: &[(".github/workflows/deploy.yml", "on: {push: {branches: [main]}}\njobs:\n  ship:\n    environment: production\n    steps:\n      - run: npm ci\n      - run: npm test\n      - run: npx netlify deploy --prod --dir dist\n")],
        rule: GATE,
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "tests after the deploy in the same job do not gate it",
        files: &[(".github/workflows/deploy.yml", "on: {push: {branches: [main]}}\njobs:\n  ship:\n    environment: production\n    steps:\n      - run: npx netlify deploy --prod --dir dist\n      - run: npm test\n")],
        rule: GATE,
        want: Status::Fail,
        says: "runs no tests itself",
    },
    Case {
        name: "gated through workflow_run success",
        files: &[
            (".github/workflows/ci.yml", "name: CI\non: [push, pull_request]\njobs:\n  test:\n    steps: [{run: npm test}]\n"),
            (".github/workflows/deploy.yml", "on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\n    branches: [main]\njobs:\n  deploy:\n    if: github.event.workflow_run.conclusion == 'success'\n    environment: production\n    steps: [{run: flyctl deploy --remote-only}]\n"),
        ],
        rule: GATE,
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "workflow_run without the success check",
        files: &[
            (".github/workflows/ci.yml", "name: CI\non: [push, pull_request]\njobs:\n  test:\n    steps: [{run: npm test}]\n"),
            (".github/workflows/deploy.yml", "on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\njobs:\n  deploy:\n    environment: production\n    steps: [{run: flyctl deploy --remote-only}]\n"),
        ],
        rule: GATE,
        want: Status::Fail,
        says: "workflow_run.conclusion",
    },
    Case {
        name: "workflow_run after a workflow that runs no tests",
        files: &[
            (".github/workflows/build.yml", "name: Build\non: push\njobs:\n  b:\n    steps: [{run: npm run build}]\n"),
            (".github/workflows/deploy.yml", "on:\n  workflow_run:\n    workflows: [Build]\n    types: [completed]\njobs:\n  deploy:\n    if: ${{ github.event.workflow_run.conclusion == 'success' }}\n    environment: production\n    steps: [{run: flyctl deploy}]\n"),
        ],
        rule: GATE,
        want: Status::Fail,
        says: "runs no tests",
    },
    Case {
        name: "gated through a local reusable workflow",
        files: &[
            (".github/workflows/ci.yml", "on: {push: {branches: [main]}}\njobs:\n  test:\n    steps: [{run: npm test}]\n  release:\n    needs: test\n    uses: ./.github/workflows/deploy.yml\n    secrets: inherit\n"),
            (".github/workflows/deploy.yml", "on: workflow_call\njobs:\n  deploy:\n    environment: production\n    steps: [{run: kubectl set image deployment/shop shop=x}]\n"),
        ],
        rule: GATE,
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "a reusable workflow called without tests first",
        files: &[
            (".github/workflows/ci.yml", "on: {push: {branches: [main]}}\njobs:\n  release:\n    uses: ./.github/workflows/deploy.yml\n"),
            (".github/workflows/deploy.yml", "on: workflow_call\njobs:\n  deploy:\n    environment: production\n    steps: [{run: kubectl apply -f k8s/}]\n"),
        ],
        rule: GATE,
        want: Status::Fail,
        says: "without a test job before it",
    },
    Case {
        name: "tests inside the reusable workflow the test job calls",
        files: &[
            (".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    uses: ./.github/workflows/test.yml\n  deploy:\n    needs: [test]\n    environment: production\n    steps: [{run: helm upgrade --install shop ./chart}]\n"),
            (".github/workflows/test.yml", "on: workflow_call\njobs:\n  unit:\n    steps: [{run: npm test}]\n"),
        ],
        rule: GATE,
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "a reusable workflow from another repository is unknown",
        files: &[(".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    uses: acme/shared/.github/workflows/test.yml@v1\n  deploy:\n    needs: [test]\n    environment: production\n    steps: [{run: flyctl deploy}]\n")],
        rule: GATE,
        want: Status::Unknown,
        says: "another repository",
    },
    Case {
        name: "GitLab: gated by stage order",
        files: &[(".gitlab-ci.yml", "stages: [test, deploy]\ntest:\n  stage: test\n  script: [npm ci, npm test]\ndeploy:\n  stage: deploy\n  environment: production\n  script: [flyctl deploy]\n")],
        rule: GATE,
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "GitLab: needs [] starts before the tests",
        files: &[(".gitlab-ci.yml", "stages: [test, deploy]\ntest:\n  stage: test\n  script: [npm test]\ndeploy:\n  stage: deploy\n  needs: []\n  environment: production\n  script: [flyctl deploy]\n")],
        rule: GATE,
        want: Status::Fail,
        says: "needs: []",
    },
    Case {
        name: "GitLab: needs on the test job",
        files: &[(".gitlab-ci.yml", "stages: [build, test, deploy]\nunit:\n  stage: test\n  script: [npm test]\ndeploy:\n  stage: deploy\n  needs: [unit]\n  environment: {name: production}\n  script: [helm upgrade --install shop chart]\n")],
        rule: GATE,
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "GitLab: tests only in a later stage",
        files: &[(".gitlab-ci.yml", "stages: [deploy, test]\ndeploy:\n  stage: deploy\n  environment: production\n  script: [flyctl deploy]\ne2e:\n  stage: test\n  script: [npm test]\n")],
        rule: GATE,
        want: Status::Fail,
        says: "by stage or `needs`",
    },
    Case {
        name: "GitLab: an allowed-to-fail test does not gate",
        files: &[(".gitlab-ci.yml", "stages: [test, deploy]\ntest:\n  stage: test\n  allow_failure: true\n  script: [npm test]\ndeploy:\n  stage: deploy\n  environment: production\n  script: [flyctl deploy]\n")],
        rule: GATE,
        want: Status::Fail,
        says: "",
    },
    Case {
        name: "GitLab: test steps from an extended template",
        files: &[(".gitlab-ci.yml", ".node:\n  script: [npm ci, npm test]\nstages: [test, deploy]\ntest:\n  extends: .node\n  stage: test\nproduction:\n  stage: deploy\n  environment: production\n  when: manual\n  script: [aws ecs update-service --cluster c --service s --force-new-deployment]\n")],
        rule: GATE,
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "a tag-push release job with no test job in its chain",
        files: &[(".github/workflows/release.yml", "on:\n  push:\n    tags: ['v*']\njobs:\n  publish:\n    environment: production\n    steps:\n      - run: docker build -t ghcr.io/acme/shop .\n      - run: docker push ghcr.io/acme/shop\n      - run: kubectl set image deployment/shop shop=ghcr.io/acme/shop\n")],
        rule: GATE,
        want: Status::Fail,
        says: "kubectl set",
    },
    Case {
        name: "if: always() deploys even when tests fail",
        files: &[(".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    steps: [{run: npm test}]\n  deploy:\n    needs: test\n    if: always()\n    environment: production\n    steps: [{run: flyctl deploy}]\n")],
        rule: GATE,
        want: Status::Fail,
        says: "even when they fail",
    },
    Case {
        name: "a continue-on-error test does not gate",
        files: &[(".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    steps:\n      - run: npm test\n        continue-on-error: true\n  deploy:\n    needs: test\n    environment: production\n    steps: [{run: flyctl deploy}]\n")],
        rule: GATE,
        want: Status::Fail,
        says: "",
    },
    Case {
        name: "a job whose if: skips the tests, and a deploy that does not wait",
        files: &[(".github/workflows/ci.yml", "on: [push, pull_request]\njobs:\n  test:\n    if: github.event_name == 'pull_request'\n    steps: [{run: npm test}]\n  build:\n    steps: [{run: npm run build}]\n  deploy:\n    needs: build\n    if: github.ref == 'refs/heads/main'\n    environment: production\n    steps: [{run: flyctl deploy}]\n")],
        rule: GATE,
        want: Status::Fail,
        says: "none of the jobs `deploy` waits for (build) runs tests",
    },
    Case {
        name: "a \"test\" job that only echoes gates nothing",
        files: &[(".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    name: test\n    steps: [{name: test, run: echo \"npm test\"}]\n  deploy:\n    needs: test\n    environment: production\n    steps: [{run: flyctl deploy}]\n")],
        rule: GATE,
        want: Status::Fail,
        says: "runs tests",
    },
    Case {
        name: "environment set by an expression is unknown",
        files: &[(".github/workflows/deploy.yml", "on: workflow_dispatch\njobs:\n  deploy:\n    environment: ${{ inputs.target }}\n    steps: [{run: kubectl apply -f k8s/}]\n")],
        rule: GATE,
        want: Status::Unknown,
        says: "at run time",
    },
    Case {
        name: "a staging deploy is not production",
        files: &[(".github/workflows/deploy.yml", "on: push\njobs:\n  deploy:\n    environment: staging\n    steps: [{run: flyctl deploy --config fly.staging.toml}]\n")],
        rule: GATE,
        want: Status::NotApplicable,
        says: "production",
    },
    Case {
        name: "a Vercel preview deploy is not production",
        files: &[(".github/workflows/preview.yml", "on: pull_request\njobs:\n  preview:\n    steps: [{run: npx vercel deploy --token \"$T\"}]\n")],
        rule: GATE,
        want: Status::NotApplicable,
        says: "production",
    },
    Case {
        name: "a deploy through a Makefile target without tests",
        files: &[
            ("Makefile", "deploy:\n\tflyctl deploy --remote-only\n"),
            (".github/workflows/ci.yml", "on: {push: {branches: [main]}}\njobs:\n  deploy:\n    environment: production\n    steps: [{run: make deploy}]\n"),
        ],
        rule: GATE,
        want: Status::Fail,
        says: "flyctl deploy",
    },
    Case {
        name: "a Makefile release target that tests first",
        files: &[
            ("Makefile", "release: test\n\tflyctl deploy --remote-only\n\ntest:\n\tnpx vitest run\n"),
            (".github/workflows/ci.yml", "on: {push: {branches: [main]}}\njobs:\n  deploy:\n    environment: production\n    steps: [{run: make release}]\n"),
        ],
        rule: GATE,
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "a deploy script that no pipeline can follow is unknown",
        files: &[(".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    steps: [{run: make check}]\n  deploy:\n    needs: test\n    environment: production\n    steps: [{run: flyctl deploy}]\n")],
        rule: GATE,
        want: Status::Unknown,
        says: "Makefile target",
    },
    Case {
        name: "a local composite action that runs the tests",
        files: &[
            (".github/actions/check/action.yml", "name: check\nruns:\n  using: composite\n  steps:\n    - run: npm test\n      shell: bash\n"),
            (".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    steps: [{uses: ./.github/actions/check}]\n  deploy:\n    needs: test\n    environment: production\n    steps: [{uses: amondnet/vercel-action@v25, with: {vercel-args: --prod}}]\n"),
        ],
        rule: GATE,
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "an end-to-end deploy to a throwaway kind cluster is not production",
        files: &[(".github/workflows/e2e.yml", "on: pull_request\njobs:\n  e2e:\n    steps:\n      - uses: helm/kind-action@v1\n      - run: kubectl apply -f deploy/\n")],
        rule: GATE,
        want: Status::NotApplicable,
        says: "",
    },
    Case {
        name: "a rollback job is not checked for tests",
        files: &[(".github/workflows/rollback.yml", "on: workflow_dispatch\njobs:\n  rollback:\n    environment: production\n    steps: [{run: helm rollback shop}]\n")],
        rule: GATE,
        want: Status::NotApplicable,
        says: "",
    },
    Case {
        name: "no deploy at all",
        files: &[(".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    steps: [{run: npm test}]\n")],
        rule: GATE,
        want: Status::NotApplicable,
        says: "no pipeline deploys",
    },
    // deploy-unreviewed-branch: which refs and events reach production.
    Case {
        name: "production from any branch",
        files: &[(".github/workflows/deploy.yml", "on: push\njobs:\n  test:\n    steps: [{run: npm test}]\n  deploy:\n    needs: test\n    environment: production\n    steps: [{run: flyctl deploy}]\n")],
        rule: UNREVIEWED,
        want: Status::Fail,
        says: "a push to any branch",
    },
    Case {
        name: "production from a branch pattern",
        files: &[(".github/workflows/deploy.yml", "on: {push: {branches: [main, 'hotfix/*']}}\njobs:\n  deploy:\n    environment: production\n    steps: [{run: npm test}, {run: flyctl deploy}]\n")],
        rule: UNREVIEWED,
        want: Status::Fail,
        says: "`hotfix/*`",
    },
    Case {
        name: "production from tags",
        files: &[(".github/workflows/release.yml", "on: {push: {tags: ['v*']}}\njobs:\n  deploy:\n    environment: production\n    steps: [{run: npm test}, {run: flyctl deploy}]\n")],
        rule: UNREVIEWED,
        want: Status::Fail,
        says: "a tag push",
    },
    Case {
        name: "production from a pull request",
        files: &[(".github/workflows/deploy.yml", "on: [pull_request_target]\njobs:\n  deploy:\n    environment: production\n    steps: [{run: npm test}, {run: npx vercel deploy --prod}]\n")],
        rule: UNREVIEWED,
        want: Status::Fail,
        says: "a pull request",
    },
    Case {
        name: "production from main, pinned by if:, protection not declared",
        files: &[(".github/workflows/deploy.yml", "on: [push, pull_request, workflow_dispatch]\njobs:\n  deploy:\n    if: github.ref == 'refs/heads/main'\n    environment: production\n    steps: [{run: npm test}, {run: flyctl deploy}]\n")],
        rule: UNREVIEWED,
        want: Status::Fail,
        says: "requires a reviewer",
    },
    Case {
        name: "production from main with a declared protected environment",
        files: &[
            (".github/workflows/deploy.yml", "on: {push: {branches: [main]}}\njobs:\n  deploy:\n    environment: production\n    steps: [{run: npm test}, {run: flyctl deploy}]\n"),
            ("infra.toml", "schema_version = 1\n[[environments]]\nname = \"production\"\nbranch = \"main\"\napproval = true\n"),
        ],
        rule: UNREVIEWED,
        want: Status::Pass,
        says: "declared, not verified",
    },
    Case {
        name: "manual runs from any branch",
        files: &[(".github/workflows/deploy.yml", "on: workflow_dispatch\njobs:\n  deploy:\n    environment: production\n    steps: [{run: npm test}, {run: flyctl deploy}]\n")],
        rule: UNREVIEWED,
        want: Status::Fail,
        says: "workflow_dispatch",
    },
    Case {
        name: "GitLab: default branch only",
        files: &[
            (".gitlab-ci.yml", "stages: [test, deploy]\ntest:\n  stage: test\n  script: [npm test]\ndeploy:\n  stage: deploy\n  environment: production\n  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n  script: [flyctl deploy]\n"),
            ("infra.toml", "schema_version = 1\n[[environments]]\nname = \"production\"\napproval = true\n"),
        ],
        rule: UNREVIEWED,
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "GitLab: a job without rules runs for every branch",
        files: &[(".gitlab-ci.yml", "stages: [test, deploy]\ntest:\n  stage: test\n  script: [npm test]\ndeploy:\n  stage: deploy\n  environment: production\n  script: [flyctl deploy]\n")],
        rule: UNREVIEWED,
        want: Status::Fail,
        says: "no `rules:`",
    },
    Case {
        name: "GitLab: a condition infra cannot read is unknown",
        files: &[(".gitlab-ci.yml", "deploy:\n  environment: production\n  rules:\n    - if: $DEPLOY_ENABLED == \"yes\"\n  script: [npm test, flyctl deploy]\n")],
        rule: UNREVIEWED,
        want: Status::Unknown,
        says: "cannot read",
    },
    // The other §3.1 rules on the same shapes.
    Case {
        name: "the word test in names and comments is not a test",
        files: &[(".github/workflows/test.yml", "name: test\non: [push, pull_request]\njobs:\n  test:\n    name: test\n    steps:\n      # npm test\n      - name: npm test\n        run: echo test && printf 'npm test'\n")],
        rule: "ci-no-tests",
        want: Status::Fail,
        says: "no CI job runs the tests",
    },
    Case {
        name: "tests through a justfile recipe",
        files: &[
            ("justfile", "ci: lint\n    npx vitest run\n\nlint:\n    npx eslint .\n"),
            (".github/workflows/ci.yml", "on: pull_request\njobs:\n  ci:\n    steps: [{run: just ci}]\n"),
        ],
        rule: "ci-no-tests",
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "tests in a workflow that runs only on tags do not count",
        files: &[(".github/workflows/release.yml", "on:\n  release:\n    types: [published]\njobs:\n  t:\n    steps: [{run: npm test}]\n")],
        rule: "ci-missing",
        want: Status::Fail,
        says: "runs only on other events",
    },
    Case {
        name: "CI of a system infra does not read is unknown",
        files: &[(".circleci/config.yml", "version: 2.1\njobs: {}\n")],
        rule: "ci-missing",
        want: Status::Unknown,
        says: "CircleCI",
    },
    Case {
        name: "lint through a package.json script in a working directory",
        files: &[
            ("web/package.json", PKG),
            (".github/workflows/ci.yml", "on: push\njobs:\n  web:\n    defaults: {run: {working-directory: web}}\n    steps:\n      - run: npm run lint\n      - run: npm test\n"),
        ],
        rule: "ci-no-lint",
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "GitLab without a lint job",
        files: &[(".gitlab-ci.yml", "test:\n  script: [npm ci, npm test, npm run build]\n")],
        rule: "ci-no-lint",
        want: Status::Fail,
        says: "npm run lint",
    },
];

#[test]
fn pipeline_suite() {
    assert!(CASES.len() >= 30, "{} cases", CASES.len());
    for case in CASES {
        run(case);
    }
}
