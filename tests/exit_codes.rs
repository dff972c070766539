//! The one exit-code table (src/exit.rs) is the README's table and `--help`'s.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use infra::exit::Exit;

#[test]
fn the_readme_table_is_the_code_table() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("## Exit codes")
        .nth(1)
        .expect("README has an Exit codes section");
    let rows: Vec<(String, String)> = section
        .lines()
        .skip_while(|l| !l.starts_with("| code"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            (cells[0].to_string(), cells[1].replace('`', ""))
        })
        .collect();
    let want: Vec<(String, String)> = Exit::TABLE
        .iter()
        .map(|(e, m)| (e.code().to_string(), m.to_string()))
        .collect();
    assert_eq!(rows, want);
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_behind_stdout_exits_4_not_internal_error() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        panic!("/dev/full is needed for this test");
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_infra"))
        .arg("rules")
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(i32::from(Exit::Io.code())));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("standard output"), "{err}");
}
