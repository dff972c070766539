//! Property tests for the 3-way merge: a user's edit survives any template
//! change elsewhere in the file, and one-sided changes pass through untouched.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use infra::render::merge::{has_conflict_markers, three_way};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Replace(String),
    InsertBefore(String),
    Delete,
}

fn apply(lines: &mut Vec<String>, at: usize, op: &Op) {
    match op {
        Op::Replace(s) => lines[at] = s.clone(),
        Op::InsertBefore(s) => lines.insert(at, s.clone()),
        Op::Delete => {
            lines.remove(at);
        }
    }
}

fn op(prefix: &'static str) -> impl Strategy<Value = Op> {
    let text = "[a-z ]{0,12}".prop_map(move |s| format!("{prefix} {s}"));
    prop_oneof![
        text.clone().prop_map(Op::Replace),
        text.prop_map(Op::InsertBefore),
        Just(Op::Delete),
    ]
}

fn join(lines: &[String]) -> String {
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

/// A base of unique lines, and two edit positions at least two lines apart.
fn scenario() -> impl Strategy<Value = (usize, usize, usize, Op, Op)> {
    (6usize..40)
        .prop_flat_map(|n| (Just(n), 0..n, 0..n))
        .prop_filter("edits two or more lines apart", |(_, i, j)| {
            i.abs_diff(*j) >= 2
        })
        .prop_flat_map(|(n, i, j)| (Just(n), Just(i), Just(j), op("user"), op("template")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn user_edits_survive_template_changes_elsewhere((n, i, j, user, tmpl) in scenario()) {
        let base: Vec<String> = (0..n).map(|k| format!("base line {k}")).collect();
        let mut ours = base.clone();
        apply(&mut ours, i, &user);
        let mut theirs = base.clone();
        apply(&mut theirs, j, &tmpl);
        // Both edits applied, the later position first so indices stay valid.
        let mut expected = base.clone();
        if i > j {
            apply(&mut expected, i, &user);
            apply(&mut expected, j, &tmpl);
        } else {
            apply(&mut expected, j, &tmpl);
            apply(&mut expected, i, &user);
        }
        let merged = three_way(&join(&base), &join(&ours), &join(&theirs));
        prop_assert_eq!(merged.conflicts, 0);
        prop_assert!(!has_conflict_markers(&merged.text));
        prop_assert_eq!(merged.text, join(&expected));
    }

    #[test]
    fn one_sided_changes_pass_through(
        base in proptest::collection::vec("[a-z]{0,8}", 0..30),
        other in proptest::collection::vec("[a-z]{0,8}", 0..30),
    ) {
        let base = join(&base);
        let other = join(&other);
        prop_assert_eq!(three_way(&base, &other, &base).text, other.clone());
        prop_assert_eq!(three_way(&base, &base, &other).text, other);
    }

    #[test]
    fn same_change_on_both_sides_is_not_a_conflict(
        base in proptest::collection::vec("[a-z]{0,8}", 0..30),
        other in proptest::collection::vec("[a-z]{0,8}", 0..30),
    ) {
        let base = join(&base);
        let other = join(&other);
        let merged = three_way(&base, &other, &other);
        prop_assert_eq!(merged.conflicts, 0);
        prop_assert_eq!(merged.text, other);
    }
}
