//! The check every edit passes before anyone writes it: the edited text, read back, holds the
//! plan the simulation made (each phase lists exactly the modules the search placed there, in
//! that order, and nothing else in the file means anything different) and every comment of the
//! original is still in it.

use std::collections::BTreeMap;

use serde_json::Value;

use super::layout::Layout;
use crate::graph::PhaseId;
use crate::source::Span;

/// What reading the edit back found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// The edited text is not YAML the plan format accepts.
    DoesNotLoad(String),
    /// A phase would list other modules than the simulation placed there.
    Modules {
        /// The phase.
        phase: PhaseId,
        /// What the simulation placed there.
        expected: Vec<String>,
        /// What the edited text lists.
        found: Vec<String>,
    },
    /// Something besides the moved modules would change (in this phase, when it is one).
    Elsewhere(Option<PhaseId>),
    /// A comment of the original would be lost.
    Comment(Span),
}

/// Checks that `after` is `before` with the `modules` of the phases in `changed` replaced by
/// `expected`, and with every comment of `before`.
pub fn check(
    before: &str,
    before_layout: &Layout,
    after: &str,
    expected: &[Vec<String>],
    changed: &[bool],
) -> Result<(), Mismatch> {
    let after_layout = Layout::read(after).map_err(Mismatch::DoesNotLoad)?;
    let options = serde_saphyr::options! { with_snippet: false };
    let found: Value = serde_saphyr::from_str_with_options(after, options)
        .map_err(|e| Mismatch::DoesNotLoad(e.to_string()))?;
    let options = serde_saphyr::options! { with_snippet: false };
    // A plan that loads always reads as data; if it somehow does not, the module lists are
    // still compared below through the layouts' phases.
    let original: Option<Value> = serde_saphyr::from_str_with_options(before, options).ok();
    let mut found = found;
    let mut original = original;
    for (q, names) in expected.iter().enumerate() {
        if !changed.get(q).copied().unwrap_or(false) {
            continue;
        }
        let listed = take_modules(&mut found, q);
        if listed.as_ref() != Some(names) {
            return Err(Mismatch::Modules {
                phase: q,
                expected: names.clone(),
                found: listed.unwrap_or_default(),
            });
        }
        if let Some(original) = original.as_mut() {
            take_modules(original, q);
        }
    }
    if let Some(original) = original
        && original != found
    {
        let phases = |v: &Value| v.get("phases").and_then(Value::as_array).cloned();
        let at = match (phases(&original), phases(&found)) {
            (Some(a), Some(b)) => a.iter().zip(&b).position(|(x, y)| x != y),
            _ => None,
        };
        return Err(Mismatch::Elsewhere(at));
    }
    if after_layout.phases.len() != before_layout.phases.len() {
        return Err(Mismatch::Elsewhere(None));
    }
    comments_kept(before, before_layout, after, &after_layout)
}

/// The module names a phase lists (none for no list or `null`), taken out of the document so
/// that the rest can be compared whole.
fn take_modules(doc: &mut Value, q: PhaseId) -> Option<Vec<String>> {
    let phase = doc
        .get_mut("phases")?
        .as_array_mut()?
        .get_mut(q)?
        .as_object_mut()?;
    match phase.remove("modules") {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        Some(_) => None,
    }
}

/// Every comment of `before` is in `after`. Comments are compared by their words: a comment
/// may move, and the comments of several items that arrive in one line share it
/// (`# a  # b`), so each is cut at a `#` that follows a blank.
fn comments_kept(
    before: &str,
    before_layout: &Layout,
    after: &str,
    after_layout: &Layout,
) -> Result<(), Mismatch> {
    let mut have: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &after_layout.comments {
        for piece in pieces(&after[c.offset..c.end()]) {
            *have.entry(piece).or_default() += 1;
        }
    }
    for c in &before_layout.comments {
        for piece in pieces(&before[c.offset..c.end()]) {
            match have.get_mut(piece) {
                Some(n) if *n > 0 => *n -= 1,
                _ => return Err(Mismatch::Comment(*c)),
            }
        }
    }
    Ok(())
}

fn pieces(comment: &str) -> impl Iterator<Item = &str> {
    let mut cuts = vec![0];
    let bytes = comment.as_bytes();
    for i in 1..bytes.len() {
        if bytes[i] == b'#' && matches!(bytes[i - 1], b' ' | b'\t') {
            cuts.push(i);
        }
    }
    cuts.push(comment.len());
    let pieces: Vec<&str> = cuts
        .windows(2)
        .map(|w| comment[w[0]..w[1]].trim_start_matches('#').trim())
        .collect();
    pieces.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(before: &str, after: &str, expected: &[&[&str]]) -> Result<(), Mismatch> {
        let layout = Layout::read(before).unwrap();
        let expected: Vec<Vec<String>> = expected
            .iter()
            .map(|l| l.iter().map(|s| (*s).to_owned()).collect())
            .collect();
        let changed = vec![true; expected.len()];
        check(before, &layout, after, &expected, &changed)
    }

    #[test]
    fn a_swallowed_module_is_caught() {
        let before = "phases:\n  - id: a\n    modules: [stock]\n  - id: b\n    modules:\n      - \"fr\n        \"\n";
        let after = "phases:\n  - id: a\n    modules: []\n  - id: b\n    modules:\n      - \"fr\n      - stock\n        \"\n";
        assert_eq!(
            run(before, after, &[&[], &["fr ", "stock"]]),
            Err(Mismatch::Modules {
                phase: 1,
                expected: vec!["fr ".into(), "stock".into()],
                found: vec!["fr - stock ".into()],
            })
        );
    }

    #[test]
    fn a_lost_comment_is_caught_and_a_shared_line_is_not_a_loss() {
        let before = "phases:\n  - id: a\n    modules:\n      - !!str mrp   # keep me\n  - id: b\n    modules: [x]\n";
        let lost = "phases:\n  - id: a\n    modules: []\n  - id: b\n    modules: [x, mrp]\n";
        assert!(matches!(
            run(before, lost, &[&[], &["x", "mrp"]]),
            Err(Mismatch::Comment(_))
        ));
        let kept = "phases:\n  - id: a\n    modules: []\n  - id: b\n    modules: [x, !!str mrp]  # other  # keep me\n";
        let before = before.replace("[x]", "[x]  # other");
        assert_eq!(run(&before, kept, &[&[], &["x", "mrp"]]), Ok(()));
    }

    #[test]
    fn other_changes_are_caught() {
        let before = "phases:\n  - id: a\n    name: A\n    modules: [x]\n  - id: b\n";
        let after =
            "phases:\n  - id: a\n    name: B\n    modules: []\n  - id: b\n    modules: [x]\n";
        assert_eq!(
            run(before, after, &[&[], &["x"]]),
            Err(Mismatch::Elsewhere(Some(0)))
        );
        let alias = "phases:\n  - id: a\n    modules: &m [x]\n  - id: b\n    modules: *m\n";
        let edited = "phases:\n  - id: a\n    modules: &m []\n  - id: b\n    modules: *m\n";
        let layout = Layout::read(alias).unwrap();
        let expected = vec![vec![], vec!["x".to_owned()]];
        assert_eq!(
            check(alias, &layout, edited, &expected, &[true, false]),
            Err(Mismatch::Elsewhere(Some(1)))
        );
    }
}
