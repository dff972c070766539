//! `infra` never touches the network (SPEC §7). Three checks:
//!
//! 1. No network client, TLS or DNS crate is anywhere in Cargo.lock (dev
//!    dependencies included: the tests must not need the network either).
//!    The deny list is `NETWORK_CRATES`; docs/dependencies.md says why.
//! 2. The source opens no sockets and runs no program but `git` (which it
//!    runs as `git ls-files`, local).
//! 3. The main commands run inside a network namespace with no interfaces
//!    (`unshare --net`) and behave exactly as outside: same exit codes, same
//!    output, same files. Without root it tries an unprivileged user
//!    namespace (`unshare --user --map-root-user --net`). Where neither is
//!    available or permitted the test says why and is skipped; with `CI`
//!    set it fails instead.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;

use common::{copy_dir, tree, SET};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Crates whose purpose is talking to other machines: HTTP clients and
/// servers, HTTP/2 and HTTP/3, async runtimes with sockets, TLS stacks,
/// DNS resolvers, WebSocket, SSH, and git network transports.
const NETWORK_CRATES: &[&str] = &[
    // HTTP clients and servers
    "reqwest",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "attohttpc",
    "surf",
    "http-client",
    "hyper",
    "hyper-util",
    "hyper-tls",
    "hyper-rustls",
    "h2",
    "h3",
    "quinn",
    "actix-web",
    "axum",
    "warp",
    "tiny_http",
    // async runtimes and socket layers
    "tokio",
    "mio",
    "socket2",
    "async-std",
    "async-net",
    "smol",
    // TLS
    "native-tls",
    "openssl",
    "openssl-sys",
    "rustls",
    "schannel",
    "security-framework",
    // DNS
    "trust-dns-resolver",
    "hickory-resolver",
    "c-ares",
    // WebSocket, SSH, git over the network
    "tungstenite",
    "tokio-tungstenite",
    "ssh2",
    "libssh2-sys",
    "git2",
    "gix-transport",
];

