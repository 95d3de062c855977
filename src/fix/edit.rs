//! Moving list items in the plan's text, without re-serialising it: every edit is a byte
//! range replaced at the spans the loader recorded, so comments, key order, quoting and layout
//! of everything that does not move stay as they are.
//!
//! A moved item leaves its list cleanly: a block item (`- stock`) or a flow item alone on its
//! line loses its whole line; an inline flow item loses itself and one comma. It is appended
//! to its new list in the style that list uses: a new `- item` line with the same indentation,
//! a new line in a multi-line flow list, or `, item` in a one-line flow list. A comment after a
//! moved item on its line goes with it where the new list has room for it (a line of its own,
//! or the end of a one-line list's line), and otherwise stays where it was. A phase without a
//! `modules` key gets one, in the style most of the plan's lists use.

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::graph::PhaseId;
use crate::source::Span;

/// One item to move: where it is written and where it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    /// The phase whose list holds it.
    pub from: PhaseId,
    /// The item's bytes (the scalar, quotes included).
    pub item: Span,
    /// The phase it goes to.
    pub to: PhaseId,
}

/// A replacement of `delete` bytes at `offset` by `insert`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    offset: usize,
    delete: usize,
    insert: String,
}

/// Just what the edits need from the YAML: each phase's id and its `modules` list.
#[derive(Debug, Deserialize)]
struct Doc {
    phases: Vec<DocPhase>,
}

#[derive(Debug, Deserialize)]
struct DocPhase {
    id: Spanned<String>,
    #[serde(default)]
    modules: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `[a, b]` on one line; `open` and `close` are the brackets.
    FlowLine { open: usize, close: usize },
    /// A flow list over several lines.
    FlowLines { open: usize },
    /// `- a` lines.
    Block,
}

#[derive(Debug, Clone)]
struct List {
    kind: Kind,
    items: Vec<Span>,
}

/// A comment after an item on its line: the blanks before it and the comment itself.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Trailing {
    gap: String,
    comment: String,
}

/// An item on its way to a new list.
#[derive(Debug, Clone)]
struct Arriving {
    text: String,
    trailing: Option<Trailing>,
}

/// Applies the moves to the text. Fails (with a message for a bug report) only when the text
/// does not have the shape the loader saw, or when edits would overlap.
pub fn apply(text: &str, moves: &[Moved]) -> Result<String, String> {
    if moves.is_empty() {
        return Ok(text.to_owned());
    }
    // Items arrive in their new list in file order, as the simulation placed them.
    let mut moves = moves.to_vec();
    moves.sort_by_key(|m| m.item.offset);
    let moves = moves.as_slice();
    let options = serde_saphyr::options! { with_snippet: false };
    let doc: Doc = serde_saphyr::from_str_with_options(text, options)
        .map_err(|e| format!("the plan no longer parses: {e}"))?;
    let lists: Vec<Option<List>> = doc.phases.iter().map(|p| list(text, p)).collect();
    let block_style = prefers_block(&lists);
    let mut edits = Vec::new();
    // Where each moved item goes decides whether its comment can go with it.
    let takes_comments: Vec<bool> = (0..doc.phases.len())
        .map(|q| takes_comments(text, lists[q].as_ref(), moves, q))
        .collect();
    let mut arriving: Vec<Vec<Arriving>> = vec![Vec::new(); doc.phases.len()];
    // Items whose comment cannot go with them: the comment stays, on a line of its own.
    let mut behind: Vec<(Span, String)> = Vec::new();
    for m in moves {
        let list = lists
            .get(m.from)
            .and_then(Option::as_ref)
            .filter(|l| l.items.contains(&m.item))
            .ok_or_else(|| format!("no list item at byte {} in phase {}", m.item.offset, m.from))?;
        let trailing = alone_on_line(text, list.kind, m.item)
            .then(|| trailing(text, m.item))
            .flatten();
        let travels = takes_comments.get(m.to).copied().unwrap_or(false);
        let trailing = match trailing {
            Some(t) if !travels => {
                behind.push((m.item, t.comment));
                None
            }
            other => other,
        };
        arriving
            .get_mut(m.to)
            .ok_or_else(|| format!("no phase {}", m.to))?
            .push(Arriving {
                text: text[m.item.offset..m.item.end()].to_owned(),
                trailing,
            });
    }
    for (q, phase) in doc.phases.iter().enumerate() {
        let removed: Vec<Span> = moves
            .iter()
            .filter(|m| m.from == q)
            .map(|m| m.item)
            .collect();
        let incoming = &arriving[q];
        if removed.is_empty() && incoming.is_empty() {
            continue;
        }
        match &lists[q] {
            Some(list) => {
                edit_list(text, list, &removed, &behind, incoming, &mut edits)?;
            }
            None => edits.push(new_key(text, phase, &lists, block_style, incoming)?),
        }
    }
    // New lines follow the file's line endings.
    if text.contains("\r\n") {
        for e in &mut edits {
            e.insert = e.insert.replace('\n', "\r\n");
        }
    }
    splice(text, edits)
}

