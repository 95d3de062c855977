//! The source excerpt under a diagnostic, built from our line table instead of handing miette
//! the whole file.
//!
//! miette's own `SourceCode` for a string finds a label's line by scanning the file from byte
//! 0, once per label and per context: 40,000 findings in one plan took 83 s. It also draws a
//! line of any length, and panics when a label sits past column 65,535 (its padding goes
//! through `format!` widths, which are `u16`). So each diagnostic gets a small [`Snippet`]: the
//! lines around its labels only, found by binary search in [`SourceFile`]'s line table, with
//!
//! - lines wider than the report cut to a window around their labels, at a space where there
//!   is one, with `…` on the cut side(s), so the terminal never wraps a line mid-word and each
//!   label still points at its column; label texts wrapped at spaces to the room right of
//!   their mark;
//! - control characters escaped (`super::escape`), so the plan cannot drive the terminal;
//! - every line break style (`\r\n`, `\n`, lone `\r`) shown as a line of its own;
//! - at most [`MAX_LABELS`] labels, and multi-line labels over [`MAX_SPAN_LINES`] lines cut to
//!   their first line, so that one diagnostic stays readable (the machine formats keep every
//!   location).
//!
//! Label spans are translated into the excerpt's own offsets. Line numbers and the
//! `[file:line:column]` header are the file's real ones (columns in characters).

use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::escape::{escape, needs_escape, push_escaped};
use crate::source::{SourceFile, Span};

/// Lines of context above and below each label; the handler must be set to the same.
pub const CONTEXT_LINES: usize = 1;
/// Unlabelled lines between two excerpts that are shown rather than splitting them in two.
const BRIDGED_GAP: usize = 2;
/// Labels drawn per diagnostic; the rest are counted in a note.
pub const MAX_LABELS: usize = 64;
/// A label over more lines than this is drawn on its first line only.
pub const MAX_SPAN_LINES: usize = 24;
/// Columns of source text a line may take, however wide the report: far below miette's limit
/// of 65,535 columns.
const LINE_BUDGET: usize = 4096;
/// Columns of source text a line always gets, however narrow the report.
const MIN_TEXT: usize = 24;
/// Columns a label's text wants right of its mark; a line is cut further left to give it them.
const LABEL_ROOM: usize = 24;
/// Columns a label's text gets however far right its mark is.
const MIN_LABEL: usize = 16;
/// Characters kept on each side of a label when its line must be cut into several windows.
const PAD: usize = 10;
/// Columns kept after the last label of a line cut on both sides, when there is room.
const RIGHT_CONTEXT: usize = 16;
/// Columns kept before the first label of a cut line when the label needs the rest.
const LEFT_MIN: usize = 6;
/// How far a cut moves, in characters, to fall at a space rather than inside a word.
const SNAP: usize = 16;
/// What stands for the cut parts of a line (one column).
const ELLIPSIS: &str = "…";

/// One label to draw, in the file's byte offsets.
#[derive(Debug, Clone)]
pub struct Label {
    /// Where it points.
    pub span: Span,
    /// Its text, if any; escaped when drawn.
    pub text: Option<String>,
    /// Whether it is the diagnostic's primary label.
    pub primary: bool,
}

impl Label {
    /// A label.
    pub fn new(span: Span, text: Option<String>, primary: bool) -> Self {
        Self {
            span,
            text,
            primary,
        }
    }
}

/// A source excerpt that miette can render, with the labels translated into it.
#[derive(Debug, Clone)]
pub struct Snippet {
    name: String,
    text: String,
    /// The excerpt's line table, the same kind as a file's.
    table: SourceFile,
    /// The 0-based line of the file each line of the excerpt shows.
    lines: Vec<usize>,
    /// (excerpt offset, 0-based column in characters in the file) of each label start.
    columns: Vec<(usize, usize)>,
    labels: Vec<LabeledSpan>,
    omitted: usize,
}

/// A label clamped to the text and to character boundaries, with its lines.
struct Placed {
    label: Label,
    start: usize,
    end: usize,
    first: usize,
    last: usize,
}

