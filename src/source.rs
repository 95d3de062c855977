//! Source files and the one place that turns byte spans into lines and columns.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{NamedSource, SourceSpan};

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

/// A file's name and text, shared by every diagnostic that points into it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    path: PathBuf,
    display: String,
    text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Wraps a file's text. `display` is the name shown in reports (relative where possible).
    pub fn new(
        path: impl Into<PathBuf>,
        display: impl Into<String>,
        text: impl Into<Arc<str>>,
    ) -> Self {
        let text: Arc<str> = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            path: path.into(),
            display: display.into(),
            text,
            line_starts,
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

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text a span covers, or `""` when the span does not fall on character boundaries.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.offset..span.end()).unwrap_or("")
    }

    /// Line and column of a byte offset (clamped to the end of the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .max(1);
        let start = self.line_starts[line - 1];
        // Count characters, not bytes, so a column matches what an editor shows.
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        LineCol { line, column }
    }

    /// The byte offset of a 1-based line and column (column in characters), if it exists.
    pub fn offset_of(&self, line: usize, column: usize) -> Option<usize> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let rest = self.text.get(start..)?;
        let mut chars = rest.char_indices();
        let mut byte = 0;
        for _ in 1..column {
            match chars.next() {
                Some((_, '\n')) | None => return Some(start + rest.len().min(byte)),
                Some((i, c)) => byte = i + c.len_utf8(),
            }
        }
        Some(start + byte)
    }

    /// The file as miette wants it for rendering snippets.
    pub fn named_source(&self) -> NamedSource<Arc<str>> {
        NamedSource::new(self.display.clone(), Arc::clone(&self.text)).with_language("yaml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

/// A path as reports show it: `..` and `.` resolved lexically, and relative to the current
/// directory when it lies below it, so reports read the same on every machine.
pub fn display_path(path: &std::path::Path) -> String {
    use std::path::Component;
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(normal.components().next_back(), Some(Component::Normal(_))) =>
            {
                normal.pop();
            }
            other => normal.push(other.as_os_str()),
        }
    }
    let relative = std::env::current_dir().ok().and_then(|cwd| {
        normal
            .strip_prefix(&cwd)
            .ok()
            .map(std::path::Path::to_path_buf)
    });
    relative.unwrap_or(normal).display().to_string()
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
