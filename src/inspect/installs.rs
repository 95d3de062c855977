//! `installs`: for each phase in go-live order, what Odoo installs when it goes live.

use fixedbitset::FixedBitSet;
use serde::Serialize;

use super::{Posting, names, phase_companies, posting, predecessors};
use crate::graph::{CompanyId, ModId, PhaseId, PlanGraph, Reason};
use crate::plan::Valuation;

/// What a plan installs, phase by phase. Serialises as the `installs --format json` document,
/// whose field names are a public contract: add fields, never rename them.
#[derive(Debug, Clone, Serialize)]
pub struct Installs {
    /// Format version.
    pub version: u32,
    /// The plan file, as named on the command line.
    pub path: String,
    /// What the database holds before the first phase, when the plan lists `installed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preinstalled: Option<Preinstalled>,
    /// Every phase, in go-live order.
    pub phases: Vec<PhaseInstalls>,
}

/// The live database a plan starts from (`installed`): live and configured for every company.
#[derive(Debug, Clone, Serialize)]
pub struct Preinstalled {
    /// The modules `installed` lists, in its order.
    pub listed: Vec<String>,
    /// Everything in the database before the first phase (the listed modules, their
    /// dependencies, the bridges they complete), sorted.
    pub modules: Vec<String>,
    /// The companies whose accounting is live from the start (`account` and the chart
    /// package are installed).
    pub accounting_live_for: Vec<String>,
    /// The installed modules that already post journal entries.
    pub posts_entries: Vec<Posting>,
}

/// What one phase installs. Each module appears in the first phase that installs it only.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseInstalls {
    /// The phase id.
    pub id: String,
    /// Its display name.
    pub name: Option<String>,
    /// Its go-live date, `YYYY-MM-DD`.
    pub go_live: Option<String>,
    /// The companies it covers (empty when the plan declares none).
    pub companies: Vec<String>,
    /// The phases it goes live directly after.
    pub after: Vec<String>,
    /// Its milestones (data migration, opening balances, training), in file order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<String>,
    /// Modules listed in the phase that it installs, in file order.
    pub planned: Vec<String>,
    /// Modules installed as dependencies, each with the chain from a planned (or
    /// auto-installed) module.
    pub pulled_in: Vec<PulledIn>,
    /// Modules that install themselves once their triggers are present.
    pub auto_installed: Vec<AutoInstalled>,
    /// Modules listed in the phase that a phase before it (in go-live order) installs first.
    pub already_installed: Vec<AlreadyInstalled>,
    /// Modules listed in the phase that no catalog knows: what they pull in is unknown.
    pub unknown: Vec<String>,
    /// The modules this phase installs that post journal entries.
    pub posts_entries: Vec<Posting>,
    /// For a phase on an `after` cycle: the phase of the cycle whose entry lists what the
    /// cycle installs (they all go live together).
    pub installed_with: Option<String>,
    /// For each company the phase covers, the journal entries Odoo starts posting for it
    /// when the phase goes live.
    pub entries: Vec<CompanyEntries>,
}

/// The journal entries a phase starts posting for one company, as its books and valuation
/// make them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompanyEntries {
    /// The company; `None` when the plan declares none.
    pub company: Option<String>,
    /// Where the company's books are when the phase goes live.
    pub books: Books,
    /// With `books: odoo`, the phase where its accounting went live (`None`: already
    /// installed before the first phase).
    pub accounting_since: Option<String>,
    /// With `books: external`, the day Odoo takes them over, when the plan says.
    pub books_until: Option<String>,
    /// How the company values stock: `periodic` (Odoo's default, also when the plan does not
    /// say) or `perpetual`.
    pub valuation: &'static str,
    /// Whether the plan states the valuation (`false`: Odoo's default is assumed).
    pub valuation_stated: bool,
    /// The modules that start posting entries for the company in this phase.
    pub posts: Vec<Posting>,
    /// Stock modules that start working for the company here but post no entry per stock
    /// move under its periodic valuation.
    pub no_entry_per_move: Vec<String>,
}

/// Where a company's books are when a phase goes live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Books {
    /// Odoo's accounting is live for the company.
    Odoo,
    /// Odoo's accounting is not configured for the company yet: what posts lands on
    /// accounts nobody has set up (OO301).
    NotConfigured,
    /// The books are kept outside Odoo (`accounting: external`).
    External,
}

/// A module installed because a module of the phase depends on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PulledIn {
    /// The module.
    pub module: String,
    /// From the planned or auto-installed module down to this one.
    pub chain: Vec<String>,
}

/// A bridge that installs itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AutoInstalled {
    /// The module.
    pub module: String,
    /// The modules whose presence installs it.
    pub triggers: Vec<String>,
}

