//! What the YAML inputs share (plans, configurations, baselines, rules data files): one loader
//! setup, UTF-8 decoding with a position, and serde-saphyr errors turned into located problems
//! worded for the kind of file at hand ([`Words`]), so a configuration is never told that "a
//! plan must be a mapping".

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::{Location, MessageFormatter, UserMessageFormatter};

use crate::error::{Error, Problem, codes};
use crate::source::{SourceFile, Span};
use crate::suggest;

pub mod tree;

/// How one kind of YAML file is named in problems, and the codes its problems carry.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    /// The file as messages name it: `plan`, `configuration`.
    pub noun: &'static str,
    /// The text is not UTF-8.
    pub encoding: &'static str,
    /// A key the format does not have.
    pub unknown_key: &'static str,
    /// A value outside a fixed set.
    pub unknown_value: &'static str,
    /// A key given twice in one mapping.
    pub duplicate_key: &'static str,
    /// A required key is absent.
    pub missing_key: &'static str,
    /// Everything else: YAML syntax, wrong types, limits.
    pub syntax: &'static str,
    /// The message when the top level is not a mapping.
    pub not_mapping: &'static str,
    /// The code, message and help when the file is empty, for the kinds that must not be.
    pub empty: (&'static str, &'static str, &'static str),
    /// Every key of the format, for "did you mean" when serde does not list the expected ones.
    pub keys: &'static [&'static str],
}

/// A plan (design §3).
pub const PLAN: Words = Words {
    noun: "plan",
    encoding: codes::PLAN_ENCODING,
    unknown_key: codes::PLAN_UNKNOWN_KEY,
    unknown_value: codes::PLAN_UNKNOWN_VALUE,
    duplicate_key: codes::PLAN_DUPLICATE_KEY,
    missing_key: codes::PLAN_MISSING_KEY,
    syntax: codes::PLAN_SYNTAX,
    not_mapping: "a plan must be a mapping with `odoo:` and `phases:` keys",
    empty: (
        codes::PLAN_EMPTY,
        "the plan is empty",
        "a plan needs at least `odoo:` and `phases:`; `odoo-order init` writes a starter plan",
    ),
    keys: &[
        "odoo",
        "edition",
        "project",
        "addons_path",
        "companies",
        "phases",
        "waivers",
        "hosting",
        "installed",
        "from",
        "currency",
        "valuation",
        "accounting",
        "accounting_until",
        "milestones",
        "id",
        "name",
        "country",
        "go_live",
        "after",
        "modules",
        "rule",
        "module",
        "phase",
        "company",
        "reason",
        "until",
    ],
};

/// An `odoo-order.yaml` (design §8). An empty one is allowed: it changes nothing.
pub const CONFIG: Words = Words {
    noun: "configuration",
    encoding: codes::CONFIG_ENCODING,
    unknown_key: codes::CONFIG_UNKNOWN_KEY,
    unknown_value: codes::CONFIG_UNKNOWN_VALUE,
    duplicate_key: codes::CONFIG_DUPLICATE_KEY,
    missing_key: codes::CONFIG_MISSING_KEY,
    syntax: codes::CONFIG_SYNTAX,
    not_mapping: "a configuration must be a mapping of settings such as `rules:` and `fail_on:`",
    empty: ("", "", ""),
    keys: &[
        "rules",
        "fail_on",
        "layers",
        "extra_rules",
        "addons_path",
        "include",
        "exclude",
    ],
};

/// A baseline written by `--write-baseline`.
pub const BASELINE: Words = Words {
    noun: "baseline",
    encoding: codes::BASELINE_ENCODING,
    unknown_key: codes::BASELINE_UNKNOWN_KEY,
    unknown_value: codes::BASELINE_UNKNOWN_VALUE,
    duplicate_key: codes::BASELINE_DUPLICATE_KEY,
    missing_key: codes::BASELINE_MISSING_KEY,
    syntax: codes::BASELINE_SYNTAX,
    not_mapping: "a baseline must be a mapping with `version:` and `entries:` keys",
    empty: (
        codes::BASELINE_EMPTY,
        "the baseline is empty",
        "write it again with `--write-baseline`",
    ),
    keys: &[
        "version", "entries", "path", "code", "rule", "company", "phase", "module", "count",
    ],
};

