//! A seeded mutational fuzzer on stable Rust (issue 9): the examples, every test fixture and
//! our fixture manifests, mutated at the byte, line and YAML-token level and spliced with each
//! other, driven through everything odoo-order does with an input.
//!
//! Each plan goes through the loader, every rule, all seven renderers, the views (`installs`,
//! `why`, `graph` as Mermaid, DOT and Gantt) and `fix` twice; each manifest through the
//! manifest parser. Oracles:
//!
//! - nothing panics, and no input runs past a generous watchdog (a hang aborts the run);
//! - JSON, SARIF and GitLab output is JSON, JUnit output is well-formed XML;
//! - `fix` keeps every module exactly once (each phase ends with what it had, minus what it
//!   says left, plus what it says arrived), keeps every comment, and a second `fix` moves
//!   nothing; a refused `fix` leaves the file as it was (through the binary, on a sample);
//! - a YAML syntax error is reported at the line and column the YAML library gives.
//!
//! Budget: `ODOO_ORDER_FUZZ_SECS` seconds (default 3, so `cargo test` stays quick; `.ci/run`
//! gives it a minute). The seed is fresh each run and printed; a failure prints
//! `ODOO_ORDER_FUZZ_SEED=.. ODOO_ORDER_FUZZ_CASE=..`, which replays exactly that input, and
//! writes the input to `target/tmp/fuzz-failures/`. A longer campaign:
//! `ODOO_ORDER_FUZZ_SECS=3600 cargo test --release --test fuzz -- --nocapture`.

// Test code: a panic is how a test fails, and the fuzzer reports its seed on standard error.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stderr
)]

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use odoo_order::check::Settings;
use odoo_order::error::Error;
use odoo_order::fix::layout::Layout;
use odoo_order::inspect::{diagram, installs, why};
use odoo_order::linter::Linter;
use odoo_order::manifest::Manifest;
use odoo_order::plan::Plan;
use odoo_order::report::style::Style;
use odoo_order::report::{
    self, CheckRun, FileResult, concise, github, gitlab, human, json, junit, sarif,
};
use odoo_order::source::SourceFile;
use serde_saphyr::MessageFormatter as _;

/// How long one input may run before the run is declared hung: generous, since a debug build
/// on a loaded machine is slow, and a hang is forever.
const WATCHDOG: Duration = Duration::from_mins(2);
/// Mutated inputs are cut to this size: big inputs are the benchmarks' business.
const MAX_INPUT: usize = 48 * 1024;

// ----- randomness -------------------------------------------------------------------------

/// `SplitMix64`: small, seedable, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::try_from(self.next() % n as u64).unwrap()
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

fn case_seed(seed: u64, case: u64) -> u64 {
    let mut r = Rng(seed ^ case.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    r.next()
}

// ----- the corpus -------------------------------------------------------------------------

struct Corpus {
    plans: Vec<Vec<u8>>,
    /// The plans that load: most mutations start from one, so most inputs get past the loader
    /// to the rules, the views and `fix`.
    loading: Vec<Vec<u8>>,
    manifests: Vec<Vec<u8>>,
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    for path in paths {
        // Only regular files and directories: a fixture may be a link to something hostile.
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, out);
        } else if meta.is_file() {
            out.push(path);
        }
    }
}

fn corpus() -> Corpus {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("examples"), &mut files);
    walk(&root.join("tests/fixtures"), &mut files);
    let mut plans = Vec::new();
    let mut manifests = Vec::new();
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        if name == "__manifest__.py" || name == "__openerp__.py" {
            manifests.push(bytes);
        } else if [".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e)) {
            plans.push(bytes);
        }
    }
    let loading: Vec<Vec<u8>> = plans
        .iter()
        .filter(|p| Plan::from_bytes(Path::new("p.yaml"), "p.yaml", p).is_ok())
        .cloned()
        .collect();
    assert!(loading.len() > 20, "the fuzz corpus lost its plans");
    assert!(!manifests.is_empty(), "the fuzz corpus lost its manifests");
    Corpus {
        plans,
        loading,
        manifests,
    }
}

// ----- mutations --------------------------------------------------------------------------

