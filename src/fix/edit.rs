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
//! edit it makes by reading the result back.

use super::layout::{
    Item, Layout, List, Modules, PhaseLayout, indent_at, line_end, line_start, next_line,
};
use crate::graph::PhaseId;
use crate::source::Span;

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

/// One line of a flow list: the part of it inside the brackets.
#[derive(Debug, Clone)]
struct Row {
    /// Where the row's part starts (just past `[` on the first row).
    start: usize,
    /// Where it ends (its line break, or `]` on the last row).
    end: usize,
    /// The line break after it (none on the last row).
    brk: String,
    /// Its opening blanks.
    indent: String,
    /// Its items, by index in the list.
    items: Vec<usize>,
    /// The comment that ends it.
    comment: Option<Span>,
}

/// A flow list, row by row.
struct Flow<'c, 'a> {
    cx: &'c Ctx<'a>,
    list: &'c List,
    close: usize,
    rows: Vec<Row>,
    /// Each item's row.
    row_of: Vec<usize>,
    /// Whether each item is followed by a comma.
    comma: Vec<bool>,
    /// What separates two items on one line (`, `).
    sep: String,
    /// The blanks between the last item (and its comma) and `]`, when they share a line.
    pre_close: String,
}

/// Where the arriving items of a flow list go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// New rows after this row, one item each.
    NewRows(usize),
    /// At the end of this row's items.
    Append(usize),
}

