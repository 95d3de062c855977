//! What the rules share: wording and lookups for messages, and the predicates more than one
//! rule asks, so that each is written once and no rule imports another rule's file. Graph
//! walks are not here: they belong to `crate::graph`, which `inspect` reads too.

use crate::graph::{OccId, PlanGraph};

/// The module name of an occurrence.
pub fn occ_module<'a>(g: &'a PlanGraph<'_>, o: OccId) -> &'a str {
    g.name(g.occurrences[o].module)
}

/// The phase id of an occurrence.
pub fn occ_phase<'a>(g: &'a PlanGraph<'_>, o: OccId) -> &'a str {
    &g.plan.phases[g.occurrences[o].phase].id.value
}

/// A phase's id.
pub fn phase_id<'a>(g: &'a PlanGraph<'_>, q: usize) -> &'a str {
    &g.plan.phases[q].id.value
}

/// "company `acme_fr`" or "the company" when the plan declares none.
pub fn company_phrase(g: &PlanGraph<'_>, c: usize) -> String {
    companies_phrase(g, &[c])
}

/// "company `a`", "companies `a` and `b`", or "the company" when the plan declares none;
/// past four, "companies `a`, `b`, `c` and 17 more" (findings list them all in `companies`).
pub fn companies_phrase(g: &PlanGraph<'_>, cs: &[usize]) -> String {
    let ids: Vec<&str> = cs.iter().filter_map(|&c| g.company_id(c)).collect();
    match ids.as_slice() {
        [] => "the company".to_owned(),
        [one] => format!("company `{one}`"),
        many => format!("companies {}", short_list(many)),
    }
}

/// Names as a list for a message, the first three and a count past four: a message stays a
/// line however large the plan.
pub fn short_list(names: &[&str]) -> String {
    if names.len() > 4 {
        format!(
            "{} and {} more",
            crate::finding::name_list(&names[..3]).replace(" and ", ", "),
            names.len() - 3
        )
    } else {
        crate::finding::name_list(names)
    }
}