/// Pieces of YAML and plan vocabulary a token mutation puts in.
const TOKENS: &[&str] = &[
    ": ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ", ",
    ",",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!str ",
    "!!int ",
    "!tag ",
    "|",
    ">",
    "|-",
    "'",
    "\"",
    "# note",
    " # c",
    "~",
    "null",
    "---",
    "...",
    "? ",
    "\t",
    "\r\n",
    "\r",
    "\n",
    "\u{feff}",
    "é",
    "\u{1b}[31m",
    "\\uD800",
    "\"\\uD800\"",
    "0x1F",
    "1e9",
    "odoo",
    "\"17.0\"",
    "\"18.0\"",
    "\"19.0\"",
    "16.0",
    "phases",
    "id",
    "modules",
    "after",
    "companies",
    "waivers",
    "rule",
    "reason",
    "until",
    "go_live",
    "country",
    "currency",
    "edition",
    "enterprise",
    "hosting",
    "online",
    "installed",
    "addons_path",
    "milestones",
    "name",
    "project",
    "valuation",
    "perpetual",
    "accounting",
    "external",
    "accounting_until",
    "account",
    "l10n_fr",
    "l10n_be",
    "l10n_us",
    "stock",
    "stock_account",
    "mrp",
    "purchase",
    "sale",
    "sale_management",
    "sale_stock",
    "crm",
    "point_of_sale",
    "project",
    "hr_expense",
    "website_sale",
    "helpdesk",
    "account_accountant",
    "sale_managment",
    "base",
    "OO301",
    "layer-order",
    "2026-01-15",
    "2025-02-30",
    "FR",
    "BE",
    "zz",
    "[]",
    "{}",
    "[a, b]",
];

fn mutate(input: &[u8], corpus: &Corpus, rng: &mut Rng) -> Vec<u8> {
    let mut data = input.to_vec();
    let rounds = 1 + rng.below(3);
    for _ in 0..rounds {
        match rng.below(12) {
            0..=2 => byte_mutation(&mut data, rng),
            3..=5 => line_mutation(&mut data, corpus, rng),
            6..=9 => token_mutation(&mut data, rng),
            _ => splice(&mut data, corpus, rng),
        }
    }
    data.truncate(MAX_INPUT);
    data
}

fn byte_mutation(data: &mut Vec<u8>, rng: &mut Rng) {
    let at = rng.below(data.len() + 1);
    match rng.below(6) {
        0 if at < data.len() => data[at] ^= 1 << rng.below(8),
        1 if at < data.len() => data[at] = u8::try_from(rng.below(256)).unwrap(),
        2 => {
            let b = *rng.pick(&[0u8, b'\r', b'\n', b'\t', b' ', 0xff, 0xc3, 0xa9, b'#', b':']);
            data.insert(at, b);
        }
        3 if at < data.len() => {
            let end = (at + 1 + rng.below(16)).min(data.len());
            data.drain(at..end);
        }
        4 if at < data.len() => {
            let end = (at + 1 + rng.below(64)).min(data.len());
            let chunk = data[at..end].to_vec();
            let to = rng.below(data.len() + 1);
            data.splice(to..to, chunk);
        }
        _ => {
            let end = (at + 1).min(data.len());
            data.splice(at..end, std::iter::once(b' '));
        }
    }
}

/// Line boundaries (`\n`, `\r\n` or `\r`): each line with its break.
fn lines(data: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < data.len() {
        let end = match data[i] {
            b'\r' if data.get(i + 1) == Some(&b'\n') => i + 2,
            b'\n' | b'\r' => i + 1,
            _ => {
                i += 1;
                continue;
            }
        };
        out.push(data[start..end].to_vec());
        start = end;
        i = end;
    }
    if start < data.len() {
        out.push(data[start..].to_vec());
    }
    out
}

