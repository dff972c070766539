//! oversized-instance: no non-production environment runs a larger instance
//! than production, and no instance is above the ceiling infra.toml sets
//! (checklist §6.1, oversized instances).
//!
//! Sizes are ordered only where the order is certain ([`parse_size`]): the
//! same family by its size step, different families by vCPU count when one
//! has at least twice the other's. Anything else is skipped, never guessed.

use super::nonprod_live_credentials::environment_of;
use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, ClassPolicy, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::context::{Context, TerraformBlock};
use crate::model::{canonical_environment, Location};
use crate::parse::terraform::{Body, Value};
use crate::source::text::parent;
use std::cmp::Ordering;
use std::collections::BTreeMap;

crate::declare_rule!(
    OversizedInstance,
    RuleMeta {
        id: "oversized-instance",
        section: "6.1",
        level: Level::Warning,
        confidence: Confidence::Medium,
        description: "No non-production environment runs larger instances than production",
        applies: "when Terraform sets an instance size per environment (environment folders, per-environment `*.tfvars`, or a variable map keyed by environment), or when infra.toml sets `[audit] max_instance_vcpus`",
        rationale: "Checklist §6.1: avoid oversized instances. A staging or development machine larger than production's costs more than the environment users rely on and tests nothing production runs; a size above the team's own ceiling is usually a copy-paste or a forgotten experiment.",
        detection: "Terraform instance sizes: `aws_instance`, `aws_launch_template` and `aws_launch_configuration` `instance_type`, `aws_db_instance` and `aws_rds_cluster_instance` `instance_class`, `aws_elasticache_cluster`/`aws_elasticache_replication_group` `node_type`, `aws_eks_node_group` `instance_types`, `aws_opensearch_domain`/`aws_elasticsearch_domain` `cluster_config.instance_type`, `aws_mq_broker` `host_instance_type`, `google_compute_instance` and `google_compute_instance_template` `machine_type`, `google_container_node_pool` `node_config.machine_type`, `google_sql_database_instance` `settings.tier`, `azurerm_linux_virtual_machine`/`azurerm_windows_virtual_machine` `size`, `azurerm_virtual_machine` `vm_size`, `azurerm_kubernetes_cluster` `default_node_pool.vm_size`, `azurerm_kubernetes_cluster_node_pool` `vm_size`, `azurerm_service_plan` `sku_name`, `azurerm_app_service_plan` `sku.size`, and the same-named inputs of `module` blocks. A size is a literal, or `var.NAME` (also as Terraform 0.11's `\"${var.NAME}\"`) resolved from each environment's `*.tfvars` (environment from the file name, whole or one of its `-`/`_` parts: `staging.tfvars`, `terraform-staging.tfvars`, `prod-app.tfvars`, or from a folder) and the variable's default, or `var.NAME[var.ENV]`/`lookup(var.NAME, var.ENV)` over a map keyed by environment names, or `var.ENV == \"production\" ? var.A : var.B_dev` where the other branch's variable names its environment; a resource in an environment folder (`envs/staging/main.tf`) is that environment's. Variables of folders under `modules/` are set by their callers, not by tfvars, and are not resolved. Sizes are ordered only where the order is certain: AWS by the size step within one family (`t3.micro < t3.small < … < t3.2xlarge`; `db.`, `cache.`, `mq.` prefixes and `.search` suffixes ignored; `metal` unknown), GCP by vCPU count within one series and type (`e2-standard-8`, `n2-custom-8-32768`, Cloud SQL `db-custom-4-15360`; shared-core `micro < small < medium`), Azure VMs by the vCPU count their name carries where it does (`Standard_D4s_v3`, B, F, M and L series; older D and A series whose number is not a vCPU count are skipped), App Service plans within one tier (`P1v3 < P2v3`). Different families compare by vCPU only when one has at least twice the other's (AWS `large` is 2 vCPUs, `xlarge` 4, `Nxlarge` 4×N; HPC families excepted). (a) A staging, dev, test, QA or preview size larger than every production size of the same resource is reported, with where each was set. (b) With `[audit] max_instance_vcpus = N` in infra.toml, every size with more than N vCPUs is reported, in any environment. Without the setting there is no ceiling: a size alone says nothing about the workload. `*.tfvars.json`, Terragrunt inputs, Pulumi and CloudFormation are not read; a size computed any other way (a local, a conditional over literals or unnamed variables, a workspace lookup) is skipped. Passes only where at least one non-production size was ordered against production's.",
        fix: "size the non-production environment at or below production (or raise production if it is the one too small); keep sizes under the ceiling or raise `max_instance_vcpus` with the reason",
        fixed_by_init: false,
        fail_example: "# envs/staging.tfvars\ninstance_type = \"m5.2xlarge\"\n# envs/production.tfvars\ninstance_type = \"m5.large\"",
        pass_example: "# envs/staging.tfvars\ninstance_type = \"t3.medium\"\n# envs/production.tfvars\ninstance_type = \"m5.large\"",
    }
);

