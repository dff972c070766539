//! Platform hints: which host the repo already deploys to, from platform
//! files (vercel.json, fly.toml, app.yaml …), Terraform providers,
//! Kubernetes files and the deploy actions its workflows use.

use super::facts::{Fact, Facts};
use super::model::PlatformHint;
use super::problem;
use crate::model::Location;
use crate::parse::yaml::Yaml;
use crate::platform::Platform;
use crate::source::text::re;
use regex::Regex;
use std::sync::LazyLock;

fn hint(
    platform: Option<Platform>,
    host: &str,
    region: Option<String>,
    location: Location,
    via: &str,
) -> PlatformHint {
    PlatformHint {
        platform,
        host: host.to_string(),
        region: region.filter(|r| !r.is_empty() && !r.contains('$') && !r.contains("{{")),
        location,
        via: via.to_string(),
    }
}

pub fn kubernetes(location: Location, via: String) -> PlatformHint {
    hint(
        Some(Platform::Kubernetes),
        "kubernetes",
        None,
        location,
        &via,
    )
}

/// A hint from a Terraform provider, for the providers that are hosts.
pub fn terraform_provider(
    kind: &str,
    region: Option<String>,
    location: Location,
) -> Option<PlatformHint> {
    let (platform, host) = match kind {
        "aws" => (Some(Platform::Aws), "aws"),
        "google" | "google-beta" => (Some(Platform::Gcp), "gcp"),
        "azurerm" | "azapi" => (Some(Platform::Azure), "azure"),
        "kubernetes" | "helm" => (Some(Platform::Kubernetes), "kubernetes"),
        "vercel" => (Some(Platform::Vercel), "vercel"),
        "netlify" => (Some(Platform::Netlify), "netlify"),
        "fly" => (Some(Platform::Fly), "fly"),
        "heroku" => (None, "heroku"),
        "digitalocean" => (None, "digitalocean"),
        "render" => (None, "render"),
        _ => return None,
    };
    Some(hint(
        platform,
        host,
        region,
        location,
        &format!("terraform provider {kind}"),
    ))
}

pub fn analyze(path: &str, name: &str, text: &str, facts: &mut Facts) {
    let file = Location::file(path);
    let h = match name {
        "vercel.json" => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v) => {
                let region = v
                    .get("regions")
                    .and_then(|r| r.get(0))
                    .and_then(|r| r.as_str())
                    .map(str::to_string);
                Some(hint(
                    Some(Platform::Vercel),
                    "vercel",
                    region,
                    file,
                    "vercel.json",
                ))
            }
            Err(e) => {
                facts.push(Fact::Problem(problem(
                    path,
                    e.line() as u32,
                    e.column() as u32,
                    format!("invalid JSON: {e}"),
                )));
                Some(hint(
                    Some(Platform::Vercel),
                    "vercel",
                    None,
                    file,
                    "vercel.json",
                ))
            }
        },
        "project.json" => Some(hint(
            Some(Platform::Vercel),
            "vercel",
            None,
            file,
            ".vercel/project.json",
        )),
        "netlify.toml" => {
            if let Err(e) = text.parse::<toml::Table>() {
                facts.push(Fact::Problem(toml_problem(path, text, &e)));
            }
            Some(hint(
                Some(Platform::Netlify),
                "netlify",
                None,
                file,
                "netlify.toml",
            ))
        }
        "fly.toml" => match text.parse::<toml::Table>() {
            Ok(t) => {
                let region = t
                    .get("primary_region")
                    .and_then(|r| r.as_str())
                    .map(str::to_string);
                let via = match t.get("app").and_then(|a| a.as_str()) {
                    Some(app) => format!("fly.toml (app {app})"),
                    None => "fly.toml".to_string(),
                };
                Some(hint(Some(Platform::Fly), "fly", region, file, &via))
            }
            Err(e) => {
                facts.push(Fact::Problem(toml_problem(path, text, &e)));
                Some(hint(Some(Platform::Fly), "fly", None, file, "fly.toml"))
            }
        },
        "app.yaml" | "app.yml" => {
            let doc = parse_yaml(path, text, facts);
            // Only App Engine's app.yaml has a runtime (or env: flex).
            doc.filter(|d| d.get("runtime").is_some() || d.get("env").is_some())
                .map(|_| {
                    hint(
                        Some(Platform::Gcp),
                        "gcp",
                        None,
                        file,
                        "app.yaml (App Engine)",
                    )
                })
        }
        "cloudbuild.yaml" | "cloudbuild.yml" => Some(hint(
            Some(Platform::Gcp),
            "gcp",
            None,
            file,
            "Cloud Build config",
        )),
        "azure.yaml" | "azure.yml" => {
            parse_yaml(path, text, facts);
            Some(hint(
                Some(Platform::Azure),
                "azure",
                None,
                file,
                "azure.yaml (Azure Developer CLI)",
            ))
        }
        "render.yaml" => Some(hint(None, "render", None, file, "render.yaml")),
        "Procfile" => Some(hint(None, "heroku", None, file, "Procfile")),
        "heroku.yml" => Some(hint(None, "heroku", None, file, "heroku.yml")),
        "serverless.yml" | "serverless.yaml" => {
            let doc = parse_yaml(path, text, facts);
            let provider = doc.as_ref().and_then(|d| d.get("provider"));
            let (pname, region) = match provider {
                Some(p) => match p.as_str() {
                    Some(s) => (Some(s.to_string()), None),
                    None => (
                        p.str_at("name").map(str::to_string),
                        p.str_at("region").map(str::to_string),
                    ),
                },
                None => (None, None),
            };
            let pname = pname.unwrap_or_else(|| "aws".to_string());
            let platform = match pname.as_str() {
                "aws" => Some(Platform::Aws),
                "google" => Some(Platform::Gcp),
                "azure" => Some(Platform::Azure),
                _ => None,
            };
            let host = platform.map_or_else(|| pname.clone(), |p| p.id().to_string());
            Some(hint(
                platform,
                &host,
                region,
                file,
                &format!("serverless.yml (provider {pname})"),
            ))
        }
        "cdk.json" => Some(hint(
            Some(Platform::Aws),
            "aws",
            None,
            file,
            "cdk.json (AWS CDK)",
        )),
        "samconfig.toml" => Some(hint(
            Some(Platform::Aws),
            "aws",
            None,
            file,
            "samconfig.toml (AWS SAM)",
        )),
        "template.yaml" | "template.yml" if text.contains("AWS::Serverless") => Some(hint(
            Some(Platform::Aws),
            "aws",
            None,
            file,
            "AWS SAM template",
        )),
        _ => None,
    };
    facts.extend(h.into_iter().map(Fact::PlatformHint));
}

