//! The text edits of `fix`, on small plans written every way YAML allows.

use super::*;
use crate::fix::verify;

/// Moves the items written `item` out of phase `from` into phase `to`, checks that the
/// result reads back as the simulation would place them with every comment, and returns it.
fn mv(text: &str, moves: &[(&str, PhaseId, PhaseId)]) -> String {
    let layout = Layout::read(text).unwrap();
    let written = |q: PhaseId, i: usize| slice(text, layout.phases[q].items()[i].node);
    let moves: Vec<Moved> = moves
        .iter()
        .map(|&(item, from, to)| {
            let index = (0..layout.phases[from].items().len())
                .find(|&i| written(from, i) == item)
                .unwrap_or_else(|| panic!("no `{item}` in phase {from}"));
            Moved { from, index, to }
        })
        .collect();
    let out = apply(text, &layout, &moves).unwrap_or_else(|r| panic!("{r:?}\n{text}"));
    let value = |q: PhaseId, i: usize| {
        let v: String = serde_saphyr::from_str(written(q, i)).unwrap();
        v
    };
    let mut expected: Vec<Vec<String>> = (0..layout.phases.len())
        .map(|q| {
            (0..layout.phases[q].items().len())
                .filter(|&i| !moves.iter().any(|m| m.from == q && m.index == i))
                .map(|i| value(q, i))
                .collect()
        })
        .collect();
    let mut sorted = moves.clone();
    sorted.sort_by_key(|m| layout.phases[m.from].items()[m.index].node.offset);
    for m in &sorted {
        expected[m.to].push(value(m.from, m.index));
    }
    let changed: Vec<bool> = (0..layout.phases.len())
        .map(|q| moves.iter().any(|m| m.from == q || m.to == q))
        .collect();
    if let Err(e) = verify::check(text, &layout, &out, &expected, &changed) {
        panic!("{e:?}\n{out}");
    }
    out
}

fn refused(text: &str, from: PhaseId, index: usize, to: PhaseId) -> Refusal {
    let layout = Layout::read(text).unwrap();
    apply(text, &layout, &[Moved { from, index, to }]).unwrap_err()
}

#[test]
fn block_items_move_with_their_comments() {
    let text = "\
phases:
  - id: a
    modules:
      - stock   # valuation starts here
      - mrp
  - id: b
    modules:
      - account # books
";
    assert_eq!(
        mv(text, &[("stock", 0, 1)]),
        "\
phases:
  - id: a
    modules:
      - mrp
  - id: b
    modules:
      - account # books
      - stock   # valuation starts here
"
    );
}

#[test]
fn an_emptied_block_list_becomes_an_empty_flow_list() {
    let text = "phases:\n  - id: a\n    modules:  # the first go-live\n      - stock\n  - id: b\n    modules: [account]\n";
    assert_eq!(
        mv(text, &[("stock", 0, 1)]),
        "phases:\n  - id: a\n    modules: []  # the first go-live\n  - id: b\n    modules: [account, stock]\n"
    );
}

#[test]
fn one_line_flow_lists_keep_their_spacing() {
    let text = "phases:\n  - id: a\n    modules: [ stock,crm ]   # early\n  - id: b\n    modules: [account]\n";
    assert_eq!(
        mv(text, &[("crm", 0, 1), ("stock", 0, 1)]),
        "phases:\n  - id: a\n    modules: []   # early\n  - id: b\n    modules: [account, stock, crm]\n"
    );
    let text =
        "phases:\n  - id: a\n    modules: [stock, crm]\n  - id: b\n    modules: [ account,x ]\n";
    assert_eq!(
        mv(text, &[("crm", 0, 1)]),
        "phases:\n  - id: a\n    modules: [stock]\n  - id: b\n    modules: [ account,x,crm ]\n"
    );
    // A trailing comma stays a trailing comma.
    let text =
        "phases:\n  - id: a\n    modules: [stock, crm, ]\n  - id: b\n    modules: [account,]\n";
    assert_eq!(
        mv(text, &[("crm", 0, 1)]),
        "phases:\n  - id: a\n    modules: [stock, ]\n  - id: b\n    modules: [account, crm,]\n"
    );
}

