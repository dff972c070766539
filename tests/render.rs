//! Rendering end to end on temp repos: update semantics (SPEC §4), idempotence,
//! path confinement, atomicity and the `check` verdicts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use infra::commands::render::check_exit;
use infra::exit::Exit;
use infra::platform::Platform;
use infra::render::{self, fixture, Outcome, Plan, PlanOptions, RenderError};
use std::fs;
use std::path::Path;

fn opts() -> PlanOptions {
    PlanOptions::default()
}

fn plan_with(root: &Path, answers: &infra::answers::Answers, o: &PlanOptions) -> Plan {
    render::plan(root, &fixture::context(), answers, o).unwrap()
}

fn init(root: &Path, platform: Platform) -> Plan {
    let plan = plan_with(root, &fixture::answers(platform), &opts());
    render::apply(root, &plan).unwrap();
    plan
}

fn outcome(plan: &Plan, path: &str) -> Outcome {
    plan.changes
        .iter()
        .find(|c| c.path == path)
        .unwrap_or_else(|| panic!("{path} not in plan"))
        .outcome
}

/// Every file under `root` with its bytes, for byte-for-byte comparisons.
fn snapshot_tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.push((rel, fs::read(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

fn check(root: &Path, answers: &infra::answers::Answers) -> Exit {
    check_exit(&plan_with(root, answers, &opts()))
}

#[test]
fn init_creates_everything_and_check_is_in_sync() {
    let dir = tempfile::tempdir().unwrap();
    let plan = init(dir.path(), Platform::Aws);
    assert!(plan.changes.iter().all(|c| c.outcome == Outcome::Create));
    for f in [
        ".env.example",
        "docs/infra/overview.md",
        "docs/infra/backups.md",
        "docs/infra/runbooks/app.md",
        "docs/infra/runbooks/postgresql.md",
        ".github/workflows/deploy.yml",
        ".infra/lock.toml",
        "projectplan.md",
    ] {
        assert!(dir.path().join(f).is_file(), "{f} missing");
    }
    assert_eq!(
        check(dir.path(), &fixture::answers(Platform::Aws)),
        Exit::Ok
    );
}

#[test]
fn init_twice_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), Platform::Gcp);
    let first = snapshot_tree(dir.path());
    let second_plan = init(dir.path(), Platform::Gcp);
    assert!(second_plan
        .changes
        .iter()
        .all(|c| c.outcome == Outcome::Unchanged));
    assert!(second_plan.writes(dir.path()).is_empty());
    assert_eq!(first, snapshot_tree(dir.path()));
}

#[test]
fn check_reports_drift_when_an_answer_changes() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), Platform::Aws);
    let mut answers = fixture::answers(Platform::Aws);
    answers.sla.latency_p95_ms = 450;
    assert_eq!(check(dir.path(), &answers), Exit::Drift);
}

#[test]
fn untouched_file_takes_the_new_render() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), Platform::Aws);
    let mut answers = fixture::answers(Platform::Aws);
    answers.sla.latency_p95_ms = 450;
    let plan = plan_with(dir.path(), &answers, &opts());
    assert_eq!(outcome(&plan, "docs/infra/overview.md"), Outcome::Update);
    render::apply(dir.path(), &plan).unwrap();
    let text = fs::read_to_string(dir.path().join("docs/infra/overview.md")).unwrap();
    assert!(text.contains("p95 under 450 ms"));
    assert_eq!(check(dir.path(), &answers), Exit::Ok);
}

#[test]
fn user_edit_is_kept_when_the_render_did_not_change() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), Platform::Aws);
    let path = dir.path().join("docs/infra/security.md");
    let edited = fs::read_to_string(&path).unwrap() + "\n## Our notes\n\nPentest every spring.\n";
    fs::write(&path, &edited).unwrap();
    let plan = plan_with(dir.path(), &fixture::answers(Platform::Aws), &opts());
    assert_eq!(outcome(&plan, "docs/infra/security.md"), Outcome::Unchanged);
    render::apply(dir.path(), &plan).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), edited);
    assert_eq!(
        check(dir.path(), &fixture::answers(Platform::Aws)),
        Exit::Ok
    );
}

