//! The plan's YAML as it is written: where each phase, each `modules` list and each of its
//! items sit, which of them are shared through anchors and aliases, and where every comment
//! is. Read from the YAML parser's own events (the parser serde-saphyr uses), so that `fix`
//! edits exact byte ranges instead of guessing the structure from the text.
//!
//! Comments are not parser events here; they are every `#` that lies outside all tokens
//! (scalars, quoted or not, block scalar bodies, aliases, anchors, tags) and follows a blank or
//! a line break, up to the end of its line.

use std::collections::HashSet;

use serde_saphyr::granit_parser::{Event, Options, Parser, ScalarStyle, StructureStyle};

use crate::graph::PhaseId;
use crate::source::Span;

/// The plan's layout.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The phases, in file order (the order of the plan's `phases`).
    pub phases: Vec<PhaseLayout>,
    /// Every comment, `#` included, line break excluded, in file order.
    pub comments: Vec<Span>,
    /// The file's line break: the first one it uses, `\n` when it has none.
    pub eol: &'static str,
}

/// One phase as written.
#[derive(Debug, Clone)]
pub struct PhaseLayout {
    /// The `id`, when it is a plain value.
    pub id: Option<String>,
    /// Where the phase starts (its first key, or its `{`).
    pub start: usize,
    /// The end of the last token inside the phase (for a flow mapping, its last value).
    pub content_end: usize,
    /// A flow mapping (`{id: a, ...}`).
    pub flow: bool,
    /// The column of a block mapping's keys.
    pub key_column: usize,
    /// Its `modules`.
    pub modules: Modules,
    /// Why the phase's list may not be edited, when it may not: editing it would change
    /// another part of the plan too.
    pub shared: Option<String>,
}

/// A phase's `modules` value as written.
#[derive(Debug, Clone)]
pub enum Modules {
    /// No `modules` key.
    Absent,
    /// `modules:` with no value, `~` or `null`; `node` covers the value and its properties
    /// (empty for no value).
    Null {
        /// The key.
        key: Span,
        /// The value.
        node: Span,
    },
    /// A list.
    List(List),
    /// Something else (an alias to a list is recorded as shared).
    Other,
}

/// A `modules` list.
#[derive(Debug, Clone)]
pub struct List {
    /// The `modules` key.
    pub key: Span,
    /// The list's properties (`&anchor`, `!!seq`), if any.
    pub props: Option<Span>,
    /// `[` and `]` of a flow list; `None` for a block list.
    pub flow: Option<(usize, usize)>,
    /// The items, in order.
    pub items: Vec<Item>,
}

/// One list item.
#[derive(Debug, Clone)]
pub struct Item {
    /// The item with its properties (`!!str mrp`, `&a mrp`).
    pub node: Span,
    /// The scalar alone, quotes included.
    pub content: Span,
    /// Plain style: flow syntax may need it quoted.
    pub plain: bool,
    /// Why it may not move, when it may not (an alias, or an anchor that an alias uses).
    pub shared: Option<String>,
}

impl PhaseLayout {
    /// The list's items (none unless the phase has a list).
    pub fn items(&self) -> &[Item] {
        match &self.modules {
            Modules::List(list) => &list.items,
            _ => &[],
        }
    }
}

/// One event with byte offsets.
struct Ev<'a> {
    event: Event<'a>,
    start: usize,
    end: usize,
    /// The node's properties start here (its anchor or tag), or at `start`.
    props_start: usize,
    /// Its anchor and tag tokens.
    props: Vec<(usize, usize)>,
    anchor_name: Option<String>,
}

impl Ev<'_> {
    /// Where the node's properties end, when it has any.
    fn props_end(&self) -> Option<usize> {
        self.props.iter().map(|p| p.1).max()
    }
}

impl Layout {
    /// Reads the layout of a plan's text. Fails on text the parser rejects, or that is not one
    /// document whose top level is a mapping with a `phases` list.
    pub fn read(text: &str) -> Result<Self, String> {
        let events = events(text)?;
        let mut tokens = Vec::new();
        let mut aliased = HashSet::new();
        for e in &events {
            match &e.event {
                Event::Scalar(_, style, _, _) => {
                    tokens.extend(scalar_tokens(text, *style, e.start, e.end));
                }
                Event::Alias(id) => {
                    aliased.insert(*id);
                    tokens.push((e.start, e.end));
                }
                _ => {}
            }
            tokens.extend(e.props.iter().copied());
        }
        let comments = comments(text, &mut tokens);
        let mut reader = Reader {
            text,
            events: &events,
            at: 0,
            aliased: &aliased,
        };
        let phases = reader.document()?;
        Ok(Self {
            phases,
            comments,
            eol: eol_of(text),
        })
    }

