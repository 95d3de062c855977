//! Where the cursor is in a plan's text, read from the text alone: a plan being typed is
//! often not valid YAML (`after: [fin` has no closing bracket), so completion cannot wait for
//! the parser. This reads the key whose value is being typed, the word typed so far, and the
//! ids the text declares.

use crate::source::Span;

/// The value being typed at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The key whose value (or list item) it is: `modules`, `after`, `rule`, ...
    pub key: String,
    /// Whether that key is at the top level (the plan's own `companies:` lists companies,
    /// a phase's lists their ids).
    pub top_level: bool,
    /// Where the word under the cursor starts (it ends at the cursor).
    pub word_start: usize,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// How far back a flow list is looked for: a list written over a few hundred lines is rare,
/// and the scan stays bounded whatever the file.
const FLOW_LOOKBACK: usize = 16 * 1024;

/// The value being typed at `offset`, if the cursor is in one.
pub fn at(text: &str, offset: usize) -> Option<Cursor> {
    let offset = floor(text, offset);
    let before = &text[..offset];
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let line_start = before[..word_start]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let prefix = &text[line_start..word_start];
    let prefix = prefix.trim_end_matches(['"', '\'']);
    if prefix.contains('#') {
        return None;
    }
    let (key, key_line) = if let Some(key) = scalar_key(prefix) {
        (key, line_start)
    } else if let Some(found) = flow_key(text, word_start) {
        found
    } else if let Some(dash) = block_item(prefix) {
        parent_key(text, line_start, dash)?
    } else {
        return None;
    };
    let top_level = !text[key_line..].starts_with([' ', '\t', '-']);
    Some(Cursor {
        key,
        top_level,
        word_start,
    })
}

fn floor(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// `key: ` or `- key: ` before the word: the key.
fn scalar_key(prefix: &str) -> Option<String> {
    let rest = prefix.trim_start();
    let rest = rest.strip_prefix('-').map_or(rest, str::trim_start);
    let rest = rest.trim_end();
    let key = rest.strip_suffix(':')?;
    identifier(key)
}

fn identifier(key: &str) -> Option<String> {
    let key = key.trim().trim_matches(['"', '\'']);
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| key.to_owned())
}

/// The column of the dash when the line so far is a block list item (`  - `).
fn block_item(prefix: &str) -> Option<usize> {
    let dash = prefix.find('-')?;
    (prefix[..dash].chars().all(|c| c == ' ') && prefix[dash + 1..].chars().all(|c| c == ' '))
        .then_some(dash)
}

/// Inside an unclosed `[` (or `{`): the key before it, and where that key's line starts.
fn flow_key(text: &str, word_start: usize) -> Option<(String, usize)> {
    let from = floor(text, word_start.saturating_sub(FLOW_LOOKBACK));
    let current = line_start(text, word_start);
    let mut depth = 0usize;
    for (i, c) in text[from..word_start].char_indices().rev() {
        let at = from + i;
        match c {
            ']' | '}' => depth += 1,
            '[' | '{' if depth > 0 => depth -= 1,
            '{' => {
                // Inside a flow mapping (`- {rule: lay`): the key of the entry being typed.
                let entry = text[at + 1..word_start].rsplit(',').next()?;
                let key = identifier(entry.trim().strip_suffix(':')?.trim())?;
                return Some((key, line_start(text, at)));
            }
            '[' => {
                let start = line_start(text, at);
                let key = scalar_key(&text[start..at])?;
                return Some((key, start));
            }
            // A line above the cursor's that starts at the top level (a new key) ends any
            // flow collection above it.
            '\n' | '\r'
                if at + 1 < current
                    && !text[at + 1..].starts_with([' ', '\t', '\n', '\r', ']', '}', '-']) =>
            {
                return None;
            }
            _ => {}
        }
    }
    None
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// The key a block list item at column `dash` belongs to: the nearest line above that is a
/// key at a smaller indent, or at the same indent for a sequence written flush with its key.
fn parent_key(text: &str, line_start: usize, dash: usize) -> Option<(String, usize)> {
    let mut end = line_start;
    while end > 0 {
        let start = self::line_start(text, end - 1);
        let line = text[start..end].trim_end_matches(['\n', '\r']);
        end = start;
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = line.len() - body.len();
        if indent > dash || (indent == dash && body.starts_with('-')) {
            continue;
        }
        let key = scalar_key(strip_comment(body))?;
        return Some((key, start));
    }
    None
}

fn strip_comment(line: &str) -> &str {
    line.find(" #").map_or(line, |i| &line[..i])
}

/// The ids the text declares under `phases:` and `companies:` at the top level, in file
/// order, each with where it is written, whether or not the rest of the file is valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declared {
    /// Phase ids.
    pub phases: Vec<(String, Span)>,
    /// Company ids.
    pub companies: Vec<(String, Span)>,
}