/// A rules data file (the format of `rules/layers.yaml`), built in or named by `extra_rules`.
pub const RULES: Words = Words {
    noun: "rules data file",
    encoding: codes::RULES_ENCODING,
    unknown_key: codes::RULES_UNKNOWN_KEY,
    unknown_value: codes::RULES_UNKNOWN_VALUE,
    duplicate_key: codes::RULES_DUPLICATE_KEY,
    missing_key: codes::RULES_MISSING_KEY,
    syntax: codes::RULES_SYNTAX,
    not_mapping: "a rules data file must be a mapping with `layers:` or `journal_entries:`",
    empty: ("", "", ""),
    keys: &["layers", "journal_entries", "posts", "carried", "series"],
};

/// Replayed alias events allowed in one file. A plan that names one list of companies from a
/// hundred phases replays a few hundred; an alias bomb wants millions.
const MAX_REPLAYED_EVENTS: usize = 200_000;

/// The loader setup every YAML input uses.
///
/// serde-saphyr's defaults already reject duplicate keys and cap nesting, nodes and events.
/// Its alias/anchor ratio heuristic is turned off: it refused a legitimate plan whose hundred
/// phases share one `companies` list through an alias (issue 9). Alias bombs stay capped by
/// the total of replayed events, which is what they inflate.
pub fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        with_snippet: false,
        budget: serde_saphyr::budget! {
            enforce_alias_anchor_ratio: false,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED_EVENTS,
        },
    }
}

/// Reads a file's text as one kind of YAML file (`words`), into its serde model: the one way
/// every kind is loaded, so that a failure carries that kind's words and codes.
pub fn parse<T: DeserializeOwned>(file: &SourceFile, words: &Words) -> Result<T, Error> {
    parse_or(file, words, |first| vec![first])
}

/// Like [`parse`], with `every` turning the problem serde stopped at into every problem of
/// the file (see [`tree::every_problem`]).
pub fn parse_or<T: DeserializeOwned>(
    file: &SourceFile,
    words: &Words,
    every: impl FnOnce(Problem) -> Vec<Problem>,
) -> Result<T, Error> {
    serde_saphyr::from_str_with_options(file.text(), options()).map_err(|err| {
        let first = problem(file, &err, words);
        Error::invalid(file.clone(), words.noun, every(first))
    })
}

/// The text of a file, or a problem located at the first byte that is not UTF-8.
pub fn decode(
    path: &Path,
    display: &str,
    bytes: &[u8],
    words: &Words,
) -> Result<SourceFile, Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(path, display, text)),
        Err(err) => {
            let valid = err.valid_up_to();
            // Keep the valid prefix so that the label lands on the first bad byte.
            let text = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let file = SourceFile::new(path, display, text);
            let problem = Problem::at(
                words.encoding,
                Span::new(valid, 0),
                format!("the {} is not UTF-8 text", words.noun),
            )
            .label(format!("invalid UTF-8 at byte {valid}"))
            .help("save the file as UTF-8");
            Err(Error::invalid(file, words.noun, vec![problem]))
        }
    }
}

/// The same failure without the file's text, for a file that lies outside the tree under review
/// (reached through a symbolic link or an absolute path): its problems keep their code and
/// position, but not the message, label or help, which quote the text.
pub fn redact(err: Error) -> Error {
    let Error::Invalid(inv) = err else {
        return err;
    };
    let file = SourceFile::new(inv.file.path(), inv.file.name(), "");
    let problems = inv
        .problems
        .iter()
        .map(|p| {
            let at = inv
                .location(p)
                .map(|at| format!(" (line {}, column {})", at.line, at.column))
                .unwrap_or_default();
            Problem::whole_file(
                p.code,
                format!(
                    "`{}` is not a valid {}{at}; its text is not shown because the file lies \
                     outside the directory where it was found or named",
                    inv.file.name(),
                    inv.kind,
                ),
            )
        })
        .collect();
    Error::invalid(file, inv.kind, problems)
}

/// The byte span of a value the loader located. Values read from a string always carry byte
/// offsets; the character offset is only a fallback.
pub fn span_of(location: &Location) -> Span {
    let span = location.span();
    let offset = span.byte_offset().unwrap_or(span.offset());
    let len = span.byte_len().unwrap_or(span.len());
    Span::new(
        usize::try_from(offset).unwrap_or(usize::MAX),
        usize::try_from(len).unwrap_or(0),
    )
}

