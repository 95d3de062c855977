//! The Python-literal parser: what `ast.literal_eval` reads, with a span on every value.
//!
//! The scanner core lives here; `strings`, `numbers` and `containers` each add the
//! methods for their kind of literal to the one `Parser`.

use std::fmt::{self, Write as _};

use super::{MAX_DEPTH, ManifestError};
use crate::source::Span;

mod containers;
mod numbers;
mod strings;

/// A parsed value together with the bytes it was written in.
#[derive(Debug, Clone, PartialEq)]
pub struct PyNode {
    /// The value.
    pub value: PyValue,
    /// Where the literal is written; for a parenthesised value, the inside of the parentheses.
    pub span: Span,
}

/// A Python literal value, as `ast.literal_eval` would return it.
///
/// Containers keep their items in source order and keep duplicates: a dict written with the
/// same key twice holds both entries (Python keeps the last value, see [`PyNode::get`]), and a
/// set holds every element written.
#[derive(Debug, Clone, PartialEq)]
pub enum PyValue {
    /// `None`.
    None,
    /// `True` or `False`.
    Bool(bool),
    /// An integer that fits in 64 bits (larger ones are a parse error).
    Int(i64),
    /// A float.
    Float(f64),
    /// A string, after escapes and adjacent-literal concatenation.
    Str(String),
    /// `[...]`.
    List(Vec<PyNode>),
    /// `(...)` with a comma, or `()`.
    Tuple(Vec<PyNode>),
    /// `{a, b}` or `set()`.
    Set(Vec<PyNode>),
    /// `{key: value, ...}`, entries in source order.
    Dict(Vec<(PyNode, PyNode)>),
}

impl PyValue {
    /// The Python type name, for messages (`str`, `list`, `NoneType`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            PyValue::None => "NoneType",
            PyValue::Bool(_) => "bool",
            PyValue::Int(_) => "int",
            PyValue::Float(_) => "float",
            PyValue::Str(_) => "str",
            PyValue::List(_) => "list",
            PyValue::Tuple(_) => "tuple",
            PyValue::Set(_) => "set",
            PyValue::Dict(_) => "dict",
        }
    }

    /// The string, if this is a `str`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            PyValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The type of the first item that makes this value unusable as a dict key or set element.
    fn unhashable(&self) -> Option<&'static str> {
        match self {
            PyValue::List(_) | PyValue::Set(_) | PyValue::Dict(_) => Some(self.type_name()),
            PyValue::Tuple(items) => items.iter().find_map(|item| item.value.unhashable()),
            _ => None,
        }
    }
}

impl PyNode {
    /// In a dict, the entry for the string key `key`; the last one when it is written twice,
    /// since that is the value Python keeps. `None` when absent or when this is not a dict.
    pub fn get(&self, key: &str) -> Option<(&PyNode, &PyNode)> {
        match &self.value {
            PyValue::Dict(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.value.as_str() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }
}

/// Prints the value as a Python literal that `ast.literal_eval` (and [`parse`]) reads back
/// to the same value. Infinite floats print as `1e999`; NaN has no literal form and prints as
/// `float('nan')`.
impl fmt::Display for PyValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn items(f: &mut fmt::Formatter<'_>, items: &[PyNode]) -> fmt::Result {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{}", item.value)?;
            }
            Ok(())
        }
        match self {
            PyValue::None => f.write_str("None"),
            PyValue::Bool(true) => f.write_str("True"),
            PyValue::Bool(false) => f.write_str("False"),
            PyValue::Int(i) => write!(f, "{i}"),
            PyValue::Float(x) if x.is_nan() => f.write_str("float('nan')"),
            PyValue::Float(x) if x.is_infinite() => {
                f.write_str(if *x > 0.0 { "1e999" } else { "-1e999" })
            }
            // Rust's `Debug` gives the shortest round-tripping form and always marks a float
            // (`1.0`, `1e16`), both of which Python reads back as a float.
            PyValue::Float(x) => write!(f, "{x:?}"),
            PyValue::Str(s) => write_py_str(f, s),
            PyValue::List(v) => {
                f.write_char('[')?;
                items(f, v)?;
                f.write_char(']')
            }
            PyValue::Tuple(v) => {
                f.write_char('(')?;
                items(f, v)?;
                f.write_str(if v.len() == 1 { ",)" } else { ")" })
            }
            PyValue::Set(v) if v.is_empty() => f.write_str("set()"),
            PyValue::Set(v) => {
                f.write_char('{')?;
                items(f, v)?;
                f.write_char('}')
            }
            PyValue::Dict(entries) => {
                f.write_char('{')?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}: {}", k.value, v.value)?;
                }
                f.write_char('}')
            }
        }
    }
}