#[test]
fn a_comment_goes_to_the_end_of_a_one_line_list_or_stays() {
    let text = "phases:\n  - id: a\n    modules:\n      - stock  # moves\n      - mrp\n  - id: b\n    modules: [account]\n  - id: c\n    modules: [crm]  # taken\n";
    assert_eq!(
        mv(text, &[("stock", 0, 1)]),
        "phases:\n  - id: a\n    modules:\n      - mrp\n  - id: b\n    modules: [account, stock]  # moves\n  - id: c\n    modules: [crm]  # taken\n"
    );
    assert_eq!(
        mv(text, &[("stock", 0, 2)]),
        "phases:\n  - id: a\n    modules:\n      # moves\n      - mrp\n  - id: b\n    modules: [account]\n  - id: c\n    modules: [crm, stock]  # taken\n"
    );
    // Two comments share the end of the line, each whole.
    let text = "phases:\n  - id: a\n    modules:\n      - stock  # one\n      - mrp    # two\n  - id: b\n    modules: [account]\n";
    assert_eq!(
        mv(text, &[("stock", 0, 1), ("mrp", 0, 1)]),
        "phases:\n  - id: a\n    modules: []\n  - id: b\n    modules: [account, stock, mrp]  # one  # two\n"
    );
}

#[test]
fn multi_line_flow_lists() {
    let text = "\
phases:
  - id: a
    modules: [
      stock,   # first
      mrp,
    ]
  - id: b
    modules: [
      account
    ]
";
    assert_eq!(
        mv(text, &[("stock", 0, 1)]),
        "\
phases:
  - id: a
    modules: [
      mrp,
    ]
  - id: b
    modules: [
      account,
      stock   # first
    ]
"
    );
    let text = "phases:\n  - id: a\n    modules: [stock, mrp,\n              crm]\n  - id: b\n    modules: [account]\n";
    assert_eq!(
        mv(text, &[("crm", 0, 1), ("mrp", 0, 1)]),
        "phases:\n  - id: a\n    modules: [stock]\n  - id: b\n    modules: [account, mrp, crm]\n"
    );
}

#[test]
fn an_emptied_block_list_keeps_its_properties_and_their_comment() {
    let text = "phases:\n  - id: a\n    modules: !!seq   # tagged\n      - stock\n  - id: b\n    modules: &b [account]\n";
    assert_eq!(
        mv(text, &[("stock", 0, 1)]),
        "phases:\n  - id: a\n    modules: !!seq []   # tagged\n  - id: b\n    modules: &b [account, stock]\n"
    );
}

#[test]
fn an_emptied_multi_line_flow_list_collapses_unless_a_comment_stays() {
    let text = "phases:\n  - id: a\n    modules: [\n      stock, mrp,\n    ]\n  - id: b\n    modules: [account]\n";
    assert_eq!(
        mv(text, &[("stock", 0, 1), ("mrp", 0, 1)]),
        "phases:\n  - id: a\n    modules: []\n  - id: b\n    modules: [account, stock, mrp]\n"
    );
    let text = "phases:\n  - id: a\n    modules: [\n      # the factory\n      mrp,\n    ]\n  - id: b\n    modules: [account]\n";
    assert_eq!(
        mv(text, &[("mrp", 0, 1)]),
        "phases:\n  - id: a\n    modules: [\n      # the factory\n    ]\n  - id: b\n    modules: [account, mrp]\n"
    );
}