#[test]
fn no_network_crate_is_in_cargo_lock() {
    let text = fs::read_to_string(repo().join("Cargo.lock")).unwrap();
    let lock: toml::Table = toml::from_str(&text).unwrap();
    let packages = lock["package"].as_array().unwrap();
    assert!(
        packages.len() > 10,
        "Cargo.lock lists {} packages",
        packages.len()
    );
    let found: Vec<&str> = packages
        .iter()
        .filter_map(|p| p["name"].as_str())
        .filter(|name| NETWORK_CRATES.contains(name))
        .collect();
    assert!(
        found.is_empty(),
        "network crates in Cargo.lock: {found:?}. infra must never touch the network \
         (SPEC §7); see docs/dependencies.md"
    );
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_source_opens_no_sockets_and_runs_only_git() {
    let mut files = Vec::new();
    rust_files(&repo().join("src"), &mut files);
    assert!(!files.is_empty());
    let sockets = [
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "ToSocketAddrs",
        "UnixStream",
        "UnixListener",
        "UnixDatagram",
    ];
    let mut problems = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        let rel = file.strip_prefix(repo()).unwrap().display().to_string();
        for (n, line) in text.lines().enumerate() {
            if sockets.iter().any(|s| line.contains(s)) {
                problems.push(format!("{rel}:{}: {}", n + 1, line.trim()));
            }
            if let Some(at) = line.find("Command::new(") {
                let program = &line[at + "Command::new(".len()..];
                if !program.starts_with("\"git\")") {
                    problems.push(format!("{rel}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "infra must not open sockets or run programs that may (only `git ls-files`):\n{}",
        problems.join("\n")
    );
}

/// The `unshare` flags that give a network namespace here: `--net` as
/// root, else an unprivileged user namespace with its own network; or why
/// neither works.
fn unshare_flags() -> Result<&'static [&'static str], String> {
    const TRIES: [&[&str]; 2] = [&["--net"], &["--user", "--map-root-user", "--net"]];
    let mut why = Vec::new();
    for flags in TRIES {
        match Command::new("unshare")
            .args(flags)
            .args(["cat", "/proc/net/dev", "/proc/net/route"])
            .output()
        {
            Err(e) => return Err(format!("`unshare` could not be run: {e}")),
            Ok(out) if !out.status.success() => why.push(format!(
                "`unshare {}` is not permitted here: {}",
                flags.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )),
            Ok(out) => {
                check_no_network(&String::from_utf8_lossy(&out.stdout));
                return Ok(flags);
            }
        }
    }
    Err(why.join("; "))
}

/// Inside the namespace: only the loopback interface, and no routes at all.
fn check_no_network(proc_net: &str) {
    let interfaces: Vec<&str> = proc_net
        .lines()
        .filter_map(|l| l.split_once(':').map(|(name, _)| name.trim()))
        .filter(|name| !name.contains('|'))
        .collect();
    assert_eq!(
        interfaces,
        ["lo"],
        "the namespace has interfaces besides loopback: {proc_net}"
    );
    let routes = proc_net
        .lines()
        .filter(|l| l.contains('\t') && !l.starts_with("Iface"))
        .count();
    assert_eq!(routes, 0, "the namespace has routes: {proc_net}");
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The example's sources, not yet initialised, in a folder named
/// `shopfront` (the folder's name is part of the output).
fn fresh_repo() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("shopfront");
    fs::create_dir(&dir).unwrap();
    let example = repo().join("examples/shopfront");
    for name in [
        "README.md",
        "package.json",
        "tsconfig.json",
        "docker-compose.yml",
        "Dockerfile",
        "projectplan.md",
    ] {
        fs::copy(example.join(name), dir.join(name)).unwrap();
    }
    copy_dir(&example.join("src"), &dir.join("src"));
    copy_dir(&example.join("config"), &dir.join("config"));
    (tmp, dir)
}

/// One command's arguments, exit code, stdout and stderr.
type Run = (String, Option<i32>, Vec<u8>, Vec<u8>);

/// Every main command, in order, on a fresh copy; with `unshare` flags,
/// each runs inside `unshare FLAGS`.
fn run_all(unshare: Option<&[&str]>) -> (Vec<Run>, Vec<(String, Vec<u8>)>) {
    let (_tmp, dir) = fresh_repo();
    let mut init: Vec<&str> = vec!["init", ".", "--no-input", "--format", "json"];
    init.extend_from_slice(SET);
    let steps: Vec<Vec<&str>> = vec![
        vec!["context", ".", "--format", "json"],
        vec!["plan", ".", "--format", "json"],
        vec!["check", "."],
        init,
        vec!["check", "."],
        vec!["plan", "."],
        vec!["update", ".", "--format", "json"],
        vec!["audit", ".", "--format", "json"],
        vec!["audit", ".", "--format", "sarif"],
        vec!["context", "."],
        vec!["rules", "--format", "json"],
        vec!["explain", "hardcoded-secret"],
    ];
    let mut results = Vec::new();
    for args in steps {
        let mut cmd = match unshare {
            Some(flags) => {
                let mut c = Command::new("unshare");
                c.args(flags).arg(env!("CARGO_BIN_EXE_infra"));
                c
            }
            None => Command::new(env!("CARGO_BIN_EXE_infra")),
        };
        cmd.current_dir(&dir)
            .args(&args)
            .env("NO_COLOR", "1")
            .env_remove("CI");
        for (key, _) in std::env::vars() {
            if key.starts_with("INFRA_") {
                cmd.env_remove(key);
            }
        }
        let Output {
            status,
            stdout,
            stderr,
        } = cmd.output().unwrap();
        results.push((args.join(" "), status.code(), stdout, stderr));
    }
    (results, tree(&dir))
}

#[test]
fn main_commands_behave_the_same_without_any_network() {
    let flags = match unshare_flags() {
        Ok(flags) => flags,
        Err(why) => {
            assert!(!in_ci(), "CI is set, so this test must run, but: {why}");
            eprintln!("SKIPPED main_commands_behave_the_same_without_any_network: {why}");
            return;
        }
    };
    let (outside, outside_tree) = run_all(None);
    let (inside, inside_tree) = run_all(Some(flags));
    // The runs did real work.
    let init = &outside[3];
    assert_eq!(
        init.1,
        Some(0),
        "{}: {}",
        init.0,
        String::from_utf8_lossy(&init.3)
    );
    assert!(outside_tree.iter().any(|(p, _)| p == "infra.toml"));
    assert!(outside_tree
        .iter()
        .any(|(p, _)| p == ".github/workflows/deploy.yml"));
    for (o, i) in outside.iter().zip(&inside) {
        assert_eq!(
            o.1, i.1,
            "`infra {}` exit code differs without network",
            o.0
        );
        same(&o.2, &i.2, &format!("`infra {}` stdout", o.0));
        same(&o.3, &i.3, &format!("`infra {}` stderr", o.0));
    }
    let paths = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&outside_tree), paths(&inside_tree));
    for (o, i) in outside_tree.iter().zip(&inside_tree) {
        same(&o.1, &i.1, &o.0);
    }
}

/// Equal bytes, or a failure showing the first line that differs.
fn same(outside: &[u8], inside: &[u8], what: &str) {
    if outside == inside {
        return;
    }
    let (o, i) = (
        String::from_utf8_lossy(outside),
        String::from_utf8_lossy(inside),
    );
    let line = o
        .lines()
        .zip(i.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| o.lines().count().min(i.lines().count()));
    panic!(
        "{what} differs without network at line {}:\n  outside: {:?}\n  inside:  {:?}",
        line + 1,
        o.lines().nth(line),
        i.lines().nth(line)
    );
}
