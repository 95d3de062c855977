//! `cargo bench --bench check`: design §9's first budget, 1,000 small plans (3 phases × 5
//! modules) in one run, ≤ 0.3 s rules included. Prints figures; never a timed test.
//!
//! Generates the plans into a scratch `plans/` folder and runs the release binary on the
//! directory (walk, configuration lookup, parsing, rules, report) with one thread and with the
//! default (one per core), then `yamllint` on the same files when it is installed
//! (`pip install yamllint`), syntax only. Wall-clock medians of several runs.

// A benchmark reports by printing, and a failed setup may as well stop it.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PLANS: usize = 1_000;
const RUNS: usize = 15;

/// Three phases of five modules in the inside-out order, bridges listed where they land.
const PHASES: [&[&str]; 3] = [
    &["account", "account_payment", "contacts", "hr", "l10n_fr"],
    &["stock", "stock_account", "mrp", "mrp_account", "project"],
    &[
        "purchase",
        "purchase_stock",
        "sale_management",
        "sale_stock",
        "crm",
    ],
];

fn write_plans(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..PLANS {
        let mut text = format!("odoo: \"17.0\"\nproject: Client {i}\nphases:\n");
        for (p, modules) in PHASES.iter().enumerate() {
            text.push_str(&format!(
                "  - id: phase{p}\n    modules: [{}]\n",
                modules.join(", ")
            ));
        }
        std::fs::write(dir.join(format!("client-{i:04}.yaml")), text).unwrap();
    }
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time(runs: usize, mut command: impl FnMut() -> Command) -> Option<Duration> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let mut cmd = command();
        let start = Instant::now();
        let status = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()?;
        times.push(start.elapsed());
        // odoo-order exits 0 or 1 (findings); yamllint 0 or 1 (problems). 2 means it failed.
        if status.code().is_none_or(|c| c > 1) {
            return None;
        }
    }
    Some(median(times))
}

fn main() {
    let scratch = tempfile::tempdir().unwrap();
    let plans = scratch.path().join("plans");
    write_plans(&plans);
    let bin = env!("CARGO_BIN_EXE_odoo-order");
    let check = |threads: Option<&str>| {
        let plans = plans.clone();
        let threads = threads.map(str::to_owned);
        move || {
            let mut cmd = Command::new(bin);
            cmd.arg("check").arg(&plans).args(["--format", "concise"]);
            if let Some(n) = &threads {
                cmd.args(["--threads", n]);
            }
            cmd
        }
    };
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    println!("{PLANS} plans of 3 phases × 5 modules, median of {RUNS} runs, {cores} cores");
    let one = time(RUNS, check(Some("1"))).expect("odoo-order failed");
    println!(
        "odoo-order check plans/ --threads 1   {:>8.3} s",
        one.as_secs_f64()
    );
    let all = time(RUNS, check(None)).expect("odoo-order failed");
    println!(
        "odoo-order check plans/ (all cores)   {:>8.3} s",
        all.as_secs_f64()
    );
    let budget = Duration::from_millis(300);
    println!(
        "budget (design §9)                    {:>8.3} s: {}",
        budget.as_secs_f64(),
        if all <= budget { "met" } else { "MISSED" }
    );
    let yamllint = time(3, || {
        let mut cmd = Command::new("yamllint");
        // Syntax only, as design §9 measured it: no style rules.
        cmd.args(["-d", "{rules: {}}"]).arg(&plans);
        cmd
    });
    match yamllint {
        Some(t) => println!(
            "yamllint, syntax only (median of 3)    {:>8.3} s ({:.0}× odoo-order on all cores)",
            t.as_secs_f64(),
            t.as_secs_f64() / all.as_secs_f64()
        ),
        None => println!("yamllint: not installed (pip install yamllint), not measured"),
    }
}
