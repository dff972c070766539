//! Benchmark tree generator: a realistic repository of N files (mixed
//! languages, nested folders, a few large files, an ignored build folder,
//! secrets planted at known places listed in `BENCH_MANIFEST.txt`).
//!
//! `cargo run --release --example gen_tree -- DIR --files 100000 [--seed 7]`
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// xorshift64*: deterministic, dependency-free, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }
}

const B62: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const HEX: &[u8] = b"0123456789abcdef";

const WORDS: &[&str] = &[
    "order", "customer", "invoice", "payment", "cart", "item", "user", "account", "session",
    "report", "metric", "event", "queue", "worker", "cache", "store", "price", "stock", "ship",
    "email", "notify", "audit", "search", "index", "config", "client", "server", "handler",
    "token", "auth", "profile", "billing", "refund", "coupon", "review", "rating", "catalog",
];

struct Lang {
    ext: &'static str,
    weight: usize,
}

const LANGS: &[Lang] = &[
    Lang {
        ext: "ts",
        weight: 18,
    },
    Lang {
        ext: "js",
        weight: 12,
    },
    Lang {
        ext: "py",
        weight: 14,
    },
    Lang {
        ext: "go",
        weight: 10,
    },
    Lang {
        ext: "rs",
        weight: 6,
    },
    Lang {
        ext: "java",
        weight: 8,
    },
    Lang {
        ext: "rb",
        weight: 4,
    },
    Lang {
        ext: "md",
        weight: 6,
    },
    Lang {
        ext: "json",
        weight: 8,
    },
    Lang {
        ext: "yml",
        weight: 8,
    },
    Lang {
        ext: "css",
        weight: 4,
    },
    // Terraform, so the HCL parser and the IaC rules run on every tree.
    Lang {
        ext: "tf",
        weight: 3,
    },
    Lang {
        ext: "html",
        weight: 2,
    },
];

fn pick_lang(rng: &mut Rng) -> &'static str {
    let total: usize = LANGS.iter().map(|l| l.weight).sum();
    let mut n = rng.below(total);
    for l in LANGS {
        if n < l.weight {
            return l.ext;
        }
        n -= l.weight;
    }
    "txt"
}

fn ident(rng: &mut Rng) -> String {
    format!("{}_{}", rng.pick(WORDS), rng.pick(WORDS))
}

fn camel(rng: &mut Rng) -> String {
    let a = rng.pick(WORDS);
    let b = rng.pick(WORDS);
    let mut b = b.to_string();
    if let Some(f) = b.get_mut(0..1) {
        f.make_ascii_uppercase();
    }
    format!("{a}{b}")
}

