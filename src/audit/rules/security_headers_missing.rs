//! security-headers-missing: a web service whose responses carry no HSTS,
//! CSP or X-Frame-Options, by what its code, dependencies, platform and
//! proxy configuration show (checklist §5.2, a SHOULD).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, ClassPolicy, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{
    deployment_config, repository_library, runtime_dependency, stack_folder, under, web_stacks,
};
use crate::context::Stack;
use crate::platform::Platform;
use crate::scan::MatchKind;

crate::declare_rule!(
    SecurityHeadersMissing,
    RuleMeta {
        id: "security-headers-missing",
        section: "5.2",
        level: Level::Warning,
        confidence: Confidence::Medium,
        description: "Web services send security headers (HSTS, CSP, X-Frame-Options)",
        applies: "to stacks that serve HTTP to browsers or users (a server framework, or Next.js, Nuxt, SvelteKit, Astro or Remix among their runtime dependencies)",
        rationale: "Checklist §5.2: use secure headers (HSTS, CSP, X-Frame-Options) when applicable. Without HSTS a browser may still reach the site over plain HTTP once; without a Content-Security-Policy an injected script runs with the page's rights; without X-Frame-Options or `frame-ancestors` the page can be framed for clickjacking.",
        detection: "Per web stack, three header families are looked for. Evidence for a family: a source or configuration file under the stack's folder (not a manifest or lockfile: a listed package may be unused) that names the header or its setting (`Strict-Transport-Security`, `hsts`, `SECURE_HSTS_SECONDS`, `UseHsts`, Rails' `config.force_ssl`, `stsSeconds`; `Content-Security-Policy`, `content_security_policy`, django-csp's `CSP_DEFAULT_SRC`; `X-Frame-Options`, `X_FRAME_OPTIONS`, Django's `XFrameOptionsMiddleware`, `frameOptions`, `frameDeny`, `frame-ancestors`), or a deployment file anywhere that does (nginx `add_header`, Caddyfile, vercel.json `headers`, netlify.toml `[[headers]]`, `_headers`, firebase.json, ingress annotations, Traefik headers middleware, Terraform); middleware that sets all three (helmet, Flask-Talisman, secure_headers, NWebsec, unrolled/secure, gin-contrib/secure) named in code; Spring Security among the dependencies (HSTS and X-Frame-Options by default); Rails (X-Frame-Options by default); Vercel or Netlify as the platform, or a Vercel-only package such as @vercel/analytics (HSTS by default). A stack another stack of the repository depends on is its library, not a service, and is not checked. Lines that are comments do not count. One finding per stack, at its manifest, naming the missing families and what was found; one level lower than a MUST because the checklist says SHOULD and headers a CDN or load balancer adds are not seen.",
        fix: "set the missing headers where responses leave: middleware (helmet for Express, Flask-Talisman, django-csp with `SECURE_HSTS_SECONDS`, Rails' `config.force_ssl` and CSP initializer, Spring Security `headers()`, `UseHsts` and NWebsec for ASP.NET), the platform's header file (vercel.json `headers`, netlify.toml `[[headers]]`) or the reverse proxy (`add_header Strict-Transport-Security …` in nginx); `infra init` renders the platform file with all three for Vercel and Netlify",
        fixed_by_init: false,
        fail_example: "package.json: express, no helmet; no header set in code, proxy or platform files",
        pass_example: "package.json: express, helmet; src/app.js: app.use(helmet())",
    }
);

/// The header families, as reports name them.
const FAMILIES: &[(&str, &str)] = &[
    ("hsts", "HSTS (Strict-Transport-Security)"),
    ("csp", "Content-Security-Policy"),
    ("frame", "X-Frame-Options or frame-ancestors"),
];

/// Spring Security: HSTS (over HTTPS) and X-Frame-Options by default.
const SPRING_SECURITY: &[&str] = &[
    "org.springframework.boot:spring-boot-starter-security",
    "org.springframework.security:",
];

/// Packages that work only on Vercel: the stack is hosted there.
const VERCEL_ONLY: &[&str] = &["@vercel/analytics", "@vercel/speed-insights"];

/// What shows each family for one stack: (family, evidence).
fn evidence(input: &AuditInput<'_>, stack: &Stack, framework: &str) -> Vec<(&'static str, String)> {
    let mut found: Vec<(&'static str, String)> = Vec::new();
    let mut add = |family: &'static str, what: String| {
        let families: Vec<&'static str> = if family == "all" {
            FAMILIES.iter().map(|(f, _)| *f).collect()
        } else {
            vec![family]
        };
        for f in families {
            if !found.iter().any(|(g, _)| *g == f) {
                found.push((f, what.clone()));
            }
        }
    };
    for m in &input.scan.matches {
        let MatchKind::SecurityHeader(family) = m.kind else {
            continue;
        };
        let path = &m.location.path;
        if under(&stack.dir, path) || deployment_config(path) {
            add(
                family,
                format!("`{}` in {}:{}", m.shown, path, m.location.line),
            );
        }
    }
    if let Some(dep) = runtime_dependency(stack, SPRING_SECURITY) {
        let what = format!("Spring Security ({dep}) with its default headers");
        add("hsts", what.clone());
        add("frame", what);
    }
    if framework == "rails" {
        add("frame", "Rails' default X-Frame-Options header".into());
    }
    if let Some(dep) = runtime_dependency(stack, VERCEL_ONLY) {
        add(
            "hsts",
            format!("{dep}, so Vercel, which sends HSTS by default"),
        );
    }
    if let Some(p) = input.ctx.platform_hints.iter().find_map(|h| {
        h.platform
            .filter(|p| matches!(p, Platform::Vercel | Platform::Netlify))
    }) {
        add(
            "hsts",
            format!("{}, which sends HSTS by default", p.def().name),
        );
    }
    found
}

impl Rule for SecurityHeadersMissing {
    fn class_policy(&self) -> ClassPolicy {
        super::DEPLOYED_ONLY
    }

    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let stacks = web_stacks(input.ctx, input.scan);
        if stacks.is_empty() {
            return Verdict::NotApplicable(
                "no stack serves HTTP (no server framework, Next.js, Nuxt, SvelteKit, Astro or Remix)".into(),
            );
        }
        for (stack, framework) in stacks {
            if repository_library(input.ctx, stack) {
                continue;
            }
            let found = evidence(input, stack, framework);
            let missing: Vec<&str> = FAMILIES
                .iter()
                .filter(|(f, _)| !found.iter().any(|(g, _)| g == f))
                .map(|(_, name)| *name)
                .collect();
            if missing.is_empty() {
                continue;
            }
            let folder = stack_folder(stack);
            let found_text = if found.is_empty() {
                "no security header".to_string()
            } else {
                found
                    .iter()
                    .map(|(f, what)| {
                        let name = FAMILIES
                            .iter()
                            .find(|(g, _)| g == f)
                            .map_or(*f, |(_, n)| *n);
                        format!("{name} from {what}")
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            out.add(format!(
                "the {framework} service in {folder} sends no {}: found {found_text}",
                missing.join(", no ")
            ))
            .at_file(&stack.manifest)
            .evidence(format!(
                "found: {found_text}; not found: {} in its code, dependencies, proxy, ingress or platform files",
                missing.join(", ")
            ))
            .key(format!("headers {}", stack.manifest))
            .emit();
        }
        Verdict::Checked
    }
}