impl Snippet {
    /// The excerpt of `file` that shows `labels`, laid out for a report `width` columns wide.
    /// The primary label is always drawn; others may be left out when there are too many, in
    /// the order given.
    pub fn new(file: &SourceFile, labels: Vec<Label>, width: usize) -> Self {
        let total = labels.len();
        let mut labels = labels;
        labels.sort_by_key(|l| !l.primary);
        labels.truncate(MAX_LABELS);
        let placed: Vec<Placed> = labels.into_iter().map(|label| place(file, label)).collect();
        let shown = shown_lines(file, &placed);
        let layout = Layout::new(width, &shown, &placed);
        let windows = shown
            .iter()
            .map(|&line| cut(file, line, &placed, &layout))
            .collect();
        let mut snippet = Self {
            name: escape(file.name()).into_owned(),
            text: String::new(),
            table: SourceFile::new("", "", ""),
            lines: Vec::with_capacity(shown.len()),
            columns: Vec::new(),
            labels: Vec::new(),
            omitted: total - placed.len(),
        };
        let found = snippet.write_lines(file, &shown, windows, &placed);
        snippet.table = SourceFile::new("", "", snippet.text.as_str());
        let marks = snippet.marks(&placed, &found);
        let columns = columns(file, &placed);
        for (((p, (start, end)), column), mark) in placed.iter().zip(found).zip(columns).zip(marks)
        {
            let end = end.max(start);
            snippet.columns.push((start, column));
            // A label drawn under its line starts right of its mark; one that closes a span
            // over several lines is drawn after the gutter.
            let room = match mark {
                Some(mark) => layout.width.saturating_sub(layout.indent + mark + 4),
                None => layout.width.saturating_sub(layout.indent + 2),
            };
            let text = p
                .label
                .text
                .as_deref()
                .map(|t| textwrap::fill(&escape(t), wrap_options(room.max(MIN_LABEL))));
            let span = SourceSpan::from((start, end - start));
            snippet.labels.push(if p.label.primary {
                LabeledSpan::new_primary_with_span(text, span)
            } else {
                LabeledSpan::new_with_span(text, span)
            });
        }
        snippet.columns.sort_unstable();
        snippet
    }

    /// Writes the shown lines into the excerpt, each cut to its windows, and returns where
    /// each label's start and end landed in it.
    fn write_lines(
        &mut self,
        file: &SourceFile,
        shown: &[usize],
        windows: Vec<Vec<(usize, usize)>>,
        placed: &[Placed],
    ) -> Vec<(usize, usize)> {
        let text = file.text();
        // Every end of every label, in file order: (file offset, label, whether its end).
        let mut ends: Vec<(usize, usize, bool)> = Vec::with_capacity(placed.len() * 2);
        for (k, p) in placed.iter().enumerate() {
            ends.push((p.start, k, false));
            ends.push((p.end, k, true));
        }
        ends.sort_unstable();
        let mut ends = ends.into_iter().peekable();
        let mut found = vec![(0_usize, 0_usize); placed.len()];
        let mut record = |upto: usize, at: usize, found: &mut Vec<(usize, usize)>| {
            while let Some((_, k, is_end)) = ends.next_if(|e| e.0 <= upto) {
                if is_end {
                    found[k].1 = at;
                } else {
                    found[k].0 = at;
                }
            }
        };
        for (&line, kept) in shown.iter().zip(windows) {
            let Some(span) = file.line_span(line) else {
                continue;
            };
            let mut at = span.offset;
            for (a, b) in kept {
                if a > at {
                    self.text.push_str(ELLIPSIS);
                }
                for (offset, c) in text[a..b].char_indices() {
                    record(a + offset, self.text.len(), &mut found);
                    // Tabs are laid out by miette; every other control is escaped.
                    if c == '\t' || !needs_escape(c) {
                        self.text.push(c);
                    } else {
                        push_escaped(&mut self.text, c);
                    }
                }
                record(b, self.text.len(), &mut found);
                at = b;
            }
            if at < span.end() {
                self.text.push_str(ELLIPSIS);
            }
            self.text.push('\n');
            // An end inside the line break (a span that takes it along) lands after it.
            record(
                span.end() + line_break(text, span.end()),
                self.text.len(),
                &mut found,
            );
            self.lines.push(line);
        }
        found
    }