/// The acceptance scenario: edit a rendered doc, change an answer, update:
/// the edit survives, the new answer shows, check exits 0.
#[test]
fn edit_survives_an_answer_change_and_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), Platform::Aws);
    let path = dir.path().join("docs/infra/overview.md");
    let original = fs::read_to_string(&path).unwrap();
    let edited = original.replacen(
        "## Platform\n",
        "## Platform\n\nOur account is managed by the platform team.\n",
        1,
    );
    assert_ne!(edited, original);
    fs::write(&path, &edited).unwrap();

    let mut answers = fixture::answers(Platform::Aws);
    answers.sla.availability = 99.95;
    let plan = plan_with(dir.path(), &answers, &opts());
    assert_eq!(outcome(&plan, "docs/infra/overview.md"), Outcome::Update);
    render::apply(dir.path(), &plan).unwrap();

    let merged = fs::read_to_string(&path).unwrap();
    assert!(merged.contains("Our account is managed by the platform team."));
    assert!(merged.contains("Availability: 99.95%"));
    assert!(!merged.contains("Availability: 99.9%"));
    assert_eq!(check(dir.path(), &answers), Exit::Ok);
}

#[test]
fn both_changed_on_the_same_line_gives_labelled_conflict_markers() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), Platform::Aws);
    let path = dir.path().join("docs/infra/overview.md");
    let text = fs::read_to_string(&path).unwrap();
    let edited = text.replace(
        "- Latency: p95 under 300 ms",
        "- Latency: p95 under 250 ms (our goal)",
    );
    fs::write(&path, &edited).unwrap();

    let mut answers = fixture::answers(Platform::Aws);
    answers.sla.latency_p95_ms = 450;
    let plan = plan_with(dir.path(), &answers, &opts());
    assert_eq!(outcome(&plan, "docs/infra/overview.md"), Outcome::Conflict);
    assert_eq!(check_exit(&plan), Exit::Conflicts);
    render::apply(dir.path(), &plan).unwrap();

    let out = fs::read_to_string(&path).unwrap();
    assert!(out.contains("<<<<<<< yours"));
    assert!(out.contains(">>>>>>> infra (new render)"));
    assert!(out.contains("p95 under 250 ms (our goal)"));
    assert!(out.contains("p95 under 450 ms"));
    // Never .rej files.
    assert!(snapshot_tree(dir.path())
        .iter()
        .all(|(p, _)| !p.ends_with(".rej")));
    // Unresolved markers keep check at 21 until the user resolves them.
    assert_eq!(check(dir.path(), &answers), Exit::Conflicts);

    let resolved = out
        .lines()
        .filter(|l| {
            !l.starts_with("<<<<<<<")
                && !l.starts_with(">>>>>>>")
                && !l.starts_with("|||||||")
                && *l != "======="
        })
        .filter(|l| !l.contains("p95 under 300 ms") && !l.contains("p95 under 450 ms"))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    fs::write(&path, resolved).unwrap();
    assert_eq!(check(dir.path(), &answers), Exit::Ok);
}

#[test]
fn deleted_file_stays_deleted_unless_restore() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), Platform::Fly);
    fs::remove_file(dir.path().join("docs/infra/runbooks/redis.md")).unwrap();
    let plan = plan_with(dir.path(), &fixture::answers(Platform::Fly), &opts());
    assert_eq!(
        outcome(&plan, "docs/infra/runbooks/redis.md"),
        Outcome::DeletedByUser
    );
    render::apply(dir.path(), &plan).unwrap();
    assert!(!dir.path().join("docs/infra/runbooks/redis.md").exists());
    assert_eq!(
        check(dir.path(), &fixture::answers(Platform::Fly)),
        Exit::Ok
    );

    let restore = PlanOptions {
        restore: true,
        ..PlanOptions::default()
    };
    let plan = plan_with(dir.path(), &fixture::answers(Platform::Fly), &restore);
    assert_eq!(
        outcome(&plan, "docs/infra/runbooks/redis.md"),
        Outcome::Create
    );
    render::apply(dir.path(), &plan).unwrap();
    assert!(dir.path().join("docs/infra/runbooks/redis.md").is_file());
}