/// Reads the declared ids (see [`Declared`]).
pub fn declared(text: &str) -> Declared {
    let mut out = Declared::default();
    let mut section = "";
    let mut line_start = 0;
    for line in text.split_inclusive(['\n', '\r']) {
        let start = line_start;
        line_start += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        if let Some(c) = line.chars().next()
            && !c.is_whitespace()
            && c != '#'
            && c != '-'
        {
            section = line.split(':').next().unwrap_or("").trim();
        }
        let list = match section {
            "phases" => &mut out.phases,
            "companies" => &mut out.companies,
            _ => continue,
        };
        let body = strip_comment(line);
        let mut from = 0;
        while let Some(i) = body[from..].find("id:").map(|i| from + i) {
            from = i + 3;
            let boundary = body[..i]
                .chars()
                .next_back()
                .is_none_or(|c| matches!(c, ' ' | '{' | ',' | '-'));
            if !boundary {
                continue;
            }
            let value = &body[from..];
            let end = value.find([',', '}']).unwrap_or(value.len());
            let raw = &value[..end];
            let id = raw.trim().trim_matches(['"', '\'']);
            if id.is_empty() || list.iter().any(|(x, _)| x == id) {
                continue;
            }
            let at = start + from + raw.find(id).unwrap_or(0);
            list.push((id.to_owned(), Span::new(at, id.len())));
        }
    }
    out
}

/// The series a plan's text names at the top level (`odoo: "17.0"`), however broken the rest.
pub fn series(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let value = line.strip_prefix("odoo:")?;
        let value = strip_comment(value).trim().trim_matches(['"', '\'']);
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// The whole word around `offset` (names are words: letters, digits, `_`, `-`, `.`).
pub fn word_at(text: &str, offset: usize) -> Option<Span> {
    let offset = floor(text, offset);
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| !is_word(c))
        .map_or(text.len(), |(i, _)| offset + i);
    (end > start).then(|| Span::new(start, end - start))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cursor is where `|` is.
    fn cursor(text: &str) -> Option<(String, bool, String)> {
        let offset = text.find('|').unwrap();
        let text = text.replace('|', "");
        at(&text, offset).map(|c| (c.key, c.top_level, text[c.word_start..offset].to_owned()))
    }

    #[allow(
        clippy::unnecessary_wraps,
        reason = "compared with what `cursor` returns"
    )]
    fn key(k: &str, word: &str) -> Option<(String, bool, String)> {
        Some((k.to_owned(), false, word.to_owned()))
    }

    #[test]
    fn reads_the_key_in_every_list_style() {
        let head = "odoo: \"17.0\"\nphases:\n  - id: finance\n";
        assert_eq!(
            cursor(&format!("{head}    modules: [account, sa|]\n")),
            key("modules", "sa")
        );
        assert_eq!(
            cursor(&format!("{head}    modules: [account, sa|\n")),
            key("modules", "sa")
        );
        assert_eq!(
            cursor(&format!("{head}    modules:\n      - st|\n")),
            key("modules", "st")
        );
        assert_eq!(
            cursor(&format!("{head}    modules:\n    - |\n")),
            key("modules", "")
        );
        assert_eq!(
            cursor(&format!(
                "{head}    modules: [\n      account,\n      st|\n"
            )),
            key("modules", "st")
        );
        assert_eq!(
            cursor(&format!("{head}    after: [fin|")),
            key("after", "fin")
        );
        assert_eq!(
            cursor(&format!("{head}    companies: [ac|]")),
            key("companies", "ac")
        );
        assert_eq!(cursor("waivers:\n  - rule: lay|\n"), key("rule", "lay"));
        assert_eq!(
            cursor("waivers:\n  - {rule: layer-order, phase: fi|}\n"),
            key("phase", "fi")
        );
        assert_eq!(
            cursor("odoo: \"1|\""),
            Some(("odoo".to_owned(), true, "1".to_owned()))
        );
        assert_eq!(
            cursor("companies:\n  - |"),
            Some(("companies".to_owned(), true, String::new()))
        );
    }

    #[test]
    fn no_key_no_completion() {
        assert_eq!(cursor("phases:\n  - id: a\n    na|"), None);
        assert_eq!(cursor("phases: # a comment|"), None);
        // A closed list earlier on the line is not the one being typed.
        assert_eq!(cursor("a: [x]\nb|"), None);
    }

    #[test]
    fn ids_are_read_from_broken_text() {
        let text = "companies:\n  - id: acme_fr\n  - {id: \"acme_be\", country: BE}\nphases:\n  - id: finance # first\n    modules: [account\n  - id: ops\n    after: [finance]\nwaivers:\n  - id: nope\n";
        let found = declared(text);
        let names = |l: &[(String, Span)]| {
            l.iter()
                .map(|(n, s)| {
                    assert_eq!(&text[s.offset..s.end()], n);
                    n.clone()
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&found.phases), ["finance", "ops"]);
        assert_eq!(names(&found.companies), ["acme_fr", "acme_be"]);
        let finance = text.find("finance").unwrap();
        assert_eq!(word_at(text, finance + 3), Some(Span::new(finance, 7)));
        assert_eq!(word_at("a: ", 3), None);
    }
}