fn list(text: &str, phase: &DocPhase) -> Option<List> {
    let modules = phase.modules.as_ref()?;
    let items: Vec<Span> = modules
        .value
        .iter()
        .map(|s| crate::plan::span_of(&s.referenced))
        .collect();
    let start = crate::plan::span_of(&modules.referenced).offset;
    let kind = if text.as_bytes().get(start) == Some(&b'[') {
        let close = closing_bracket(text, start, items.last().map_or(start + 1, |s| s.end()));
        match close {
            Some(close) if !text[start..close].contains('\n') => {
                Kind::FlowLine { open: start, close }
            }
            _ => Kind::FlowLines { open: start },
        }
    } else {
        Kind::Block
    };
    Some(List { kind, items })
}

/// The `]` closing a flow list, looking from `from` (the end of its last item) over blanks,
/// commas and comments.
fn closing_bracket(text: &str, open: usize, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from.max(open + 1);
    while i < bytes.len() {
        match bytes[i] {
            b']' => return Some(i),
            b' ' | b'\t' | b'\r' | b'\n' | b',' => i += 1,
            b'#' => i = line_end(text, i),
            _ => return None,
        }
    }
    None
}

/// Whether most of the plan's lists are block lists (new lists then are too).
fn prefers_block(lists: &[Option<List>]) -> bool {
    let block = lists
        .iter()
        .flatten()
        .filter(|l| l.kind == Kind::Block)
        .count();
    block * 2 > lists.iter().flatten().count()
}

/// Whether the items appended to phase `q` can each keep a comment on their line.
fn takes_comments(text: &str, list: Option<&List>, moves: &[Moved], q: PhaseId) -> bool {
    let Some(list) = list else {
        return true; // a new key: flow on its own line, or block lines
    };
    match list.kind {
        Kind::Block => true,
        Kind::FlowLine { close, .. } => !has_comment_after(text, close + 1),
        Kind::FlowLines { open } => {
            let remaining = list
                .items
                .iter()
                .rev()
                .find(|s| !moves.iter().any(|m| m.from == q && m.item == **s));
            match remaining {
                Some(anchor) => {
                    alone_on_line(text, list.kind, *anchor)
                        || !has_comment_after(text, anchor.end())
                }
                None => !has_comment_after(text, open + 1),
            }
        }
    }
}

