//! Checks many plans on several cores. Each worker takes the next plan from a shared counter
//! (so one large plan does not hold up a whole share of the list), keeps one [`Linter`] per
//! configuration, and the results are put back in input order: output never depends on which
//! thread finished first.

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::config::{ConfigId, Configs};
use crate::discover::{Input, Source};
use crate::error::Error;
use crate::linter::Linter;
use crate::outcome::FileResult;

/// Each thread parses its own catalog and rule data (about a millisecond) and a plan takes
/// about 80 µs, so a thread needs dozens of plans to pay; on a busy machine (measured with
/// other builds running) 100 to 200 plans were still faster on one thread.
const MIN_PLANS_PER_THREAD: usize = 64;

/// The number of threads to use when none is asked for: one per core.
pub fn default_threads() -> NonZeroUsize {
    std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// What [`check`] returns.
#[derive(Debug, Default)]
pub struct Checked {
    /// One result per input, in the order of the inputs.
    pub results: Vec<FileResult>,
    /// Manifests on an addons path that could not be read, each once.
    pub addons_errors: Vec<Error>,
}

/// Checks every input, with up to `threads` threads; `stdin` holds standard input's bytes when
/// an input reads it. Results come back in the order of `inputs`.
pub fn check(inputs: &[Input], stdin: &[u8], configs: &Configs, threads: NonZeroUsize) -> Checked {
    let threads = threads
        .get()
        .min(inputs.len() / MIN_PLANS_PER_THREAD)
        .max(1);
    let next = AtomicUsize::new(0);
    let job = || worker(inputs, stdin, configs, &next);
    let mut done: Vec<Done> = if threads == 1 {
        vec![job()]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|_| scope.spawn(job)).collect();
            handles
                .into_iter()
                .map(|h| match h.join() {
                    Ok(done) => done,
                    // A worker only panics on a bug; re-raise it rather than lose plans silently.
                    Err(panic) => std::panic::resume_unwind(panic),
                })
                .collect()
        })
    };
    let mut results: Vec<(usize, FileResult)> =
        done.iter_mut().flat_map(|d| d.results.drain(..)).collect();
    results.sort_by_key(|(index, _)| *index);
    // Each thread scans an addons tree for itself: report each unreadable manifest once.
    let mut seen = BTreeSet::new();
    let addons_errors = done
        .into_iter()
        .flat_map(|d| d.addons_errors)
        .filter(|e| seen.insert(e.to_string()))
        .collect();
    Checked {
        results: results.into_iter().map(|(_, r)| r).collect(),
        addons_errors,
    }
}

/// One worker's share.
struct Done {
    results: Vec<(usize, FileResult)>,
    addons_errors: Vec<Error>,
}

fn worker(inputs: &[Input], stdin: &[u8], configs: &Configs, next: &AtomicUsize) -> Done {
    let mut linters: BTreeMap<ConfigId, Linter> = BTreeMap::new();
    let mut out = Vec::new();
    loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(input) = inputs.get(index) else {
            break;
        };
        let linter = linters.entry(input.config).or_insert_with(|| {
            let config = configs.get(input.config);
            let linter = Linter::with_data(config.settings.clone(), config.data.clone());
            match configs.addons_override() {
                Some(paths) => linter.with_addons_path(paths.to_vec()),
                None => linter,
            }
        });
        let result = match &input.source {
            Source::File(path) => linter.check_path(path, &input.display),
            Source::Stdin => linter.check_bytes(Path::new(&input.display), &input.display, stdin),
        };
        out.push((index, result));
    }
    Done {
        results: out,
        addons_errors: linters
            .values_mut()
            .flat_map(Linter::take_addons_errors)
            .collect(),
    }
}
