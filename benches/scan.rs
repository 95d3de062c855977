//! Scanning the shared addons corpus, against the floor of only reading its manifests.
//!
//! Run with `cargo bench --bench scan` (optionally `-- --runs N`). Prints median and minimum
//! wall time over N warm-cache runs, for: the full scan (`addons::scan`), the read-only floor
//! (list the same directories and read every manifest, no parsing, one thread, as a plain
//! reader would), and parsing alone (manifests already in memory). Skips when
//! `../shared/corpus/addons-17.0` is absent.
//!
//! Measured on the 2-core development machine, 853 manifests (837 KiB), 100 runs, other
//! core idle: scan median 5.6 ms (9.0 ms when forced onto one thread), read-only floor
//! 4.9 ms, parse only 3.3 ms. Budget (design §9): 30 ms. For comparison, manifestoo-core
//! 1.16's `AddonsSet.add_from_addons_dirs` takes 95 ms in process, and `manifestoo list`
//! 0.72 s as a whole process.

// A benchmark without a harness reports by printing.
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use odoo_order::addons;
use odoo_order::manifest::Manifest;

fn main() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/addons-17.0");
    let Ok(entries) = std::fs::read_dir(&corpus) else {
        println!("skipped: {} is absent", corpus.display());
        return;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    paths.sort();
    let runs = runs();

    let count = addons::scan(&paths).addons.len();
    let scan = measure(runs, || {
        black_box(addons::scan(black_box(&paths))).addons.len()
    });
    let floor = measure(runs, || read_only(black_box(&paths)));
    let sources: Vec<Vec<u8>> = manifest_files(&paths)
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .collect();
    let bytes: usize = sources.iter().map(Vec::len).sum();
    let parse = measure(runs, || {
        sources
            .iter()
            .filter(|source| Manifest::from_bytes(black_box(source)).is_ok())
            .count()
    });

    println!(
        "{count} manifests ({} KiB) in {} addons paths, {runs} runs, warm page cache",
        bytes / 1024,
        paths.len()
    );
    report("scan (list, read, parse)", &scan, count);
    report("read-only floor (1 thread)", &floor, count);
    report("parse only (in memory)", &parse, count);
}

/// `--runs N` from the command line (cargo passes `--bench` too, which is ignored).
fn runs() -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|arg| arg == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(100)
}

/// Wall time of `runs` calls after a few warm-up calls, sorted.
fn measure(runs: usize, mut work: impl FnMut() -> usize) -> Vec<Duration> {
    for _ in 0..3 {
        black_box(work());
    }
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            black_box(work());
            start.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn report(what: &str, sorted: &[Duration], manifests: usize) {
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or_default();
    let min = sorted.first().copied().unwrap_or_default();
    let per_second = f64::from(u32::try_from(manifests).unwrap_or(u32::MAX))
        / median.as_secs_f64().max(f64::MIN_POSITIVE);
    println!(
        "{what:<28} median {:>7.2} ms   min {:>7.2} ms   {:>9.0} manifests/s",
        median.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        per_second
    );
}

/// Every `<path>/<addon>/__manifest__.py`, found by listing as the scanner does.
fn manifest_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .filter_map(|path| std::fs::read_dir(path).ok())
        .flat_map(|entries| entries.filter_map(Result::ok))
        .map(|entry| entry.path().join("__manifest__.py"))
        .collect()
}

/// The floor: list the directories and read every manifest, nothing else.
fn read_only(paths: &[PathBuf]) -> usize {
    manifest_files(paths)
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .map(|bytes| bytes.len())
        .sum()
}
