//! The serde model of a plan file: what the YAML says, with spans.
//!
//! The same types derive the published JSON Schema (`odoo-order schema`, see
//! [`crate::schema`]); `Spanned<T>` is described as `T`. The attributes name nothing of this
//! crate: the schema generator adds the series, rule and module enums itself, so the plan
//! model depends on nothing above it (the catalog and the rule registry depend on it).

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde_saphyr::Spanned;

/// `go_live` and `until`: a `YYYY-MM-DD` date.
fn date(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["string", "null"],
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    })
}

/// The top level of a plan.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The Odoo series, `"17.0"`.
    #[schemars(with = "String")]
    pub odoo: Spanned<String>,
    /// `community` (default) or `enterprise`.
    #[serde(default)]
    #[schemars(with = "Option<Edition>")]
    pub edition: Option<Spanned<Edition>>,
    /// Where the database runs: `on-premise` (default), `odoo-sh` or `online`.
    #[serde(default)]
    #[schemars(with = "Option<Hosting>")]
    pub hosting: Option<Spanned<Hosting>>,
    /// Modules already installed and live in the client's database: a list of technical
    /// names, or `{from: apps.csv}`, a file relative to the plan with one name a line or a
    /// CSV exported from Odoo's Apps list.
    #[serde(default)]
    #[schemars(with = "Option<Installed>")]
    pub installed: Option<Spanned<crate::yaml::tree::Node>>,
    /// A title for reports.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub project: Option<Spanned<String>>,
    /// Directories of real addons, relative to the plan file.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub addons_path: Option<Vec<Spanned<String>>>,
    /// The companies of the database; absent means one implicit company.
    #[serde(default)]
    pub companies: Option<Vec<Company>>,
    /// The go-live phases.
    #[schemars(with = "Vec<Phase>")]
    pub phases: Spanned<Vec<Phase>>,
    /// Accepted findings.
    #[serde(default)]
    pub waivers: Option<Vec<Waiver>>,
}

/// The Odoo edition a plan targets.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Edition {
    /// Odoo Community: Enterprise-only modules are not available.
    #[default]
    Community,
    /// Odoo Enterprise.
    Enterprise,
}

/// Where the database runs.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Hosting {
    /// The client's or the partner's own servers: any module on the addons path.
    #[default]
    OnPremise,
    /// Odoo.sh: official modules and the project's own repositories.
    OdooSh,
    /// Odoo Online (SaaS): official Enterprise modules only.
    Online,
}

/// `installed`: the modules already live (its schema; the loader reads it as a tree).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Installed {
    /// Technical names.
    Names(Vec<String>),
    /// A file to read them from.
    From(InstalledFrom),
}

/// `installed: {from: apps.csv}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstalledFrom {
    /// A file relative to the plan: one technical name a line, or a CSV exported from
    /// Odoo's Apps list (a `name` or `Technical Name` column; with a `state` or `Status`
    /// column, only the installed rows count).
    pub from: String,
}

/// How a company values its stock.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Valuation {
    /// Manual (periodic) valuation, Odoo's default: stock moves post nothing.
    Periodic,
    /// Automated (perpetual) valuation: stock moves post valuation entries.
    Perpetual,
}

/// Where a company keeps its books.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Accounting {
    /// In Odoo (default).
    Odoo,
    /// Outside Odoo (an outside accountant, another system).
    External,
}

/// A company of the database.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Company {
    /// Identifier used by phases and waivers.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Display name.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// ISO 3166-1 alpha-2 country code.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub country: Option<Spanned<String>>,
    /// ISO 4217 currency code (`EUR`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub currency: Option<Spanned<String>>,
    /// How stock is valued: `periodic` (default) or `perpetual`.
    #[serde(default)]
    #[schemars(with = "Option<Valuation>")]
    pub valuation: Option<Spanned<Valuation>>,
    /// Where the books are kept: `odoo` (default) or `external`.
    #[serde(default)]
    #[schemars(with = "Option<Accounting>")]
    pub accounting: Option<Spanned<Accounting>>,
    /// With `accounting: external`, the day Odoo takes over the books, `YYYY-MM-DD`.
    #[serde(default)]
    #[schemars(schema_with = "date")]
    pub accounting_until: Option<Spanned<String>>,
}

/// A go-live phase.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Unique identifier.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Display name.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// Go-live date, `YYYY-MM-DD`.
    #[serde(default)]
    #[schemars(schema_with = "date")]
    pub go_live: Option<Spanned<String>>,
    /// Phases this one goes live after; absent means the previous phase in the list.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub after: Option<Spanned<Vec<Spanned<String>>>>,
    /// Companies whose operations go live in this phase; absent means all.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub companies: Option<Spanned<Vec<Spanned<String>>>>,
    /// Modules planned in this phase.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub modules: Option<Spanned<Vec<Spanned<String>>>>,
    /// What else the phase delivers: data migration, opening balances, training, cutover.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub milestones: Option<Vec<Spanned<String>>>,
}

/// An accepted finding.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// Rule code or name.
    #[schemars(with = "String")]
    pub rule: Spanned<String>,
    /// Only findings about this module.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub module: Option<Spanned<String>>,
    /// Only findings in this phase.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub phase: Option<Spanned<String>>,
    /// Only findings for this company.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub company: Option<Spanned<String>>,
    /// Why the finding is accepted (required).
    #[schemars(with = "String")]
    pub reason: Spanned<String>,
    /// Last day the waiver applies, `YYYY-MM-DD`.
    #[serde(default)]
    #[schemars(schema_with = "date")]
    pub until: Option<Spanned<String>>,
}
