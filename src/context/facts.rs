//! What one file tells discovery: a list of typed facts that analyzers append
//! to and [`super::assemble`] folds into the [`super::Context`]. No analyzer
//! reads or changes another's facts.

use super::model::{
    ComposeService, ConfigFile, DocFile, Dockerfile, EnvFile, EnvRead, Evidence, HelmChart,
    K8sObject, Kustomization, MonitorDef, PlatformHint, ProjectPlan, TerraformBlock,
    TerraformVariables, WorkflowFile,
};
use super::readme::ReadmeFacts;
use super::stack::Manifest;
use crate::model::Problem;

#[derive(Debug, Clone)]
pub enum Fact {
    /// The root README's name, summary and service mentions.
    Readme(ReadmeFacts),
    Plan(ProjectPlan),
    Config(ConfigFile),
    Doc(DocFile),
    /// An environment name (canonical or the repo's own) and why.
    Environment(String, Evidence),
    Manifest(Manifest),
    Dockerfile(Dockerfile),
    ComposeService(ComposeService),
    K8sObject(K8sObject),
    HelmChart(HelmChart),
    /// A Go-templated manifest inside a Helm chart (not rendered).
    HelmTemplate,
    Kustomization(Kustomization),
    TerraformProvider(TerraformBlock),
    TerraformResource(TerraformBlock),
    /// A `module` block; its kind is the module's `source`.
    TerraformModule(TerraformBlock),
    TerraformVariables(TerraformVariables),
    /// A `variable` block; its name is the variable's.
    TerraformInput(TerraformBlock),
    PlatformHint(PlatformHint),
    /// A service id (from [`super::services::CATALOG`]) and the evidence for it.
    Service(&'static str, Evidence),
    /// How the app uses a service: a role, or its own connection settings.
    ServiceUse(super::services::Usage),
    EnvRead(String, EnvRead),
    EnvFile(EnvFile),
    Workflow(WorkflowFile),
    Pipeline(crate::parse::pipeline::Pipeline),
    /// A CI system infra does not parse, by name.
    OtherCi(&'static str),
    /// An alert or dashboard defined as code.
    Monitor(MonitorDef),
    Problem(Problem),
    /// The file's text, when it is one rules and templates read again.
    Text(String),
}

/// The facts of one file, in the order analyzers found them.
#[derive(Debug, Clone, Default)]
pub struct Facts(Vec<Fact>);

impl Facts {
    pub fn push(&mut self, fact: Fact) {
        self.0.push(fact);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Fact> {
        self.0.iter()
    }

    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter_map(|f| match f {
            Fact::Problem(p) => Some(p),
            _ => None,
        })
    }
}

impl Extend<Fact> for Facts {
    fn extend<I: IntoIterator<Item = Fact>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl IntoIterator for Facts {
    type Item = Fact;
    type IntoIter = std::vec::IntoIter<Fact>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Test view: the facts sorted into one field per kind, so analyzer tests
/// can index them.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct Collected {
    pub readme: Option<ReadmeFacts>,
    pub plan: Option<ProjectPlan>,
    pub config: Option<ConfigFile>,
    pub doc: Option<DocFile>,
    pub environments: Vec<(String, Evidence)>,
    pub manifest: Option<Manifest>,
    pub dockerfile: Option<Dockerfile>,
    pub compose_services: Vec<ComposeService>,
    pub kubernetes: Vec<K8sObject>,
    pub helm_chart: Option<HelmChart>,
    pub helm_template: bool,
    pub kustomization: Option<Kustomization>,
    pub terraform_providers: Vec<TerraformBlock>,
    pub terraform_resources: Vec<TerraformBlock>,
    pub terraform_modules: Vec<TerraformBlock>,
    pub terraform_variables: Vec<TerraformVariables>,
    pub terraform_inputs: Vec<TerraformBlock>,
    pub platform_hints: Vec<PlatformHint>,
    pub services: Vec<(&'static str, Evidence)>,
    pub service_uses: Vec<super::services::Usage>,
    pub env_reads: Vec<(String, EnvRead)>,
    pub env_file: Option<EnvFile>,
    pub workflow: Option<WorkflowFile>,
    pub pipeline: Option<crate::parse::pipeline::Pipeline>,
    pub other_ci: Option<&'static str>,
    pub monitors: Vec<MonitorDef>,
    pub problems: Vec<Problem>,
    pub text: Option<String>,
}

#[cfg(test)]
impl Facts {
    pub fn collect(self) -> Collected {
        let mut c = Collected::default();
        for fact in self {
            match fact {
                Fact::Readme(x) => c.readme = Some(x),
                Fact::Plan(x) => c.plan = Some(x),
                Fact::Config(x) => c.config = Some(x),
                Fact::Doc(x) => c.doc = Some(x),
                Fact::Environment(n, e) => c.environments.push((n, e)),
                Fact::Manifest(x) => c.manifest = Some(x),
                Fact::Dockerfile(x) => c.dockerfile = Some(x),
                Fact::ComposeService(x) => c.compose_services.push(x),
                Fact::K8sObject(x) => c.kubernetes.push(x),
                Fact::HelmChart(x) => c.helm_chart = Some(x),
                Fact::HelmTemplate => c.helm_template = true,
                Fact::Kustomization(x) => c.kustomization = Some(x),
                Fact::TerraformProvider(x) => c.terraform_providers.push(x),
                Fact::TerraformResource(x) => c.terraform_resources.push(x),
                Fact::TerraformModule(x) => c.terraform_modules.push(x),
                Fact::TerraformVariables(x) => c.terraform_variables.push(x),
                Fact::TerraformInput(x) => c.terraform_inputs.push(x),
                Fact::PlatformHint(x) => c.platform_hints.push(x),
                Fact::Service(id, e) => c.services.push((id, e)),
                Fact::ServiceUse(u) => c.service_uses.push(u),
                Fact::EnvRead(n, r) => c.env_reads.push((n, r)),
                Fact::EnvFile(x) => c.env_file = Some(x),
                Fact::Workflow(x) => c.workflow = Some(x),
                Fact::Pipeline(x) => c.pipeline = Some(x),
                Fact::OtherCi(x) => c.other_ci = Some(x),
                Fact::Monitor(x) => c.monitors.push(x),
                Fact::Problem(x) => c.problems.push(x),
                Fact::Text(x) => c.text = Some(x),
            }
        }
        c
    }
}
