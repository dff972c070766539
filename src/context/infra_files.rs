//! Container and infrastructure files: Dockerfiles, compose files, Kubernetes
//! manifests, Helm charts and Terraform (providers and resources).

use super::model::{
    ComposeService, Dockerfile, EnvRead, Evidence, HelmChart, K8sObject, TerraformBlock,
};
use super::{platform, problem, services, FileFacts};
use crate::model::Location;
use crate::parse::yaml::{self, Yaml};
use crate::source::text::{extension, re};
use regex::Regex;
use std::sync::LazyLock;

pub fn is_dockerfile(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
}

pub fn is_compose(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(extension(&lower).as_str(), "yml" | "yaml")
        && (lower.starts_with("docker-compose")
            || lower.starts_with("compose.")
            || lower.starts_with("compose-"))
}

/// A YAML file that looks like Kubernetes objects (cheap text check).
pub fn looks_like_k8s(name: &str, text: &str) -> bool {
    matches!(extension(name).as_str(), "yml" | "yaml")
        && text.contains("apiVersion")
        && text.contains("kind")
}

/// Go-templated YAML inside a Helm chart: not YAML until rendered.
pub fn is_helm_template(path: &str, text: &str) -> bool {
    (path.contains("/templates/") || path.starts_with("templates/")) && text.contains("{{")
}

fn service_evidence(facts: &mut FileFacts, image: &str, location: Location, via: String) {
    for def in services::match_image(image) {
        facts.services.push((
            def.id,
            Evidence {
                location: location.clone(),
                via: via.clone(),
            },
        ));
    }
}

// ---------------------------------------------------------------- Dockerfile

pub fn dockerfile(path: &str, text: &str, facts: &mut FileFacts) {
    let mut base_images: Vec<String> = Vec::new();
    let mut stages: Vec<String> = Vec::new();
    let mut exposed_ports = Vec::new();
    let mut has_healthcheck = false;
    let mut stage_user: Option<String> = None;
    let mut final_image = String::new();
    for (line_no, instruction) in logical_lines(text) {
        let trimmed = instruction.trim();
        let (word, rest) = trimmed
            .split_once(char::is_whitespace)
            .unwrap_or((trimmed, ""));
        let rest = rest.trim();
        match word.to_ascii_uppercase().as_str() {
            "FROM" => {
                let mut args = rest.split_whitespace().filter(|a| !a.starts_with("--"));
                let image = args.next().unwrap_or("").to_string();
                // `FROM build` refers to an earlier stage, not an image.
                let is_stage = stages.contains(&image.to_ascii_lowercase());
                if args.next().is_some_and(|a| a.eq_ignore_ascii_case("as")) {
                    if let Some(alias) = args.next() {
                        stages.push(alias.to_ascii_lowercase());
                    }
                }
                stage_user = None;
                final_image = image.clone();
                if image.is_empty() || is_stage {
                    continue;
                }
                service_evidence(
                    facts,
                    &image,
                    Location::new(path, line_no, 1),
                    format!("Dockerfile FROM {image}"),
                );
                if !base_images.contains(&image) {
                    base_images.push(image);
                }
            }
            "EXPOSE" => exposed_ports.extend(rest.split_whitespace().map(str::to_string)),
            "HEALTHCHECK" => has_healthcheck = !rest.eq_ignore_ascii_case("none"),
            "USER" => stage_user = Some(rest.to_string()),
            _ => {}
        }
    }
    let runs_as_non_root = match &stage_user {
        Some(user) => {
            let name = user.split(':').next().unwrap_or("").trim();
            !name.is_empty() && name != "root" && name != "0"
        }
        None => final_image.contains("nonroot"),
    };
    facts.dockerfile = Some(Dockerfile {
        path: path.to_string(),
        base_images,
        exposed_ports,
        has_healthcheck,
        runs_as_non_root,
    });
}

/// Instructions with `\` continuations joined, each with its first line number.
fn logical_lines(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut current: Option<(u32, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if current.is_none() && (t.is_empty() || t.starts_with('#')) {
            continue;
        }
        let (start, mut acc) = current.take().unwrap_or((i as u32 + 1, String::new()));
        if t.starts_with('#') {
            current = Some((start, acc));
            continue;
        }
        if let Some(body) = t.strip_suffix('\\') {
            acc.push_str(body);
            acc.push(' ');
            current = Some((start, acc));
        } else {
            acc.push_str(t);
            out.push((start, acc));
        }
    }
    if let Some(last) = current {
        out.push(last);
    }
    out
}

