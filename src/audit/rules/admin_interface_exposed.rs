//! admin-interface-exposed: remote shells, databases, caches, queues and
//! cluster control planes are not reachable from the whole internet
//! (checklist §5.2, restrict access to admin interfaces and internal
//! services).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, ClassPolicy, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::context::model::{K8sObject, TerraformBlock};
use crate::context::services;
use crate::model::{Location, ServiceKind};
use crate::parse::terraform::{Body, Value};

crate::declare_rule!(
    AdminInterfaceExposed,
    RuleMeta {
        id: "admin-interface-exposed",
        section: "5.2",
        level: Level::Error,
        confidence: Confidence::High,
        description: "Remote shells, databases and cluster control planes are not open to the internet",
        applies: "when the repository has Terraform, Kubernetes Services of type LoadBalancer or NodePort, or production compose files",
        rationale: "Checklist §5.2: restrict access to admin interfaces and internal services. An SSH, RDP or database port open to 0.0.0.0/0 is found by internet-wide scanners within minutes and brute-forced from then on; a public database or control plane turns one leaked password into a breach.",
        detection: "Terraform: ingress open to `0.0.0.0/0` or `::/0` (AWS `aws_security_group` ingress blocks or list, `aws_security_group_rule` of type ingress, `aws_vpc_security_group_ingress_rule`; GCP `google_compute_firewall` ingress with `source_ranges`; Azure `azurerm_network_security_rule` and `security_rule` blocks that allow inbound from `*`, `Internet`, `Any` or `0.0.0.0/0`) whose port range holds an admin or data port: SSH 22, Telnet 23, RDP 3389, VNC 5900, SQL Server 1433, Oracle 1521, MySQL 3306, PostgreSQL 5432, MongoDB 27017, Redis 6379, Elasticsearch 9200/9300, CouchDB 5984, Cassandra 9042, InfluxDB 8086, Memcached 11211, ZooKeeper 2181, Kafka 9092, AMQP 5672, RabbitMQ management 15672, Docker API 2375/2376, etcd 2379/2380, Kubernetes API 6443, kubelet 10250, Consul 8500 (all protocols or all ports count); `publicly_accessible = true` on RDS, Redshift and DMS instances; Cloud SQL authorized networks of `0.0.0.0/0`; Azure database and Redis firewall rules from 0.0.0.0 to 255.255.255.255; EKS clusters whose endpoint is public (the provider's default) with no `public_access_cidrs` narrower than the internet; AKS clusters neither private nor limited to authorized IP ranges; GKE clusters without a private endpoint whose master authorized networks are missing or include `0.0.0.0/0`; the `terraform-aws-modules/eks` module with `cluster_endpoint_public_access = true` and no narrower CIDRs. Values computed from variables are not judged. Kubernetes: Services of type LoadBalancer or NodePort, not made internal by a cloud annotation and without `loadBalancerSourceRanges` narrower than the internet, that expose one of those ports or select a database, cache or queue workload by name. Compose: services of a production compose file (a name with `prod`) that publish a database, cache or queue port on every host address (not `127.0.0.1:`). Kustomize patch files are read like any manifest (a patch that opens a port opens it). Helm templates are not rendered: when the repository has any, the rule is unknown unless it found something, and the reason names them.",
        fix: "allow the port only from the addresses that need it (a bastion, a VPN range, the office), or put the service behind a private network; make databases private; enable private cluster endpoints or authorized IP ranges",
        fixed_by_init: false,
        fail_example: "resource \"aws_security_group\" \"db\" {\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}",
        pass_example: "resource \"aws_security_group\" \"db\" {\n  ingress {\n    from_port       = 5432\n    to_port         = 5432\n    protocol        = \"tcp\"\n    security_groups = [aws_security_group.app.id]\n  }\n}",
    }
);