/// Issue 9: a comment after a comma on the line of `[` was dropped, or the edit left
/// `[# ...` and was refused.
#[test]
fn a_comment_after_a_comma_on_the_first_line() {
    let text = "phases:\n  - id: p0\n    modules: [website_sale, # shop opens first\n      mrp_account, crm]\n  - id: p1\n    modules:\n    - l10n_be\n";
    assert_eq!(
        mv(
            text,
            &[("website_sale", 0, 1), ("mrp_account", 0, 1), ("crm", 0, 1)]
        ),
        "phases:\n  - id: p0\n    modules: []\n  - id: p1\n    modules:\n    - l10n_be\n    - website_sale # shop opens first\n    - mrp_account\n    - crm\n"
    );
    let text = "phases:\n  - id: kickoff\n    modules: [crm, # leads first\n      hr]\n  - id: finance\n    modules: [account]\n";
    assert_eq!(
        mv(text, &[("crm", 0, 1)]),
        "phases:\n  - id: kickoff\n    modules: [\n      hr]\n  - id: finance\n    modules: [account, crm]  # leads first\n"
    );
    // Where the comment cannot go along, it stays after `[`.
    let text = "phases:\n  - id: kickoff\n    modules: [crm, # leads first\n      hr]\n  - id: finance\n    modules: [account]  # books\n";
    assert_eq!(
        mv(text, &[("crm", 0, 1)]),
        "phases:\n  - id: kickoff\n    modules: [ # leads first\n      hr]\n  - id: finance\n    modules: [account, crm]  # books\n"
    );
}

/// Issue 9: modules inserted after the first line of a quoted scalar written over two
/// lines became part of it.
#[test]
fn an_item_over_several_lines_is_moved_past_and_moved_whole() {
    let text = "phases:\n  - id: w\n    modules:\n      - stock\n  - id: f\n    modules:\n      - account\n      - \"l10n_fr\n        \"\n";
    assert_eq!(
        mv(text, &[("stock", 0, 1)]),
        "phases:\n  - id: w\n    modules: []\n  - id: f\n    modules:\n      - account\n      - \"l10n_fr\n        \"\n      - stock\n"
    );
    assert_eq!(
        mv(text, &[("\"l10n_fr\n        \"", 1, 0)]),
        "phases:\n  - id: w\n    modules:\n      - stock\n      - \"l10n_fr\n        \"\n  - id: f\n    modules:\n      - account\n"
    );
}

/// Issue 9: properties stay with their items, the comment of a tagged item goes with it,
/// and the destination's anchor is not copied onto what arrives.
#[test]
fn properties_stay_with_their_items() {
    let text = "phases:\n  - id: p0\n    modules:\n      - mrp_account\n  - id: p1\n    modules:\n      - !!str mrp   # keep me\n";
    assert_eq!(
        mv(text, &[("!!str mrp", 1, 0)]),
        "phases:\n  - id: p0\n    modules:\n      - mrp_account\n      - !!str mrp   # keep me\n  - id: p1\n    modules: []\n"
    );
    let text = "phases:\n  - id: p0\n    modules:\n      - sale_stock\n      - &acc account\n  - id: p1\n    modules:\n      - stock_account\n      - mrp\n";
    assert_eq!(
        mv(text, &[("stock_account", 1, 0)]),
        "phases:\n  - id: p0\n    modules:\n      - sale_stock\n      - &acc account\n      - stock_account\n  - id: p1\n    modules:\n      - mrp\n"
    );
    let text = "phases:\n  - id: factory\n    modules: [\n      &a mrp,\n      project,\n    ]\n  - id: finance\n    modules: [account, stock]\n";
    assert_eq!(
        mv(text, &[("&a mrp", 0, 1)]),
        "phases:\n  - id: factory\n    modules: [\n      project,\n    ]\n  - id: finance\n    modules: [account, stock, &a mrp]\n"
    );
}

/// Issue 9: what an alias shares is refused, never edited through.
#[test]
fn shared_items_and_lists_are_refused() {
    let text = "phases:\n  - id: a\n    modules: &m [mrp]\n  - id: b\n    modules: [account, stock]\n  - id: c\n    modules: *m\n";
    let r = refused(text, 0, 0, 1);
    assert!(r.why.contains("`*m`"), "{r:?}");
    let r = refused(text, 1, 0, 0);
    assert_eq!(r.phase, 0, "{r:?}");
    let text =
        "phases:\n  - id: a\n    modules: [&acc account]\n  - id: b\n    modules: [*acc, stock]\n";
    assert!(refused(text, 0, 0, 1).why.contains("`*acc`"));
    assert!(refused(text, 1, 0, 0).why.contains("alias"));
}

