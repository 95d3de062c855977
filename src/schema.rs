//! The plan's JSON Schema (draft-07, which the VS Code YAML extension reads), derived by
//! schemars from the same serde types that load plans ([`crate::plan::raw`]), so the schema
//! cannot drift from the loader. Rule codes and names are an enum for waivers' `rule`; module
//! names are offered as an enum with a plain-string fallback, so editors complete the catalog's
//! names without rejecting OCA or custom modules.

use schemars::generate::SchemaSettings;
use schemars::{Schema, json_schema};

use crate::catalog::{Catalog, SUPPORTED_SERIES};
use crate::plan::raw;
use crate::rules::RULES;

/// Where the repository keeps the plan's schema, as `odoo-order schema` prints it (a test
/// keeps the file fresh).
pub const PLAN_SCHEMA_FILE: &str = "docs/plan.schema.json";

/// Where the repository keeps the configuration's schema, as `odoo-order schema --config`
/// prints it.
pub const CONFIG_SCHEMA_FILE: &str = "docs/config.schema.json";

/// The address of a schema file of this version's tag, for the
/// `# yaml-language-server: $schema=` line: an editor fetches it with no setup.
pub fn schema_url(file: &str) -> String {
    let raw = env!("CARGO_PKG_REPOSITORY").replacen("github.com", "raw.githubusercontent.com", 1);
    format!("{raw}/v{}/{file}", env!("CARGO_PKG_VERSION"))
}

/// The first line of a plan `init` writes: the YAML language server (VS Code, Neovim, Helix,
/// Zed) then completes and validates the plan against its schema.
pub fn plan_modeline() -> String {
    format!(
        "# yaml-language-server: $schema={}\n",
        schema_url(PLAN_SCHEMA_FILE)
    )
}

/// The schema of a plan file, as pretty-printed JSON with a trailing newline.
pub fn plan_schema() -> String {
    let mut schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<raw::Plan>();
    // The plan model does not know the catalog or the rules (they depend on it): their
    // names are added here.
    refine(&mut schema, "/properties/odoo", series());
    refine(
        &mut schema,
        "/definitions/Phase/properties/modules",
        modules(),
    );
    refine(&mut schema, "/definitions/Waiver/properties/rule", rule());
    schema.insert("title".into(), "odoo-order plan".into());
    schema.insert(
        "description".into(),
        "An Odoo implementation plan: which modules go live in which phase, for which company. \
         Checked by `odoo-order check`."
            .into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Gives a property the schema `refined`, keeping the description and default schemars took
/// from the field (its doc comment and `#[serde(default)]`), in the places they had when the
/// plan model named these functions itself.
fn refine(schema: &mut Schema, pointer: &str, refined: Schema) {
    let Some(property) = schema.pointer_mut(pointer) else {
        // Only reachable if the plan model renames a field: the schema test then fails on the
        // missing enum, which is the place to notice it.
        return;
    };
    let mut refined = refined.to_value();
    if let (Some(out), Some(generated)) = (refined.as_object_mut(), property.as_object()) {
        for key in ["description", "default"] {
            if let Some(value) = generated.get(key) {
                out.insert(key.to_owned(), value.clone());
            }
        }
    }
    *property = refined;
}

/// The schema of `odoo-order.yaml`, as pretty-printed JSON with a trailing newline.
///
/// Written out rather than derived: the configuration's serde types keep spans, which say
/// nothing to an editor. The test below loads a file using every property named here, so a
/// key the loader stops accepting fails it.
pub fn config_schema() -> String {
    let names: Vec<&str> = RULES.iter().flat_map(|r| [r.code, r.name]).collect();
    let strings = |description: &str| {
        json_schema!({
            "description": description,
            "type": "array",
            "items": {"type": "string"},
        })
    };
    let modules = json_schema!({"type": "array", "items": {"type": "string"}});
    let schema = json_schema!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "odoo-order configuration",
        "description": "odoo-order.yaml: settings for the plans below this file. Every key is optional.",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "rules": {
                "description": "Per rule, by code or name: its level.",
                "type": "object",
                "propertyNames": {"enum": names},
                "additionalProperties": {"enum": ["allow", "info", "warn", "deny"]},
            },
            "fail_on": {
                "description": "The lowest severity that makes `check` exit 1; `--fail-on` wins.",
                "enum": ["error", "warning", "info"],
            },
            "extra_rules": strings("Files in the format of rules/layers.yaml and rules/journal-entries.yaml, relative to this file."),
            "layers": {
                "description": "Layer overrides, applied after extra_rules: module names or globs per layer; `none` pins a module to no layer.",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "accounting": modules,
                    "operations": modules,
                    "commercial": modules,
                    "crm": modules,
                    "none": modules,
                },
            },
            "addons_path": strings("Addons directories, relative to this file, for plans that name none."),
            "include": strings("More plan names for directory walks (globs, as in .gitignore)."),
            "exclude": strings("Paths skipped by directory walks (globs, as in .gitignore)."),
        },
    });
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// `odoo`: one of the supported series.
fn series() -> Schema {
    json_schema!({
        "description": "The Odoo series; selects the built-in catalog.",
        "type": "string",
        "enum": SUPPORTED_SERIES,
    })
}