fn write_py_str(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('\'')?;
    for c in s.chars() {
        match c {
            '\\' => f.write_str("\\\\")?,
            '\'' => f.write_str("\\'")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if u32::from(c) < 0x20 || c == '\u{7f}' => write!(f, "\\x{:02x}", u32::from(c))?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('\'')
}

/// Parses a whole manifest file: one Python literal, with comments and blank lines around it.
pub fn parse(source: &str) -> Result<PyNode, ManifestError> {
    Parser::new(source).document()
}

/// Like [`parse`], for raw file contents: non-UTF-8 input is an error at the first bad byte.
pub fn parse_bytes(bytes: &[u8]) -> Result<PyNode, ManifestError> {
    parse(decode(bytes)?)
}

pub(super) fn decode(bytes: &[u8]) -> Result<&str, ManifestError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let valid = bytes
            .get(..offset)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default();
        let bad = bytes.get(offset).copied().unwrap_or_default();
        ManifestError::new(
            valid,
            Span::new(offset, 1),
            format!("the file is not valid UTF-8 (byte 0x{bad:02x})"),
        )
    })
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Open brackets and parentheses: inside any, newlines are whitespace.
    depth: usize,
    /// Items of the containers being read, innermost last. Each container moves its own
    /// items out when it closes, so its `Vec` is allocated once, at its exact size.
    items: Vec<PyNode>,
    /// The same for dict entries.
    entries: Vec<(PyNode, PyNode)>,
}

