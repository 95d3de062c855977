//! `odoo-order.yaml`: a team's settings. Found by walking up from each plan (or named with
//! `--config`), merged with the command line (which wins), and cached per directory so that
//! plans under different configuration files get their own settings.
//!
//! Strict like the plan format: an unknown key, rule, level or layer is a located problem with
//! a "did you mean", and every problem of the file is reported at once.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

use crate::check::Settings;
use crate::error::{Error, Problem};
use crate::finding::Severity;
use crate::paths;
use crate::read;
use crate::ruledata::{Layer, RuleData};
use crate::rules::{self, RULES, Rule};
use crate::source::{SourceFile, Span};
use crate::yaml;

/// The name of the configuration file looked for in a plan's directory and its ancestors.
pub const FILE_NAME: &str = "odoo-order.yaml";

/// The serde model of the configuration file.
mod raw {
    use serde::Deserialize;
    use serde_saphyr::Spanned;

    use super::SpannedMap;

    /// The top level.
    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Config {
        #[serde(default)]
        pub rules: Option<SpannedMap<String, Level>>,
        #[serde(default)]
        pub fail_on: Option<Spanned<FailLevel>>,
        #[serde(default)]
        pub layers: Option<SpannedMap<LayerName, Vec<Spanned<String>>>>,
        #[serde(default)]
        pub extra_rules: Option<Vec<Spanned<String>>>,
        #[serde(default)]
        pub addons_path: Option<Vec<Spanned<String>>>,
        #[serde(default)]
        pub include: Option<Vec<Spanned<String>>>,
        #[serde(default)]
        pub exclude: Option<Vec<Spanned<String>>>,
    }

    /// A rule's level, in the words of `-A`/`-W`/`-D`.
    #[derive(Debug, Clone, Copy, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Level {
        Allow,
        Info,
        Warn,
        Deny,
    }

    /// The `fail_on` levels, as `--fail-on` spells them.
    #[derive(Debug, Clone, Copy, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum FailLevel {
        Error,
        Warning,
        Info,
    }

    /// A layer of `rules/layers.yaml`, or `none`.
    #[derive(Debug, Clone, Copy, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum LayerName {
        Accounting,
        Operations,
        Commercial,
        Crm,
        None,
    }
}

/// A YAML mapping kept in file order with the span of every key and value (serde-saphyr's
/// `Spanned` is not `Ord`, so it cannot key a `BTreeMap`).
#[derive(Debug)]
pub struct SpannedMap<K, V>(pub Vec<(Spanned<K>, Spanned<V>)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for SpannedMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for MapVisitor<K, V> {
            type Value = SpannedMap<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(SpannedMap(entries))
            }
        }
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

/// Where a setting's value comes from, for `--show-config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Built in.
    Default,
    /// A configuration file, at a 1-based line.
    File {
        /// The file as reports name it.
        name: String,
        /// The line.
        line: usize,
    },
    /// A command-line flag, as written (`-A layer-order`).
    CommandLine(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Default => f.write_str("default"),
            Self::File { name, line } => write!(f, "{name}:{line}"),
            Self::CommandLine(flag) => write!(f, "command line ({flag})"),
        }
    }
}

/// What the command line says, which wins over every configuration file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `-A`/`-W`/`-D` in order: the rule, its severity (`None` is off) and the flag as written.
    pub severities: Vec<(&'static Rule, Option<Severity>, String)>,
    /// `--fail-on`.
    pub fail_on: Option<Severity>,
    /// `--config`: use this file for every plan instead of looking for one.
    pub config: Option<PathBuf>,
    /// `--addons-path`, checked to exist: wins over the plans' and the configuration's.
    pub addons_path: Option<Vec<PathBuf>>,
}

/// A setting with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it comes from.
    pub origin: Origin,
}