/// A waiver's `rule`: a rule code or name.
fn rule() -> Schema {
    let names: Vec<&str> = RULES.iter().flat_map(|r| [r.code, r.name]).collect();
    json_schema!({
        "description": "A rule code (`OO201`) or name (`dependency-in-later-phase`).",
        "type": "string",
        "enum": names,
    })
}

/// A phase's `modules`: the catalog's names first, any other name allowed.
fn modules() -> Schema {
    let mut names: Vec<String> = SUPPORTED_SERIES
        .iter()
        .filter_map(|s| Catalog::builtin(s).ok())
        .flat_map(|c| {
            c.modules()
                .iter()
                .map(|m| m.name.clone())
                .collect::<Vec<_>>()
        })
        .collect();
    names.sort();
    names.dedup();
    json_schema!({
        "description": "Modules planned in this phase (technical names).",
        "type": ["array", "null"],
        "items": {
            "anyOf": [
                {"enum": names},
                {"type": "string"},
            ]
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every property the schema offers is one the loader accepts, and the schema is closed
    /// (an editor flags what the loader would refuse).
    #[test]
    fn the_config_schema_matches_the_loader() {
        let schema: serde_json::Value = serde_json::from_str(&config_schema()).unwrap();
        assert_eq!(schema["additionalProperties"], false);
        let properties = schema["properties"].as_object().unwrap();
        assert_eq!(properties.len(), 7);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("addons/m")).unwrap();
        std::fs::write(
            dir.path().join("addons/m/__manifest__.py"),
            "{'name': 'M'}\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("extra.yaml"), "{}\n").unwrap();
        let mut yaml = String::new();
        for key in properties.keys() {
            yaml.push_str(match key.as_str() {
                "rules" => "rules: {OO203: allow, layer-order: deny}\n",
                "fail_on" => "fail_on: warning\n",
                "extra_rules" => "extra_rules: [extra.yaml]\n",
                "layers" => "layers: {accounting: [account], operations: [stock], commercial: [sale], crm: [crm], none: [website_crm]}\n",
                "addons_path" => "addons_path: [addons]\n",
                "include" => "include: ['*.odoo.yaml']\n",
                "exclude" => "exclude: [archive]\n",
                other => panic!("no sample for `{other}`"),
            });
        }
        let path = dir.path().join("odoo-order.yaml");
        std::fs::write(&path, &yaml).unwrap();
        let loaded = crate::config::Config::load(&path, &crate::config::Overrides::default());
        assert!(loaded.is_ok(), "{yaml}: {loaded:?}");
    }
}
