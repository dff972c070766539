//! AWS: ECS on Fargate behind an ALB, images in ECR, OIDC to an IAM role.
//! What infra knows about deploying here: commands, rollback, logs, metrics,
//! secrets and access, as the docs and workflows render them.

use super::{is_sql, GhSetting, Hosting, PlatformDef, PlatformFacts};
use crate::model::ServiceKind;

pub static PLATFORM: PlatformDef = PlatformDef {
    id: "aws",
    name: "AWS",
    aliases: &[],
    suggested_region: Some("us-east-1"),
    // The regions `platform.region` accepts. When the provider opens one,
    // add it here: this list is the only place infra knows regions from.
    #[rustfmt::skip]
    regions: &[
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "af-south-1",
        "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
        "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
        "eu-south-1", "eu-south-2", "eu-north-1",
        "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
        "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
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
        runtime: "Amazon ECS on Fargate behind an Application Load Balancer; images in Amazon ECR",
        secrets_store: "AWS Secrets Manager, referenced from the ECS task definition's `secrets`",
        secrets_cmd: "aws secretsmanager create-secret --name <app>/<env>/<NAME> --secret-string <value>",
        auth: "GitHub OIDC federation to an IAM role (`AWS_DEPLOY_ROLE_ARN`), no long-lived keys",
        deploy_cmds: vec![
            "docker build -t \"$ECR_REPOSITORY:$GITHUB_SHA\" . && docker push \"$ECR_REPOSITORY:$GITHUB_SHA\"".into(),
            "aws ecs describe-task-definition --task-definition <service> --query taskDefinition > task.json".into(),
            "# set the container image to the new tag, then register it".into(),
            "aws ecs register-task-definition --cli-input-json file://task-new.json".into(),
            "aws ecs update-service --cluster <cluster> --service <service> --task-definition <new-arn>".into(),
            "aws ecs wait services-stable --cluster <cluster> --services <service>".into(),
        ],
        rollback_list_cmd: "aws ecs list-task-definitions --family-prefix <service> --sort DESC --max-items 5".into(),
        rollback_cmds: vec![
            "aws ecs update-service --cluster <cluster> --service <service> --task-definition <service>:<previous-revision>".into(),
            "aws ecs wait services-stable --cluster <cluster> --services <service>".into(),
        ],
        logs: "CloudWatch Logs, log group `/ecs/<service>` (awslogs driver)",
        logs_cmd: "aws logs tail /ecs/<service> --follow --since 15m".into(),
        metrics: "CloudWatch: `AWS/ECS` CPUUtilization and MemoryUtilization per service, `AWS/ApplicationELB` HTTPCode_Target_5XX_Count, RequestCount, TargetResponseTime and UnHealthyHostCount",
        dashboards: "a CloudWatch dashboard per environment with the ALB and ECS metrics above",
        alerting: "CloudWatch alarms publishing to an SNS topic that forwards to the alert channel",
        zero_downtime: "ECS rolling deployments with `minimumHealthyPercent: 100` and `maximumPercent: 200`: new tasks must pass the ALB health check before old ones drain; the deployment circuit breaker rolls back automatically when new tasks keep failing",
        https: "the ALB listens on 443 with an ACM certificate; port 80 only redirects to HTTPS",
        headers: "set by the application (e.g. helmet for Express) or a CloudFront response headers policy",
        access: "the ECS tasks run in private subnets; only the ALB is public; databases accept connections only from the tasks' security group; console access through IAM Identity Center",
        gh_vars: vec![
            v("AWS_DEPLOY_ROLE_ARN", "IAM role the deploy job assumes through OIDC"),
            v("AWS_REGION", "region of the cluster"),
            v("ECR_REPOSITORY", "ECR repository URI for the image"),
            v("ECS_CLUSTER", "ECS cluster name"),
            v("ECS_SERVICE", "ECS service name (its task definition family has the same name)"),
        ],
        gh_secrets: vec![],
        container: true,
        oidc: true,
    }
}

fn hosting(id: &str, kind: ServiceKind) -> Option<Hosting> {
    Some(match kind {
        ServiceKind::Database if is_sql(id) => Hosting::new(
            "Amazon RDS (Multi-AZ in production)",
            "RDS automated backups (point-in-time recovery) plus a daily manual snapshot",
            "`aws rds restore-db-instance-to-point-in-time --source-db-instance-identifier <db> --target-db-instance-identifier <db>-restore --restore-time <UTC time>`, then point `DATABASE_URL` at the restored instance",
        ),
        ServiceKind::Cache => Hosting::cache("Amazon ElastiCache"),
        _ => return None,
    })
}
