//! Thresholds from the SLAs and the alert rules derived from them, each
//! linked to its runbook.

use super::{num, AlertRule, AlertVars, ServiceVars, SlaVars};
use crate::answers::Answers;

pub(super) fn sla_vars(answers: &Answers) -> SlaVars {
    let a = answers.sla.availability;
    let budget = answers.error_budget_minutes_per_month();
    let (cpu, memory, disk) = if a >= 99.95 {
        (70, 75, 75)
    } else if a >= 99.9 {
        (80, 80, 80)
    } else {
        (85, 85, 85)
    };
    SlaVars {
        availability: num(a),
        latency_p95_ms: answers.sla.latency_p95_ms,
        error_rate_percent: num(answers.sla.error_rate_percent),
        error_rate_warning_percent: num(answers.sla.error_rate_percent / 2.0),
        rpo_hours: answers.sla.rpo_hours.map(num),
        rto_hours: answers.sla.rto_hours.map(num),
        error_budget_minutes: num((budget * 10.0).round() / 10.0),
        fast_burn_minutes: num(((budget * 0.02) * 10.0).round() / 10.0),
        cpu_percent: cpu,
        memory_percent: memory,
        disk_percent: disk,
        health_failures: if a >= 99.95 { 2 } else { 3 },
    }
}

pub(super) fn alert_vars(answers: &Answers, sla: &SlaVars, runbooks: &[ServiceVars]) -> AlertVars {
    let (kind, target) = answers
        .alerts_channel
        .split_once(':')
        .map(|(k, t)| (k.to_string(), t.to_string()))
        .unwrap_or_else(|| ("email".into(), answers.alerts_channel.clone()));
    let mut rules = vec![
        AlertRule {
            name: "High error rate".into(),
            condition: format!(
                "5xx responses above {}% of requests for 5 minutes (warning above {}% for 15 minutes)",
                sla.error_rate_percent, sla.error_rate_warning_percent
            ),
            severity: "page".into(),
            runbook: "runbooks/app.md#high-error-rate".into(),
        },
        AlertRule {
            name: "Service unavailable".into(),
            condition: format!(
                "health check failing {} times in a row (1-minute interval), or more than {} minutes of downtime in one hour (2% of the {}-minute monthly error budget)",
                sla.health_failures, sla.fast_burn_minutes, sla.error_budget_minutes
            ),
            severity: "page".into(),
            runbook: "runbooks/app.md#service-unavailable".into(),
        },
        AlertRule {
            name: "Slow responses".into(),
            condition: format!("p95 latency above {} ms for 10 minutes", sla.latency_p95_ms),
            severity: "warning".into(),
            runbook: "runbooks/app.md#slow-responses".into(),
        },
        AlertRule {
            name: "CPU exhaustion".into(),
            condition: format!("CPU above {}% for 15 minutes", sla.cpu_percent),
            severity: "warning".into(),
            runbook: "runbooks/app.md#resource-exhaustion".into(),
        },
        AlertRule {
            name: "Memory exhaustion".into(),
            condition: format!("memory above {}% for 10 minutes, or any out-of-memory restart", sla.memory_percent),
            severity: "page".into(),
            runbook: "runbooks/app.md#resource-exhaustion".into(),
        },
        AlertRule {
            name: "Disk exhaustion".into(),
            condition: format!("disk or volume usage above {}%", sla.disk_percent),
            severity: "warning".into(),
            runbook: "runbooks/app.md#resource-exhaustion".into(),
        },
    ];
    for s in runbooks {
        rules.push(AlertRule {
            name: format!("{} unreachable", s.name),
            condition: "connection errors from the app for 2 minutes, or the provider's health check failing".into(),
            severity: "page".into(),
            runbook: format!("runbooks/{}.md#unreachable", s.id),
        });
    }
    AlertVars {
        channel: answers.alerts_channel.clone(),
        kind,
        target,
        rules,
    }
}