/// Issue 9: `modules: ~` got a second `modules` key.
#[test]
fn null_and_missing_lists_get_a_value() {
    let text = "phases:\n  - id: a\n    modules: ~   # to be decided\n  - id: b\n    modules: [sale]\n  - id: c\n    modules: [account]\n";
    assert_eq!(
        mv(text, &[("account", 2, 0)]),
        "phases:\n  - id: a\n    modules: [account]   # to be decided\n  - id: b\n    modules: [sale]\n  - id: c\n    modules: []\n"
    );
    let text = "phases:\n  - id: a\n    modules: [stock, mrp]\n  - id: b\n    modules:   # later\n    name: B\n";
    assert_eq!(
        mv(text, &[("mrp", 0, 1)]),
        "phases:\n  - id: a\n    modules: [stock]\n  - id: b\n    modules: [mrp]   # later\n    name: B\n"
    );
    let text = "phases:\n  - id: a\n    modules:\n      - stock   # s\n      - mrp\n  - id: b\n    modules: !!null null\n";
    assert_eq!(
        mv(text, &[("stock", 0, 1)]),
        "phases:\n  - id: a\n    modules:\n      - mrp\n  - id: b\n    modules:\n      - stock   # s\n"
    );
    let text =
        "phases:\n  - {id: a, modules: [stock, mrp]}\n  - {id: b, name: \"B, }\", modules: ~}\n";
    assert_eq!(
        mv(text, &[("mrp", 0, 1)]),
        "phases:\n  - {id: a, modules: [stock]}\n  - {id: b, name: \"B, }\", modules: [mrp]}\n"
    );
}

#[test]
fn a_phase_without_modules_gets_a_list_in_the_plans_style() {
    let text = "phases:\n  - id: a\n    modules: [stock, mrp]\n  - id: b\n    name: Later   # soon\n\n  # next\n  - id: c\n";
    assert_eq!(
        mv(text, &[("mrp", 0, 1)]),
        "phases:\n  - id: a\n    modules: [stock]\n  - id: b\n    name: Later   # soon\n    modules: [mrp]\n\n  # next\n  - id: c\n"
    );
    let text = "phases:\n- id: a\n  modules:\n  - stock\n  - mrp\n- name: B\n  id: b\n";
    assert_eq!(
        mv(text, &[("mrp", 0, 1)]),
        "phases:\n- id: a\n  modules:\n  - stock\n- name: B\n  id: b\n  modules:\n  - mrp\n"
    );
    // After a block scalar, whatever its comments.
    let text = "phases:\n  - id: a\n    modules: [stock, mrp]\n  - id: b\n    name: |\n      two\n      lines\n    # about b\n  - id: c\n";
    assert_eq!(
        mv(text, &[("mrp", 0, 1)]),
        "phases:\n  - id: a\n    modules: [stock]\n  - id: b\n    name: |\n      two\n      lines\n    modules: [mrp]\n    # about b\n  - id: c\n"
    );
}

#[test]
fn flow_mapping_phases() {
    let text = "phases:\n  - {id: a, modules: [stock, mrp]}\n  - {id: b, name: \"B, }\"}\n";
    assert_eq!(
        mv(text, &[("mrp", 0, 1)]),
        "phases:\n  - {id: a, modules: [stock]}\n  - {id: b, name: \"B, }\", modules: [mrp]}\n"
    );
}