fn has_comment_after(text: &str, offset: usize) -> bool {
    text[offset..line_end(text, offset)].contains('#')
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset of the line's `\n` (or the end of the text).
fn line_end(text: &str, offset: usize) -> usize {
    text[offset..].find('\n').map_or(text.len(), |i| offset + i)
}

/// Just past the line's `\n`.
fn next_line(text: &str, offset: usize) -> usize {
    (line_end(text, offset) + 1).min(text.len())
}

fn indent_of(text: &str, line_start: usize) -> usize {
    text[line_start..]
        .bytes()
        .take_while(|&b| b == b' ')
        .count()
}

/// Whether an item has its line to itself: only the `- ` (block) or blanks before it, and
/// after it at most a comma and a comment.
fn alone_on_line(text: &str, kind: Kind, item: Span) -> bool {
    let before = text[line_start(text, item.offset)..item.offset].trim_start();
    let before_ok = match kind {
        Kind::Block => before.trim_end() == "-",
        _ => before.is_empty(),
    };
    let after = text[item.end()..line_end(text, item.end())].trim_start();
    let after = after.strip_prefix(',').unwrap_or(after).trim_start();
    before_ok && (after.is_empty() || after.starts_with('#'))
}

/// The comment after an item on its line, if any.
fn trailing(text: &str, item: Span) -> Option<Trailing> {
    let rest = &text[item.end()..line_end(text, item.end())];
    let hash = rest.find('#')?;
    let before = &rest[..hash];
    let gap: String = before.chars().filter(|c| *c == ' ' || *c == '\t').collect();
    Some(Trailing {
        gap: if gap.is_empty() { " ".to_owned() } else { gap },
        comment: rest[hash..].trim_end().to_owned(),
    })
}

/// An item's text for a flow list: a plain scalar that flow syntax would split is quoted.
fn flow_text(item: &str) -> String {
    let quoted = item.starts_with('"') || item.starts_with('\'');
    if !quoted && item.contains([',', '[', ']', '{', '}', '#']) {
        serde_json::Value::String(item.to_owned()).to_string()
    } else {
        item.to_owned()
    }
}

/// Removes an item that has its line to itself: the whole line, or all but the comment that
/// stays behind.
fn remove_line(text: &str, item: Span, behind: &[(Span, String)]) -> Edit {
    let start = line_start(text, item.offset);
    match behind.iter().find(|(s, _)| *s == item) {
        Some((_, comment)) => Edit {
            offset: start,
            delete: line_end(text, item.offset)
                - start
                - usize::from(text[..line_end(text, item.offset)].ends_with('\r')),
            insert: format!("{}{comment}", " ".repeat(indent_of(text, start))),
        },
        None => Edit {
            offset: start,
            delete: next_line(text, item.offset) - start,
            insert: String::new(),
        },
    }
}

fn edit_list(
    text: &str,
    list: &List,
    removed: &[Span],
    behind: &[(Span, String)],
    incoming: &[Arriving],
    edits: &mut Vec<Edit>,
) -> Result<(), String> {
    let remaining: Vec<Span> = list
        .items
        .iter()
        .copied()
        .filter(|s| !removed.contains(s))
        .collect();
    match list.kind {
        Kind::FlowLine { open, close } => {
            edits.push(rewrite_flow_line(
                text, list, open, close, &remaining, incoming,
            ));
            attach_comments(text, close + 1, incoming, edits);
        }
        Kind::FlowLines { open } => {
            if remaining.is_empty()
                && incoming.is_empty()
                && let Some(edit) = collapse_flow_lines(text, list, open, behind)
            {
                edits.push(edit);
                return Ok(());
            }
            for &item in removed {
                edits.push(if alone_on_line(text, list.kind, item) {
                    remove_line(text, item, behind)
                } else {
                    let kept_before = remaining.iter().rev().find(|s| s.offset < item.offset);
                    let kept_after = remaining.iter().any(|s| s.offset > item.offset);
                    remove_flow_item(
                        text,
                        item,
                        kept_before.map_or(open + 1, |s| s.end()),
                        kept_after,
                    )
                });
            }
            append_flow_lines(text, open, &remaining, incoming, edits);
        }
        Kind::Block => {
            for &item in removed {
                edits.push(remove_line(text, item, behind));
            }
            if remaining.is_empty() && incoming.is_empty() {
                edits.push(empty_block(text, list)?);
            } else {
                append_block(text, list, &remaining, incoming, edits)?;
            }
        }
    }
    Ok(())
}

/// A multi-line flow list whose every item left becomes `[]`, unless a comment would be lost.
fn collapse_flow_lines(
    text: &str,
    list: &List,
    open: usize,
    behind: &[(Span, String)],
) -> Option<Edit> {
    let close = closing_bracket(text, open, list.items.last()?.end())?;
    if list
        .items
        .iter()
        .any(|item| behind.iter().any(|(s, _)| s == item))
    {
        return None;
    }
    // Each item goes with the rest of its line (its comma and comment); what is left must be
    // blank.
    let mut rest = String::new();
    let mut at = open + 1;
    for item in &list.items {
        rest.push_str(&text[at.min(item.offset)..item.offset]);
        at = at.max(line_end(text, item.end()).min(close));
    }
    rest.push_str(&text[at.min(close)..close]);
    rest.chars()
        .all(|c| c.is_whitespace() || c == ',')
        .then(|| Edit {
            offset: open,
            delete: close + 1 - open,
            insert: "[]".to_owned(),
        })
}

/// A one-line flow list, rebuilt with the spacing it had.
fn rewrite_flow_line(
    text: &str,
    list: &List,
    open: usize,
    close: usize,
    remaining: &[Span],
    incoming: &[Arriving],
) -> Edit {
    let (lead, trail) = match (list.items.first(), list.items.last()) {
        (Some(head), Some(tail)) => (&text[open + 1..head.offset], &text[tail.end()..close]),
        _ => ("", ""),
    };
    let sep = match list.items.as_slice() {
        [a, b, ..] => &text[a.end()..b.offset],
        _ => ", ",
    };
    let mut items: Vec<String> = remaining
        .iter()
        .map(|s| text[s.offset..s.end()].to_owned())
        .collect();
    items.extend(incoming.iter().map(|a| flow_text(&a.text)));
    let inner = if items.is_empty() {
        String::new()
    } else {
        format!("{lead}{}{trail}", items.join(sep))
    };
    Edit {
        offset: open,
        delete: close + 1 - open,
        insert: format!("[{inner}]"),
    }
}

/// Comments of items appended inline go at the end of the line (`# a; b`).
fn attach_comments(text: &str, from: usize, incoming: &[Arriving], edits: &mut Vec<Edit>) {
    let comments: Vec<&str> = incoming
        .iter()
        .filter_map(|a| a.trailing.as_ref())
        .map(|t| t.comment.trim_start_matches('#').trim())
        .collect();
    if !comments.is_empty() {
        let end = line_end(text, from);
        edits.push(Edit {
            offset: end,
            delete: 0,
            insert: format!("  # {}", comments.join("; ")),
        });
    }
}

/// Removes an item that shares its line in a multi-line flow list. With an item kept after
/// it, the item and its comma go; otherwise everything from the last item kept before it (or
/// the `[`) goes, unless a comment lies in between, in which case only the item does.
fn remove_flow_item(text: &str, item: Span, kept_end: usize, kept_after: bool) -> Edit {
    let bytes = text.as_bytes();
    if kept_after {
        let mut end = item.end();
        while end < bytes.len() && matches!(bytes[end], b' ' | b'\t') {
            end += 1;
        }
        if bytes.get(end) == Some(&b',') {
            end += 1;
            while end < bytes.len() && matches!(bytes[end], b' ' | b'\t') {
                end += 1;
            }
        }
        return Edit {
            offset: item.offset,
            delete: end - item.offset,
            insert: String::new(),
        };
    }
    let start = if text[kept_end..item.offset].contains('#') {
        item.offset
    } else {
        kept_end
    };
    Edit {
        offset: start,
        delete: item.end() - start,
        insert: String::new(),
    }
}

fn append_flow_lines(
    text: &str,
    open: usize,
    remaining: &[Span],
    incoming: &[Arriving],
    edits: &mut Vec<Edit>,
) {
    if incoming.is_empty() {
        return;
    }
    let Some(&anchor) = remaining.last() else {
        let items: Vec<String> = incoming.iter().map(|a| flow_text(&a.text)).collect();
        edits.push(Edit {
            offset: open + 1,
            delete: 0,
            insert: items.join(", "),
        });
        attach_comments(text, open + 1, incoming, edits);
        return;
    };
    if !alone_on_line(text, Kind::FlowLines { open }, anchor) {
        let mut items = String::new();
        for a in incoming {
            items.push_str(", ");
            items.push_str(&flow_text(&a.text));
        }
        edits.push(Edit {
            offset: anchor.end(),
            delete: 0,
            insert: items,
        });
        attach_comments(text, anchor.end(), incoming, edits);
        return;
    }
    let after = text[anchor.end()..line_end(text, anchor.end())].trim_start();
    let has_comma = after.starts_with(',');
    if !has_comma {
        edits.push(Edit {
            offset: anchor.end(),
            delete: 0,
            insert: ",".to_owned(),
        });
    }
    let indent = " ".repeat(indent_of(text, line_start(text, anchor.offset)));
    let mut lines = String::new();
    for (i, a) in incoming.iter().enumerate() {
        let comma = if has_comma || i + 1 < incoming.len() {
            ","
        } else {
            ""
        };
        let comment = a
            .trailing
            .as_ref()
            .map_or_else(String::new, |t| format!("{}{}", t.gap, t.comment));
        lines.push_str(&format!("{indent}{}{comma}{comment}\n", flow_text(&a.text)));
    }
    edits.push(line_insert(text, anchor.offset, lines));
}

/// Inserts whole lines after the line of `offset`, minding a last line without `\n`.
fn line_insert(text: &str, offset: usize, lines: String) -> Edit {
    let end = line_end(text, offset);
    if end == text.len() {
        Edit {
            offset: end,
            delete: 0,
            insert: format!("\n{}", lines.trim_end_matches('\n')),
        }
    } else {
        Edit {
            offset: end + 1,
            delete: 0,
            insert: lines,
        }
    }
}

fn block_line(prefix: &str, a: &Arriving) -> String {
    let comment = a
        .trailing
        .as_ref()
        .map_or_else(String::new, |t| format!("{}{}", t.gap, t.comment));
    format!("{prefix}{}{comment}\n", a.text)
}

fn append_block(
    text: &str,
    list: &List,
    remaining: &[Span],
    incoming: &[Arriving],
    edits: &mut Vec<Edit>,
) -> Result<(), String> {
    if incoming.is_empty() {
        return Ok(());
    }
    // The new lines copy the `- ` prefix of the last item that stays (or of the first one).
    let (anchor, after_it) = match (remaining.last(), list.items.first()) {
        (Some(&a), _) => (a, true),
        (None, Some(&first)) => (first, false),
        (None, None) => return Err("a block list without items".to_owned()),
    };
    let start = line_start(text, anchor.offset);
    let prefix = &text[start..anchor.offset];
    let lines: String = incoming.iter().map(|a| block_line(prefix, a)).collect();
    if after_it {
        edits.push(line_insert(text, anchor.offset, lines));
    } else {
        edits.push(Edit {
            offset: start,
            delete: 0,
            insert: lines,
        });
    }
    Ok(())
}

/// A block list whose every item left: `modules:` gets `[]`, so that it stays a list.
fn empty_block(text: &str, list: &List) -> Result<Edit, String> {
    let item = list.items.first().ok_or("an empty block list")?;
    let first = line_start(text, item.offset);
    let mut line = first;
    while line > 0 {
        let prev = line_start(text, line - 1);
        let content = strip_comment(&text[prev..line - 1]);
        if content.trim().is_empty() {
            line = prev;
            continue;
        }
        if content.trim_end().ends_with(':') {
            return Ok(Edit {
                offset: prev + content.trim_end().len(),
                delete: 0,
                insert: " []".to_owned(),
            });
        }
        break;
    }
    Err("cannot find the `modules:` key of an emptied list".to_owned())
}

/// A line without its comment (a `#` at the start or after a blank; plan keys are not quoted
/// strings holding `#`).
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t')) {
            return &line[..i];
        }
    }
    line
}

