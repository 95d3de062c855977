//! Source files and the one place that turns byte spans into lines and columns.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::SourceSpan;

/// A byte range in a source file.
///
/// Kept as our own small `Copy` type (rather than miette's `SourceSpan`) so the plan model
/// stays independent of the renderer and can be compared and sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// Byte offset of the first byte.
    pub offset: usize,
    /// Length in bytes.
    pub len: usize,
}

impl Span {
    /// A span from an offset and a length in bytes.
    pub const fn new(offset: usize, len: usize) -> Self {
        Self { offset, len }
    }

    /// The span from byte `start` up to (not including) byte `end`; empty when `end` comes
    /// first.
    pub const fn range(start: usize, end: usize) -> Self {
        Self {
            offset: start,
            len: end.saturating_sub(start),
        }
    }

    /// The byte just past the span.
    pub const fn end(self) -> usize {
        self.offset + self.len
    }
}

impl From<Span> for SourceSpan {
    fn from(span: Span) -> Self {
        SourceSpan::new(span.offset.into(), span.len)
    }
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in Unicode scalar values.
    pub column: usize,
}

/// A file's name and text, shared by every diagnostic that points into it, with its line
/// table: the one place that knows where lines start.
///
/// `\r\n`, `\n` and a lone `\r` each end a line, as YAML 1.2 and Python's tokenizer count
/// them, so a position we print is the one the parser (and an editor) means, whatever the
/// file's line endings.
#[derive(Debug, Clone)]
pub struct SourceFile {
    path: PathBuf,
    display: String,
    text: Arc<str>,
    line_starts: Vec<usize>,
    /// For each [`CHAR_MARK`] bytes of a text that is not all ASCII, how many characters come
    /// before the character boundary at or before that byte: a column is counted from the
    /// nearest mark, not from the start of its line (50,000 findings on one 1 MB line counted
    /// 25 billion characters). Empty for ASCII text, where columns are byte counts.
    char_marks: Vec<usize>,
}

/// How far apart [`SourceFile`]'s character-count marks are, in bytes.
const CHAR_MARK: usize = 1024;

impl SourceFile {
    /// Wraps a file's text. `display` is the name shown in reports (relative where possible).
    pub fn new(
        path: impl Into<PathBuf>,
        display: impl Into<String>,
        text: impl Into<Arc<str>>,
    ) -> Self {
        let text: Arc<str> = text.into();
        let line_starts = line_starts(&text);
        let char_marks = if text.is_ascii() {
            Vec::new()
        } else {
            let mut marks = Vec::with_capacity(text.len() / CHAR_MARK + 1);
            let mut chars = 0;
            let mut from = 0;
            for mark in (0..=text.len()).step_by(CHAR_MARK) {
                let at = floor_boundary(&text, mark);
                chars += text[from..at].chars().count();
                marks.push(chars);
                from = at;
            }
            marks
        };
        Self {
            path: path.into(),
            display: display.into(),
            text,
            line_starts,
            char_marks,
        }
    }

    /// The path the file was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The name reports show for this file.
    pub fn name(&self) -> &str {
        &self.display
    }

    /// Shows the file under another name (machine formats name it from the repository root).
    pub fn rename(&mut self, display: String) {
        self.display = display;
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text a span covers, or `""` when the span does not fall on character boundaries.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.offset..span.end()).unwrap_or("")
    }

    /// How many lines the text has (a final line break starts an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based index of the line holding a byte offset (clamped to the end of the text).
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        // `line_starts[0]` is 0, so at least one start is `<= offset`.
        self.line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The byte range of a 0-based line without its line break, or `None` past the last line.
    pub fn line_span(&self, index: usize) -> Option<Span> {
        let start = *self.line_starts.get(index)?;
        let next = self
            .line_starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        let body = &self.text.as_bytes()[start..next];
        let end = start + body.len() - line_break_len(body);
        Some(Span::new(start, end - start))
    }

    /// Line and column of a byte offset (clamped to the end of the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.boundary(offset);
        let line = self.line_index(offset) + 1;
        let start = self.line_starts[line - 1];
        // Count characters, not bytes, so a column matches what an editor shows.
        let column = self.chars_before(offset) - self.chars_before(start) + 1;
        LineCol { line, column }
    }

    /// How many characters come before a character boundary.
    fn chars_before(&self, offset: usize) -> usize {
        if self.char_marks.is_empty() {
            return offset;
        }
        let k = offset / CHAR_MARK;
        let from = floor_boundary(&self.text, k * CHAR_MARK);
        self.char_marks[k] + self.text.get(from..offset).map_or(0, |s| s.chars().count())
    }

    /// `offset` clamped to the text and moved back to where a position can be: a character
    /// boundary, and never between the two bytes of a `\r\n`, which end one line together.
    pub fn boundary(&self, offset: usize) -> usize {
        let text = self.text.as_bytes();
        let mut offset = offset.min(text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset > 0 && text[offset - 1] == b'\r' && text.get(offset) == Some(&b'\n') {
            offset -= 1;
        }
        offset
    }

    /// The byte offset of a 1-based line and column (column in characters), if it exists.
    pub fn offset_of(&self, line: usize, column: usize) -> Option<usize> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let rest = self.text.get(start..)?;
        let mut chars = rest.char_indices();
        let mut byte = 0;
        for _ in 1..column {
            match chars.next() {
                Some((_, '\n' | '\r')) | None => return Some(start + rest.len().min(byte)),
                Some((i, c)) => byte = i + c.len_utf8(),
            }
        }
        Some(start + byte)
    }
}

