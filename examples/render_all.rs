//! Render the bundled fixture for every platform into `OUT/<platform>/`
//! (used by scripts/lint-renders.sh until `infra init --set …` can do it).
//! Usage: cargo run --example render_all -- OUT_DIR

use infra::model::Platform;
use infra::render::{self, fixture, PlanOptions};
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let out = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .ok_or_else(|| anyhow::anyhow!("usage: render_all OUT_DIR"))?;
    let ctx = fixture::context();
    for platform in Platform::ALL {
        let dir = out.join(platform.id());
        std::fs::create_dir_all(&dir)?;
        let answers = fixture::answers(platform);
        let plan = render::plan(&dir, &ctx, &answers, &PlanOptions::default())?;
        render::apply(&dir, &plan)?;
    }
    Ok(())
}