// ---------------------------------------------------------------- compose

fn scalar_list(node: Option<&Yaml>) -> Vec<String> {
    let Some(node) = node else { return Vec::new() };
    match (node.as_seq(), node.as_map()) {
        (Some(items), _) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        (_, Some(_)) => node
            .entries()
            .into_iter()
            .filter_map(|(k, _)| k.as_str().map(str::to_string))
            .collect(),
        _ => node
            .as_str()
            .map(|s| vec![s.to_string()])
            .unwrap_or_default(),
    }
}

pub fn compose(path: &str, text: &str, facts: &mut FileFacts) {
    let Some(docs) = super::parse_yaml_or_report(path, text, "compose YAML", facts) else {
        return;
    };
    let Some(services) = docs.first().and_then(|d| d.get("services")) else {
        return;
    };
    for (key, svc) in services.entries() {
        let Some(name) = key.as_str() else { continue };
        let location = Location::new(path, key.line, key.column);
        let image = svc.str_at("image").map(str::to_string);
        let ports = match svc.get("ports").and_then(Yaml::as_seq) {
            Some(items) => items
                .iter()
                .filter_map(|p| match p.as_str() {
                    Some(s) => Some(s.to_string()),
                    None => {
                        let target = p.str_at("target")?;
                        Some(match p.str_at("published") {
                            Some(published) => format!("{published}:{target}"),
                            None => target.to_string(),
                        })
                    }
                })
                .collect(),
            None => Vec::new(),
        };
        let depends_on = scalar_list(svc.get("depends_on"));
        let mut environment: Vec<String> = scalar_list(svc.get("environment"))
            .into_iter()
            .map(|e| e.split('=').next().unwrap_or("").trim().to_string())
            .filter(|e| !e.is_empty())
            .collect();
        environment.sort();
        environment.dedup();
        if let Some(image) = &image {
            service_evidence(
                facts,
                image,
                location.clone(),
                format!("compose service {name} (image {image})"),
            );
        }
        facts.compose_services.push(ComposeService {
            name: name.to_string(),
            image,
            location,
            ports,
            depends_on,
            environment,
        });
    }
}

// ---------------------------------------------------------------- Kubernetes

const WORKLOADS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "Pod",
];

fn pod_spec<'a>(kind: &str, doc: &'a Yaml) -> Option<&'a Yaml> {
    match kind {
        "Pod" => doc.get("spec"),
        "CronJob" => doc.path(&["spec", "jobTemplate", "spec", "template", "spec"]),
        _ => doc.path(&["spec", "template", "spec"]),
    }
}

pub fn kubernetes(path: &str, text: &str, facts: &mut FileFacts) {
    let docs = match yaml::parse_documents(text) {
        Ok(docs) => docs,
        Err(e) => {
            // Templated YAML (Helm, kustomize-less generators) is not ours to judge.
            if !text.contains("{{") {
                facts.problems.push(problem(
                    path,
                    e.line,
                    e.column,
                    format!("invalid YAML: {}", e.message),
                ));
            }
            return;
        }
    };
    let mut first_kind: Option<(String, Location)> = None;
    for doc in &docs {
        let (Some(kind), Some(_)) = (doc.str_at("kind"), doc.get("apiVersion")) else {
            continue;
        };
        let location = Location::new(path, doc.line, doc.column);
        if first_kind.is_none() {
            first_kind = Some((kind.to_string(), location.clone()));
        }
        let name = doc
            .path(&["metadata", "name"])
            .and_then(Yaml::as_str)
            .map(str::to_string);
        let namespace = doc
            .path(&["metadata", "namespace"])
            .and_then(Yaml::as_str)
            .map(str::to_string);
        let mut images = Vec::new();
        let mut has_resource_limits = None;
        if WORKLOADS.contains(&kind) {
            if let Some(spec) = pod_spec(kind, doc) {
                let containers = spec.get("containers").and_then(Yaml::as_seq).unwrap_or(&[]);
                let init = spec
                    .get("initContainers")
                    .and_then(Yaml::as_seq)
                    .unwrap_or(&[]);
                for c in containers.iter().chain(init) {
                    if let Some(image) = c.get("image") {
                        if let Some(s) = image.as_str() {
                            images.push(s.to_string());
                            service_evidence(
                                facts,
                                s,
                                Location::new(path, image.line, image.column),
                                format!("{kind} {} image {s}", name.as_deref().unwrap_or("?")),
                            );
                        }
                    }
                    for var in c.get("env").and_then(Yaml::as_seq).unwrap_or(&[]) {
                        if let Some(n) = var.get("name") {
                            if let Some(s) = n.as_str() {
                                facts.env_reads.push((
                                    s.to_string(),
                                    EnvRead {
                                        location: Location::new(path, n.line, n.column),
                                        via: "k8s env".to_string(),
                                    },
                                ));
                            }
                        }
                    }
                }
                has_resource_limits = Some(
                    !containers.is_empty()
                        && containers.iter().all(|c| {
                            let limits = c.path(&["resources", "limits"]);
                            limits.is_some_and(|l| {
                                l.get("cpu").is_some() && l.get("memory").is_some()
                            })
                        }),
                );
            }
        }
        facts.kubernetes.push(K8sObject {
            kind: kind.to_string(),
            name,
            namespace,
            location,
            images,
            has_resource_limits,
        });
    }
    if let Some((kind, location)) = first_kind {
        let via = if kind == "Kustomization" {
            "kustomization".to_string()
        } else {
            format!("Kubernetes manifest ({kind})")
        };
        facts
            .platform_hints
            .push(platform::kubernetes(location, via));
    }
}

