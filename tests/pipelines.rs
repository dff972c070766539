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
    // Shapes seen on real deploying repositories (docs/accuracy.md, "CI/CD
    // rules on real repositories"), written afresh.
    Case {
        name: "a deploy through a composite action that runs make with a target chosen at run time",
        files: &[
            (".github/workflows/ci.yml", "on: {push: {branches: [main]}}\njobs:\n  test:\n    steps: [{run: npm test}]\n  release:\n    needs: [test]\n    environment: production\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/ship\n        with: {env: production}\n"),
            (".github/actions/ship/action.yml", "name: ship\ninputs: {env: {required: true}}\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: make ${{ inputs.env }} ci apply\n"),
            ("Makefile", "production:\n\t$(eval ENV=production)\nci:\n\t$(eval AUTO=-auto-approve)\napply: init\n\tterraform -chdir=infra apply ${AUTO}\ninit:\n\tterraform -chdir=infra init\n"),
        ],
        // Pass, not n/a: the deploy is seen, and the test job gates it.
        rule: GATE,
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "tests run inside the CI image count",
        files: &[
            ("package.json", r#"{"name": "shop", "scripts": {"spec": "jest", "test": "jest"}}"#),
            (".github/workflows/ci.yml", "on: push\njobs:\n  js:\n    steps:\n      - run: |-\n          docker run -t --rm -e CI=true -v ${PWD}/out:/app/out \\\n            ${{ env.IMAGE }} sh -c \"yarn && yarn spec\"\n"),
        ],
        rule: "ci-no-tests",
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "a rake test task among others inside docker run",
        files: &[(".github/workflows/ci.yml", "on: push\njobs:\n  specs:\n    steps:\n      - run: docker run --net=host --rm -e RAILS_ENV=test $IMAGE bundle exec rake 'knapsack:rspec[--format progress]' spec\n")],
        rule: "ci-no-tests",
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "cd into the package before running its scripts",
        files: &[
            ("package.json", r#"{"name": "mono", "private": true}"#),
            ("web/package.json", PKG),
            (".github/workflows/ci.yml", "on: push\njobs:\n  web:\n    steps:\n      - run: |\n          cd ./web && pnpm run lint\n      - run: |\n          cd web\n          pnpm run test --run\n"),
        ],
        rule: "ci-no-tests",
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "coverage with a data file wraps pytest",
        files: &[(".github/workflows/ci.yml", "on: push\njobs:\n  py:\n    steps:\n      - run: coverage run --data-file $PWD/.coverage -m pytest -q\n")],
        rule: "ci-no-tests",
        want: Status::Pass,
        says: "",
    },
    Case {
        name: "a nightly copy of the repository to S3 is a backup, not a deploy",
        files: &[(".github/workflows/s3-backup.yml", "name: S3 backup\non:\n  workflow_dispatch:\n  schedule: [{cron: '0 6 * * *'}]\njobs:\n  s3-backup:\n    steps:\n      - run: |\n          zip -rq repo.zip .\n          aws s3 cp repo.zip s3://${{ secrets.BUCKET }}/repo.zip\n")],
        rule: GATE,
        want: Status::NotApplicable,
        says: "no pipeline deploys",
    },
    Case {
        name: "a staging workflow without an environment does not deploy production",
        files: &[(".github/workflows/staging-deploy-lambda.yml", "name: Staging - Deploy Lambda\non: {push: {branches: [main]}}\njobs:\n  deploy-lambda:\n    steps:\n      - run: aws lambda create-function --function-name app-${{ github.sha }} --package-type Image\n")],
        rule: GATE,
        want: Status::NotApplicable,
        says: "no pipeline deploys to production",
    },
    Case {
        name: "a production deploy on a published release",
        files: &[(".github/workflows/prod.yml", "on:\n  release:\n    types: [published]\njobs:\n  deploy:\n    if: startsWith(github.ref_name, 'r-')\n    environment: production\n    steps:\n      - run: aws s3 sync ./dist s3://site-bucket\n")],
        rule: UNREVIEWED,
        want: Status::Fail,
        says: "on a published release",
    },
    Case {
        name: "a production branch other than the default one is named",
        files: &[(".github/workflows/prod.yml", "on: {push: {branches: [production]}}\njobs:\n  deploy:\n    environment: production\n    steps:\n      - run: cf push -f manifest.yml --strategy rolling\n")],
        rule: UNREVIEWED,
        want: Status::Fail,
        says: "from branch `production`",
    },
];

/// The findings of one rule on a tree, as text, with the verdict.
fn audit_text(files: &[(&str, &str)], rule: &str) -> (Status, String) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let full = dir.path().join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, text).unwrap();
    }
    let report = audit::audit_tree(dir.path(), &AuditOptions::default()).unwrap();
    let result = report.result(rule).unwrap();
    let text = infra::report::text::render(&report.only(rule), false);
    (result.status, text)
}