impl<'c, 'a> Flow<'c, 'a> {
    fn read(cx: &'c Ctx<'a>, list: &'c List, open: usize, close: usize) -> Result<Self, String> {
        let text = cx.text;
        let mut rows = Vec::new();
        let mut start = open + 1;
        loop {
            let end = line_end(text, start).min(close);
            let part = &text[start..end];
            let indent = part[..part.len() - part.trim_start_matches([' ', '\t']).len()].to_owned();
            let brk = if end == close {
                String::new()
            } else {
                text[end..next_line(text, end)].to_owned()
            };
            let comment = cx
                .layout
                .comment_at_or_after(start)
                .filter(|c| c.offset < end);
            rows.push(Row {
                start,
                end,
                brk,
                indent,
                items: Vec::new(),
                comment,
            });
            if end == close {
                break;
            }
            start = next_line(text, end);
        }
        let mut row_of = Vec::with_capacity(list.items.len());
        let mut comma = Vec::with_capacity(list.items.len());
        for (i, item) in list.items.iter().enumerate() {
            let r = rows
                .iter()
                .rposition(|row| row.start <= item.node.offset)
                .ok_or("an item before its list")?;
            if item.node.end() > rows[r].end {
                return Err("an item is written over several lines".to_owned());
            }
            rows[r].items.push(i);
            row_of.push(r);
            // What follows an item on its line: blanks, then a comma unless it is the last.
            let rest = &text[item.node.end()..rows[r].end];
            let after = rest.trim_start_matches([' ', '\t']);
            let has_comma = after.starts_with(',');
            comma.push(has_comma);
            let next = list.items.get(i + 1).map_or(close, |n| n.node.offset);
            if !has_comma && next != close {
                return Err("a comma is not on the line of the item before it".to_owned());
            }
        }
        // Between the items and the brackets: only blanks, commas where read above, comments.
        let mut bits = text[open + 1..close].to_owned().into_bytes();
        for item in &list.items {
            bits[item.node.offset - open - 1..item.node.end() - open - 1].fill(b' ');
        }
        for c in &cx.layout.comments {
            if c.offset > open && c.end() <= close {
                bits[c.offset - open - 1..c.end() - open - 1].fill(b' ');
            }
        }
        let commas = bits.split(|&b| b == b',').count() - 1;
        if commas != comma.iter().filter(|&&c| c).count()
            || !bits
                .iter()
                .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b','))
        {
            return Err("it holds something besides items, commas and comments".to_owned());
        }
        let sep = list
            .items
            .windows(2)
            .zip(row_of.windows(2))
            .find(|(_, r)| r[0] == r[1])
            .map_or_else(
                || ", ".to_owned(),
                |(w, _)| text[w[0].node.end()..w[1].node.offset].to_owned(),
            );
        let last_row = rows.len() - 1;
        let pre_close = match list.items.last() {
            Some(item) if row_of.last() == Some(&last_row) => {
                let rest = &text[item.node.end()..close];
                let after_comma = rest.trim_start_matches([' ', '\t']).strip_prefix(',');
                after_comma.unwrap_or(rest).to_owned()
            }
            _ => String::new(),
        };
        Ok(Self {
            cx,
            list,
            close,
            rows,
            row_of,
            comma,
            sep,
            pre_close,
        })
    }

    /// Where arrivals go, given the items that leave.
    fn mode(&self, removed: &[usize]) -> Mode {
        let last_kept = (0..self.list.items.len())
            .rev()
            .find(|i| !removed.contains(i));
        let one_per_row = self.rows.len() > 1
            && self.rows.iter().all(|r| r.items.len() <= 1)
            && self.rows.iter().skip(1).any(|r| !r.items.is_empty());
        let anchor = last_kept.map_or(0, |i| self.row_of[i]);
        if one_per_row && anchor + 1 < self.rows.len() {
            Mode::NewRows(anchor)
        } else {
            Mode::Append(anchor)
        }
    }

    fn takes_comments(&self, removed: &[usize]) -> bool {
        match self.mode(removed) {
            Mode::NewRows(_) => true,
            Mode::Append(r) => {
                let row = &self.rows[r];
                if r + 1 == self.rows.len() {
                    !self
                        .cx
                        .layout
                        .comment_in(self.close, line_end(self.cx.text, self.close))
                } else {
                    row.comment.is_none()
                }
            }
        }
    }

    /// The indentation of a new row: that of the rows holding items below the first, or two
    /// more than the line of `[`.
    fn new_row_indent(&self) -> String {
        self.rows
            .iter()
            .skip(1)
            .find(|r| !r.items.is_empty())
            .map_or_else(
                || format!("{}  ", indent_at(self.cx.text, self.rows[0].start)),
                |r| r.indent.clone(),
            )
    }

    /// Rewrites the list from `[` to `]`: rows that do not change are copied as they are.
    fn edit(
        &self,
        removed: &[usize],
        behind: &[usize],
        incoming: &[Arriving],
        edits: &mut Vec<Edit>,
    ) {
        let text = self.cx.text;
        let plan = RowPlan {
            removed,
            behind,
            incoming,
            mode: self.mode(removed),
            last_kept: (0..self.list.items.len())
                .rev()
                .find(|i| !removed.contains(i)),
            trailing_comma: self.comma.last().copied().unwrap_or(false),
        };
        let mut out: Vec<Out> = Vec::new();
        for r in 0..self.rows.len() {
            out.extend(self.render_row(r, &plan));
            if plan.mode == Mode::NewRows(r) {
                out.extend(self.new_rows(&plan));
            }
        }
        // A last row left with nothing but its `]` joins the row before when that one has no
        // comment: `[a,\n  b]` without `b` is `[a]`.
        if out.len() >= 2
            && out.last().is_some_and(|o| o.emptied_last)
            && !out[out.len() - 2].ends_in_comment
        {
            out.pop();
            if let Some(prev) = out.last_mut() {
                prev.brk.clear();
            }
        }
        let mut body = String::new();
        for o in &out {
            body.push_str(&o.text);
            body.push_str(&o.brk);
        }
        if body.trim().is_empty() {
            body.clear();
        }
        let open = self.rows[0].start - 1;
        edits.push(Edit {
            offset: open,
            delete: self.close + 1 - open,
            insert: format!("[{body}]"),
        });
        if plan.mode == Mode::Append(self.rows.len() - 1) {
            let comments = joined_comments(incoming);
            if !comments.is_empty() {
                edits.push(Edit::insert(line_end(text, self.close), comments));
            }
        }
    }

    /// A row as it becomes; `None` for a row that goes.
    fn render_row(&self, r: usize, plan: &RowPlan<'_>) -> Option<Out> {
        let text = self.cx.text;
        let items = &self.list.items;
        let row = &self.rows[r];
        let last_row = r + 1 == self.rows.len();
        let row_kept: Vec<usize> = row
            .items
            .iter()
            .copied()
            .filter(|i| !plan.removed.contains(i))
            .collect();
        let appended: &[Arriving] = if plan.mode == Mode::Append(r) {
            plan.incoming
        } else {
            &[]
        };
        let new_rows_here = plan.mode == Mode::NewRows(r);
        // The row's comment leaves with the row's last item when that item's comment travels.
        let comment_leaves = row.items.last().is_some_and(|&i| {
            plan.removed.contains(&i)
                && !plan.behind.contains(&i)
                && row.comment.is_some()
                && self.cx.layout.trailing_comment(text, items[i].node.end()) == row.comment
        });
        let comment = row.comment.filter(|_| !comment_leaves);
        let comma = new_rows_here
            || if appended.is_empty() {
                row_kept.last().is_some_and(|&i| plan.comma_after_kept(i))
            } else {
                plan.trailing_comma
            };
        let changed = row_kept.len() != row.items.len()
            || !appended.is_empty()
            || new_rows_here
            || comment_leaves
            || row_kept.last().is_some_and(|&i| comma != self.comma[i]);
        if !changed {
            return Some(Out {
                text: text[row.start..row.end].to_owned(),
                brk: row.brk.clone(),
                ends_in_comment: comment.is_some(),
                emptied_last: false,
            });
        }
        let mut parts: Vec<String> = row_kept
            .iter()
            .map(|&i| slice(text, items[i].node).to_owned())
            .collect();
        parts.extend(appended.iter().map(Arriving::flow_text));
        let mut s = String::new();
        let mut ends_in_comment = comment.is_some();
        if parts.is_empty() {
            match comment {
                Some(c) if r == 0 => {
                    s = format!("{}{}", gap_before(text, c.offset), slice(text, c));
                }
                Some(c) => s = format!("{}{}", row.indent, slice(text, c)),
                // A row between the brackets that held only what left goes.
                None if r != 0 && !last_row => return None,
                None if r != 0 => s.clone_from(&row.indent),
                None => {}
            }
        } else {
            s.push_str(&row.indent);
            s.push_str(&parts.join(&self.sep));
            if comma {
                s.push(',');
            }
            if let Some(c) = comment {
                s.push_str(&gap_before(text, c.offset));
                s.push_str(slice(text, c));
            } else if last_row {
                s.push_str(&self.pre_close);
            } else {
                let comments = joined_comments(appended);
                ends_in_comment = !comments.is_empty();
                s.push_str(&comments);
            }
        }
        Some(Out {
            emptied_last: last_row && r != 0 && !row.items.is_empty() && parts.is_empty(),
            text: s,
            brk: row.brk.clone(),
            ends_in_comment,
        })
    }

    /// The rows of arriving items, one each, after the row of the last item that stays.
    fn new_rows(&self, plan: &RowPlan<'_>) -> Vec<Out> {
        let indent = self.new_row_indent();
        plan.incoming
            .iter()
            .enumerate()
            .map(|(k, a)| {
                let mut s = format!("{indent}{}", a.flow_text());
                if k + 1 < plan.incoming.len() || plan.trailing_comma {
                    s.push(',');
                }
                if let Some((gap, c)) = &a.comment {
                    s.push_str(gap);
                    s.push_str(c);
                }
                Out {
                    text: s,
                    brk: self.cx.eol.to_owned(),
                    ends_in_comment: a.comment.is_some(),
                    emptied_last: false,
                }
            })
            .collect()
    }
}

