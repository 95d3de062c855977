//! The documents the client has open: their text as the client last sent it (full or
//! incremental changes), their version, and which of our file kinds each one is.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::position::{self, Encoding};
use crate::config::FILE_NAME as CONFIG_NAME;
use crate::discover::is_plan_name;
use crate::source::SourceFile;

/// What a document is to us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A plan: checked, and every feature applies.
    Plan,
    /// An `odoo-order.yaml`: checked for its own problems.
    Config,
    /// Anything else the client sends (another YAML file): left alone.
    Other,
}

/// One open document.
#[derive(Debug)]
pub struct Document {
    /// Its URI, as the client names it.
    pub uri: Uri,
    /// The file it is, when the URI is a `file:` one.
    pub path: Option<PathBuf>,
    /// The client's version of the text.
    pub version: i32,
    /// The text, with its line table.
    pub file: SourceFile,
}

impl Document {
    fn new(uri: Uri, version: i32, text: String) -> Self {
        let path = path_of(&uri);
        let file = source_file(&uri, path.as_deref(), text);
        Self {
            uri,
            path,
            version,
            file,
        }
    }

    /// Applies the client's changes in order: each range is in the text as the previous
    /// change left it.
    pub fn change(
        &mut self,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) {
        let mut text = self.file.text().to_owned();
        for change in changes {
            match change.range {
                None => text = change.text,
                Some(range) => {
                    let current = SourceFile::new("", "", text.as_str());
                    let span = position::span(&current, range, encoding);
                    text.replace_range(span.offset..span.end(), &change.text);
                }
            }
        }
        self.version = version;
        self.file = source_file(&self.uri, self.path.as_deref(), text);
    }
}

/// Every open document, by URI.
#[derive(Debug, Default)]
pub struct Documents {
    open: BTreeMap<Uri, Document>,
}

impl Documents {
    /// Opens (or reopens) a document.
    pub fn open(&mut self, uri: Uri, version: i32, text: String) {
        let key = uri.clone();
        self.open.insert(key, Document::new(uri, version, text));
    }

    /// A document by URI.
    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }

    /// A document by URI, to change it.
    pub fn get_mut(&mut self, uri: &Uri) -> Option<&mut Document> {
        self.open.get_mut(uri)
    }

    /// Forgets a document.
    pub fn close(&mut self, uri: &Uri) -> Option<Document> {
        self.open.remove(uri)
    }

    /// Every open document, in URI order.
    pub fn iter(&self) -> impl Iterator<Item = &Document> {
        self.open.values()
    }
}

fn source_file(uri: &Uri, path: Option<&Path>, text: String) -> SourceFile {
    match path {
        Some(path) => SourceFile::new(path, crate::paths::display(path), text),
        // An unsaved buffer (`untitled:`): relative paths in it mean the working directory.
        None => SourceFile::new(PathBuf::from("untitled.yaml"), uri.as_str(), text),
    }
}

/// The kind of a document, by its name and, for other YAML files, by a top-level `odoo:` key
/// (design: a plan is whatever `check` discovers, and any YAML file that starts a plan).
/// `includes` says whether the configuration's `include` globs name the file, `excludes`
/// whether its `exclude` globs leave it out.
pub fn kind(path: Option<&Path>, text: &str, includes: bool, excludes: bool) -> Kind {
    let name = path
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .unwrap_or("");
    if name == CONFIG_NAME {
        return Kind::Config;
    }
    if has_top_level_odoo(text) {
        return Kind::Plan;
    }
    let yaml = Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    let in_plans = path
        .and_then(Path::parent)
        .is_some_and(|dir| dir.components().any(|c| c.as_os_str() == "plans"));
    if (is_plan_name(name) || (yaml && in_plans) || includes) && !excludes {
        Kind::Plan
    } else {
        Kind::Other
    }
}

