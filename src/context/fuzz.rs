//! Fuzz entry for discovery (`fuzz/fuzz_targets/context_file.rs`) and the
//! seeded mutation test that runs it in CI: any bytes, under any file name
//! an analyzer claims, must yield facts or problems, never a panic.

use super::{analyze_file, assemble};
use crate::source::walk::{SourceFile, Walked};
use std::path::Path;

/// One name per analyzer (and per env-var language), so a fuzzer's first
/// byte can steer the same content through every parser.
pub const NAMES: &[&str] = &[
    "README.md",
    "projectplan.md",
    "package.json",
    "Cargo.toml",
    "pyproject.toml",
    "requirements-dev.txt",
    "Pipfile",
    "go.mod",
    "Gemfile",
    "composer.json",
    "pom.xml",
    "build.gradle.kts",
    "Dockerfile",
    "docker-compose.yml",
    "k8s/deploy.yaml",
    "charts/app/Chart.yaml",
    "infra/main.tf",
    "vercel.json",
    "netlify.toml",
    "fly.toml",
    "app.yaml",
    "serverless.yml",
    "template.yaml",
    "Procfile",
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
    "config/production.yml",
    "config/settings.json",
    "config/app.toml",
    "docs/infra/overview.md",
    ".env.example",
    "src/app.ts",
    "app/main.py",
    "src/main.rs",
    "main.go",
    "app/models.rb",
    "index.php",
    "src/App.java",
    "Program.cs",
    "scripts/deploy.sh",
    "src/main/resources/application-prod.yml",
    "k8s/overlays/prod/kustomization.yaml",
    "prometheus/alerts.rules.yml",
    "monitoring/dashboards/api.json",
];

/// The first byte picks a name from [`NAMES`]; the rest is the file.
pub fn analyze_bytes(data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let path = NAMES[pick as usize % NAMES.len()];
    let text = String::from_utf8_lossy(bytes);
    let name = path.rsplit('/').next().unwrap_or(path);
    let file = SourceFile {
        path,
        name,
        bytes,
        text: &text,
        classes: crate::source::class::of_file(path, &text),
    };
    let Some(facts) = analyze_file(&file) else {
        return;
    };
    for problem in facts.problems() {
        assert_eq!(problem.location.path, path, "problem names another file");
    }
    let walked = Walked {
        items: vec![(path.to_string(), facts)],
        files: Vec::new(),
        stats: Default::default(),
        problems: Vec::new(),
    };
    let ctx = assemble(Path::new(""), walked);
    assert!(serde_json::to_string(&ctx).is_ok());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn fixture_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                fixture_files(&path, out);
            } else {
                out.push(path);
            }
        }
    }

    /// xorshift: repeatable pseudo-random numbers without a dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    const SPICE: &[&[u8]] = &[
        b"\x00",
        b"\xff",
        b"\xc3",
        b"{",
        b"}",
        b"[",
        b"]",
        b":",
        b"\"",
        b"'",
        b"\n",
        b"\t",
        b"&a",
        b"*a",
        b"!Ref ",
        b"<<: ",
        b"---\n",
        b"${",
        b"${{",
        b"#",
        b"\\",
        b"\r\n",
        b"- [ ] ",
        b"```",
        b"<!--",
        b"= ",
        b"[[",
        b"apiVersion: v1\nkind: Pod\n",
    ];

    fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
        let mut data = seed.to_vec();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(data.len() + 1);
            match rng.below(4) {
                0 => data.truncate(at),
                1 => {
                    let spice = SPICE[rng.below(SPICE.len())];
                    data.splice(at..at, spice.iter().copied());
                }
                2 if !data.is_empty() => {
                    let i = rng.below(data.len());
                    data[i] = rng.next() as u8;
                }
                _ => {
                    let end = (at + rng.below(64)).min(data.len());
                    let chunk = data[at..end].to_vec();
                    data.splice(at..at, chunk);
                }
            }
        }
        data
    }

    #[test]
    fn mutated_fixtures_never_panic_under_any_name() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/context");
        let mut files = Vec::new();
        fixture_files(&root, &mut files);
        files.sort();
        assert!(files.len() > 40);
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for file in &files {
            let seed = std::fs::read(file).unwrap();
            for pick in 0..NAMES.len() {
                for _ in 0..3 {
                    let mut data = vec![pick as u8];
                    data.extend(mutate(&mut rng, &seed));
                    analyze_bytes(&data);
                }
                let mut data = vec![pick as u8];
                data.extend(&seed);
                analyze_bytes(&data);
            }
        }
    }

    #[test]
    fn empty_and_tiny_inputs() {
        analyze_bytes(b"");
        for pick in 0..NAMES.len() as u8 {
            analyze_bytes(&[pick]);
            analyze_bytes(&[pick, 0xff]);
            analyze_bytes(&[pick, b'\n', b'{']);
        }
    }
}
