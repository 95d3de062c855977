//! Moving list items in the plan's text, without re-serialising it: every edit replaces a byte
//! range that the YAML parser located (see [`super::layout`]), so comments, key order, quoting
//! and the layout of everything that does not move stay as they are.
//!
//! An item moves whole, with its properties (`!!str mrp`, `&anchor mrp`), and with the comment
//! that ends its line when it is the last item there. It leaves its list cleanly: a block item
//! (`- stock`, over as many lines as it takes) loses its lines; a flow item loses itself and a
//! comma, and a line it leaves empty goes too. It is appended to its new list in the style that
//! list uses: a new `- item` line after the last item that stays, a new line in a flow list
//! written one item per line, or `, item` after the last item of any other flow list. Its
//! comment goes with it where the new list has room (a line of its own, or the end of a line
//! that has no comment yet), and otherwise stays where it was, on a line of its own. A phase
//! without modules (no key, `modules:`, `modules: ~`) gets a list in the style most of the
//! plan's lists use. New line breaks are the file's own.
//!
//! What this module cannot do safely it refuses, naming the list; [`super`] also checks every
//! edit it makes by reading the result back. Block lists and lists that do not exist yet are
//! edited here, flow lists in `flow`.

use super::layout::{Item, Layout, List, Modules, PhaseLayout, line_end, line_start, next_line};
use crate::graph::PhaseId;
use crate::source::Span;
use flow::{Flow, one_per_line};

mod flow;

/// One item to move: which one, and where to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    /// The phase whose list holds it.
    pub from: PhaseId,
    /// Its position in that list.
    pub index: usize,
    /// The phase it goes to.
    pub to: PhaseId,
}

/// A list that cannot be edited, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The phase whose list it is.
    pub phase: PhaseId,
    /// Where the list (or the phase) is written.
    pub span: Span,
    /// Why, in a few words.
    pub why: String,
}

/// A replacement of `delete` bytes at `offset` by `insert`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    offset: usize,
    delete: usize,
    insert: String,
}

impl Edit {
    fn insert(offset: usize, insert: String) -> Self {
        Self {
            offset,
            delete: 0,
            insert,
        }
    }
}

/// An item on its way to a new list.
#[derive(Debug, Clone)]
struct Arriving {
    /// Its properties and a space (`!!str `), or nothing.
    props: String,
    /// The scalar as written.
    content: String,
    plain: bool,
    /// Its comment, when the comment goes with it: the blanks before it and the comment.
    comment: Option<(String, String)>,
}

impl Arriving {
    /// As written, for a block list.
    fn block_text(&self) -> String {
        format!("{}{}", self.props, self.content)
    }

    /// For a flow list: a plain scalar that flow syntax would split is quoted.
    fn flow_text(&self) -> String {
        if self.plain && self.content.contains([',', '[', ']', '{', '}']) {
            let quoted = serde_json::Value::String(self.content.clone()).to_string();
            format!("{}{quoted}", self.props)
        } else {
            self.block_text()
        }
    }
}

/// Everything the edits of one file share.
struct Ctx<'a> {
    text: &'a str,
    layout: &'a Layout,
    eol: &'static str,
}

/// Applies the moves to the text, or says which list it cannot edit.
pub fn apply(text: &str, layout: &Layout, moves: &[Moved]) -> Result<String, Refusal> {
    apply_with(text, layout, moves, &[])
}