/// Where an error is. Parser (syntax) errors carry no byte offsets, only a character offset,
/// which is not a byte offset after any non-ASCII character (issue 9: 100 lines of `# é` put
/// an error 13 lines early). Their line and column are right, so those locate them.
fn error_span(file: &SourceFile, location: &Location) -> Option<Span> {
    if location.line() == 0 {
        return None;
    }
    let span = location.span();
    if let (Some(offset), Some(len)) = (span.byte_offset(), span.byte_len()) {
        let offset = usize::try_from(offset).ok()?;
        return Some(Span::new(offset, usize::try_from(len).unwrap_or(0)));
    }
    let line = usize::try_from(location.line()).ok()?;
    let column = usize::try_from(location.column()).ok()?;
    let offset = file.offset_of(line, column)?;
    let chars = usize::try_from(span.len()).unwrap_or(0);
    let len = file
        .text()
        .get(offset..)
        .unwrap_or("")
        .chars()
        .take(chars)
        .map(char::len_utf8)
        .sum();
    Some(Span::new(offset, len))
}

/// Turns a serde-saphyr error into a located problem in the words of `words`, with a "did
/// you mean" where one helps.
pub fn problem(file: &SourceFile, err: &serde_saphyr::Error, words: &Words) -> Problem {
    let message = UserMessageFormatter
        .format_message(err.without_snippet())
        .into_owned();
    let span = err
        .location()
        .and_then(|l| error_span(file, &l))
        .map(|s| widen_to_token(file, s));
    if let Some((what, found, expected)) = parse_unknown(&message) {
        let candidates: Vec<&str> = if expected.is_empty() {
            words.keys.to_vec()
        } else {
            expected.iter().map(String::as_str).collect()
        };
        return unknown(span, what == "field", &found, &candidates, &expected, words);
    }
    if message.starts_with("duplicate mapping key") {
        let key = message.split('`').nth(1).unwrap_or("");
        return duplicate(span, key, words);
    }
    if message.starts_with("missing field") {
        let field = message.split('`').nth(1).unwrap_or("");
        return missing(span, field, words);
    }
    if message.contains("end of") && file.text().trim().is_empty() && !words.empty.0.is_empty() {
        let (code, message, help) = words.empty;
        return Problem::whole_file(code, message).help(help);
    }
    if message.contains("surrogate") {
        return located(
            span,
            words.syntax,
            "a `\\u` escape in this string is half of a UTF-16 surrogate pair, not a character"
                .to_owned(),
        )
        .label("lone surrogate")
        .help(
            "write the character itself, or escape it as `\\U` and 8 hex digits \
             (`\\U0001F600`); a `\\uD800`-`\\uDBFF` escape must be followed by a \
             `\\uDC00`-`\\uDFFF` one",
        );
    }
    if message.contains("too large or too complex") || message.contains("recursion limit") {
        let detail = message
            .split_once(": ")
            .map_or(message.as_str(), |(_, d)| d);
        return located(
            span,
            words.syntax,
            format!(
                "the {} is too large or too complex to read ({detail})",
                words.noun
            ),
        )
        .label("limit reached here")
        .help(
            "odoo-order caps nesting depth, the number of values, and how much anchors and \
             aliases (`&name`, `*name`) may expand, so that a hostile file cannot exhaust \
             memory; a real plan stays far below these limits",
        );
    }
    match friendly_type_message(&message) {
        Some(expected) => wrong_type(file, span, expected, words),
        None => located(span, words.syntax, message).label("here"),
    }
}

/// An unknown key (`is_key`) or value, with a "did you mean" among `candidates`, else the list
/// of what `expected` says is allowed.
fn unknown(
    span: Option<Span>,
    is_key: bool,
    found: &str,
    candidates: &[&str],
    expected: &[String],
    words: &Words,
) -> Problem {
    let help = suggest::did_you_mean(found, candidates.iter().copied())
        .map(|s| format!("did you mean `{s}`?"))
        .or_else(|| (!expected.is_empty()).then(|| format!("expected one of {}", list(expected))));
    let (code, noun) = if is_key {
        (words.unknown_key, "key")
    } else {
        (words.unknown_value, "value")
    };
    located(span, code, format!("unknown {noun} `{found}`"))
        .label(format!("unknown {noun}"))
        .maybe_help(help)
}