/// A `modules` key for a phase that has none (or a `modules:` with no value).
fn new_key(
    text: &str,
    phase: &DocPhase,
    lists: &[Option<List>],
    block_style: bool,
    incoming: &[Arriving],
) -> Result<Edit, String> {
    let id = crate::plan::span_of(&phase.id.referenced);
    let id_line = line_start(text, id.offset);
    let flow_items: Vec<String> = incoming.iter().map(|a| flow_text(&a.text)).collect();
    let flow_comment = {
        let comments: Vec<&str> = incoming
            .iter()
            .filter_map(|a| a.trailing.as_ref())
            .map(|t| t.comment.trim_start_matches('#').trim())
            .collect();
        if comments.is_empty() {
            String::new()
        } else {
            format!("  # {}", comments.join("; "))
        }
    };
    // A flow mapping phase: `- {id: x}` gets `, modules: [..]` before its `}`.
    if text[id_line..id.offset].contains('{') {
        let close = closing_brace(text, id.end())
            .ok_or_else(|| "cannot find the end of a flow mapping phase".to_owned())?;
        return Ok(Edit {
            offset: close,
            delete: 0,
            insert: format!(", modules: [{}]", flow_items.join(", ")),
        });
    }
    let key_col = key_column(text, id_line, id.offset);
    let indent = " ".repeat(key_col);
    let (first_line, last_line) = phase_lines(text, id_line, key_col);
    // An existing `modules:` with no value: give it one.
    let mut line = first_line;
    while line <= last_line && line < text.len() {
        let content = strip_comment(&text[line..line_end(text, line)]);
        let key = content.trim_start().trim_start_matches("- ").trim_start();
        let is_empty_key = key
            .strip_prefix("modules")
            .and_then(|rest| rest.trim_start().strip_prefix(':'))
            .is_some_and(|value| value.trim().is_empty());
        if is_empty_key {
            if block_style {
                let pad = " ".repeat(key_col + block_indent(text, lists));
                let lines: String = incoming
                    .iter()
                    .map(|a| block_line(&format!("{pad}- "), a))
                    .collect();
                return Ok(line_insert(text, line, lines));
            }
            return Ok(Edit {
                offset: line + content.trim_end().len(),
                delete: 0,
                insert: format!(" [{}]{flow_comment}", flow_items.join(", ")),
            });
        }
        line = next_line(text, line);
        if line >= text.len() {
            break;
        }
    }
    let lines = if block_style {
        let rel = block_indent(text, lists);
        let pad = " ".repeat(key_col + rel);
        let items: String = incoming
            .iter()
            .map(|a| block_line(&format!("{pad}- "), a))
            .collect();
        format!("{indent}modules:\n{items}")
    } else {
        format!(
            "{indent}modules: [{}]{flow_comment}\n",
            flow_items.join(", ")
        )
    };
    Ok(line_insert(text, last_line, lines))
}