/// The resolved settings, each with its origin: what `--show-config` prints.
#[derive(Debug, Clone)]
pub struct Explained {
    /// The configuration file as reports name it, if there is one.
    pub file: Option<String>,
    /// The level that fails the run.
    pub fail_on: Sourced<Severity>,
    /// Every rule and its level (`None` is off).
    pub rules: Vec<(&'static Rule, Sourced<Option<Severity>>)>,
    /// Layer overrides: module name or `prefix*` pattern, and its layer (`None` pins it to none).
    pub layers: Vec<(String, Sourced<Option<Layer>>)>,
    /// Extra rules data files, resolved.
    pub extra_rules: Vec<Sourced<PathBuf>>,
    /// Addons directories, resolved.
    pub addons_path: Vec<Sourced<PathBuf>>,
    /// Extra globs for plan files in directory walks.
    pub include: Vec<Sourced<String>>,
    /// Globs for files that directory walks skip.
    pub exclude: Vec<Sourced<String>>,
}

/// One configuration, resolved against the command line: what the plans under it run with.
#[derive(Debug)]
pub struct Config {
    /// The directory relative paths and globs start from (absolute).
    pub dir: PathBuf,
    /// Severities, `fail_on`, addons path.
    pub settings: Settings,
    /// Built-in ordering knowledge refined by `extra_rules` and `layers`.
    pub data: RuleData,
    /// Everything resolved, with origins.
    pub explained: Explained,
    include: GlobSet,
    exclude: GlobSet,
}

impl Config {
    /// The settings when no configuration file applies.
    pub fn defaults(overrides: &Overrides, dir: PathBuf) -> Result<Self, Error> {
        build(None, raw::Config::default(), dir, overrides)
    }

    /// Reads and validates a configuration file.
    pub fn load(path: &Path, overrides: &Overrides) -> Result<Self, Error> {
        let bytes = read::read(path, read::CONFIG).map_err(|err| Error::Io {
            path: path.to_path_buf(),
            source: err.into_io(),
        })?;
        Self::from_bytes(path, &bytes, overrides)
    }

    /// Validates a configuration's text as if read from `path` (an editor's unsaved buffer).
    pub fn from_bytes(path: &Path, bytes: &[u8], overrides: &Overrides) -> Result<Self, Error> {
        let file = yaml::decode(path, &paths::display(path), bytes, &yaml::CONFIG)?;
        let dir = paths::absolute(path)
            .parent()
            .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
        let raw: Option<raw::Config> =
            serde_saphyr::from_str_with_options(file.text(), yaml::options()).map_err(|err| {
                let problem = yaml::problem(&file, &err, &yaml::CONFIG);
                Error::invalid(file.clone(), yaml::CONFIG.noun, vec![problem])
            })?;
        build(Some(&file), raw.unwrap_or_default(), dir, overrides)
    }

    /// Whether a configuration glob names this file as a plan (`include`).
    pub fn includes(&self, path: &Path) -> bool {
        !self.include.is_empty() && self.include.is_match(self.relative(path))
    }

    /// Whether a configuration glob leaves this file out of directory walks (`exclude`).
    pub fn excludes(&self, path: &Path) -> bool {
        !self.exclude.is_empty() && self.exclude.is_match(self.relative(path))
    }

    fn relative(&self, path: &Path) -> String {
        paths::slash(&paths::relative_to(path, &self.dir))
    }
}

/// Every configuration in use, looked up once per directory.
#[derive(Debug)]
pub struct Configs {
    overrides: Overrides,
    loaded: Vec<Config>,
    by_file: HashMap<PathBuf, ConfigId>,
    by_dir: HashMap<PathBuf, ConfigId>,
    explicit: Option<ConfigId>,
    default: Option<ConfigId>,
}

/// Index of a configuration in [`Configs`].
pub type ConfigId = usize;

impl Configs {
    /// Loads the `--config` file, if one is given; others are found as plans ask for them.
    pub fn new(overrides: Overrides) -> Result<Self, Error> {
        let mut configs = Self {
            overrides,
            loaded: Vec::new(),
            by_file: HashMap::new(),
            by_dir: HashMap::new(),
            explicit: None,
            default: None,
        };
        if let Some(path) = configs.overrides.config.clone() {
            // Anything readable but a directory will do: `--config /dev/null` ignores every file.
            if !path.exists() || path.is_dir() {
                return Err(Error::usage(
                    format!("configuration file `{}` does not exist", path.display()),
                    Some(format!(
                        "`--config` takes the path of a configuration file like `{FILE_NAME}`"
                    )),
                ));
            }
            configs.explicit = Some(configs.load(&path)?);
        }
        Ok(configs)
    }