fn line_mutation(data: &mut Vec<u8>, corpus: &Corpus, rng: &mut Rng) {
    let mut ls = lines(data);
    if ls.is_empty() {
        ls.push(b"\n".to_vec());
    }
    let i = rng.below(ls.len());
    match rng.below(7) {
        0 => {
            ls.remove(i);
        }
        1 => {
            let copy = ls[i].clone();
            let to = rng.below(ls.len() + 1);
            ls.insert(to, copy);
        }
        2 => {
            let j = rng.below(ls.len());
            ls.swap(i, j);
        }
        3 => {
            let spaces = 1 + rng.below(4);
            ls[i].splice(0..0, std::iter::repeat_n(b' ', spaces));
        }
        4 => {
            let n = ls[i].iter().take_while(|&&b| b == b' ').count();
            let cut = rng.below(n + 1);
            ls[i].drain(..cut);
        }
        5 => {
            // A line from another input, where the indentation may or may not fit.
            let other = lines(rng.pick(&corpus.plans).as_slice());
            if !other.is_empty() {
                let line = rng.pick(&other).clone();
                ls.insert(i, line);
            }
        }
        _ => {
            // A comment at the end of the line, before its break.
            let line = &mut ls[i];
            let body = line
                .iter()
                .rposition(|&b| b != b'\n' && b != b'\r')
                .map_or(0, |p| p + 1);
            line.splice(body..body, b"   # fuzz".iter().copied());
        }
    }
    *data = ls.concat();
}

/// Spans of YAML tokens: runs of word characters, and single indicators.
fn token_spans(data: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b >= 0x80 {
            let start = i;
            while i < data.len()
                && (data[i].is_ascii_alphanumeric()
                    || matches!(data[i], b'_' | b'.' | b'-')
                    || data[i] >= 0x80)
            {
                i += 1;
            }
            out.push((start, i));
        } else {
            if !b.is_ascii_whitespace() {
                out.push((i, i + 1));
            }
            i += 1;
        }
    }
    out
}

fn token_mutation(data: &mut Vec<u8>, rng: &mut Rng) {
    let spans = token_spans(data);
    let new = rng.pick(TOKENS).as_bytes().to_vec();
    if spans.is_empty() {
        data.extend_from_slice(&new);
        return;
    }
    let (start, end) = *rng.pick(&spans);
    match rng.below(4) {
        // Replace, insert before, or delete a token; or repeat one taken from the input.
        0 | 1 => {
            data.splice(start..end, new);
        }
        2 => {
            data.splice(start..start, new);
        }
        _ => {
            let (s, e) = *rng.pick(&spans);
            let other = data[s..e].to_vec();
            if rng.chance(2) {
                data.splice(start..end, other);
            } else {
                data.drain(start..end);
            }
        }
    }
}

fn splice(data: &mut Vec<u8>, corpus: &Corpus, rng: &mut Rng) {
    let other = rng.pick(&corpus.plans);
    let a = lines(data);
    let b = lines(other);
    let cut_a = rng.below(a.len() + 1);
    let from_b = rng.below(b.len() + 1);
    let to_b = from_b + rng.below(b.len() - from_b + 1);
    let mut out: Vec<Vec<u8>> = a[..cut_a].to_vec();
    out.extend_from_slice(&b[from_b..to_b]);
    if rng.chance(2) {
        out.extend_from_slice(&a[cut_a..]);
    }
    *data = out.concat();
}

/// What the inputs did, to show that the run reached every stage.
static LOADED: AtomicU64 = AtomicU64::new(0);
static FIXED: AtomicU64 = AtomicU64::new(0);
static REFUSED: AtomicU64 = AtomicU64::new(0);
static LOCATED: AtomicU64 = AtomicU64::new(0);

