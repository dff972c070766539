//! docker-compose files: the services of the first document, with the line
//! and column of each service's key and of every value discovery and rules use.

use super::yaml::{self, Yaml, YamlError};
use crate::model::Location;

#[derive(Debug, Clone, PartialEq)]
pub struct ComposeFile {
    pub services: Vec<ComposeServiceDoc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ComposeServiceDoc {
    pub name: String,
    /// Where the service's key is.
    pub location: Location,
    pub image: Option<String>,
    /// `HOST:CONTAINER` strings; long-form entries become `published:target`.
    pub ports: Vec<String>,
    pub depends_on: Vec<String>,
    /// Names under `environment:`, in file order (values are never kept).
    pub environment: Vec<String>,
    /// A memory or CPU limit: `deploy.resources.limits.{memory,cpus}`,
    /// `mem_limit`, `cpus`.
    pub limits: bool,
}

/// Parse `text` (at `path`, used in locations). A file without `services` has none.
pub fn parse(path: &str, text: &str) -> Result<ComposeFile, YamlError> {
    let docs = yaml::parse_documents(text)?;
    let mut services = Vec::new();
    if let Some(map) = docs.first().and_then(|d| d.get("services")) {
        for (key, svc) in map.entries() {
            let Some(name) = key.as_str() else { continue };
            services.push(ComposeServiceDoc {
                name: name.to_string(),
                location: Location::new(path, key.line, key.column),
                image: svc.str_at("image").map(str::to_string),
                ports: ports(svc),
                depends_on: scalar_list(svc.get("depends_on")),
                environment: scalar_list(svc.get("environment"))
                    .into_iter()
                    .map(|e| e.split('=').next().unwrap_or("").trim().to_string())
                    .filter(|e| !e.is_empty())
                    .collect(),
                limits: svc
                    .path(&["deploy", "resources", "limits"])
                    .is_some_and(|l| l.get("memory").is_some() || l.get("cpus").is_some())
                    || svc.get("mem_limit").is_some()
                    || svc.get("cpus").is_some(),
            });
        }
    }
    Ok(ComposeFile { services })
}

fn ports(svc: &Yaml) -> Vec<String> {
    let Some(items) = svc.get("ports").and_then(Yaml::as_seq) else {
        return Vec::new();
    };
    items
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
        .collect()
}

/// A list, the keys of a map, or a lone scalar, as strings.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_with_positions() {
        let text = "services:\n  web:\n    build: .\n    ports: [\"3000:3000\", {target: 80, published: 8080}]\n    depends_on: [db]\n    environment:\n      - DATABASE_URL=postgres://x\n      - PORT\n  db:\n    image: postgres:16\n    depends_on:\n      web: {condition: service_started}\n    environment:\n      POSTGRES_PASSWORD: secret\n";
        let f = parse("docker-compose.yml", text).unwrap();
        assert_eq!(f.services.len(), 2);
        let web = &f.services[0];
        assert_eq!((web.name.as_str(), web.location.line), ("web", 2));
        assert_eq!(web.ports, ["3000:3000", "8080:80"]);
        assert_eq!(web.environment, ["DATABASE_URL", "PORT"]);
        let db = &f.services[1];
        assert_eq!(db.image.as_deref(), Some("postgres:16"));
        assert_eq!(db.depends_on, ["web"]);
        assert_eq!(db.environment, ["POSTGRES_PASSWORD"]);
        assert!(parse("compose.yml", "services: [\n").is_err());
        assert!(parse("compose.yml", "version: '3'\n")
            .unwrap()
            .services
            .is_empty());
    }
}
