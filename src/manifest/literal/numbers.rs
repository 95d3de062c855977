//! Number literals: integers in every base, floats, and one sign.

use super::{Parser, PyNode, PyValue, Result, is_ident_byte};
use crate::manifest::ManifestError;

impl Parser<'_> {
    /// `-` or `+` before a number, possibly parenthesised: `-1`, `- 1.5`, `-(1)`.
    /// `ast.literal_eval` accepts one sign on a number literal and nothing else.
    pub(super) fn signed_number(&mut self) -> Result<PyNode> {
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
    pub(super) fn number(&mut self, start: usize) -> Result<PyNode> {
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
}

#[derive(Debug, Clone, Copy)]
enum Number {
    /// The magnitude; the sign, if any, is applied by the caller.
    Int(u128),
    Float(f64),
}