fn count(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

// ----- oracles ----------------------------------------------------------------------------

/// A failed oracle: what went wrong.
type Verdict = Result<(), String>;

fn ensure(ok: bool, what: impl FnOnce() -> String) -> Verdict {
    if ok { Ok(()) } else { Err(what()) }
}

fn valid_json(format: &str, text: &str) -> Verdict {
    serde_json::from_str::<serde_json::Value>(text)
        .map(|_| ())
        .map_err(|e| format!("{format} output is not JSON ({e}):\n{}", cut(text)))
}

fn cut(text: &str) -> String {
    text.chars().take(2_000).collect()
}

/// Well-formed XML 1.0, as far as JUnit output needs: one root element, tags that nest and
/// close, quoted attributes, known entities, and no character XML forbids.
fn well_formed_xml(text: &str) -> Verdict {
    let bad = |why: &str| {
        Err(format!(
            "JUnit output is not well-formed XML: {why}\n{}",
            cut(text)
        ))
    };
    if let Some(c) = text
        .chars()
        .find(|&c| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
    {
        return bad(&format!("character {c:?}"));
    }
    let mut stack: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        let outside = &rest[..lt];
        check_entities(outside).or_else(|e| bad(&e))?;
        if !stack.is_empty() || outside.trim().is_empty() {
        } else {
            return bad("text outside the root element");
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<?") {
            let Some(end) = after.find("?>") else {
                return bad("unclosed declaration");
            };
            rest = &after[end + 2..];
            continue;
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            let Some(end) = after.find("-->") else {
                return bad("unclosed comment");
            };
            if after[..end].contains("--") {
                return bad("`--` inside a comment");
            }
            rest = &after[end + 3..];
            continue;
        }
        if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let Some(end) = after.find("]]>") else {
                return bad("unclosed CDATA");
            };
            rest = &after[end + 3..];
            continue;
        }
        let Some(gt) = rest.find('>') else {
            return bad("unclosed tag");
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            if stack.pop() != Some(name.trim()) {
                return bad(&format!("`</{name}>` closes nothing open"));
            }
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
        let name = &tag[..name_end];
        if name.is_empty() || tag.contains('<') {
            return bad("bad tag");
        }
        check_attributes(&tag[name_end..]).or_else(|e| bad(&e))?;
        if stack.is_empty() {
            roots += 1;
        }
        if !self_closing {
            stack.push(name);
        }
    }
    if !rest.trim().is_empty() {
        return bad("text after the root element");
    }
    ensure(stack.is_empty() && roots == 1, || {
        format!(
            "JUnit output: unclosed {stack:?} or {roots} roots\n{}",
            cut(text)
        )
    })
}

fn check_entities(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        rest = &rest[amp + 1..];
        let Some(semi) = rest.find(';') else {
            return Err("bare `&`".to_owned());
        };
        let entity = &rest[..semi];
        let known = matches!(entity, "amp" | "lt" | "gt" | "quot" | "apos")
            || entity
                .strip_prefix("#x")
                .is_some_and(|h| u32::from_str_radix(h, 16).is_ok())
            || entity
                .strip_prefix('#')
                .is_some_and(|d| d.parse::<u32>().is_ok());
        if !known {
            return Err(format!("unknown entity `&{entity};`"));
        }
        rest = &rest[semi + 1..];
    }
    Ok(())
}

fn check_attributes(text: &str) -> Result<(), String> {
    let mut rest = text.trim();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else {
            return Err(format!("attribute without a value: `{rest}`"));
        };
        let value = rest[eq + 1..].trim_start();
        let quote = value.chars().next().filter(|&q| q == '"' || q == '\'');
        let Some(quote) = quote else {
            return Err("unquoted attribute".to_owned());
        };
        let Some(end) = value[1..].find(quote) else {
            return Err("unclosed attribute".to_owned());
        };
        let inner = &value[1..=end];
        if inner.contains('<') {
            return Err("`<` in an attribute".to_owned());
        }
        check_entities(inner)?;
        rest = value[end + 2..].trim_start();
    }
    Ok(())
}

/// Renders a result in all seven formats and checks the machine ones parse.
fn render_all(result: FileResult) -> Verdict {
    let run = CheckRun {
        files: vec![result],
        ..CheckRun::default()
    };
    let _ = human::render_run(&run, false, 80);
    let _ = human::render_run(&run, true, 120);
    let _ = concise::render_run(&run);
    let _ = github::render_run(&run);
    valid_json("json", &json::render_run(&run))?;
    valid_json("sarif", &sarif::render_run(&run))?;
    valid_json("gitlab", &gitlab::render_run(&run))?;
    well_formed_xml(&junit::render_run(&run))
}

