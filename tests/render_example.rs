//! The bundled example (examples/shopfront) through discovery, `--set` answers
//! and rendering, for every platform: complete, idempotent, and edits survive.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use infra::answers::resolve::resolve_noninteractive;
use infra::answers::Answers;
use infra::commands::render::check_exit;
use infra::context::{discover, Context};
use infra::exit::Exit;
use infra::platform::Platform;
use infra::render::{self, Outcome, PlanOptions};
use infra::source::walk::WalkOptions;
use std::fs;
use std::path::Path;

/// Where the managed Infra task list starts in projectplan.md.
const MANAGED_BLOCK: &str = "<!-- infra:begin tasks -->";

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn example() -> std::path::PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shopfront");
    assert!(p.is_dir(), "the bundled example {} is missing", p.display());
    p
}

fn resolve(root: &Path, set: &[String]) -> (Context, Answers) {
    let ctx = discover(root, &WalkOptions::default()).unwrap();
    let answers = resolve_noninteractive(root, &ctx, set, None)
        .unwrap()
        .answers;
    (ctx, answers)
}

fn set_for(platform: Platform) -> Vec<String> {
    let mut set = vec![format!("platform.target={}", platform.id())];
    if let Some(region) = platform.suggested_region() {
        set.push(format!("platform.region={region}"));
    }
    set
}

#[test]
fn example_renders_completely_and_idempotently_for_every_platform() {
    let src = example();
    for platform in Platform::ALL {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&src, dir.path());
        let (ctx, answers) = resolve(dir.path(), &set_for(platform));
        assert_eq!(answers.platform, platform);
        let plan = render::plan(dir.path(), &ctx, &answers, &PlanOptions::default()).unwrap();
        assert_eq!(
            plan.count(Outcome::Skip),
            0,
            "{platform}: {:?}",
            plan.changes
        );
        render::apply(dir.path(), &plan).unwrap();

        // Every variable the code reads is in .env.example.
        let env = fs::read_to_string(dir.path().join(".env.example")).unwrap();
        // Variables only workflows read (deploy secrets) belong to CI, not .env.example.
        let read_by_the_app = |v: &infra::context::EnvVar| {
            v.reads
                .iter()
                .any(|r| !r.location.path.starts_with(".github/"))
        };
        for v in ctx.env_vars.iter().filter(|v| read_by_the_app(v)) {
            if v.name
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            {
                assert!(
                    env.contains(&format!("\n{}=", v.name)),
                    "{platform}: {} missing",
                    v.name
                );
            }
        }
        for id in &answers.data.stores {
            assert!(dir
                .path()
                .join(format!("docs/infra/runbooks/{id}.md"))
                .is_file());
        }
        // The example's own projectplan.md keeps its content above the managed block.
        let before_block = |text: &str| {
            text.split(MANAGED_BLOCK)
                .next()
                .unwrap_or("")
                .trim_end()
                .to_string()
        };
        let original_plan = fs::read_to_string(src.join("projectplan.md")).unwrap();
        let plan_now = fs::read_to_string(dir.path().join("projectplan.md")).unwrap();
        assert!(plan_now.contains(MANAGED_BLOCK), "{platform}");
        assert_eq!(
            before_block(&plan_now),
            before_block(&original_plan),
            "{platform}"
        );

        // Discovery now also sees the rendered files; the render must not drift.
        let (ctx2, answers2) = resolve(dir.path(), &set_for(platform));
        let again = render::plan(dir.path(), &ctx2, &answers2, &PlanOptions::default()).unwrap();
        let moving: Vec<_> = again
            .changes
            .iter()
            .filter(|c| c.outcome != Outcome::Unchanged)
            .map(|c| (&c.path, c.outcome, c.diff()))
            .collect();
        assert!(
            moving.is_empty(),
            "{platform}: second run changes {moving:?}"
        );
        assert_eq!(check_exit(&again), Exit::Ok);
    }
}

/// `infra audit` on a freshly initialised repo reports nothing (SPEC §4).
#[test]
fn audit_finds_nothing_after_rendering_the_example() {
    use infra::audit;
    let src = example();
    for platform in Platform::ALL {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&src, dir.path());
        let (ctx, answers) = resolve(dir.path(), &set_for(platform));
        let plan = render::plan(dir.path(), &ctx, &answers, &PlanOptions::default()).unwrap();
        render::apply(dir.path(), &plan).unwrap();

        let report = audit::audit_tree(dir.path(), &audit::AuditOptions::default()).unwrap();
        let active: Vec<String> = report.active().map(|f| format!("{f:?}")).collect();
        assert!(active.is_empty(), "{platform}: {active:#?}");
        // The rendered deploy workflow and deployments.md agree on the
        // branch → environment map (a pass, not an unknown).
        let map = report.result("branch-mapping-undocumented").unwrap();
        assert_eq!(
            map.status,
            audit::Status::Pass,
            "{platform}: {:?}",
            map.reason
        );
    }
}

#[test]
fn example_edit_survives_an_answer_change() {
    let src = example();
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&src, dir.path());
    let (ctx, answers) = resolve(dir.path(), &set_for(Platform::Gcp));
    let plan = render::plan(dir.path(), &ctx, &answers, &PlanOptions::default()).unwrap();
    render::apply(dir.path(), &plan).unwrap();

    let doc = dir.path().join("docs/infra/overview.md");
    let edited =
        fs::read_to_string(&doc).unwrap() + "\n## Team notes\n\nDeploys freeze on Fridays.\n";
    fs::write(&doc, &edited).unwrap();

    let mut set = set_for(Platform::Gcp);
    set.push("sla.availability=99.95".into());
    let (ctx, answers) = resolve(dir.path(), &set);
    let plan = render::plan(dir.path(), &ctx, &answers, &PlanOptions::default()).unwrap();
    assert_eq!(
        plan.changes
            .iter()
            .find(|c| c.path == "docs/infra/overview.md")
            .unwrap()
            .outcome,
        Outcome::Update
    );
    render::apply(dir.path(), &plan).unwrap();
    let after = fs::read_to_string(&doc).unwrap();
    assert!(after.contains("Deploys freeze on Fridays."));
    assert!(after.contains("Availability: 99.95%"));
    let (ctx, answers) = resolve(dir.path(), &set);
    let check = render::plan(dir.path(), &ctx, &answers, &PlanOptions::default()).unwrap();
    assert_eq!(check_exit(&check), Exit::Ok);
}