fn duplicate(span: Option<Span>, key: &str, words: &Words) -> Problem {
    located(span, words.duplicate_key, format!("duplicate key `{key}`"))
        .label("repeated here")
        .help("a mapping may give each key once; remove or merge the repeated key")
}

fn missing(span: Option<Span>, field: &str, words: &Words) -> Problem {
    located(
        span,
        words.missing_key,
        format!("missing required key `{field}`"),
    )
    .label(format!("this mapping needs `{field}`"))
}

/// A value of the wrong type, where `expected` is what to write (`a list`), named after the
/// key written on its line.
fn wrong_type(file: &SourceFile, span: Option<Span>, expected: &str, words: &Words) -> Problem {
    let key = span.and_then(|s| key_before(file, s.offset));
    let message = match key {
        None if expected == "a mapping"
            && span.is_none_or(|s| at_document_start(file, s.offset)) =>
        {
            words.not_mapping.to_owned()
        }
        Some(key) => format!("`{key}` must be {expected}"),
        None => format!("expected {expected}"),
    };
    located(span, words.syntax, message).label("here")
}

/// Whether only blank lines, comments and document markers come before `offset`: an error
/// there is about the top-level node.
fn at_document_start(file: &SourceFile, offset: usize) -> bool {
    file.text().get(..offset).is_some_and(|before| {
        before.lines().all(|line| {
            let line = line.trim();
            line.is_empty()
                || line.starts_with('#')
                || line.starts_with("---")
                || line.starts_with('%')
        })
    })
}

fn located(span: Option<Span>, code: &'static str, message: String) -> Problem {
    match span {
        Some(span) => Problem::at(code, span, message),
        None => Problem::whole_file(code, message),
    }
}

/// Parses serde's "unknown field" (or "unknown variant") message: what was found and what
/// was expected.
fn parse_unknown(message: &str) -> Option<(&'static str, String, Vec<String>)> {
    let (what, rest) = if let Some(rest) = message.strip_prefix("unknown field ") {
        ("field", rest)
    } else {
        ("variant", message.strip_prefix("unknown variant ")?)
    };
    let rest = rest.strip_prefix('`')?;
    let end = rest.find('`')?;
    let found = rest[..end].to_owned();
    let tail = &rest[end + 1..];
    let expected = tail
        .split_once("expected one of ")
        .map(|(_, l)| l)
        .or_else(|| tail.split_once("expected ").map(|(_, l)| l))
        .map(|l| {
            l.split(',')
                .map(|s| s.trim().trim_matches('`').to_owned())
                .filter(|s| !s.is_empty() && !s.contains(' '))
                .collect()
        })
        .unwrap_or_default();
    Some((what, found, expected))
}

/// serde-saphyr's type errors read "expected sequence start"; say what the user should write.
/// Only those: a syntax error such as "while parsing a quoted scalar" is not about a type.
fn friendly_type_message(message: &str) -> Option<&'static str> {
    let m = message.to_ascii_lowercase();
    if !m.starts_with("expected") && !m.starts_with("invalid type") {
        return None;
    }
    Some(if m.contains("sequence") {
        "a list"
    } else if m.contains("mapping") || m.contains("struct") || m.contains("map") {
        "a mapping"
    } else if m.contains("string") || m.contains("scalar") {
        "a single value (a string)"
    } else {
        return None;
    })
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A zero-length span is hard to see; stretch it over the token that starts there.
fn widen_to_token(file: &SourceFile, span: Span) -> Span {
    if span.len > 0 {
        return span;
    }
    let rest = file.text().get(span.offset..).unwrap_or("");
    let len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | ']' | '}'))
        .unwrap_or(rest.len());
    Span::new(
        span.offset,
        len.max(usize::from(!rest.is_empty() && len == 0)),
    )
}

/// The mapping key written on the line of `offset`, before it (`modules: 3` gives `modules`).
fn key_before(file: &SourceFile, offset: usize) -> Option<String> {
    let text = file.text();
    let line_start = text.get(..offset)?.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = text.get(line_start..offset)?;
    let (key, _) = before.rsplit_once(':')?;
    let key = key
        .trim()
        .trim_start_matches("- ")
        .trim()
        .trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| key.to_owned())
}