/// A syntax error is where the YAML library says it is.
fn syntax_located(file: &SourceFile, err: &Error) -> Verdict {
    let Error::Invalid(inv) = err else {
        return Ok(());
    };
    let Some(problem) = inv.problems.first() else {
        return Ok(());
    };
    if problem.code != "plan::syntax" {
        return Ok(());
    }
    let Err(lib) = serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(
        file.text(),
        odoo_order::yaml::options(),
    ) else {
        return Ok(());
    };
    let Some(loc) = lib.location() else {
        return Ok(());
    };
    if loc.line() == 0 {
        return Ok(());
    }
    // Only when the plan's loader stopped at the same error: it reads types as it goes, so a
    // wrong type before the syntax error is reported first, and rightly so.
    let lib_message = serde_saphyr::UserMessageFormatter
        .format_message(lib.without_snippet())
        .into_owned();
    let same = problem
        .message
        .contains(lib_message.lines().next().unwrap_or(""));
    if !same {
        return Ok(());
    }
    count(&LOCATED);
    let ours = inv.location(problem);
    let expected = (
        usize::try_from(loc.line()).unwrap(),
        usize::try_from(loc.column()).unwrap(),
    );
    ensure(
        ours.is_some_and(|at| (at.line, at.column) == expected),
        || {
            format!(
                "syntax error `{}` located at {ours:?}, the YAML library says line {} column {}",
                problem.message, expected.0, expected.1
            )
        },
    )
}

/// Each phase's modules, as counts by name.
fn placement(plan: &Plan) -> Vec<BTreeMap<String, i64>> {
    plan.phases
        .iter()
        .map(|p| {
            let mut counts = BTreeMap::new();
            for m in &p.modules {
                *counts.entry(m.value.clone()).or_insert(0) += 1;
            }
            counts
        })
        .collect()
}

/// Every comment of a plan's text, as written, with how often.
fn comments(text: &str) -> Option<BTreeMap<String, usize>> {
    let layout = Layout::read(text).ok()?;
    let mut out = BTreeMap::new();
    for span in layout.comments {
        let comment = text.get(span.offset..span.end())?.trim_end().to_owned();
        *out.entry(comment).or_insert(0) += 1;
    }
    Some(out)
}

fn check_fix(linter: &mut Linter, plan: &Plan) -> Verdict {
    let fixed = match odoo_order::fix::fix(linter, plan) {
        Ok(fixed) => fixed,
        Err(err) => {
            count(&REFUSED);
            if std::env::var_os("ODOO_ORDER_FUZZ_VERBOSE").is_some() {
                eprintln!("fuzz: fix refused: {err}");
            }
            // A refusal is a located message that renders.
            let _ = human::render_error(&err, false, 80);
            return Ok(());
        }
    };
    let _ = report::fix::diff(&fixed, Style::new(false));
    let _ = report::fix::summary(&fixed, true, Style::new(false));
    if !fixed.changes() {
        return ensure(
            (fixed.moves.is_empty() && fixed.added.is_empty())
                || fixed.after.text() == plan.file.text(),
            || "fix reports moves or additions but changes nothing".to_owned(),
        );
    }
    count(&FIXED);
    let after_text = fixed.after.text().to_owned();
    let after = Plan::parse(fixed.after.clone())
        .map_err(|e| format!("fixed plan does not load: {e}\n{after_text}"))?;
    let mut expected = placement(plan);
    for m in &fixed.moves {
        *expected[m.from].entry(m.module.clone()).or_insert(0) -= 1;
        *expected[m.to].entry(m.module.clone()).or_insert(0) += 1;
    }
    // The module a finding names as its one remedy (OO306's mandate module) is added.
    for a in &fixed.added {
        *expected[a.to].entry(a.module.clone()).or_insert(0) += 1;
    }
    for counts in &mut expected {
        counts.retain(|_, n| *n != 0);
    }
    ensure(placement(&after) == expected, || {
        format!("fix lost, added or misplaced a module:\n{after_text}")
    })?;
    // Every comment is still written, as often as before: two comments may end up on one line
    // (a comment that travels with its item lands after the list's own), but none is lost.
    ensure(comments(&after_text).is_some(), || {
        format!("fix wrote a plan whose layout cannot be read:\n{after_text}")
    })?;
    if let Some(before) = comments(plan.file.text()) {
        for (comment, n) in &before {
            ensure(after_text.matches(comment.as_str()).count() >= *n, || {
                format!("fix lost the comment `{comment}`:\n{after_text}")
            })?;
        }
    }
    let second = odoo_order::fix::fix(linter, &after)
        .map_err(|e| format!("a fixed plan is refused by a second fix: {e}\n{after_text}"))?;
    // Idempotent, unless the first stopped at its budget (then a second run goes on).
    ensure(
        fixed.stopped_early || (second.moves.is_empty() && second.after.text() == after_text),
        || format!("a second fix moved again: {:?}\n{after_text}", second.moves),
    )
}