    /// The column of the excerpt where miette draws each label's mark (the `┬` its text hangs
    /// from), or `None` for a label over several lines, whose text is drawn after the gutter.
    /// Labels on one line are laid out left to right, each starting past the one before, as
    /// miette does.
    fn marks(&self, placed: &[Placed], found: &[(usize, usize)]) -> Vec<Option<usize>> {
        let mut order: Vec<usize> = (0..placed.len()).collect();
        order.sort_by_key(|&k| found[k].0);
        let mut marks = vec![None; placed.len()];
        let mut highest = (usize::MAX, 0);
        for k in order {
            let (start, end) = found[k];
            let line = self.excerpt_line(start);
            let Some(span) = self.table.line_span(line) else {
                continue;
            };
            if self.excerpt_line(end.max(start + 1) - 1) != line && end > start {
                continue;
            }
            if highest.0 != line {
                highest = (line, 0);
            }
            let from = self.text.get(span.offset..start).map_or(0, display_columns);
            let to = self.text.get(span.offset..end).map_or(0, display_columns);
            let from = from.max(highest.1);
            let to = if end == start {
                from + 1
            } else {
                to.max(from + 1)
            };
            highest.1 = highest.1.max(to);
            marks[k] = Some(usize::midpoint(from, to));
        }
        marks
    }

    /// The labels, in the excerpt's offsets.
    pub fn labels(&self) -> impl Iterator<Item = LabeledSpan> + '_ {
        self.labels.iter().cloned()
    }

    /// How many labels were left out (over [`MAX_LABELS`]).
    pub fn omitted(&self) -> usize {
        self.omitted
    }

    /// The text of the excerpt, as miette lays it out.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 0-based line of the excerpt holding an offset of it, from the excerpt's own line
    /// table (the same [`SourceFile`] table as the files').
    fn excerpt_line(&self, offset: usize) -> usize {
        self.table
            .line_index(offset)
            .min(self.lines.len().saturating_sub(1))
    }
}

/// The columns a diagnostic's excerpt can use, from the report's width.
struct Layout {
    /// The report's width.
    width: usize,
    /// Columns left of the source text: line number, bar, and the gutter of spans over
    /// several lines.
    indent: usize,
    /// Columns for the source text itself.
    text: usize,
}

impl Layout {
    fn new(width: usize, shown: &[usize], placed: &[Placed]) -> Self {
        // ` 12 │ `: miette pads the numbers of one excerpt to its widest.
        let number = shown.last().map_or(1, |&l| (l + 1).to_string().len());
        // Each span over several lines takes a column of the gutter, and the gutter has three
        // more when there is any (an upper bound: miette counts per excerpt).
        let multi = placed.iter().filter(|p| p.last > p.first).count();
        let gutter = if multi > 0 { multi + 3 } else { 0 };
        let indent = number + 4 + gutter;
        Self {
            width,
            indent,
            text: width.saturating_sub(indent).clamp(MIN_TEXT, LINE_BUDGET),
        }
    }
}

