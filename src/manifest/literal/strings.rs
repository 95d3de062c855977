//! String literals: prefixes, quotes, escapes and adjacent-literal concatenation.

use super::{Parser, PyNode, PyValue, Result};
use crate::source::Span;

impl Parser<'_> {
    /// At a string's opening quote, or at letters that form a valid string prefix (`r`, `u`,
    /// `b`, `f`, `rb`, `fr`, in any case) directly followed by one: what the prefix says.
    pub(super) fn string_prefix(&self) -> Option<Prefix> {
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
    pub(super) fn strings(&mut self) -> Result<PyNode> {
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
            span: Span::range(start, end),
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
}

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

/// The letters before a string literal's opening quote.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Prefix {
    len: usize,
    raw: bool,
    bytes: bool,
    format: bool,
}