/// Resource types and where their size is: attribute paths through nested
/// blocks (`settings.tier`).
const SIZED: &[(&str, &[&str])] = &[
    ("aws_instance", &["instance_type"]),
    ("aws_launch_template", &["instance_type"]),
    ("aws_launch_configuration", &["instance_type"]),
    ("aws_db_instance", &["instance_class"]),
    ("aws_rds_cluster_instance", &["instance_class"]),
    ("aws_elasticache_cluster", &["node_type"]),
    ("aws_elasticache_replication_group", &["node_type"]),
    ("aws_eks_node_group", &["instance_types"]),
    ("aws_opensearch_domain", &["cluster_config.instance_type"]),
    (
        "aws_elasticsearch_domain",
        &["cluster_config.instance_type"],
    ),
    ("aws_mq_broker", &["host_instance_type"]),
    ("google_compute_instance", &["machine_type"]),
    ("google_compute_instance_template", &["machine_type"]),
    ("google_container_node_pool", &["node_config.machine_type"]),
    ("google_sql_database_instance", &["settings.tier"]),
    ("azurerm_linux_virtual_machine", &["size"]),
    ("azurerm_windows_virtual_machine", &["size"]),
    ("azurerm_virtual_machine", &["vm_size"]),
    ("azurerm_kubernetes_cluster", &["default_node_pool.vm_size"]),
    ("azurerm_kubernetes_cluster_node_pool", &["vm_size"]),
    ("azurerm_service_plan", &["sku_name"]),
    ("azurerm_app_service_plan", &["sku.size"]),
];

/// Inputs of `module` blocks that name an instance size.
const MODULE_INPUTS: &[&str] = &[
    "instance_type",
    "instance_class",
    "instance_types",
    "node_type",
    "machine_type",
    "vm_size",
];

/// Environments that are not production.
const NON_PRODUCTION: &[&str] = &["staging", "dev", "test", "qa", "preview"];

/// An instance size, as far as it can be ordered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Size {
    /// Sizes of one family order by `rank` (`aws:m5`, `gcp:e2-standard`).
    family: String,
    rank: u32,
    /// vCPUs: at least / at most (equal when known exactly).
    min_vcpus: u32,
    max_vcpus: u32,
}

impl Size {
    /// `Greater` when `self` is certainly larger, `Less` when certainly
    /// smaller, `Equal` for the same size; `None` when it cannot be told.
    pub fn compare(&self, other: &Size) -> Option<Ordering> {
        if self.family == other.family {
            return Some(self.rank.cmp(&other.rank));
        }
        if self.min_vcpus > 0 && self.min_vcpus >= 2 * other.max_vcpus {
            Some(Ordering::Greater)
        } else if other.min_vcpus > 0 && other.min_vcpus >= 2 * self.max_vcpus {
            Some(Ordering::Less)
        } else {
            None
        }
    }

    /// vCPUs when known exactly.
    pub fn vcpus(&self) -> Option<u32> {
        (self.min_vcpus > 0 && self.min_vcpus == self.max_vcpus).then_some(self.min_vcpus)
    }
}

/// The size an instance type names, if it can be ordered: AWS
/// (`t3.micro`, `db.r5.2xlarge`), GCP (`e2-standard-8`, `db-custom-4-15360`)
/// or Azure (`Standard_D4s_v3`, `P1v3`).
pub fn parse_size(name: &str) -> Option<Size> {
    let name = name.trim();
    aws(name)
        .or_else(|| gcp(name))
        .or_else(|| azure_vm(name))
        .or_else(|| app_service(name))
}