#[test]
fn existing_file_not_rendered_by_infra_needs_force() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
    let mine = "name: my own ci\n";
    fs::write(dir.path().join(".github/workflows/ci.yml"), mine).unwrap();
    let plan = plan_with(dir.path(), &fixture::answers(Platform::Aws), &opts());
    let ci = plan
        .changes
        .iter()
        .find(|c| c.path == ".github/workflows/ci.yml")
        .unwrap();
    assert_eq!(ci.outcome, Outcome::Skip);
    assert_eq!(
        ci.note.as_deref(),
        Some("exists, not rendered by infra; --force to overwrite")
    );
    render::apply(dir.path(), &plan).unwrap();
    assert_eq!(
        fs::read_to_string(dir.path().join(".github/workflows/ci.yml")).unwrap(),
        mine
    );
    // A skipped file the user owns is not drift.
    assert_eq!(
        check(dir.path(), &fixture::answers(Platform::Aws)),
        Exit::Ok
    );

    let force = PlanOptions {
        force: true,
        ..PlanOptions::default()
    };
    let plan = plan_with(dir.path(), &fixture::answers(Platform::Aws), &force);
    assert_eq!(outcome(&plan, ".github/workflows/ci.yml"), Outcome::Update);
    render::apply(dir.path(), &plan).unwrap();
    let now = fs::read_to_string(dir.path().join(".github/workflows/ci.yml")).unwrap();
    assert!(now.contains("name: CI"));
}

#[test]
fn header_config_is_written_only_when_missing_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("vercel.json"), "{}\n").unwrap();
    let force = PlanOptions {
        force: true,
        ..PlanOptions::default()
    };
    let plan = plan_with(dir.path(), &fixture::answers(Platform::Vercel), &force);
    assert_eq!(outcome(&plan, "vercel.json"), Outcome::Skip);
    let fresh = tempfile::tempdir().unwrap();
    let plan = init(fresh.path(), Platform::Vercel);
    assert_eq!(outcome(&plan, "vercel.json"), Outcome::Create);
    assert!(fs::read_to_string(fresh.path().join("vercel.json"))
        .unwrap()
        .contains("Strict-Transport-Security"));
}

#[test]
fn projectplan_block_is_managed_and_the_rest_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mine = "# Shopfront plan\n\n## Now\n\n- [ ] Ship the cart\n";
    fs::write(dir.path().join("projectplan.md"), mine).unwrap();
    init(dir.path(), Platform::Aws);
    let text = fs::read_to_string(dir.path().join("projectplan.md")).unwrap();
    assert!(text.starts_with(mine));
    assert!(text.contains("<!-- infra:begin tasks -->\n## Infra\n"));
    assert!(text.trim_end().ends_with("<!-- infra:end tasks -->"));

    // The user ticks a box inside the block and adds text outside it; an answer changes.
    let ticked = text.replacen("- [ ] Turn on Dependabot", "- [x] Turn on Dependabot", 1)
        + "\nNotes after the block.\n";
    fs::write(dir.path().join("projectplan.md"), &ticked).unwrap();
    let mut answers = fixture::answers(Platform::Aws);
    answers.alerts_channel = "email:oncall@example.com".into();
    let plan = plan_with(dir.path(), &answers, &opts());
    render::apply(dir.path(), &plan).unwrap();
    let after = fs::read_to_string(dir.path().join("projectplan.md")).unwrap();
    assert!(after.starts_with(mine));
    assert!(after.contains("- [x] Turn on Dependabot"));
    assert!(after.contains("email:oncall@example.com"));
    assert!(after.ends_with("Notes after the block.\n"));
}

