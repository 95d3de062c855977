//! `cargo bench --bench budgets`: issue 9's budget, "no input under 1 MB takes more than 2 s or
//! 500 MiB in any command", measured on the release binary. Prints figures; never a timed test.
//!
//! Writes adversarial inputs of about 1 MB each into a scratch folder (one generator per shape
//! that once cost more than linear time: long chains and wide fans of phases, many modules in
//! one phase, many companies, waivers, unknown names and `after` references, alias reuse, deep
//! nesting, one huge flow list, long names, and an addons tree of long dependency chains), then
//! runs every command on each under `/usr/bin/time` (wall time and peak memory): `check` in
//! all seven formats, `installs`, `why`, `graph` (Mermaid, DOT, Gantt), `fix --diff`, `fix`,
//! and `modules --addons-path`. A command past either budget is marked `OVER`.
//!
//! Options: `-- --size BYTES` (default 1,000,000) scales every input; `-- --bin PATH` runs
//! another build (to compare before and after a change); `-- --keep DIR` writes the inputs
//! there and keeps them; names of generators run only those (`-- chain companies`);
//! `-- --only COMMAND` runs one command (its first word and format, e.g. `check-json`).

// A benchmark reports by printing, and a failed setup may as well stop it.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Seconds and MiB a command may take on an input under 1 MB (issue 9).
const BUDGET_SECS: f64 = 2.0;
const BUDGET_MIB: f64 = 500.0;
/// A command still running after this long is stopped and shown as such.
const KILL_AFTER_SECS: u32 = 60;

/// Catalog modules (17.0 Community) with dependencies between them, most touching the books.
const KNOWN: &[&str] = &[
    "stock",
    "sale_management",
    "purchase",
    "mrp",
    "point_of_sale",
    "crm",
    "project",
    "hr_expense",
    "sale_stock",
    "purchase_stock",
    "stock_account",
    "mrp_account",
    "website_sale",
    "helpdesk",
    "account",
    "l10n_fr",
];

/// One adversarial input: a plan, and maybe an addons tree next to it.
struct Input {
    plan: String,
    /// `(module, depends)` for an `addons/` folder beside the plan.
    addons: Vec<(String, Vec<String>)>,
    /// A module `why` is asked about.
    why: String,
}

type Generator = fn(usize) -> Input;

fn plan_only(plan: String, why: &str) -> Input {
    Input {
        plan,
        addons: Vec::new(),
        why: why.to_owned(),
    }
}

const HEAD: &str = "odoo: \"17.0\"\n";

/// A chain of phases (each after the previous), each dated a day before the one it follows
/// and planning a module that touches the books before accounting, which comes last.
fn chain(size: usize) -> Input {
    let mut t = format!("{HEAD}phases:\n");
    let mut i = 0;
    while t.len() < size - 100 {
        let day = 28 - i % 28;
        let month = 12 - (i / 28) % 12;
        writeln!(
            t,
            "  - id: p{i}\n    go_live: 2026-{month:02}-{day:02}\n    modules: [{}]",
            KNOWN[i % 14]
        )
        .unwrap();
        i += 1;
    }
    t.push_str("  - id: finance\n    modules: [account, l10n_fr]\n");
    plan_only(t, "stock_account")
}

/// As many empty phases as fit, in one chain: the most phases per byte.
fn chain_empty(size: usize) -> Input {
    let mut t = format!("{HEAD}phases:\n");
    let mut i = 0;
    while t.len() < size - 40 {
        writeln!(t, "- {{id: p{i}}}").unwrap();
        i += 1;
    }
    t.push_str("- {id: z, modules: [account]}\n");
    plan_only(t, "account")
}

/// 20,000+ phases in one chain, nearly every module misplaced: each of stock, sales,
/// purchase... is planned in a phase before accounting, which comes last.
fn chain_misplaced(size: usize) -> Input {
    let mut t = format!("{HEAD}phases:\n");
    let mut i = 0;
    while t.len() < size / 2 && i < 22_000 {
        writeln!(t, "- {{id: p{i}, modules: [x{i}, {}]}}", KNOWN[i % 8]).unwrap();
        i += 1;
    }
    t.push_str("- {id: finance, modules: [account]}\n");
    plan_only(t, "sale_stock")
}

