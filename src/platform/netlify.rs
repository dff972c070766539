//! Netlify: static assets and Functions; staging is a branch deploy alias.
//! What infra knows about deploying here: commands, rollback, logs, metrics,
//! secrets and access, as the docs and workflows render them.

use super::{GhSetting, PlatformDef, PlatformFacts};

pub static PLATFORM: PlatformDef = PlatformDef {
    id: "netlify",
    name: "Netlify",
    aliases: &[],
    suggested_region: None,
    regions: &[],
    staging_is_preview: true,
    runtime_files: &[("netlify.toml", "netlify.toml.tera")],
    facts,
    hosting: |_, _| None,
};

fn facts(region: Option<String>, _slug: &str) -> PlatformFacts {
    let v = |name, purpose| GhSetting { name, purpose };
    PlatformFacts {
        id: PLATFORM.id,
        name: PLATFORM.name,
        region,
        runtime: "Netlify (static assets and Functions); staging is a branch deploy alias, production the published deploy",
        secrets_store: "Netlify environment variables scoped by deploy context (production, branch-deploy) and marked secret",
        secrets_cmd: "netlify env:set NAME <value> --context production --secret",
        auth: "a Netlify personal access token stored as an environment secret (Netlify has no OIDC federation for deploys)",
        deploy_cmds: vec!["netlify deploy --build --prod --site \"$NETLIFY_SITE_ID\"".into()],
        rollback_list_cmd: "netlify api listSiteDeploys --data '{\"site_id\": \"<site-id>\"}'".into(),
        rollback_cmds: vec!["netlify api restoreSiteDeploy --data '{\"site_id\": \"<site-id>\", \"deploy_id\": \"<previous-deploy-id>\"}'".into()],
        logs: "the site's Deploys page (build logs) and Logs > Functions (function logs), with a log drain for history",
        logs_cmd: "netlify logs:function <name>".into(),
        metrics: "Netlify Analytics and the function metrics on the site's Logs & Metrics pages",
        dashboards: "the site's Analytics and Observability pages",
        alerting: "deploy notifications and a monitor on the log drain's destination, sent to the alert channel",
        zero_downtime: "deploys are atomic: the new deploy is published only when fully uploaded, and every earlier deploy can be published again instantly",
        https: "Netlify serves HTTPS with managed certificates; enable Force HTTPS",
        headers: "`netlify.toml` `[[headers]]` (HSTS, CSP, X-Frame-Options, X-Content-Type-Options, Referrer-Policy)",
        access: "password or SSO protection on branch deploys (staging); team roles for the dashboard",
        gh_vars: vec![v("NETLIFY_SITE_ID", "site id")],
        gh_secrets: vec![v("NETLIFY_AUTH_TOKEN", "personal access token for deploys")],
        container: false,
        oidc: false,
    }
}
