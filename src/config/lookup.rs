//! Lookup: the configuration of each directory, found by walking up and loaded once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::paths;
use crate::read;
use crate::yaml;

use super::{Config, FILE_NAME, Overrides};

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
    /// `odoo-order.yaml` in it or above it up to the repository's root (the nearest folder
    /// holding `.git`; the filesystem's root outside a repository), else the defaults.
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
            // The walk ends at the repository's root (a `.git` folder, or the `.git` file of a
            // worktree or submodule): a file in a consultant's home or a CI workspace above
            // the checkout is not the project's, and must not change what its plans report.
            if ancestor.join(".git").exists() {
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