#[test]
fn a_merge_queue_deploy_is_not_reached_from_pull_requests() {
    // The job runs for merge_group and push only, the deploy step for
    // merge_group only: the pull_request trigger of the workflow never
    // reaches it.
    let wf = "on:\n  pull_request: {}\n  merge_group: {}\n  push: {branches: [main]}\njobs:\n  test:\n    steps: [{run: cargo test --locked}]\n  deploy:\n    needs: [test]\n    if: ${{ github.event_name == 'merge_group' || github.event_name == 'push' }}\n    steps:\n      - run: docker build -t bot .\n      - name: Deploy to production\n        if: github.event_name == 'merge_group'\n        uses: rust-lang/simpleinfra/github-actions/upload-docker-image@master\n        with: {image: bot, redeploy_ecs_cluster: prod, redeploy_ecs_service: bot}\n";
    let files = [(".github/workflows/ci.yml", wf), ("package.json", PKG)];
    let (status, text) = audit_text(&files, UNREVIEWED);
    assert_eq!(status, Status::Fail, "{text}");
    assert!(
        text.contains("without a GitHub/GitLab environment"),
        "{text}"
    );
    assert!(!text.contains("pull request"), "{text}");
    let (status, text) = audit_text(&files, GATE);
    assert_eq!(status, Status::Pass, "{text}");
}

#[test]
fn a_deploy_behind_a_job_pinned_to_main_is_not_reached_from_pull_requests() {
    let wf = "on:\n  pull_request: {}\n  workflow_dispatch: {}\n  push: {branches: [main]}\njobs:\n  test:\n    steps: [{run: npm test}]\n  dev:\n    needs: [test]\n    if: github.ref == 'refs/heads/main'\n    environment: development\n    steps: [{run: helm upgrade --install shop chart}]\n  production:\n    needs: [dev]\n    environment: production\n    steps: [{run: helm upgrade --install shop chart}]\n";
    let files = [(".github/workflows/ci.yml", wf), ("package.json", PKG)];
    let (status, text) = audit_text(&files, UNREVIEWED);
    assert_eq!(status, Status::Fail, "{text}");
    assert!(text.contains("from the default branch"), "{text}");
    assert!(!text.contains("pull request"), "{text}");
    assert!(!text.contains("manual run"), "{text}");
    // With `always()` the production job runs even when `dev` is skipped.
    let wf = wf.replace("    needs: [dev]\n", "    needs: [dev]\n    if: always()\n");
    let files = [
        (".github/workflows/ci.yml", wf.as_str()),
        ("package.json", PKG),
    ];
    let (_, text) = audit_text(&files, UNREVIEWED);
    assert!(text.contains("pull request"), "{text}");
}

#[test]
fn a_recipe_a_remote_action_is_named_after_is_unknown_not_a_finding() {
    let make = "domains-apply:\n\tterraform -chdir=terraform/domains apply\nsandbox:\n\tcf push -f sandbox.yml\n";
    let wf = "on: {push: {branches: [main]}}\njobs:\n  domains:\n    steps:\n      - uses: acme/shared-actions/deploy-domains@v1\n";
    let files = [
        ("Makefile", make),
        (".github/workflows/domains.yml", wf),
        ("package.json", PKG),
    ];
    let (status, text) = audit_text(&files, "deploy-ad-hoc-script");
    assert_eq!(status, Status::Fail, "{text}");
    assert!(text.contains("`make sandbox`"), "{text}");
    assert!(!text.contains("domains-apply"), "{text}");
    let make = "domains-apply:\n\tterraform -chdir=terraform/domains apply\n";
    let files = [
        ("Makefile", make),
        (".github/workflows/domains.yml", wf),
        ("package.json", PKG),
    ];
    let (status, _) = audit_text(&files, "deploy-ad-hoc-script");
    assert_eq!(status, Status::Unknown);
}

