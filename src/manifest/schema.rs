//! The manifest schema: the fields Odoo reads from the literal, with Odoo's defaults.

use super::ManifestError;
use super::literal::{PyNode, PyValue, decode, parse};

type Result<T, E = ManifestError> = std::result::Result<T, E>;

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

    fn manifest_error(src: &str) -> (String, usize, usize) {
        let e = Manifest::from_source(src).expect_err(src);
        (e.message, e.line, e.column)
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
}
