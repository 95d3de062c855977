//! Odoo `__manifest__.py` files, read as the Python literal they are and never executed.
//!
//! Odoo loads a manifest with `ast.literal_eval(f.read())`, so this module accepts what that
//! call accepts for the values a manifest can hold, and reports the rest as a [`ManifestError`]
//! with a line and column. It never panics, whatever the input: every byte access is checked
//! and nesting is capped at [`MAX_DEPTH`], as in Python.

use std::fmt::{self, Write as _};

use miette::{Diagnostic, SourceSpan};

/// How deep lists, tuples, dicts, sets and parentheses may nest before parsing gives up.
///
/// Python's tokenizer refuses more than 200 nested brackets, so no manifest Odoo can load
/// nests deeper (real ones nest three levels: `assets` → bundle → directive tuple). The cap
/// keeps hostile input from exhausting the stack: at 200, an unoptimised build needs about
/// 1.1 MiB of a thread's 2 MiB.
pub const MAX_DEPTH: usize = 200;

/// A byte range `start..end` in the manifest source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// The number of bytes covered.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no byte.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

impl From<Span> for SourceSpan {
    fn from(span: Span) -> Self {
        SourceSpan::new(span.start.into(), span.len())
    }
}

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

/// Why a manifest could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(odoo_order::manifest))]
pub struct ManifestError {
    /// What is wrong, lowercase, identifiers in backticks.
    pub message: String,
    /// Byte offset of the problem in the source.
    pub offset: usize,
    /// 1-based line of `offset` (`\n`, `\r\n` and `\r` each end a line, as in Python).
    pub line: usize,
    /// 1-based column of `offset`, counted in characters.
    pub column: usize,
    /// The bytes the problem is about, for a miette label; the caller attaches the source.
    #[label("here")]
    pub span: SourceSpan,
}

impl ManifestError {
    /// An error about `span` of `source`; line and column are computed from `source`.
    pub fn new(source: &str, span: Span, message: impl Into<String>) -> Self {
        let (line, column) = line_column(source, span.start);
        ManifestError {
            message: message.into(),
            offset: span.start,
            line,
            column,
            span: span.into(),
        }
    }
}

