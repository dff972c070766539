//! insta snapshots of every rendered file for every platform, from the fixed
//! fixture context and answers (src/render/fixture.rs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use infra::platform::Platform;
use infra::render::{fixture, templates};

#[test]
fn ci_for_every_language() {
    let ctx = fixture::polyglot_context();
    let root = tempfile::tempdir().unwrap();
    let files = templates::render_all(root.path(), &ctx, &fixture::answers(Platform::Aws)).unwrap();
    for path in [".github/workflows/ci.yml", ".github/dependabot.yml"] {
        let f = files.iter().find(|f| f.path == path).unwrap();
        let name = format!("polyglot__{}", path.replace('/', "__"));
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true, description => path }, {
            insta::assert_snapshot!(name, f.text);
        });
    }
}

#[test]
fn every_file_for_every_platform() {
    let ctx = fixture::context();
    let root = tempfile::tempdir().unwrap();
    for platform in Platform::ALL {
        let answers = fixture::answers(platform);
        let files = templates::render_all(root.path(), &ctx, &answers).unwrap();
        assert!(files.len() >= 14, "{platform}: only {} files", files.len());
        for f in files {
            let name = format!("{}__{}", platform.id(), f.path.replace('/', "__"));
            insta::with_settings!({ snapshot_suffix => "", prepend_module_to_snapshot => false, omit_expression => true, description => f.path.clone() }, {
                insta::assert_snapshot!(name, f.text);
            });
        }
    }
}