/// Where each line starts: at 0 and after every `\r\n`, `\n` and lone `\r`. After a final
/// line break an empty last line starts at the end of the text, where a parser reports an
/// unexpected end of input.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            b'\r' | b'\n' => i += 1,
            _ => {
                i += 1;
                continue;
            }
        }
        starts.push(i);
    }
    starts
}

/// The length of the line break that ends `line` (0, 1 or 2 bytes).
fn line_break_len(line: &[u8]) -> usize {
    match line {
        [.., b'\r', b'\n'] => 2,
        [.., b'\r' | b'\n'] => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_middle_of_a_crlf_is_the_end_of_its_line() {
        // Found by tests/render_props.rs: the renderer and `line_col` disagreed on an offset
        // between `\r` and `\n`.
        let file = SourceFile::new("p.yaml", "p.yaml", "a\r\r\nb");
        assert_eq!(file.boundary(3), 2);
        assert_eq!(file.line_col(3), LineCol { line: 2, column: 1 });
        assert_eq!(file.line_col(4), LineCol { line: 3, column: 1 });
        assert_eq!(file.boundary(99), 5);
    }

    #[test]
    fn line_and_column_count_characters() {
        let file = SourceFile::new("p.yaml", "p.yaml", "a: 1\nné: [x]\n");
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(5), LineCol { line: 2, column: 1 });
        // `[` is the 5th character of line 2 but its 6th byte.
        let bracket = file.text().find('[').unwrap();
        assert_eq!(file.line_col(bracket), LineCol { line: 2, column: 5 });
        assert_eq!(file.offset_of(2, 5), Some(bracket));
        assert_eq!(file.line_col(10_000).line, 3);
    }

    /// Issue 9, item 5: a CR-only file is located line by line, as YAML reads it.
    #[test]
    fn every_line_break_style_ends_a_line() {
        for text in [
            "a: 1\nb: [x]\nc: 2\n",
            "a: 1\r\nb: [x]\r\nc: 2\r\n",
            "a: 1\rb: [x]\rc: 2\r",
        ] {
            let file = SourceFile::new("p.yaml", "p.yaml", text);
            let bracket = text.find('[').unwrap();
            assert_eq!(
                file.line_col(bracket),
                LineCol { line: 2, column: 4 },
                "{text:?}"
            );
            assert_eq!(file.offset_of(2, 4), Some(bracket), "{text:?}");
            // A column past the end of a line stops at its line break.
            let end_of_two = text.find(']').unwrap() + 1;
            assert_eq!(file.offset_of(2, 99), Some(end_of_two), "{text:?}");
            assert_eq!(file.line_count(), 4, "{text:?}");
            assert_eq!(file.slice(file.line_span(1).unwrap()), "b: [x]", "{text:?}");
            assert_eq!(file.line_col(text.len()), LineCol { line: 4, column: 1 });
        }
        // Mixed endings, and a `\r\n` counted once.
        let file = SourceFile::new("p.yaml", "p.yaml", "a\r\nb\rc\nd");
        let lines: Vec<&str> = (0..file.line_count())
            .map(|i| file.slice(file.line_span(i).unwrap()))
            .collect();
        assert_eq!(lines, ["a", "b", "c", "d"]);
        assert_eq!(file.line_col(3), LineCol { line: 2, column: 1 });
        assert!(file.line_span(4).is_none());
    }

    /// Issue 9 budgets: columns are counted from marks, and agree with counting from the start
    /// of the line, across marks and multi-byte characters.
    #[test]
    fn columns_count_characters_across_marks() {
        let line = "é".repeat(700) + "x" + &"ab€".repeat(900);
        let text = format!("a: 1\n{line}\nb: é\n");
        let file = SourceFile::new("p.yaml", "p.yaml", text.as_str());
        for (offset, _) in text.char_indices() {
            let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let expected = text[start..offset].chars().count() + 1;
            assert_eq!(file.line_col(offset).column, expected, "{offset}");
        }
    }
}

/// The character boundary at or before `offset` (clamped to the text).
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A path as reports show it: `..` and `.` resolved lexically, and relative to the current
/// directory when it lies below it, so reports read the same on every machine.
pub fn display_path(path: &std::path::Path) -> String {
    crate::paths::display(path)
}

#[cfg(test)]
mod path_tests {
    use super::*;

    #[test]
    fn paths_are_normalised_and_relative() {
        assert_eq!(display_path(Path::new("a/b/../c/./d")), "a/c/d");
        assert_eq!(display_path(Path::new("../x")), "../x");
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(display_path(&cwd.join("tests/../src/lib.rs")), "src/lib.rs");
    }
}