#[test]
fn extra_files_are_written_as_given_and_not_locked() {
    let dir = tempfile::tempdir().unwrap();
    let o = PlanOptions {
        extra_files: vec![("infra.toml".into(), "[platform]\ntarget = \"aws\"\n".into())],
        ..PlanOptions::default()
    };
    let plan = plan_with(dir.path(), &fixture::answers(Platform::Aws), &o);
    render::apply(dir.path(), &plan).unwrap();
    assert_eq!(
        fs::read_to_string(dir.path().join("infra.toml")).unwrap(),
        "[platform]\ntarget = \"aws\"\n"
    );
    let lock = fs::read_to_string(dir.path().join(".infra/lock.toml")).unwrap();
    assert!(!lock.contains("infra.toml"));
}

#[test]
fn unsafe_extra_paths_are_rejected_before_anything_is_written() {
    for bad in [
        "/tmp/x",
        "../outside.txt",
        "docs/../../x",
        ".git/hooks/pre-commit",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let o = PlanOptions {
            extra_files: vec![(bad.into(), "x".into())],
            ..PlanOptions::default()
        };
        let err = render::plan(
            dir.path(),
            &fixture::context(),
            &fixture::answers(Platform::Aws),
            &o,
        );
        assert!(matches!(err, Err(RenderError::UnsafePath { .. })), "{bad}");
        assert!(
            snapshot_tree(dir.path()).is_empty(),
            "{bad}: something was written"
        );
    }
}

#[cfg(unix)]
#[test]
fn symlink_leading_out_of_the_repo_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("docs")).unwrap();
    let err = render::plan(
        dir.path(),
        &fixture::context(),
        &fixture::answers(Platform::Aws),
        &opts(),
    );
    assert!(matches!(err, Err(RenderError::UnsafePath { .. })));
    assert!(fs::read_dir(outside.path()).unwrap().next().is_none());
    assert!(!dir.path().join(".env.example").exists());
}

#[cfg(unix)]
#[test]
fn symlink_inside_the_repo_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("documentation")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("documentation"), dir.path().join("docs")).unwrap();
    init(dir.path(), Platform::Aws);
    assert!(dir.path().join("documentation/infra/overview.md").is_file());
}

#[test]
fn a_failed_apply_leaves_the_repo_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), Platform::Aws);
    let before = snapshot_tree(dir.path());
    let mut answers = fixture::answers(Platform::Aws);
    answers.sla.latency_p95_ms = 999;
    answers.data.stores.clear();
    let plan = plan_with(dir.path(), &answers, &opts());
    assert!(plan.writes(dir.path()).len() > 3);
    // Fail after two files were already renamed into place.
    let err = render::apply_failing_after(dir.path(), &plan, 2);
    assert!(err.is_err());
    assert_eq!(before, snapshot_tree(dir.path()));
}

#[test]
fn a_path_blocked_by_a_file_fails_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    // `docs` is a file, so docs/infra/*.md cannot be written: nothing may be.
    fs::write(dir.path().join("docs"), "not a folder").unwrap();
    let err = render::plan(
        dir.path(),
        &fixture::context(),
        &fixture::answers(Platform::Aws),
        &opts(),
    );
    assert!(err.is_err());
    assert_eq!(snapshot_tree(dir.path()).len(), 1);
}

#[test]
fn a_file_changed_between_plan_and_apply_aborts_everything() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_with(dir.path(), &fixture::answers(Platform::Aws), &opts());
    fs::write(dir.path().join(".env.example"), "SOMEONE=else\n").unwrap();
    let err = render::apply(dir.path(), &plan);
    assert!(matches!(err, Err(RenderError::ChangedSincePlan { .. })));
    assert_eq!(snapshot_tree(dir.path()).len(), 1);
}

#[test]
fn plan_writes_nothing_and_shows_unified_diffs() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), Platform::Aws);
    let before = snapshot_tree(dir.path());
    let mut answers = fixture::answers(Platform::Aws);
    answers.sla.latency_p95_ms = 450;
    let plan = plan_with(dir.path(), &answers, &opts());
    let c = plan
        .changes
        .iter()
        .find(|c| c.path == "docs/infra/overview.md")
        .unwrap();
    let diff = c.diff();
    assert!(diff.starts_with("--- a/docs/infra/overview.md\n+++ b/docs/infra/overview.md\n"));
    assert!(diff.contains("-- Latency: p95 under 300 ms\n+- Latency: p95 under 450 ms\n"));
    assert_eq!(before, snapshot_tree(dir.path()));
}