#[test]
fn one_finding_per_deploy_job_and_per_hand_run_entry_point() {
    // Two deploy steps in one job: one finding per rule.
    let wf = "on: {push: {branches: [production]}}\njobs:\n  deploy:\n    environment: production\n    steps:\n      - run: terraform apply -auto-approve\n      - run: cf push -f manifest.yml\n";
    let files = [(".github/workflows/prod.yml", wf), ("package.json", PKG)];
    for rule in [GATE, UNREVIEWED] {
        let (status, text) = audit_text(&files, rule);
        assert_eq!(status, Status::Fail, "{text}");
        assert_eq!(
            text.matches("in job `deploy`").count(),
            1,
            "{rule}:\n{text}"
        );
    }
    // A Makefile target that runs a script that deploys: reported at the
    // target someone runs, not again at each level it calls.
    let files = [
        ("Makefile", "enable: push-image fail-over\npush-image:\n\tdocker push ghcr.io/acme/page\nfail-over:\n\t./scripts/fail-over.sh\n"),
        ("scripts/fail-over.sh", "#!/bin/sh\nkubectl apply -f page.yml\n"),
        ("package.json", PKG),
    ];
    let (status, text) = audit_text(&files, "deploy-ad-hoc-script");
    assert_eq!(status, Status::Fail, "{text}");
    assert!(text.contains("`make enable`"), "{text}");
    assert!(!text.contains("`make fail-over`"), "{text}");
    assert!(!text.contains("fail-over.sh`"), "{text}");
}

#[test]
fn pipeline_suite() {
    assert!(CASES.len() >= 30, "{} cases", CASES.len());
    for case in CASES {
        run(case);
    }
}

/// branch-mapping-undocumented on tests/fixtures/rules/branch-mapping-undocumented/pipeline/<name>.
fn branch_map(name: &str) -> (Status, String, Vec<infra::audit::Finding>) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules/branch-mapping-undocumented/pipeline")
        .join(name);
    let report = audit::audit_tree(&dir, &AuditOptions::default()).unwrap();
    let rule = "branch-mapping-undocumented";
    let result = report.result(rule).unwrap();
    let mine = report.only(rule);
    let text = format!(
        "{}\n{}",
        infra::report::text::render(&mine, false),
        result.reason.clone().unwrap_or_default()
    );
    (result.status, text, mine.findings.clone())
}

#[test]
fn the_pipelines_branch_map_against_the_doc() {
    // Each job pinned to its branch, as the doc's table says.
    let (status, text, _) = branch_map("agree");
    assert_eq!(status, Status::Pass, "{text}");

    // Production from release/* while the doc says main: a finding at the
    // deploy job, with the doc's row as the related location.
    let (status, text, findings) = branch_map("release-branch");
    assert_eq!(status, Status::Fail, "{text}");
    assert_eq!(findings.len(), 1, "{text}");
    assert!(
        text.contains("deploys production from branch `release/*`, but docs/infra/deployments.md says `main` → production"),
        "{text}"
    );
    let f = &findings[0];
    assert_eq!(
        (f.location.path.as_str(), f.location.line),
        (".github/workflows/deploy.yml", 8)
    );
    assert_eq!(
        f.related
            .iter()
            .map(|r| (r.location.path.as_str(), r.location.line))
            .collect::<Vec<_>>(),
        [("docs/infra/deployments.md", 7)]
    );

    // Production from tags while the doc says main; a doc that names the
    // tags agrees.
    let (status, text, _) = branch_map("tags");
    assert_eq!(status, Status::Fail, "{text}");
    assert!(text.contains("deploys production from tags `v*`"), "{text}");
    let (status, text, _) = branch_map("tags-documented");
    assert_eq!(status, Status::Pass, "{text}");

    // The other way round: the doc maps `develop` to staging, but no
    // pipeline deploys staging. A finding at the doc's row.
    let (status, text, findings) = branch_map("doc-only");
    assert_eq!(status, Status::Fail, "{text}");
    assert!(
        text.contains("says `develop` → staging, but no pipeline deploys staging (the pipelines deploy production)"),
        "{text}"
    );
    assert_eq!(
        findings
            .iter()
            .map(|f| (f.location.path.as_str(), f.location.line))
            .collect::<Vec<_>>(),
        [("docs/infra/deployments.md", 7)]
    );

    // An environment picked at run time: unknown, with the reason.
    let (status, text, _) = branch_map("dynamic");
    assert_eq!(status, Status::Unknown, "{text}");
    assert!(
        text.contains("picks its environment at run time (${{ inputs.environment }})"),
        "{text}"
    );

    // GitLab rules name the branch.
    let (status, text, _) = branch_map("gitlab");
    assert_eq!(status, Status::Fail, "{text}");
    assert!(
        text.contains("deploys production from branch `production`"),
        "{text}"
    );
}