/// One line of ordinary code or config in `ext`, with the words and URLs
/// real code has (`token`, `password` fields, `https://` links) at a
/// realistic rate, so the prefilter sees realistic candidates.
fn line(rng: &mut Rng, ext: &str) -> String {
    let id = ident(rng);
    let cm = camel(rng);
    let n = rng.below(1000);
    let r = rng.below(100);
    match ext {
        "ts" | "js" => match r {
            0..=2 => format!(
                "  // see https://docs.{}.io/{id} for details",
                rng.pick(WORDS)
            ),
            3 => "  const token = req.headers.authorization?.split(\" \")[1];".to_string(),
            4 => format!("  if (!user.passwordHash) throw new Error(\"{id} missing\");"),
            5..=30 => format!(
                "  const {cm} = await {}.get{}({n});",
                rng.pick(WORDS),
                rng.pick(WORDS)
            ),
            31..=50 => format!("  if ({cm} > {n}) {{ return {id}({cm}); }}"),
            51..=60 => format!(
                "import {{ {cm} }} from \"./{}/{}\";",
                rng.pick(WORDS),
                rng.pick(WORDS)
            ),
            // About 2 % of lines are log calls (0.3 % in the JavaScript, TypeScript
            // and Python of the pinned corpus; this tree once had 20 %).
            61..=62 => format!("  logger.info(\"{id} processed\", {{ {cm}, count: {n} }});"),
            63..=75 => format!("  const {id} = {cm}.map((x) => x.{}).filter(Boolean);", ident(rng)),
            _ => format!("  {cm}.push({{ id: {n}, name: \"{id}\" }});"),
        },
        "py" => match r {
            0..=2 => format!(
                "    # https://{}.readthedocs.io/en/latest/{id}.html",
                rng.pick(WORDS)
            ),
            3 => "    password = request.form.get(\"password\")".to_string(),
            4 => format!(
                "    api_key = os.environ.get(\"{}_API_KEY\")",
                rng.pick(WORDS).to_uppercase()
            ),
            5..=35 => format!("    {id} = {}.{}({n})", rng.pick(WORDS), ident(rng)),
            36..=55 => format!("    if {id} > {n}:\n        return {}({id})", ident(rng)),
            56..=65 => format!("from .{} import {}", rng.pick(WORDS), ident(rng)),
            66..=67 => format!("    logger.info(\"%s done\", {id})"),
            _ => format!("    {id}.append({}({n}))", ident(rng)),
        },
        "go" => match r {
            0..=2 => format!("\t// https://pkg.go.dev/{}/{id}", rng.pick(WORDS)),
            3 => "\ttoken := r.Header.Get(\"Authorization\")".to_string(),
            4..=40 => format!("\t{cm} := {}.{}({n})", rng.pick(WORDS), camel(rng)),
            41..=60 => {
                format!("\tif err != nil {{\n\t\treturn fmt.Errorf(\"{id}: %w\", err)\n\t}}")
            }
            61..=62 => format!("\tlog.Printf(\"{id} %d\", {n})"),
            _ => format!("\t{cm} = append({cm}, {n})"),
        },
        "rs" => match r {
            0..=2 => format!("    // https://docs.rs/{}/latest", rng.pick(WORDS)),
            3..=40 => format!("    let {id} = {}::{}({n})?;", rng.pick(WORDS), ident(rng)),
            41..=60 => format!("    if {id} > {n} {{ return Ok({id}); }}"),
            61..=62 => format!("    tracing::info!({id}, \"done\");"),
            _ => format!("    {id}.push({n});"),
        },
        "java" => match r {
            0..=2 => format!("    // https://{}.apache.org/docs/{id}", rng.pick(WORDS)),
            3 => "    String token = request.getHeader(\"X-Auth-Token\");".to_string(),
            4..=40 => format!(
                "    var {cm} = {}Service.find{}({n});",
                rng.pick(WORDS),
                camel(rng)
            ),
            41..=60 => {
                format!("    if ({cm} == null) {{ throw new IllegalStateException(\"{id}\"); }}")
            }
            61..=62 => format!("    log.info(\"{id} {{}}\", {cm});"),
            _ => format!("    {cm}.add({n});"),
        },
        "rb" => match r {
            0..=3 => format!("  # https://guides.rubyonrails.org/{id}.html"),
            4..=50 => format!("  {id} = {}.find({n})", camel(rng)),
            51..=52 => format!("  Rails.logger.info(\"{id} #{{{id}}}\")"),
            _ => format!("  {id} << {n}"),
        },
        "md" => match r {
            0..=10 => format!(
                "See [{id}](https://{}.dev/{id}) for the {} guide.",
                rng.pick(WORDS),
                rng.pick(WORDS)
            ),
            11..=15 => format!(
                "Set `{}_TOKEN` in your environment before running.",
                rng.pick(WORDS).to_uppercase()
            ),
            _ => format!(
                "The {} {} handles {} {} requests per {}.",
                rng.pick(WORDS),
                rng.pick(WORDS),
                n,
                rng.pick(WORDS),
                rng.pick(WORDS)
            ),
        },
        "json" => match r {
            0..=5 => format!(
                "  \"{id}_url\": \"https://{}.{}.io/v{}\",",
                rng.pick(WORDS),
                rng.pick(WORDS),
                n % 4
            ),
            _ => format!("  \"{id}\": {n},"),
        },
        "yml" => match r {
            0..=3 => format!("  {id}_url: https://{}.internal.io/{id}", rng.pick(WORDS)),
            4 => format!(
                "  {}_token: ${{{}_TOKEN}}",
                rng.pick(WORDS),
                rng.pick(WORDS).to_uppercase()
            ),
            _ => format!("  {id}: {n}"),
        },
        "tf" => match r {
            0..=39 => format!(
                "resource \"aws_security_group_rule\" \"{id}_{n}\" {{\n  type        = \"ingress\"\n  from_port   = {port}\n  to_port     = {port}\n  protocol    = \"tcp\"\n  cidr_blocks = [\"10.{octet}.0.0/16\"]\n}}",
                port = 1000 + n,
                octet = n % 256
            ),
            40..=59 => format!(
                "resource \"aws_db_instance\" \"{id}_{n}\" {{\n  engine                  = \"postgres\"\n  instance_class          = \"db.t3.micro\"\n  backup_retention_period = {}\n  tags = {{ Name = \"{cm}\" }}\n}}",
                7 + n % 20
            ),
            60..=79 => format!(
                "variable \"{id}_{n}\" {{\n  type    = number\n  default = {n}\n}}"
            ),
            _ => format!(
                "locals {{\n  {id}_{n} = \"${{var.{id}}}-{}\"\n}}",
                rng.pick(WORDS)
            ),
        },
        "css" => format!(
            ".{}-{} {{ margin: {}px; color: #{:06x}; }}",
            rng.pick(WORDS),
            rng.pick(WORDS),
            n % 40,
            rng.next() & 0xff_ffff
        ),
        "html" => match r {
            0..=5 => format!("<a href=\"https://{}.io/{id}\">{id}</a>", rng.pick(WORDS)),
            _ => format!(
                "<div class=\"{}\">{} {}</div>",
                rng.pick(WORDS),
                rng.pick(WORDS),
                n
            ),
        },
        _ => format!("{id} {n}"),
    }
}

