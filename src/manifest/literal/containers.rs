//! Lists, tuples, sets, dicts and parentheses.

use super::{Parser, PyNode, PyValue, Result};

impl Parser<'_> {
    /// `[a, b]`.
    pub(super) fn list(&mut self) -> Result<PyNode> {
        let start = self.pos;
        self.enter()?;
        self.pos += 1;
        let items = self.items(b']', None)?;
        Ok(self.node_from(start, PyValue::List(items)))
    }

    /// `()`, `(a,)`, `(a, b)`, or a parenthesised value `(a)`.
    pub(super) fn paren(&mut self) -> Result<PyNode> {
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
                node.span.offset,
                node.span.end(),
                format!("unhashable type `{kind}`: it cannot be a dict key or a set element"),
            )),
            None => Ok(()),
        }
    }

    /// `{}`, `{key: value, ...}` or `{a, b}`.
    pub(super) fn brace(&mut self) -> Result<PyNode> {
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