/// As many phases as fit in one chain, each planning a module no catalog knows.
fn chain_unknown(size: usize) -> Input {
    let mut t = format!("{HEAD}phases:\n");
    let mut i = 0;
    while t.len() < size - 40 {
        writeln!(t, "- {{id: p{i}, modules: [m{i}]}}").unwrap();
        i += 1;
    }
    plan_only(t, "m0")
}

/// Thousands of companies and thousands of phases, every phase for every company.
fn companies_phases(size: usize) -> Input {
    let mut t = format!("{HEAD}companies:\n");
    let mut i = 0;
    while t.len() < size / 2 {
        writeln!(t, "- {{id: c{i}, country: FR}}").unwrap();
        i += 1;
    }
    t.push_str("phases:\n");
    let mut p = 0;
    while t.len() < size - 100 {
        writeln!(t, "- {{id: p{p}}}").unwrap();
        p += 1;
    }
    t.push_str("- {id: ops, modules: [stock, sale]}\n- {id: finance, modules: [account]}\n");
    plan_only(t, "stock")
}

/// Every phase after the next one, the last after the first: one cycle of thousands of phases.
fn cycle(size: usize) -> Input {
    let n = size / 46;
    let mut t = format!("{HEAD}phases:\n");
    for i in 0..n {
        writeln!(
            t,
            "- {{id: p{i}, after: [p{}], modules: [crm]}}",
            (i + 1) % n
        )
        .unwrap();
    }
    plan_only(t, "crm")
}

/// A binary tree of phases (each after the phase at half its index): every phase branches.
fn tree(size: usize) -> Input {
    let mut t = format!("{HEAD}phases:\n- {{id: p0, modules: [account]}}\n");
    let mut i = 1;
    while t.len() < size - 60 {
        writeln!(
            t,
            "- {{id: p{i}, after: [p{}], modules: [{}]}}",
            (i - 1) / 2,
            KNOWN[i % 16]
        )
        .unwrap();
        i += 1;
    }
    plan_only(t, "stock")
}

/// Thousands of companies and thousands of phases that each plan accounting for all of them.
fn companies_accounting(size: usize) -> Input {
    let mut t = format!("{HEAD}companies:\n");
    let mut i = 0;
    while t.len() < size * 45 / 100 {
        writeln!(t, "- {{id: c{i}, country: FR}}").unwrap();
        i += 1;
    }
    t.push_str("phases:\n- {id: ops, modules: [stock, crm]}\n");
    let mut p = 0;
    while t.len() < size - 40 {
        writeln!(t, "- {{id: p{p}, modules: [account]}}").unwrap();
        p += 1;
    }
    plan_only(t, "account")
}

/// One module planned in thousands of phases, each for a company of its own.
fn dup_companies(size: usize) -> Input {
    let n = size / 74;
    let mut t = format!("{HEAD}companies:\n");
    for i in 0..n {
        writeln!(t, "- {{id: c{i}}}").unwrap();
    }
    t.push_str("phases:\n");
    for i in 0..n {
        writeln!(
            t,
            "- {{id: p{i}, companies: [c{i}], modules: [crm, account]}}"
        )
        .unwrap();
    }
    plan_only(t, "crm")
}

/// Phases on parallel tracks (`after: []`), then one phase after all of them.
fn wide(size: usize) -> Input {
    let mut t = format!("{HEAD}phases:\n");
    let mut ids = Vec::new();
    let mut i = 0;
    while t.len() < size / 2 {
        writeln!(t, "- {{id: w{i}, after: [], modules: [{}]}}", KNOWN[i % 16]).unwrap();
        ids.push(format!("w{i}"));
        i += 1;
    }
    writeln!(
        t,
        "- {{id: join, after: [{}], modules: [crm]}}",
        ids.join(", ")
    )
    .unwrap();
    plan_only(t, "sale_stock")
}

/// Each phase after each of the (up to 400) phases before it: the most `after` references.
fn after_dense(size: usize) -> Input {
    let mut t = format!("{HEAD}phases:\n");
    let mut i: usize = 0;
    loop {
        let after: Vec<String> = (i.saturating_sub(400)..i)
            .map(|p| format!("p{p}"))
            .collect();
        let line = format!(
            "- {{id: p{i}, after: [{}], modules: [{}]}}\n",
            after.join(","),
            KNOWN[i % 16]
        );
        if t.len() + line.len() > size {
            break;
        }
        t.push_str(&line);
        i += 1;
    }
    plan_only(t, "stock")
}

