//! The source excerpt under a diagnostic, built from our line table instead of handing miette
//! the whole file.
//!
//! miette's own `SourceCode` for a string finds a label's line by scanning the file from byte
//! 0, once per label and per context: 40,000 findings in one plan took 83 s. It also draws a
//! line of any length, and panics when a label sits past column 65,535 (its padding goes
//! through `format!` widths, which are `u16`). So each diagnostic gets a small [`Snippet`]: the
//! lines around its labels only, found by binary search in [`SourceFile`]'s line table, with
//!
//! - long lines cut to windows around the labels' ends, joined by `…`, so that no line miette
//!   lays out is longer than a few thousand columns;
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
/// A line longer than this (in bytes) is cut to windows around the labels.
const MAX_LINE: usize = 160;
/// Bytes kept on each side of a label's end on a cut line.
const WINDOW: usize = 40;
/// Bytes kept at the start of a cut line no label ends on.
const HEAD: usize = 80;
/// Bytes of the excerpt one line may take, whatever the labels: far below miette's limit of
/// 65,535 columns even when every byte is an escaped control character (6 columns each).
const LINE_BUDGET: usize = 4096;
/// What stands for the cut parts of a line.
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

/// One line of the excerpt.
#[derive(Debug, Clone)]
struct ExcerptLine {
    /// Offset of its first byte in [`Snippet::text`].
    start: usize,
    /// Its length without the `\n` that ends it.
    len: usize,
    /// The 0-based line of the file it shows.
    line: usize,
}

/// A source excerpt that miette can render, with the labels translated into it.
#[derive(Debug, Clone)]
pub struct Snippet {
    name: String,
    text: String,
    lines: Vec<ExcerptLine>,
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
    /// The excerpt of `file` that shows `labels`. The primary label is always drawn; others
    /// may be left out when there are too many, in the order given.
    pub fn new(file: &SourceFile, labels: Vec<Label>) -> Self {
        let total = labels.len();
        let mut labels = labels;
        labels.sort_by_key(|l| !l.primary);
        labels.truncate(MAX_LABELS);
        let placed: Vec<Placed> = labels.into_iter().map(|label| place(file, label)).collect();
        let shown = shown_lines(file, &placed);
        let (placed, windows) = fit(file, placed, &shown);
        let mut snippet = Self {
            name: escape(file.name()).into_owned(),
            text: String::new(),
            lines: Vec::with_capacity(shown.len()),
            columns: Vec::new(),
            labels: Vec::new(),
            omitted: total - placed.len(),
        };
        let found = snippet.write_lines(file, &shown, windows, &placed);
        let columns = columns(file, &placed);
        for ((p, (start, end)), column) in placed.iter().zip(found).zip(columns) {
            let end = end.max(start);
            snippet.columns.push((start, column));
            let text = p.label.text.as_deref().map(|t| escape(t).into_owned());
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
        mut windows: Vec<Vec<(usize, usize)>>,
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
        for (i, &line) in shown.iter().enumerate() {
            let Some(span) = file.line_span(line) else {
                continue;
            };
            let kept = if span.len <= MAX_LINE {
                vec![(span.offset, span.end())]
            } else if windows[i].is_empty() {
                vec![(span.offset, floor(text, span.offset + HEAD))]
            } else {
                merge(std::mem::take(&mut windows[i]))
            };
            let start = self.text.len();
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
            let len = self.text.len() - start;
            self.text.push('\n');
            // An end inside the line break (a span that takes it along) lands after it.
            record(
                span.end() + line_break(text, span.end()),
                self.text.len(),
                &mut found,
            );
            self.lines.push(ExcerptLine { start, len, line });
        }
        found
    }

    /// The labels, in the excerpt's offsets.
    pub fn labels(&self) -> impl Iterator<Item = LabeledSpan> + '_ {
        self.labels.iter().cloned()
    }

    /// How many labels were left out (over [`MAX_LABELS`], or no room on their line).
    pub fn omitted(&self) -> usize {
        self.omitted
    }

    /// The text of the excerpt, as miette lays it out.
    pub fn text(&self) -> &str {
        &self.text
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|l| l.start <= offset)
            .saturating_sub(1)
    }
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

/// The windows kept on each shown line that is too long to show whole, and the labels that
/// fit in [`LINE_BUDGET`] (the primary one always does).
fn fit(
    file: &SourceFile,
    mut placed: Vec<Placed>,
    shown: &[usize],
) -> (Vec<Placed>, Vec<Vec<(usize, usize)>>) {
    let mut windows: Vec<Vec<(usize, usize)>> = vec![Vec::new(); shown.len()];
    let mut used = vec![0_usize; shown.len()];
    placed.retain(|p| {
        let wanted: Vec<(usize, (usize, usize))> = [(p.start, p.first), (p.end, p.last)]
            .into_iter()
            .filter_map(|(pos, line)| {
                let span = file.line_span(line).filter(|s| s.len > MAX_LINE)?;
                let slot = shown.binary_search(&line).ok()?;
                Some((slot, window(file.text(), span, pos)))
            })
            .collect();
        let fits = p.label.primary
            || wanted
                .iter()
                .all(|&(i, (a, b))| used[i] + (b - a) <= LINE_BUDGET);
        if fits {
            for (i, w) in wanted {
                used[i] += w.1 - w.0;
                windows[i].push(w);
            }
        }
        fits
    });
    (placed, windows)
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

/// The window of a cut line kept around `pos`.
fn window(text: &str, line: Span, pos: usize) -> (usize, usize) {
    let a = floor(text, pos.saturating_sub(WINDOW).max(line.offset));
    let b = ceil(text, (pos + WINDOW).min(line.end()));
    (a, b)
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

/// The character boundary at or before `i`.
fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
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
        let mut first = self.line_of(offset);
        let mut last = self.line_of(if len > 0 { offset + len - 1 } else { offset });
        let follows = |i: usize| self.lines[i + 1].line == self.lines[i].line + 1;
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
        let (start, column) = if context_lines_before == 0 {
            let column = match self.columns.binary_search_by_key(&offset, |&(o, _)| o) {
                Ok(i) => self.columns[i].1,
                Err(_) => self.text[self.lines[first].start..offset].chars().count(),
            };
            (offset, column)
        } else {
            (self.lines[first].start, 0)
        };
        let end = (self.lines[last].start + self.lines[last].len + 1).min(self.text.len());
        let end = end.max(start);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[start..end],
            SourceSpan::from((start, end - start)),
            self.lines[first].line,
            column,
            // miette joins two contexts when this reaches the next one's first line; counting
            // the bridged gap makes it join exactly the excerpts that are contiguous here (the
            // joined read fails otherwise, and miette keeps them apart).
            last - first + 1 + BRIDGED_GAP,
        )))
    }
}
