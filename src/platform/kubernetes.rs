//! Kubernetes: a Deployment per namespace behind a Service and an Ingress.
//! What infra knows about deploying here: commands, rollback, logs, metrics,
//! secrets and access, as the docs and workflows render them.

use super::{GhSetting, PlatformDef, PlatformFacts};

pub static PLATFORM: PlatformDef = PlatformDef {
    id: "kubernetes",
    name: "Kubernetes",
    aliases: &["k8s"],
    suggested_region: None,
    regions: &[],
    staging_is_preview: false,
    runtime_files: &[],
    facts,
    hosting: |_, _| None,
};

fn facts(region: Option<String>, _slug: &str) -> PlatformFacts {
    let v = |name, purpose| GhSetting { name, purpose };
    PlatformFacts {
        id: PLATFORM.id,
        name: PLATFORM.name,
        region,
        runtime: "a Deployment per environment (namespace per environment) behind a Service and an Ingress; images in GitHub Container Registry",
        secrets_store: "Kubernetes Secrets (sealed or synced from a cloud secret manager with External Secrets), mounted as environment variables",
        secrets_cmd: "kubectl create secret generic <app>-env --namespace <namespace> --from-literal=NAME=<value>",
        auth: "a kubeconfig for a namespace-scoped deploy ServiceAccount, stored as an environment secret (use your cloud's OIDC federation instead where the cluster supports it)",
        deploy_cmds: vec![
            "kubectl --namespace <namespace> set image deployment/<app> app=ghcr.io/<owner>/<app>:$GITHUB_SHA".into(),
            "kubectl --namespace <namespace> rollout status deployment/<app> --timeout=5m".into(),
        ],
        rollback_list_cmd: "kubectl --namespace <namespace> rollout history deployment/<app>".into(),
        rollback_cmds: vec![
            "kubectl --namespace <namespace> rollout undo deployment/<app>".into(),
            "kubectl --namespace <namespace> rollout status deployment/<app> --timeout=5m".into(),
        ],
        logs: "`kubectl logs` for live pods, and the cluster's log pipeline (e.g. Loki, CloudWatch, Cloud Logging) for history",
        logs_cmd: "kubectl --namespace <namespace> logs deployment/<app> --since=15m".into(),
        metrics: "Prometheus (kube-state-metrics and cAdvisor: `container_cpu_usage_seconds_total`, `container_memory_working_set_bytes`, `kube_deployment_status_replicas_unavailable`) plus the app's own request metrics",
        dashboards: "Grafana dashboards per namespace",
        alerting: "Prometheus alerting rules routed by Alertmanager to the alert channel",
        zero_downtime: "RollingUpdate with `maxUnavailable: 0` and `maxSurge: 1`, readiness probes gating traffic, a PodDisruptionBudget, and at least two replicas in production",
        https: "the Ingress terminates TLS with certificates from cert-manager; HTTP redirects to HTTPS",
        headers: "set by the application or the ingress controller's response headers",
        access: "NetworkPolicies allow only the Ingress to reach the app and only the app to reach its data stores; namespace-scoped RBAC",
        gh_vars: vec![v("K8S_NAMESPACE", "namespace of the environment"), v("K8S_DEPLOYMENT", "Deployment name")],
        gh_secrets: vec![v("KUBE_CONFIG", "kubeconfig of a namespace-scoped deploy ServiceAccount")],
        container: true,
        oidc: false,
    }
}
