//! Mandatory e-invoicing per country (`rules/einvoicing.yaml`): from when a country's law binds
//! a company, and which module of each Odoo series meets it. The built-in file is embedded and
//! parsed once; tests hold it to the built-in catalogs, so a module named here exists in its
//! series with the edition given.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use serde::Deserialize;

use crate::catalog::{Edition, SUPPORTED_SERIES};
use crate::date::Date;
use crate::error::{Error, Problem};
use crate::source::SourceFile;
use crate::yaml;

/// The built-in mandates file, as embedded.
pub const BUILTIN_FILE: (&str, &str) = (
    "rules/einvoicing.yaml",
    include_str!("../rules/einvoicing.yaml"),
);

/// One country's e-invoicing obligation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mandate {
    /// Stable kebab-case name of the entry (`be-peppol-b2b`).
    pub id: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    /// What the mandate is usually called (`Peppol B2B e-invoicing`).
    pub name: String,
    /// Which invoices it covers.
    pub scope: String,
    /// Set when only some companies of the country are bound (a threshold, a region, sales to
    /// public bodies), which a plan does not tell.
    pub condition: Option<String>,
    /// From when it binds; `None` when no date is established.
    pub effective: Option<Date>,
    /// Where [`Mandate::effective`] comes from.
    pub effective_source: Option<String>,
    /// Per series, the modules meeting it (any one suffices). A series absent here has no
    /// module established for it.
    pub modules: BTreeMap<String, Vec<MandateModule>>,
    /// Odoo documentation pages describing it.
    pub docs: Vec<String>,
    /// The legal text, when cited.
    pub law: Option<String>,
    /// What a reader should know, including what could not be established.
    pub note: Option<String>,
}

/// A module that meets a mandate in one series.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MandateModule {
    /// Technical name (`account_peppol`).
    pub name: String,
    /// Whether it ships with Community or only with Enterprise.
    pub edition: Edition,
}

impl Mandate {
    /// The modules that meet it in `series`; empty when none is established there.
    pub fn modules_for(&self, series: &str) -> &[MandateModule] {
        self.modules.get(series).map_or(&[], Vec::as_slice)
    }

    /// Whether it binds every company of its country, so a plan can be judged against it.
    pub fn binds_every_company(&self) -> bool {
        self.condition.is_none()
    }

    /// Whether one of its modules for `series` is installed.
    pub fn is_met_by(&self, series: &str, installed: impl Fn(&str) -> bool) -> bool {
        self.modules_for(series).iter().any(|m| installed(&m.name))
    }
}

/// Every known mandate, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mandates {
    list: Vec<Mandate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    mandates: Vec<RawMandate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMandate {
    id: String,
    country: String,
    name: String,
    scope: String,
    #[serde(default)]
    condition: Option<String>,
    #[serde(default)]
    effective: Option<String>,
    #[serde(default)]
    effective_source: Option<String>,
    #[serde(default)]
    modules: BTreeMap<String, Vec<MandateModule>>,
    #[serde(default)]
    docs: Vec<String>,
    #[serde(default)]
    law: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

const CODE: &str = crate::error::codes::RULES_EINVOICING;

/// The built-in mandates.
pub fn builtin() -> &'static Mandates {
    static BUILTIN: LazyLock<Mandates> = LazyLock::new(|| {
        let (name, text) = BUILTIN_FILE;
        // The file is compiled in and `tests/einvoicing_data.rs` parses it, so a broken
        // built-in file cannot pass CI: a failure here is a build defect, not user input.
        #[allow(clippy::expect_used)]
        Mandates::parse(&SourceFile::new(name, name, text))
            .expect("rules/einvoicing.yaml is valid: tests/einvoicing_data.rs parses it")
    });
    &BUILTIN
}

/// The built-in mandates of `country` that name a module for `series`
/// (see [`Mandates::mandates_for`]).
pub fn mandates_for<'a>(
    country: &'a str,
    series: &'a str,
) -> impl Iterator<Item = &'static Mandate> + 'a {
    builtin().mandates_for(country, series)
}

