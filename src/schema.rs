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