/// The column of the key whose value starts at `value` (`  - id: x` gives 4).
fn key_column(text: &str, line: usize, value: usize) -> usize {
    let prefix = &text[line..value];
    let key_part = prefix.trim_end();
    let key_part = key_part.strip_suffix(':').unwrap_or(key_part).trim_end();
    let key_len = key_part.rsplit([' ', '-', '\t']).next().map_or(0, str::len);
    key_part.len() - key_len
}

/// The first and last lines of a block mapping phase whose keys sit at `key_col`: up to the
/// `- ` that opens it, and down to its last line that is neither blank nor a comment.
fn phase_lines(text: &str, id_line: usize, key_col: usize) -> (usize, usize) {
    let mut first = id_line;
    while first > 0
        && !text[first..line_end(text, first)]
            .trim_start()
            .starts_with('-')
    {
        first = line_start(text, first - 1);
    }
    let mut last = id_line;
    let mut line = next_line(text, id_line);
    while line < text.len() {
        let content = &text[line..line_end(text, line)];
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            line = next_line(text, line);
            continue;
        }
        if indent_of(text, line) < key_col {
            break;
        }
        last = line;
        line = next_line(text, line);
    }
    (first, last)
}

/// How far block list items sit right of their key in this plan (2 when no list says).
fn block_indent(text: &str, lists: &[Option<List>]) -> usize {
    lists
        .iter()
        .flatten()
        .find(|l| l.kind == Kind::Block)
        .and_then(|l| {
            let item = l.items.first()?;
            let dash = indent_of(text, line_start(text, item.offset));
            // The key is the nearest line above with less indentation, or the same (`- ` at
            // the key's column is valid YAML too).
            let mut line = line_start(text, item.offset);
            while line > 0 {
                line = line_start(text, line - 1);
                let content = strip_comment(&text[line..line_end(text, line)]);
                if content.trim().is_empty() {
                    continue;
                }
                let key = indent_of(text, line);
                let key = if content.trim_start().starts_with("- ") {
                    key + 2
                } else {
                    key
                };
                return Some(dash.saturating_sub(key));
            }
            None
        })
        .unwrap_or(2)
}