fn views(linter: &mut Linter, plan: &Plan) -> Verdict {
    let result = linter.analyse(plan, |g, outcome| -> Verdict {
        let view = installs::build(g);
        let _ = report::installs::human(&view, Style::new(false));
        valid_json("installs", &report::installs::json(&view))?;
        let d = diagram::build(g, &outcome.findings);
        let _ = (report::graph::mermaid(&d), report::graph::dot(&d));
        let _ = report::graph::gantt(&d);
        let mut asked: Vec<&str> = plan
            .phases
            .iter()
            .flat_map(|p| p.modules.iter().map(|m| m.value.as_str()))
            .take(2)
            .collect();
        asked.extend(["account", "stock_account"]);
        for name in asked {
            if let Some(m) = g.module_id(name) {
                let w = why::build(g, m, &outcome.findings);
                let _ = report::why::human(&w, &plan.file, Style::new(false));
                valid_json("why", &report::why::json(&w, &plan.file))?;
            }
        }
        Ok(())
    });
    match result {
        Ok(verdict) => verdict,
        // A plan whose series or addons path is wrong has no views; that is a located error.
        Err(err) => {
            let _ = human::render_error(&err, false, 80);
            Ok(())
        }
    }
}

/// Everything odoo-order does with one plan.
fn drive_plan(linter: &mut Linter, bytes: &[u8]) -> Verdict {
    let path = Path::new("fuzz.yaml");
    render_all(linter.check_bytes(path, "fuzz.yaml", bytes))?;
    match Plan::from_bytes(path, "fuzz.yaml", bytes) {
        Ok(plan) => {
            count(&LOADED);
            views(linter, &plan)?;
            check_fix(linter, &plan)
        }
        Err(err) => {
            let _ = concise::render_error(&err);
            match std::str::from_utf8(bytes) {
                Ok(text) => syntax_located(&SourceFile::new(path, "fuzz.yaml", text), &err),
                Err(_) => Ok(()),
            }
        }
    }
}

/// The manifest parser: a manifest or an error inside the text.
fn drive_manifest(bytes: &[u8]) -> Verdict {
    if let Err(err) = Manifest::from_bytes(bytes) {
        ensure(err.offset <= bytes.len(), || {
            format!("manifest error past the end: {err:?}")
        })?;
    }
    Ok(())
}

