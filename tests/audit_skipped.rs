//! Files the audit could not scan are named in the report as notes, never
//! passed over silently (issue 5).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;

#[test]
fn large_and_binary_files_get_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("README.md"), "# App\n").unwrap();
    std::fs::write(root.join("dump.sql"), vec![b'a'; 3 * 1024 * 1024]).unwrap();
    std::fs::write(root.join("logo.png"), [0x89u8, b'P', b'N', b'G', 0, 0, 1]).unwrap();
    std::fs::write(root.join("font.woff"), [0u8, 1, 2, 3]).unwrap();
    let out = Command::cargo_bin("infra")
        .unwrap()
        .args(["audit", "--format", "json", "--fail-on", "error"])
        .arg(root)
        .env_remove("CI")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "file-skipped")
        .map(|f| {
            assert_eq!(f["level"], "note");
            (
                f["path"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(notes[0].0, "dump.sql");
    assert!(notes[0].1.contains("over the scan size limit"), "{notes:?}");
    assert!(
        notes[1].1.starts_with("2 binary files were not scanned"),
        "{notes:?}"
    );
}