fn aws(name: &str) -> Option<Size> {
    let mut s = name;
    for prefix in ["db.", "cache.", "mq.", "kafka."] {
        s = s.strip_prefix(prefix).unwrap_or(s);
    }
    for suffix in [".search", ".elasticsearch"] {
        s = s.strip_suffix(suffix).unwrap_or(s);
    }
    let (family, size) = s.split_once('.')?;
    let family_ok = family.starts_with(|c: char| c.is_ascii_lowercase())
        && family.chars().any(|c| c.is_ascii_digit())
        && family
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !family_ok || size.contains('.') {
        return None;
    }
    // Below `large` a size has at most 2 vCPUs (often burstable shares).
    let (rank, vcpus) = match size {
        "nano" => (1, None),
        "micro" => (2, None),
        "small" => (3, None),
        "medium" => (4, None),
        "large" => (8, Some(2)),
        "xlarge" => (16, Some(4)),
        _ => {
            let n: u32 = size.strip_suffix("xlarge")?.parse().ok()?;
            if n < 2 {
                return None;
            }
            (16 * n, Some(4 * n))
        }
    };
    // HPC families run without hyperthreading: the step does not give vCPUs.
    let vcpus = vcpus.filter(|_| !family.starts_with("hpc"));
    let (min_vcpus, max_vcpus) = match vcpus {
        Some(v) => (v, v),
        None if rank < 8 => (0, 2),
        None => (0, u32::MAX / 2),
    };
    Some(Size {
        family: format!("aws:{family}"),
        rank,
        min_vcpus,
        max_vcpus,
    })
}

fn gcp(name: &str) -> Option<Size> {
    let s = name.strip_prefix("db-").unwrap_or(name);
    let s = s.strip_suffix("-lssd").unwrap_or(s);
    let parts: Vec<&str> = s.split('-').collect();
    let lower = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    };
    if parts.len() < 2 || !parts.iter().all(|p| lower(p)) {
        return None;
    }
    // Shared-core types: at most 2 vCPUs, ordered within their series.
    if parts.len() == 2 {
        let rank = match parts[1] {
            "micro" => 1,
            "small" => 2,
            "medium" => 3,
            _ => return None,
        };
        if !matches!(parts[0], "e2" | "f1" | "g1") {
            return None;
        }
        return Some(Size {
            family: format!("gcp:{}-shared", parts[0]),
            rank,
            min_vcpus: 0,
            max_vcpus: 2,
        });
    }
    // `custom-8-32768` (N1), `n2-custom-8-32768`: the vCPUs come first.
    if let Some(i) = parts.iter().position(|p| *p == "custom") {
        let vcpus: u32 = parts.get(i + 1)?.parse().ok()?;
        return (vcpus > 0).then(|| Size {
            family: format!("gcp:{}", parts[..=i].join("-")),
            rank: vcpus,
            min_vcpus: vcpus,
            max_vcpus: vcpus,
        });
    }
    let vcpus: u32 = parts.last()?.parse().ok()?;
    let kind = parts[parts.len() - 2];
    if vcpus == 0 || !kind.starts_with(|c: char| c.is_ascii_lowercase()) || kind.len() < 4 {
        return None;
    }
    // The series has a digit (`e2`, `n2d`, `c3`).
    if !parts[0].chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(Size {
        family: format!("gcp:{}", parts[..parts.len() - 1].join("-")),
        rank: vcpus,
        min_vcpus: vcpus,
        max_vcpus: vcpus,
    })
}

/// `Standard_D4s_v3`: series letters, vCPUs, feature letters, version.
fn azure_vm(name: &str) -> Option<Size> {
    let rest = name.strip_prefix("Standard_")?;
    let (head, version) = match rest.split_once('_') {
        Some((h, v)) => (h, v.strip_prefix('v')?.parse::<u32>().ok()?),
        None => (rest, 1),
    };
    let series: String = head.chars().take_while(char::is_ascii_uppercase).collect();
    let after = &head[series.len()..];
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    let features = &after[digits.len()..];
    // `E8-4s_v3` (constrained vCPUs) and anything unusual: not ordered.
    if series.is_empty() || digits.is_empty() || !features.chars().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    let vcpus: u32 = digits.parse().ok()?;
    // Where the number is the vCPU count.
    let counts = match series.as_str() {
        "B" | "F" | "M" | "NC" | "NV" | "ND" | "H" | "HB" | "HC" => true,
        "D" | "DS" | "E" | "ES" => version >= 3,
        "L" => version >= 2,
        _ => false,
    };
    if !counts || vcpus == 0 {
        return None;
    }
    Some(Size {
        family: format!("azure:{series}{features}_v{version}"),
        rank: vcpus,
        min_vcpus: vcpus,
        max_vcpus: vcpus,
    })
}

