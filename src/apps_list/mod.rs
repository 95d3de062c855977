//! The list of modules already installed in a client's database, for a plan's
//! `installed: {from: apps.csv}`: either one technical name a line, or a CSV exported from
//! Odoo's Apps list. A pure function over the file's text, so the caller reads the file with
//! the crate's capped reader and turns the located problems into its own error.
//!
//! Odoo exports the Apps list (model `ir.module.module`) two ways. The default export writes
//! column labels and value labels: a `Technical Name` column and a `Status` column holding
//! `Installed`, `Not Installed`, `To be upgraded`, ... The import-compatible export writes
//! field names and stored values: `name` and `state` holding `installed`, `uninstalled`,
//! `to upgrade`, ... Both quote fields, may hold newlines inside quotes (summaries), and end
//! rows with CRLF.

use crate::error::Problem;
use crate::source::Span;

/// One module named by the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Its technical name.
    pub name: String,
    /// Where the name is in the file (bytes, BOM included).
    pub span: Span,
}

/// Which of the two shapes the file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One technical name a line.
    List,
    /// A CSV with a header row.
    Csv {
        /// Whether a state column filtered the rows to installed modules.
        filtered_by_state: bool,
    },
}

/// The installed modules a file names, in file order; a name listed twice appears twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppsList {
    /// The shape the file was read as.
    pub format: Format,
    /// Every installed module named, with its place.
    pub modules: Vec<Listed>,
}

/// Problem codes, stable for diagnostics.
pub mod codes {
    /// The file names no module.
    pub const EMPTY: &str = crate::error::codes::INSTALLED_EMPTY;
    /// A CSV header without a `name` / `Technical Name` column.
    pub const NO_NAME_COLUMN: &str = crate::error::codes::INSTALLED_NO_NAME_COLUMN;
    /// A quoted CSV field that never ends.
    pub const UNTERMINATED_QUOTE: &str = crate::error::codes::INSTALLED_UNTERMINATED_QUOTE;
    /// A value that cannot be an Odoo module's technical name.
    pub const BAD_NAME: &str = crate::error::codes::INSTALLED_BAD_NAME;
    /// A CSV row without the name or state column.
    pub const SHORT_ROW: &str = crate::error::codes::INSTALLED_SHORT_ROW;
    /// A state that Odoo does not write.
    pub const UNKNOWN_STATE: &str = crate::error::codes::INSTALLED_UNKNOWN_STATE;
}

/// Whether `name` can be an Odoo module's technical name: the name of its directory, which
/// Odoo imports as a Python package, so ASCII letters, digits and underscores.
pub fn is_technical_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Whether a module in `state` is installed, by the stored value or by Odoo's English label
/// (case-insensitive); `None` for a state Odoo does not have.
///
/// A module `to upgrade` or `to remove` is installed until the pending operation runs; one
/// `to install` is not yet.
pub fn state_is_installed(state: &str) -> Option<bool> {
    const STATES: &[(&str, &str, bool)] = &[
        ("installed", "Installed", true),
        ("to upgrade", "To be upgraded", true),
        ("to remove", "To be removed", true),
        ("uninstalled", "Not Installed", false),
        ("uninstallable", "Uninstallable", false),
        ("to install", "To be installed", false),
    ];
    let state = state.trim();
    STATES
        .iter()
        .find(|(value, label, _)| {
            state.eq_ignore_ascii_case(value) || state.eq_ignore_ascii_case(label)
        })
        .map(|(_, _, installed)| *installed)
}

const BOM: &str = "\u{feff}";

