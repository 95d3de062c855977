//! OO101 unknown-module.

use crate::catalog::{self, Elsewhere};
use crate::finding::{Finding, Severity, name_list};
use crate::graph::{Occurrence, PlanGraph};
use crate::plan;
use crate::rules::Context;
use crate::suggest::Suggester;

declare_rule! {
    /// ## What it does
    /// Reports a planned module that the plan's Odoo series does not have: not a Community
    /// module of the series, not an Enterprise module known by name, not in the addons path.
    /// It says so when the module belongs to another supported series (gone, merged or
    /// renamed, or new in a later one) and names the module that replaced it where there is
    /// one; otherwise it suggests the closest known names.
    ///
    /// In an `enterprise` plan, a name that is no likely typo of a known one is a warning: it
    /// may be an Enterprise module odoo-order does not know by name, whose manifest only the
    /// Enterprise checkout has. A localization module (`l10n_*`) that only a later series has
    /// is a warning too: Odoo adds what a country's law requires to the series it still
    /// supports in stable updates, after the manifests the catalog was read from.
    ///
    /// ## Why is this bad?
    /// An unknown name is usually a typo, or a module copied from a plan of another series.
    /// Odoo refuses to install a module it cannot find, and odoo-order cannot tell what the
    /// module depends on, so every ordering check that involves it is blind.
    ///
    /// ## Example
    /// ```yaml
    /// odoo: "18.0"
    /// phases:
    ///   - id: sales
    ///     modules: [sale_managment]          # OO101: did you mean `sale_management`?
    ///   - id: finance
    ///     modules: [account_audit_trail]     # OO101: merged into `account` in 18.0
    /// ```
    ///
    /// ## How to fix
    /// Correct the spelling, or plan the module that replaced it in this series. For an OCA,
    /// custom or Enterprise module, give odoo-order its addons directory with `--addons-path`
    /// (or `addons_path:` in the plan) so that its manifest is read.
    pub static RULE = {
        code: "OO101",
        name: "unknown-module",
        severity: Error,
        summary: "a module no catalog knows; suggests close names",
        check: check,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    let series = g.catalog().series();
    let enterprise_plan = g.plan.edition == plan::Edition::Enterprise;
    // One suggester for the run, built on the first unknown name: a plan of many misspelt
    // modules then costs a bounded number of comparisons per distinct name, not a scan of the
    // whole catalog for each (issue 9).
    let mut suggester: Option<Suggester<'_>> = None;
    for occ in &g.occurrences {
        let node = &g.modules[occ.module];
        if node.is_known() {
            continue;
        }
        let elsewhere = catalog::elsewhere(series, &node.name);
        let finding = if let Some(f) = other_series(g, occ, &node.name, &elsewhere) {
            f
        } else {
            let suggester = suggester.get_or_insert_with(|| {
                Suggester::new(g.catalog().modules().iter().map(|m| m.name.as_str()))
            });
            if enterprise_plan {
                unknown_in_enterprise(g, occ, &node.name, suggester)
            } else {
                unknown(g, occ, &node.name, suggester)
            }
        };
        out.push(
            finding
                .module(&node.name)
                .phase(&g.plan.phases[occ.phase].id.value),
        );
    }
}

/// "Odoo 17.0 and 18.0".
fn series_list(series: &[&str]) -> String {
    let list = name_list(series).replace('`', "");
    format!("Odoo {list}")
}

/// A Community module of other series only, or one replaced by now.
fn other_series(
    g: &PlanGraph<'_>,
    occ: &Occurrence,
    name: &str,
    elsewhere: &Elsewhere,
) -> Option<Finding> {
    let series = g.catalog().series();
    if let Some(r) = &elsewhere.replaced_by {
        let (how, help) = if r.merged {
            (
                format!("merged into `{}` in {}", r.module, r.since),
                format!("plan `{}` instead: the features are there", r.module),
            )
        } else {
            (
                format!("renamed `{}` in {}", r.module, r.since),
                format!("plan `{}` instead", r.module),
            )
        };
        let what = if elsewhere.community.is_empty() {
            format!("`{name}` is not a module of Odoo {series}")
        } else {
            format!(
                "`{name}` is a module of {}, not of {series}",
                series_list(&elsewhere.community)
            )
        };
        return Some(
            Finding::new(&RULE, occ.span, format!("{what}: it was {how}"))
                .label(format!("gone from Odoo {series}"))
                .help(help),
        );
    }
    if let Some(r) = &elsewhere.formerly {
        return Some(
            Finding::new(
                &RULE,
                occ.span,
                format!(
                    "`{name}` is new in Odoo {}: in {series}, the module is `{}`",
                    r.since, r.module
                ),
            )
            .label(format!("not in Odoo {series}"))
            .help(format!("plan `{}` instead", r.module)),
        );
    }
    let there = &elsewhere.community;
    if there.is_empty() {
        return None;
    }
    let rank = catalog::series_rank(series)?;
    let older = there
        .iter()
        .all(|s| catalog::series_rank(s).is_some_and(|r| r < rank));
    let newer = there
        .iter()
        .all(|s| catalog::series_rank(s).is_some_and(|r| r > rank));
    let (label, help) = if older {
        (
            format!("gone from Odoo {series}"),
            format!(
                "Odoo {series} removed or merged it: drop it, or plan what replaces it in {series}"
            ),
        )
    } else if name.starts_with("l10n_")
        && there
            .iter()
            .any(|s| catalog::series_rank(s).is_some_and(|r| r > rank))
    {
        return Some(later_localization(occ, name, there, series));
    } else if newer {
        (
            format!("new in Odoo {}", there[0]),
            format!(
                "it does not exist in {series}: drop it, or plan the rollout on a series that has it"
            ),
        )
    } else {
        (
            format!("not in Odoo {series}"),
            format!("it does not exist in {series}: drop it from this plan"),
        )
    };
    Some(
        Finding::new(
            &RULE,
            occ.span,
            format!(
                "`{name}` is a module of {}, not of {series}",
                series_list(there)
            ),
        )
        .label(label)
        .help(help),
    )
}

/// A localization module that a later series has (and maybe an earlier one). Odoo adds the modules a country's law
/// requires to the series it still supports, in stable updates (Veri*Factu reached 17.0 and
/// 18.0 that way), after the manifests our catalog was read from. Only the client's own Odoo
/// tree can say: a warning, not an error a sound plan on an up-to-date database could get.
fn later_localization(occ: &Occurrence, name: &str, there: &[&str], series: &str) -> Finding {
    Finding::new(
        &RULE,
        occ.span,
        format!(
            "`{name}` is a module of {}, not of {series} as odoo-order knows it",
            series_list(there)
        ),
    )
    .at_most(Severity::Warning)
    .label(format!("not in Odoo {series} as odoo-order knows it"))
    .help(format!(
        "Odoo adds legal localization modules to supported series in stable updates: give the \
         client's Odoo {series} checkout with `--addons-path` to check it there, or plan the \
         rollout on a series that has it"
    ))
}

/// A name no series knows, in a Community plan: most likely a typo.
fn unknown(
    g: &PlanGraph<'_>,
    occ: &Occurrence,
    name: &str,
    suggester: &mut Suggester<'_>,
) -> Finding {
    let suggestions =
        same_country(name, suggester).unwrap_or_else(|| suggester.suggestions(name, 3).to_vec());
    let help = if suggestions.is_empty() {
        "check the spelling; for an OCA or custom module, add its addons directory with `--addons-path`".to_owned()
    } else {
        format!(
            "did you mean {}?",
            name_list(&suggestions).replace(" and ", " or ")
        )
    };
    Finding::new(&RULE, occ.span, format!("unknown module `{name}`"))
        .label(format!("not in the Odoo {} catalog", g.catalog().series()))
        .help(help)
}

/// For a localization name (`l10n_fr_acount`), the closest modules of the same country: a
/// chart of another country is never what was meant.
fn same_country<'a>(name: &str, suggester: &Suggester<'a>) -> Option<Vec<&'a str>> {
    let head = name.strip_prefix("l10n_")?.split('_').next()?;
    catalog::localization_country(name)??;
    let prefix = format!("l10n_{head}");
    let family = suggester
        .neighbours(name)
        .into_iter()
        .filter(|m| *m == prefix || m.strip_prefix(&prefix).is_some_and(|r| r.starts_with('_')));
    let found = crate::suggest::closest(name, family, 3);
    (!found.is_empty()).then_some(found)
}

