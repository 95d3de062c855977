//! Flow lists (`[a, b]`, over one line or several): read row by row, so that an edit keeps
//! each row's layout and comments, or rewritten one item a line when the rows do not describe
//! the list.

use super::{Arriving, Ctx, Edit, gap_before, joined_comments, slice};
use crate::fix::layout::{List, indent_at, line_end, next_line};
use crate::source::Span;

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
pub(super) struct Flow<'c, 'a> {
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
    pub(super) fn read(
        cx: &'c Ctx<'a>,
        list: &'c List,
        open: usize,
        close: usize,
    ) -> Result<Self, String> {
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

    pub(super) fn takes_comments(&self, removed: &[usize]) -> bool {
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
    pub(super) fn edit(
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
pub(super) fn one_per_line(
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