/// [`apply`], and appends each `(phase, module)` of `added` to that phase's list after the
/// items that move there: a new item, written as a plain scalar (a module's technical name
/// needs no quotes), without a comment.
pub fn apply_with(
    text: &str,
    layout: &Layout,
    moves: &[Moved],
    added: &[(PhaseId, String)],
) -> Result<String, Refusal> {
    if moves.is_empty() && added.is_empty() {
        return Ok(text.to_owned());
    }
    let cx = Ctx {
        text,
        layout,
        eol: layout.eol,
    };
    let n = layout.phases.len();
    for m in moves {
        check_move(layout, m)?;
    }
    for &(q, _) in added {
        check_receiver(layout, q)?;
    }
    // Items arrive in their new list in file order, as the simulation places them.
    let mut moves = moves.to_vec();
    moves.sort_by_key(|m| layout.phases[m.from].items()[m.index].node.offset);
    let mut removed: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut count_in: Vec<usize> = vec![0; n];
    for m in &moves {
        removed[m.from].push(m.index);
        count_in[m.to] += 1;
    }
    for &(q, _) in added {
        count_in[q] += 1;
    }
    let takes: Vec<bool> = (0..n)
        .map(|q| count_in[q] > 0 && takes_comments(&cx, q, &removed[q]))
        .collect();
    let mut arriving: Vec<Vec<Arriving>> = vec![Vec::new(); n];
    // Comments that stay where they are while their item leaves.
    let mut behind: Vec<Vec<usize>> = vec![Vec::new(); n];
    for m in &moves {
        let item = &layout.phases[m.from].items()[m.index];
        let own = layout.trailing_comment(text, item.node.end());
        let comment = match own {
            Some(c) if takes[m.to] => Some((gap_before(text, c.offset), slice(text, c).to_owned())),
            Some(_) => {
                behind[m.from].push(m.index);
                None
            }
            None => None,
        };
        arriving[m.to].push(Arriving {
            props: text[item.node.offset..item.content.offset].to_owned(),
            content: slice(text, item.content).to_owned(),
            plain: item.plain,
            comment,
        });
    }
    for (q, module) in added {
        arriving[*q].push(Arriving {
            props: String::new(),
            content: module.clone(),
            plain: true,
            comment: None,
        });
    }
    let mut edits = Vec::new();
    for q in 0..n {
        if !(removed[q].is_empty() && arriving[q].is_empty()) {
            list_edits(&cx, q, &removed[q], &behind[q], &arriving[q], &mut edits)?;
        }
    }
    splice(text, edits).map_err(|at| Refusal {
        phase: layout.phase_at(at).unwrap_or(0),
        span: Span::new(at, 0),
        why: "two edits would overlap".to_owned(),
    })
}

/// The edits of one phase's list: the items that leave it (`removed`, with the comments left
/// `behind`) and those that arrive.
fn list_edits(
    cx: &Ctx<'_>,
    q: PhaseId,
    removed: &[usize],
    behind: &[usize],
    arriving: &[Arriving],
    edits: &mut Vec<Edit>,
) -> Result<(), Refusal> {
    let phase = &cx.layout.phases[q];
    let refuse = |why: String| Refusal {
        phase: q,
        span: list_span(phase),
        why,
    };
    match &phase.modules {
        Modules::List(list) => match list.flow {
            Some((open, close)) => match Flow::read(cx, list, open, close) {
                Ok(flow) => flow.edit(removed, behind, arriving, edits),
                Err(_) => edits.push(one_per_line(
                    cx,
                    list,
                    (open, close),
                    removed,
                    behind,
                    arriving,
                )),
            },
            None => {
                block_edits(cx, phase, list, removed, behind, arriving, edits).map_err(refuse)?;
            }
        },
        Modules::Null { key, node } => {
            edits.extend(null_edits(cx, phase, *key, *node, arriving));
        }
        Modules::Absent => edits.extend(new_key(cx, phase, arriving)),
        Modules::Other => return Err(refuse("its `modules` are not a list".to_owned())),
    }
    Ok(())
}

/// A phase that receives an item: it exists and its list is its own.
fn check_receiver(layout: &Layout, q: PhaseId) -> Result<(), Refusal> {
    let phase = layout.phases.get(q).ok_or_else(|| Refusal {
        phase: 0,
        span: Span::new(0, 0),
        why: format!("the plan has no phase {q}"),
    })?;
    match &phase.shared {
        Some(why) => Err(Refusal {
            phase: q,
            span: list_span(phase),
            why: why.clone(),
        }),
        None => Ok(()),
    }
}