/// The `}` closing the flow mapping that `from` is inside.
fn closing_brace(text: &str, from: usize) -> Option<usize> {
    let mut depth = 0_i32;
    let mut quote: Option<char> = None;
    for (i, c) in text[from..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, '}') if depth == 0 => return Some(from + i),
            (None, ']' | '}') => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Applies edits sorted by offset (insertions before deletions at the same offset); deletions
/// that overlap are merged, since each only removes text that must go.
fn splice(text: &str, mut edits: Vec<Edit>) -> Result<String, String> {
    edits.sort_by_key(|e| (e.offset, e.delete));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for e in edits {
        if e.offset < at {
            if e.insert.is_empty() {
                // Overlaps a deletion already applied: keep only what it adds.
                at = at.max(e.offset + e.delete);
                continue;
            }
            return Err(format!("overlapping edits at byte {}", e.offset));
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

    /// Moves items named `module` out of phase `from` into phase `to`, by text position.
    fn mv(text: &str, moves: &[(&str, PhaseId, PhaseId)]) -> String {
        let doc: Doc = serde_saphyr::from_str(text).unwrap();
        let moves: Vec<Moved> = moves
            .iter()
            .map(|&(module, from, to)| {
                let item = doc.phases[from]
                    .modules
                    .as_ref()
                    .unwrap()
                    .value
                    .iter()
                    .find(|m| m.value == module)
                    .map(|m| crate::plan::span_of(&m.referenced))
                    .unwrap();
                Moved { from, item, to }
            })
            .collect();
        let out = apply(text, &moves).unwrap();
        // Whatever the edit, the result is YAML with the same phases.
        let again: Doc = serde_saphyr::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
        assert_eq!(again.phases.len(), doc.phases.len(), "{out}");
        out
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
    }

    #[test]
    fn an_empty_modules_key_gets_a_value() {
        let text = "phases:\n  - id: a\n    modules: [stock, mrp]\n  - id: b\n    modules:   # later\n    name: B\n";
        assert_eq!(
            mv(text, &[("mrp", 0, 1)]),
            "phases:\n  - id: a\n    modules: [stock]\n  - id: b\n    modules: [mrp]   # later\n    name: B\n"
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

    #[test]
    fn quoting_line_endings_and_the_last_line() {
        // A quoted item keeps its quotes; a plain one that flow syntax would split is quoted.
        let text = "phases:\n  - id: a\n    modules:\n      - \"stock\"\n      - odd,name\n  - id: b\n    modules: [account]";
        assert_eq!(
            mv(text, &[("stock", 0, 1), ("odd,name", 0, 1)]),
            "phases:\n  - id: a\n    modules: []\n  - id: b\n    modules: [account, \"stock\", \"odd,name\"]"
        );
        let text = "phases:\r\n  - id: a\r\n    modules:\r\n      - stock  # s\r\n      - mrp\r\n  - id: b\r\n    modules:\r\n      - account\r\n";
        assert_eq!(
            mv(text, &[("stock", 0, 1)]),
            "phases:\r\n  - id: a\r\n    modules:\r\n      - mrp\r\n  - id: b\r\n    modules:\r\n      - account\r\n      - stock  # s\r\n"
        );
        let text =
            "phases:\n  - id: a\n    modules: [stock]\n  - id: b\n    modules:\n      - account";
        assert_eq!(
            mv(text, &[("stock", 0, 1)]),
            "phases:\n  - id: a\n    modules: []\n  - id: b\n    modules:\n      - account\n      - stock"
        );
    }

    #[test]
    fn nothing_to_move_changes_nothing() {
        let text = "phases:\n  - id: a\n    modules: [stock]\n";
        assert_eq!(apply(text, &[]).unwrap(), text);
    }
}
