//! Where `Layout` finds a plan's lists, items and comments, however they are written.

use super::*;

fn texts(text: &str, spans: &[Span]) -> Vec<String> {
    spans
        .iter()
        .map(|s| text[s.offset..s.end()].to_owned())
        .collect()
}

#[test]
fn comments_are_found_outside_every_token() {
    let text = "\
# top
odoo: \"17.0 # not\"   # after
phases:
  - id: a # id
    name: |  # header
      body # not
      more
    # between
    modules: [a, 'b # no', # in flow
      c]#not-a-comment-start
";
    let layout = Layout::read(text);
    // `]#` is a YAML error; without it the rest reads.
    assert!(layout.is_err());
    let text = text.replace("]#not-a-comment-start", "]");
    let layout = Layout::read(&text).unwrap();
    assert_eq!(
        texts(&text, &layout.comments),
        [
            "# top",
            "# after",
            "# id",
            "# header",
            "# between",
            "# in flow"
        ]
    );
    let items: Vec<String> = layout.phases[0]
        .items()
        .iter()
        .map(|i| text[i.node.offset..i.node.end()].to_owned())
        .collect();
    assert_eq!(items, ["a", "'b # no'", "c"]);
}

#[test]
fn properties_belong_to_their_items_and_aliases_are_shared() {
    let text = "\
phases:
  - id: a
    modules: &m [x]
  - id: b
    modules:
      - !!str mrp   # keep
      - &acc account
      - &free stock
  - id: c
    modules: *m
  - id: d
    modules: [*acc]
  - id: e
    modules: ~   # later
  - {id: f}
";
    let layout = Layout::read(text).unwrap();
    let p = &layout.phases;
    assert!(p[0].shared.is_some());
    assert!(p[1].shared.is_none());
    let nodes = texts(
        text,
        &p[1].items().iter().map(|i| i.node).collect::<Vec<_>>(),
    );
    assert_eq!(nodes, ["!!str mrp", "&acc account", "&free stock"]);
    let shared: Vec<bool> = p[1].items().iter().map(|i| i.shared.is_some()).collect();
    assert_eq!(shared, [false, true, false]);
    assert!(p[2].shared.is_some());
    assert!(p[3].items()[0].shared.is_some());
    assert!(matches!(p[4].modules, Modules::Null { .. }));
    assert!(p[5].flow && matches!(p[5].modules, Modules::Absent));
    assert_eq!(p[5].id.as_deref(), Some("f"));
}

#[test]
fn line_breaks_of_every_kind() {
    let text = "a\r\nb\rc\nd";
    assert_eq!(
        (line_start(text, 3), line_end(text, 3), next_line(text, 3)),
        (3, 4, 5)
    );
    assert_eq!((line_start(text, 5), next_line(text, 0)), (5, 3));
    assert_eq!(eol_of(text), "\r\n");
    assert_eq!(eol_of("a\rb"), "\r");
    assert_eq!(eol_of("a"), "\n");
}