/// What a flow list's rows are rewritten for.
struct RowPlan<'p> {
    removed: &'p [usize],
    behind: &'p [usize],
    incoming: &'p [Arriving],
    mode: Mode,
    last_kept: Option<usize>,
    trailing_comma: bool,
}

impl RowPlan<'_> {
    /// Whether a kept item is followed by a comma: all but the list's new last item are, and
    /// that one too in a list written with a trailing comma.
    fn comma_after_kept(&self, i: usize) -> bool {
        self.trailing_comma || !self.incoming.is_empty() || Some(i) != self.last_kept
    }
}

/// One row of a rewritten flow list.
struct Out {
    text: String,
    brk: String,
    ends_in_comment: bool,
    /// The last row, which held items and now holds none.
    emptied_last: bool,
}

/// A flow list written in a way [`Flow`] does not describe (commas that open lines, items
/// over several lines), rewritten one item a line, every item followed by a comma: the items
/// that stay and their comments, each comment on a line of its own where it was, then the
/// arriving items with theirs. Only this list's layout changes.
fn one_per_line(
    cx: &Ctx<'_>,
    list: &List,
    (open, close): (usize, usize),
    removed: &[usize],
    behind: &[usize],
    incoming: &[Arriving],
) -> Edit {
    let text = cx.text;
    let outer = indent_at(text, open);
    let indent = format!("{outer}  ");
    // Comments that leave with their items.
    let leaving: Vec<Span> = removed
        .iter()
        .filter(|i| !behind.contains(i))
        .filter_map(|&i| cx.layout.trailing_comment(text, list.items[i].node.end()))
        .collect();
    let mut entries: Vec<(usize, String)> = Vec::new();
    for (i, item) in list.items.iter().enumerate() {
        if !removed.contains(&i) {
            entries.push((
                item.node.offset,
                format!("{indent}{},", slice(text, item.node)),
            ));
        }
    }
    let mut at = open + 1;
    while let Some(c) = cx
        .layout
        .comment_at_or_after(at)
        .filter(|c| c.end() <= close)
    {
        if !leaving.contains(&c) {
            entries.push((c.offset, format!("{indent}{}", slice(text, c))));
        }
        at = c.end();
    }
    entries.sort_by_key(|e| e.0);
    let mut lines: Vec<String> = entries.into_iter().map(|e| e.1).collect();
    for a in incoming {
        let comment = a
            .comment
            .as_ref()
            .map_or_else(String::new, |(gap, c)| format!("{gap}{c}"));
        lines.push(format!("{indent}{},{comment}", a.flow_text()));
    }
    let insert = if lines.is_empty() {
        "[]".to_owned()
    } else {
        let eol = cx.eol;
        format!("[{eol}{}{eol}{outer}]", lines.join(eol))
    };
    Edit {
        offset: open,
        delete: close + 1 - open,
        insert,
    }
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
mod tests {
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
        let text = "phases:\n  - id: a\n    modules: [stock, crm]\n  - id: b\n    modules: [ account,x ]\n";
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
        let text = "phases:\n  - id: a\n    modules: [&acc account]\n  - id: b\n    modules: [*acc, stock]\n";
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
        let text = "phases:\n  - {id: a, modules: [stock, mrp]}\n  - {id: b, name: \"B, }\", modules: ~}\n";
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
        let text =
            "phases:\n  - id: a\n    modules: [stock]\n  - id: b\n    modules:\n      - account";
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
}