/// `fix` through the binary, on a file: a refusal leaves the file as it was, and a fix writes
/// what the library worked out.
fn fix_through_binary(linter: &mut Linter, bytes: &[u8], dir: &Path) -> Verdict {
    let path = dir.join("plan.yaml");
    std::fs::write(&path, bytes).unwrap();
    let Ok(plan) = Plan::from_bytes(&path, "plan.yaml", bytes) else {
        return Ok(());
    };
    let expected = match odoo_order::fix::fix(linter, &plan) {
        Ok(fixed) => Some(fixed.after.text().as_bytes().to_vec()),
        Err(_) => None,
    };
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_odoo-order"))
        .args(["--color", "never", "fix"])
        .arg(&path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    let code = status.code();
    ensure(matches!(code, Some(0..=2)), || {
        format!("fix exited with {code:?}")
    })?;
    let now = std::fs::read(&path).unwrap();
    match expected {
        None => ensure(now == bytes, || "a refused fix wrote the file".to_owned()),
        // The binary may also read a configuration; only a write that differs from both the
        // original and the worked-out fix is wrong.
        Some(after) => ensure(now == after || now == bytes, || {
            "fix wrote something else than it worked out".to_owned()
        }),
    }
}

// ----- the run ----------------------------------------------------------------------------

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn save(seed: u64, case: u64, bytes: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{seed}-{case}.input"));
    let _ = std::fs::write(&path, bytes);
    path
}

/// One input: a mutated plan (or, one time in five, a mutated manifest).
fn generate(corpus: &Corpus, seed: u64, case: u64) -> (bool, Vec<u8>) {
    let mut rng = Rng(case_seed(seed, case));
    if rng.chance(5) {
        let base = rng.pick(&corpus.manifests).clone();
        let mut data = base;
        for _ in 0..=rng.below(3) {
            if rng.chance(2) {
                byte_mutation(&mut data, &mut rng);
            } else {
                token_mutation(&mut data, &mut rng);
            }
        }
        return (true, data);
    }
    let base = if rng.chance(5) {
        rng.pick(&corpus.plans).clone()
    } else {
        rng.pick(&corpus.loading).clone()
    };
    (false, mutate(&base, corpus, &mut rng))
}

#[test]
fn fuzz() {
    let corpus = corpus();
    let seed = env_u64("ODOO_ORDER_FUZZ_SEED").unwrap_or_else(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        u64::try_from(now.as_nanos() % u128::from(u64::MAX)).unwrap()
            ^ u64::from(std::process::id())
    });
    let only = env_u64("ODOO_ORDER_FUZZ_CASE");
    let secs = env_u64("ODOO_ORDER_FUZZ_SECS").unwrap_or(3);
    eprintln!("fuzz: seed {seed}, {secs} s (replay with ODOO_ORDER_FUZZ_SEED={seed})");

    // The watchdog: an input that runs past `WATCHDOG` is a hang; the run stops there with the
    // seed and case, since a hung call cannot be interrupted.
    let started = Instant::now();
    let current = Arc::new(AtomicU64::new(u64::MAX));
    let since = Arc::new(AtomicU64::new(0));
    {
        let (current, since) = (Arc::clone(&current), Arc::clone(&since));
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(1));
                let case = current.load(Ordering::SeqCst);
                let at = Duration::from_millis(since.load(Ordering::SeqCst));
                if case != u64::MAX && started.elapsed().saturating_sub(at) > WATCHDOG {
                    eprintln!(
                        "fuzz: input hung for {WATCHDOG:?}: replay with \
                         ODOO_ORDER_FUZZ_SEED={seed} ODOO_ORDER_FUZZ_CASE={case}"
                    );
                    std::process::abort();
                }
            }
        });
    }

    let dir = tempfile::tempdir().unwrap();
    let mut linter = Linter::new(Settings::default()).unwrap();
    let budget = Duration::from_secs(secs);
    let cases: Box<dyn Iterator<Item = u64>> = match only {
        Some(case) => Box::new(std::iter::once(case)),
        None => Box::new(0..),
    };
    let (mut plans, mut manifests) = (0_u64, 0_u64);
    for case in cases {
        if only.is_none() && started.elapsed() > budget && plans + manifests >= 20 {
            break;
        }
        let (is_manifest, bytes) = generate(&corpus, seed, case);
        since.store(
            u64::try_from(started.elapsed().as_millis()).unwrap(),
            Ordering::SeqCst,
        );
        current.store(case, Ordering::SeqCst);
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            if is_manifest {
                drive_manifest(&bytes)
            } else {
                drive_plan(&mut linter, &bytes)?;
                if case % 8 == 0 {
                    fix_through_binary(&mut linter, &bytes, dir.path())?;
                }
                Ok(())
            }
        }));
        current.store(u64::MAX, Ordering::SeqCst);
        let failure = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(why)) => Some(why),
            Err(panic) => Some(format!(
                "panic: {}",
                panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default()
            )),
        };
        if let Some(why) = failure {
            let saved = save(seed, case, &bytes);
            panic!(
                "fuzz case failed: {why}\ninput saved in {}\nreplay with \
                 ODOO_ORDER_FUZZ_SEED={seed} ODOO_ORDER_FUZZ_CASE={case} cargo test --test fuzz",
                saved.display()
            );
        }
        if is_manifest {
            manifests += 1;
        } else {
            plans += 1;
            // A fresh linter now and then, so its caches do not hide a first-use problem.
            if plans % 64 == 0 {
                linter = Linter::new(Settings::default()).unwrap();
            }
        }
    }
    eprintln!(
        "fuzz: {plans} plans ({} loaded, {} changed by fix, {} fixes refused, {} syntax errors \
         located) and {manifests} manifests in {:.1?}",
        LOADED.load(Ordering::Relaxed),
        FIXED.load(Ordering::Relaxed),
        REFUSED.load(Ordering::Relaxed),
        LOCATED.load(Ordering::Relaxed),
        started.elapsed()
    );
    assert!(plans + manifests > 0, "the fuzzer ran nothing");
}