/// Reads an installed-modules file; see the module documentation for the two shapes.
///
/// The file is a CSV when its first line that is neither blank nor a `#` comment holds a
/// comma or a semicolon, starts with a quote, or is a bare `name` / `Technical Name` header
/// (a one-column export); otherwise it is a list.
///
/// # Errors
/// Every problem found, located: an empty file (or one whose rows are all uninstalled), a
/// CSV header without a name column, an unterminated quote, a value that is not a technical
/// name, a short row, an unknown state.
pub fn parse(text: &str) -> Result<AppsList, Vec<Problem>> {
    let start = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let Some(first) = first_content_line(text, start) else {
        return Err(vec![empty(text, start)]);
    };
    let line = &text[first..line_end(text, first)];
    let trimmed = line.trim();
    let csv = line.contains([',', ';'])
        || trimmed.starts_with('"')
        || name_header_rank(trimmed).is_some();
    if csv {
        parse_csv(text, first, delimiter(line))
    } else {
        parse_list(text, start)
    }
}

fn empty(text: &str, start: usize) -> Problem {
    Problem::whole_file(codes::EMPTY, "the installed-modules file names no module").help(format!(
        "list one technical name a line, or export Odoo's Apps list as CSV{}",
        if text.len() > start {
            ""
        } else {
            " (the file is empty)"
        }
    ))
}

/// The byte offset of the first line holding something other than blanks or a `#` comment.
fn first_content_line(text: &str, start: usize) -> Option<usize> {
    let mut at = start;
    while at < text.len() {
        let end = line_end(text, at);
        let trimmed = text[at..end].trim();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            return Some(at);
        }
        at = next_line(text, end);
    }
    None
}

/// The end of the line starting at `at`, before its `\n`, `\r\n` or `\r`.
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i)
}

/// The start of the line after the one ending at `end`.
fn next_line(text: &str, end: usize) -> usize {
    let rest = &text.as_bytes()[end..];
    match rest {
        [b'\r', b'\n', ..] => end + 2,
        [b'\r' | b'\n', ..] => end + 1,
        _ => text.len(),
    }
}

fn parse_list(text: &str, start: usize) -> Result<AppsList, Vec<Problem>> {
    let mut modules = Vec::new();
    let mut problems = Vec::new();
    let mut at = start;
    while at < text.len() {
        let end = line_end(text, at);
        let line = &text[at..end];
        let content = line.find('#').map_or(line, |i| &line[..i]);
        let name = content.trim();
        if !name.is_empty() {
            // `trim` only removes whole characters, so the offset stays on a boundary.
            let offset = at + (content.len() - content.trim_start().len());
            let span = Span::new(offset, name.len());
            if is_technical_name(name) {
                modules.push(Listed {
                    name: name.to_owned(),
                    span,
                });
            } else {
                problems.push(bad_name(name, span, false));
            }
        }
        at = next_line(text, end);
    }
    if problems.is_empty() && modules.is_empty() {
        problems.push(empty(text, start));
    }
    if problems.is_empty() {
        Ok(AppsList {
            format: Format::List,
            modules,
        })
    } else {
        Err(problems)
    }
}

fn bad_name(name: &str, span: Span, csv: bool) -> Problem {
    let help = if csv {
        "the name column must hold technical names such as `sale_management`; export the `Technical Name` column, not `Module Name`"
    } else {
        "write one technical name a line, such as `sale_management`; `#` starts a comment"
    };
    Problem::at(
        codes::BAD_NAME,
        span,
        format!("`{}` is not a module's technical name", name.escape_debug()),
    )
    .label("not a technical name")
    .help(help)
}

/// The rank of a header cell naming the technical-name column: `Technical Name` (the label
/// export) before `name` (the import-compatible one).
fn name_header_rank(cell: &str) -> Option<u8> {
    let cell = cell.trim().trim_matches('"').trim();
    if cell.eq_ignore_ascii_case("technical name") {
        Some(0)
    } else if cell.eq_ignore_ascii_case("name") {
        Some(1)
    } else {
        None
    }
}

fn is_state_header(cell: &str) -> bool {
    let cell = cell.trim();
    cell.eq_ignore_ascii_case("state") || cell.eq_ignore_ascii_case("status")
}