/// App Service plans: `B1`–`B3`, `S1`–`S3`, `P1v2`–`P3v2`, `P0v3`–`P3v3`.
fn app_service(name: &str) -> Option<Size> {
    let tier = name.get(..1)?;
    let step: u32 = name.get(1..2)?.parse().ok()?;
    let version = name.get(2..)?;
    let vcpus = match (tier, version) {
        ("B" | "S", "") | ("P", "v2") if (1..=3).contains(&step) => 1 << (step - 1),
        ("P", "v3") if step <= 3 => {
            if step == 0 {
                1
            } else {
                1 << step
            }
        }
        _ => return None,
    };
    Some(Size {
        family: format!("appservice:{tier}{version}"),
        rank: step,
        min_vcpus: vcpus,
        max_vcpus: vcpus,
    })
}

/// One size as set somewhere.
#[derive(Debug, Clone)]
struct Setting {
    text: String,
    size: Option<Size>,
    location: Location,
    /// `in envs/prod.tfvars`, `default of variable instance_type`, …
    how: String,
    /// The condition that picks this size for its environment, if one does.
    condition: Option<Location>,
}

/// One place a resource or module takes a size from.
struct Site<'c> {
    /// `aws_instance.web instance_type`: what is compared across environments.
    address: String,
    /// The folder, with environment folders as `*`: the same stack.
    stack: String,
    block: &'c TerraformBlock,
    value: &'c Value,
    line: u32,
}

impl Rule for OversizedInstance {
    fn class_policy(&self) -> ClassPolicy {
        super::DEPLOYED_ONLY
    }

    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        if ctx.terraform.resources.is_empty() && ctx.terraform.modules.is_empty() {
            return Verdict::NotApplicable("the repository has no Terraform".into());
        }
        // (stack, address) -> environment -> settings; environment-less settings apart.
        let mut by_env: BTreeMap<(String, String), BTreeMap<&'static str, Vec<Setting>>> =
            BTreeMap::new();
        let mut all: Vec<(String, Setting)> = Vec::new();
        for site in sites(ctx) {
            for (env, setting) in resolve(ctx, &site) {
                all.push((site.address.clone(), setting.clone()));
                if let Some(env) = env {
                    by_env
                        .entry((site.stack.clone(), site.address.clone()))
                        .or_default()
                        .entry(env)
                        .or_default()
                        .push(setting);
                }
            }
        }
        let mut compared = false;
        for ((_, address), envs) in &by_env {
            let Some(prod) = envs.get("production") else {
                continue;
            };
            for env in NON_PRODUCTION {
                let Some(settings) = envs.get(env) else {
                    continue;
                };
                for s in settings {
                    let Some(larger) = larger_than_production(s, prod) else {
                        continue;
                    };
                    compared = true;
                    if !larger {
                        continue;
                    }
                    let biggest = &prod[0];
                    let mut b = out
                        .add(format!(
                            "{address} is larger in {env} (`{}`, {}) than in production (`{}`, {}): a non-production environment costs more than the one users rely on",
                            s.text, s.how, biggest.text, biggest.how
                        ))
                        .at(s.location.clone())
                        .evidence(format!("{env}: {} ({})", s.text, s.how))
                        .fix(format!(
                            "size {env} at or below production's `{}`, or document why it needs more",
                            biggest.text
                        ))
                        .key(format!("{address} {env} {}", s.text));
                    for p in prod {
                        b = b
                            .related(p.location.clone(), format!("production: `{}`", p.text))
                            .evidence(format!("production: {} ({})", p.text, p.how));
                    }
                    if let Some(at) = &s.condition {
                        b = b.related(at.clone(), "the condition that picks the size");
                    }
                    b.emit();
                }
            }
        }
        let mut checked = compared;
        if let Some(ceiling) = input.max_instance_vcpus {
            let mut seen = std::collections::BTreeSet::new();
            for (address, s) in &all {
                let Some(size) = &s.size else { continue };
                checked = true;
                let Some(vcpus) = size.vcpus() else { continue };
                if vcpus <= ceiling
                    || !seen.insert((s.location.path.clone(), s.location.line, s.text.clone()))
                {
                    continue;
                }
                out.add(format!(
                    "{address} is `{}` ({vcpus} vCPUs, {}), above the ceiling of {ceiling} vCPUs that infra.toml sets",
                    s.text, s.how
                ))
                .at(s.location.clone())
                .evidence(format!("[audit] max_instance_vcpus = {ceiling}"))
                .fix(format!(
                    "choose a size with at most {ceiling} vCPUs, or raise `max_instance_vcpus` in infra.toml with the reason"
                ))
                .key(format!("{address} ceiling {}", s.text))
                .emit();
            }
        }
        if checked {
            Verdict::Checked
        } else {
            Verdict::NotApplicable(match input.max_instance_vcpus {
                None => "no instance size that can be ordered is set per environment for both production and a non-production environment, and infra.toml sets no `max_instance_vcpus`".into(),
                Some(n) => format!(
                    "no instance size infra can read is set (literal, or a variable resolved from tfvars or its default): nothing to hold to the ceiling of {n} vCPUs, and no size per environment for both production and a non-production environment"
                ),
            })
        }
    }
}