type Result<T, E = ManifestError> = std::result::Result<T, E>;

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Self {
        Parser {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            depth: 0,
            items: Vec::new(),
            entries: Vec::new(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    /// The span from `start` to the current position.
    fn span_from(&self, start: usize) -> Span {
        Span::range(start, self.pos)
    }

    /// A node for the literal from `start` to the current position.
    fn node_from(&self, start: usize, value: PyValue) -> PyNode {
        PyNode {
            value,
            span: self.span_from(start),
        }
    }

    fn error(&self, start: usize, end: usize, message: impl Into<String>) -> ManifestError {
        ManifestError::new(self.src, Span::range(start, end), message)
    }

    /// An error on the character at the current position (or at the end of the input).
    fn error_here(&self, message: impl Into<String>) -> ManifestError {
        let width = self.char_here().map_or(0, char::len_utf8);
        self.error(self.pos, self.pos + width, message)
    }

    fn char_here(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|s| s.chars().next())
    }

    fn slice(&self, start: usize, end: usize) -> Result<&'a str> {
        self.src.get(start..end).ok_or_else(|| {
            self.error(
                start,
                start,
                "internal error: span off a character boundary",
            )
        })
    }

    /// Describes what is at the current position, for "expected X, found Y" messages.
    fn found(&self) -> String {
        match self.char_here() {
            None => "end of file".to_owned(),
            Some('\n' | '\r') => "end of line".to_owned(),
            // Invisible characters (a no-break space pasted from a web page, a stray byte
            // order mark) would otherwise show as an empty pair of backticks.
            Some(c)
                if c.is_control()
                    || c.is_whitespace()
                    || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}') =>
            {
                format!("character U+{:04X}", u32::from(c))
            }
            Some(c) => format!("`{c}`"),
        }
    }

    fn enter(&mut self) -> Result<()> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error_here(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Skips what Python's tokenizer skips between tokens: blanks, comments, backslash line
    /// continuations and, inside brackets, newlines.
    fn skip_trivia(&mut self) -> Result<()> {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\x0c' => self.pos += 1,
                b'#' => {
                    while !matches!(self.peek(), None | Some(b'\n' | b'\r')) {
                        self.pos += 1;
                    }
                }
                b'\n' | b'\r' if self.depth > 0 => self.pos += 1,
                b'\\' => match self.peek_at(1) {
                    Some(b'\n') => self.pos += 2,
                    Some(b'\r') => {
                        self.pos += if self.peek_at(2) == Some(b'\n') { 3 } else { 2 };
                    }
                    None => {
                        return Err(self.error_here("unexpected end of file after `\\`"));
                    }
                    Some(_) => {
                        return Err(self.error_here("unexpected `\\` outside a string"));
                    }
                },
                _ => break,
            }
        }
        Ok(())
    }

    fn document(mut self) -> Result<PyNode> {
        // `contains` on bytes is a word-at-a-time `memchr`; the position is only needed on error.
        if self.bytes.contains(&0) {
            let nul = self.bytes.iter().position(|&b| b == 0).unwrap_or_default();
            return Err(self.error(nul, nul + 1, "the file contains a NUL byte"));
        }
        if self.src.starts_with('\u{feff}') {
            return Err(self.error(
                0,
                3,
                "the file starts with a byte order mark, which Python's `ast.literal_eval` rejects",
            ));
        }
        self.skip_leading_lines()?;
        let value = self.value()?;
        loop {
            self.skip_trivia()?;
            match self.peek() {
                None => return Ok(value),
                Some(b'\n' | b'\r') => self.pos += 1,
                Some(_) => {
                    return Err(self.error_here(format!(
                        "unexpected {} after the manifest literal",
                        self.found()
                    )));
                }
            }
        }
    }

    /// Skips blank and comment-only lines before the literal. `ast.literal_eval` strips blanks
    /// before the first line only: on a later line the literal may not be indented, which
    /// Python reports as an unexpected indent.
    fn skip_leading_lines(&mut self) -> Result<()> {
        let mut first_line = true;
        loop {
            let line_start = self.pos;
            while matches!(self.peek(), Some(b' ' | b'\t' | b'\x0c')) {
                self.pos += 1;
            }
            if self.peek() == Some(b'#') {
                while !matches!(self.peek(), None | Some(b'\n' | b'\r')) {
                    self.pos += 1;
                }
            }
            match self.peek() {
                Some(b'\n') => self.pos += 1,
                Some(b'\r') => self.pos += if self.peek_at(1) == Some(b'\n') { 2 } else { 1 },
                Some(_) if !first_line && self.pos != line_start => {
                    return Err(self.error_here(
                        "unexpected indent: the literal must start in column 1 \
                         unless it is on the first line",
                    ));
                }
                _ => return Ok(()),
            }
            first_line = false;
        }
    }

    fn value(&mut self) -> Result<PyNode> {
        self.skip_trivia()?;
        let start = self.pos;
        let Some(b) = self.peek() else {
            return Err(self.error_here("unexpected end of file, expected a value"));
        };
        match b {
            b'{' => self.brace(),
            b'[' => self.list(),
            b'(' => self.paren(),
            b'\'' | b'"' => self.strings(),
            b'-' | b'+' => self.signed_number(),
            b'0'..=b'9' => self.number(start),
            b'.' if matches!(self.peek_at(1), Some(b'0'..=b'9')) => self.number(start),
            b'.' if self.bytes.get(self.pos..self.pos + 3) == Some(b"...") => Err(self.error(
                start,
                start + 3,
                "`...` (Ellipsis) is not supported in a manifest",
            )),
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => self.word(),
            0x80.. if self.char_here().is_some_and(char::is_alphabetic) => self.word(),
            _ => Err(self.error_here(format!("expected a value, found {}", self.found()))),
        }
    }

    /// A name: `True`, `False`, `None`, `set()`, or the prefix of a string literal.
    fn word(&mut self) -> Result<PyNode> {
        let start = self.pos;
        if self.string_prefix().is_some() {
            return self.strings();
        }
        while self.peek().is_some_and(is_ident_byte) {
            self.pos += 1;
        }
        let word = self.slice(start, self.pos)?;
        let span = self.span_from(start);
        let value = match word {
            "True" => PyValue::Bool(true),
            "False" => PyValue::Bool(false),
            "None" => PyValue::None,
            "set" => return self.empty_set_call(start),
            "true" | "false" | "none" | "null" => {
                let hint = match word {
                    "true" => "True",
                    "false" => "False",
                    _ => "None",
                };
                return Err(self.error(
                    start,
                    self.pos,
                    format!("`{word}` is not a Python literal, did you mean `{hint}`?"),
                ));
            }
            _ => {
                return Err(self.error(
                    start,
                    self.pos,
                    format!("`{word}` is not a literal: a manifest cannot refer to names"),
                ));
            }
        };
        Ok(PyNode { value, span })
    }

    /// `set()`, the only call `ast.literal_eval` accepts.
    fn empty_set_call(&mut self, start: usize) -> Result<PyNode> {
        self.skip_trivia()?;
        if self.peek() != Some(b'(') {
            return Err(self.error(
                start,
                self.pos,
                "`set` is not a literal: only `set()` is accepted",
            ));
        }
        self.enter()?;
        self.pos += 1;
        self.skip_trivia()?;
        if self.peek() != Some(b')') {
            return Err(self.error_here(format!(
                "expected `)`: only an empty `set()` call is a literal, found {}",
                self.found()
            )));
        }
        self.pos += 1;
        self.leave();
        Ok(self.node_from(start, PyValue::Set(Vec::new())))
    }
}