/// 1-based line and character column of byte `offset` in `source`.
fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let bytes = source.as_bytes();
    let end = offset.min(bytes.len());
    let mut line = 1;
    let mut line_start = 0;
    let mut i = 0;
    while i < end {
        match bytes.get(i) {
            Some(b'\n') => {
                line += 1;
                line_start = i + 1;
            }
            Some(b'\r') => {
                if bytes.get(i + 1) == Some(&b'\n') && i + 1 < end {
                    i += 1;
                }
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    // A byte offset inside a character (only possible for hand-made spans) counts that
    // character as started.
    let column = bytes
        .get(line_start..end)
        .map_or(0, |b| b.iter().filter(|&&b| (b & 0xC0) != 0x80).count());
    (line, column + 1)
}

/// Parses a whole manifest file: one Python literal, with comments and blank lines around it.
pub fn parse(source: &str) -> Result<PyNode, ManifestError> {
    Parser::new(source).document()
}

/// Like [`parse`], for raw file contents: non-UTF-8 input is an error at the first bad byte.
pub fn parse_bytes(bytes: &[u8]) -> Result<PyNode, ManifestError> {
    parse(decode(bytes)?)
}

fn decode(bytes: &[u8]) -> Result<&str, ManifestError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let valid = bytes
            .get(..offset)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default();
        let bad = bytes.get(offset).copied().unwrap_or_default();
        ManifestError::new(
            valid,
            Span {
                start: offset,
                end: offset + 1,
            },
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

/// The bytes at which a string scan must stop and look: quotes, backslash, line ends.
static STRING_STOP: [bool; 256] = {
    let mut table = [false; 256];
    table[b'\'' as usize] = true;
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[b'\n' as usize] = true;
    table[b'\r' as usize] = true;
    table
};

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
        Span {
            start,
            end: self.pos,
        }
    }

    /// A node for the literal from `start` to the current position.
    fn node_from(&self, start: usize, value: PyValue) -> PyNode {
        PyNode {
            value,
            span: self.span_from(start),
        }
    }

    fn error(&self, start: usize, end: usize, message: impl Into<String>) -> ManifestError {
        ManifestError::new(self.src, Span { start, end }, message)
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

    /// At a string's opening quote, or at letters that form a valid string prefix (`r`, `u`,
    /// `b`, `f`, `rb`, `fr`, in any case) directly followed by one: what the prefix says.
    fn string_prefix(&self) -> Option<Prefix> {
        let mut prefix = Prefix::default();
        let mut unicode = false;
        for len in 0..3 {
            match self.peek_at(len)?.to_ascii_lowercase() {
                b'\'' | b'"' => return Some(Prefix { len, ..prefix }),
                b'r' if !prefix.raw && !unicode => prefix.raw = true,
                b'b' if !prefix.bytes && !prefix.format && !unicode => prefix.bytes = true,
                b'f' if !prefix.format && !prefix.bytes && !unicode => prefix.format = true,
                b'u' if len == 0 => unicode = true,
                _ => return None,
            }
        }
        None
    }

    /// One or more adjacent string literals, concatenated as Python does.
    fn strings(&mut self) -> Result<PyNode> {
        let start = self.pos;
        let mut out = String::new();
        let mut end;
        loop {
            let Some(prefix) = self.string_prefix() else {
                return Err(self.error_here("expected a string"));
            };
            if prefix.bytes {
                return Err(self.error_here("bytes literals are not supported in a manifest"));
            }
            if prefix.format {
                return Err(self.error_here("f-strings are not literals"));
            }
            self.pos += prefix.len;
            self.string(prefix.raw, &mut out)?;
            end = self.pos;
            self.skip_trivia()?;
            if self.string_prefix().is_none() {
                break;
            }
        }
        Ok(PyNode {
            value: PyValue::Str(out),
            span: Span { start, end },
        })
    }

    /// One string literal at its opening quote; appends its value to `out`.
    fn string(&mut self, raw: bool, out: &mut String) -> Result<()> {
        let open = self.pos;
        let Some(quote) = self.peek() else {
            return Err(self.error_here("expected a string"));
        };
        let triple = self.peek_at(1) == Some(quote) && self.peek_at(2) == Some(quote);
        self.pos += if triple { 3 } else { 1 };
        let mut run = self.pos;
        // Jumps over ordinary characters, which are nearly all of a manifest's strings.
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        self.pos += rest
            .iter()
            .position(|&b| STRING_STOP[usize::from(b)])
            .unwrap_or(rest.len());
        loop {
            let Some(b) = self.peek() else {
                let what = if triple {
                    "triple-quoted string"
                } else {
                    "string"
                };
                return Err(self.error(open, open + 1, format!("unterminated {what}")));
            };
            match b {
                b if b == quote => {
                    if !triple {
                        out.push_str(self.slice(run, self.pos)?);
                        self.pos += 1;
                        return Ok(());
                    }
                    if self.peek_at(1) == Some(quote) && self.peek_at(2) == Some(quote) {
                        out.push_str(self.slice(run, self.pos)?);
                        self.pos += 3;
                        return Ok(());
                    }
                    self.pos += 1;
                }
                b'\n' | b'\r' if !triple => {
                    return Err(self.error(
                        open,
                        open + 1,
                        "unterminated string: a newline inside a single-quoted string needs \
                         triple quotes",
                    ));
                }
                b'\r' => {
                    // Python reads source with universal newlines: `\r\n` and `\r` become `\n`.
                    out.push_str(self.slice(run, self.pos)?);
                    out.push('\n');
                    self.pos += if self.peek_at(1) == Some(b'\n') { 2 } else { 1 };
                    run = self.pos;
                }
                b'\\' => {
                    out.push_str(self.slice(run, self.pos)?);
                    if raw {
                        self.raw_escape(out);
                    } else {
                        self.escape(out)?;
                    }
                    run = self.pos;
                }
                // The other quote character.
                _ => self.pos += 1,
            }
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            self.pos += rest
                .iter()
                .position(|&b| STRING_STOP[usize::from(b)])
                .unwrap_or(rest.len());
        }
    }

    /// A backslash in a raw string: it stays, and it keeps the next character (even a quote)
    /// from ending the string.
    fn raw_escape(&mut self, out: &mut String) {
        out.push('\\');
        self.pos += 1;
        match self.peek() {
            Some(b'\r') => {
                out.push('\n');
                self.pos += if self.peek_at(1) == Some(b'\n') { 2 } else { 1 };
            }
            Some(b) if b.is_ascii() => {
                out.push(char::from(b));
                self.pos += 1;
            }
            // At the end of input the caller reports the unterminated string; a non-ASCII
            // character needs no protection, the normal scan copies it.
            _ => {}
        }
    }

    /// A backslash escape in a normal string, decoded into `out`.
    fn escape(&mut self, out: &mut String) -> Result<()> {
        let start = self.pos;
        self.pos += 1;
        let Some(b) = self.peek() else {
            return Ok(());
        };
        let simple = match b {
            b'\n' => Some(None),
            b'\r' => {
                if self.peek_at(1) == Some(b'\n') {
                    self.pos += 1;
                }
                Some(None)
            }
            b'\\' => Some(Some('\\')),
            b'\'' => Some(Some('\'')),
            b'"' => Some(Some('"')),
            b'a' => Some(Some('\x07')),
            b'b' => Some(Some('\x08')),
            b'f' => Some(Some('\x0c')),
            b'n' => Some(Some('\n')),
            b'r' => Some(Some('\r')),
            b't' => Some(Some('\t')),
            b'v' => Some(Some('\x0b')),
            _ => None,
        };
        if let Some(c) = simple {
            self.pos += 1;
            if let Some(c) = c {
                out.push(c);
            }
            return Ok(());
        }
        match b {
            b'0'..=b'7' => {
                let mut code = 0u32;
                for _ in 0..3 {
                    match self.peek() {
                        Some(d @ b'0'..=b'7') => {
                            code = code * 8 + u32::from(d - b'0');
                            self.pos += 1;
                        }
                        _ => break,
                    }
                }
                // At most 0o777, always a valid scalar value.
                out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                Ok(())
            }
            b'x' => self.hex_escape(start, 2, out),
            b'u' => self.hex_escape(start, 4, out),
            b'U' => self.hex_escape(start, 8, out),
            b'N' => Err(self.error(
                start,
                self.pos + 1,
                "`\\N{...}` escapes are not supported; write the character itself",
            )),
            // Python keeps an unknown escape as written, backslash included (with a warning).
            _ => {
                out.push('\\');
                Ok(())
            }
        }
    }

    fn hex_escape(&mut self, start: usize, digits: usize, out: &mut String) -> Result<()> {
        self.pos += 1;
        let mut code = 0u32;
        for _ in 0..digits {
            let Some(d) = self.peek().and_then(|b| char::from(b).to_digit(16)) else {
                let letter = if digits == 2 {
                    'x'
                } else if digits == 4 {
                    'u'
                } else {
                    'U'
                };
                return Err(self.error(
                    start,
                    self.pos,
                    format!("truncated `\\{letter}` escape: it needs {digits} hex digits"),
                ));
            };
            code = code * 16 + d;
            self.pos += 1;
        }
        match char::from_u32(code) {
            Some(c) => {
                out.push(c);
                Ok(())
            }
            None if (0xD800..=0xDFFF).contains(&code) => Err(self.error(
                start,
                self.pos,
                "surrogate escapes are not supported: they are not characters",
            )),
            None => Err(self.error(
                start,
                self.pos,
                format!("illegal Unicode character U+{code:X}"),
            )),
        }
    }

    /// `-` or `+` before a number, possibly parenthesised: `-1`, `- 1.5`, `-(1)`.
    /// `ast.literal_eval` accepts one sign on a number literal and nothing else.
    fn signed_number(&mut self) -> Result<PyNode> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        self.pos += 1;
        self.skip_trivia()?;
        let mut parens = 0;
        while self.peek() == Some(b'(') {
            self.enter()?;
            self.pos += 1;
            parens += 1;
            self.skip_trivia()?;
        }
        let starts_number = match self.peek() {
            Some(b'0'..=b'9') => true,
            Some(b'.') => matches!(self.peek_at(1), Some(b'0'..=b'9')),
            _ => false,
        };
        if !starts_number {
            return Err(self.error_here(format!(
                "a sign applies only to a number, found {}",
                self.found()
            )));
        }
        let number = self.number_literal()?;
        for _ in 0..parens {
            self.skip_trivia()?;
            if self.peek() != Some(b')') {
                return Err(self.error_here(format!("expected `)`, found {}", self.found())));
            }
            self.pos += 1;
            self.leave();
        }
        self.number_node(start, number, negative)
    }

    /// An unsigned number literal starting at `start`.
    fn number(&mut self, start: usize) -> Result<PyNode> {
        let number = self.number_literal()?;
        self.number_node(start, number, false)
    }

    /// The node for a number read from `start` to here; integers must fit in an `i64`.
    fn number_node(&self, start: usize, number: Number, negative: bool) -> Result<PyNode> {
        let value = match number {
            Number::Float(x) => PyValue::Float(if negative { -x } else { x }),
            Number::Int(magnitude) => {
                let signed = if negative {
                    0i128.checked_sub_unsigned(magnitude)
                } else {
                    i128::try_from(magnitude).ok()
                };
                let int = signed.and_then(|i| i64::try_from(i).ok());
                PyValue::Int(int.ok_or_else(|| self.too_large(start))?)
            }
        };
        Ok(self.node_from(start, value))
    }

    fn too_large(&self, start: usize) -> ManifestError {
        self.error(
            start,
            self.pos,
            "integer does not fit in 64 bits; no manifest field needs one this large",
        )
    }

    /// Python's integer and float literal grammar: `0x`, `0o`, `0b` prefixes, `_` between
    /// digits, no leading zeros on a decimal integer, `1.`, `.5`, exponents.
    fn number_literal(&mut self) -> Result<Number> {
        let start = self.pos;
        let radix = match (self.peek(), self.peek_at(1).map(|b| b.to_ascii_lowercase())) {
            (Some(b'0'), Some(b'x')) => 16,
            (Some(b'0'), Some(b'o')) => 8,
            (Some(b'0'), Some(b'b')) => 2,
            _ => 10,
        };
        if radix != 10 {
            self.pos += 2;
            let digits = self.digits(start, radix, true)?;
            if digits == 0 {
                return Err(self.invalid_number(start));
            }
            self.end_of_number(start)?;
            return self.integer(start, radix);
        }
        let int_digits = self.digits(start, 10, false)?;
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            float = true;
            let fraction = self.digits(start, 10, false)?;
            if int_digits == 0 && fraction == 0 {
                return Err(self.invalid_number(start));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits(start, 10, false)? == 0 {
                return Err(self.invalid_number(start));
            }
            float = true;
        }
        self.end_of_number(start)?;
        if float {
            let text: String = self
                .slice(start, self.pos)?
                .chars()
                .filter(|&c| c != '_')
                .collect();
            return text
                .parse::<f64>()
                .map(Number::Float)
                .map_err(|_| self.invalid_number(start));
        }
        let text = self.slice(start, self.pos)?;
        if text.starts_with('0') && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
            return Err(self.error(
                start,
                self.pos,
                "leading zeros in decimal integer literals are not permitted; \
                 use an `0o` prefix for octal integers",
            ));
        }
        self.integer(start, 10)
    }

    /// Digits of `radix` with single `_` between them (and, after a base prefix, before the
    /// first); returns how many digits were read.
    fn digits(&mut self, number_start: usize, radix: u32, underscore_first: bool) -> Result<usize> {
        let start = self.pos;
        let mut count = 0;
        loop {
            match self.peek() {
                Some(b'_') if count > 0 || (underscore_first && self.pos == start) => {
                    if !self
                        .peek_at(1)
                        .is_some_and(|b| char::from(b).is_digit(radix))
                    {
                        return Err(self.invalid_number(number_start));
                    }
                    self.pos += 1;
                }
                Some(b) if char::from(b).is_digit(radix) => {
                    self.pos += 1;
                    count += 1;
                }
                _ => return Ok(count),
            }
        }
    }

    /// A number may not run into a name (`1_`, `0b2`, `1e`, `3j`, `1if`).
    fn end_of_number(&self, start: usize) -> Result<()> {
        match self.peek() {
            Some(b'j' | b'J') => Err(self.error(
                start,
                self.pos + 1,
                "complex numbers are not supported in a manifest",
            )),
            Some(b) if is_ident_byte(b) => Err(self.invalid_number(start)),
            _ => Ok(()),
        }
    }

    fn invalid_number(&self, start: usize) -> ManifestError {
        let mut end = self.pos;
        while self
            .bytes
            .get(end)
            .is_some_and(|&b| is_ident_byte(b) || b == b'.')
        {
            end += 1;
        }
        let text = self.src.get(start..end).unwrap_or("");
        self.error(start, end, format!("invalid number literal `{text}`"))
    }

    /// The value of the integer literal `start..pos`, prefix and underscores included.
    fn integer(&self, start: usize, radix: u32) -> Result<Number> {
        let text = self.slice(start, self.pos)?;
        let digits = if radix == 10 {
            text
        } else {
            text.get(2..).unwrap_or("")
        };
        let mut value = 0u128;
        for c in digits.chars().filter(|&c| c != '_') {
            value = c
                .to_digit(radix)
                .and_then(|d| {
                    value
                        .checked_mul(u128::from(radix))?
                        .checked_add(u128::from(d))
                })
                .ok_or_else(|| self.too_large(start))?;
        }
        Ok(Number::Int(value))
    }

    /// `[a, b]`.
    fn list(&mut self) -> Result<PyNode> {
        let start = self.pos;
        self.enter()?;
        self.pos += 1;
        let items = self.items(b']', None)?;
        Ok(self.node_from(start, PyValue::List(items)))
    }

    /// `()`, `(a,)`, `(a, b)`, or a parenthesised value `(a)`.
    fn paren(&mut self) -> Result<PyNode> {
        let start = self.pos;
        self.enter()?;
        self.pos += 1;
        self.skip_trivia()?;
        if self.peek() == Some(b')') {
            self.pos += 1;
            self.leave();
            return Ok(self.node_from(start, PyValue::Tuple(Vec::new())));
        }
        let first = self.value()?;
        self.skip_trivia()?;
        match self.peek() {
            Some(b')') => {
                self.pos += 1;
                self.leave();
                Ok(first)
            }
            Some(b',') => {
                self.pos += 1;
                let items = self.items(b')', Some(first))?;
                Ok(self.node_from(start, PyValue::Tuple(items)))
            }
            _ => Err(self.error_here(format!("expected `,` or `)`, found {}", self.found()))),
        }
    }

    /// The rest of a comma-separated sequence up to and including `close`, after `first`.
    fn items(&mut self, close: u8, first: Option<PyNode>) -> Result<Vec<PyNode>> {
        let base = self.items.len();
        self.items.extend(first);
        loop {
            self.skip_trivia()?;
            if self.peek() == Some(close) {
                break;
            }
            let item = self.value()?;
            self.items.push(item);
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b) if b == close => break,
                _ => {
                    return Err(self.error_here(format!(
                        "expected `,` or `{}`, found {}",
                        char::from(close),
                        self.found()
                    )));
                }
            }
        }
        self.pos += 1;
        self.leave();
        Ok(self.items.drain(base..).collect())
    }

    fn check_hashable(&self, node: &PyNode) -> Result<()> {
        match node.value.unhashable() {
            Some(kind) => Err(self.error(
                node.span.start,
                node.span.end,
                format!("unhashable type `{kind}`: it cannot be a dict key or a set element"),
            )),
            None => Ok(()),
        }
    }

    /// `{}`, `{key: value, ...}` or `{a, b}`.
    fn brace(&mut self) -> Result<PyNode> {
        let start = self.pos;
        self.enter()?;
        self.pos += 1;
        self.skip_trivia()?;
        let value = if self.peek() == Some(b'}') {
            self.pos += 1;
            self.leave();
            PyValue::Dict(Vec::new())
        } else {
            let first = self.value()?;
            self.check_hashable(&first)?;
            self.skip_trivia()?;
            if self.peek() == Some(b':') {
                self.pos += 1;
                PyValue::Dict(self.dict_entries(first)?)
            } else {
                let elements = match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.items(b'}', Some(first))?
                    }
                    Some(b'}') => {
                        self.pos += 1;
                        self.leave();
                        vec![first]
                    }
                    _ => {
                        return Err(self.error_here(format!(
                            "expected `:`, `,` or `}}`, found {}",
                            self.found()
                        )));
                    }
                };
                for element in &elements {
                    self.check_hashable(element)?;
                }
                PyValue::Set(elements)
            }
        };
        Ok(PyNode {
            value,
            span: self.span_from(start),
        })
    }

    /// The entries of a dict whose first key has been read, up to and including `}`.
    fn dict_entries(&mut self, first_key: PyNode) -> Result<Vec<(PyNode, PyNode)>> {
        let base = self.entries.len();
        let mut key = first_key;
        loop {
            let value = self.value()?;
            self.entries.push((key, value));
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => break,
                _ => {
                    return Err(self.error_here(format!(
                        "expected `,` or `}}` after a dict entry, found {}",
                        self.found()
                    )));
                }
            }
            self.skip_trivia()?;
            if self.peek() == Some(b'}') {
                break;
            }
            key = self.value()?;
            self.check_hashable(&key)?;
            self.skip_trivia()?;
            if self.peek() != Some(b':') {
                return Err(self.error_here(format!(
                    "expected `:` after a dict key, found {}",
                    self.found()
                )));
            }
            self.pos += 1;
        }
        self.pos += 1;
        self.leave();
        Ok(self.entries.drain(base..).collect())
    }
}