fn parse_yaml(path: &str, text: &str, facts: &mut Facts) -> Option<Yaml> {
    super::parse_yaml_or_report(path, text, "YAML", facts)?
        .into_iter()
        .next()
}

/// A TOML parse error as a problem at its line and column.
pub fn toml_problem(path: &str, text: &str, e: &toml::de::Error) -> super::model::Problem {
    let (line, column) = match e.span() {
        Some(span) => {
            let idx = crate::source::text::LineIndex::new(text);
            idx.position(text, span.start)
        }
        None => (0, 0),
    };
    let message = e.message().trim().to_string();
    problem(path, line, column, format!("invalid TOML: {message}"))
}

struct WorkflowRule {
    regex: Regex,
    platform: Option<Platform>,
    host: &'static str,
    via: &'static str,
}

static WORKFLOW_RULES: LazyLock<Vec<WorkflowRule>> = LazyLock::new(|| {
    let rule = |pattern: &str, platform: Platform, via: &'static str| WorkflowRule {
        regex: re(pattern),
        platform: Some(platform),
        host: platform.id(),
        via,
    };
    vec![
        rule(
            r"uses:\s*aws-actions/",
            Platform::Aws,
            "workflow uses aws-actions",
        ),
        rule(
            r"uses:\s*google-github-actions/",
            Platform::Gcp,
            "workflow uses google-github-actions",
        ),
        rule(
            r"\bgcloud\s+(?:app|run|functions)\s+deploy\b",
            Platform::Gcp,
            "workflow runs gcloud deploy",
        ),
        rule(
            r"uses:\s*(?i:azure)/(?:login|webapps-deploy|functions-action|container-apps-deploy-action)",
            Platform::Azure,
            "workflow uses azure actions",
        ),
        rule(
            r"uses:\s*superfly/flyctl-actions",
            Platform::Fly,
            "workflow uses superfly/flyctl-actions",
        ),
        rule(
            r"\b(?:flyctl|fly)\s+deploy\b",
            Platform::Fly,
            "workflow runs fly deploy",
        ),
        rule(
            r"uses:\s*amondnet/vercel-action|\bvercel\s+(?:deploy|build|pull)\b|\bvercel\s+--prod\b",
            Platform::Vercel,
            "workflow runs the Vercel CLI",
        ),
        rule(
            r"uses:\s*nwtgck/actions-netlify|\bnetlify\s+deploy\b",
            Platform::Netlify,
            "workflow runs the Netlify CLI",
        ),
        rule(
            r"uses:\s*azure/k8s-deploy|\bkubectl\s+(?:apply|rollout|set\s+image)\b|\bhelm\s+(?:upgrade|install)\b",
            Platform::Kubernetes,
            "workflow deploys to Kubernetes",
        ),
    ]
});

