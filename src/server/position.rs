//! Positions as the client counts them. LSP numbers lines from 0 and measures columns in
//! UTF-16 code units unless both sides agree on another encoding (`positionEncoding`); the
//! plan's spans are byte offsets. The line table is [`SourceFile`]'s, so `\r\n`, `\n` and a
//! lone `\r` end a line here exactly as they do for the parser and for the client.

use lsp_types::{Position, PositionEncodingKind, Range};

use crate::source::{SourceFile, Span};

/// The unit a column counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units: the protocol's default, which every client supports.
    Utf16,
    /// Unicode scalar values.
    Utf32,
}

impl Encoding {
    /// The encoding to use given what the client offers, in its order of preference: UTF-8
    /// when offered (no conversion at all), else UTF-32, else the mandatory UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        let offered = offered.unwrap_or_default();
        if offered.contains(&PositionEncodingKind::UTF8) {
            Self::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF32) {
            Self::Utf32
        } else {
            Self::Utf16
        }
    }

    /// The protocol's name for it.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Self::Utf8 => PositionEncodingKind::UTF8,
            Self::Utf16 => PositionEncodingKind::UTF16,
            Self::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Self::Utf8 => c.len_utf8(),
            Self::Utf16 => c.len_utf16(),
            Self::Utf32 => 1,
        }
    }
}

/// The client position of a byte offset (clamped to the text, moved back to a character
/// boundary and out of the middle of a `\r\n`).
pub fn position(file: &SourceFile, offset: usize, encoding: Encoding) -> Position {
    let offset = file.boundary(offset);
    let line = file.line_index(offset);
    let start = file.line_span(line).map_or(0, |s| s.offset);
    let before = file.text().get(start..offset).unwrap_or("");
    let column: usize = before.chars().map(|c| encoding.width(c)).sum();
    Position::new(to_u32(line), to_u32(column))
}

/// The range of a span.
pub fn range(file: &SourceFile, span: Span, encoding: Encoding) -> Range {
    Range::new(
        position(file, span.offset, encoding),
        position(file, span.end(), encoding),
    )
}

/// The byte offset of a client position. A line past the end is the end of the text; a
/// column past the end of its line is the end of the line (as the protocol asks); a column
/// inside a character (half of a surrogate pair, a byte inside a UTF-8 sequence) is that
/// character's start.
pub fn offset(file: &SourceFile, position: Position, encoding: Encoding) -> usize {
    let Some(line) = usize::try_from(position.line)
        .ok()
        .and_then(|l| file.line_span(l))
    else {
        return file.text().len();
    };
    let wanted = usize::try_from(position.character).unwrap_or(usize::MAX);
    let mut column = 0;
    for (i, c) in file.slice(line).char_indices() {
        let next = column + encoding.width(c);
        if next > wanted {
            return line.offset + i;
        }
        column = next;
    }
    line.end()
}

/// The span between two client positions (in either order).
pub fn span(file: &SourceFile, range: Range, encoding: Encoding) -> Span {
    let a = offset(file, range.start, encoding);
    let b = offset(file, range.end, encoding);
    Span::new(a.min(b), a.abs_diff(b))
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("p.yaml", "p.yaml", text)
    }

    #[test]
    fn columns_count_the_negotiated_unit() {
        // `é` is 2 bytes and 1 UTF-16 unit; `😀` is 4 bytes, 2 UTF-16 units, 1 scalar value.
        let f = file("a: é😀x\n");
        let x = f.text().find('x').unwrap();
        assert_eq!(position(&f, x, Encoding::Utf8), Position::new(0, 9));
        assert_eq!(position(&f, x, Encoding::Utf16), Position::new(0, 6));
        assert_eq!(position(&f, x, Encoding::Utf32), Position::new(0, 5));
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let at = position(&f, x, enc);
            assert_eq!(offset(&f, at, enc), x, "{enc:?}");
        }
        // The middle of the surrogate pair is the emoji's start.
        let emoji = f.text().find('😀').unwrap();
        assert_eq!(offset(&f, Position::new(0, 5), Encoding::Utf16), emoji);
    }

    #[test]
    fn every_line_break_ends_a_line() {
        for text in ["a\nbé: c\n", "a\r\nbé: c\r\n", "a\rbé: c\r"] {
            let f = file(text);
            let c = text.find('c').unwrap();
            assert_eq!(
                position(&f, c, Encoding::Utf16),
                Position::new(1, 4),
                "{text:?}"
            );
            assert_eq!(offset(&f, Position::new(1, 4), Encoding::Utf16), c);
            // Past the end of the line: its end, before the line break.
            assert_eq!(offset(&f, Position::new(1, 99), Encoding::Utf16), c + 1);
            // Past the last line: the end of the text.
            assert_eq!(offset(&f, Position::new(9, 0), Encoding::Utf16), text.len());
        }
    }

    #[test]
    fn utf8_is_chosen_only_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        let offered = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        let offered = [PositionEncodingKind::UTF32];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf32);
        assert_eq!(Encoding::negotiate(Some(&[])), Encoding::Utf16);
    }
}