/// The letters before a string literal's opening quote.
#[derive(Debug, Clone, Copy, Default)]
struct Prefix {
    len: usize,
    raw: bool,
    bytes: bool,
    format: bool,
}

#[derive(Debug, Clone, Copy)]
enum Number {
    /// The magnitude; the sign, if any, is applied by the caller.
    Int(u128),
    Float(f64),
}

/// When Odoo installs a module by itself (`auto_install` in the manifest).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AutoInstallSpec {
    /// `False` or absent: only when asked for.
    #[default]
    No,
    /// `True`: as soon as every module in `depends` is installed.
    All,
    /// A list: as soon as these modules (a subset of `depends`) are installed. An empty list
    /// means always, as Odoo documents it.
    Triggers(Vec<String>),
}

/// The fields of a manifest that the linter uses, with Odoo's defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// `name`, the display name.
    pub name: Option<String>,
    /// `depends`, in manifest order; default `[]`.
    pub depends: Vec<String>,
    /// `auto_install`; default `False`.
    pub auto_install: AutoInstallSpec,
    /// `application`; default `False`.
    pub application: bool,
    /// `category`; default `"Uncategorized"`.
    pub category: String,
    /// `countries` (lowercase ISO codes as written, e.g. `fr`); default `[]`.
    pub countries: Vec<String>,
    /// `installable`; default `True`.
    pub installable: bool,
    /// `version` as written; Odoo reads a missing one as `1.0`.
    pub version: Option<String>,
    /// `license` as written; Odoo reads a missing one as `LGPL-3`, with a warning.
    pub license: Option<String>,
}