    /// The configuration for files in a directory: `--config`, else the nearest
    /// `odoo-order.yaml` in it or above it, else the defaults.
    pub fn for_dir(&mut self, dir: &Path) -> Result<ConfigId, Error> {
        if let Some(id) = self.explicit {
            return Ok(id);
        }
        let start = paths::absolute(dir);
        let mut visited = Vec::new();
        let mut found = None;
        for ancestor in start.ancestors() {
            if let Some(&id) = self.by_dir.get(ancestor) {
                found = Some(id);
                break;
            }
            visited.push(ancestor.to_path_buf());
            let candidate = ancestor.join(FILE_NAME);
            if candidate.is_file() {
                // A configuration found this way may be a link a pull request added
                // (`odoo-order.yaml -> /proc/self/environ`): never show where it leads.
                let loaded = self.load(&candidate).map_err(|err| {
                    if read::leaves(&candidate, ancestor) {
                        yaml::redact(err)
                    } else {
                        err
                    }
                });
                found = Some(loaded?);
                break;
            }
        }
        let id = match found {
            Some(id) => id,
            None => self.default()?,
        };
        for dir in visited {
            self.by_dir.insert(dir, id);
        }
        Ok(id)
    }

    /// The configuration for a file: the one of its directory.
    pub fn for_file(&mut self, file: &Path) -> Result<ConfigId, Error> {
        let abs = paths::absolute(file);
        let dir = abs.parent().unwrap_or(&abs).to_path_buf();
        self.for_dir(&dir)
    }

    /// `--addons-path`, which wins over every configuration and plan.
    pub fn addons_override(&self) -> Option<&[PathBuf]> {
        self.overrides.addons_path.as_deref()
    }

    /// A configuration by id.
    pub fn get(&self, id: ConfigId) -> &Config {
        &self.loaded[id]
    }

    fn load(&mut self, path: &Path) -> Result<ConfigId, Error> {
        let key = paths::absolute(path);
        if let Some(&id) = self.by_file.get(&key) {
            return Ok(id);
        }
        let config = Config::load(path, &self.overrides)?;
        self.loaded.push(config);
        let id = self.loaded.len() - 1;
        self.by_file.insert(key, id);
        Ok(id)
    }

    fn default(&mut self) -> Result<ConfigId, Error> {
        if let Some(id) = self.default {
            return Ok(id);
        }
        let cwd = paths::absolute(Path::new("."));
        self.loaded.push(Config::defaults(&self.overrides, cwd)?);
        let id = self.loaded.len() - 1;
        self.default = Some(id);
        Ok(id)
    }
}

fn span_of<T>(s: &Spanned<T>) -> Span {
    crate::plan::span_of(&s.referenced)
}

/// Turns a span of the configuration file into an origin for `--show-config`.
struct Origins<'a>(Option<&'a SourceFile>);

impl Origins<'_> {
    fn of<T>(&self, spanned: &Spanned<T>) -> Origin {
        match self.0 {
            Some(f) => Origin::File {
                name: f.name().to_owned(),
                line: f.line_col(span_of(spanned).offset).line,
            },
            None => Origin::Default,
        }
    }
}