/// Whether a line at column 0 starts with the key `odoo` (plain or quoted), or a flow mapping
/// at the top starts with it.
fn has_top_level_odoo(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.strip_prefix('{').map_or(line, str::trim_start);
        ["odoo:", "\"odoo\":", "'odoo':"]
            .iter()
            .any(|k| line.starts_with(k))
    })
}

/// The file a `file:` URI names, percent-decoded; `None` for other schemes.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///p` has an empty authority; `file://localhost/p` names this machine.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let path = rest.split(['?', '#']).next().unwrap_or(rest);
    let bytes = percent_decode(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        // `file:///C:/x` is `C:/x` on Windows.
        let text = String::from_utf8(bytes).ok()?;
        let drive = text.len() > 2 && text.as_bytes()[0] == b'/' && text.as_bytes()[2] == b':';
        let text = if drive { text[1..].to_owned() } else { text };
        Some(PathBuf::from(text))
    }
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The `file:` URI of a path (absolute, or made absolute against the working directory), with
/// every byte outside the unreserved set and `/` percent-encoded.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let absolute = crate::paths::absolute(path);
    let mut uri = String::from("file://");
    #[cfg(unix)]
    let bytes: Vec<u8> = {
        use std::os::unix::ffi::OsStrExt;
        absolute.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes: Vec<u8> = {
        let text = absolute.to_string_lossy().replace('\\', "/");
        if text.starts_with('/') {
            text.into_bytes()
        } else {
            format!("/{text}").into_bytes()
        }
    };
    for b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~') {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/a dir/plän#1.yaml");
        let u = uri_of(path).unwrap();
        assert_eq!(u.as_str(), "file:///tmp/a%20dir/pl%C3%A4n%231.yaml");
        assert_eq!(path_of(&u).unwrap(), path);
        assert_eq!(
            path_of(&uri("file://localhost/x/plan.yaml")).unwrap(),
            Path::new("/x/plan.yaml")
        );
        assert!(path_of(&uri("untitled:Untitled-1")).is_none());
    }

    #[test]
    fn kinds_follow_check_and_the_odoo_key() {
        let p = |s: &str| Some(PathBuf::from(s));
        assert_eq!(
            kind(p("/r/odoo-order.yaml").as_deref(), "odoo: x", false, false),
            Kind::Config
        );
        assert_eq!(
            kind(p("/r/plan.yaml").as_deref(), "", false, false),
            Kind::Plan
        );
        assert_eq!(
            kind(p("/r/plans/acme.yml").as_deref(), "", false, false),
            Kind::Plan
        );
        assert_eq!(
            kind(p("/r/notes.yaml").as_deref(), "a: 1\n", false, false),
            Kind::Other
        );
        assert_eq!(
            kind(p("/r/notes.yaml").as_deref(), "a: 1\n", true, false),
            Kind::Plan
        );
        assert_eq!(
            kind(
                p("/r/x.yaml").as_deref(),
                "# c\nodoo: \"17.0\"\n",
                false,
                false
            ),
            Kind::Plan
        );
        assert_eq!(
            kind(None, "{odoo: \"17.0\", phases: []}", false, false),
            Kind::Plan
        );
        assert_eq!(
            kind(p("/r/x.yaml").as_deref(), "  odoo: 1\n", false, false),
            Kind::Other
        );
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut doc = Document::new(uri("file:///p/plan.yaml"), 1, "a: é1\nb: 2\n".to_owned());
        let change = |l1, c1, l2, c2, t: &str| TextDocumentContentChangeEvent {
            range: Some(lsp_types::Range::new(
                lsp_types::Position::new(l1, c1),
                lsp_types::Position::new(l2, c2),
            )),
            range_length: None,
            text: t.to_owned(),
        };
        doc.change(
            2,
            vec![change(0, 4, 0, 5, "9"), change(1, 0, 1, 0, "x")],
            Encoding::Utf16,
        );
        assert_eq!(doc.file.text(), "a: é9\nxb: 2\n");
        assert_eq!(doc.version, 2);
    }
}