fn check_move(layout: &Layout, m: &Moved) -> Result<(), Refusal> {
    let phase = |q: PhaseId| {
        layout.phases.get(q).ok_or_else(|| Refusal {
            phase: 0,
            span: Span::new(0, 0),
            why: format!("the plan has no phase {q}"),
        })
    };
    let (from, to) = (phase(m.from)?, phase(m.to)?);
    for (q, p) in [(m.from, from), (m.to, to)] {
        if let Some(why) = &p.shared {
            return Err(Refusal {
                phase: q,
                span: list_span(p),
                why: why.clone(),
            });
        }
    }
    let item = from.items().get(m.index).ok_or_else(|| Refusal {
        phase: m.from,
        span: list_span(from),
        why: format!("the list has no item {}", m.index + 1),
    })?;
    match &item.shared {
        Some(why) => Err(Refusal {
            phase: m.from,
            span: item.node,
            why: why.clone(),
        }),
        None => Ok(()),
    }
}

/// Where a phase's list is written, for messages: its `modules` key, or the phase.
pub(crate) fn list_span(phase: &PhaseLayout) -> Span {
    match &phase.modules {
        Modules::List(list) => list.key,
        Modules::Null { key, .. } => *key,
        _ => Span::new(phase.start, 0),
    }
}

fn slice(text: &str, span: Span) -> &str {
    &text[span.offset..span.end()]
}

/// The blanks before a comment on its line (at least one space).
fn gap_before(text: &str, offset: usize) -> String {
    let before = &text[line_start(text, offset)..offset];
    let gap = &before[before.trim_end_matches([' ', '\t']).len()..];
    if gap.is_empty() {
        " ".to_owned()
    } else {
        gap.to_owned()
    }
}

/// The comments of items appended inside a line, for its end: `  # a  # b`.
fn joined_comments(incoming: &[Arriving]) -> String {
    let mut out = String::new();
    for (_, c) in incoming.iter().filter_map(|a| a.comment.as_ref()) {
        out.push_str("  ");
        out.push_str(c);
    }
    out
}

/// Whether the items arriving in phase `q` can each keep their comment.
fn takes_comments(cx: &Ctx<'_>, q: PhaseId, removed: &[usize]) -> bool {
    let phase = &cx.layout.phases[q];
    let free_line_after = |offset: usize| !cx.layout.comment_in(offset, line_end(cx.text, offset));
    match &phase.modules {
        Modules::List(list) => match list.flow {
            None => true,
            // A list rows cannot describe is rewritten one item a line, with room for comments.
            Some((open, close)) => {
                Flow::read(cx, list, open, close).map_or(true, |f| f.takes_comments(removed))
            }
        },
        Modules::Null { key, node } => {
            block_style(cx.layout, phase) || free_line_after(null_end(cx.text, *key, *node))
        }
        Modules::Absent => !phase.flow || free_line_after(phase.content_end),
        Modules::Other => false,
    }
}

/// Whether a new list in this phase is a block list: where most of the plan's lists are, and
/// never inside a flow mapping.
fn block_style(layout: &Layout, phase: &PhaseLayout) -> bool {
    let lists: Vec<&List> = layout
        .phases
        .iter()
        .filter_map(|p| match &p.modules {
            Modules::List(l) => Some(l),
            _ => None,
        })
        .collect();
    let block = lists.iter().filter(|l| l.flow.is_none()).count();
    !phase.flow && block * 2 > lists.len()
}

/// How far right of their key this plan writes block list dashes (2 when no list says).
fn block_indent(cx: &Ctx<'_>) -> usize {
    cx.layout
        .phases
        .iter()
        .find_map(|p| match &p.modules {
            Modules::List(l) if l.flow.is_none() => {
                let dash = dash_of(cx, l.items.first()?)?;
                let key_column = l.key.offset - line_start(cx.text, l.key.offset);
                Some((dash - line_start(cx.text, dash)).saturating_sub(key_column))
            }
            _ => None,
        })
        .unwrap_or(2)
}