impl Default for Manifest {
    /// The manifest of an empty dict `{}`: Odoo's defaults.
    fn default() -> Self {
        Manifest {
            name: None,
            depends: Vec::new(),
            auto_install: AutoInstallSpec::No,
            application: false,
            category: "Uncategorized".to_owned(),
            countries: Vec::new(),
            installable: true,
            version: None,
            license: None,
        }
    }
}

impl Manifest {
    /// Parses a manifest's source and reads its fields.
    pub fn from_source(source: &str) -> Result<Manifest, ManifestError> {
        Manifest::from_node(source, &parse(source)?)
    }

    /// Like [`Manifest::from_source`], for raw file contents.
    pub fn from_bytes(bytes: &[u8]) -> Result<Manifest, ManifestError> {
        Manifest::from_source(decode(bytes)?)
    }

    /// Reads the fields of an already parsed manifest; `source` is the text `root` was parsed
    /// from, used for line and column in errors. A field of the wrong type is an error on its
    /// value, as is an `auto_install` trigger missing from `depends` (Odoo refuses to load it).
    pub fn from_node(source: &str, root: &PyNode) -> Result<Manifest, ManifestError> {
        if !matches!(root.value, PyValue::Dict(_)) {
            return Err(ManifestError::new(
                source,
                root.span,
                format!(
                    "a manifest must be a dict literal, found a `{}`",
                    root.value.type_name()
                ),
            ));
        }
        let field = |key: &str| root.get(key).map(|(_, value)| value);
        let mut manifest = Manifest::default();
        if let Some(node) = field("name") {
            manifest.name = Some(expect_str(source, "name", node)?);
        }
        if let Some(node) = field("depends") {
            manifest.depends = expect_names(source, "depends", node)?;
        }
        if let Some(node) = field("auto_install") {
            manifest.auto_install = match &node.value {
                PyValue::Bool(false) => AutoInstallSpec::No,
                PyValue::Bool(true) => AutoInstallSpec::All,
                PyValue::List(items) | PyValue::Tuple(items) | PyValue::Set(items) => {
                    let mut triggers: Vec<String> = Vec::with_capacity(items.len());
                    for item in items {
                        let name = expect_item_str(source, "auto_install", item)?;
                        if !manifest.depends.contains(&name) {
                            return Err(ManifestError::new(
                                source,
                                item.span,
                                format!(
                                    "`auto_install` trigger `{name}` is not in `depends`; \
                                     Odoo refuses to load this manifest"
                                ),
                            ));
                        }
                        if !triggers.contains(&name) {
                            triggers.push(name);
                        }
                    }
                    AutoInstallSpec::Triggers(triggers)
                }
                other => {
                    return Err(wrong_type(
                        source,
                        "auto_install",
                        "a bool or a list of module names",
                        node,
                        other,
                    ));
                }
            };
        }
        if let Some(node) = field("application") {
            manifest.application = expect_bool(source, "application", node)?;
        }
        if let Some(node) = field("category") {
            manifest.category = expect_str(source, "category", node)?;
        }
        if let Some(node) = field("countries") {
            manifest.countries = expect_names(source, "countries", node)?;
        }
        if let Some(node) = field("installable") {
            manifest.installable = expect_bool(source, "installable", node)?;
        }
        if let Some(node) = field("version") {
            manifest.version = Some(expect_str(source, "version", node)?);
        }
        if let Some(node) = field("license") {
            manifest.license = Some(expect_str(source, "license", node)?);
        }
        Ok(manifest)
    }
}

