//! What container and infrastructure files say: facts derived from the parsed
//! Dockerfiles, compose files, Kubernetes manifests, Helm charts and Terraform
//! (providers and resources) that `parse/` returns.

use super::facts::{Fact, Facts};
use super::model::{
    ComposeService, ContainerLimits, CronBounds, Dockerfile, EnvRead, Evidence, ExposedService,
    HelmChart, IngressTls, K8sObject, Kustomization, PodStorage, PodStore, ServicePort,
    TerraformBlock, TerraformVariables,
};
use super::{monitoring, platform, problem, services};
use crate::model::Location;
use crate::model::ServiceKind;
use crate::parse::{self, yaml::Yaml};

fn service_evidence(facts: &mut Facts, image: &str, location: Location, via: String) {
    for def in services::match_image(image) {
        facts.push(Fact::Service(
            def.id,
            Evidence {
                location: location.clone(),
                via: via.clone(),
            },
        ));
    }
}

// ---------------------------------------------------------------- Dockerfile

pub fn dockerfile(path: &str, text: &str, facts: &mut Facts) {
    let doc = parse::dockerfile::parse(text);
    let mut base_images: Vec<String> = Vec::new();
    for stage in &doc.stages {
        // `FROM build` refers to an earlier stage, not an image.
        if stage.from.is_empty() || stage.from_stage {
            continue;
        }
        service_evidence(
            facts,
            &stage.from,
            Location::new(path, stage.line, 1),
            format!("Dockerfile FROM {}", stage.from),
        );
        if !base_images.contains(&stage.from) {
            base_images.push(stage.from.clone());
        }
    }
    let mut exposed_ports = Vec::new();
    let mut has_healthcheck = false;
    for i in doc.instructions() {
        match i.keyword.as_str() {
            "EXPOSE" => exposed_ports.extend(i.args.split_whitespace().map(str::to_string)),
            "HEALTHCHECK" => has_healthcheck = !i.args.eq_ignore_ascii_case("none"),
            _ => {}
        }
    }
    let last = doc.final_stage();
    let stage_user = last.and_then(|s| {
        s.instructions
            .iter()
            .rev()
            .find(|i| i.keyword == "USER")
            .map(|i| i.args.as_str())
    });
    let runs_as_non_root = match stage_user {
        Some(user) => {
            let name = user.split(':').next().unwrap_or("").trim();
            !name.is_empty() && name != "root" && name != "0"
        }
        None => last.is_some_and(|s| s.from.contains("nonroot")),
    };
    facts.push(Fact::Dockerfile(Dockerfile {
        path: path.to_string(),
        base_images,
        exposed_ports,
        has_healthcheck,
        runs_as_non_root,
    }));
}

/// A file that did not parse, as a located problem (a `file-unparseable` finding).
fn push_problem(facts: &mut Facts, path: &str, line: u32, column: u32, message: String) {
    facts.push(Fact::Problem(problem(path, line, column, message)));
}

// ---------------------------------------------------------------- compose

pub fn compose(path: &str, text: &str, facts: &mut Facts) {
    let file = match parse::compose::parse(path, text) {
        Ok(file) => file,
        Err(e) => {
            push_problem(
                facts,
                path,
                e.line,
                e.column,
                format!("invalid compose YAML: {}", e.message),
            );
            return;
        }
    };
    for svc in file.services {
        let mut environment = svc.environment;
        environment.sort();
        environment.dedup();
        if let Some(image) = &svc.image {
            service_evidence(
                facts,
                image,
                svc.location.clone(),
                format!("compose service {} (image {image})", svc.name),
            );
        }
        facts.push(Fact::ComposeService(ComposeService {
            name: svc.name,
            image: svc.image,
            location: svc.location,
            ports: svc.ports,
            depends_on: svc.depends_on,
            environment,
            limits: svc.limits,
        }));
    }
}

// ---------------------------------------------------------------- Kubernetes