/// The built-in mandates a company of `country` fails at a phase going live on `go_live`
/// (see [`Mandates::unmet`]).
pub fn unmet<'a, F: Fn(&str) -> bool + 'a>(
    country: &'a str,
    series: &'a str,
    go_live: Date,
    installed: F,
) -> impl Iterator<Item = &'static Mandate> + use<'a, F> {
    builtin().unmet(country, series, go_live, installed)
}

impl Mandates {
    /// Parses and validates a mandates file: unknown keys, dates that are not `YYYY-MM-DD`,
    /// unknown countries or series, duplicate ids, a date without its source, and an entry
    /// without a source are all refused, every problem at once.
    pub fn parse(file: &SourceFile) -> Result<Self, Error> {
        let raw: RawFile = serde_saphyr::from_str_with_options(file.text(), yaml::options())
            .map_err(|err| {
                Error::invalid(
                    file.clone(),
                    yaml::RULES.noun,
                    vec![yaml::problem(file, &err, &yaml::RULES)],
                )
            })?;
        let mut problems = Vec::new();
        let mut ids = BTreeSet::new();
        let mut list = Vec::with_capacity(raw.mandates.len());
        for m in raw.mandates {
            let mut bad = |message: String| problems.push(Problem::whole_file(CODE, message));
            let id = m.id;
            if !is_kebab(&id) {
                bad(format!("mandate id `{id}` is not kebab-case"));
            }
            if !ids.insert(id.clone()) {
                bad(format!("mandate id `{id}` is given twice"));
            }
            if !crate::country::is_iso_alpha2(&m.country) {
                bad(format!(
                    "mandate `{id}`: `{}` is not an ISO 3166-1 alpha-2 code in upper case",
                    m.country
                ));
            }
            let effective = m.effective.as_deref().and_then(|text| {
                Date::parse(text)
                    .map_err(|e| bad(format!("mandate `{id}`: {e}")))
                    .ok()
            });
            match (&m.effective, &m.effective_source) {
                (Some(_), None) => bad(format!(
                    "mandate `{id}`: `effective` needs `effective_source`, saying where the date comes from"
                )),
                (None, Some(_)) => bad(format!(
                    "mandate `{id}`: `effective_source` without `effective`"
                )),
                _ => {}
            }
            for (series, modules) in &m.modules {
                if !SUPPORTED_SERIES.contains(&series.as_str()) {
                    bad(format!(
                        "mandate `{id}`: series `{series}` is not supported (supported: {})",
                        SUPPORTED_SERIES.join(", ")
                    ));
                }
                if modules.is_empty() {
                    bad(format!(
                        "mandate `{id}`: series `{series}` lists no module; leave the series out instead"
                    ));
                }
                for module in modules {
                    if !crate::apps_list::is_technical_name(&module.name) {
                        bad(format!(
                            "mandate `{id}`: `{}` is not a technical module name",
                            module.name
                        ));
                    }
                }
            }
            if m.docs.is_empty() && m.law.is_none() {
                bad(format!(
                    "mandate `{id}` has no source: give `docs` or `law`"
                ));
            }
            for url in &m.docs {
                if !is_docs_url(url) {
                    bad(format!(
                        "mandate `{id}`: `{url}` is not an Odoo documentation page of a supported series"
                    ));
                }
            }
            list.push(Mandate {
                id,
                country: m.country,
                name: m.name,
                scope: m.scope,
                condition: m.condition,
                effective,
                effective_source: m.effective_source,
                modules: m.modules,
                docs: m.docs,
                law: m.law,
                note: m.note,
            });
        }
        if problems.is_empty() {
            Ok(Self { list })
        } else {
            Err(Error::invalid(file.clone(), yaml::RULES.noun, problems))
        }
    }

    /// Every mandate, in file order.
    pub fn all(&self) -> &[Mandate] {
        &self.list
    }