/// The `-` of a block item: the only thing before it on its line besides blanks, or on the
/// line above with at most a comment after it (`- # about stock` then `  stock`).
fn dash_of(cx: &Ctx<'_>, item: &Item) -> Option<usize> {
    let text = cx.text;
    let dash_before = |from: usize, to: usize| {
        let before = &text[from..to];
        let trimmed = before.trim_end_matches([' ', '\t']);
        (trimmed.trim_start_matches([' ', '\t']) == "-").then(|| from + trimmed.len() - 1)
    };
    let start = line_start(text, item.node.offset);
    if let Some(d) = dash_before(start, item.node.offset) {
        return Some(d);
    }
    if !text[start..item.node.offset]
        .trim_matches([' ', '\t'])
        .is_empty()
        || start == 0
    {
        return None;
    }
    let brk = if text[..start].ends_with("\r\n") {
        2
    } else {
        1
    };
    let above = line_start(text, start - brk);
    let end = cx
        .layout
        .comment_at_or_after(above)
        .filter(|c| c.offset < start)
        .map_or(line_end(text, above), |c| c.offset);
    dash_before(above, end)
}

/// What new items of a block list start with: the blanks, `-` and blanks of `item`.
fn prefix_of(cx: &Ctx<'_>, item: &Item, dash: usize) -> String {
    let text = cx.text;
    let start = line_start(text, dash);
    if start == line_start(text, item.node.offset) {
        text[start..item.node.offset].to_owned()
    } else {
        format!("{}- ", &text[start..dash])
    }
}

/// Inserts whole lines after the line of `offset`, minding a last line with no line break.
fn line_insert(cx: &Ctx<'_>, offset: usize, lines: &str) -> Edit {
    let end = line_end(cx.text, offset);
    if end == cx.text.len() {
        Edit::insert(
            end,
            format!("{}{}", cx.eol, lines.strip_suffix(cx.eol).unwrap_or(lines)),
        )
    } else {
        Edit::insert(next_line(cx.text, offset), lines.to_owned())
    }
}

fn block_line(cx: &Ctx<'_>, prefix: &str, a: &Arriving) -> String {
    let comment = a
        .comment
        .as_ref()
        .map_or_else(String::new, |(gap, c)| format!("{gap}{c}"));
    format!("{prefix}{}{comment}{}", a.block_text(), cx.eol)
}

fn block_edits(
    cx: &Ctx<'_>,
    phase: &PhaseLayout,
    list: &List,
    removed: &[usize],
    behind: &[usize],
    incoming: &[Arriving],
    edits: &mut Vec<Edit>,
) -> Result<(), String> {
    let text = cx.text;
    let dash = |item: &Item| {
        dash_of(cx, item).ok_or_else(|| "an item's `-` does not open its line".to_owned())
    };
    for &r in removed {
        let item = &list.items[r];
        let d = dash(item)?;
        let start = line_start(text, d);
        // Its lines go; comments on them that do not leave with it stay, each on a line.
        let mut staying: Vec<Span> = Vec::new();
        let mut at = d;
        while let Some(c) = cx
            .layout
            .comment_at_or_after(at)
            .filter(|c| c.offset < item.node.offset)
        {
            staying.push(c);
            at = c.end();
        }
        if behind.contains(&r) {
            staying.extend(cx.layout.trailing_comment(text, item.node.end()));
        }
        let indent = &text[start..d];
        let mut insert = String::new();
        for &c in &staying {
            insert.push_str(indent);
            insert.push_str(slice(text, c));
            insert.push_str(cx.eol);
        }
        edits.push(Edit {
            offset: start,
            delete: next_line(text, item.node.end()) - start,
            insert,
        });
    }
    let kept: Vec<&Item> = list
        .items
        .iter()
        .enumerate()
        .filter(|(i, _)| !removed.contains(i))
        .map(|(_, item)| item)
        .collect();
    if incoming.is_empty() {
        if kept.is_empty() {
            edits.push(empty_list(cx, list)?);
        }
        return Ok(());
    }
    // The new lines copy the `- ` of the last item that stays (or of the first one).
    let model = kept.last().copied().or(list.items.first()).ok_or_else(|| {
        format!(
            "phase `{}` has an empty block list",
            phase.id.as_deref().unwrap_or("?")
        )
    })?;
    let model_dash = dash(model)?;
    let start = line_start(text, model_dash);
    let prefix = prefix_of(cx, model, model_dash);
    let lines: String = incoming
        .iter()
        .map(|a| block_line(cx, &prefix, a))
        .collect();
    edits.push(match kept.last() {
        Some(item) => line_insert(cx, item.node.end(), &lines),
        None => Edit::insert(start, lines),
    });
    Ok(())
}

