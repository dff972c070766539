//! Render every platform into `OUT/<platform>/` for scripts/lint-renders.sh
//! (until `infra init --set …` is wired to the renderer).
//! `render_all OUT` renders the fixed fixture (src/render/fixture.rs);
//! `render_all OUT polyglot` the fixture with Go, Rust, pnpm and Poetry stacks;
//! `render_all OUT minimal` an empty repo whose environments deploy from no branch;
//! `render_all OUT examples/shopfront` copies that repo per platform, runs
//! discovery and answer resolution on it (`--set platform.target=…`), then renders.

use infra::answers::resolve::resolve_noninteractive;
use infra::context::discover;
use infra::platform::Platform;
use infra::render::{self, fixture, PlanOptions};
use infra::source::walk::WalkOptions;
use std::path::{Path, PathBuf};

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .map(PathBuf::from)
        .ok_or_else(|| anyhow::anyhow!("usage: render_all OUT_DIR [REPO]"))?;
    let repo = args.next().map(PathBuf::from);
    for platform in Platform::ALL {
        let dir = out.join(platform.id());
        std::fs::create_dir_all(&dir)?;
        let (ctx, answers) = match &repo {
            None => (fixture::context(), fixture::answers(platform)),
            Some(name) if name.as_os_str() == "minimal" => (
                fixture::minimal_context(),
                fixture::minimal_answers(platform),
            ),
            Some(name) if name.as_os_str() == "polyglot" => {
                (fixture::polyglot_context(), fixture::answers(platform))
            }
            Some(repo) => {
                copy_tree(repo, &dir)?;
                let ctx = discover(&dir, &WalkOptions::default())?;
                let mut set = vec![format!("platform.target={}", platform.id())];
                if let Some(region) = platform.suggested_region() {
                    set.push(format!("platform.region={region}"));
                }
                let resolution = resolve_noninteractive(&dir, &ctx, &set, None)?;
                (ctx, resolution.answers)
            }
        };
        let plan = render::plan(&dir, &ctx, &answers, &PlanOptions::default())?;
        render::apply(&dir, &plan)?;
    }
    Ok(())
}