/// Issue 9: a comment that travelled into a CRLF file ended after the line break.
#[test]
fn line_breaks_of_the_file() {
    let text = "phases:\r\n  - id: a\r\n    modules:\r\n      - stock  # s\r\n      - mrp\r\n  - id: b\r\n    modules: [account, l10n_fr]\r\n";
    assert_eq!(
        mv(text, &[("stock", 0, 1)]),
        "phases:\r\n  - id: a\r\n    modules:\r\n      - mrp\r\n  - id: b\r\n    modules: [account, l10n_fr, stock]  # s\r\n"
    );
    let text = "phases:\r  - id: a\r    modules:\r      - stock  # s\r      - mrp\r  - id: b\r    modules:\r      - account\r";
    assert_eq!(
        mv(text, &[("stock", 0, 1)]),
        "phases:\r  - id: a\r    modules:\r      - mrp\r  - id: b\r    modules:\r      - account\r      - stock  # s\r"
    );
    let text = "phases:\r\n  - id: a\r\n    name: A\r\n    modules: [stock]\r\n  - id: b\r\n    name: B\r\n";
    assert_eq!(
        mv(text, &[("stock", 0, 1)]),
        "phases:\r\n  - id: a\r\n    name: A\r\n    modules: []\r\n  - id: b\r\n    name: B\r\n    modules: [stock]\r\n"
    );
}

#[test]
fn quoting_and_the_last_line() {
    // A quoted item keeps its quotes; a plain one that flow syntax would split is quoted.
    let text = "phases:\n  - id: a\n    modules:\n      - \"stock\"\n      - odd,name\n  - id: b\n    modules: [account]";
    assert_eq!(
        mv(text, &[("\"stock\"", 0, 1), ("odd,name", 0, 1)]),
        "phases:\n  - id: a\n    modules: []\n  - id: b\n    modules: [account, \"stock\", \"odd,name\"]"
    );
    let text = "phases:\n  - id: a\n    modules: [stock]\n  - id: b\n    modules:\n      - account";
    assert_eq!(
        mv(text, &[("stock", 0, 1)]),
        "phases:\n  - id: a\n    modules: []\n  - id: b\n    modules:\n      - account\n      - stock"
    );
}

/// Layouts rows do not describe are rewritten one item a line, every comment kept.
#[test]
fn unusual_flow_lists_are_rewritten_one_item_a_line() {
    let text = "phases:\n  - id: a\n    modules: [stock  # first\n      , mrp]\n  - id: b\n    modules: [account\n      , crm]\n";
    assert_eq!(
        mv(text, &[("mrp", 0, 1)]),
        "phases:\n  - id: a\n    modules: [\n      stock,\n      # first\n    ]\n  - id: b\n    modules: [\n      account,\n      crm,\n      mrp,\n    ]\n"
    );
    let text = "phases:\n  - id: a\n    modules: [\"l10n_fr\n      \", stock]\n  - id: b\n    modules: [account]\n";
    assert_eq!(
        mv(text, &[("stock", 0, 1)]),
        "phases:\n  - id: a\n    modules: [\n      \"l10n_fr\n      \",\n    ]\n  - id: b\n    modules: [account, stock]\n"
    );
}

#[test]
fn a_comment_between_an_item_and_its_dash() {
    let text = "phases:\n  - id: a\n    modules:\n      - # about stock\n        stock\n      - mrp\n  - id: b\n    modules:\n      - # about account\n        account\n";
    assert_eq!(
        mv(text, &[("stock", 0, 1)]),
        "phases:\n  - id: a\n    modules:\n      # about stock\n      - mrp\n  - id: b\n    modules:\n      - # about account\n        account\n      - stock\n"
    );
}

#[test]
fn layouts_it_cannot_edit_are_named() {
    // An explicit key, with the list on the line of its `:`.
    let text =
        "phases:\n  - id: a\n    ? modules\n    : - stock\n  - id: b\n    modules: [account]\n";
    let r = refused(text, 0, 0, 1);
    assert_eq!(r.phase, 0);
    assert!(r.why.contains("`-` does not open its line"), "{r:?}");
}

#[test]
fn nothing_to_move_changes_nothing() {
    let text = "phases:\n  - id: a\n    modules: [stock]\n";
    let layout = Layout::read(text).unwrap();
    assert_eq!(apply(text, &layout, &[]).unwrap(), text);
}
