//! Azure: Container Apps in multiple-revision mode, ACR, OIDC to Entra ID.
//! What infra knows about deploying here: commands, rollback, logs, metrics,
//! secrets and access, as the docs and workflows render them.

use super::{is_sql, GhSetting, Hosting, PlatformDef, PlatformFacts};
use crate::model::ServiceKind;

pub static PLATFORM: PlatformDef = PlatformDef {
    id: "azure",
    name: "Azure",
    aliases: &[],
    suggested_region: Some("eastus"),
    // The regions `platform.region` accepts. When the provider opens one,
    // add it here: this list is the only place infra knows regions from.
    #[rustfmt::skip]
    regions: &[
        "eastus", "eastus2", "centralus", "northcentralus", "southcentralus", "westcentralus",
        "westus", "westus2", "westus3",
        "canadacentral", "canadaeast", "brazilsouth", "brazilsoutheast", "mexicocentral", "chilecentral",
        "northeurope", "westeurope", "uksouth", "ukwest", "francecentral", "francesouth",
        "germanywestcentral", "germanynorth", "switzerlandnorth", "switzerlandwest",
        "norwayeast", "norwaywest", "swedencentral", "polandcentral", "italynorth",
        "spaincentral", "belgiumcentral", "austriaeast",
        "uaenorth", "uaecentral", "qatarcentral", "israelcentral",
        "southafricanorth", "southafricawest",
        "centralindia", "southindia", "westindia", "jioindiawest", "jioindiacentral",
        "eastasia", "southeastasia", "japaneast", "japanwest", "koreacentral", "koreasouth",
        "australiaeast", "australiasoutheast", "australiacentral", "australiacentral2",
        "newzealandnorth", "indonesiacentral", "malaysiawest",
    ],
    staging_is_preview: false,
    runtime_files: &[],
    facts,
    hosting,
};

fn facts(region: Option<String>, _slug: &str) -> PlatformFacts {
    let v = |name, purpose| GhSetting { name, purpose };
    PlatformFacts {
        id: PLATFORM.id,
        name: PLATFORM.name,
        region,
        runtime: "Azure Container Apps in multiple-revision mode; images in Azure Container Registry",
        secrets_store: "Azure Key Vault, referenced from Container Apps secrets",
        secrets_cmd: "az keyvault secret set --vault-name <vault> --name <NAME> --value <value>",
        auth: "GitHub OIDC federation to a Microsoft Entra app registration (federated credential), no client secrets",
        deploy_cmds: vec![
            "az acr build --registry <registry> --image <app>:$GITHUB_SHA .".into(),
            "az containerapp update --name <app> --resource-group <rg> --image <registry>.azurecr.io/<app>:$GITHUB_SHA".into(),
        ],
        rollback_list_cmd: "az containerapp revision list --name <app> --resource-group <rg> -o table".into(),
        rollback_cmds: vec!["az containerapp ingress traffic set --name <app> --resource-group <rg> --revision-weight <previous-revision>=100".into()],
        logs: "Log Analytics workspace linked to the Container Apps environment (`ContainerAppConsoleLogs_CL`)",
        logs_cmd: "az containerapp logs show --name <app> --resource-group <rg> --follow".into(),
        metrics: "Azure Monitor metrics for the container app: Requests (by status code), ResponseTime, CpuPercentage (UsageNanoCores), MemoryPercentage (WorkingSetBytes), RestartCount",
        dashboards: "an Azure Monitor workbook or portal dashboard per environment",
        alerting: "Azure Monitor alert rules with an action group for the alert channel",
        zero_downtime: "each deploy creates a new revision; traffic moves to it only once it is healthy, and earlier revisions stay available for an instant switch back",
        https: "Container Apps ingress serves HTTPS with managed certificates; `allowInsecure` stays false",
        headers: "set by the application (e.g. helmet for Express) or Azure Front Door rules",
        access: "internal services use internal ingress; databases use private endpoints; access through Entra ID roles",
        gh_vars: vec![
            v("AZURE_CLIENT_ID", "client id of the app registration with the federated credential"),
            v("AZURE_TENANT_ID", "tenant id"),
            v("AZURE_SUBSCRIPTION_ID", "subscription id"),
            v("AZURE_RESOURCE_GROUP", "resource group of the container app"),
            v("ACR_NAME", "container registry name"),
            v("CONTAINER_APP", "container app name"),
        ],
        gh_secrets: vec![],
        container: true,
        oidc: true,
    }
}

fn hosting(id: &str, kind: ServiceKind) -> Option<Hosting> {
    Some(match kind {
        ServiceKind::Database if is_sql(id) => Hosting::new(
            "Azure Database (Flexible Server, zone-redundant HA in production)",
            "Flexible Server automated backups with point-in-time restore",
            "`az postgres flexible-server restore --resource-group <rg> --name <server>-restore --source-server <server> --restore-time <UTC time>`",
        ),
        ServiceKind::Cache => Hosting::cache("Azure Cache for Redis"),
        _ => return None,
    })
}
