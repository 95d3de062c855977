//! What the rules share: wording and lookups for messages, and the predicates more than one
//! rule asks, so that each is written once and no rule imports another rule's file. Graph
//! walks are not here: they belong to `crate::graph`, which `inspect` reads too.

use std::cell::RefCell;
use std::collections::HashSet;

use crate::graph::{ModId, OccId, PhaseId, PhaseSet, PlanGraph};
use crate::modgraph::Reaches;
use crate::ruledata::Layer;

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

// ----- accounting first (OO301, and OO302 which leaves to it what touches the books) -----

/// Inventory before accounting, when the plan does not say how the company values stock.
pub(crate) const STOCK: &str = "receipts validated before accounting get no valuation layers, so the opening stock must be revalued; under automated (perpetual) valuation its moves post on accounts nobody has configured";

/// What going live before accounting does to a planned module's company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Need {
    /// It touches the books: OO301, with the reason that holds for the module.
    Books(String),
    /// A later layer that touches no books: practice only, OO302.
    Practice,
}

/// The modules that install `account` through an auto-install bridge they trigger, per phase
/// where such a bridge lands: worked out once per plan from what each phase adds.
pub(crate) fn bridge_installers(
    g: &PlanGraph<'_>,
) -> std::collections::HashMap<(PhaseId, ModId), ModId> {
    let mut out = std::collections::HashMap::new();
    let Some(account) = g.module_id("account") else {
        return out;
    };
    for (q, installs) in g.installs.iter().enumerate() {
        // Only where a bridge is what brings `account` into the phase.
        if g.reason(q, account).is_none() {
            continue;
        }
        let root = g.install_chain(q, account).first().copied();
        for (a, reason) in &installs.added {
            if let crate::graph::Reason::AutoInstalled { triggers } = reason
                && root == Some(*a)
            {
                for &t in triggers {
                    out.entry((q, t)).or_insert(*a);
                }
            }
        }
    }
    out
}

/// "it installs sales: " for a module that brings the application in, nothing for the
/// application itself.
fn installs(
    g: &PlanGraph<'_>,
    node: &crate::modgraph::ModuleNode,
    app: &str,
    what: &str,
) -> String {
    let own = node.name == app
        || g.module_id(&node.name).is_some_and(|m| {
            g.depends(m).iter().any(|&d| g.name(d) == app) && node.name.starts_with(app)
        });
    if own {
        String::new()
    } else {
        format!("it installs {what}: ")
    }
}

/// Whether a planned module needs the company's accounting before it goes live, and why.
pub(crate) fn need(
    g: &PlanGraph<'_>,
    o: OccId,
    bridges: &std::collections::HashMap<(PhaseId, ModId), ModId>,
) -> Option<Need> {
    let occ = &g.occurrences[o];
    // Already live in the database: the plan does not change when it goes live.
    if g.is_preinstalled(occ.module) {
        return None;
    }
    let node = &g.modules[occ.module];
    match node.layer {
        Some(Layer::Accounting) => return None,
        None if node.posts_entries.is_none() => return None,
        _ => {}
    }
    let r = node.reaches;
    let books = if r.has(Reaches::POINT_OF_SALE) {
        Some("a point-of-sale session cannot be opened without a chart of accounts, and each closing posts an entry".to_owned())
    } else if let Some((_, what)) = &node.posts_entries {
        Some(format!("it posts {what}"))
    } else if r.has(Reaches::SALE) {
        Some(format!(
            "{}customer invoices need the chart of accounts, taxes and journals",
            installs(g, node, "sale", "sales")
        ))
    } else if r.has(Reaches::PURCHASE) {
        Some(format!(
            "{}vendor bills need the chart of accounts, taxes and journals",
            installs(g, node, "purchase", "purchase")
        ))
    } else if r.has(Reaches::STOCK) {
        Some(STOCK.to_owned())
    } else if r.has(Reaches::ACCOUNT) {
        let chain = g
            .module_id("account")
            .map(|a| g.install_chain(occ.phase, a))
            .unwrap_or_default();
        let through = if chain.len() > 2 && chain[0] == occ.module {
            format!(
                " through {}",
                crate::finding::chain_text(&chain.iter().map(|&m| g.name(m)).collect::<Vec<_>>())
            )
        } else {
            String::new()
        };
        Some(format!(
            "it installs `account`{through}, which then runs with no chart of accounts configured"
        ))
    } else {
        bridges.get(&(occ.phase, occ.module)).map(|&b| {
            format!(
                "it triggers `{}`, which installs `account` with no chart of accounts configured",
                g.name(b)
            )
        })
    };
    Some(books.map_or(Need::Practice, Need::Books))
}

/// Companies grouped by their accounting phases.
pub(crate) struct Classes<'g> {
    /// Each company's class.
    pub of: Vec<usize>,
    /// Each class's accounting phases (sorted).
    pub phases: Vec<&'g [PhaseId]>,
    /// Each class's accounting phases, ready for [`PlanGraph::reached_by`].
    pub sets: Vec<PhaseSet>,
    /// For each class, the modules planned in its accounting phases, worked out when first
    /// needed.
    planned: RefCell<Vec<Option<HashSet<ModId>>>>,
    /// Each class's first accounting phase, if any.
    pub first: Vec<Option<PhaseId>>,
}

impl<'g> Classes<'g> {
    pub fn new(g: &'g PlanGraph<'_>) -> Self {
        // Companies with the same accounting phases share one list (see
        // `PlanGraph::layer_phases_by_company`), so the list's address names the class.
        let mut index: std::collections::HashMap<*const [PhaseId], usize> =
            std::collections::HashMap::new();
        let mut out = Self {
            of: Vec::with_capacity(g.companies.len()),
            phases: Vec::new(),
            sets: Vec::new(),
            planned: RefCell::new(Vec::new()),
            first: Vec::new(),
        };
        for acc in &g.accounting_phases {
            let k = *index.entry(std::sync::Arc::as_ptr(acc)).or_insert_with(|| {
                out.phases.push(acc);
                out.sets.push(g.phase_set(acc));
                out.first
                    .push(g.earliest(acc).next().or_else(|| acc.first().copied()));
                out.phases.len() - 1
            });
            out.of.push(k);
        }
        out
    }

    /// Whether OO301 applies to occurrence `o` for the companies of class `k`: they have an
    /// accounting phase, and none is or precedes the occurrence's phase.
    pub fn before_accounting(&self, g: &PlanGraph<'_>, k: usize, o: OccId) -> bool {
        let q = g.occurrences[o].phase;
        !self.phases[k].is_empty() && !g.reached_by(&self.sets[k], q)
    }

    /// The accounting phase occurrence `o` goes live too early for, for class `k`.
    pub(crate) fn too_early(&self, g: &PlanGraph<'_>, k: usize, o: OccId) -> Option<PhaseId> {
        if !self.before_accounting(g, k, o) {
            return None;
        }
        if !g.late_dependencies_of(o).is_empty() {
            let mut planned = self.planned.borrow_mut();
            if planned.len() < self.phases.len() {
                planned.resize(self.phases.len(), None);
            }
            let modules = planned[k].get_or_insert_with(|| g.modules_planned_in(self.phases[k]));
            if g.has_late_dependency_among(o, modules) {
                return None;
            }
        }
        self.first[k]
    }
}
