//! Verdicts of the environment rules on trees shaped like real repos:
//! applicable only where something names an environment.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use infra::audit::{self, AuditOptions, Status};

fn status(files: &[(&str, &str)], rule: &str) -> Status {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let report = audit::audit_tree(dir.path(), &AuditOptions::default()).unwrap();
    report.result(rule).unwrap().status
}

const OVERLAY: &str = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources:\n  - ../../base\n";

#[test]
fn kustomize_overlays_make_environment_config_mixed_applicable() {
    let files = [
        ("deploy/base/kustomization.yaml", OVERLAY),
        ("deploy/overlays/dev/kustomization.yaml", OVERLAY),
        ("deploy/overlays/staging/kustomization.yaml", OVERLAY),
        ("deploy/overlays/production/kustomization.yaml", OVERLAY),
    ];
    assert_eq!(status(&files, "environment-config-mixed"), Status::Pass);
    let helm = [(
        "chart/values-staging.yaml",
        "replicas: 1\nhost: app.staging.shop.example\n",
    )];
    assert_eq!(status(&helm, "environment-config-mixed"), Status::Pass);
    let tf = [(
        "infra/envs/prod/main.tf",
        "locals {\n  url = \"postgres://db.staging.shop.io/app\"\n}\n",
    )];
    assert_eq!(status(&tf, "environment-config-mixed"), Status::Fail);
}

#[test]
fn nothing_named_for_an_environment_is_not_applicable() {
    let files = [
        ("src/app.js", "const key = process.env.STRIPE_SECRET_KEY;\n"),
        // Names that merely contain an environment word are not environment config.
        ("src/test.ts", "export {};\n"),
        ("public/ci.png", "x"),
        ("crates/local_image/Cargo.toml", "[package]\nname = \"x\"\n"),
        ("docs/development.md", "# Dev\n"),
    ];
    assert_eq!(
        status(&files, "nonprod-live-credentials"),
        Status::NotApplicable
    );
    assert_eq!(
        status(&files, "environment-config-mixed"),
        Status::NotApplicable
    );
    let staging = [(".env.staging", "PAYPAL_MODE=sandbox\n")];
    assert_eq!(status(&staging, "nonprod-live-credentials"), Status::Pass);
}

#[test]
fn no_example_needed_when_only_the_os_ci_or_defaults_supply_variables() {
    let files = [
        (
            "src/app.js",
            "const mode = process.env.NODE_ENV;\nconst home = process.env.HOME;\nconst port = process.env.PORT || 3000;\nif (process.env.CI) {}\n",
        ),
        ("lib/tasks/bench.rake", "n = ENV[\"ROUNDS\"]\n"),
    ];
    assert_eq!(status(&files, "env-example-missing"), Status::NotApplicable);
    let needs = [("src/app.js", "const url = process.env.DATABASE_URL;\n")];
    assert_eq!(status(&needs, "env-example-missing"), Status::Fail);
}