/// One phase listing distinct unknown modules: one "did you mean" each.
fn unknown_modules(size: usize) -> Input {
    let mut t = format!("{HEAD}phases:\n  - id: p\n    modules:\n");
    let mut i = 0;
    while t.len() < size - 20 {
        writeln!(t, "      - sale_managment_{i}").unwrap();
        i += 1;
    }
    plan_only(t, "sale_managment_0")
}

/// One phase listing known modules over and over (every entry past the first is a duplicate).
fn many_modules(size: usize) -> Input {
    let mut t =
        format!("{HEAD}phases:\n  - id: first\n    modules: [crm]\n  - id: p\n    modules:\n");
    let mut i = 0;
    while t.len() < size - 30 {
        writeln!(t, "      - {}", KNOWN[i % KNOWN.len()]).unwrap();
        i += 1;
    }
    plan_only(t, "stock_account")
}

/// Many companies, every phase for all of them, operations before accounting, no
/// localization planned: the findings name every company.
fn companies(size: usize) -> Input {
    let mut t = format!("{HEAD}companies:\n");
    let countries = ["FR", "BE", "DE", "ES", "IT", "US", "NL", "LU"];
    let mut i = 0;
    while t.len() < size - 2_000 {
        writeln!(
            t,
            "- {{id: c{i}, country: {}}}",
            countries[i % countries.len()]
        )
        .unwrap();
        i += 1;
    }
    t.push_str("phases:\n");
    for (p, m) in KNOWN[..14].iter().enumerate() {
        writeln!(t, "- {{id: p{p}, modules: [{m}]}}").unwrap();
    }
    t.push_str("- {id: ops2, companies: [c0, c1, c2], modules: [stock, mrp]}\n");
    t.push_str("- {id: finance, modules: [account]}\n");
    plan_only(t, "stock_account")
}

/// Many findings and as many waivers, each matching one of them (by phase) or nothing.
fn waivers(size: usize) -> Input {
    let mut t = format!("{HEAD}phases:\n");
    let n = size / 120;
    for i in 0..n {
        writeln!(t, "- {{id: p{i}, modules: [{}]}}", KNOWN[i % 8]).unwrap();
    }
    t.push_str("- {id: finance, modules: [account]}\nwaivers:\n");
    let mut i = 0;
    while t.len() < size - 100 {
        let phase = if i % 2 == 0 { i / 2 } else { n + i };
        writeln!(
            t,
            "- {{rule: accounting-not-first, phase: p{phase}, reason: r}}"
        )
        .unwrap();
        i += 1;
    }
    plan_only(t, "stock")
}

/// Unknown names everywhere: `after` and `companies` references to nothing, and unknown
/// waiver rules.
fn unknown_names(size: usize) -> Input {
    let mut t = format!("{HEAD}companies:\n- {{id: acme, country: FR}}\nphases:\n");
    let mut i = 0;
    while t.len() < size * 3 / 4 {
        writeln!(
            t,
            "- {{id: phase_{i}, after: [phase_x{i}], companies: [acme_{i}], modules: [crm]}}"
        )
        .unwrap();
        i += 1;
    }
    plan_only(t, "crm")
}

/// One anchored list of modules, repeated by alias in every phase.
fn aliases(size: usize) -> Input {
    let mut t = format!(
        "{HEAD}phases:\n- id: p0\n  modules: &m [{}]\n",
        KNOWN.join(", ")
    );
    let mut i = 1;
    while t.len() < size - 40 {
        writeln!(t, "- {{id: p{i}, modules: *m}}").unwrap();
        i += 1;
    }
    plan_only(t, "stock")
}