/// Odoo writes commas; a spreadsheet saved in a European locale writes semicolons. The header
/// line decides, by whichever appears there (outside quotes, which header cells never need).
fn delimiter(header_line: &str) -> u8 {
    let mut quoted = false;
    for b in header_line.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' | b';' if !quoted => return b,
            _ => {}
        }
    }
    b','
}

/// One CSV field: its value (quotes undone) and where its text lies.
struct Field {
    value: String,
    /// Inside the quotes of a quoted field, and up to the delimiter after text that follows
    /// a closing quote.
    span: Span,
    /// Whether the text at `span` is the value (no doubled quote, nothing after the quotes).
    exact: bool,
}

/// A CSV row and where it lies.
struct Row {
    fields: Vec<Field>,
    span: Span,
}

/// Splits CSV rows as Python's `csv` module writes and reads them: fields in double quotes may
/// hold the delimiter, newlines and doubled quotes; text after a closing quote joins the field;
/// a quote inside an unquoted field is literal. Blank lines are skipped.
fn csv_rows(text: &str, start: usize, delim: u8) -> Result<Vec<Row>, usize> {
    let bytes = text.as_bytes();
    let mut rows = Vec::new();
    let mut at = start;
    while at < bytes.len() {
        if matches!(bytes[at], b'\r' | b'\n') {
            at = next_line(text, at);
            continue;
        }
        let row_start = at;
        let mut fields = Vec::new();
        loop {
            let (field, end) = csv_field(text, at, delim)?;
            fields.push(field);
            if end < bytes.len() && bytes[end] == delim {
                at = end + 1;
                continue;
            }
            rows.push(Row {
                fields,
                span: Span::new(row_start, end - row_start),
            });
            at = next_line(text, end);
            break;
        }
    }
    Ok(rows)
}

/// The field starting at `at`, and the offset just past it (at a delimiter, a line end or the
/// end of the text); `Err` holds the offset of an opening quote that is never closed.
fn csv_field(text: &str, at: usize, delim: u8) -> Result<(Field, usize), usize> {
    let bytes = text.as_bytes();
    let stop = |b: u8| b == delim || b == b'\r' || b == b'\n';
    if bytes.get(at) != Some(&b'"') {
        let end = bytes[at..]
            .iter()
            .position(|&b| stop(b))
            .map_or(bytes.len(), |i| at + i);
        let field = Field {
            value: text[at..end].to_owned(),
            span: Span::new(at, end - at),
            exact: true,
        };
        return Ok((field, end));
    }
    let inner = at + 1;
    let mut value = String::new();
    let mut exact = true;
    let mut from = inner;
    let mut i = inner;
    loop {
        let Some(rel) = bytes[i..].iter().position(|&b| b == b'"') else {
            return Err(at);
        };
        let quote = i + rel;
        value.push_str(&text[from..quote]);
        if bytes.get(quote + 1) == Some(&b'"') {
            value.push('"');
            exact = false;
            i = quote + 2;
            from = i;
            continue;
        }
        let after = quote + 1;
        let end = bytes[after..]
            .iter()
            .position(|&b| stop(b))
            .map_or(bytes.len(), |n| after + n);
        value.push_str(&text[after..end]);
        exact &= end == after;
        let span = if end == after {
            Span::new(inner, quote - inner)
        } else {
            Span::new(inner, end - inner)
        };
        return Ok((Field { value, span, exact }, end));
    }
}