/// `Some(true)` when `s` is certainly larger than every production size,
/// `Some(false)` when it is certainly not, `None` when some size cannot be
/// ordered against it (an unknown size is never guessed).
fn larger_than_production(s: &Setting, prod: &[Setting]) -> Option<bool> {
    let size = s.size.as_ref()?;
    let mut larger = true;
    for p in prod {
        let order = size.compare(p.size.as_ref()?)?;
        larger &= order == Ordering::Greater;
    }
    Some(larger && !prod.is_empty())
}

/// Every place a resource or module block sets an instance size.
fn sites(ctx: &Context) -> Vec<Site<'_>> {
    let mut out = Vec::new();
    for r in &ctx.terraform.resources {
        let Some((_, paths)) = SIZED.iter().find(|(k, _)| *k == r.kind) else {
            continue;
        };
        for path in *paths {
            if let Some((value, line)) = nested(&r.body, path) {
                out.push(Site {
                    address: format!("{} `{}` {path}", r.kind, r.name),
                    stack: stack_of(&r.location.path),
                    block: r,
                    value,
                    line,
                });
            }
        }
    }
    for m in &ctx.terraform.modules {
        for key in MODULE_INPUTS {
            if let Some(a) = m.body.attribute(key) {
                out.push(Site {
                    address: format!("module `{}` {key}", m.name),
                    stack: stack_of(&m.location.path),
                    block: m,
                    value: &a.value,
                    line: a.line,
                });
            }
        }
    }
    out
}

/// The attribute at `a.b.c` (blocks, then an attribute), with its line.
fn nested<'b>(body: &'b Body, path: &str) -> Option<(&'b Value, u32)> {
    let (blocks, key) = path.rsplit_once('.').map_or(("", path), |(b, k)| (b, k));
    let mut body = body;
    for b in blocks.split('.').filter(|b| !b.is_empty()) {
        body = &body.block(b)?.body;
    }
    body.attribute(key).map(|a| (&a.value, a.line))
}