/// A planned module that is installed before its phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlreadyInstalled {
    /// The module.
    pub module: String,
    /// The phase that installs it first.
    pub phases: Vec<String>,
}

impl Installs {
    /// Every module the plan installs, counted once.
    pub fn module_count(&self) -> usize {
        self.phases
            .iter()
            .map(|p| p.planned.len() + p.pulled_in.len() + p.auto_installed.len())
            .sum()
    }

    /// Every module the plan installs that posts journal entries for a company it covers.
    pub fn posting_count(&self) -> usize {
        self.phases.iter().map(|p| p.posting_modules().len()).sum()
    }
}

impl PhaseInstalls {
    /// The modules of this phase that post journal entries for at least one of its
    /// companies: a stock valuer under periodic valuation posts none. A phase on a cycle
    /// (whose entries are listed with its first phase) counts what its modules can post.
    pub fn posting_modules(&self) -> std::collections::BTreeSet<&str> {
        if self.entries.is_empty() {
            return self
                .posts_entries
                .iter()
                .map(|p| p.module.as_str())
                .collect();
        }
        let here: std::collections::BTreeSet<&str> = self
            .posts_entries
            .iter()
            .map(|p| p.module.as_str())
            .collect();
        self.entries
            .iter()
            .flat_map(|e| e.posts.iter().map(|p| p.module.as_str()))
            .filter(|m| here.contains(m))
            .collect()
    }
}

/// Builds the view from the shared analysis. Phases come in go-live order; a module is
/// listed under the first of them that installs it (two phases of parallel tracks may both
/// install it; the one earlier in go-live order lists it).
pub fn build(g: &PlanGraph<'_>) -> Installs {
    let mut listed: Vec<Option<PhaseId>> = vec![None; g.modules.len()];
    let mut live = Live::new(g);
    let mut phases = Vec::new();
    for q in g.go_live_order() {
        let mut view = phase(g, q, &mut listed);
        if view.installed_with.is_none() {
            view.entries = live.go_live(g, q);
        }
        phases.push(view);
    }
    Installs {
        version: 1,
        path: g.plan.file.name().to_owned(),
        preinstalled: preinstalled(g),
        phases,
    }
}

fn preinstalled(g: &PlanGraph<'_>) -> Option<Preinstalled> {
    if g.plan.installed.modules.is_empty() {
        return None;
    }
    let mut listed: Vec<String> = Vec::new();
    for m in &g.plan.installed.modules {
        if !listed.contains(&m.value) {
            listed.push(m.value.clone());
        }
    }
    let mut modules: Vec<String> = g
        .preinstalled
        .ones()
        .map(|m| g.name(m).to_owned())
        .collect();
    modules.sort();
    let mut posts_entries: Vec<Posting> = g
        .preinstalled
        .ones()
        .filter_map(|m| posting(g, m))
        .collect();
    posts_entries.sort_by(|a, b| a.module.cmp(&b.module));
    Some(Preinstalled {
        listed,
        modules,
        accounting_live_for: (0..g.companies.len())
            .filter(|&c| g.accounting_preinstalled.get(c).copied().unwrap_or(false))
            .map(|c| g.company_id(c).unwrap_or("the company").to_owned())
            .collect(),
        posts_entries,
    })
}

/// Which modules already work for each company, walked in go-live order. A phase starts what
/// it installs for the companies it covers, and what it plans (with the dependencies) that an
/// earlier phase installed for other companies: `sale_management` planned for a second
/// company starts invoicing there. A module merely present in the database, planned for
/// nobody else, does not start working for a company that never plans it.
struct Live {
    started: Vec<FixedBitSet>,
}

impl Live {
    fn new(g: &PlanGraph<'_>) -> Self {
        // The live database works for every company from the start.
        Self {
            started: vec![g.preinstalled.clone(); g.companies.len()],
        }
    }

    fn go_live(&mut self, g: &PlanGraph<'_>, q: PhaseId) -> Vec<CompanyEntries> {
        let members: Vec<PhaseId> = g.cycle_of(q).map_or_else(|| vec![q], <[PhaseId]>::to_vec);
        let mut starts: Vec<ModId> = Vec::new();
        let mut seen = FixedBitSet::with_capacity(g.modules.len());
        for &p in &members {
            for (m, _) in &g.installs[p].added {
                if !seen.put(*m) {
                    starts.push(*m);
                }
            }
            // What the phase plans, with its dependencies, whoever installed them first.
            let mut queue: Vec<ModId> = g.occurrences_in(p).map(|(_, o)| o.module).collect();
            while let Some(m) = queue.pop() {
                if seen.put(m) {
                    continue;
                }
                starts.push(m);
                queue.extend(g.depends(m));
            }
        }
        starts.sort_unstable();
        let mut out = Vec::new();
        for &c in g.phase_companies[q].iter() {
            let Some(started) = self.started.get_mut(c) else {
                continue;
            };
            let fresh: Vec<ModId> = starts
                .iter()
                .copied()
                .filter(|&m| !started.put(m))
                .collect();
            out.push(company_entries(g, c, q, &fresh));
        }
        out
    }
}