    /// The comment that ends the line where `end` is, when only blanks and at most one comma
    /// lie between `end` and it: the comment that belongs to an item ending there.
    pub fn trailing_comment(&self, text: &str, end: usize) -> Option<Span> {
        let line_end = line_end(text, end);
        let c = self.comment_at_or_after(end)?;
        if c.offset >= line_end {
            return None;
        }
        let between = &text[end..c.offset];
        let commas = between.bytes().filter(|&b| b == b',').count();
        (commas <= 1 && between.bytes().all(|b| matches!(b, b' ' | b'\t' | b','))).then_some(c)
    }

    /// The first comment that starts at or after `offset`.
    pub fn comment_at_or_after(&self, offset: usize) -> Option<Span> {
        let i = self.comments.partition_point(|c| c.offset < offset);
        self.comments.get(i).copied()
    }

    /// Whether a comment starts in `[from, to)`.
    pub fn comment_in(&self, from: usize, to: usize) -> bool {
        self.comment_at_or_after(from)
            .is_some_and(|c| c.offset < to)
    }

    /// The phase holding a byte offset, for messages.
    pub fn phase_at(&self, offset: usize) -> Option<PhaseId> {
        self.phases.iter().rposition(|p| p.start <= offset)
    }
}

/// Every event of the text, with byte offsets and each node's anchor attached.
fn events(text: &str) -> Result<Vec<Ev<'_>>, String> {
    let mut options = Options::default();
    options.emit_anchor_events = true;
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut out: Vec<Ev<'_>> = Vec::new();
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| e.to_string())?;
        let byte = |m: serde_saphyr::granit_parser::Marker| {
            m.byte_offset()
                .ok_or_else(|| "the parser gave no byte offset".to_owned())
        };
        let (start, end) = (byte(span.start)?, byte(span.end)?);
        let tag = match span.tag_span() {
            Some(t) => Some((byte(t.start)?, byte(t.end)?)),
            None => None,
        };
        if let Event::Anchor(_, name) = &event {
            // The anchor belongs to the node just read; its `&name` comes before the node.
            if let Some(node) = out.last_mut() {
                node.props_start = node.props_start.min(start);
                node.props.push((start, end));
                node.anchor_name = Some(name.to_string());
            }
            continue;
        }
        let props_start = tag.map_or(start, |t| t.0.min(start));
        out.push(Ev {
            event,
            start,
            end,
            props_start,
            props: tag.into_iter().collect(),
            anchor_name: None,
        });
    }
    Ok(out)
}

/// The byte ranges a scalar occupies. A block scalar's range, as the parser gives it, starts
/// at its first character of content and runs to the next token, over any comment lines that
/// end it; its body is only the lines indented as deep as its first one, so the comments after
/// it stay comments (its `|` or `>` header holds no `#`).
fn scalar_tokens(text: &str, style: ScalarStyle, start: usize, end: usize) -> Vec<(usize, usize)> {
    if !matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) || start >= end {
        return vec![(start, end)];
    }
    let indent = start - line_start(text, start);
    let mut body_end = start;
    let mut line = line_start(text, start);
    while line < end {
        let stop = line_end(text, line).min(end);
        let content = &text[line..stop];
        if !content.trim_matches([' ', '\t']).is_empty() {
            if content.len() - content.trim_start_matches(' ').len() < indent {
                break;
            }
            body_end = stop;
        }
        let next = next_line(text, line);
        if next <= line {
            break;
        }
        line = next;
    }
    vec![(start, body_end)]
}

/// Every `#` outside the tokens that follows a blank, a line break or the start of the text.
fn comments(text: &str, tokens: &mut [(usize, usize)]) -> Vec<Span> {
    tokens.sort_unstable();
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut t = 0;
    let mut i = 0;
    while i < bytes.len() {
        while t < tokens.len() && tokens[t].1 <= i {
            t += 1;
        }
        if t < tokens.len() && tokens[t].0 <= i {
            i = tokens[t].1;
            continue;
        }
        let next = tokens.get(t).map_or(bytes.len(), |tok| tok.0);
        match memchr_hash(&bytes[i..next]) {
            None => i = next,
            Some(k) => {
                let h = i + k;
                let after_blank = h == 0
                    || matches!(bytes[h - 1], b' ' | b'\t' | b'\n' | b'\r')
                    || text[..h].ends_with('\u{feff}');
                if after_blank {
                    let end = line_end(text, h);
                    out.push(Span::new(h, end - h));
                    i = end;
                } else {
                    i = h + 1;
                }
            }
        }
    }
    out
}

fn memchr_hash(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'#')
}

/// The first line break of the text.
fn eol_of(text: &str) -> &'static str {
    match text.find(['\n', '\r']) {
        Some(i) if text[i..].starts_with("\r\n") => "\r\n",
        Some(i) if text.as_bytes()[i] == b'\r' => "\r",
        _ => "\n",
    }
}