/// The parts of a shown line to keep, in file offsets: the whole line when it fits, else a
/// window around its labels (or its start, when it has none) cut at spaces where it can be,
/// so that the line and the label texts under it fit the width.
///
/// Only the part of the line within a width of the labels is measured: thousands of findings
/// on one megabyte-long line must not each count its columns from its start.
fn cut(file: &SourceFile, line: usize, placed: &[Placed], layout: &Layout) -> Vec<(usize, usize)> {
    let Some(span) = file.line_span(line) else {
        return Vec::new();
    };
    let text = file.text();
    // What must stay visible: each label on one line whole, the ends of the others; with what
    // its text wants right of its mark.
    let mut required: Vec<(usize, usize, usize)> = Vec::new();
    for p in placed {
        let room = p
            .label
            .text
            .as_deref()
            .map_or(0, |t| display_columns(&escape(t)).min(LABEL_ROOM));
        if p.first == line && p.last == line {
            let end = p.end.clamp(p.start, span.end());
            required.push((p.start, end, room));
        } else if p.first == line {
            required.push((p.start, next_char(text, p.start).min(span.end()), 0));
        } else if p.last == line {
            let end = p.end.min(span.end());
            required.push((prev_char(text, end).max(span.offset), end, 0));
        }
    }
    let (first, last) = match (
        required.iter().map(|r| r.0).min(),
        required.iter().map(|r| r.1).max(),
    ) {
        (Some(first), Some(last)) => (first, last),
        _ => (span.offset, span.offset),
    };
    // A character takes at least one column (a byte at most four), so the labels are too far
    // apart for one window when their bytes say so, without counting.
    if last - first > 4 * layout.text || display_columns(&text[first..last]) + 2 > layout.text {
        return windows(text, span, &required);
    }
    // The measured part: the labels with up to a width of the line on either side. Columns
    // count from its start; past its ends the line goes on, so it does not fit whole.
    let lo = back_chars(text, span.offset, first, layout.text);
    let hi = forward_chars(text, last, span.end(), layout.text);
    let col = |offset: usize| display_columns(&text[lo..offset]);
    let whole = if lo == span.offset && hi == span.end() {
        col(hi)
    } else {
        usize::MAX
    };
    let (colmin, colmax) = (col(first), col(last));
    if required.is_empty() {
        if whole <= layout.text {
            return vec![(span.offset, span.end())];
        }
        let b = lo + at_column(&text[lo..hi], layout.text - 1);
        let b = text[lo..b]
            .rfind(' ')
            .filter(|&i| i > (b - lo) / 2)
            .map_or(b, |i| lo + i);
        return vec![(span.offset, b)];
    }
    // The leftmost column the window may start at for every label's text to have its room:
    // the text starts four columns right of the mark, and a cut line starts with an ellipsis.
    let need = required
        .iter()
        .map(|&(a, b, room)| usize::midpoint(col(a), col(b)) + 4 + room)
        .max()
        .unwrap_or(0);
    if whole <= layout.text && need <= layout.text {
        return vec![(span.offset, span.end())];
    }
    let wanted = (need + 1).saturating_sub(layout.text);
    let slack = layout.text.saturating_sub(2 + colmax - colmin);
    // A line too long is cut on the right first: its start (the key, the indentation) says
    // most; the labels keep some context after them.
    let shift = if whole > layout.text {
        (colmax + 1 + (slack / 2).min(RIGHT_CONTEXT)).saturating_sub(layout.text)
    } else {
        0
    };
    let mut a_col = shift.max(wanted).min(colmin.saturating_sub(LEFT_MIN));
    // A window that reaches the end of the line gives what it does not use to the left.
    if hi == span.end() {
        let spare = layout.text.saturating_sub(col(hi) - a_col.min(col(hi)) + 1);
        a_col = a_col.saturating_sub(spare).max(wanted.min(a_col));
    }
    let mut a = lo + at_column(&text[lo..hi], a_col);
    let room = layout.text - usize::from(a > span.offset);
    let mut b = if hi == span.end() && col(hi) - col(a) <= room {
        span.end()
    } else {
        lo + at_column(&text[lo..hi], col(a) + room - 1)
    };
    b = b.max(last);
    // Cut at a space when there is one near the cut, between it and the labels, so no word is
    // split; a word longer than that is cut, its ellipsis saying so.
    if a > span.offset {
        let near = forward_chars(text, a, first, SNAP);
        if let Some(i) = text[a..near].find(' ') {
            a += i + 1;
        }
        // Nor is an indentation kept after the ellipsis.
        a += text[a..first].len() - text[a..first].trim_start_matches(' ').len();
    }
    if b < span.end() {
        let near = back_chars(text, last, b, SNAP);
        if let Some(i) = text[near..b].rfind(' ') {
            b = near + i;
        }
    }
    vec![(a, b)]
}