/// Builds a configuration from its parsed file (if any) and the command line.
fn build(
    file: Option<&SourceFile>,
    raw: raw::Config,
    dir: PathBuf,
    overrides: &Overrides,
) -> Result<Config, Error> {
    let origins = Origins(file);
    let mut problems = Vec::new();
    let rule_levels = rule_levels(raw.rules, overrides, &origins, &mut problems);
    let fail_on = fail_on(raw.fail_on.as_ref(), overrides, &origins);
    let mut data = RuleData::builtin()?;
    let extra_rules = extra_rules(
        raw.extra_rules.unwrap_or_default(),
        &dir,
        &mut data,
        &origins,
        &mut problems,
    )?;
    let layers = layers(raw.layers, &mut data, &origins);
    let addons_path = addons_path(
        raw.addons_path.unwrap_or_default(),
        &dir,
        &origins,
        &mut problems,
    );
    // `--addons-path` is applied by the linter (it also wins over a plan's own list); show it.
    let shown_addons_path = match &overrides.addons_path {
        Some(paths) => paths
            .iter()
            .map(|p| Sourced {
                value: p.clone(),
                origin: Origin::CommandLine("--addons-path".to_owned()),
            })
            .collect(),
        None => addons_path.clone(),
    };
    let include = raw.include.unwrap_or_default();
    let exclude = raw.exclude.unwrap_or_default();
    let include_set = glob_set(&include, false, &mut problems);
    let exclude_set = glob_set(&exclude, true, &mut problems);

    if let (Some(file), false) = (file, problems.is_empty()) {
        problems.sort_by_key(|p| p.span.map(|s| s.offset));
        return Err(Error::invalid(file.clone(), "configuration", problems));
    }

    let settings = Settings {
        severities: rule_levels
            .iter()
            .filter(|(r, s)| s.value != Some(r.default_severity))
            .map(|(r, s)| (r.code, s.value))
            .collect(),
        fail_on: fail_on.value,
        addons_path: addons_path.iter().map(|a| a.value.clone()).collect(),
        ..Settings::default()
    };
    let sourced = |patterns: Vec<Spanned<String>>| -> Vec<Sourced<String>> {
        patterns
            .into_iter()
            .map(|p| Sourced {
                origin: origins.of(&p),
                value: p.value,
            })
            .collect()
    };
    let explained = Explained {
        file: file.map(|f| f.name().to_owned()),
        fail_on,
        rules: rule_levels,
        layers,
        extra_rules,
        addons_path: shown_addons_path,
        include: sourced(include),
        exclude: sourced(exclude),
    };
    Ok(Config {
        dir,
        settings,
        data,
        explained,
        include: include_set,
        exclude: exclude_set,
    })
}