/// Ports that give a shell, a desktop, data or control of a system.
const ADMIN_PORTS: &[(u32, &str)] = &[
    (22, "SSH"),
    (23, "Telnet"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (2181, "ZooKeeper"),
    (2375, "Docker API"),
    (2376, "Docker API"),
    (2379, "etcd"),
    (2380, "etcd"),
    (3306, "MySQL"),
    (3389, "RDP"),
    (5432, "PostgreSQL"),
    (5672, "AMQP"),
    (5900, "VNC"),
    (5984, "CouchDB"),
    (6379, "Redis"),
    (6443, "Kubernetes API"),
    (8086, "InfluxDB"),
    (8500, "Consul"),
    (9042, "Cassandra"),
    (9092, "Kafka"),
    (9200, "Elasticsearch"),
    (9300, "Elasticsearch"),
    (10250, "kubelet"),
    (11211, "Memcached"),
    (15672, "RabbitMQ management"),
    (27017, "MongoDB"),
];

/// Workload names that say "data store" when a Service selects them.
const DATA_WORDS: &[&str] = &[
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "mongo",
    "mongodb",
    "redis",
    "memcached",
    "elasticsearch",
    "opensearch",
    "rabbitmq",
    "kafka",
    "zookeeper",
    "cassandra",
    "etcd",
    "db",
    "database",
];

/// An address range that is the whole internet.
fn is_anywhere(source: &str) -> bool {
    matches!(
        source.trim().to_ascii_lowercase().as_str(),
        "0.0.0.0/0" | "::/0" | "*" | "internet" | "any"
    )
}

/// What a port range opens: every port, or the admin ports it holds.
enum Opens {
    All,
    Some(Vec<(u32, &'static str)>),
}

impl Opens {
    fn of(from: u32, to: u32) -> Opens {
        if from == 0 && to >= 65535 {
            return Opens::All;
        }
        Opens::Some(
            ADMIN_PORTS
                .iter()
                .copied()
                .filter(|(p, _)| (from..=to).contains(p))
                .collect(),
        )
    }

    fn describe(&self) -> Option<String> {
        match self {
            Opens::All => Some("every port".to_string()),
            Opens::Some(ports) if ports.is_empty() => None,
            Opens::Some(ports) => Some(
                ports
                    .iter()
                    .map(|(p, name)| format!("{name} ({p})"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        }
    }
}

/// `"22"`, `"1000-2000"`, `"*"`; `None` when computed or not a port.
fn port_range(spec: &str) -> Option<(u32, u32)> {
    let spec = spec.trim();
    if spec == "*" {
        return Some((0, 65535));
    }
    match spec.split_once('-') {
        Some((a, b)) => Some((a.trim().parse().ok()?, b.trim().parse().ok()?)),
        None => spec.parse().ok().map(|p| (p, p)),
    }
}

/// A numeric attribute (`from_port = 22`, `"22"`).
fn number(v: Option<&Value>) -> Option<u32> {
    v.and_then(Value::as_f64)
        .filter(|n| *n >= 0.0)
        .map(|n| n as u32)
}

/// The port range an AWS rule opens (`protocol = "-1"` is every port).
fn aws_range(
    protocol: Option<&Value>,
    from: Option<&Value>,
    to: Option<&Value>,
) -> Option<(u32, u32)> {
    let protocol = protocol.and_then(Value::as_str).unwrap_or("tcp");
    if protocol == "-1" || protocol.eq_ignore_ascii_case("all") {
        return Some((0, 65535));
    }
    // ICMP has types, not ports: `from_port = 0` there is an echo reply.
    if matches!(
        protocol.to_ascii_lowercase().as_str(),
        "icmp" | "icmpv6" | "1" | "58"
    ) {
        return None;
    }
    let from = number(from)?;
    let to = number(to).unwrap_or(from);
    // An AWS rule of `0`–`0` over TCP is an unusual way to write "all".
    Some(if from == 0 && to == 0 {
        (0, 65535)
    } else {
        (from, to)
    })
}

/// The open sources in a CIDR list attribute.
fn open_sources(body: &Body, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .filter_map(|k| body.value(k))
        .flat_map(|v| v.strings())
        .filter(|s| is_anywhere(s))
        .map(str::to_string)
        .collect()
}

/// One world-open rule found in a resource.
struct Exposure {
    line: u32,
    what: String,
    key: String,
}

/// One finding for every range a rule opens to `source` (`None`: no admin port).
fn exposure(line: u32, verb: &str, source: &str, ranges: &[(u32, u32)]) -> Option<Exposure> {
    let opened: Vec<String> = ranges
        .iter()
        .filter_map(|(from, to)| Opens::of(*from, *to).describe())
        .collect();
    if opened.is_empty() {
        return None;
    }
    let keys: Vec<String> = ranges.iter().map(|(f, t)| format!("{f}-{t}")).collect();
    Some(Exposure {
        line,
        what: format!("{verb} from {source} to {}", opened.join(", ")),
        key: format!("{} {source}", keys.join(",")),
    })
}

impl AdminInterfaceExposed {
    fn aws_ingress(&self, body: &Body, line: u32, found: &mut Vec<Exposure>) {
        let open = open_sources(body, &["cidr_blocks", "ipv6_cidr_blocks"]);
        let Some(source) = open.first() else {
            return;
        };
        let Some((from, to)) = aws_range(
            body.value("protocol"),
            body.value("from_port"),
            body.value("to_port"),
        ) else {
            return;
        };
        found.extend(exposure(line, "ingress", source, &[(from, to)]));
    }

    /// An object of an `ingress = [{…}]` list, read like a block.
    fn aws_ingress_object(&self, v: &Value, line: u32, found: &mut Vec<Exposure>) {
        let Value::Object(entries) = v else {
            return;
        };
        let body = Body {
            attributes: entries
                .iter()
                .map(|e| crate::parse::terraform::Attribute {
                    key: e.key.clone(),
                    value: e.value.clone(),
                    line: e.line,
                })
                .collect(),
            blocks: Vec::new(),
        };
        self.aws_ingress(&body, line, found);
    }

    fn exposures(&self, r: &TerraformBlock) -> Vec<Exposure> {
        let body = &r.body;
        let line = r.location.line;
        let mut found = Vec::new();
        match r.kind.as_str() {
            "aws_security_group" => {
                for b in body.blocks("ingress") {
                    self.aws_ingress(&b.body, b.line, &mut found);
                }
                if let Some(a) = body.attribute("ingress") {
                    if let Value::Array(items) = &a.value {
                        for item in items {
                            self.aws_ingress_object(item, a.line, &mut found);
                        }
                    }
                }
            }
            "aws_security_group_rule"
                if body.value("type").and_then(Value::as_str) == Some("ingress") =>
            {
                self.aws_ingress(body, line, &mut found);
            }
            "aws_vpc_security_group_ingress_rule" => {
                let open: Vec<_> = ["cidr_ipv4", "cidr_ipv6"]
                    .iter()
                    .filter_map(|k| body.value(k).and_then(Value::as_str))
                    .filter(|s| is_anywhere(s))
                    .collect();
                if let (Some(source), Some((from, to))) = (
                    open.first(),
                    aws_range(
                        body.value("ip_protocol"),
                        body.value("from_port"),
                        body.value("to_port"),
                    ),
                ) {
                    found.extend(exposure(line, "ingress", source, &[(from, to)]));
                }
            }
            "google_compute_firewall" => self.gcp_firewall(body, &mut found),
            "azurerm_network_security_rule" => self.azure_rule(body, line, &mut found),
            "azurerm_network_security_group" => {
                for b in body.blocks("security_rule") {
                    self.azure_rule(&b.body, b.line, &mut found);
                }
            }
            "aws_db_instance"
            | "aws_rds_cluster_instance"
            | "aws_redshift_cluster"
            | "aws_dms_replication_instance" => {
                if let Some(a) = body.attribute("publicly_accessible") {
                    if a.value.as_bool() == Some(true) {
                        found.push(Exposure {
                            line: a.line,
                            what: "the database is publicly accessible (`publicly_accessible = true`): it gets a public address".to_string(),
                            key: "publicly_accessible".to_string(),
                        });
                    }
                }
            }
            "google_sql_database_instance" => {
                let networks = body
                    .block("settings")
                    .and_then(|s| s.body.block("ip_configuration"))
                    .map(|ip| ip.body.blocks("authorized_networks").collect::<Vec<_>>())
                    .unwrap_or_default();
                for n in networks {
                    if let Some(v) = n.body.value("value").and_then(Value::as_str) {
                        if is_anywhere(v) {
                            found.push(Exposure {
                                line: n.line,
                                what: format!("Cloud SQL accepts connections from {v} (an authorized network of the whole internet)"),
                                key: "authorized_networks".to_string(),
                            });
                        }
                    }
                }
            }
            kind if kind.starts_with("azurerm_") && kind.ends_with("_firewall_rule") => {
                let start = ["start_ip_address", "start_ip"]
                    .iter()
                    .find_map(|k| body.value(k).and_then(Value::as_str));
                let end = ["end_ip_address", "end_ip"]
                    .iter()
                    .find_map(|k| body.value(k).and_then(Value::as_str));
                if start == Some("0.0.0.0") && end == Some("255.255.255.255") {
                    found.push(Exposure {
                        line,
                        what: "the firewall rule admits every IPv4 address (0.0.0.0 to 255.255.255.255)".to_string(),
                        key: "all addresses".to_string(),
                    });
                }
            }
            "aws_eks_cluster" => self.eks(body, line, &mut found),
            "azurerm_kubernetes_cluster" => self.aks(body, line, &mut found),
            "google_container_cluster" => self.gke(body, line, &mut found),
            _ => {}
        }
        found
    }

    fn gcp_firewall(&self, body: &Body, found: &mut Vec<Exposure>) {
        let direction = body
            .value("direction")
            .and_then(Value::as_str)
            .unwrap_or("INGRESS");
        if !direction.eq_ignore_ascii_case("INGRESS")
            || body.value("disabled").and_then(Value::as_bool) == Some(true)
        {
            return;
        }
        let open = open_sources(body, &["source_ranges"]);
        let Some(source) = open.first() else {
            return;
        };
        for allow in body.blocks("allow") {
            let protocol = allow
                .body
                .value("protocol")
                .and_then(Value::as_str)
                .unwrap_or("");
            let ports = allow.body.value("ports");
            let ranges: Vec<(u32, u32)> = match ports {
                // No ports: every port of the protocol.
                None => vec![(0, 65535)],
                Some(v) if !v.is_known() => continue,
                Some(v) => v.strings().into_iter().filter_map(port_range).collect(),
            };
            if !matches!(
                protocol.to_ascii_lowercase().as_str(),
                "tcp" | "udp" | "all" | "sctp"
            ) {
                continue;
            }
            found.extend(exposure(allow.line, "ingress", source, &ranges));
        }
    }

    fn azure_rule(&self, body: &Body, line: u32, found: &mut Vec<Exposure>) {
        let is = |key: &str, want: &str| {
            body.value(key)
                .and_then(Value::as_str)
                .is_some_and(|v| v.eq_ignore_ascii_case(want))
        };
        if !is("direction", "Inbound") || !is("access", "Allow") {
            return;
        }
        let mut sources: Vec<String> = body
            .value("source_address_prefix")
            .and_then(Value::as_str)
            .filter(|s| is_anywhere(s))
            .map(|s| vec![s.to_string()])
            .unwrap_or_default();
        sources.extend(open_sources(body, &["source_address_prefixes"]));
        let Some(source) = sources.first() else {
            return;
        };
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        if let Some(r) = body
            .value("destination_port_range")
            .and_then(Value::as_str)
            .and_then(port_range)
        {
            ranges.push(r);
        }
        if let Some(v) = body.value("destination_port_ranges") {
            ranges.extend(v.strings().into_iter().filter_map(port_range));
        }
        found.extend(exposure(line, "inbound allowed", source, &ranges));
    }

    fn eks(&self, body: &Body, line: u32, found: &mut Vec<Exposure>) {
        let vpc = body.block("vpc_config");
        let public = vpc.and_then(|v| v.body.value("endpoint_public_access"));
        match public.map(Value::as_bool) {
            Some(Some(false)) | Some(None) => return,
            _ => {}
        }
        let cidrs = vpc.and_then(|v| v.body.value("public_access_cidrs"));
        if let Some(c) = cidrs {
            if !c.is_known() || !c.strings().iter().any(|s| is_anywhere(s)) {
                return;
            }
        }
        found.push(Exposure {
            line: vpc.map_or(line, |v| v.line),
            what: format!(
                "the EKS API endpoint is public{} and open to 0.0.0.0/0",
                if public.is_none() {
                    " (the provider's default)"
                } else {
                    ""
                }
            ),
            key: "eks endpoint".to_string(),
        });
    }

    fn aks(&self, body: &Body, line: u32, found: &mut Vec<Exposure>) {
        if let Some(private) = body.value("private_cluster_enabled") {
            if private.as_bool() != Some(false) {
                return;
            }
        }
        let ranges = body.value("api_server_authorized_ip_ranges").or_else(|| {
            body.block("api_server_access_profile")
                .and_then(|p| p.body.value("authorized_ip_ranges"))
        });
        if let Some(r) = ranges {
            if !r.is_known() || r.strings().iter().any(|s| !is_anywhere(s)) {
                return;
            }
        }
        found.push(Exposure {
            line,
            what: "the AKS API server is public and limited to no authorized IP ranges".to_string(),
            key: "aks api".to_string(),
        });
    }

    fn gke(&self, body: &Body, line: u32, found: &mut Vec<Exposure>) {
        if let Some(p) = body.block("private_cluster_config") {
            match p.body.value("enable_private_endpoint").map(Value::as_bool) {
                Some(Some(true)) | Some(None) => return,
                _ => {}
            }
        }
        match body.block("master_authorized_networks_config") {
            Some(m) => {
                // A `dynamic "cidr_blocks"` is computed: not judged.
                if m.body.blocks("dynamic").next().is_some() {
                    return;
                }
                let open = m.body.blocks("cidr_blocks").find(|c| {
                    c.body
                        .value("cidr_block")
                        .and_then(Value::as_str)
                        .is_some_and(is_anywhere)
                });
                if let Some(c) = open {
                    found.push(Exposure {
                        line: c.line,
                        what: "the GKE control plane's authorized networks include 0.0.0.0/0"
                            .to_string(),
                        key: "gke authorized".to_string(),
                    });
                }
            }
            None => found.push(Exposure {
                line,
                what: "the GKE control plane has a public endpoint and no master authorized networks: any address can reach it".to_string(),
                key: "gke public".to_string(),
            }),
        }
    }

    fn module(&self, m: &TerraformBlock, out: &mut Findings<'_>) {
        let source = m.kind.trim_start_matches("registry.terraform.io/");
        if !source.starts_with("terraform-aws-modules/eks/aws") {
            return;
        }
        let Some(a) = m.body.attribute("cluster_endpoint_public_access") else {
            return;
        };
        if a.value.as_bool() != Some(true) {
            return;
        }
        if let Some(c) = m.body.value("cluster_endpoint_public_access_cidrs") {
            if !c.is_known() || !c.strings().iter().any(|s| is_anywhere(s)) {
                return;
            }
        }
        out.add(format!(
            "module `{}` makes the EKS API endpoint public (`cluster_endpoint_public_access = true`) with no CIDRs narrower than the internet",
            m.name
        ))
        .at(Location::new(&m.location.path, a.line, 1))
        .evidence("cluster_endpoint_public_access = true")
        .fix("set `cluster_endpoint_public_access = false` and reach the API through a VPN or bastion, or set `cluster_endpoint_public_access_cidrs` to the addresses that need it")
        .key(format!("module {} public endpoint", m.name))
        .emit();
    }
}

/// Whether a compose service runs a database, cache or queue image.
fn is_data_image(image: &str) -> bool {
    services::match_image(image).iter().any(|d| {
        matches!(
            d.kind,
            ServiceKind::Database | ServiceKind::Cache | ServiceKind::Search | ServiceKind::Queue
        )
    })
}

/// A compose `ports` entry as discovery keeps it: `[IP:]HOST:CONTAINER[/proto]`.
/// The host address and the container port.
fn compose_port(spec: &str) -> (Option<&str>, Option<u32>) {
    let spec = spec.split('/').next().unwrap_or(spec);
    let parts: Vec<&str> = spec.rsplitn(3, ':').collect();
    let container = parts
        .first()
        .and_then(|c| c.split('-').next())
        .and_then(|c| c.parse().ok());
    let ip = (parts.len() == 3).then(|| parts[2]);
    (ip, container)
}

fn is_loopback(ip: &str) -> bool {
    let ip = ip.trim_matches(['[', ']']);
    ip.starts_with("127.") || ip == "::1" || ip == "localhost"
}

impl Rule for AdminInterfaceExposed {
    fn class_policy(&self) -> ClassPolicy {
        super::DEPLOYED_ONLY
    }

    fn terraform_resource(
        &self,
        _input: &AuditInput<'_>,
        r: &TerraformBlock,
        out: &mut Findings<'_>,
    ) -> Verdict {
        for e in self.exposures(r) {
            let mut b = out
                .add(format!(
                    "{} `{}.{}`: {}",
                    kind_label(&r.kind),
                    r.kind,
                    r.name,
                    e.what
                ))
                .at(Location::new(&r.location.path, e.line, 1))
                .fix(fix_for(&r.kind))
                .key(format!("{}.{} {}", r.kind, r.name, e.key));
            if e.line != r.location.line {
                b = b.related(
                    r.location.clone(),
                    format!("resource {}.{}", r.kind, r.name),
                );
            }
            b.emit();
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
        let Some(svc) = &object.exposed else {
            return Verdict::Skipped;
        };
        if svc.internal {
            return Verdict::Checked;
        }
        if !svc.source_ranges.is_empty() && !svc.source_ranges.iter().any(|s| is_anywhere(s)) {
            return Verdict::Checked;
        }
        let name = object.name.as_deref().unwrap_or("(unnamed)");
        let ports: Vec<String> = svc
            .ports
            .iter()
            .filter_map(|p| {
                let target = p.target.as_deref().and_then(|t| t.parse::<u32>().ok());
                [p.port, target]
                    .into_iter()
                    .flatten()
                    .find_map(|n| ADMIN_PORTS.iter().find(|(q, _)| *q == n))
                    .map(|(n, what)| format!("{what} ({n})"))
            })
            .collect();
        let words = |s: &str| {
            s.to_ascii_lowercase()
                .split(['-', '_', '.'])
                .any(|w| DATA_WORDS.contains(&w))
        };
        let data_workload = words(name) || svc.selector.iter().any(|s| words(s));
        if ports.is_empty() && !data_workload {
            return Verdict::Checked;
        }
        let what = if ports.is_empty() {
            "a database, cache or queue workload (by its name)".to_string()
        } else {
            ports.join(", ")
        };
        out.add(format!(
            "Service `{name}` of type {} exposes {what} outside the cluster with no source ranges",
            svc.service_type
        ))
        .at(svc.location.clone())
        .related(object.location.clone(), format!("Service {name}"))
        .evidence(format!("type: {}", svc.service_type))
        .fix("make it `type: ClusterIP` (reach it with `kubectl port-forward` or from inside the cluster), or set `loadBalancerSourceRanges` and an internal load balancer annotation")
        .key(format!("Service {name}"))
        .emit();
        Verdict::Checked
    }

    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let mut looked = !ctx.terraform.modules.is_empty();
        for m in &ctx.terraform.modules {
            self.module(m, out);
        }
        for svc in &ctx.compose_services {
            if !super::unbounded_resources::is_production_compose(&svc.location.path) {
                continue;
            }
            looked = true;
            let Some(image) = svc.image.as_deref() else {
                continue;
            };
            if !is_data_image(image) {
                continue;
            }
            let published: Vec<&String> = svc
                .ports
                .iter()
                .filter(|p| {
                    let (ip, container) = compose_port(p);
                    container.is_some() && !ip.is_some_and(is_loopback)
                })
                .collect();
            if let Some(first) = published.first() {
                out.add(format!(
                    "compose service `{}` ({image}) in the production file {} publishes {first} on every address of the host",
                    svc.name, svc.location.path
                ))
                .at(svc.location.clone())
                .evidence(format!("ports: {first}"))
                .fix("drop the `ports:` entry (other services reach it on the compose network), or bind it to 127.0.0.1 (`127.0.0.1:5432:5432`)")
                .key(format!("compose {}", svc.name))
                .emit();
            }
        }
        if looked {
            Verdict::Checked
        } else {
            Verdict::Skipped
        }
    }
}

fn kind_label(kind: &str) -> &'static str {
    if kind.contains("firewall") || kind.contains("security") {
        "firewall rule"
    } else if kind.contains("cluster") && !kind.contains("redshift") && !kind.contains("rds") {
        "cluster"
    } else {
        "database"
    }
}

fn fix_for(kind: &str) -> &'static str {
    if kind.ends_with("_firewall_rule") {
        return "limit the rule to the addresses that need the database (the app's outbound addresses, a VPN range), or use a private endpoint";
    }
    match kind_label(kind) {
        "firewall rule" => "allow the port only from the addresses that need it (a bastion or VPN range, another security group), never 0.0.0.0/0",
        "cluster" => "make the control plane private, or limit it to authorized CIDR ranges (your VPN, your CI's egress)",
        _ => "make the database private (`publicly_accessible = false`, private IP only) and reach it from the app's network",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_ranges_and_what_they_open() {
        assert_eq!(port_range("22"), Some((22, 22)));
        assert_eq!(port_range("1000-2000"), Some((1000, 2000)));
        assert_eq!(port_range("*"), Some((0, 65535)));
        assert_eq!(port_range("var.port"), None);
        assert_eq!(Opens::of(80, 443).describe(), None);
        assert_eq!(
            Opens::of(0, 65535).describe().as_deref(),
            Some("every port")
        );
        assert_eq!(
            Opens::of(3300, 3400).describe().as_deref(),
            Some("MySQL (3306), RDP (3389)")
        );
    }

    #[test]
    fn aws_protocols() {
        let n = |x: f64| Value::Number(x);
        let p = |x: &str| Value::String(x.to_string());
        assert_eq!(aws_range(Some(&p("-1")), None, None), Some((0, 65535)));
        assert_eq!(
            aws_range(Some(&p("icmp")), Some(&n(0.0)), Some(&n(0.0))),
            None
        );
        assert_eq!(
            aws_range(Some(&p("tcp")), Some(&n(22.0)), Some(&n(22.0))),
            Some((22, 22))
        );
        assert_eq!(
            aws_range(Some(&p("tcp")), Some(&n(0.0)), Some(&n(0.0))),
            Some((0, 65535))
        );
    }

    #[test]
    fn compose_ports() {
        assert_eq!(compose_port("5432:5432"), (None, Some(5432)));
        assert_eq!(
            compose_port("127.0.0.1:6379:6379/tcp"),
            (Some("127.0.0.1"), Some(6379))
        );
        assert_eq!(compose_port("5432"), (None, Some(5432)));
        assert!(is_loopback("127.0.0.1") && is_loopback("[::1]") && !is_loopback("0.0.0.0"));
    }
}