/// A name no series knows, in an Enterprise plan: an error only when it is a likely typo of a
/// known name, since odoo-order knows Enterprise by name and not completely.
fn unknown_in_enterprise(
    g: &PlanGraph<'_>,
    occ: &Occurrence,
    name: &str,
    suggester: &Suggester<'_>,
) -> Finding {
    let series = g.catalog().series();
    // A name one or two edits away keeps most of its beginning or of its end, so it is among
    // the neighbours the suggester would score.
    if let Some(typo_of) = likely_typo(name, suggester.neighbours(name)) {
        return Finding::new(&RULE, occ.span, format!("unknown module `{name}`"))
            .label(format!("not in the Odoo {series} catalog"))
            .help(format!("did you mean `{typo_of}`?"));
    }
    Finding::new(
        &RULE,
        occ.span,
        format!(
            "unknown module `{name}`: neither a Community module of Odoo {series} nor a known Enterprise one"
        ),
    )
    .at_most(Severity::Warning)
    .label(format!("unknown to the Odoo {series} catalog"))
    .help(
        "if it is an Enterprise, OCA or custom module, give its addons directory with `--addons-path` (the Enterprise checkout for Enterprise modules) so that its manifest is read; otherwise check the spelling",
    )
}

/// The known name `name` is most likely a misspelling of: one edit away (two for long names),
/// where an edit inserts, deletes or replaces a character or swaps two neighbours. A different
/// country code is a different localization, not a typo (`l10n_be_reports`, `l10n_fr_reports`).
pub fn likely_typo<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let chars = name.chars().count();
    let budget = if chars >= 14 { 2 } else { 1 };
    // Lengths further apart than the budget are more edits apart: not compared, so a huge
    // name costs no quadratic edit distance.
    known
        .into_iter()
        .filter(|k| *k != name && !other_country(name, k))
        .filter(|k| k.chars().count().abs_diff(chars) <= budget)
        .map(|k| (strsim::osa_distance(name, k), k))
        .filter(|(d, _)| *d <= budget)
        .min()
        .map(|(_, k)| k)
}

/// Whether both names are localizations of two different two-letter countries.
fn other_country(a: &str, b: &str) -> bool {
    let country = |n: &str| {
        n.strip_prefix("l10n_")
            .and_then(|rest| rest.split('_').next())
            .filter(|cc| cc.len() == 2)
            .map(str::to_owned)
    };
    matches!((country(a), country(b)), (Some(x), Some(y)) if x != y)
}

#[cfg(test)]
mod tests {
    use super::likely_typo;

    #[test]
    fn typos_are_one_or_two_edits_but_not_another_country() {
        let known = [
            "sale_management",
            "l10n_fr_account",
            "l10n_fr_reports",
            "delivery_dhl",
            "helpdesk",
        ];
        assert_eq!(
            likely_typo("sale_managment", known),
            Some("sale_management")
        );
        assert_eq!(
            likely_typo("l10n_fr_acount", known),
            Some("l10n_fr_account")
        );
        assert_eq!(likely_typo("helpdesks", known), Some("helpdesk"));
        // Two edits on a short name, and another country's module, are other modules.
        assert_eq!(likely_typo("delivery_gls", known), None);
        assert_eq!(likely_typo("l10n_be_reports", known), None);
        assert_eq!(likely_typo("helpdesk_sale", known), None);
    }
}