/// The start of the line holding `offset` (`\n`, `\r\n` and `\r` all end lines, as in YAML).
pub fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// The offset of the line break ending the line of `offset` (or the end of the text).
pub fn line_end(text: &str, offset: usize) -> usize {
    text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i)
}

/// Just past the line break ending the line of `offset`.
pub fn next_line(text: &str, offset: usize) -> usize {
    let end = line_end(text, offset);
    if text[end..].starts_with("\r\n") {
        end + 2
    } else {
        (end + 1).min(text.len())
    }
}

/// The blanks that open the line holding `offset`.
pub fn indent_at(text: &str, offset: usize) -> &str {
    let start = line_start(text, offset);
    let line = &text[start..line_end(text, start)];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

struct Reader<'t, 'e> {
    text: &'t str,
    events: &'e [Ev<'t>],
    at: usize,
    aliased: &'e HashSet<usize>,
}

impl Reader<'_, '_> {
    fn peek(&self) -> Option<&Ev<'_>> {
        self.events.get(self.at)
    }

    fn document(&mut self) -> Result<Vec<PhaseLayout>, String> {
        while matches!(
            self.peek().map(|e| &e.event),
            Some(Event::StreamStart | Event::DocumentStart(..))
        ) {
            self.at += 1;
        }
        let Some(Event::MappingStart(..)) = self.peek().map(|e| &e.event) else {
            return Err("the plan is not a mapping".to_owned());
        };
        self.at += 1;
        let mut phases = None;
        while !matches!(
            self.peek().map(|e| &e.event),
            Some(Event::MappingEnd) | None
        ) {
            let key = self.scalar_key();
            self.skip_node_or(key.as_deref() == Some("phases"), |r| {
                phases = Some(r.phases());
            });
        }
        phases.unwrap_or_else(|| Err("the plan has no `phases` list".to_owned()))
    }

    /// The key at the cursor if it is a scalar (the cursor moves past it either way).
    fn scalar_key(&mut self) -> Option<String> {
        let e = self.peek()?;
        let key = match &e.event {
            Event::Scalar(v, ..) => Some(v.to_string()),
            _ => None,
        };
        self.skip_node();
        key
    }

    /// Reads the node at the cursor with `read` when `wanted`, else skips it.
    fn skip_node_or(&mut self, wanted: bool, read: impl FnOnce(&mut Self)) {
        if wanted {
            read(self);
        } else {
            self.skip_node();
        }
    }

    /// Moves past one node, however deep.
    fn skip_node(&mut self) {
        let mut depth = 0_usize;
        while let Some(e) = self.events.get(self.at) {
            self.at += 1;
            match e.event {
                Event::SequenceStart(..) | Event::MappingStart(..) => depth += 1,
                Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth == 0 {
                return;
            }
        }
    }

    fn anchored_and_aliased(&self, e: &Ev<'_>) -> bool {
        let anchor = match e.event {
            Event::Scalar(_, _, a, _)
            | Event::SequenceStart(_, a, _)
            | Event::MappingStart(_, a, _) => a,
            _ => 0,
        };
        anchor != 0 && self.aliased.contains(&anchor)
    }

    fn phases(&mut self) -> Result<Vec<PhaseLayout>, String> {
        let Some(Event::SequenceStart(..)) = self.peek().map(|e| &e.event) else {
            return Err("`phases` is not written as a list".to_owned());
        };
        self.at += 1;
        let mut out = Vec::new();
        while let Some(e) = self.peek() {
            match &e.event {
                Event::SequenceEnd => {
                    self.at += 1;
                    break;
                }
                Event::MappingStart(style, ..) => {
                    let flow = *style == StructureStyle::Flow;
                    let shared = self.anchored_and_aliased(e).then(|| {
                        format!(
                            "the phase is shared through an alias (`*{}`)",
                            e.anchor_name.as_deref().unwrap_or_default()
                        )
                    });
                    let start = e.start;
                    out.push(self.phase(flow, start, shared));
                }
                _ => {
                    let (start, end) = (e.props_start, e.end);
                    self.skip_node();
                    out.push(PhaseLayout {
                        id: None,
                        start,
                        content_end: end,
                        flow: false,
                        key_column: 0,
                        modules: Modules::Other,
                        shared: Some("the phase is an alias of another".to_owned()),
                    });
                }
            }
        }
        Ok(out)
    }

    /// A phase mapping, from its `MappingStart` to its `MappingEnd`.
    fn phase(&mut self, flow: bool, start: usize, mut shared: Option<String>) -> PhaseLayout {
        self.at += 1;
        let mut id = None;
        let mut modules = Modules::Absent;
        let mut content_end = start;
        let mut first_key = None;
        while let Some(e) = self.peek() {
            if matches!(e.event, Event::MappingEnd) {
                self.at += 1;
                break;
            }
            let key_span = Span::new(e.start, e.end.saturating_sub(e.start));
            first_key.get_or_insert(e.props_start);
            let key = self.scalar_key();
            let value_from = self.at;
            match key.as_deref() {
                Some("id") => {
                    if let Some(Event::Scalar(v, ..)) = self.peek().map(|e| &e.event) {
                        id = Some(v.to_string());
                    }
                    self.skip_node();
                }
                Some("modules") => {
                    let (value, why) = self.modules(key_span);
                    modules = value;
                    if shared.is_none() {
                        shared = why;
                    }
                }
                Some("<<") => {
                    shared =
                        Some("the phase takes keys from another through a merge (`<<`)".to_owned());
                    self.skip_node();
                }
                _ => self.skip_node(),
            }
            for e in &self.events[value_from..self.at] {
                content_end = content_end.max(self.token_end(e));
            }
            content_end = content_end.max(key_span.end());
        }
        if let (Modules::Other, None) = (&modules, &shared) {
            shared = Some("the list is written in a way fix does not edit".to_owned());
        }
        let key_column = first_key.map_or(0, |k| k - line_start(self.text, k));
        PhaseLayout {
            id,
            start,
            content_end,
            flow,
            key_column,
            modules,
            shared,
        }
    }

    /// Where an event's own text ends; block collections end where the next token starts.
    fn token_end(&self, e: &Ev<'_>) -> usize {
        match &e.event {
            Event::Scalar(_, style, ..) => scalar_tokens(self.text, *style, e.start, e.end)
                .last()
                .map_or(e.end, |t| t.1),
            Event::SequenceEnd | Event::MappingEnd if e.end > e.start => e.end,
            Event::SequenceStart(..) | Event::MappingStart(..) | Event::Alias(_) => e.end,
            _ => 0,
        }
    }

    /// The `modules` value, and why it may not be edited when an alias repeats it.
    fn modules(&mut self, key: Span) -> (Modules, Option<String>) {
        let Some(e) = self.peek() else {
            return (Modules::Other, None);
        };
        match &e.event {
            Event::Scalar(v, style, ..)
                if *style == ScalarStyle::Plain
                    && matches!(v.as_ref(), "" | "~" | "null" | "Null" | "NULL") =>
            {
                let node = Span::new(e.props_start, e.end.saturating_sub(e.props_start));
                self.at += 1;
                (Modules::Null { key, node }, None)
            }
            Event::SequenceStart(style, anchor, _) => {
                let flow = *style == StructureStyle::Flow;
                let open = e.start;
                let props = e
                    .props_end()
                    .map(|end| Span::new(e.props_start, end.saturating_sub(e.props_start)));
                let list_aliased = *anchor != 0 && self.aliased.contains(anchor);
                let anchor_name = e.anchor_name.clone();
                self.at += 1;
                let mut items = Vec::new();
                let mut close = open;
                while let Some(e) = self.peek() {
                    match &e.event {
                        Event::SequenceEnd => {
                            close = e.start;
                            self.at += 1;
                            break;
                        }
                        Event::Scalar(_, style, ..) => {
                            items.push(Item {
                                node: Span::new(e.props_start, e.end.saturating_sub(e.props_start)),
                                content: Span::new(e.start, e.end.saturating_sub(e.start)),
                                plain: *style == ScalarStyle::Plain,
                                shared: self.anchored_and_aliased(e).then(|| {
                                    format!(
                                        "an alias (`*{}`) repeats it elsewhere",
                                        e.anchor_name.as_deref().unwrap_or("")
                                    )
                                }),
                            });
                            self.at += 1;
                        }
                        Event::Alias(_) => {
                            items.push(Item {
                                node: Span::new(e.start, e.end.saturating_sub(e.start)),
                                content: Span::new(e.start, e.end.saturating_sub(e.start)),
                                plain: false,
                                shared: Some(format!(
                                    "it is written as an alias (`{}`)",
                                    &self.text[e.start..e.end]
                                )),
                            });
                            self.at += 1;
                        }
                        _ => {
                            // Not a module name: the plan would not have loaded.
                            self.skip_node();
                        }
                    }
                }
                let list = List {
                    key,
                    props,
                    flow: flow.then_some((open, close)),
                    items,
                };
                if list_aliased {
                    return (
                        Modules::List(list),
                        Some(format!(
                            "the list is shared through an alias (`*{}`)",
                            anchor_name.unwrap_or_default()
                        )),
                    );
                }
                (Modules::List(list), None)
            }
            Event::Alias(_) => {
                let why = format!(
                    "the list is an alias (`{}`) of another",
                    &self.text[e.start..e.end]
                );
                self.skip_node();
                (Modules::Other, Some(why))
            }
            _ => {
                self.skip_node();
                (Modules::Other, None)
            }
        }
    }
}

#[cfg(test)]
mod tests;