#[test]
fn a_malformed_lock_is_an_error_not_a_silent_reset() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".infra")).unwrap();
    fs::write(
        dir.path().join(".infra/lock.toml"),
        "version = 1\nfiles = 3\n",
    )
    .unwrap();
    let err = render::plan(
        dir.path(),
        &fixture::context(),
        &fixture::answers(Platform::Aws),
        &opts(),
    );
    assert!(matches!(err, Err(RenderError::Lock(_))));
}

#[test]
fn template_overrides_from_the_repo_win() {
    let dir = tempfile::tempdir().unwrap();
    let over = dir.path().join(".infra/templates/docs/infra");
    fs::create_dir_all(&over).unwrap();
    fs::write(
        over.join("security.md.tera"),
        "# Security of {{ project.name }}\n\nAsk the security team.\n",
    )
    .unwrap();
    init(dir.path(), Platform::Aws);
    assert_eq!(
        fs::read_to_string(dir.path().join("docs/infra/security.md")).unwrap(),
        "# Security of Shopfront\n\nAsk the security team.\n"
    );
}

#[test]
fn a_broken_override_names_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let over = dir.path().join(".infra/templates");
    fs::create_dir_all(&over).unwrap();
    fs::write(over.join("env.example.tera"), "{% if %}\n").unwrap();
    let err = render::plan(
        dir.path(),
        &fixture::context(),
        &fixture::answers(Platform::Aws),
        &opts(),
    );
    match err {
        Err(RenderError::Template { .. }) => {}
        other => panic!("expected a template error, got {other:?}"),
    }
}

#[test]
fn stale_bases_are_removed_after_update() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), Platform::Aws);
    let mut answers = fixture::answers(Platform::Aws);
    answers.sla.latency_p95_ms = 450;
    let plan = plan_with(dir.path(), &answers, &opts());
    render::apply(dir.path(), &plan).unwrap();
    let lock = infra::render::lock::Lock::load(dir.path()).unwrap();
    let objects = fs::read_dir(dir.path().join(".infra/base"))
        .unwrap()
        .count();
    let referenced: std::collections::BTreeSet<_> =
        lock.files.values().map(|e| e.sha256.clone()).collect();
    assert_eq!(objects, referenced.len());
}

#[test]
fn a_binary_file_in_the_way_is_skipped_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(".env.example"), [0xff_u8, 0xfe, 0x00, 0x80]).unwrap();
    let plan = plan_with(dir.path(), &fixture::answers(Platform::Aws), &opts());
    assert_eq!(outcome(&plan, ".env.example"), Outcome::Skip);
    render::apply(dir.path(), &plan).unwrap();
    assert_eq!(
        fs::read(dir.path().join(".env.example")).unwrap(),
        vec![0xff, 0xfe, 0x00, 0x80]
    );
}

fn global(format: infra::cli::Format) -> infra::cli::GlobalArgs {
    infra::cli::GlobalArgs {
        format,
        color: infra::cli::ColorChoice::Never,
        quiet: false,
        verbose: 0,
        no_input: true,
    }
}

fn render_args(root: &Path) -> infra::cli::RenderArgs {
    infra::cli::RenderArgs {
        path: Some(root.to_path_buf()),
        answers: infra::cli::AnswerArgs::default(),
        force: false,
        restore: false,
    }
}