    /// The mandates of `country` (ISO alpha-2, any case), whether or not Odoo meets them.
    pub fn for_country<'s, 'q>(
        &'s self,
        country: &'q str,
    ) -> impl Iterator<Item = &'s Mandate> + use<'s, 'q> {
        self.list
            .iter()
            .filter(move |m| m.country.eq_ignore_ascii_case(country))
    }

    /// The mandates of `country` that a module of `series` meets: the ones a plan of that
    /// series can be held to, and fixed by planning the module.
    pub fn mandates_for<'s, 'q>(
        &'s self,
        country: &'q str,
        series: &'q str,
    ) -> impl Iterator<Item = &'s Mandate> + use<'s, 'q> {
        self.for_country(country)
            .filter(move |m| !m.modules_for(series).is_empty())
    }

    /// The mandates that a company of `country` leaves unmet in a phase going live on
    /// `go_live`, given what is installed at or before that phase (`installed`, the closure
    /// under `depends` and `auto_install`). Only mandates that bind every company of the
    /// country, have an established date on or before `go_live`, and name a module for
    /// `series` can be judged; the others are never reported.
    pub fn unmet<'s, 'q, F: Fn(&str) -> bool + 'q>(
        &'s self,
        country: &'q str,
        series: &'q str,
        go_live: Date,
        installed: F,
    ) -> impl Iterator<Item = &'s Mandate> + use<'s, 'q, F> {
        self.mandates_for(country, series).filter(move |m| {
            m.binds_every_company()
                && m.effective.is_some_and(|from| from <= go_live)
                && !m.is_met_by(series, &installed)
        })
    }
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `https://www.odoo.com/documentation/<series>/<page>.html` for a supported series.
fn is_docs_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://www.odoo.com/documentation/") else {
        return false;
    };
    let Some((series, page)) = rest.split_once('/') else {
        return false;
    };
    SUPPORTED_SERIES.contains(&series)
        && page.len() > ".html".len()
        && std::path::Path::new(page)
            .extension()
            .is_some_and(|ext| ext == "html")
        && !page.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Mandates, String> {
        Mandates::parse(&SourceFile::new("t.yaml", "t.yaml", text)).map_err(|e| match e {
            Error::Invalid(invalid) => invalid
                .problems
                .iter()
                .map(|p| p.message.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            other => other.to_string(),
        })
    }

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    const ONE: &str = "mandates:
  - id: xx-test
    country: BE
    name: test
    scope: every invoice
    effective: 2026-01-01
    effective_source: a test
    modules:
      \"17.0\": [{name: account_peppol, edition: community}]
      \"18.0\": [{name: a_one, edition: community}, {name: a_two, edition: enterprise}]
    docs: [https://www.odoo.com/documentation/17.0/applications/x.html]
";

    #[test]
    fn the_builtin_file_parses() {
        let all = builtin().all();
        assert!(all.len() >= 6, "{all:?}");
        for country in ["BE", "IT", "IN", "MX", "ES", "FR"] {
            assert!(
                builtin().for_country(country).next().is_some(),
                "no mandate for {country}"
            );
        }
    }

    #[test]
    fn belgium_needs_peppol_from_2026_in_every_series() {
        for series in SUPPORTED_SERIES {
            let found: Vec<&str> = mandates_for("be", series).map(|m| m.id.as_str()).collect();
            assert_eq!(found, ["be-peppol-b2b"], "{series}");
            let before = unmet("BE", series, date("2025-12-31"), |_| false).count();
            assert_eq!(before, 0, "not yet in force on 2025-12-31");
            let on: Vec<&str> = unmet("BE", series, date("2026-01-01"), |_| false)
                .map(|m| m.id.as_str())
                .collect();
            assert_eq!(on, ["be-peppol-b2b"]);
            let met = unmet("BE", series, date("2026-06-01"), |m| m == "account_peppol").count();
            assert_eq!(met, 0, "account_peppol meets it");
        }
    }

    #[test]
    fn conditional_undated_or_moduleless_mandates_are_never_reported() {
        // India: no date. Spain: every mandate depends on who the company is. France: no
        // module established for the reform, and Chorus Pro binds sales to public bodies only.
        for country in ["IN", "ES", "FR"] {
            for series in SUPPORTED_SERIES {
                assert_eq!(
                    unmet(country, series, date("2030-01-01"), |_| false).count(),
                    0,
                    "{country} {series}"
                );
            }
        }
        assert!(builtin().for_country("FR").any(|m| m.id == "fr-b2b-2026"));
        assert_eq!(
            mandates_for("FR", "19.0")
                .filter(|m| m.id.starts_with("fr-b2b"))
                .count(),
            0
        );
    }

    #[test]
    fn mexico_has_no_module_for_19_and_an_enterprise_one_before() {
        assert_eq!(mandates_for("MX", "19.0").count(), 0);
        let mx = mandates_for("MX", "17.0").next().unwrap();
        assert_eq!(mx.modules_for("17.0")[0].name, "l10n_mx_edi");
        assert_eq!(mx.modules_for("17.0")[0].edition, Edition::Enterprise);
        assert_eq!(
            unmet("MX", "18.0", date("2026-01-01"), |_| false).count(),
            1
        );
        assert_eq!(
            unmet("MX", "19.0", date("2026-01-01"), |_| false).count(),
            0
        );
    }

    #[test]
    fn any_listed_module_meets_a_mandate_and_countries_ignore_case() {
        let m = parse(ONE).unwrap();
        let on = date("2026-01-01");
        assert_eq!(m.unmet("be", "18.0", on, |_| false).count(), 1);
        assert_eq!(m.unmet("Be", "18.0", on, |n| n == "a_two").count(), 0);
        assert_eq!(
            m.unmet("BE", "18.0", on, |n| n == "account_peppol").count(),
            1
        );
        assert_eq!(
            m.unmet("BE", "19.0", on, |_| false).count(),
            0,
            "no module for 19.0"
        );
        assert_eq!(m.unmet("FR", "18.0", on, |_| false).count(), 0);
        assert_eq!(
            m.all()[0].modules_for("18.0")[1].edition,
            Edition::Enterprise
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = "mandates:
  - id: Bad_Id
    country: XX
    name: n
    scope: s
    effective: 2026-02-30
    modules:
      \"16.0\": [{name: Not-A-Name, edition: community}]
      \"17.0\": []
    docs: [http://example.com/x]
  - id: Bad_Id
    country: FR
    name: n
    scope: s
    effective_source: nowhere
";
        let err = parse(bad).unwrap_err();
        for needle in [
            "not kebab-case",
            "given twice",
            "`XX` is not an ISO",
            "not a date in the calendar",
            "needs `effective_source`",
            "`effective_source` without `effective`",
            "series `16.0` is not supported",
            "`Not-A-Name` is not a technical module name",
            "series `17.0` lists no module",
            "is not an Odoo documentation page",
            "has no source",
        ] {
            assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
        }
    }

    #[test]
    fn unknown_keys_and_editions_are_refused() {
        let err = parse(&ONE.replace("scope:", "scop:")).unwrap_err();
        assert!(err.contains("scop"), "{err}");
        let err = parse(&ONE.replace("edition: enterprise", "edition: online")).unwrap_err();
        assert!(err.contains("online"), "{err}");
        let err = parse(&ONE.replace("{name: account_peppol,", "{name: account_peppol, why: x,"))
            .unwrap_err();
        assert!(err.contains("why"), "{err}");
    }

    #[test]
    fn docs_urls_must_name_a_supported_series_page() {
        assert!(is_docs_url(
            "https://www.odoo.com/documentation/18.0/applications/finance/fiscal_localizations/belgium.html"
        ));
        assert!(!is_docs_url(
            "https://www.odoo.com/documentation/16.0/a.html"
        ));
        assert!(!is_docs_url(
            "https://www.odoo.com/documentation/18.0/.html"
        ));
        assert!(!is_docs_url(
            "https://www.odoo.com/documentation/18.0/a b.html"
        ));
        assert!(!is_docs_url(
            "https://example.com/documentation/18.0/a.html"
        ));
        assert!(is_kebab("be-peppol-b2b") && !is_kebab("-a") && !is_kebab("a--b") && !is_kebab(""));
    }
}