/// Every rule's level: its default, then the file's `rules:`, then `-A`/`-W`/`-D`.
fn rule_levels(
    raw: Option<SpannedMap<String, raw::Level>>,
    overrides: &Overrides,
    origins: &Origins<'_>,
    problems: &mut Vec<Problem>,
) -> Vec<(&'static Rule, Sourced<Option<Severity>>)> {
    let mut levels: Vec<(&'static Rule, Sourced<Option<Severity>>)> = RULES
        .iter()
        .map(|r| {
            let value = Some(r.default_severity);
            (
                *r,
                Sourced {
                    value,
                    origin: Origin::Default,
                },
            )
        })
        .collect();
    for (name, level) in raw.map(|m| m.0).unwrap_or_default() {
        let Some(rule) = rules::find(&name.value) else {
            let help = rules::suggest(&name.value).map_or_else(
                || "`odoo-order rules` lists every rule".to_owned(),
                |s| format!("did you mean `{s}`?"),
            );
            problems.push(
                Problem::at(
                    "config::unknown-rule",
                    span_of(&name),
                    format!("no rule is called `{}`", name.value),
                )
                .label("unknown rule")
                .help(help),
            );
            continue;
        };
        let severity = match level.value {
            raw::Level::Allow => None,
            raw::Level::Info => Some(Severity::Info),
            raw::Level::Warn => Some(Severity::Warning),
            raw::Level::Deny => Some(Severity::Error),
        };
        set_rule(&mut levels, rule, severity, origins.of(&name));
    }
    for (rule, severity, flag) in &overrides.severities {
        set_rule(
            &mut levels,
            rule,
            *severity,
            Origin::CommandLine(flag.clone()),
        );
    }
    levels
}

/// The fail level: `error`, then the file's `fail_on`, then `--fail-on`.
fn fail_on(
    raw: Option<&Spanned<raw::FailLevel>>,
    overrides: &Overrides,
    origins: &Origins<'_>,
) -> Sourced<Severity> {
    if let Some(level) = overrides.fail_on {
        return Sourced {
            value: level,
            origin: Origin::CommandLine(format!("--fail-on {level}")),
        };
    }
    match raw {
        Some(level) => Sourced {
            value: match level.value {
                raw::FailLevel::Error => Severity::Error,
                raw::FailLevel::Warning => Severity::Warning,
                raw::FailLevel::Info => Severity::Info,
            },
            origin: origins.of(level),
        },
        None => Sourced {
            value: Severity::Error,
            origin: Origin::Default,
        },
    }
}

/// Reads the `extra_rules` files into `data`, in order. A file that cannot be read is a
/// problem of the configuration; a file that is not valid is an error of its own.
fn extra_rules(
    entries: Vec<Spanned<String>>,
    dir: &Path,
    data: &mut RuleData,
    origins: &Origins<'_>,
    problems: &mut Vec<Problem>,
) -> Result<Vec<Sourced<PathBuf>>, Error> {
    let mut out = Vec::new();
    for entry in entries {
        let path = paths::normalize(&dir.join(&entry.value));
        match read::read(&path, read::RULES) {
            Ok(bytes) => {
                let added = yaml::decode(&path, &paths::display(&path), &bytes, &yaml::RULES)
                    .and_then(|file| data.add_file(&file));
                // A configuration in a pull request may name any readable file here.
                added.map_err(|err| {
                    if read::leaves(&path, dir) {
                        yaml::redact(err)
                    } else {
                        err
                    }
                })?;
                out.push(Sourced {
                    origin: origins.of(&entry),
                    value: path,
                });
            }
            Err(err) => problems.push(
                Problem::at(
                    "config::missing-file",
                    span_of(&entry),
                    format!(
                        "cannot read rules file `{}`: {}",
                        entry.value,
                        err.into_io()
                    ),
                )
                .label("not readable")
                .help("paths in `extra_rules` are relative to the configuration file"),
            ),
        }
    }
    Ok(out)
}

/// Applies the `layers` overrides to `data`, after the extra rules files.
fn layers(
    raw: Option<SpannedMap<raw::LayerName, Vec<Spanned<String>>>>,
    data: &mut RuleData,
    origins: &Origins<'_>,
) -> Vec<(String, Sourced<Option<Layer>>)> {
    let mut out = Vec::new();
    for (layer, names) in raw.map(|m| m.0).unwrap_or_default() {
        let value = match layer.value {
            raw::LayerName::Accounting => Some(Layer::Accounting),
            raw::LayerName::Operations => Some(Layer::Operations),
            raw::LayerName::Commercial => Some(Layer::Commercial),
            raw::LayerName::Crm => Some(Layer::Crm),
            raw::LayerName::None => None,
        };
        for name in names.value {
            data.set_layer(&name.value, value);
            out.push((
                name.value.clone(),
                Sourced {
                    value,
                    origin: origins.of(&name),
                },
            ));
        }
    }
    out
}

/// Resolves `addons_path` against the configuration's directory; each must exist.
fn addons_path(
    entries: Vec<Spanned<String>>,
    dir: &Path,
    origins: &Origins<'_>,
    problems: &mut Vec<Problem>,
) -> Vec<Sourced<PathBuf>> {
    let mut out = Vec::new();
    for entry in entries {
        if entry.value.trim().is_empty() {
            problems.push(crate::plan::empty_addons_path(
                span_of(&entry),
                "config::addons-path",
                "configuration file",
            ));
            continue;
        }
        let path = paths::normalize(&dir.join(&entry.value));
        if path.is_dir() {
            out.push(Sourced {
                origin: origins.of(&entry),
                value: path,
            });
        } else {
            problems.push(
                Problem::at(
                    "config::missing-dir",
                    span_of(&entry),
                    format!("addons directory `{}` does not exist", entry.value),
                )
                .label("not a directory")
                .help("paths in `addons_path` are relative to the configuration file"),
            );
        }
    }
    out
}

fn set_rule(
    levels: &mut [(&'static Rule, Sourced<Option<Severity>>)],
    rule: &Rule,
    value: Option<Severity>,
    origin: Origin,
) {
    if let Some((_, slot)) = levels.iter_mut().find(|(r, _)| r.code == rule.code) {
        *slot = Sourced { value, origin };
    }
}

/// Compiles globs the way `.gitignore` reads them: relative to the configuration's directory;
/// a pattern without `/` matches at any depth; `dir/` (and, for excludes, any pattern) also
/// covers everything below a matching directory.
fn glob_set(
    patterns: &[Spanned<String>],
    covers_dirs: bool,
    problems: &mut Vec<Problem>,
) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        for variant in glob_variants(&pattern.value, covers_dirs) {
            match Glob::new(&variant) {
                Ok(glob) => {
                    builder.add(glob);
                }
                Err(err) => {
                    problems.push(
                        Problem::at(
                            "config::bad-glob",
                            span_of(pattern),
                            format!("`{}` is not a valid glob: {}", pattern.value, err.kind()),
                        )
                        .label("invalid glob"),
                    );
                    break;
                }
            }
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

fn glob_variants(pattern: &str, covers_dirs: bool) -> Vec<String> {
    let trimmed = pattern.trim();
    let (dir_only, body) = match trimmed.strip_suffix('/') {
        Some(b) => (true, b),
        None => (false, trimmed),
    };
    let anchored = body.starts_with('/') || body.contains('/');
    let body = body.trim_start_matches('/');
    let base = if anchored || body.starts_with("**") {
        body.to_owned()
    } else {
        format!("**/{body}")
    };
    let mut out = Vec::new();
    if !dir_only {
        out.push(base.clone());
    }
    if dir_only || covers_dirs {
        out.push(format!("{base}/**"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Error> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        Config::load(&path, &Overrides::default())
    }

    fn problems(err: &Error) -> Vec<(String, String, Option<String>)> {
        match err {
            Error::Invalid(inv) => inv
                .problems
                .iter()
                .map(|p| (p.code.to_owned(), p.message.clone(), p.help.clone()))
                .collect(),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn empty_and_comment_only_files_are_defaults() {
        for text in ["", "# nothing yet\n", "---\n"] {
            let config = parse(text).unwrap();
            assert_eq!(config.settings.fail_on, Severity::Error);
            assert!(config.settings.severities.is_empty());
        }
    }

    #[test]
    fn levels_fail_on_and_layers_apply() {
        let config = parse(
            "rules:\n  layer-order: allow\n  OO203: deny\nfail_on: warning\nlayers:\n  crm: [helpdesk]\n",
        )
        .unwrap();
        assert_eq!(config.settings.severities.get("OO302"), Some(&None));
        assert_eq!(
            config.settings.severities.get("OO203"),
            Some(&Some(Severity::Error))
        );
        assert_eq!(config.settings.fail_on, Severity::Warning);
        assert_eq!(config.data.layer("helpdesk"), Some(Layer::Crm));
        let fail_on = &config.explained.fail_on.origin;
        assert!(
            matches!(fail_on, Origin::File { line: 4, .. }),
            "{fail_on:?}"
        );
    }

    #[test]
    fn every_problem_is_located_with_a_suggestion() {
        let err = parse("rules:\n  layer-ordre: allow\n  OO999: deny\n").unwrap_err();
        let found = problems(&err);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "config::unknown-rule");
        assert_eq!(found[0].2.as_deref(), Some("did you mean `layer-order`?"));
        let err = parse("rule:\n  layer-order: allow\n").unwrap_err();
        let found = problems(&err);
        assert_eq!(found[0].0, "config::unknown-key");
        assert_eq!(found[0].2.as_deref(), Some("did you mean `rules`?"));
        let err = parse("rules:\n  layer-order: warning\n").unwrap_err();
        let found = problems(&err);
        assert_eq!(found[0].0, "config::unknown-value");
        assert_eq!(found[0].2.as_deref(), Some("did you mean `warn`?"));
    }

    #[test]
    fn globs_read_like_gitignore() {
        assert_eq!(glob_variants("*.draft.yaml", false), ["**/*.draft.yaml"]);
        assert_eq!(
            glob_variants("archive", true),
            ["**/archive", "**/archive/**"]
        );
        assert_eq!(glob_variants("/old/", false), ["old/**"]);
        assert_eq!(glob_variants("plans/x/*.yaml", false), ["plans/x/*.yaml"]);
    }
}