#[test]
fn command_handlers_return_the_documented_exit_codes() {
    use infra::cli::Format;
    use infra::commands::render::{run_check, run_init, run_plan, run_update, Run};
    let dir = tempfile::tempdir().unwrap();
    let plain = global(Format::Text);
    let json = global(Format::Json);
    let ctx = fixture::context();
    let answers = fixture::answers(Platform::Kubernetes);
    let args = render_args(dir.path());
    let run = |answers, global, extra_files| Run {
        root: dir.path(),
        ctx: &ctx,
        answers,
        extra_files,
        global,
        started: std::time::Instant::now(),
    };
    // Before init everything is missing: drift.
    assert_eq!(
        run_check(&run(&answers, &json, vec![]), &args).unwrap(),
        Exit::Drift
    );
    assert_eq!(
        run_plan(&run(&answers, &plain, vec![]), &args).unwrap(),
        Exit::Ok
    );
    assert!(!dir.path().join(".infra").exists(), "plan wrote something");
    let extra = vec![(
        "infra.toml".to_string(),
        "[platform]\ntarget = \"kubernetes\"\n".to_string(),
    )];
    assert_eq!(
        run_init(&run(&answers, &plain, extra), false).unwrap(),
        Exit::Ok
    );
    assert_eq!(
        run_check(&run(&answers, &plain, vec![]), &args).unwrap(),
        Exit::Ok
    );
    // A same-line conflict makes update exit 21 and check stay at 21.
    let path = dir.path().join("docs/infra/overview.md");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("p95 under 300 ms", "p95 under 200 ms");
    fs::write(&path, text).unwrap();
    let mut changed = answers.clone();
    changed.sla.latency_p95_ms = 500;
    assert_eq!(
        run_update(&run(&changed, &plain, vec![]), &args).unwrap(),
        Exit::Conflicts
    );
    assert_eq!(
        run_check(&run(&changed, &plain, vec![]), &args).unwrap(),
        Exit::Conflicts
    );
}

/// The linters' settings travel with the rendered files: created when the
/// repository configures neither linter, never over the user's own, and not
/// at all when the user's config has another of the names the linter reads.
#[test]
fn lint_configs_travel_with_the_files_unless_the_repository_has_its_own() {
    let fresh = tempfile::tempdir().unwrap();
    let plan = init(fresh.path(), Platform::Fly);
    assert_eq!(outcome(&plan, ".yamllint"), Outcome::Create);
    assert_eq!(outcome(&plan, ".markdownlint.jsonc"), Outcome::Create);
    let yamllint = fs::read_to_string(fresh.path().join(".yamllint")).unwrap();
    assert!(yamllint.contains("line-length: disable"), "{yamllint}");
    assert!(yamllint.contains("check-keys: false"), "{yamllint}");
    let md = fs::read_to_string(fresh.path().join(".markdownlint.jsonc")).unwrap();
    assert!(md.contains("\"MD013\": false"), "{md}");

    // The user's own file under the same name is kept, even with --force.
    let own = tempfile::tempdir().unwrap();
    fs::write(own.path().join(".yamllint"), "extends: relaxed\n").unwrap();
    let force = PlanOptions {
        force: true,
        ..PlanOptions::default()
    };
    let plan = plan_with(own.path(), &fixture::answers(Platform::Fly), &force);
    assert_eq!(outcome(&plan, ".yamllint"), Outcome::Skip);
    render::apply(own.path(), &plan).unwrap();
    assert_eq!(
        fs::read_to_string(own.path().join(".yamllint")).unwrap(),
        "extends: relaxed\n"
    );

    // A config under another name: nothing that would shadow it.
    let other = tempfile::tempdir().unwrap();
    fs::write(other.path().join("README.md"), "# shop\n\nSells tea.\n").unwrap();
    fs::write(other.path().join(".yamllint.yml"), "extends: default\n").unwrap();
    fs::write(other.path().join(".markdownlint.yaml"), "default: true\n").unwrap();
    let ctx = infra::context::discover(other.path(), &Default::default()).unwrap();
    let plan = render::plan(
        other.path(),
        &ctx,
        &fixture::answers(Platform::Fly),
        &opts(),
    )
    .unwrap();
    for path in [".yamllint", ".markdownlint.jsonc"] {
        assert!(
            plan.changes.iter().all(|c| c.path != path),
            "{path} would shadow the repository's own config"
        );
    }
}
