//! projectplan.md: headings and checkbox tasks, each with its done flag,
//! nearest section and priority (from the item or an enclosing heading).

use super::model::{Heading, PlanTask, ProjectPlan};
use crate::parse::markdown;
use crate::source::text::re;
use regex::Regex;
use std::sync::LazyLock;

static TASK: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+\[([ xX])\]\s+(.*?)\s*$"));
static INLINE_PRIORITY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(P[0-3])\b|\((high|medium|med|low|critical|urgent)\)|priority\s*[:=]\s*(high|medium|med|low|critical|urgent|p[0-3])\b|!(high|medium|med|low|critical|urgent)\b)",
    )
});
/// Heading priorities, most explicit first: `Now (P0)` is P0, not "now".
static HEADING_PRIORITIES: LazyLock<[Regex; 2]> = LazyLock::new(|| {
    [
        re(
            r"(?i)(?:\b(P[0-3])\b|\b(high|medium|med|low|critical|urgent)[\s-]+priority\b|\bpriority\s*[:=]?\s*(high|medium|med|low|critical|urgent)\b)",
        ),
        re(r"(?i)^(now|next|later)\b"),
    ]
});

fn normalize(word: &str) -> String {
    match word.to_ascii_lowercase().as_str() {
        "med" | "medium" | "next" => "medium".into(),
        "high" | "critical" | "urgent" | "now" => "high".into(),
        "low" | "later" => "low".into(),
        p => p.to_ascii_uppercase(),
    }
}

fn first_group(re: &Regex, text: &str) -> Option<String> {
    let caps = re.captures(text)?;
    caps.iter()
        .skip(1)
        .flatten()
        .next()
        .map(|m| normalize(m.as_str()))
}

pub fn analyze(path: &str, text: &str) -> ProjectPlan {
    let sections: Vec<Heading> = markdown::headings(text);
    let mut tasks = Vec::new();
    // Open headings by level, each with the priority it names (if any).
    let mut open: Vec<(u8, String, Option<String>)> = Vec::new();
    let mut next_heading = sections.iter().peekable();
    for line in markdown::lines(text) {
        while let Some(h) = next_heading.peek() {
            if h.line > line.number {
                break;
            }
            open.retain(|(level, _, _)| *level < h.level);
            open.push((
                h.level,
                h.text.clone(),
                HEADING_PRIORITIES
                    .iter()
                    .find_map(|r| first_group(r, &h.text)),
            ));
            next_heading.next();
        }
        if line.in_code {
            continue;
        }
        let Some(caps) = TASK.captures(line.text) else {
            continue;
        };
        let done = caps.get(1).is_some_and(|m| m.as_str() != " ");
        let task_text = caps
            .get(2)
            .map(|m| markdown::plain(m.as_str()))
            .unwrap_or_default();
        if task_text.is_empty() {
            continue;
        }
        let priority = first_group(&INLINE_PRIORITY, &task_text)
            .or_else(|| open.iter().rev().find_map(|(_, _, p)| p.clone()));
        tasks.push(PlanTask {
            text: task_text,
            done,
            priority,
            section: open.last().map(|(_, t, _)| t.clone()),
            line: line.number,
        });
    }
    ProjectPlan {
        path: path.to_string(),
        sections,
        tasks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_with_sections_and_priorities() {
        let md = "# Plan\n\n## P1 — launch\n\n- [ ] ship it\n* [x] write docs (low)\n\n### Backend\n\n1. [ ] add cache priority: high\n+ [X] !urgent fix login\n\n## Later\n\n- [ ] dark mode\n- not a task\n```\n- [ ] in code\n```\n## Misc\n- [ ] P0 outage drill\n- [ ] plain\n";
        let plan = analyze("projectplan.md", md);
        let got: Vec<_> = plan
            .tasks
            .iter()
            .map(|t| {
                (
                    t.text.as_str(),
                    t.done,
                    t.priority.as_deref(),
                    t.section.as_deref(),
                    t.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("ship it", false, Some("P1"), Some("P1 — launch"), 5),
                (
                    "write docs (low)",
                    true,
                    Some("low"),
                    Some("P1 — launch"),
                    6
                ),
                (
                    "add cache priority: high",
                    false,
                    Some("high"),
                    Some("Backend"),
                    10
                ),
                ("!urgent fix login", true, Some("high"), Some("Backend"), 11),
                ("dark mode", false, Some("low"), Some("Later"), 15),
                ("P0 outage drill", false, Some("P0"), Some("Misc"), 21),
                ("plain", false, None, Some("Misc"), 22),
            ]
        );
        assert_eq!(plan.sections.len(), 5);
    }

    #[test]
    fn headings_like_high_priority() {
        let plan = analyze(
            "p.md",
            "## High priority\n- [ ] a\n## Now\n- [ ] b\n## Next up\n- [ ] c\n",
        );
        let p: Vec<_> = plan.tasks.iter().map(|t| t.priority.clone()).collect();
        assert_eq!(
            p,
            [
                Some("high".into()),
                Some("high".into()),
                Some("medium".into())
            ]
        );
    }

    #[test]
    fn no_tasks() {
        let plan = analyze("p.md", "");
        assert!(plan.tasks.is_empty() && plan.sections.is_empty());
        assert!(analyze("p.md", "- [ ]\n- []  x\n").tasks.is_empty());
    }
}
