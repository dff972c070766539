//! plaintext-http: `http://` (or `ws://`) to a host outside this machine and
//! network in code, config or manifests (checklist §5.2).

use crate::audit::finding::Findings;
use crate::audit::rule::{
    AuditInput, ClassAction, ClassPolicy, Confidence, Level, Rule, RuleMeta, Verdict,
};
use crate::context::model::{K8sObject, TerraformBlock};
use crate::model::Location;
use crate::parse::terraform::Value;
use crate::scan::MatchKind;

crate::declare_rule!(
    PlaintextHttp,
    RuleMeta {
        id: "plaintext-http",
        section: "5.2",
        level: Level::Warning,
        confidence: Confidence::Medium,
        description: "Code, config and manifests use HTTPS for every remote host",
        applies: "always",
        rationale: "Checklist §5.2: use HTTPS everywhere. Plain HTTP to a remote host exposes tokens, cookies and payloads to anyone on the path and lets them be altered.",
        detection: "URLs with scheme http or ws whose host is not loopback, private (10/8, 172.16/12, 192.168/16, link-local), a single-label service name (`http://api:8080`), a reserved name (*.local, *.test, *.example, *.internal, example.com), a placeholder (`yourapp.com`, `foo.bar`, `fake.com`, dotted digits that are no address), or an identifier: an XML namespace, schema or licence (www.w3.org, xmlns=…, `$schema`, a Go `xml:\"…\"` tag, a `.dtd`/`.xsd` path), a JSON-LD `@context`/`@type` IRI or any URL of a JSON-LD document (ActivityPub objects). URLs only inside a comment of the file's language (`//`, `#`, `--`, `/* … */`, `<!-- -->`) are not requests and are not reported. One finding per URL host and line. Listeners and load balancers that serve plain HTTP with no redirect to HTTPS: Terraform `aws_lb_listener`/`aws_alb_listener` with protocol HTTP (or port 80 and no protocol) whose default action is not a redirect or a fixed response; classic `aws_elb` with an HTTP listener and no HTTPS or SSL one; `google_compute_target_http_proxy` whose URL map (`google_compute_url_map` in the repository) has no `default_url_redirect { https_redirect = true }`; Azure App Service and Function apps without `https_only = true` (off by default); storage accounts with HTTPS-only traffic turned off. Kubernetes: Services of type LoadBalancer that serve port 80 with no port 443 and no TLS-certificate annotation, unless internal; Ingresses with no `spec.tls` and no controller certificate annotation (ALB `certificate-arn`, GKE `pre-shared-cert`/`managed-certificates`, Application Gateway certificate, `force-ssl-redirect`). Values computed from variables are not judged. Kustomize patch files (listed under a kustomization's `patches`/`patchesStrategicMerge`) are partial objects and are not judged on what they leave out. Helm templates are not rendered: when the repository has any, the rule is unknown unless it found something, and the reason names them.",
        fix: "switch the URL to https:// (or wss://); if the host cannot do TLS, put it behind a TLS-terminating proxy",
        fixed_by_init: false,
        // Split so this source file holds no plaintext URL itself.
        fail_example: concat!("src/client.js:4: const API = \"http", "://api.partner.io/v1\";"),
        pass_example: "src/client.js:4: const API = \"https://api.partner.io/v1\";",
    }
);

impl Rule for PlaintextHttp {
    fn class_policy(&self) -> ClassPolicy {
        use crate::source::class::FileClass::*;
        use ClassAction::*;
        // Prose links and test data make no request; examples are copied into
        // real code, so they are still reported (lower).
        &[
            (Generated, Skip),
            (Vendored, Skip),
            (Minified, Skip),
            (Translation, Skip),
            (Docs, Skip),
            (Licence, Skip),
            (Test, Skip),
            (Fixture, Skip),
            (Example, Demote),
        ]
    }