/// The offset `n` characters before `at`, or `floor` if that comes first.
fn back_chars(text: &str, floor: usize, at: usize, n: usize) -> usize {
    text[floor..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(floor, |(i, _)| floor + i)
}

/// The offset `n` characters after `at`, or `ceiling` if that comes first.
fn forward_chars(text: &str, at: usize, ceiling: usize, n: usize) -> usize {
    text[at..ceiling]
        .char_indices()
        .nth(n)
        .map_or(ceiling, |(i, _)| at + i)
}

/// The windows of a line whose labels are too far apart for one: a few columns around each
/// label, or around each end of a label too long to show whole, joined where they touch.
fn windows(text: &str, line: Span, required: &[(usize, usize, usize)]) -> Vec<(usize, usize)> {
    let around = |a: usize, b: usize| {
        (
            back_chars(text, line.offset, a, PAD),
            forward_chars(text, b, line.end(), PAD),
        )
    };
    let mut out = Vec::new();
    for &(a, b, _) in required {
        if b - a > 8 * PAD || display_columns(&text[a..b]) > 2 * PAD {
            out.push(around(a, a));
            out.push(around(b, b));
        } else {
            out.push(around(a, b));
        }
    }
    merge(out)
}

/// The columns a piece of the excerpt takes on the terminal.
fn display_columns(s: &str) -> usize {
    s.chars()
        .fold(0, |columns, c| columns + char_columns(c, columns))
}

/// The columns a character takes after `columns` others: a control character as its escape,
/// a tab up to the next multiple of four (as miette lays it out), everything else as wide as
/// it is drawn.
fn char_columns(c: char, columns: usize) -> usize {
    match c {
        '\t' => 4 - columns % 4,
        c if needs_escape(c) => {
            let mut escaped = String::new();
            push_escaped(&mut escaped, c);
            escaped.len()
        }
        c => textwrap::core::display_width(c.encode_utf8(&mut [0_u8; 4])),
    }
}

/// The byte offset in `line` of the first character that starts at or after `column`.
fn at_column(line: &str, column: usize) -> usize {
    let mut columns = 0;
    for (i, c) in line.char_indices() {
        if columns >= column {
            return i;
        }
        columns += char_columns(c, columns);
    }
    line.len()
}

/// Wrapping that never cuts a word, for every text of the human report: at spaces only, never
/// at a hyphen (`--addons-path`), a slash, or inside a word too long for the line (a path),
/// which overflows instead.
pub(super) fn wrap_options(width: usize) -> textwrap::Options<'static> {
    textwrap::Options::new(width)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
}

/// The offset of the character after the one at `i` (or the end).
fn next_char(text: &str, i: usize) -> usize {
    text[i..].chars().next().map_or(i, |c| i + c.len_utf8())
}

/// The offset of the character before `i` (or `i` at the start).
fn prev_char(text: &str, i: usize) -> usize {
    text[..i]
        .chars()
        .next_back()
        .map_or(i, |c| i - c.len_utf8())
}

/// A label's span clamped to the text and to character boundaries, with multi-line spans over
/// [`MAX_SPAN_LINES`] cut to their first line.
fn place(file: &SourceFile, label: Label) -> Placed {
    let text = file.text();
    let start = file.boundary(label.span.offset);
    let mut end = ceil(text, label.span.end().min(text.len()).max(start));
    let first = file.line_index(start);
    let mut last = if end > start {
        file.line_index(end - 1)
    } else {
        first
    };
    if last - first >= MAX_SPAN_LINES {
        last = first;
        end = file.line_span(first).map_or(start, Span::end).max(start);
    }
    Placed {
        label,
        start,
        end,
        first,
        last,
    }
}