// ---------------------------------------------------------------- Helm

pub fn helm_chart(path: &str, text: &str, facts: &mut FileFacts) {
    let Some(docs) = super::parse_yaml_or_report(path, text, "Chart.yaml", facts) else {
        return;
    };
    let doc = docs.first();
    let name = doc.and_then(|d| d.str_at("name")).map(str::to_string);
    let mut dependencies = Vec::new();
    for dep in doc
        .and_then(|d| d.get("dependencies"))
        .and_then(Yaml::as_seq)
        .unwrap_or(&[])
    {
        if let Some(n) = dep.get("name") {
            if let Some(s) = n.as_str() {
                dependencies.push(s.to_string());
                service_evidence(
                    facts,
                    s,
                    Location::new(path, n.line, n.column),
                    format!("Helm chart dependency {s}"),
                );
            }
        }
    }
    facts.platform_hints.push(platform::kubernetes(
        Location::file(path),
        "Helm chart".to_string(),
    ));
    facts.helm_chart = Some(HelmChart {
        path: path.to_string(),
        name,
        dependencies,
    });
}

// ---------------------------------------------------------------- Terraform

static TF_RESOURCE: LazyLock<Regex> =
    LazyLock::new(|| re(r#"^\s*resource\s+"([^"]+)"\s+"([^"]+)"\s*\{"#));
static TF_PROVIDER: LazyLock<Regex> =
    LazyLock::new(|| re(r#"^\s*provider\s+"?([A-Za-z0-9_-]+)"?\s*\{"#));
static TF_TERRAFORM: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*terraform\s*\{"));
static TF_SOURCE: LazyLock<Regex> = LazyLock::new(|| re(r#"\bsource\s*=\s*"([^"]+)""#));
static TF_REGION: LazyLock<Regex> = LazyLock::new(|| re(r#"^\s*region\s*=\s*"([^"$]+)""#));
static TF_DETAIL: LazyLock<Regex> =
    LazyLock::new(|| re(r#"^\s*(?:engine|engine_type|database_version)\s*=\s*"([^"]+)""#));

enum TfBlock {
    None,
    Resource(usize),
    Provider(usize),
    Terraform,
}

pub fn terraform(path: &str, text: &str, facts: &mut FileFacts) {
    let mut depth: i64 = 0;
    let mut block = TfBlock::None;
    let mut providers: Vec<(TerraformBlock, Option<String>, bool)> = Vec::new();
    let mut resources: Vec<(TerraformBlock, Option<String>)> = Vec::new();
    let mut in_comment = false;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let t = raw.trim();
        if in_comment {
            in_comment = !t.contains("*/");
            continue;
        }
        if t.starts_with("/*") {
            in_comment = !t.contains("*/");
            continue;
        }
        if t.starts_with('#') || t.starts_with("//") {
            continue;
        }
        if depth == 0 {
            if let Some(c) = TF_RESOURCE.captures(raw) {
                resources.push((
                    TerraformBlock {
                        kind: c[1].to_string(),
                        name: c[2].to_string(),
                        location: Location::new(path, line_no, 1),
                    },
                    None,
                ));
                block = TfBlock::Resource(resources.len() - 1);
            } else if let Some(c) = TF_PROVIDER.captures(raw) {
                providers.push((
                    TerraformBlock {
                        kind: c[1].to_string(),
                        name: String::new(),
                        location: Location::new(path, line_no, 1),
                    },
                    None,
                    true,
                ));
                block = TfBlock::Provider(providers.len() - 1);
            } else if TF_TERRAFORM.is_match(raw) {
                block = TfBlock::Terraform;
            } else {
                block = TfBlock::None;
            }
        } else {
            match block {
                TfBlock::Resource(idx) => {
                    if let (Some(c), Some(r)) = (TF_DETAIL.captures(raw), resources.get_mut(idx)) {
                        r.1.get_or_insert_with(|| c[1].to_string());
                    }
                }
                TfBlock::Provider(idx) => {
                    if let (Some(c), Some(p)) = (TF_REGION.captures(raw), providers.get_mut(idx)) {
                        p.1.get_or_insert_with(|| c[1].to_string());
                    }
                }
                TfBlock::Terraform => {
                    if let Some(c) = TF_SOURCE.captures(raw) {
                        let kind = c[1].rsplit('/').next().unwrap_or("").to_string();
                        if !kind.is_empty() {
                            providers.push((
                                TerraformBlock {
                                    kind,
                                    name: String::new(),
                                    location: Location::new(path, line_no, 1),
                                },
                                None,
                                false,
                            ));
                        }
                    }
                }
                TfBlock::None => {}
            }
        }
        depth += brace_delta(raw);
        if depth <= 0 {
            depth = 0;
        }
    }
    // One entry per provider per file: its `provider` block if it has one.
    providers.sort_by_key(|(b, _, is_block)| (b.kind.clone(), !*is_block, b.location.line));
    providers.dedup_by(|a, b| a.0.kind == b.0.kind);
    providers.sort_by_key(|(b, _, _)| b.location.line);
    for (block, region, _) in providers {
        if let Some(hint) =
            platform::terraform_provider(&block.kind, region, block.location.clone())
        {
            facts.platform_hints.push(hint);
        }
        facts.terraform.providers.push(block);
    }
    for (block, detail) in resources {
        for def in services::match_terraform(&block.kind, detail.as_deref()) {
            facts.services.push((
                def.id,
                Evidence {
                    location: block.location.clone(),
                    via: format!("terraform {}.{}", block.kind, block.name),
                },
            ));
        }
        facts.terraform.resources.push(block);
    }
}

/// Net `{` minus `}` on a line, ignoring those inside string literals except
/// `${…}` interpolations (which balance anyway) and after a `#` comment.
fn brace_delta(line: &str) -> i64 {
    let mut delta = 0;
    let mut in_string = false;
    let mut prev = '\0';
    for c in line.chars() {
        match c {
            '"' if prev != '\\' => in_string = !in_string,
            '#' if !in_string => break,
            '{' if !in_string => delta += 1,
            '}' if !in_string => delta -= 1,
            _ => {}
        }
        prev = c;
    }
    delta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_facts() {
        let text = "# syntax=docker/dockerfile:1\nFROM --platform=$BUILDPLATFORM node:20 AS build\nRUN npm ci \\\n  && npm run build\nFROM build AS test\nFROM nginx:1.27-alpine\nEXPOSE 80 443/tcp\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nUSER nginx\n";
        let mut f = FileFacts::default();
        dockerfile("Dockerfile", text, &mut f);
        let d = f.dockerfile.unwrap();
        assert_eq!(d.base_images, ["node:20", "nginx:1.27-alpine"]);
        assert_eq!(d.exposed_ports, ["80", "443/tcp"]);
        assert!(d.has_healthcheck && d.runs_as_non_root);
        let mut f = FileFacts::default();
        dockerfile(
            "db/Dockerfile",
            "FROM postgres:16\nUSER root\nHEALTHCHECK NONE\n",
            &mut f,
        );
        let d = f.dockerfile.unwrap();
        assert!(!d.has_healthcheck && !d.runs_as_non_root);
        assert_eq!(f.services[0].0, "postgresql");
        let mut f = FileFacts::default();
        dockerfile("Dockerfile", "", &mut f);
        assert!(f.dockerfile.unwrap().base_images.is_empty());
    }

    #[test]
    fn compose_services() {
        let text = "services:\n  web:\n    build: .\n    ports: [\"3000:3000\", {target: 80, published: 8080}]\n    depends_on: [db]\n    environment:\n      - DATABASE_URL=postgres://x\n      - PORT\n  db:\n    image: postgres:16\n    depends_on:\n      web: {condition: service_started}\n    environment:\n      POSTGRES_PASSWORD: secret\n";
        let mut f = FileFacts::default();
        compose("docker-compose.yml", text, &mut f);
        assert_eq!(f.compose_services.len(), 2);
        let web = &f.compose_services[0];
        assert_eq!((web.name.as_str(), web.location.line), ("web", 2));
        assert_eq!(web.ports, ["3000:3000", "8080:80"]);
        assert_eq!(web.environment, ["DATABASE_URL", "PORT"]);
        let db = &f.compose_services[1];
        assert_eq!(db.depends_on, ["web"]);
        assert_eq!(db.environment, ["POSTGRES_PASSWORD"]);
        assert_eq!(f.services[0].0, "postgresql");
        let mut f = FileFacts::default();
        compose("compose.yml", "services: [\n", &mut f);
        assert_eq!(f.problems.len(), 1);
        assert!(f.problems[0].message.contains("invalid compose YAML"));
    }

    #[test]
    fn kubernetes_objects() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: prod\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1\n          env:\n            - name: DATABASE_URL\n          resources:\n            limits: {cpu: 500m, memory: 256Mi}\n        - name: cache\n          image: redis:7\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n";
        let mut f = FileFacts::default();
        kubernetes("k8s/api.yaml", text, &mut f);
        assert_eq!(f.kubernetes.len(), 2);
        let d = &f.kubernetes[0];
        assert_eq!(d.kind, "Deployment");
        assert_eq!(d.namespace.as_deref(), Some("prod"));
        assert_eq!(d.images, ["ghcr.io/acme/api:1", "redis:7"]);
        assert_eq!(d.has_resource_limits, Some(false));
        assert_eq!(f.kubernetes[1].has_resource_limits, None);
        assert_eq!(f.kubernetes[1].location.line, 19);
        assert_eq!(f.env_reads[0].0, "DATABASE_URL");
        assert_eq!(f.services[0].0, "redis");
        assert_eq!(f.platform_hints.len(), 1);
        let mut f = FileFacts::default();
        kubernetes("k8s/bad.yaml", "apiVersion: v1\nkind: [\n", &mut f);
        assert_eq!(f.problems.len(), 1);
        let mut f = FileFacts::default();
        kubernetes(
            "x.yaml",
            "apiVersion: v1\nkind: {{ .Values.kind }\n",
            &mut f,
        );
        assert!(f.problems.is_empty());
    }

    #[test]
    fn helm_and_terraform() {
        let mut f = FileFacts::default();
        helm_chart("chart/Chart.yaml", "apiVersion: v2\nname: api\ndependencies:\n  - name: postgresql\n    repository: https://charts.bitnami.com/bitnami\n", &mut f);
        let chart = f.helm_chart.unwrap();
        assert_eq!(chart.name.as_deref(), Some("api"));
        assert_eq!(f.services[0].0, "postgresql");

        let tf = "terraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\" }\n    random = {\n      source = \"hashicorp/random\"\n    }\n  }\n}\n\nprovider \"aws\" {\n  region = \"eu-west-1\" # main\n}\n\n# resource \"aws_s3_bucket\" \"commented\" {}\nresource \"aws_db_instance\" \"main\" {\n  engine = \"postgres\"\n  tags = { Name = \"x\" }\n}\n\nresource \"aws_s3_bucket\" \"assets\" {\n  bucket = \"${var.name}-assets\"\n}\n";
        let mut f = FileFacts::default();
        terraform("infra/main.tf", tf, &mut f);
        let p: Vec<_> = f
            .terraform
            .providers
            .iter()
            .map(|b| (b.kind.as_str(), b.location.line))
            .collect();
        assert_eq!(p, [("random", 5), ("aws", 10)]);
        let r: Vec<_> = f
            .terraform
            .resources
            .iter()
            .map(|b| (b.kind.as_str(), b.name.as_str(), b.location.line))
            .collect();
        assert_eq!(
            r,
            [
                ("aws_db_instance", "main", 15),
                ("aws_s3_bucket", "assets", 20)
            ]
        );
        let s: Vec<_> = f.services.iter().map(|s| s.0).collect();
        assert_eq!(s, ["postgresql", "s3"]);
        assert_eq!(f.platform_hints.len(), 1);
        assert_eq!(f.platform_hints[0].region.as_deref(), Some("eu-west-1"));
        let mut f = FileFacts::default();
        terraform(
            "x.tf",
            "resource \"a\" \"b\" {\n{{{{\n}}}}}}}}\n\"unterminated\n",
            &mut f,
        );
        assert_eq!(f.terraform.resources.len(), 1);
    }
}