/// A secret line of a random kind; returns (line, kind).
fn secret_line(rng: &mut Rng) -> (String, &'static str) {
    match rng.below(6) {
        0 => (
            format!("AWS_ACCESS_KEY_ID=AKIA{}", rng.chars(B32, 16)),
            "aws-access-key-id",
        ),
        1 => (
            format!("const gh = \"ghp_{}\";", rng.chars(B62, 36)),
            "github-pat",
        ),
        2 => (
            format!("STRIPE_KEY = \"sk_live_{}\"", rng.chars(B62, 32)),
            "stripe-live-secret-key",
        ),
        3 => (
            format!(
                "SLACK = \"xoxb-{}-{}-{}\"",
                rng.chars(b"0123456789", 12),
                rng.chars(b"0123456789", 12),
                rng.chars(B62, 24)
            ),
            "slack-token",
        ),
        4 => (
            format!("db_password = \"{}\"", rng.chars(B62, 24)),
            "generic-high-entropy",
        ),
        _ => (
            format!("TWILIO_AUTH_TOKEN={}", rng.chars(HEX, 32)),
            "twilio-auth-token",
        ),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut dir: Option<PathBuf> = None;
    let mut files = 20_000usize;
    let mut seed = 7u64;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--files" => files = args.next().ok_or("--files N")?.parse()?,
            "--seed" => seed = args.next().ok_or("--seed S")?.parse()?,
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let root = dir.ok_or("usage: gen_tree DIR --files N [--seed S]")?;
    if root.exists() {
        return Err(format!("{} exists; remove it first", root.display()).into());
    }
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    fs::create_dir_all(&root)?;
    fs::write(root.join(".gitignore"), "dist/\n*.log\n")?;
    let mut manifest = String::new();
    let mut bytes = 0u64;
    let mut planted = 0usize;
    let per_dir = 24;
    for i in 0..files {
        let dir = dir_for(i / per_dir);
        // About 2% of files land in the ignored build folder.
        let ignored = rng.below(50) == 0;
        let ext = pick_lang(&mut rng);
        let rel = if ignored {
            format!("dist/{dir}/bundle_{i}.{ext}")
        } else {
            format!("{dir}/{}_{i}.{ext}", rng.pick(WORDS))
        };
        // Sizes: mostly 1–6 KB, 0.5% large (200 KB – 1.5 MB), a handful over the 2 MB limit.
        let target = match rng.below(1000) {
            0..=4 => 200_000 + rng.below(1_300_000),
            5 if rng.below(20) == 0 => 2_500_000,
            _ => 1_000 + rng.below(5_000),
        };
        let mut text = String::with_capacity(target + 200);
        let mut line_no = 0u32;
        // About one file in 400 carries a planted secret, at a random line.
        let plant_at = (rng.below(400) == 0 && !ignored).then(|| rng.below(40) as u32 + 1);
        while text.len() < target {
            line_no += 1;
            if plant_at == Some(line_no) {
                let (l, kind) = secret_line(&mut rng);
                let _ = writeln!(manifest, "{rel}:{line_no}:{kind}");
                planted += 1;
                text.push_str(&l);
            } else {
                let l = line(&mut rng, ext);
                line_no += l.matches('\n').count() as u32;
                text.push_str(&l);
            }
            text.push('\n');
        }
        let path = root.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        bytes += text.len() as u64;
        fs::write(&path, text)?;
    }
    write_pipelines(&root)?;
    fs::write(root.join("BENCH_MANIFEST.txt"), &manifest)?;
    println!(
        "{}: {files} files, {:.1} MB, {planted} planted secrets (BENCH_MANIFEST.txt)",
        root.display(),
        bytes as f64 / 1e6
    );
    Ok(())
}

/// The monorepo's CI: GitHub Actions workflows (a reusable one and a local
/// composite action among them), a GitLab pipeline, and the package
/// scripts and Makefile targets their steps call, so the audit's pipeline
/// parser has real work. Fixed text (no random draws), so the rest of the
/// tree stays the same for a given seed.
fn write_pipelines(root: &Path) -> std::io::Result<()> {
    let files: &[(&str, &str)] = &[
        (
            ".github/workflows/ci.yml",
            "name: ci\non:\n  pull_request:\n  push:\n    branches: [main]\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    timeout-minutes: 30\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/setup\n      - run: npm ci\n      - run: npm run lint\n      - run: npm test\n      - run: make build\n  go:\n    runs-on: ubuntu-latest\n    timeout-minutes: 20\n    steps:\n      - uses: actions/checkout@v4\n      - run: go vet ./...\n      - run: go test ./...\n",
        ),
        (
            ".github/workflows/deploy.yml",
            "name: deploy\non:\n  push:\n    branches: [main]\n    tags: ['v*']\npermissions:\n  contents: read\n  id-token: write\njobs:\n  test:\n    uses: ./.github/workflows/reusable-test.yml\n  staging:\n    needs: test\n    if: github.ref == 'refs/heads/main'\n    runs-on: ubuntu-latest\n    timeout-minutes: 15\n    environment: staging\n    steps:\n      - uses: actions/checkout@v4\n      - run: make deploy ENV=staging\n  production:\n    needs: [test, staging]\n    if: startsWith(github.ref, 'refs/tags/v')\n    runs-on: ubuntu-latest\n    timeout-minutes: 15\n    environment: production\n    steps:\n      - uses: actions/checkout@v4\n      - run: make deploy ENV=production\n",
        ),
        (
            ".github/workflows/reusable-test.yml",
            "name: reusable-test\non:\n  workflow_call:\njobs:\n  unit:\n    runs-on: ubuntu-latest\n    timeout-minutes: 30\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci\n      - run: npm test\n",
        ),
        (
            ".github/actions/setup/action.yml",
            "name: setup\ndescription: toolchains\nruns:\n  using: composite\n  steps:\n    - uses: actions/setup-node@v4\n      with:\n        node-version: 20\n    - uses: actions/setup-go@v5\n      with:\n        go-version: '1.22'\n",
        ),
        (
            ".gitlab-ci.yml",
            "stages: [test, build, deploy]\n.node:\n  image: node:20\ntest:\n  extends: .node\n  stage: test\n  script:\n    - npm ci\n    - npm test\nbuild:\n  stage: build\n  script:\n    - make build\ndeploy-production:\n  stage: deploy\n  environment: production\n  rules:\n    - if: $CI_COMMIT_BRANCH == \"main\"\n      when: manual\n  script:\n    - make deploy ENV=production\n",
        ),
        (
            "package.json",
            "{\n  \"name\": \"bench-monorepo\",\n  \"private\": true,\n  \"scripts\": {\n    \"lint\": \"eslint .\",\n    \"test\": \"vitest run\",\n    \"build\": \"tsc -b\"\n  }\n}\n",
        ),
        (
            "Makefile",
            ".PHONY: build deploy\nbuild:\n\tnpm run build\ndeploy:\n\tkubectl apply -k deploy/$(ENV)\n",
        ),
    ];
    for (rel, text) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, text)?;
    }
    Ok(())
}

/// Nested folders: services/<svc>/src/<module>/<sub>, 24 files per folder.
fn dir_for(n: usize) -> String {
    let svc = n / 40;
    let module = (n / 5) % 8;
    let sub = n % 5;
    let top = ["services", "packages", "apps", "libs"][svc % 4];
    let p: PathBuf = Path::new(top)
        .join(format!("{}-{svc}", WORDS[svc % WORDS.len()]))
        .join("src")
        .join(WORDS[module % WORDS.len()])
        .join(format!("part{sub}"));
    p.to_string_lossy().replace('\\', "/")
}
