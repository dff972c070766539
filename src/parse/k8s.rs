//! Kubernetes manifests: every object of a multi-document YAML stream with
//! its kind, name, namespace and, for workloads, the containers of its pod
//! template, each with positions.

use super::yaml::{self, Yaml, YamlError};
use crate::model::Location;

/// Kinds whose spec holds a pod template.
pub const WORKLOADS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "Pod",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub api_version: String,
    pub kind: String,
    pub name: Option<String>,
    pub namespace: Option<String>,
    /// Where the document starts.
    pub location: Location,
    /// Regular containers of a workload's pod template (empty for other kinds).
    pub containers: Vec<Container>,
    pub init_containers: Vec<Container>,
    /// The document's whole node, for rules that read more.
    pub node: Yaml,
}

impl Object {
    pub fn is_workload(&self) -> bool {
        WORKLOADS.contains(&self.kind.as_str())
    }

    /// A workload's pod spec (`spec.template.spec`, or the CronJob's or Pod's).
    pub fn pod_spec(&self) -> Option<&Yaml> {
        if self.is_workload() {
            pod_spec(&self.kind, &self.node)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Container {
    pub name: Option<String>,
    /// The image and where it is written.
    pub image: Option<(String, Location)>,
    /// `env:` entry names and where each is written (values are never kept).
    pub env: Vec<(String, Location)>,
    /// `resources.limits.cpu` / `.memory` are set.
    pub cpu_limit: bool,
    pub memory_limit: bool,
    /// Where the container's entry starts (`- name: web`).
    pub location: Location,
}

/// Every document with a string `kind` and an `apiVersion`, in order; other
/// documents (empty ones, lists of values) are left out.
pub fn parse(path: &str, text: &str) -> Result<Vec<Object>, YamlError> {
    let docs = yaml::parse_documents(text)?;
    let mut out = Vec::new();
    for doc in docs {
        let (Some(kind), Some(api)) = (doc.str_at("kind"), doc.get("apiVersion")) else {
            continue;
        };
        let kind = kind.to_string();
        let meta = |key: &str| {
            doc.path(&["metadata", key])
                .and_then(Yaml::as_str)
                .map(str::to_string)
        };
        let (containers, init_containers) = match pod_spec(&kind, &doc) {
            Some(spec) if WORKLOADS.contains(&kind.as_str()) => (
                containers(path, spec.get("containers")),
                containers(path, spec.get("initContainers")),
            ),
            _ => (Vec::new(), Vec::new()),
        };
        out.push(Object {
            api_version: api.as_str().unwrap_or("").to_string(),
            name: meta("name"),
            namespace: meta("namespace"),
            location: Location::new(path, doc.line, doc.column),
            kind,
            containers,
            init_containers,
            node: doc,
        });
    }
    Ok(out)
}

fn pod_spec<'a>(kind: &str, doc: &'a Yaml) -> Option<&'a Yaml> {
    match kind {
        "Pod" => doc.get("spec"),
        "CronJob" => doc.path(&["spec", "jobTemplate", "spec", "template", "spec"]),
        _ => doc.path(&["spec", "template", "spec"]),
    }
}

fn containers(path: &str, list: Option<&Yaml>) -> Vec<Container> {
    list.and_then(Yaml::as_seq)
        .unwrap_or(&[])
        .iter()
        .map(|c| Container {
            name: c.str_at("name").map(str::to_string),
            cpu_limit: c.path(&["resources", "limits", "cpu"]).is_some(),
            memory_limit: c.path(&["resources", "limits", "memory"]).is_some(),
            location: Location::new(path, c.line, c.column),
            image: c.get("image").and_then(|i| {
                i.as_str()
                    .map(|s| (s.to_string(), Location::new(path, i.line, i.column)))
            }),
            env: c
                .get("env")
                .and_then(Yaml::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter_map(|var| {
                    let n = var.get("name")?;
                    Some((
                        n.as_str()?.to_string(),
                        Location::new(path, n.line, n.column),
                    ))
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_and_containers() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: prod\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: migrate\n          image: ghcr.io/acme/api:1\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1\n          env:\n            - name: DATABASE_URL\n          resources:\n            limits: {cpu: 500m, memory: 256Mi}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n---\n- not an object\n";
        let objects = parse("k8s/api.yaml", text).unwrap();
        assert_eq!(objects.len(), 2);
        let d = &objects[0];
        assert!(d.is_workload());
        assert_eq!(
            (d.kind.as_str(), d.api_version.as_str()),
            ("Deployment", "apps/v1")
        );
        assert_eq!(d.namespace.as_deref(), Some("prod"));
        assert_eq!(d.containers.len(), 1);
        assert_eq!(d.init_containers.len(), 1);
        let c = &d.containers[0];
        assert_eq!(c.image.as_ref().map(|(_, l)| l.line), Some(14));
        assert_eq!(c.env[0].0, "DATABASE_URL");
        assert!(c.cpu_limit && c.memory_limit);
        assert_eq!(objects[1].location.line, 20);
        assert!(objects[1].containers.is_empty());
        assert!(parse("x.yaml", "kind: [\n").is_err());
    }
}