fn wrong_type(
    source: &str,
    key: &str,
    expected: &str,
    node: &PyNode,
    found: &PyValue,
) -> ManifestError {
    ManifestError::new(
        source,
        node.span,
        format!(
            "`{key}` must be {expected}, found a `{}`",
            found.type_name()
        ),
    )
}

fn expect_str(source: &str, key: &str, node: &PyNode) -> Result<String> {
    match &node.value {
        PyValue::Str(s) => Ok(s.clone()),
        other => Err(wrong_type(source, key, "a string", node, other)),
    }
}

fn expect_bool(source: &str, key: &str, node: &PyNode) -> Result<bool> {
    match &node.value {
        PyValue::Bool(b) => Ok(*b),
        other => Err(wrong_type(source, key, "`True` or `False`", node, other)),
    }
}

fn expect_item_str(source: &str, key: &str, item: &PyNode) -> Result<String> {
    match &item.value {
        PyValue::Str(s) => Ok(s.clone()),
        other => Err(ManifestError::new(
            source,
            item.span,
            format!(
                "`{key}` entries must be strings, found a `{}`",
                other.type_name()
            ),
        )),
    }
}

/// A list (or tuple) of strings, such as `depends`. A bare string is refused although Odoo
/// would iterate over its characters: that is always a mistake.
fn expect_names(source: &str, key: &str, node: &PyNode) -> Result<Vec<String>> {
    match &node.value {
        PyValue::List(items) | PyValue::Tuple(items) | PyValue::Set(items) => items
            .iter()
            .map(|item| expect_item_str(source, key, item))
            .collect(),
        other => Err(wrong_type(source, key, "a list of strings", node, other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The value, printed back as Python (spans left out), for compact expectations.
    fn py(src: &str) -> String {
        match parse(src) {
            Ok(node) => node.value.to_string(),
            Err(e) => panic!("{src:?} failed at {}:{}: {}", e.line, e.column, e.message),
        }
    }

    fn string(src: &str) -> String {
        match parse(src).unwrap().value {
            PyValue::Str(s) => s,
            other => panic!("not a string: {other}"),
        }
    }

    /// The error as (message, line, column).
    fn error(src: &str) -> (String, usize, usize) {
        let e = parse(src).expect_err(src);
        assert_eq!(
            line_column(src, e.offset),
            (e.line, e.column),
            "line and column agree with the offset"
        );
        (e.message, e.line, e.column)
    }

    fn manifest_error(src: &str) -> (String, usize, usize) {
        let e = Manifest::from_source(src).expect_err(src);
        (e.message, e.line, e.column)
    }

    #[test]
    fn dict_with_comments_and_blank_lines_around() {
        let src =
            "# -*- coding: utf-8 -*-\n\n# Copyright\n{\n    'name': 'X',  # the name\n}\n# end\n\n";
        assert_eq!(py(src), "{'name': 'X'}");
    }

    #[test]
    fn literal_may_be_indented_on_the_first_line_only() {
        assert_eq!(py("  \t{'a': 1}"), "{'a': 1}");
        assert_eq!(
            error("# c\n  {'a': 1}"),
            (
                "unexpected indent: the literal must start in column 1 unless it is on the first line"
                    .to_owned(),
                2,
                3
            )
        );
    }

    #[test]
    fn nested_containers_and_trailing_commas() {
        assert_eq!(
            py("{'a': [1, 2,], 'b': {'c': (1, 2,)}, 'd': [],}"),
            "{'a': [1, 2], 'b': {'c': (1, 2)}, 'd': []}"
        );
    }

    #[test]
    fn tuples_parentheses_and_sets() {
        assert_eq!(py("()"), "()");
        assert_eq!(py("(1,)"), "(1,)");
        assert_eq!(py("(1)"), "1");
        assert_eq!(py("((1,))"), "(1,)");
        assert_eq!(
            py("[('include', 'web._assets'), ('before', 'a', 'b')]"),
            "[('include', 'web._assets'), ('before', 'a', 'b')]"
        );
        assert_eq!(py("{'a', 'b',}"), "{'a', 'b'}");
        assert_eq!(py("{'a'}"), "{'a'}");
        assert_eq!(py("set()"), "set()");
        assert_eq!(py("set ( \n )"), "set()");
        assert_eq!(py("{}"), "{}");
    }

    #[test]
    fn constants() {
        assert_eq!(py("[True, False, None]"), "[True, False, None]");
    }

    #[test]
    fn newlines_inside_brackets_and_backslash_continuations() {
        assert_eq!(py("[\n1\n,\r\n2 # c\n\r]"), "[1, 2]");
        assert_eq!(py("\\\n{'a': \\\n 1}"), "{'a': 1}");
        assert_eq!(py("'a' \\\n 'b'"), "'ab'");
    }

    #[test]
    fn quotes_and_triple_quotes() {
        assert_eq!(string(r#""it's""#), "it's");
        assert_eq!(string(r#"'say "hi"'"#), "say \"hi\"");
        assert_eq!(string("'''a\n'b''c'''"), "a\n'b''c");
        assert_eq!(string("\"\"\"x\r\ny\rz\"\"\""), "x\ny\nz");
        assert_eq!(string("''"), "");
        assert_eq!(string("''''''"), "");
    }

    #[test]
    fn adjacent_literals_concatenate() {
        assert_eq!(string("'a' \"b\" '''c''' r'\\d'"), "abc\\d");
        assert_eq!(
            py("{'author': 'Odoo, '\n    'OCA', 'x': 1}"),
            "{'author': 'Odoo, OCA', 'x': 1}"
        );
        // At the top level a newline ends the literal, as in Python.
        assert_eq!(
            error("'a'\n'b'"),
            ("unexpected `'` after the manifest literal".to_owned(), 2, 1)
        );
    }

    #[test]
    fn prefixes() {
        assert_eq!(string(r"r'\d\''"), r"\d\'");
        assert_eq!(string(r"R'\n'"), r"\n");
        assert_eq!(string("u'x' U'y'"), "xy");
        assert_eq!(string("r'a\\\nb'"), "a\\\nb");
        assert_eq!(string("r'''\\\r\n'''"), "\\\n");
    }

    #[test]
    fn escapes() {
        assert_eq!(
            string(r#"'\\\'\"\a\b\f\n\r\t\v'"#),
            "\\'\"\x07\x08\x0c\n\r\t\x0b"
        );
        assert_eq!(string(r"'\101\0\777\1a'"), "A\0\u{1ff}\u{1}a");
        assert_eq!(string(r"'\x41\u00e9\U0001F600'"), "Aé😀");
        assert_eq!(string("'a\\\nb'"), "ab");
        assert_eq!(string("'a\\\r\nb'"), "ab");
        // Python keeps an unknown escape as written.
        assert_eq!(string(r"'\q\8\会'"), r"\q\8\会");
    }

    #[test]
    fn integers() {
        assert_eq!(
            py("[0, 00, 7, 1_000, 0x_ff, 0XfF, 0o17, 0b101, 0_0]"),
            "[0, 0, 7, 1000, 255, 255, 15, 5, 0]"
        );
        assert_eq!(
            py("[-1, +1, - 1, -(1), -( (2) ), -0x10]"),
            "[-1, 1, -1, -1, -2, -16]"
        );
        assert_eq!(py("-9223372036854775808"), "-9223372036854775808");
        assert_eq!(py("9223372036854775807"), "9223372036854775807");
    }

    #[test]
    fn floats() {
        assert_eq!(
            py("[1.5, .5, 1., 1e3, 1.5E-3, 1_0.0_1, 00.5, 09.5, 0e0, -0.5]"),
            "[1.5, 0.5, 1.0, 1000.0, 0.0015, 10.01, 0.5, 9.5, 0.0, -0.5]"
        );
        assert_eq!(py("1e400"), "1e999");
        assert_eq!(py("-1e400"), "-1e999");
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let src = "{\n    'name': 'X',\n    'depends': ['base', 'mail'],\n}";
        let root = parse(src).unwrap();
        let (key, value) = root.get("depends").unwrap();
        assert_eq!(&src[key.span.start..key.span.end], "'depends'");
        assert_eq!(&src[value.span.start..value.span.end], "['base', 'mail']");
        let PyValue::List(items) = &value.value else {
            panic!("not a list")
        };
        assert_eq!(&src[items[1].span.start..items[1].span.end], "'mail'");
        assert_eq!(&src[root.span.start..root.span.end], src);
        let concat = parse("('a'\n 'b')").unwrap();
        assert_eq!(concat.span, Span { start: 1, end: 9 });
        let signed = parse("[- (1)]").unwrap();
        let PyValue::List(items) = &signed.value else {
            panic!("not a list")
        };
        assert_eq!(items[0].span, Span { start: 1, end: 6 });
    }

    #[test]
    fn repeated_key_keeps_both_entries_and_get_returns_the_last() {
        let root = parse("{'a': 1, 'a': 2}").unwrap();
        assert_eq!(root.get("a").unwrap().1.value, PyValue::Int(2));
        assert_eq!(root.value.to_string(), "{'a': 1, 'a': 2}");
        assert!(root.get("b").is_none());
    }

    #[test]
    fn invalid_utf8_is_reported_at_its_byte() {
        let e = parse_bytes(b"{\n 'a': '\xe9'}").unwrap_err();
        assert_eq!(e.message, "the file is not valid UTF-8 (byte 0xe9)");
        assert_eq!((e.offset, e.line, e.column), (9, 2, 8));
        let e = Manifest::from_bytes(b"\xff").unwrap_err();
        assert_eq!((e.offset, e.line, e.column), (0, 1, 1));
    }

    #[test]
    fn byte_order_mark_and_nul_are_refused() {
        assert_eq!(
            error("\u{feff}{}"),
            (
                "the file starts with a byte order mark, which Python's `ast.literal_eval` rejects"
                    .to_owned(),
                1,
                1
            )
        );
        assert_eq!(
            error("{'a':\n '\0'}"),
            ("the file contains a NUL byte".to_owned(), 2, 3)
        );
    }

    #[test]
    fn unterminated_strings() {
        assert_eq!(
            error("{\n  'a': 'b}"),
            ("unterminated string".to_owned(), 2, 8)
        );
        assert_eq!(
            error("{'a': '''b\n\n}"),
            ("unterminated triple-quoted string".to_owned(), 1, 7)
        );
        assert_eq!(
            error("['a\n']"),
            (
                "unterminated string: a newline inside a single-quoted string needs triple quotes"
                    .to_owned(),
                1,
                2
            )
        );
        assert_eq!(error(r"r'\'"), ("unterminated string".to_owned(), 1, 2));
    }

    #[test]
    fn unsupported_string_forms() {
        assert_eq!(
            error("['a' b'x']"),
            (
                "bytes literals are not supported in a manifest".to_owned(),
                1,
                6
            )
        );
        assert_eq!(
            error("f'x'"),
            ("f-strings are not literals".to_owned(), 1, 1)
        );
        assert_eq!(
            error(r"'\N{BULLET}'"),
            (
                "`\\N{...}` escapes are not supported; write the character itself".to_owned(),
                1,
                2
            )
        );
        assert_eq!(
            error(r"'ab\x4'"),
            (
                "truncated `\\x` escape: it needs 2 hex digits".to_owned(),
                1,
                4
            )
        );
        assert_eq!(
            error(r"'\u12'"),
            (
                "truncated `\\u` escape: it needs 4 hex digits".to_owned(),
                1,
                2
            )
        );
        assert_eq!(
            error(r"'\ud800'"),
            (
                "surrogate escapes are not supported: they are not characters".to_owned(),
                1,
                2
            )
        );
        assert_eq!(
            error(r"'\U00110000'"),
            ("illegal Unicode character U+110000".to_owned(), 1, 2)
        );
    }

    #[test]
    fn bad_numbers() {
        let leading = "leading zeros in decimal integer literals are not permitted; \
                       use an `0o` prefix for octal integers";
        assert_eq!(error("[07]"), (leading.to_owned(), 1, 2));
        assert_eq!(error("[0_7]"), (leading.to_owned(), 1, 2));
        for bad in [
            "1_", "1__0", "0b2", "1e", "0x", "1.5_", "1_.5", "1if", "1e+",
        ] {
            assert_eq!(
                error(&format!("[\n {bad}]")),
                (format!("invalid number literal `{bad}`"), 2, 2),
                "{bad}"
            );
        }
        assert_eq!(
            error("{'a': 1j}"),
            (
                "complex numbers are not supported in a manifest".to_owned(),
                1,
                7
            )
        );
        let large = "integer does not fit in 64 bits; no manifest field needs one this large";
        assert_eq!(error("[9223372036854775808]"), (large.to_owned(), 1, 2));
        assert_eq!(error("[-9223372036854775809]"), (large.to_owned(), 1, 2));
        assert_eq!(
            error("0x1_0000_0000_0000_0000_0000_0000_0000_0000"),
            (large.to_owned(), 1, 1)
        );
    }

    #[test]
    fn signs_apply_to_numbers_only() {
        for (src, found, column) in [
            ("--1", "`-`", 2),
            ("-True", "`T`", 2),
            ("-'x'", "`'`", 2),
            ("-(1,)", "", 0),
        ] {
            if column == 0 {
                assert_eq!(error(src), ("expected `)`, found `,`".to_owned(), 1, 4));
            } else {
                assert_eq!(
                    error(src),
                    (
                        format!("a sign applies only to a number, found {found}"),
                        1,
                        column
                    )
                );
            }
        }
    }

    #[test]
    fn syntax_errors_say_what_was_expected() {
        assert_eq!(
            error("{'a': 1,,}"),
            ("expected a value, found `,`".to_owned(), 1, 9)
        );
        assert_eq!(
            error("{'a': 1\n 'b': 2}"),
            (
                "expected `,` or `}` after a dict entry, found `'`".to_owned(),
                2,
                2
            )
        );
        assert_eq!(
            error("{'a' 1}"),
            ("expected `:`, `,` or `}`, found `1`".to_owned(), 1, 6)
        );
        assert_eq!(
            error("{'a': 1, 'b'}"),
            ("expected `:` after a dict key, found `}`".to_owned(), 1, 13)
        );
        assert_eq!(
            error("{**x}"),
            ("expected a value, found `*`".to_owned(), 1, 2)
        );
        assert_eq!(
            error("[1 2]"),
            ("expected `,` or `]`, found `2`".to_owned(), 1, 4)
        );
        assert_eq!(
            error("(1 2)"),
            ("expected `,` or `)`, found `2`".to_owned(), 1, 4)
        );
        assert_eq!(
            error("{'a': "),
            ("unexpected end of file, expected a value".to_owned(), 1, 7)
        );
        assert_eq!(
            error(""),
            ("unexpected end of file, expected a value".to_owned(), 1, 1)
        );
        assert_eq!(
            error("{} {}"),
            ("unexpected `{` after the manifest literal".to_owned(), 1, 4)
        );
        assert_eq!(
            error("{};"),
            ("unexpected `;` after the manifest literal".to_owned(), 1, 3)
        );
        assert_eq!(
            error("[1, \\ 2]"),
            ("unexpected `\\` outside a string".to_owned(), 1, 5)
        );
        assert_eq!(
            error("[\u{7}]"),
            ("expected a value, found character U+0007".to_owned(), 1, 2)
        );
        assert_eq!(
            error("{'a':\u{a0}1}"),
            ("expected a value, found character U+00A0".to_owned(), 1, 6)
        );
        assert_eq!(
            error("[→]"),
            ("expected a value, found `→`".to_owned(), 1, 2)
        );
        assert_eq!(
            error("[café]"),
            (
                "`café` is not a literal: a manifest cannot refer to names".to_owned(),
                1,
                2
            )
        );
    }

    #[test]
    fn names_are_not_literals() {
        assert_eq!(
            error("{'a': true}"),
            (
                "`true` is not a Python literal, did you mean `True`?".to_owned(),
                1,
                7
            )
        );
        assert_eq!(
            error("{'a': null}"),
            (
                "`null` is not a Python literal, did you mean `None`?".to_owned(),
                1,
                7
            )
        );
        assert_eq!(
            error("{'a': os.environ}"),
            (
                "`os` is not a literal: a manifest cannot refer to names".to_owned(),
                1,
                7
            )
        );
        assert_eq!(
            error("set([])"),
            (
                "expected `)`: only an empty `set()` call is a literal, found `[`".to_owned(),
                1,
                5
            )
        );
        assert_eq!(
            error("[set]"),
            (
                "`set` is not a literal: only `set()` is accepted".to_owned(),
                1,
                2
            )
        );
        assert_eq!(
            error("[...]"),
            (
                "`...` (Ellipsis) is not supported in a manifest".to_owned(),
                1,
                2
            )
        );
    }

    #[test]
    fn unhashable_keys_and_elements() {
        let msg =
            |t: &str| format!("unhashable type `{t}`: it cannot be a dict key or a set element");
        assert_eq!(error("{[1]: 2}"), (msg("list"), 1, 2));
        assert_eq!(error("{1: 2, (1, {}): 3}"), (msg("dict"), 1, 8));
        assert_eq!(error("{1, {2}}"), (msg("set"), 1, 5));
        assert_eq!(py("{(1, 'a'): 2}"), "{(1, 'a'): 2}");
    }

    #[test]
    fn nesting_is_capped() {
        let deep = "[".repeat(MAX_DEPTH + 10);
        assert_eq!(
            error(&deep),
            (
                format!("nesting deeper than {MAX_DEPTH} levels"),
                1,
                MAX_DEPTH + 1
            )
        );
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let signs = format!("-{}1", "(".repeat(MAX_DEPTH + 1));
        assert!(parse(&signs).is_err());
    }

    /// The deepest input the cap lets through must fit the 2 MiB stack of a spawned thread
    /// (the scanner's, and the test harness's) even in an unoptimised build.
    #[test]
    fn the_deepest_accepted_nesting_fits_a_thread_stack() {
        let n = MAX_DEPTH;
        let inputs = [
            format!("{}1{}", "{1: ".repeat(n), "}".repeat(n)),
            format!("{}1{}", "{1: (".repeat(n / 2), ",)}".repeat(n / 2)),
            format!("{}1{}", "[".repeat(n), "]".repeat(n)),
            format!("{}1{}", "(".repeat(n), ")".repeat(n)),
            format!(
                "{}-{}1{}{}",
                "[".repeat(n / 2),
                "(".repeat(n / 2),
                ")".repeat(n / 2),
                "]".repeat(n / 2)
            ),
        ];
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                for input in &inputs {
                    assert!(parse(input).is_ok(), "{input}");
                    let deeper = format!("[{input}]");
                    assert!(parse(&deeper).is_err());
                }
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn columns_count_characters_and_lines_count_every_newline_style() {
        assert_eq!(
            error("{'é': x}"),
            (
                "`x` is not a literal: a manifest cannot refer to names".to_owned(),
                1,
                7
            )
        );
        assert_eq!(
            error("[\r\n1,\r2,\n3 4]"),
            ("expected `,` or `]`, found `4`".to_owned(), 4, 3)
        );
    }

    #[test]
    fn error_is_a_labelled_diagnostic() {
        let e = parse("[1 2]").unwrap_err();
        let labels: Vec<_> = Diagnostic::labels(&e).unwrap().collect();
        assert_eq!(labels.len(), 1);
        assert_eq!((labels[0].offset(), labels[0].len()), (3, 1));
        assert_eq!(e.to_string(), "expected `,` or `]`, found `2`");
    }

    #[test]
    fn display_prints_python() {
        let value = PyValue::Str("a'b\\c\n\t\u{1}\u{7f}é".to_owned());
        assert_eq!(value.to_string(), r"'a\'b\\c\n\t\x01\x7fé'");
        assert_eq!(PyValue::Float(f64::NAN).to_string(), "float('nan')");
        assert_eq!(PyValue::Float(1e16).to_string(), "1e16");
    }

    #[test]
    fn manifest_defaults_are_odoos() {
        let m = Manifest::from_source("{'name': 'X'}").unwrap();
        assert_eq!(
            m,
            Manifest {
                name: Some("X".to_owned()),
                ..Manifest::default()
            }
        );
        assert_eq!(m.category, "Uncategorized");
        assert!(m.installable);
        assert!(!m.application);
        assert_eq!(m.auto_install, AutoInstallSpec::No);
    }

    #[test]
    fn manifest_fields() {
        let src = "{
            'name': 'Sales',
            'version': '1.2',
            'category': 'Sales/Sales',
            'depends': ['sales_team', 'account_payment', 'utm'],
            'auto_install': ['account_payment', 'utm', 'utm'],
            'application': True,
            'installable': False,
            'countries': ['fr', 'be'],
            'license': 'LGPL-3',
            'assets': {'web.assets_backend': ['sale/static/src/**/*']},
        }";
        let m = Manifest::from_source(src).unwrap();
        assert_eq!(
            m,
            Manifest {
                name: Some("Sales".to_owned()),
                depends: vec!["sales_team".into(), "account_payment".into(), "utm".into()],
                auto_install: AutoInstallSpec::Triggers(vec![
                    "account_payment".into(),
                    "utm".into()
                ]),
                application: true,
                category: "Sales/Sales".to_owned(),
                countries: vec!["fr".into(), "be".into()],
                installable: false,
                version: Some("1.2".to_owned()),
                license: Some("LGPL-3".to_owned()),
            }
        );
        let all = Manifest::from_source("{'depends': ('a',), 'auto_install': True}").unwrap();
        assert_eq!(all.auto_install, AutoInstallSpec::All);
        assert_eq!(all.depends, ["a"]);
        let always = Manifest::from_source("{'auto_install': []}").unwrap();
        assert_eq!(always.auto_install, AutoInstallSpec::Triggers(Vec::new()));
        let last = Manifest::from_source("{'depends': ['a'], 'depends': ['b']}").unwrap();
        assert_eq!(last.depends, ["b"]);
    }

    #[test]
    fn manifest_field_of_the_wrong_type_points_at_the_value() {
        assert_eq!(
            manifest_error("{\n    'depends': 'base',\n}"),
            (
                "`depends` must be a list of strings, found a `str`".to_owned(),
                2,
                16
            )
        );
        assert_eq!(
            manifest_error("{'depends': ['base', 1]}"),
            (
                "`depends` entries must be strings, found a `int`".to_owned(),
                1,
                22
            )
        );
        assert_eq!(
            manifest_error("{'installable': 'yes'}"),
            (
                "`installable` must be `True` or `False`, found a `str`".to_owned(),
                1,
                17
            )
        );
        assert_eq!(
            manifest_error("{'auto_install': 1}"),
            (
                "`auto_install` must be a bool or a list of module names, found a `int`".to_owned(),
                1,
                18
            )
        );
        assert_eq!(
            manifest_error("{'version': 1.0}"),
            (
                "`version` must be a string, found a `float`".to_owned(),
                1,
                13
            )
        );
        assert_eq!(
            manifest_error("{'depends': ['a'], 'auto_install': ['a', 'b']}"),
            (
                "`auto_install` trigger `b` is not in `depends`; Odoo refuses to load this manifest"
                    .to_owned(),
                1,
                42
            )
        );
        assert_eq!(
            manifest_error("# c\n['a']"),
            (
                "a manifest must be a dict literal, found a `list`".to_owned(),
                2,
                1
            )
        );
    }

    /// Random tokens of the manifest language, so that random input reaches deep paths.
    fn token_soup() -> impl Strategy<Value = String> {
        let tokens = prop::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            "(",
            ")",
            ",",
            ":",
            "'",
            "\"",
            "'''",
            "\"\"\"",
            "\\",
            "\n",
            "\r",
            "\r\n",
            " ",
            "\t",
            "#",
            "-",
            "+",
            "0",
            "7",
            "0x",
            "0b",
            "_",
            ".",
            "e",
            "j",
            "1",
            "True",
            "None",
            "set",
            "r",
            "b",
            "u",
            "f",
            "\\x",
            "\\N",
            "\\u",
            "\\U",
            "é",
            "会",
            "\u{feff}",
            "\0",
            "'a'",
            "'depends'",
            "'auto_install'",
        ]);
        prop::collection::vec(tokens, 0..64).prop_map(|t| t.concat())
    }

    fn clear_spans(node: &mut PyNode) {
        node.span = Span::default();
        match &mut node.value {
            PyValue::List(items) | PyValue::Tuple(items) | PyValue::Set(items) => {
                items.iter_mut().for_each(clear_spans);
            }
            PyValue::Dict(entries) => {
                for (k, v) in entries {
                    clear_spans(k);
                    clear_spans(v);
                }
            }
            _ => {}
        }
    }

    fn node(value: PyValue) -> PyNode {
        PyNode {
            value,
            span: Span::default(),
        }
    }

    fn hashable_leaf() -> impl Strategy<Value = PyNode> {
        prop_oneof![
            Just(PyValue::None),
            any::<bool>().prop_map(PyValue::Bool),
            any::<i64>().prop_map(PyValue::Int),
            any::<f64>()
                .prop_filter("NaN has no literal", |x| !x.is_nan())
                .prop_map(PyValue::Float),
            any::<String>().prop_map(PyValue::Str),
        ]
        .prop_map(node)
    }

    fn any_value() -> impl Strategy<Value = PyNode> {
        hashable_leaf().prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(|v| node(PyValue::List(v))),
                prop::collection::vec(inner.clone(), 0..6).prop_map(|v| node(PyValue::Tuple(v))),
                prop::collection::vec(hashable_leaf(), 0..6).prop_map(|v| node(PyValue::Set(v))),
                prop::collection::vec((hashable_leaf(), inner), 0..6)
                    .prop_map(|v| node(PyValue::Dict(v))),
            ]
        })
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse_bytes(&bytes);
            let _ = Manifest::from_bytes(&bytes);
        }

        #[test]
        fn arbitrary_strings_never_panic(src in any::<String>()) {
            let _ = Manifest::from_source(&src);
        }

        #[test]
        fn token_soup_never_panics_and_errors_have_consistent_positions(src in token_soup()) {
            match parse(&src) {
                Ok(node) => {
                    let _ = Manifest::from_node(&src, &node);
                }
                Err(e) => {
                    prop_assert!(e.offset <= src.len());
                    prop_assert_eq!(line_column(&src, e.offset), (e.line, e.column));
                }
            }
        }

        #[test]
        fn printed_values_parse_back_equal(value in any_value()) {
            let printed = value.value.to_string();
            let mut parsed = parse(&printed).map_err(|e| {
                TestCaseError::fail(format!("{printed}: {}:{}: {}", e.line, e.column, e.message))
            })?;
            clear_spans(&mut parsed);
            prop_assert_eq!(parsed, value, "printed as {}", printed);
        }
    }
}
