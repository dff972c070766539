//! secret-in-history: credentials any commit ever added (checklist §5.1),
//! found by `infra audit --history` (`src/audit/history.rs`) with the
//! scanner `hardcoded-secret` uses.

use crate::audit::finding::Findings;
use crate::audit::history::HistoryRange;
use crate::audit::rule::{
    AuditInput, ClassAction, ClassPolicy, Confidence, Level, Rule, RuleMeta, Verdict,
};
use crate::audit::rules::hardcoded_secret::SECRET_CLASSES;

crate::declare_rule!(
    SecretInHistory,
    RuleMeta {
        id: "secret-in-history",
        section: "5.1",
        level: Level::Error,
        confidence: Confidence::High,
        description: "No commit ever added a credential, even one deleted later",
        applies: "with `infra audit --history`, to a git repository with commits",
        rationale: "Checklist §5.1: secrets are never committed. Deleting a committed key does not remove it: every clone and fork keeps the commit, so anyone who can read the repository can still read the key. The only fix is to rotate it.",
        detection: "`infra audit --history` streams `git log -p -U0` over HEAD, every local branch, tag and remote-tracking branch (with `--base REF`: only the commits after the merge base), oldest first, and scans each file's added lines of each commit with the patterns, placeholder, entropy and documentation-example checks of `hardcoded-secret`. Each distinct value is reported once, at the first commit that added it, with that commit's short hash and author date, the path and line there, and whether HEAD's tree still has it; a copy, a move or a rename is not reported again. Skipped as `hardcoded-secret` skips them: lockfiles, generated, vendored, minified and translation files, binary files, deleted files, files `.infraignore` names; reported one level lower under test and fixture folders, in docs and examples, and for default credentials and encrypted keys. An inline ignore of `secret-in-history` (or of `hardcoded-secret`) with a reason on the line or the line above, in the commit that added it or at HEAD, suppresses it. Not read: lines written only in a merge commit's conflict resolution (git shows merges without a patch), file versions over the size limit, and, in a shallow clone, commits before its boundary (the report says so). Values are shown redacted.",
        fix: "rotate the credential at the provider (deleting it does not help: the commit keeps it); remove it from HEAD if it is still there and read it from an environment variable or a secret manager; rewriting history (git filter-repo) only helps once every clone is replaced",
        fixed_by_init: false,
        fail_example: "config/app.yml:4: github-pat ghp_…(40 chars) committed in 1a2b3c4d5e6f (2024-03-02); deleted later, still in history: rotate it",
        pass_example: "config/app.yml:4: token: ${GITHUB_TOKEN} (no commit ever added a value)",
    }
);

impl Rule for SecretInHistory {
    fn class_policy(&self) -> ClassPolicy {
        SECRET_CLASSES
    }

    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let Some(history) = input.history else {
            return Verdict::NotApplicable("scans commits: run `infra audit --history`".into());
        };
        if !history.has_head {
            return Verdict::NotApplicable(
                "the repository has no commits yet: nothing was committed".into(),
            );
        }
        if history.commits == 0 {
            return Verdict::NotApplicable(match &history.range {
                Some(HistoryRange::Since { reference, .. }) => {
                    format!("no commits since the merge base with {reference}")
                }
                _ => "no commit touches this folder".into(),
            });
        }
        let shallow = history.shallow.then_some(
            "this shallow clone's commits before its boundary were not scanned (`git fetch --unshallow`)",
        );
        for s in &history.secrets {
            let short: String = s.commit.chars().take(12).collect();
            let path = &s.location.path;
            // The file's class then, not at HEAD (it may be gone there).
            let demote_class = SECRET_CLASSES
                .iter()
                .find(|(c, a)| *a == ClassAction::Demote && s.classes.has(*c))
                .map(|(c, _)| *c);
            let why: Vec<String> = [
                demote_class.map(|c| format!("in a {} file", c.id())),
                s.weak_evidence.map(str::to_string),
            ]
            .into_iter()
            .flatten()
            .collect();
            let now = match &s.in_head {
                Some(at) => format!(
                    "still present at {}:{}: remove it and rotate it",
                    at.path, at.line
                ),
                None => "deleted later, still in history: rotate it".into(),
            };
            let mut finding = out
                .add(format!(
                    "{} {} committed in {short} ({}) at {path}:{}; {now}{}",
                    s.kind,
                    s.shown,
                    s.date,
                    s.location.line,
                    if why.is_empty() {
                        String::new()
                    } else {
                        format!(" ({}, so reported one level lower)", why.join("; "))
                    }
                ))
                .at(s.location.clone())
                .in_commit()
                .width(s.len as usize)
                .evidence(format!(
                    "commit {} ({}) added {} at {path}:{}",
                    s.commit, s.date, s.shown, s.location.line
                ))
                .key(format!("{} {} {short}", s.kind, s.shown));
            if let Some(at) = &s.in_head {
                finding = finding.related(at.clone(), "still in HEAD's tree here");
            }
            if let Some(note) = shallow {
                finding = finding.evidence(note);
            }
            if !why.is_empty() {
                finding = finding.demoted();
            }
            if let Some((reason, at)) = &s.ignored {
                finding = finding.suppressed_inline(reason.clone(), at.clone());
            }
            finding.emit();
        }
        if history.shallow && history.secrets.is_empty() {
            return Verdict::Unknown(
                "a shallow clone: no secret in the commits it has, but those before its boundary were not scanned; run it in a full clone (`git fetch --unshallow`; on GitHub Actions, `fetch-depth: 0` on actions/checkout)".into(),
            );
        }
        Verdict::Checked
    }
}