fn parse_csv(text: &str, start: usize, delim: u8) -> Result<AppsList, Vec<Problem>> {
    let rows = csv_rows(text, start, delim).map_err(|quote| {
        vec![
            Problem::at(
                codes::UNTERMINATED_QUOTE,
                Span::new(quote, 1),
                "a quoted field is never closed",
            )
            .label("this quote opens a field that runs to the end of the file")
            .help("close the field with `\"`, and write a quote inside a field as `\"\"`"),
        ]
    })?;
    let Some((header, body)) = rows.split_first() else {
        return Err(vec![empty(text, start)]);
    };
    let name_col = header
        .fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| name_header_rank(&f.value).map(|rank| (rank, i)))
        .min()
        .map(|(_, i)| i);
    let Some(name_col) = name_col else {
        let found: Vec<String> = header
            .fields
            .iter()
            .map(|f| format!("`{}`", f.value.trim()))
            .collect();
        return Err(vec![
            Problem::at(
                codes::NO_NAME_COLUMN,
                header.span,
                "the CSV header has no `name` or `Technical Name` column",
            )
            .label(format!("columns: {}", found.join(", ")))
            .help("export the Apps list with the `Technical Name` field (or `name` in an import-compatible export)"),
        ]);
    };
    let state_col = header.fields.iter().position(|f| is_state_header(&f.value));
    let columns = Columns {
        name: name_col,
        state: state_col,
        header_len: header.fields.len(),
    };
    let mut modules = Vec::new();
    let mut problems = Vec::new();
    for row in body {
        match read_row(row, &columns) {
            Outcome::Installed(listed) => modules.push(listed),
            Outcome::NotInstalled => {}
            Outcome::Bad(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() && modules.is_empty() {
        problems.push(
            Problem::at(
                codes::EMPTY,
                header.span,
                if state_col.is_some() {
                    "the CSV lists no installed module"
                } else {
                    "the CSV has a header and no row"
                },
            )
            .label("header")
            .help("export the Apps list with the `Installed` filter on, or every module with its `Status`"),
        );
    }
    if problems.is_empty() {
        Ok(AppsList {
            format: Format::Csv {
                filtered_by_state: state_col.is_some(),
            },
            modules,
        })
    } else {
        Err(problems)
    }
}

/// Where the columns that matter are.
struct Columns {
    name: usize,
    state: Option<usize>,
    header_len: usize,
}

/// What one CSV row says.
enum Outcome {
    Installed(Listed),
    NotInstalled,
    Bad(Problem),
}

fn read_row(row: &Row, columns: &Columns) -> Outcome {
    let wanted = columns.state.map_or(columns.name, |s| s.max(columns.name));
    if row.fields.len() <= wanted {
        return Outcome::Bad(
            Problem::at(
                codes::SHORT_ROW,
                row.span,
                format!(
                    "this row has {} column(s); the header has {}",
                    row.fields.len(),
                    columns.header_len
                ),
            )
            .label("too few columns"),
        );
    }
    if let Some(s) = columns.state {
        let state = &row.fields[s];
        match state_is_installed(&state.value) {
            Some(true) => {}
            Some(false) => return Outcome::NotInstalled,
            None => {
                return Outcome::Bad(
                    Problem::at(
                        codes::UNKNOWN_STATE,
                        state.span,
                        format!("`{}` is not a module state Odoo writes", state.value.escape_debug()),
                    )
                    .label("unknown state")
                    .help("Odoo's states are Installed, Not Installed, To be upgraded, To be removed, To be installed and Uninstallable (or their stored values such as `installed`); export in English or import-compatible"),
                );
            }
        }
    }
    let field = &row.fields[columns.name];
    let name = field.value.trim();
    if !is_technical_name(name) {
        Outcome::Bad(bad_name(name, field.span, true))
    } else if !field.exact {
        // Python's reader would take `"crm"x` as `crmx`; Odoo never writes it, so it is
        // more likely a damaged file than a module name.
        Outcome::Bad(
            Problem::at(
                codes::BAD_NAME,
                field.span,
                format!(
                    "`{name}` is not written as Odoo writes a name: text follows its closing quote"
                ),
            )
            .label("malformed field")
            .help("write the field as `\"name\"` alone between delimiters"),
        )
    } else {
        // An exact field's text is its value; only surrounding blanks are left out.
        let lead = field.value.len() - field.value.trim_start().len();
        Outcome::Installed(Listed {
            name: name.to_owned(),
            span: Span::new(field.span.offset + lead, name.len()),
        })
    }
}

#[cfg(test)]
mod tests;