fn company_entries(g: &PlanGraph<'_>, c: CompanyId, q: PhaseId, fresh: &[ModId]) -> CompanyEntries {
    let company = g.plan.companies.get(c);
    let valuation = company.and_then(|c| c.valuation);
    let perpetual = valuation == Some(Valuation::Perpetual);
    let mut posts = Vec::new();
    let mut no_entry_per_move = Vec::new();
    for &m in fresh {
        let Some(p) = posting(g, m) else { continue };
        // A stock valuer posts only under automated (perpetual) valuation; under the periodic
        // default its moves post nothing, whatever it carries.
        let values_stock = g
            .data()
            .journal_entries(&p.through)
            .is_some_and(|j| j.carried);
        if values_stock && !perpetual {
            no_entry_per_move.push(p.module);
        } else {
            posts.push(p);
        }
    }
    let accounting_since = if g.accounting_preinstalled.get(c).copied().unwrap_or(false) {
        None
    } else {
        g.accounting_phases.get(c).and_then(|ps| {
            let reached: Vec<PhaseId> = ps
                .iter()
                .copied()
                .filter(|&p| g.is_or_precedes(p, q))
                .collect();
            g.earliest(&reached).min()
        })
    };
    let books = if g.books_outside(c, q) {
        Books::External
    } else if g.accounting_preinstalled.get(c).copied().unwrap_or(false)
        || accounting_since.is_some()
    {
        Books::Odoo
    } else {
        Books::NotConfigured
    };
    CompanyEntries {
        company: g.company_id(c).map(str::to_owned),
        books,
        accounting_since: match books {
            Books::Odoo => accounting_since.map(|p| g.plan.phases[p].id.value.clone()),
            _ => None,
        },
        books_until: match books {
            Books::External => company
                .and_then(|c| c.accounting_until.as_ref())
                .map(|d| d.value.to_string()),
            _ => None,
        },
        valuation: if perpetual { "perpetual" } else { "periodic" },
        valuation_stated: valuation.is_some(),
        posts,
        no_entry_per_move,
    }
}

fn phase(g: &PlanGraph<'_>, q: PhaseId, listed: &mut [Option<PhaseId>]) -> PhaseInstalls {
    let p = &g.plan.phases[q];
    let mut planned = Vec::new();
    let mut pulled_in = Vec::new();
    let mut auto_installed = Vec::new();
    let mut posts_entries = Vec::new();
    let mut unknown = Vec::new();
    for (m, reason) in &g.installs[q].added {
        if listed[*m].is_some() {
            continue;
        }
        listed[*m] = Some(q);
        match reason {
            Reason::Planned(_) => {
                planned.push(g.name(*m).to_owned());
                if !g.modules[*m].is_known() {
                    unknown.push(g.name(*m).to_owned());
                }
            }
            Reason::PulledIn { .. } => pulled_in.push(PulledIn {
                module: g.name(*m).to_owned(),
                chain: names(g, &g.install_chain(q, *m)),
            }),
            Reason::AutoInstalled { triggers } => auto_installed.push(AutoInstalled {
                module: g.name(*m).to_owned(),
                triggers: names(g, triggers),
            }),
        }
        posts_entries.extend(posting(g, *m));
    }
    let installed_with = g
        .cycle_of(q)
        .and_then(|c| c.iter().copied().min())
        .filter(|&first| first != q)
        .map(|first| g.plan.phases[first].id.value.clone());
    let mut already_installed: Vec<AlreadyInstalled> = Vec::new();
    if installed_with.is_none() {
        for (_, occ) in g.occurrences_in(q) {
            let m = occ.module;
            let name = g.name(m);
            let Some(first) = listed[m].filter(|&f| f != q) else {
                continue;
            };
            if !already_installed.iter().any(|a| a.module == name) {
                already_installed.push(AlreadyInstalled {
                    module: name.to_owned(),
                    phases: vec![g.plan.phases[first].id.value.clone()],
                });
            }
        }
    }
    PhaseInstalls {
        id: p.id.value.clone(),
        name: p.name.clone(),
        go_live: p.go_live.as_ref().map(|d| d.value.to_string()),
        companies: phase_companies(g, q),
        after: predecessors(g, q),
        milestones: p.milestones.iter().map(|m| m.value.clone()).collect(),
        planned,
        pulled_in,
        auto_installed,
        already_installed,
        unknown,
        posts_entries,
        installed_with,
        entries: Vec::new(),
    }
}