pub fn kubernetes(path: &str, text: &str, facts: &mut Facts) {
    let objects = match parse::k8s::parse(path, text) {
        Ok(objects) => objects,
        Err(e) => {
            // Templated YAML (Helm, kustomize-less generators) is not ours to judge.
            if !text.contains("{{") {
                push_problem(
                    facts,
                    path,
                    e.line,
                    e.column,
                    format!("invalid YAML: {}", e.message),
                );
            }
            return;
        }
    };
    let first_kind = objects
        .first()
        .map(|o| (o.kind.clone(), o.location.clone()));
    for object in objects {
        monitoring::k8s_object(path, &object, facts);
        let name = object.name.as_deref().unwrap_or("?");
        let mut images = Vec::new();
        for c in object.containers.iter().chain(&object.init_containers) {
            if let Some((image, location)) = &c.image {
                images.push(image.clone());
                service_evidence(
                    facts,
                    image,
                    location.clone(),
                    format!("{} {name} image {image}", object.kind),
                );
            }
            for (var, location) in &c.env {
                facts.push(Fact::EnvRead(
                    var.clone(),
                    EnvRead {
                        location: location.clone(),
                        via: "k8s env".to_string(),
                        default: Default::default(),
                    },
                ));
            }
        }
        let has_resource_limits = object.pod_spec().is_some().then(|| {
            !object.containers.is_empty()
                && object
                    .containers
                    .iter()
                    .all(|c| c.cpu_limit && c.memory_limit)
        });
        let container_limits = object
            .containers
            .iter()
            .map(|c| (c, false))
            .chain(object.init_containers.iter().map(|c| (c, true)))
            .map(|(c, init)| ContainerLimits {
                name: c.name.clone(),
                location: c.location.clone(),
                cpu: c.cpu_limit,
                memory: c.memory_limit,
                init,
            })
            .collect();
        let cron = (object.kind == "CronJob").then(|| CronBounds {
            active_deadline: object
                .node
                .path(&["spec", "jobTemplate", "spec", "activeDeadlineSeconds"])
                .is_some(),
            concurrency_policy: object
                .node
                .path(&["spec", "concurrencyPolicy"])
                .and_then(Yaml::as_str)
                .map(str::to_string),
        });
        let default_limits = (object.kind == "LimitRange").then(|| {
            let limits = object
                .node
                .path(&["spec", "limits"])
                .and_then(Yaml::as_seq)
                .unwrap_or(&[]);
            let sets = |resource: &str| {
                limits.iter().any(|l| {
                    l.str_at("type").is_none_or(|t| t == "Container")
                        && l.path(&["default", resource]).is_some()
                })
            };
            (sets("cpu"), sets("memory"))
        });
        let exposed = exposed_service(path, &object.kind, &object.node);
        let ingress = ingress_tls(&object.kind, &object.location, &object.node);
        let stores = object
            .pod_spec()
            .map(|spec| pod_stores(path, spec))
            .unwrap_or_default();
        facts.push(Fact::K8sObject(K8sObject {
            kind: object.kind,
            name: object.name,
            namespace: object.namespace,
            location: object.location,
            images,
            has_resource_limits,
            container_limits,
            cron,
            default_limits,
            exposed,
            stores,
            ingress,
            patch: false,
        }));
    }
    if let Some((kind, location)) = first_kind {
        let via = if kind == "Kustomization" {
            "kustomization".to_string()
        } else {
            format!("Kubernetes manifest ({kind})")
        };
        facts.push(Fact::PlatformHint(platform::kubernetes(location, via)));
    }
}