    fn terraform_resource(
        &self,
        input: &AuditInput<'_>,
        r: &TerraformBlock,
        out: &mut Findings<'_>,
    ) -> Verdict {
        let body = &r.body;
        let name = format!("{}.{}", r.kind, r.name);
        let at = |line: u32| Location::new(&r.location.path, line, 1);
        match r.kind.as_str() {
            "aws_lb_listener" | "aws_alb_listener" => {
                let protocol = body.value("protocol");
                let port = body.value("port").and_then(Value::as_f64);
                let http = match protocol {
                    Some(p) => p.as_str().is_some_and(|p| p.eq_ignore_ascii_case("HTTP")),
                    None => port == Some(80.0),
                };
                let answered = body
                    .blocks("default_action")
                    .any(|a| match a.body.value("type") {
                        Some(Value::String(t)) => t == "redirect" || t == "fixed-response",
                        // Computed: not judged.
                        Some(_) => true,
                        None => false,
                    });
                if http && !answered {
                    out.add(format!(
                        "load balancer listener `{name}` serves plain HTTP{} and does not redirect to HTTPS",
                        port.map(|p| format!(" on port {p}")).unwrap_or_default()
                    ))
                    .at(body.attribute("protocol").map_or(r.location.clone(), |a| at(a.line)))
                    .fix("make the HTTP listener's `default_action` a `redirect` to HTTPS (`protocol = \"HTTPS\"`, `port = \"443\"`, `status_code = \"HTTP_301\"`) and serve the app on an HTTPS listener with a certificate")
                    .key(format!("{name} http listener"))
                    .emit();
                }
            }
            "aws_elb" => {
                let protocol = |b: &crate::parse::terraform::Block| {
                    b.body
                        .value("lb_protocol")
                        .and_then(Value::as_str)
                        .map(str::to_ascii_lowercase)
                };
                let listeners: Vec<_> = body.blocks("listener").collect();
                let secure = listeners
                    .iter()
                    .any(|l| matches!(protocol(l).as_deref(), Some("https" | "ssl")));
                if let Some(l) = listeners
                    .iter()
                    .find(|l| protocol(l).as_deref() == Some("http"))
                    .filter(|_| !secure)
                {
                    out.add(format!(
                        "classic load balancer `{name}` listens only on plain HTTP: no HTTPS listener"
                    ))
                    .at(at(l.line))
                    .fix("add an HTTPS listener with an ACM certificate (`lb_protocol = \"https\"`, `ssl_certificate_id`), or move to an ALB whose HTTP listener redirects to HTTPS")
                    .key(format!("{name} http listener"))
                    .emit();
                }
            }
            "google_compute_target_http_proxy" => {
                let Some(Value::Expr(map)) = body.value("url_map") else {
                    return Verdict::Checked;
                };
                // `google_compute_url_map.NAME.id` (or `.self_link`).
                let mut parts = map.split('.');
                let (Some("google_compute_url_map"), Some(map_name)) = (parts.next(), parts.next())
                else {
                    return Verdict::Checked;
                };
                let Some(url_map) = input
                    .ctx
                    .terraform
                    .resources
                    .iter()
                    .find(|m| m.kind == "google_compute_url_map" && m.name == map_name)
                else {
                    return Verdict::Checked;
                };
                let redirects = url_map
                    .body
                    .block("default_url_redirect")
                    .and_then(|b| b.body.value("https_redirect"))
                    .map(|v| v.as_bool() != Some(false));
                if redirects != Some(true) {
                    out.add(format!(
                        "HTTP proxy `{name}` serves plain HTTP through URL map `{map_name}`, which does not redirect to HTTPS"
                    ))
                    .at(r.location.clone())
                    .related(url_map.location.clone(), format!("URL map {map_name}"))
                    .fix("point the HTTP proxy at a URL map with `default_url_redirect { https_redirect = true }` and serve the app through a `google_compute_target_https_proxy`")
                    .key(format!("{name} http proxy"))
                    .emit();
                }
            }
            "azurerm_app_service"
            | "azurerm_linux_web_app"
            | "azurerm_windows_web_app"
            | "azurerm_function_app"
            | "azurerm_linux_function_app"
            | "azurerm_windows_function_app" => {
                let https_only = body.attribute("https_only");
                let off = match https_only {
                    None => true,
                    Some(a) => a.value.as_bool() == Some(false),
                };
                if off {
                    out.add(format!(
                        "`{name}` accepts plain HTTP: `https_only` is {}",
                        if https_only.is_some() {
                            "false"
                        } else {
                            "not set (false by default)"
                        }
                    ))
                    .at(https_only.map_or(r.location.clone(), |a| at(a.line)))
                    .fix("set `https_only = true` so the app redirects HTTP to HTTPS")
                    .key(format!("{name} https_only"))
                    .emit();
                }
            }
            "azurerm_storage_account" => {
                for key in ["enable_https_traffic_only", "https_traffic_only_enabled"] {
                    if let Some(a) = body.attribute(key) {
                        if a.value.as_bool() == Some(false) {
                            out.add(format!(
                                "storage account `{name}` accepts plain HTTP (`{key} = false`)"
                            ))
                            .at(at(a.line))
                            .fix(format!("set `{key} = true` (the default)"))
                            .key(format!("{name} {key}"))
                            .emit();
                        }
                    }
                }
            }
            _ => return Verdict::Skipped,
        }
        Verdict::Checked
    }