/// A file's folder with environment folders written `*`: files of
/// `envs/prod/` and `envs/staging/` describe the same stack.
fn stack_of(path: &str) -> String {
    parent(path)
        .split('/')
        .map(|seg| {
            if canonical_environment(seg).is_some() {
                "*"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// How a site's value reads a variable.
enum Reference<'v> {
    /// `var.NAME`.
    Plain(&'v str),
    /// `var.NAME[var.ENV]`, `lookup(var.NAME, var.ENV)`: a map by environment.
    ByEnvironment(&'v str),
    /// `var.ENV == "production" ? var.A : var.B_dev`: `A` is the named
    /// environment's size, `B_dev` the other's, whose name says which
    /// environment it is (`_dev`, `staging_`).
    Conditional {
        env: &'static str,
        then: &'v str,
        other: (&'static str, &'v str),
    },
}

/// `machine_type_dev`, `staging_instance_class`: the environment a
/// variable's name is for.
fn environment_in_name(name: &str) -> Option<&'static str> {
    name.split(['_', '-']).find_map(canonical_environment)
}

fn reference(expr: &str) -> Option<Reference<'_>> {
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    let mut expr = expr.trim();
    // Terraform 0.11's `"${var.size}"`: the same reference in a template.
    if let Some(inner) = expr
        .strip_prefix("\"${")
        .and_then(|e| e.strip_suffix("}\""))
        .filter(|e| !e.contains("${") && !e.contains('}'))
    {
        expr = inner.trim();
    }
    // `var.ENV == "production" ? var.A : var.B`: both branches named.
    if let Some((condition, branches)) = expr.split_once('?') {
        let (then, other) = branches.split_once(':')?;
        let (left, right) = condition.split_once("==")?;
        let env = right.trim().trim_matches('"');
        let env = canonical_environment(env)?;
        let (then, other) = (
            then.trim().strip_prefix("var.")?,
            other.trim().strip_prefix("var.")?,
        );
        let other_env = environment_in_name(other)?;
        let ok = (left.trim().starts_with("var.") || left.trim().starts_with("local."))
            && ident(then)
            && ident(other)
            && other_env != env;
        return ok.then_some(Reference::Conditional {
            env,
            then,
            other: (other_env, other),
        });
    }
    if let Some(name) = expr.strip_prefix("var.") {
        if ident(name) {
            return Some(Reference::Plain(name));
        }
        if let Some((name, index)) = name.split_once('[') {
            let index = index.strip_suffix(']')?.trim();
            if ident(name) && (index.starts_with("var.") || index.starts_with("local.")) {
                return Some(Reference::ByEnvironment(name));
            }
        }
        return None;
    }
    let args = expr.strip_prefix("lookup(")?.strip_suffix(')')?;
    let mut args = args.split(',').map(str::trim);
    let name = args.next()?.strip_prefix("var.")?;
    let key = args.next()?;
    (ident(name) && (key.starts_with("var.") || key.starts_with("local.")))
        .then_some(Reference::ByEnvironment(name))
}

/// The `default` of variable `name` declared in the module in `dir`.
fn variable_default<'c>(
    ctx: &'c Context,
    dir: &str,
    name: &str,
) -> Option<(&'c TerraformBlock, &'c crate::parse::terraform::Attribute)> {
    ctx.terraform
        .inputs
        .iter()
        .filter(|v| v.name == name && parent(&v.location.path) == dir)
        .find_map(|v| v.body.attribute("default").map(|a| (v, a)))
}

fn setting(text: &str, location: Location, how: String) -> Setting {
    Setting {
        text: text.to_string(),
        size: parse_size(text),
        location,
        how,
        condition: None,
    }
}

/// The sizes a literal gives: one string, or a list of them.
fn literal(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// The sizes a site takes, each with the environment it is for (`None`:
/// no environment is known).
fn resolve(ctx: &Context, site: &Site<'_>) -> Vec<(Option<&'static str>, Setting)> {
    let path = &site.block.location.path;
    let own_env = environment_of(path);
    let here = Location::new(path, site.line, 1);
    if site.value.is_known() {
        return literal(site.value)
            .into_iter()
            .map(|t| {
                let how = format!("set in {path}:{}", site.line);
                (own_env, setting(&t, here.clone(), how))
            })
            .collect();
    }
    let Value::Expr(expr) = site.value else {
        return Vec::new();
    };
    let Some(reference) = reference(expr) else {
        return Vec::new();
    };
    let dir = parent(path);
    if let Reference::Conditional { env, then, other } = reference {
        // Each branch is a plain variable for one environment.
        let mut out = Vec::new();
        for (e, name) in [(env, then), other] {
            for (_, s) in resolve_plain(ctx, dir, Some(e), name) {
                let how = format!("{}, picked by the condition at {path}:{}", s.how, site.line);
                let condition = Some(here.clone());
                out.push((
                    Some(e),
                    Setting {
                        how,
                        condition,
                        ..s
                    },
                ));
            }
        }
        return out;
    }
    let name = match reference {
        Reference::Plain(n) | Reference::ByEnvironment(n) => n,
        Reference::Conditional { .. } => return Vec::new(),
    };
    let default = variable_default(ctx, dir, name);
    let mut out = Vec::new();
    if let Reference::ByEnvironment(_) = reference {
        // The map's keys name the environments.
        if let Some((v, a)) = default {
            if let Value::Object(entries) = &a.value {
                for e in entries {
                    let (Some(env), Some(text)) = (canonical_environment(&e.key), e.value.as_str())
                    else {
                        continue;
                    };
                    let how = format!(
                        "key `{}` of variable `{name}`'s default, {}:{}",
                        e.key, v.location.path, e.line
                    );
                    out.push((
                        Some(env),
                        setting(text, Location::new(&v.location.path, e.line, 1), how),
                    ));
                }
            }
        }
        return out;
    }
    out.extend(resolve_plain(ctx, dir, own_env, name));
    out
}

/// The sizes `var.NAME` takes in the root module in `dir`: from each
/// environment's `*.tfvars` that feeds it (only `own_env`'s when the folder
/// is an environment's), else the variable's default.
fn resolve_plain(
    ctx: &Context,
    dir: &str,
    own_env: Option<&'static str>,
    name: &str,
) -> Vec<(Option<&'static str>, Setting)> {
    let mut out = Vec::new();
    let default = variable_default(ctx, dir, name);
    // A module's variables are set by its callers.
    if dir.split('/').any(|s| s == "modules") {
        return out;
    }
    let files: Vec<_> = ctx
        .terraform
        .variables
        .iter()
        .filter(|t| feeds(parent(&t.path), dir))
        .filter_map(|t| {
            let env = crate::model::canonical_environment(t.environment.as_deref()?)?;
            own_env.is_none_or(|own| own == env).then_some((env, t))
        })
        .collect();
    let mut set_for: Vec<&'static str> = Vec::new();
    for (env, t) in &files {
        let Some(a) = t.body.attribute(name) else {
            continue;
        };
        set_for.push(env);
        for text in literal(&a.value) {
            let how = format!("in {}:{}", t.path, a.line);
            out.push((
                Some(*env),
                setting(&text, Location::new(&t.path, a.line, 1), how),
            ));
        }
    }
    if let Some((v, a)) = default {
        let mut envs: Vec<Option<&'static str>> = files
            .iter()
            .map(|(e, _)| *e)
            .filter(|e| !set_for.contains(e))
            .map(Some)
            .collect();
        envs.dedup();
        if files.is_empty() {
            envs.push(own_env);
        }
        for env in envs {
            for text in literal(&a.value) {
                let how = format!(
                    "the default of variable `{name}`, {}:{}",
                    v.location.path, a.line
                );
                out.push((
                    env,
                    setting(&text, Location::new(&v.location.path, a.line, 1), how),
                ));
            }
        }
    }
    out
}

/// A tfvars file in `tfvars_dir` sets the variables of the root module in
/// `dir`: it lies in `dir` or below it, in a folder above it, or in a
/// sibling folder of variables files (`terraform/envs/` for `terraform/app/`).
fn feeds(tfvars_dir: &str, dir: &str) -> bool {
    let within = |inner: &str, outer: &str| super::under(outer, inner);
    if within(tfvars_dir, dir) || within(dir, tfvars_dir) {
        return true;
    }
    let up = parent(dir);
    if up == dir {
        return false;
    }
    let rest = if up.is_empty() {
        tfvars_dir
    } else {
        match tfvars_dir
            .strip_prefix(up)
            .and_then(|r| r.strip_prefix('/'))
        {
            Some(r) => r,
            None => return false,
        }
    };
    let first = rest.split('/').next().unwrap_or("");
    matches!(
        first,
        "env" | "envs" | "environments" | "environment" | "vars" | "tfvars" | "config" | "configs"
    ) || canonical_environment(first).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bigger(a: &str, b: &str) -> Option<Ordering> {
        parse_size(a)?.compare(&parse_size(b)?)
    }

    #[test]
    fn aws_sizes_order_within_a_family() {
        assert_eq!(bigger("t3.micro", "t3.small"), Some(Ordering::Less));
        assert_eq!(bigger("t3.2xlarge", "t3.xlarge"), Some(Ordering::Greater));
        assert_eq!(bigger("m5.12xlarge", "m5.4xlarge"), Some(Ordering::Greater));
        assert_eq!(bigger("db.r5.large", "db.r5.large"), Some(Ordering::Equal));
        assert_eq!(
            bigger("cache.t3.medium", "cache.t3.micro"),
            Some(Ordering::Greater)
        );
        assert_eq!(parse_size("m5.xlarge").and_then(|s| s.vcpus()), Some(4));
        assert_eq!(
            parse_size("r6g.large.search").and_then(|s| s.vcpus()),
            Some(2)
        );
        assert!(parse_size("m5.metal").is_none());
        assert!(parse_size("gp2").is_none());
        assert!(parse_size("1.2.3").is_none());
    }

    #[test]
    fn families_compare_only_when_one_has_twice_the_vcpus() {
        // 8 against 2 vCPUs: certain.
        assert_eq!(bigger("m5.2xlarge", "t3.large"), Some(Ordering::Greater));
        // 4 against at most 2.
        assert_eq!(bigger("t3.micro", "c5.xlarge"), Some(Ordering::Less));
        // 4 against 2 vCPUs of a memory family: twice, still ordered.
        assert_eq!(bigger("c5.xlarge", "r5.large"), Some(Ordering::Greater));
        // 4 against 4 of another family: not ordered.
        assert_eq!(bigger("c5.xlarge", "r5.xlarge"), None);
        // HPC: no vCPU count from the step.
        assert_eq!(bigger("hpc6a.48xlarge", "m5.large"), None);
        // Small sizes of two families: both unknown.
        assert_eq!(bigger("t3.small", "t2.medium"), None);
    }

    #[test]
    fn gcp_and_azure_sizes() {
        assert_eq!(parse_size("e2-standard-8").and_then(|s| s.vcpus()), Some(8));
        assert_eq!(
            bigger("n2-standard-16", "n2-standard-4"),
            Some(Ordering::Greater)
        );
        assert_eq!(bigger("e2-micro", "e2-medium"), Some(Ordering::Less));
        assert_eq!(
            bigger("e2-standard-8", "e2-medium"),
            Some(Ordering::Greater)
        );
        assert_eq!(
            bigger("e2-standard-4", "e2-medium"),
            Some(Ordering::Greater)
        );
        assert_eq!(bigger("e2-standard-2", "e2-medium"), None);
        assert_eq!(
            parse_size("db-custom-4-15360").and_then(|s| s.vcpus()),
            Some(4)
        );
        assert_eq!(bigger("db-f1-micro", "db-g1-small"), None);
        assert_eq!(
            parse_size("n2-custom-8-32768").and_then(|s| s.vcpus()),
            Some(8)
        );
        assert!(parse_size("a2-highgpu-1g").is_none());
        assert!(parse_size("POSTGRES_15").is_none());
        assert_eq!(
            parse_size("Standard_D4s_v3").and_then(|s| s.vcpus()),
            Some(4)
        );
        assert_eq!(
            bigger("Standard_D8s_v5", "Standard_D2s_v5"),
            Some(Ordering::Greater)
        );
        assert_eq!(parse_size("Standard_B2ms").and_then(|s| s.vcpus()), Some(2));
        // The number of a D v2 is no vCPU count (D11 has 2, D4 has 8).
        assert!(parse_size("Standard_D11_v2").is_none());
        assert!(parse_size("Standard_DS2_v2").is_none());
        assert!(parse_size("Standard_E8-4s_v3").is_none());
        assert_eq!(bigger("P2v3", "P1v3"), Some(Ordering::Greater));
        assert_eq!(parse_size("P0v3").and_then(|s| s.vcpus()), Some(1));
        assert!(parse_size("Y1").is_none());
        assert!(parse_size("Standard").is_none());
    }

    fn at(text: &str) -> Setting {
        Setting {
            text: text.to_string(),
            size: parse_size(text),
            location: Location::new("envs/x.tfvars", 1, 1),
            how: String::new(),
            condition: None,
        }
    }

    #[test]
    fn larger_than_every_production_size_or_not_judged() {
        let prod = [at("m5.large"), at("m5.xlarge")];
        assert_eq!(larger_than_production(&at("m5.2xlarge"), &prod), Some(true));
        // Larger than one production size only.
        assert_eq!(larger_than_production(&at("m5.xlarge"), &prod), Some(false));
        // An unknown size on either side: not judged, not a pass.
        assert_eq!(larger_than_production(&at("db.serverless"), &prod), None);
        let unknown = [at("m5.large"), at("medium-gp-psql")];
        assert_eq!(larger_than_production(&at("m5.4xlarge"), &unknown), None);
        assert_eq!(larger_than_production(&at("m5.4xlarge"), &[]), Some(false));
    }

    #[test]
    fn references_to_variables() {
        assert!(matches!(
            reference("var.instance_type"),
            Some(Reference::Plain("instance_type"))
        ));
        assert!(matches!(
            reference("var.sizes[var.env]"),
            Some(Reference::ByEnvironment("sizes"))
        ));
        assert!(matches!(
            reference("lookup(var.sizes, var.environment, \"t3.micro\")"),
            Some(Reference::ByEnvironment("sizes"))
        ));
        assert!(reference("var.env == \"prod\" ? \"m5.large\" : \"t3.small\"").is_none());
        // Terraform 0.11 templates and conditionals whose branches are named.
        assert!(matches!(
            reference("\"${var.instance_type}\""),
            Some(Reference::Plain("instance_type"))
        ));
        assert!(reference("\"${var.a}-${var.b}\"").is_none());
        assert!(matches!(
            reference(
                "var.environment == \"production\" ? var.machine_type : var.machine_type_dev"
            ),
            Some(Reference::Conditional {
                env: "production",
                then: "machine_type",
                other: ("dev", "machine_type_dev"),
            })
        ));
        // The other branch must say which environment it is.
        assert!(reference("var.env == \"production\" ? var.big : var.small").is_none());
        assert!(reference("local.size").is_none());
    }

    #[test]
    fn which_tfvars_feed_which_folder() {
        assert!(feeds("terraform/envs", "terraform"));
        assert!(feeds("", "terraform"));
        assert!(feeds("terraform/environments/prod", "terraform/app"));
        assert!(feeds("terraform/prod", "terraform/app"));
        assert!(!feeds("terraform/web", "terraform/app"));
        assert!(!feeds("other/envs", "terraform/app"));
        assert_eq!(stack_of("envs/prod/main.tf"), "envs/*");
        assert_eq!(stack_of("terraform/main.tf"), "terraform");
    }
}