/// The lines to show: each label's lines with [`CONTEXT_LINES`] around them, and the gaps of
/// up to [`BRIDGED_GAP`] lines between them.
fn shown_lines(file: &SourceFile, placed: &[Placed]) -> Vec<usize> {
    let text = file.text();
    // The empty line after a final line break is shown only when a label is on it.
    let last_line = file
        .line_count()
        .saturating_sub(1 + usize::from(text.ends_with('\n') || text.ends_with('\r')));
    let mut shown: Vec<usize> = Vec::new();
    for p in placed {
        let from = p.first.saturating_sub(CONTEXT_LINES);
        let to = (p.last + CONTEXT_LINES).min(last_line).max(p.last);
        shown.extend(from..=to);
    }
    shown.sort_unstable();
    shown.dedup();
    let mut filled = Vec::with_capacity(shown.len());
    for (i, &line) in shown.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| shown[j]);
        if let Some(prev) = prev.filter(|&prev| line - prev <= BRIDGED_GAP + 1) {
            filled.extend(prev + 1..line);
        }
        filled.push(line);
    }
    filled
}

/// The 0-based column, in characters, of each label's start. The file counts columns from a
/// mark at most a KiB back ([`SourceFile::line_col`]); counting from the previous label on the
/// line instead cost the distance between them, which on one long line is most of the file for
/// every finding that points back at an early entry.
fn columns(file: &SourceFile, placed: &[Placed]) -> Vec<usize> {
    placed
        .iter()
        .map(|p| file.line_col(p.start).column - 1)
        .collect()
}

/// The windows in order, with the overlapping or nearly touching ones joined.
fn merge(mut windows: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    windows.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(windows.len());
    for (a, b) in windows {
        match out.last_mut() {
            Some(last) if a <= last.1 + ELLIPSIS.len() * 2 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// The length of the line break at `offset`, if one starts there.
fn line_break(text: &str, offset: usize) -> usize {
    match text.as_bytes().get(offset..).unwrap_or_default() {
        [b'\r', b'\n', ..] => 2,
        [b'\r' | b'\n', ..] => 1,
        _ => 0,
    }
}

/// The character boundary at or after `i`.
fn ceil(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (offset, len) = (span.offset(), span.len());
        if offset > self.text.len() || self.lines.is_empty() {
            return Err(MietteError::OutOfBounds);
        }
        let mut first = self.excerpt_line(offset);
        let mut last = self.excerpt_line(if len > 0 { offset + len - 1 } else { offset });
        let follows = |i: usize| self.lines[i + 1] == self.lines[i] + 1;
        // Lines that are not next to each other in the file cannot be one context: miette
        // then draws them as separate excerpts, each with its own line numbers.
        if (first..last).any(|i| !follows(i)) {
            return Err(MietteError::OutOfBounds);
        }
        for _ in 0..context_lines_before {
            if first > 0 && follows(first - 1) {
                first -= 1;
            }
        }
        for _ in 0..context_lines_after {
            if last + 1 < self.lines.len() && follows(last) {
                last += 1;
            }
        }
        let line_start = |i: usize| self.table.line_span(i).map_or(0, |s| s.offset);
        let (start, column) = if context_lines_before == 0 {
            let column = match self.columns.binary_search_by_key(&offset, |&(o, _)| o) {
                Ok(i) => self.columns[i].1,
                Err(_) => self.text[line_start(first)..offset].chars().count(),
            };
            (offset, column)
        } else {
            (line_start(first), 0)
        };
        // The excerpt's lines all end with `\n`: the context takes its last one along.
        let end = self
            .table
            .line_span(last)
            .map_or(self.text.len(), |s| s.end() + 1)
            .min(self.text.len())
            .max(start);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[start..end],
            SourceSpan::from((start, end - start)),
            self.lines[first],
            column,
            // miette joins two contexts when this reaches the next one's first line; counting
            // the bridged gap makes it join exactly the excerpts that are contiguous here (the
            // joined read fails otherwise, and miette keeps them apart).
            last - first + 1 + BRIDGED_GAP,
        )))
    }
}