    fn helm_templates(
        &self,
        _input: &AuditInput<'_>,
        templates: &[String],
        _out: &mut Findings<'_>,
    ) -> Verdict {
        super::helm_not_rendered(templates)
    }

    fn kubernetes_object(
        &self,
        _input: &AuditInput<'_>,
        object: &K8sObject,
        out: &mut Findings<'_>,
    ) -> Verdict {
        // A kustomize patch is a partial object: what it leaves out, its base sets.
        if object.patch {
            return Verdict::Skipped;
        }
        let name = object.name.as_deref().unwrap_or("(unnamed)");
        if let Some(svc) = &object.exposed {
            if svc.service_type != "LoadBalancer" || svc.internal {
                return Verdict::Checked;
            }
            let ports: Vec<u32> = svc.ports.iter().filter_map(|p| p.port).collect();
            if ports.contains(&80) && !ports.contains(&443) && !svc.tls_annotation {
                out.add(format!(
                    "Service `{name}` puts a public load balancer on port 80 with no HTTPS port or certificate: traffic to it is plain HTTP"
                ))
                .at(svc.location.clone())
                .related(object.location.clone(), format!("Service {name}"))
                .fix("terminate TLS in front of it: an Ingress or Gateway with a certificate (and make this Service ClusterIP), or the cloud's TLS annotation on a port 443")
                .key(format!("Service {name} http"))
                .emit();
            }
            return Verdict::Checked;
        }
        if let Some(ingress) = &object.ingress {
            if !ingress.tls && !ingress.cert_annotation {
                out.add(format!(
                    "Ingress `{name}` has no `tls` section and no certificate annotation: it answers plain HTTP without a redirect, unless the controller forces HTTPS for every host"
                ))
                .demoted()
                .at(ingress.location.clone())
                .fix("add `spec.tls` with a certificate Secret (cert-manager can issue one), or the controller's certificate annotation, and redirect HTTP to HTTPS")
                .key(format!("Ingress {name} http"))
                .emit();
            }
            return Verdict::Checked;
        }
        Verdict::Skipped
    }

    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        for m in &input.scan.matches {
            let MatchKind::PlaintextUrl(scheme) = m.kind else {
                continue;
            };
            let (secure, scheme) = (scheme.secure(), scheme.id());
            out.add(format!("{scheme}:// to {} in {}", m.shown, m.location.path))
                .at(m.location.clone())
                .width(m.len as usize)
                .fix(format!("use {secure}://{} instead", m.shown))
                .key(format!("{scheme} {}", m.shown))
                .emit();
        }
        Verdict::Checked
    }
}