/// A module list nested ever deeper.
fn deep_nesting(size: usize) -> Input {
    let depth = (size - 100) / 2;
    let t = format!(
        "{HEAD}phases:\n- id: p\n  modules: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    plan_only(t, "crm")
}

/// One flow list on one line holding about a megabyte of modules, known and misspelt.
fn flow_list(size: usize) -> Input {
    let mut t = format!("{HEAD}phases:\n- {{id: p, modules: [");
    let mut i = 0;
    while t.len() < size - 40 {
        if i % 2 == 0 {
            write!(t, "{}, ", KNOWN[i % KNOWN.len()]).unwrap();
        } else {
            write!(t, "stok{i}, ").unwrap();
        }
        i += 1;
    }
    t.push_str("crm]}\n");
    plan_only(t, "crm")
}

/// A phase id and a module name of a few hundred kilobytes each.
fn long_names(size: usize) -> Input {
    let long = "a".repeat(size / 3);
    let t = format!(
        "{HEAD}phases:\n- id: {long}\n  modules: [{long}b, stock]\n- id: x\n  after: [{long}c]\n  modules: [account]\n"
    );
    plan_only(t, "stock")
}

/// An addons tree of long dependency chains (each module depends on the next), planned in
/// the reverse order: every module goes live before its dependency.
fn addons_chain(size: usize) -> Input {
    let n = size / 200;
    let addons: Vec<(String, Vec<String>)> = (0..n)
        .map(|i| {
            let deps = if (i + 1) % 2_000 == 0 || i + 1 == n {
                vec!["base".to_owned()]
            } else {
                vec![format!("chain_{}", i + 1), "base".to_owned()]
            };
            (format!("chain_{i}"), deps)
        })
        .collect();
    let mut t = format!("{HEAD}addons_path: [addons]\nphases:\n");
    for (i, (name, _)) in addons.iter().enumerate() {
        writeln!(t, "- {{id: p{i}, modules: [{name}]}}").unwrap();
    }
    Input {
        plan: t,
        addons,
        why: "chain_2500".to_owned(),
    }
}

const GENERATORS: &[(&str, Generator)] = &[
    ("chain", chain),
    ("chain-empty", chain_empty),
    ("chain-misplaced", chain_misplaced),
    ("chain-unknown", chain_unknown),
    ("wide", wide),
    ("cycle", cycle),
    ("tree", tree),
    ("after-dense", after_dense),
    ("unknown-modules", unknown_modules),
    ("many-modules", many_modules),
    ("companies", companies),
    ("companies-phases", companies_phases),
    ("companies-accounting", companies_accounting),
    ("dup-companies", dup_companies),
    ("waivers", waivers),
    ("unknown-names", unknown_names),
    ("aliases", aliases),
    ("deep-nesting", deep_nesting),
    ("flow-list", flow_list),
    ("long-names", long_names),
    ("addons-chain", addons_chain),
];

/// Every command, as a label and its arguments (`PLAN` and `MODULE` are filled in).
const COMMANDS: &[(&str, &[&str])] = &[
    ("check-human", &["check", "PLAN"]),
    ("check-concise", &["check", "PLAN", "--format", "concise"]),
    ("check-json", &["check", "PLAN", "--format", "json"]),
    ("check-sarif", &["check", "PLAN", "--format", "sarif"]),
    ("check-github", &["check", "PLAN", "--format", "github"]),
    ("check-gitlab", &["check", "PLAN", "--format", "gitlab"]),
    ("check-junit", &["check", "PLAN", "--format", "junit"]),
    ("installs", &["installs", "PLAN"]),
    ("installs-json", &["installs", "PLAN", "--format", "json"]),
    ("why", &["why", "PLAN", "MODULE"]),
    ("graph-mermaid", &["graph", "PLAN"]),
    ("graph-dot", &["graph", "PLAN", "--format", "dot"]),
    ("graph-gantt", &["graph", "PLAN", "--gantt"]),
    ("fix-diff", &["fix", "--diff", "PLAN"]),
    ("fix", &["fix", "PLAN"]),
];

struct Options {
    size: usize,
    bin: PathBuf,
    keep: Option<PathBuf>,
    names: Vec<String>,
    only: Option<String>,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    Options {
        size: value("--size").map_or(1_000_000, |s| s.parse().unwrap()),
        bin: value("--bin").map_or_else(
            || PathBuf::from(env!("CARGO_BIN_EXE_odoo-order")),
            PathBuf::from,
        ),
        keep: value("--keep").map(PathBuf::from),
        names: args
            .iter()
            .filter(|a| GENERATORS.iter().any(|g| g.0 == a.as_str()))
            .cloned()
            .collect(),
        only: value("--only"),
    }
}

/// Wall seconds and peak MiB of one run, or `None` when it was stopped.
fn measure(bin: &Path, args: &[String], dir: &Path) -> (Option<(f64, f64)>, i32) {
    let report = dir.join(".time");
    let status = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%e %M")
        .arg("-o")
        .arg(&report)
        .arg("timeout")
        .arg(KILL_AFTER_SECS.to_string())
        .arg(bin)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("GNU time (/usr/bin/time) and timeout are needed");
    let code = status.code().unwrap_or(-1);
    let text = std::fs::read_to_string(&report).unwrap_or_default();
    let last = text.lines().last().unwrap_or("");
    let mut parts = last.split_whitespace();
    let figures = match (parts.next(), parts.next()) {
        (Some(s), Some(k)) if code != 124 => Some((
            s.parse::<f64>().unwrap_or(f64::NAN),
            k.parse::<f64>().unwrap_or(f64::NAN) / 1024.0,
        )),
        _ => None,
    };
    (figures, code)
}

fn write_input(dir: &Path, input: &Input) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("plan.yaml"), &input.plan).unwrap();
    for (name, depends) in &input.addons {
        let module = dir.join("addons").join(name);
        std::fs::create_dir_all(&module).unwrap();
        let deps: Vec<String> = depends.iter().map(|d| format!("'{d}'")).collect();
        std::fs::write(
            module.join("__manifest__.py"),
            format!("{{'name': '{name}', 'depends': [{}]}}\n", deps.join(", ")),
        )
        .unwrap();
    }
}

