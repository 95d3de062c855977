//! Checks many plans on several cores. Each worker takes the next plan from a shared counter
//! (so one large plan does not hold up a whole share of the list), keeps one [`Linter`] per
//! configuration, and the results are put back in input order: output never depends on which
//! thread finished first.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::config::{ConfigId, Configs};
use crate::discover::{Input, Source};
use crate::linter::Linter;
use crate::report::FileResult;

/// Each thread parses its own catalog and rule data (about a millisecond) and a plan takes
/// about 80 µs, so a thread needs dozens of plans to pay; on a busy machine (measured with
/// other builds running) 100 to 200 plans were still faster on one thread.
const MIN_PLANS_PER_THREAD: usize = 64;

/// The number of threads to use when none is asked for: one per core.
pub fn default_threads() -> NonZeroUsize {
    std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// Checks every input, with up to `threads` threads; `stdin` holds standard input's bytes when
/// an input reads it. Results come back in the order of `inputs`.
pub fn check(
    inputs: &[Input],
    stdin: &[u8],
    configs: &Configs,
    threads: NonZeroUsize,
) -> Vec<FileResult> {
    let threads = threads
        .get()
        .min(inputs.len() / MIN_PLANS_PER_THREAD)
        .max(1);
    let next = AtomicUsize::new(0);
    if threads == 1 {
        return worker(inputs, stdin, configs, &next)
            .into_iter()
            .map(|(_, r)| r)
            .collect();
    }
    let mut results: Vec<(usize, FileResult)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| scope.spawn(|| worker(inputs, stdin, configs, &next)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(results) => results,
                // A worker only panics on a bug; re-raise it rather than lose plans silently.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, r)| r).collect()
}

fn worker(
    inputs: &[Input],
    stdin: &[u8],
    configs: &Configs,
    next: &AtomicUsize,
) -> Vec<(usize, FileResult)> {
    let mut linters: BTreeMap<ConfigId, Linter> = BTreeMap::new();
    let mut out = Vec::new();
    loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(input) = inputs.get(index) else {
            break;
        };
        let linter = linters.entry(input.config).or_insert_with(|| {
            let config = configs.get(input.config);
            Linter::with_data(config.settings.clone(), config.data.clone())
        });
        let result = match &input.source {
            Source::File(path) => linter.check_path(path, &input.display),
            Source::Stdin => linter.check_bytes(Path::new(&input.display), &input.display, stdin),
        };
        out.push((index, result));
    }
    out
}