/// A kustomization: the files it builds from and the patch files it
/// applies, resolved against its folder. A broken one is a located problem.
pub fn kustomization(path: &str, text: &str, facts: &mut Facts) {
    let docs = match crate::parse::yaml::parse_documents(text) {
        Ok(docs) => docs,
        Err(e) => {
            push_problem(
                facts,
                path,
                e.line,
                e.column,
                format!("invalid YAML: {}", e.message),
            );
            return;
        }
    };
    let Some(doc) = docs.first() else { return };
    let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let local = |entry: &str| -> Option<String> {
        // Remote bases (URLs, git refs) and inline patches are not files here.
        let entry = entry.trim();
        if entry.is_empty()
            || entry.contains("://")
            || entry.contains('\n')
            || entry.starts_with("git@")
        {
            return None;
        }
        crate::source::text::join_relative(dir, entry)
    };
    let list = |key: &str| -> Vec<String> {
        doc.get(key)
            .and_then(Yaml::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(|item| item.as_str().or_else(|| item.str_at("path")))
            .filter_map(local)
            .collect()
    };
    let mut resources = list("resources");
    resources.extend(list("bases"));
    resources.extend(list("components"));
    let mut patches = list("patches");
    patches.extend(list("patchesStrategicMerge"));
    patches.extend(list("patchesJson6902"));
    facts.push(Fact::Kustomization(Kustomization {
        path: path.to_string(),
        resources,
        patches,
    }));
    facts.push(Fact::PlatformHint(platform::kubernetes(
        Location::new(path, 1, 1),
        "kustomization".to_string(),
    )));
}

/// Volume kinds that hold configuration, not data.
const CONFIG_VOLUMES: &[&str] = &["configMap", "secret", "projected", "downwardAPI"];

/// The database and search containers of a pod template and where each
/// keeps its data (caches and queues are left out: losing them is expected).
fn pod_stores(path: &str, spec: &Yaml) -> Vec<PodStore> {
    let volumes: Vec<(&str, &str)> = spec
        .get("volumes")
        .and_then(Yaml::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|v| {
            let name = v.str_at("name")?;
            let kind = v
                .entries()
                .into_iter()
                .filter_map(|(k, _)| k.as_str())
                .find(|k| *k != "name")
                .unwrap_or("");
            Some((name, kind))
        })
        .collect();
    let mut out = Vec::new();
    for c in spec.get("containers").and_then(Yaml::as_seq).unwrap_or(&[]) {
        let Some(image) = c.str_at("image") else {
            continue;
        };
        let data = services::match_image(image)
            .iter()
            .any(|d| matches!(d.kind, ServiceKind::Database | ServiceKind::Search));
        if !data {
            continue;
        }
        let mounts: Vec<&str> = c
            .get("volumeMounts")
            .and_then(Yaml::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(|m| m.str_at("name"))
            .collect();
        let mut empty = None;
        let mut lasting = false;
        for m in &mounts {
            match volumes.iter().find(|(n, _)| n == m).map(|(_, k)| *k) {
                Some("emptyDir") => empty = empty.or(Some(m.to_string())),
                Some(k) if CONFIG_VOLUMES.contains(&k) => {}
                // A claim, a StatefulSet's claim template (not among the pod's
                // volumes), a host path, a CSI or cloud disk: lasting.
                _ => lasting = true,
            }
        }
        let storage = if lasting {
            PodStorage::Lasting
        } else if let Some(v) = empty {
            PodStorage::EmptyDir(v)
        } else {
            PodStorage::None
        };
        out.push(PodStore {
            container: c.str_at("name").unwrap_or("?").to_string(),
            image: image.to_string(),
            location: Location::new(path, c.line, c.column),
            storage,
        });
    }
    out
}

/// What a Service of type LoadBalancer or NodePort opens outside the cluster.
fn exposed_service(path: &str, kind: &str, node: &Yaml) -> Option<ExposedService> {
    if kind != "Service" {
        return None;
    }
    let spec = node.get("spec")?;
    let service_type = spec.get("type")?;
    let name = service_type.as_str()?;
    if name != "LoadBalancer" && name != "NodePort" {
        return None;
    }
    let ports = spec
        .get("ports")
        .and_then(Yaml::as_seq)
        .unwrap_or(&[])
        .iter()
        .map(|p| ServicePort {
            name: p.str_at("name").map(str::to_string),
            port: p.str_at("port").and_then(|v| v.parse().ok()),
            target: p.str_at("targetPort").map(str::to_string),
            line: p.line,
        })
        .collect();
    let selector = spec
        .get("selector")
        .map(|s| {
            s.entries()
                .into_iter()
                .filter_map(|(_, v)| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let tls_annotation = annotated(node, |key, value| {
        (key.ends_with("load-balancer-ssl-cert") || key.ends_with("load-balancer-tls-cert"))
            && !value.is_empty()
    });
    let internal = annotated(node, |key, value| {
        (key.ends_with("load-balancer-internal") && value != "false")
            || (key.ends_with("load-balancer-type") && value == "internal")
            || (key.ends_with("aws-load-balancer-scheme") && value == "internal")
            || (key.ends_with("internal-load-balancer") && value != "false")
    });
    Some(ExposedService {
        service_type: name.to_string(),
        location: Location::new(path, service_type.line, service_type.column),
        ports,
        selector,
        internal,
        source_ranges: spec
            .get("loadBalancerSourceRanges")
            .map(Yaml::str_list)
            .unwrap_or_default(),
        tls_annotation,
    })
}

/// Whether an annotation (key and value lower-cased) satisfies `test`.
fn annotated(node: &Yaml, test: impl Fn(&str, &str) -> bool) -> bool {
    node.path(&["metadata", "annotations"]).is_some_and(|a| {
        a.entries().into_iter().any(|(k, v)| {
            test(
                &k.as_str().unwrap_or("").to_ascii_lowercase(),
                &v.as_str().unwrap_or("").to_ascii_lowercase(),
            )
        })
    })
}

/// An Ingress: does it serve HTTPS (a `tls` entry or a controller's certificate)?
fn ingress_tls(kind: &str, location: &Location, node: &Yaml) -> Option<IngressTls> {
    if kind != "Ingress" {
        return None;
    }
    let tls = node
        .path(&["spec", "tls"])
        .and_then(Yaml::as_seq)
        .is_some_and(|t| !t.is_empty());
    let cert_annotation = annotated(node, |key, value| {
        key.ends_with("/certificate-arn")
            || key.ends_with("/pre-shared-cert")
            || key.ends_with("/managed-certificates")
            || key.ends_with("/appgw-ssl-certificate")
            || (key.ends_with("force-ssl-redirect") && value == "true")
            || (key.ends_with("/listen-ports") && value.contains("https"))
    });
    Some(IngressTls {
        location: location.clone(),
        tls,
        cert_annotation,
    })
}

// ---------------------------------------------------------------- Helm

pub fn helm_chart(path: &str, text: &str, facts: &mut Facts) {
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
    facts.push(Fact::PlatformHint(platform::kubernetes(
        Location::file(path),
        "Helm chart".to_string(),
    )));
    facts.push(Fact::HelmChart(HelmChart {
        path: path.to_string(),
        name,
        dependencies,
    }));
}

// ---------------------------------------------------------------- Terraform

/// Attributes that say which engine a database resource runs.
const ENGINE_KEYS: &[&str] = &["engine", "engine_type", "database_version"];

pub fn terraform(path: &str, text: &str, facts: &mut Facts) {
    let body = match parse::terraform::parse(text) {
        Ok(body) => body,
        Err(e) => {
            push_problem(
                facts,
                path,
                e.line,
                e.column,
                format!("not valid HCL: {}", e.message),
            );
            return;
        }
    };
    if path.ends_with(".tfvars") {
        facts.push(Fact::TerraformVariables(TerraformVariables {
            path: path.to_string(),
            environment: tfvars_environment(path),
            body,
        }));
        return;
    }
    // (block, region, is a `provider` block rather than a required_providers entry)
    let mut providers: Vec<(TerraformBlock, Option<String>, bool)> = Vec::new();
    for block in body.blocks {
        let location = Location::new(path, block.line, 1);
        match block.ident.as_str() {
            "resource" if block.labels.len() >= 2 => {
                let detail = ENGINE_KEYS.iter().find_map(|k| {
                    block
                        .body
                        .value(k)
                        .and_then(parse::terraform::Value::as_str)
                });
                let kind = block.label(0).to_string();
                let name = block.label(1).to_string();
                // A bucket or lock table for Terraform's own state is not
                // the app's data (`tfstate`, `terraform_locks`, `state-lock`).
                let lower = name.to_ascii_lowercase();
                let state = ["tfstate", "tflock", "state_lock", "state-lock"]
                    .iter()
                    .any(|w| lower.contains(w))
                    || ((lower.contains("terraform")
                        || lower.starts_with("tf_")
                        || lower.starts_with("tf-"))
                        && (lower.contains("state") || lower.contains("lock")));
                for def in services::match_terraform(&kind, detail)
                    .into_iter()
                    .filter(|_| !state)
                {
                    facts.push(Fact::Service(
                        def.id,
                        Evidence {
                            location: location.clone(),
                            via: format!("terraform {kind}.{name}"),
                        },
                    ));
                }
                monitoring::terraform_resource(&kind, &name, &location, &block.body, facts);
                facts.push(Fact::TerraformResource(TerraformBlock {
                    kind,
                    name,
                    location,
                    body: block.body,
                }));
            }
            "module" if !block.labels.is_empty() => {
                let source = block
                    .body
                    .value("source")
                    .and_then(parse::terraform::Value::as_str)
                    .unwrap_or("")
                    .to_string();
                monitoring::terraform_module(&source, block.label(0), &location, facts);
                facts.push(Fact::TerraformModule(TerraformBlock {
                    kind: source,
                    name: block.label(0).to_string(),
                    location,
                    body: block.body,
                }));
            }
            "variable" if !block.labels.is_empty() => {
                facts.push(Fact::TerraformInput(TerraformBlock {
                    kind: "variable".to_string(),
                    name: block.label(0).to_string(),
                    location,
                    body: block.body,
                }));
            }
            "provider" if !block.labels.is_empty() => {
                // An interpolated region (`var.region`) names no region.
                let region = block
                    .body
                    .value("region")
                    .and_then(parse::terraform::Value::as_str)
                    .filter(|r| !r.is_empty())
                    .map(str::to_string);
                providers.push((
                    TerraformBlock {
                        kind: block.label(0).to_string(),
                        name: String::new(),
                        location,
                        body: Default::default(),
                    },
                    region,
                    true,
                ));
            }
            "terraform" => {
                for required in block.body.blocks("required_providers") {
                    for a in &required.body.attributes {
                        // `aws = { source = "hashicorp/aws" }`; the old
                        // `aws = "~> 2.0"` form names the provider by its key.
                        let kind = a
                            .value
                            .get("source")
                            .and_then(parse::terraform::Value::as_str)
                            .map_or(a.key.as_str(), |s| s.rsplit('/').next().unwrap_or(""));
                        if !kind.is_empty() {
                            providers.push((
                                TerraformBlock {
                                    kind: kind.to_string(),
                                    name: String::new(),
                                    location: Location::new(path, a.line, 1),
                                    body: Default::default(),
                                },
                                None,
                                false,
                            ));
                        }
                    }
                }
            }
            _ => {}
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
            facts.push(Fact::PlatformHint(hint));
        }
        facts.push(Fact::TerraformProvider(block));
    }
}

/// The environment a variables file is for, from its name or folder
/// (`prod.tfvars`, `env/staging/terraform.tfvars`, `production.auto.tfvars`).
fn tfvars_environment(path: &str) -> Option<String> {
    let name = crate::source::text::file_name(path);
    let stem = name.split('.').next().unwrap_or("");
    crate::model::canonical_environment(stem)
        // `terraform-staging.tfvars`, `prod-app.tfvars`, `dev_eu.tfvars`.
        .or_else(|| {
            stem.split(['-', '_'])
                .find_map(crate::model::canonical_environment)
        })
        .or_else(|| {
            crate::source::text::parent(path)
                .rsplit('/')
                .find_map(crate::model::canonical_environment)
        })
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_facts() {
        let text = "# syntax=docker/dockerfile:1\nFROM --platform=$BUILDPLATFORM node:20 AS build\nRUN npm ci \\\n  && npm run build\nFROM build AS test\nFROM nginx:1.27-alpine\nEXPOSE 80 443/tcp\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nUSER nginx\n";
        let mut f = Facts::default();
        dockerfile("Dockerfile", text, &mut f);
        let f = f.collect();
        let d = f.dockerfile.unwrap();
        assert_eq!(d.base_images, ["node:20", "nginx:1.27-alpine"]);
        assert_eq!(d.exposed_ports, ["80", "443/tcp"]);
        assert!(d.has_healthcheck && d.runs_as_non_root);
        let mut f = Facts::default();
        dockerfile(
            "db/Dockerfile",
            "FROM postgres:16\nUSER root\nHEALTHCHECK NONE\n",
            &mut f,
        );
        let f = f.collect();
        let d = f.dockerfile.unwrap();
        assert!(!d.has_healthcheck && !d.runs_as_non_root);
        assert_eq!(f.services[0].0, "postgresql");
        let mut f = Facts::default();
        dockerfile("Dockerfile", "", &mut f);
        let f = f.collect();
        assert!(f.dockerfile.unwrap().base_images.is_empty());
    }

    #[test]
    fn compose_services() {
        let text = "services:\n  web:\n    build: .\n    ports: [\"3000:3000\", {target: 80, published: 8080}]\n    depends_on: [db]\n    environment:\n      - DATABASE_URL=postgres://x\n      - PORT\n  db:\n    image: postgres:16\n    depends_on:\n      web: {condition: service_started}\n    environment:\n      POSTGRES_PASSWORD: secret\n";
        let mut f = Facts::default();
        compose("docker-compose.yml", text, &mut f);
        let f = f.collect();
        assert_eq!(f.compose_services.len(), 2);
        let web = &f.compose_services[0];
        assert_eq!((web.name.as_str(), web.location.line), ("web", 2));
        assert_eq!(web.ports, ["3000:3000", "8080:80"]);
        assert_eq!(web.environment, ["DATABASE_URL", "PORT"]);
        let db = &f.compose_services[1];
        assert_eq!(db.depends_on, ["web"]);
        assert_eq!(db.environment, ["POSTGRES_PASSWORD"]);
        assert_eq!(f.services[0].0, "postgresql");
        let mut f = Facts::default();
        compose("compose.yml", "services: [\n", &mut f);
        let f = f.collect();
        assert_eq!(f.problems.len(), 1);
        assert!(f.problems[0].message.contains("invalid compose YAML"));
    }

    #[test]
    fn kubernetes_objects() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: prod\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1\n          env:\n            - name: DATABASE_URL\n          resources:\n            limits: {cpu: 500m, memory: 256Mi}\n        - name: cache\n          image: redis:7\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n";
        let mut f = Facts::default();
        kubernetes("k8s/api.yaml", text, &mut f);
        let f = f.collect();
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
        let mut f = Facts::default();
        kubernetes("k8s/bad.yaml", "apiVersion: v1\nkind: [\n", &mut f);
        let f = f.collect();
        assert_eq!(f.problems.len(), 1);
        let mut f = Facts::default();
        kubernetes(
            "x.yaml",
            "apiVersion: v1\nkind: {{ .Values.kind }\n",
            &mut f,
        );
        let f = f.collect();
        assert!(f.problems.is_empty());
    }

    #[test]
    fn kustomizations_list_their_files_and_patches() {
        let mut f = Facts::default();
        kustomization(
            "k8s/overlays/prod/kustomization.yaml",
            "resources:\n  - ../../base\n  - https://github.com/acme/base?ref=v1\n  - extra.yaml\npatches:\n  - path: limits.yaml\n  - patch: |-\n      - op: replace\n        path: /spec/replicas\n        value: 3\npatchesStrategicMerge:\n  - ../common/image.yaml\n",
            &mut f,
        );
        let k = f.collect().kustomization.unwrap();
        assert_eq!(k.resources, ["k8s/base", "k8s/overlays/prod/extra.yaml"]);
        assert_eq!(
            k.patches,
            [
                "k8s/overlays/prod/limits.yaml",
                "k8s/overlays/common/image.yaml"
            ]
        );
        let mut f = Facts::default();
        kustomization("kustomization.yaml", "resources: [a.yaml\n", &mut f);
        let problems = f.collect().problems;
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("invalid YAML"));
    }

    #[test]
    fn terraform_variable_blocks_are_inputs() {
        let mut f = Facts::default();
        terraform(
            "infra/variables.tf",
            "variable \"size\" {\n  type    = string\n  default = \"t3.small\"\n}\n\nvariable \"env\" {}\n",
            &mut f,
        );
        let f = f.collect();
        let inputs: Vec<_> = f
            .terraform_inputs
            .iter()
            .map(|b| (b.name.as_str(), b.location.line))
            .collect();
        assert_eq!(inputs, [("size", 1), ("env", 6)]);
        assert_eq!(
            f.terraform_inputs[0]
                .body
                .value("default")
                .and_then(parse::terraform::Value::as_str),
            Some("t3.small")
        );
        assert!(f.terraform_resources.is_empty());
    }

    #[test]
    fn helm_and_terraform() {
        let mut f = Facts::default();
        helm_chart("chart/Chart.yaml", "apiVersion: v2\nname: api\ndependencies:\n  - name: postgresql\n    repository: https://charts.bitnami.com/bitnami\n", &mut f);
        let f = f.collect();
        let chart = f.helm_chart.unwrap();
        assert_eq!(chart.name.as_deref(), Some("api"));
        assert_eq!(f.services[0].0, "postgresql");

        let tf = "terraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\" }\n    random = {\n      source = \"hashicorp/random\"\n    }\n  }\n}\n\nprovider \"aws\" {\n  region = \"eu-west-1\" # main\n}\n\n# resource \"aws_s3_bucket\" \"commented\" {}\nresource \"aws_db_instance\" \"main\" {\n  engine = \"postgres\"\n  tags = { Name = \"x\" }\n}\n\nresource \"aws_s3_bucket\" \"assets\" {\n  bucket = \"${var.name}-assets\"\n}\n";
        let mut f = Facts::default();
        terraform("infra/main.tf", tf, &mut f);
        let f = f.collect();
        let p: Vec<_> = f
            .terraform_providers
            .iter()
            .map(|b| (b.kind.as_str(), b.location.line))
            .collect();
        assert_eq!(p, [("random", 4), ("aws", 10)]);
        let r: Vec<_> = f
            .terraform_resources
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
        let mut state = Facts::default();
        terraform(
            "ci/main.tf",
            "resource \"google_storage_bucket\" \"terraform_state_storage_bucket\" {\n  name = \"x\"\n}\n",
            &mut state,
        );
        let state = state.collect();
        assert!(state.services.is_empty(), "a state bucket is not app data");
        assert_eq!(state.terraform_resources.len(), 1);
        assert_eq!(f.platform_hints.len(), 1);
        assert_eq!(f.platform_hints[0].region.as_deref(), Some("eu-west-1"));
        let mut f = Facts::default();
        terraform(
            "x.tf",
            "resource \"a\" \"b\" {\n{{{{\n}}}}}}}}\n\"unterminated\n",
            &mut f,
        );
        let f = f.collect();
        // Not HCL: a problem at its position, no guessed resources.
        assert!(f.terraform_resources.is_empty());
        assert_eq!(f.problems.len(), 1);
        assert_eq!(f.problems[0].location.line, 2);
        assert!(f.problems[0].message.starts_with("not valid HCL"));

        let mut f = Facts::default();
        let tf = "module \"eks\" {\n  source = \"terraform-aws-modules/eks/aws\"\n  cluster_endpoint_public_access = true\n}\n";
        terraform("infra/eks.tf", tf, &mut f);
        let f = f.collect();
        assert_eq!(f.terraform_modules[0].kind, "terraform-aws-modules/eks/aws");
        assert_eq!(f.terraform_modules[0].name, "eks");
        let mut f = Facts::default();
        terraform(
            "env/prod/terraform.tfvars",
            "instance_class = \"db.r5.large\"\n",
            &mut f,
        );
        let f = f.collect();
        let vars = &f.terraform_variables[0];
        assert_eq!(vars.environment.as_deref(), Some("production"));
        assert!(vars.body.attribute("instance_class").is_some());
        assert!(f.terraform_resources.is_empty());
    }

    #[test]
    fn exposed_services() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-internal: \"true\"\nspec:\n  type: LoadBalancer\n  selector: {app: postgres}\n  loadBalancerSourceRanges: [10.0.0.0/8]\n  ports:\n    - name: pg\n      port: 5432\n      targetPort: 5432\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80}]\n";
        let mut f = Facts::default();
        kubernetes("k8s/db.yaml", text, &mut f);
        let f = f.collect();
        let db = f.kubernetes[0].exposed.as_ref().unwrap();
        assert_eq!(db.service_type, "LoadBalancer");
        assert_eq!(db.location.line, 8);
        assert!(db.internal);
        assert_eq!(db.selector, ["postgres"]);
        assert_eq!(db.source_ranges, ["10.0.0.0/8"]);
        assert_eq!(db.ports[0].port, Some(5432));
        assert_eq!(db.ports[0].line, 12);
        // ClusterIP (the default) opens nothing outside the cluster.
        assert!(f.kubernetes[1].exposed.is_none());
        assert!(!db.tls_annotation);

        let ingresses = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: a}\nspec:\n  tls: [{hosts: [a.io], secretName: a}]\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: b\n  annotations:\n    alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:x\nspec: {}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: c}\nspec:\n  tls: []\n";
        let mut f = Facts::default();
        kubernetes("k8s/ing.yaml", ingresses, &mut f);
        let f = f.collect();
        let seen: Vec<_> = f
            .kubernetes
            .iter()
            .map(|o| o.ingress.as_ref().map(|i| (i.tls, i.cert_annotation)))
            .collect();
        assert_eq!(
            seen,
            [
                Some((true, false)),
                Some((false, true)),
                Some((false, false))
            ]
        );
    }
}
