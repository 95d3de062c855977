//! Resolution: a configuration file and the command line, checked and merged into the
//! settings and rule data a plan runs with.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde_saphyr::Spanned;

use crate::check::Settings;
use crate::error::{Error, Problem, codes};
use crate::finding::Severity;
use crate::paths;
use crate::read;
use crate::ruledata::{Layer, RuleData};
use crate::rules::{self, RULES, Rule};
use crate::source::SourceFile;
use crate::yaml;

use super::model::{self as raw, SpannedMap};
use super::provenance::{Explained, Origin, Origins, Sourced, span_of};

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
        let raw: Option<raw::Config> = yaml::parse(&file, &yaml::CONFIG)?;
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
                    codes::CONFIG_UNKNOWN_RULE,
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
                    codes::CONFIG_MISSING_FILE,
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
                codes::CONFIG_ADDONS_PATH,
                "configuration file",
            ));
            continue;
        }
        let path = paths::normalize(&dir.join(&entry.value));
        if path.is_dir() && !crate::addons::holds_modules(&path) {
            problems.push(
                Problem::at(
                    codes::CONFIG_ADDONS_PATH,
                    span_of(&entry),
                    format!(
                        "`{}` is not an addons directory: no module in its subfolders",
                        entry.value
                    ),
                )
                .label("no module below")
                .help(crate::addons::not_addons_dir_help(
                    &path,
                    "`addons_path` takes a list",
                )),
            );
        } else if path.is_dir() {
            out.push(Sourced {
                origin: origins.of(&entry),
                value: path,
            });
        } else {
            problems.push(
                Problem::at(
                    codes::CONFIG_MISSING_DIR,
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
                            codes::CONFIG_BAD_GLOB,
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

pub(super) fn glob_variants(pattern: &str, covers_dirs: bool) -> Vec<String> {
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
