//! Vercel: serverless functions and static assets; staging is a preview deployment.
//! What infra knows about deploying here: commands, rollback, logs, metrics,
//! secrets and access, as the docs and workflows render them.

use super::{GhSetting, PlatformDef, PlatformFacts};

pub static PLATFORM: PlatformDef = PlatformDef {
    id: "vercel",
    name: "Vercel",
    aliases: &[],
    suggested_region: None,
    regions: &[],
    staging_is_preview: true,
    runtime_files: &[("vercel.json", "vercel.json.tera")],
    facts,
    hosting: |_, _| None,
};

fn facts(region: Option<String>, _slug: &str) -> PlatformFacts {
    let v = |name, purpose| GhSetting { name, purpose };
    PlatformFacts {
        id: PLATFORM.id,
        name: PLATFORM.name,
        region,
        runtime: "Vercel (serverless functions and static assets); staging is a preview deployment, production the production deployment",
        secrets_store: "Vercel Environment Variables, scoped per environment (Development, Preview, Production) and marked Sensitive",
        secrets_cmd: "vercel env add NAME production",
        auth: "a Vercel access token scoped to the team, stored as an environment secret (Vercel has no OIDC federation for deploys)",
        deploy_cmds: vec![
            "vercel pull --yes --environment=production --token \"$VERCEL_TOKEN\"".into(),
            "vercel build --prod --token \"$VERCEL_TOKEN\"".into(),
            "vercel deploy --prebuilt --prod --token \"$VERCEL_TOKEN\"".into(),
        ],
        rollback_list_cmd: "vercel ls --prod".into(),
        rollback_cmds: vec!["vercel rollback <previous-deployment-url> --yes --token \"$VERCEL_TOKEN\"".into()],
        logs: "the deployment's Logs tab (runtime logs), and a Log Drain for history",
        logs_cmd: "vercel logs <deployment-url>".into(),
        metrics: "Vercel Observability (function invocations, errors, duration) and Speed Insights",
        dashboards: "the project's Observability tab",
        alerting: "Vercel alerts (usage and error anomalies), or monitors on the log drain's destination, sent to the alert channel",
        zero_downtime: "every deploy is immutable; the production domain switches atomically once the new deployment is ready, and earlier deployments stay available for instant rollback",
        https: "Vercel serves HTTPS only with managed certificates",
        headers: "`vercel.json` `headers` (HSTS, CSP, X-Frame-Options, X-Content-Type-Options, Referrer-Policy)",
        access: "Deployment Protection on preview (staging) deployments; team roles for the dashboard",
        gh_vars: vec![v("VERCEL_ORG_ID", "team id"), v("VERCEL_PROJECT_ID", "project id")],
        gh_secrets: vec![v("VERCEL_TOKEN", "access token for deploys")],
        container: false,
        oidc: false,
    }
}