static AWS_REGION: LazyLock<Regex> =
    LazyLock::new(|| re(r#"aws-region:\s*["']?([a-z]{2}(?:-gov)?-[a-z]+-\d)\b"#));

/// Hints from the deploy steps of a CI workflow (one per host per file).
pub fn workflow(path: &str, text: &str, facts: &mut Facts) {
    let mut seen: Vec<&str> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        for rule in WORKFLOW_RULES.iter() {
            if seen.contains(&rule.host) || !rule.regex.is_match(line) {
                continue;
            }
            seen.push(rule.host);
            let region = if rule.platform == Some(Platform::Aws) {
                AWS_REGION.captures(text).map(|c| c[1].to_string())
            } else {
                None
            };
            facts.push(Fact::PlatformHint(hint(
                rule.platform,
                rule.host,
                region,
                Location::new(path, i as u32 + 1, 1),
                rule.via,
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::facts::Collected;

    fn run(name: &str, text: &str) -> Collected {
        let mut f = Facts::default();
        analyze(name, name, text, &mut f);
        f.collect()
    }

    #[test]
    fn platform_files() {
        let f = run("fly.toml", "app = \"ledgerd\"\nprimary_region = \"cdg\"\n");
        let h = &f.platform_hints[0];
        assert_eq!(
            (h.platform, h.region.as_deref()),
            (Some(Platform::Fly), Some("cdg"))
        );
        assert_eq!(h.via, "fly.toml (app ledgerd)");
        let f = run("vercel.json", "{\"regions\": [\"fra1\"]}");
        assert_eq!(f.platform_hints[0].region.as_deref(), Some("fra1"));
        let f = run(
            "serverless.yml",
            "service: x\nprovider:\n  name: aws\n  region: eu-west-1\n",
        );
        let h = &f.platform_hints[0];
        assert_eq!(
            (h.platform, h.region.as_deref()),
            (Some(Platform::Aws), Some("eu-west-1"))
        );
        assert_eq!(
            run("render.yaml", "services: []\n").platform_hints[0].platform,
            None
        );
        assert_eq!(
            run("Procfile", "web: node x\n").platform_hints[0].host,
            "heroku"
        );
        assert!(run("app.yaml", "name: not-appengine\n")
            .platform_hints
            .is_empty());
        assert_eq!(
            run("app.yaml", "runtime: go122\n").platform_hints[0].platform,
            Some(Platform::Gcp)
        );
        assert!(run("template.yaml", "x: 1\n").platform_hints.is_empty());
    }

    #[test]
    fn malformed_platform_files_are_problems() {
        let f = run("fly.toml", "app = \n[[[");
        assert_eq!(f.problems.len(), 1);
        assert!(f.problems[0].location.line >= 1);
        assert_eq!(f.platform_hints.len(), 1);
        let f = run("vercel.json", "{ nope");
        assert_eq!(f.problems.len(), 1);
        let f = run("serverless.yml", "provider: [\n");
        assert_eq!(f.problems.len(), 1);
    }

    #[test]
    fn workflow_actions() {
        let wf = "jobs:\n  deploy:\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-region: eu-central-1\n      - run: kubectl apply -f k8s/\n      - run: fly deploy --remote-only\n      # - run: vercel deploy\n";
        let mut f = Facts::default();
        workflow(".github/workflows/deploy.yml", wf, &mut f);
        let f = f.collect();
        let got: Vec<_> = f
            .platform_hints
            .iter()
            .map(|h| (h.host.as_str(), h.location.line, h.region.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("aws", 4, Some("eu-central-1")),
                ("kubernetes", 7, None),
                ("fly", 8, None)
            ]
        );
    }

    #[test]
    fn terraform_providers() {
        let h = terraform_provider("google", Some("us-central1".into()), Location::file("a.tf"))
            .unwrap();
        assert_eq!(h.platform, Some(Platform::Gcp));
        assert!(terraform_provider("random", None, Location::file("a.tf")).is_none());
        let h = terraform_provider("aws", Some("${var.region}".into()), Location::file("a.tf"))
            .unwrap();
        assert_eq!(h.region, None);
    }
}
