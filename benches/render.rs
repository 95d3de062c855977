//! `cargo bench --bench render`: the adversarial sizes of issue 9, item 8, for the renderers
//! and the views. Prints figures; never a timed test. Each case runs at two sizes, and the
//! ratio of the times says whether the cost is linear (2.0) or worse (4.0 for quadratic).
//!
//! - `human-40k`: 40,000 findings (a module listed 40,000 times) in the human report, which
//!   took 83 s when miette scanned the file from byte 0 for every snippet; the JSON report of
//!   the same run for comparison.
//! - `one-line`: a minified one-line JSON plan whose 1,500 findings lie ever further right
//!   (the line is 150 KiB), drawn in the human report (it panicked past column 65,535).
//! - `graph`: the diagram of a plan of 1,150 phases × 40 catalog modules (about 663 KiB)
//!   as Mermaid and DOT, which took 14 s; the analysis it starts from is timed apart.
//!
//! All in process on a warm linter; medians of a few runs (`-- --runs N`, default 5). Name
//! cases to run only those (`cargo bench --bench render -- graph`).

// A benchmark reports by printing; a broken fixture should stop it loudly.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use odoo_order::catalog::{Catalog, Edition};
use odoo_order::check::Settings;
use odoo_order::inspect::diagram;
use odoo_order::linter::Linter;
use odoo_order::plan::Plan;
use odoo_order::report::{self, CheckRun, human, json};

fn main() {
    let runs = runs();
    println!("{runs} runs each; median; ratio of the larger size to the smaller");
    let cases: [(&str, usize, usize, Case); 3] = [
        ("human-40k", 20_000, 40_000, human_case),
        ("one-line", 750, 1_500, one_line_case),
        ("graph", 575, 1_150, graph_case),
    ];
    // `-- graph` runs that case only.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| cases.iter().any(|c| c.0 == a))
        .collect();
    for (name, small, large, case) in cases {
        if only.is_empty() || only.iter().any(|o| o == name) {
            pair(name, small, large, runs, case);
        }
    }
}

fn runs() -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(5)
}

/// What a case measured at one size: named timings, and a description of the input.
type Measured = (Vec<(&'static str, Duration)>, String);

/// A case: given a size and a number of runs, its timings.
type Case = fn(usize, usize) -> Measured;

/// Runs a case at two sizes and prints both and their ratio for each timing.
fn pair(name: &str, small: usize, large: usize, runs: usize, case: Case) {
    let (a, about_a) = case(small, runs);
    let (b, about_b) = case(large, runs);
    println!("{name}:");
    println!("  {small:>6}: {about_a}");
    println!("  {large:>6}: {about_b}");
    for ((what, ta), (_, tb)) in a.iter().zip(&b) {
        println!(
            "  {what:>14}: {:>9.1} ms → {:>9.1} ms  ×{:.2}",
            ms(*ta),
            ms(*tb),
            tb.as_secs_f64() / ta.as_secs_f64().max(1e-9)
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn run_of(text: &str, name: &str) -> CheckRun {
    let mut linter = Linter::new(Settings::default()).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    CheckRun {
        files: vec![linter.check_bytes(&path, name, text.as_bytes())],
        ..CheckRun::default()
    }
}

fn findings(run: &CheckRun) -> usize {
    run.reported().map(|(_, f)| f.len()).sum()
}

/// `n` entries of one module in one phase: `n - 1` duplicate-module findings, each with a
/// label at the first entry, all over the file.
fn human_case(n: usize, runs: usize) -> Measured {
    let mut text = String::from("odoo: \"17.0\"\nphases:\n  - id: p\n    modules:\n");
    for _ in 0..n {
        text.push_str("      - account\n");
    }
    let run = run_of(&text, "bench-dup.yaml");
    let human = median(runs, || {
        black_box(human::render_run(black_box(&run), false, 100));
    });
    let json = median(runs, || {
        black_box(json::render_run(black_box(&run)));
    });
    (
        vec![("human", human), ("json", json)],
        format!("{} KiB, {} findings", text.len() / 1024, findings(&run)),
    )
}

/// A minified JSON plan: `n` empty phases on one line, then a misspelt module.
fn one_line_case(n: usize, runs: usize) -> Measured {
    let mut text =
        String::from(r#"{"odoo":"17.0","phases":[{"id":"finance","modules":["account"]}"#);
    for i in 0..n {
        write!(
            text,
            r#",{{"id":"site_{i}","name":"Warehouse site {i}","after":["finance"],"modules":[]}}"#
        )
        .unwrap();
    }
    text.push_str(r#",{"id":"late","modules":["sale_managment"]}]}"#);
    let run = run_of(&text, "bench-one-line.json");
    let human = median(runs, || {
        black_box(human::render_run(black_box(&run), false, 100));
    });
    (
        vec![("human", human)],
        format!(
            "{} KiB on one line, {} findings",
            text.len() / 1024,
            findings(&run)
        ),
    )
}

/// `phases` phases of 40 modules drawn from the 17.0 catalog (a fixed pseudo-random walk).
fn graph_plan(phases: usize) -> String {
    let catalog = Catalog::builtin("17.0").unwrap();
    let names: Vec<&str> = catalog
        .modules()
        .iter()
        .filter(|m| m.edition == Edition::Community)
        .map(|m| m.name.as_str())
        .collect();
    let mut text = String::from("odoo: \"17.0\"\nphases:\n");
    let mut seed: u64 = 7;
    for p in 0..phases {
        let picked: Vec<&str> = (0..40)
            .map(|_| {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                names[usize::try_from(seed >> 33).unwrap() % names.len()]
            })
            .collect();
        writeln!(
            text,
            "  - id: phase_{p}\n    modules: [{}]",
            picked.join(", ")
        )
        .unwrap();
    }
    text
}

fn graph_case(phases: usize, runs: usize) -> Measured {
    let text = graph_plan(phases);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench-graph.yaml");
    let plan = Plan::from_bytes(&path, "bench-graph.yaml", text.as_bytes()).unwrap();
    let mut linter = Linter::new(Settings::default()).unwrap();
    let analyse = median(runs, || {
        black_box(linter.analyse(&plan, |_, o| o.findings.len()).unwrap());
    });
    let d = linter
        .analyse(&plan, |g, o| diagram::build(g, &o.findings))
        .unwrap();
    let build = median(runs, || {
        black_box(
            linter
                .analyse(&plan, |g, o| diagram::build(g, &o.findings))
                .unwrap(),
        );
    });
    let mermaid = median(runs, || {
        black_box(report::graph::mermaid(black_box(&d)));
    });
    let dot = median(runs, || {
        black_box(report::graph::dot(black_box(&d)));
    });
    (
        vec![
            ("analyse", analyse),
            ("analyse+build", build),
            ("mermaid", mermaid),
            ("dot", dot),
        ],
        format!(
            "{} KiB, {} nodes, {} edges",
            text.len() / 1024,
            d.nodes.len(),
            d.edges.len()
        ),
    )
}
