//! How checking a plan scales with its size and with the addons tree (design §9).
//!
//! Run with `cargo bench --bench plan` (optionally `-- --runs N`). Prints median and minimum
//! wall time, in process, for:
//!
//! - `50x40`: one plan of 50 phases × 40 modules (10 companies, each with its own track of
//!   5 phases, modules drawn from the built-in 17.0 catalog). Budget: 50 ms.
//! - `corpus-1x`: every one of the 853 modules of `../shared/corpus/addons-17.0`, in
//!   dependency order, over 50 phases, checked with that tree as `addons_path`; the scan is
//!   done once, as a run over many plans would.
//! - `corpus-4x`: the same plan four times longer: four companies, each with its own 50-phase
//!   track of all 853 modules (200 phases, 3,412 entries). Time should grow about 4×.
//! - `process`: one small plan checked by the release binary as a whole process (startup,
//!   parse, check, print), and its peak memory when `/usr/bin/time` is there. Budget: 5 ms,
//!   10 MiB.
//!
//! The corpus cases are skipped when `../shared` is absent.

// A benchmark without a harness reports by printing; a broken fixture should stop it loudly.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use odoo_order::catalog::Catalog;
use odoo_order::check::Settings;
use odoo_order::linter::Linter;
use odoo_order::plan::Plan;

fn main() {
    let runs = runs();
    println!("{runs} runs each; median (min)");

    let plan = synthetic_50x40();
    report("50x40", &plan, None, runs);

    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/addons-17.0");
    if corpus.is_dir() {
        let paths = addons_dirs(&corpus);
        let order = dependency_order(&paths);
        let one = corpus_plan(&order, 1);
        let four = corpus_plan(&order, 4);
        let t1 = report("corpus-1x", &one, Some(&paths), runs);
        let t4 = report("corpus-4x", &four, Some(&paths), runs);
        println!(
            "  corpus-4x / corpus-1x = {:.2} (linear: 4)",
            t4.as_secs_f64() / t1.as_secs_f64()
        );
    } else {
        println!("corpus cases skipped: {} is absent", corpus.display());
    }

    process(runs);
}

fn runs() -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(30)
}

/// Checks `text` `runs` times on a warm linter and prints the figures; returns the median.
fn report(name: &str, text: &str, addons: Option<&[PathBuf]>, runs: usize) -> Duration {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench.yaml");
    let plan =
        Plan::from_bytes(&path, "bench.yaml", text.as_bytes()).expect("benchmark plans are valid");
    let mut linter = Linter::new(Settings::default()).unwrap();
    if let Some(paths) = addons {
        linter = linter.with_addons_path(paths.to_vec());
    }
    let cold = Instant::now();
    let findings = linter.check(&plan).unwrap().findings.len();
    let cold = cold.elapsed();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(linter.check(black_box(&plan)).unwrap());
            start.elapsed()
        })
        .collect();
    times.sort();
    let entries: usize = plan.phases.iter().map(|p| p.modules.len()).sum();
    println!(
        "{name:>10}: {:>8.2} ms ({:.2})  {} phases, {entries} entries, {findings} findings; first run with catalog/scan {:.2} ms",
        ms(times[times.len() / 2]),
        ms(times[0]),
        plan.phases.len(),
        ms(cold)
    );
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// 10 companies × 5 phases × 40 modules, deterministic (a fixed linear congruential walk).
fn synthetic_50x40() -> String {
    let catalog = Catalog::builtin("17.0").unwrap();
    let names: Vec<&str> = catalog
        .modules()
        .iter()
        .filter(|m| m.edition == odoo_order::catalog::Edition::Community)
        .map(|m| m.name.as_str())
        .collect();
    let mut y = String::from("odoo: \"17.0\"\ncompanies:\n");
    for c in 0..10 {
        let _ = writeln!(y, "  - id: c{c}");
    }
    y.push_str("phases:\n");
    let mut seed: u64 = 42;
    for c in 0..10 {
        let mut picked: Vec<&str> = Vec::new();
        while picked.len() < 200 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let name = names[usize::try_from(seed >> 33).unwrap() % names.len()];
            if !picked.contains(&name) {
                picked.push(name);
            }
        }
        track(&mut y, c, picked.chunks(40));
    }
    y
}

/// Company `c`'s own track: one phase per chunk, each after the previous one.
fn track<S: AsRef<str>>(y: &mut String, c: usize, chunks: std::slice::Chunks<'_, S>) {
    for (p, chunk) in chunks.enumerate() {
        let after = if p == 0 {
            "[]".to_owned()
        } else {
            format!("[c{c}p{}]", p - 1)
        };
        let names: Vec<&str> = chunk.iter().map(AsRef::as_ref).collect();
        let _ = writeln!(
            y,
            "  - id: c{c}p{p}\n    after: {after}\n    companies: [c{c}]\n    modules: [{}]",
            names.join(", ")
        );
    }
}

fn addons_dirs(corpus: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    paths.sort();
    paths
}

/// Every installable module of the tree, dependencies first, ties by name.
fn dependency_order(paths: &[PathBuf]) -> Vec<String> {
    let scan = odoo_order::addons::scan(paths);
    let mut done: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut order = Vec::new();
    let mut remaining: Vec<_> = scan
        .addons
        .iter()
        .filter(|a| a.manifest.installable)
        .collect();
    while !remaining.is_empty() {
        let before = remaining.len();
        remaining.retain(|a| {
            let ready = a
                .manifest
                .depends
                .iter()
                .all(|d| done.contains(d) || !scan.addons.iter().any(|x| &x.name == d));
            if ready {
                order.push(a.name.clone());
            }
            !ready
        });
        for name in &order[order.len() - (before - remaining.len())..] {
            done.insert(name.clone());
        }
        if remaining.len() == before {
            order.extend(remaining.iter().map(|a| a.name.clone()));
            break;
        }
    }
    order
}

/// All modules in 50 phases; `copies` companies each get their own 50-phase track.
fn corpus_plan(order: &[String], copies: usize) -> String {
    let mut y = String::from("odoo: \"17.0\"\nedition: enterprise\ncompanies:\n");
    for c in 0..copies {
        let _ = writeln!(y, "  - id: c{c}");
    }
    y.push_str("phases:\n");
    let per_phase = order.len().div_ceil(50);
    for c in 0..copies {
        track(&mut y, c, order.chunks(per_phase));
    }
    y
}

/// The release binary on a small plan, as a whole process.
fn process(runs: usize) {
    let bin = env!("CARGO_BIN_EXE_odoo-order");
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme-rollout.yaml");
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let status = Command::new(bin)
                .arg("check")
                .arg(&plan)
                .output()
                .unwrap()
                .status;
            assert!(status.success());
            start.elapsed()
        })
        .collect();
    times.sort();
    let rss = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(bin)
        .arg("check")
        .arg(&plan)
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .and_then(|l| l.trim().parse::<u64>().ok())
        });
    println!(
        "{:>10}: {:>8.2} ms ({:.2})  examples/acme-rollout.yaml, whole process{}",
        "process",
        ms(times[times.len() / 2]),
        ms(times[0]),
        rss.map_or_else(String::new, |kb| format!(
            ", peak RSS {:.1} MiB",
            f64::from(u32::try_from(kb).unwrap_or(u32::MAX)) / 1024.0
        ))
    );
}