/// A block list whose every item left: `modules:` gets `[]`, so that it stays a list.
fn empty_list(cx: &Ctx<'_>, list: &List) -> Result<Edit, String> {
    let colon = colon_after(cx.text, list.key).ok_or("no `:` after `modules`")?;
    let at = match list.props {
        Some(p) if p.offset > colon && line_end(cx.text, colon) >= p.end() => p.end(),
        _ => colon + 1,
    };
    Ok(Edit::insert(at, " []".to_owned()))
}

fn colon_after(text: &str, key: Span) -> Option<usize> {
    let rest = &text[key.end()..];
    let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    rest[blanks..]
        .starts_with(':')
        .then_some(key.end() + blanks)
}

/// Where the value of a null `modules` ends (just past the `:` when there is none).
fn null_end(text: &str, key: Span, node: Span) -> usize {
    let colon = colon_after(text, key).map_or(key.end(), |c| c + 1);
    if node.len > 0 && node.offset >= colon {
        node.end()
    } else {
        colon
    }
}

/// `modules:`, `modules: ~`: the value becomes the arriving items.
fn null_edits(
    cx: &Ctx<'_>,
    phase: &PhaseLayout,
    key: Span,
    node: Span,
    incoming: &[Arriving],
) -> Vec<Edit> {
    let text = cx.text;
    let from = colon_after(text, key).map_or(key.end(), |c| c + 1);
    let to = null_end(text, key, node);
    if block_style(cx.layout, phase) {
        let pad = " ".repeat(key.offset - line_start(text, key.offset) + block_indent(cx));
        let lines: String = incoming
            .iter()
            .map(|a| block_line(cx, &format!("{pad}- "), a))
            .collect();
        return vec![
            Edit {
                offset: from,
                delete: to - from,
                insert: String::new(),
            },
            line_insert(cx, from, &lines),
        ];
    }
    let items: Vec<String> = incoming.iter().map(Arriving::flow_text).collect();
    let mut out = vec![Edit {
        offset: from,
        delete: to - from,
        insert: format!(" [{}]", items.join(", ")),
    }];
    let comments = joined_comments(incoming);
    if !comments.is_empty() {
        out.push(Edit::insert(line_end(text, to), comments));
    }
    out
}

/// A `modules` key for a phase that has none.
fn new_key(cx: &Ctx<'_>, phase: &PhaseLayout, incoming: &[Arriving]) -> Vec<Edit> {
    let text = cx.text;
    let items: Vec<String> = incoming.iter().map(Arriving::flow_text).collect();
    let comments = joined_comments(incoming);
    if phase.flow {
        // `{id: x}` gets `, modules: [..]` after its last value.
        let mut out = vec![Edit::insert(
            phase.content_end,
            format!(", modules: [{}]", items.join(", ")),
        )];
        if !comments.is_empty() {
            out.push(Edit::insert(line_end(text, phase.content_end), comments));
        }
        return out;
    }
    let indent = " ".repeat(phase.key_column);
    let lines = if block_style(cx.layout, phase) {
        let pad = format!("{indent}{}- ", " ".repeat(block_indent(cx)));
        let items: String = incoming.iter().map(|a| block_line(cx, &pad, a)).collect();
        format!("{indent}modules:{}{items}", cx.eol)
    } else {
        format!(
            "{indent}modules: [{}]{comments}{}",
            items.join(", "),
            cx.eol
        )
    };
    vec![line_insert(cx, phase.content_end, &lines)]
}

/// Applies edits sorted by offset (insertions before deletions at the same offset); fails with
/// the offset of two edits that overlap.
fn splice(text: &str, mut edits: Vec<Edit>) -> Result<String, usize> {
    edits.sort_by_key(|e| (e.offset, e.delete));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for e in edits {
        if e.offset < at {
            return Err(e.offset);
        }
        out.push_str(&text[at..e.offset]);
        out.push_str(&e.insert);
        at = e.offset + e.delete;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

#[cfg(test)]
mod tests;