fn main() {
    let opts = options();
    let scratch = match &opts.keep {
        Some(dir) => dir.clone(),
        None => std::env::temp_dir().join(format!("odoo-order-budgets-{}", std::process::id())),
    };
    println!(
        "budget: {BUDGET_SECS} s and {BUDGET_MIB} MiB per command; binary {}",
        opts.bin.display()
    );
    println!(
        "{:<16} {:>8}  {:<14} {:>8} {:>9} {:>5}",
        "input", "KiB", "command", "s", "MiB", "exit"
    );
    let mut over = 0;
    let mut worst: Vec<(String, f64, f64)> = Vec::new();
    for (name, generate) in GENERATORS {
        if !opts.names.is_empty() && !opts.names.iter().any(|n| n == name) {
            continue;
        }
        let input = generate(opts.size);
        let dir = scratch.join(name);
        write_input(&dir, &input);
        let kib = input.plan.len() / 1024;
        let mut commands: Vec<(&str, Vec<String>)> = COMMANDS
            .iter()
            .map(|(label, args)| {
                let args = args
                    .iter()
                    .map(|a| match *a {
                        "PLAN" => "plan.yaml".to_owned(),
                        "MODULE" => input.why.clone(),
                        other => other.to_owned(),
                    })
                    .collect();
                (*label, args)
            })
            .collect();
        if !input.addons.is_empty() {
            commands.push((
                "modules-addons",
                vec!["modules".into(), "--addons-path".into(), "addons".into()],
            ));
        }
        let (mut max_s, mut max_mib) = (0.0_f64, 0.0_f64);
        for (label, args) in commands {
            if opts.only.as_deref().is_some_and(|o| o != label) {
                continue;
            }
            // `fix` edits the plan: each command starts from the generated text.
            std::fs::write(dir.join("plan.yaml"), &input.plan).unwrap();
            let (figures, code) = measure(&opts.bin, &args, &dir);
            let (s, mib, flag) = match figures {
                Some((s, mib)) => {
                    max_s = max_s.max(s);
                    max_mib = max_mib.max(mib);
                    let flag = if s > BUDGET_SECS || mib > BUDGET_MIB {
                        "OVER"
                    } else {
                        ""
                    };
                    (format!("{s:.2}"), format!("{mib:.0}"), flag)
                }
                None => (format!(">{KILL_AFTER_SECS}"), "?".to_owned(), "OVER"),
            };
            if !flag.is_empty() {
                over += 1;
            }
            println!("{name:<20} {kib:>8}  {label:<14} {s:>8} {mib:>9} {code:>5} {flag}");
        }
        worst.push(((*name).to_owned(), max_s, max_mib));
    }
    println!("\nworst command per input:");
    for (name, s, mib) in &worst {
        println!("  {name:<20} {s:>6.2} s {mib:>6.0} MiB");
    }
    println!("{over} command(s) over budget");
    if opts.keep.is_none() {
        let _ = std::fs::remove_dir_all(&scratch);
    }
}
