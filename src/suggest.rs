//! "Did you mean" suggestions for misspelt keys, modules, phases and rules.
//!
//! [`did_you_mean`] and [`closest`] score every candidate: right for the short fixed lists
//! (keys, rule names, countries). For names that grow with the input (a plan's phases, an
//! addons tree's modules), a [`Suggester`] answers each distinct name once and scores a bounded
//! number of candidates per name, so that ten thousand misspellings cost linear time, not ten
//! thousand scans of ten thousand names (issue 9: 20.8 s).

use std::collections::HashMap;

/// Similarity below which a candidate is not offered: keeps unrelated names out.
const THRESHOLD: f64 = 0.85;

/// Names longer than this (in characters) get no suggestion and are no suggestion: Jaro
/// compares each character with a window as wide as half the longer name, so a 300 KB phase
/// id took minutes to compare; no real module, phase or key is that long.
const MAX_CHARS: usize = 256;

/// Jaro-Winkler similarity when it can reach [`THRESHOLD`], else 0. Winkler's prefix bonus
/// adds at most 0.4 × (1 − Jaro), so the threshold needs Jaro ≥ 0.75; Jaro is at most
/// (m/|a| + m/|b| + 1) / 3 with m ≤ the shorter length, so names whose lengths differ by more
/// than four times cannot be close, and are not compared.
fn similarity(a: &str, b: &str) -> f64 {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la > MAX_CHARS || lb > MAX_CHARS || la.min(lb) * 4 < la.max(lb) {
        return 0.0;
    }
    if a.is_ascii() && b.is_ascii() {
        return jaro_winkler_ascii(a.as_bytes(), b.as_bytes());
    }
    strsim::jaro_winkler(a, b)
}

/// `strsim::jaro_winkler` for ASCII names of at most [`MAX_CHARS`] bytes, the same steps on
/// bytes with the flags on the stack and each search starting at its window: a hundred
/// thousand misspelt names scored against their neighbours spent seconds decoding the same
/// characters again for every position.
#[allow(clippy::cast_precision_loss)] // lengths are at most `MAX_CHARS`
fn jaro_winkler_ascii(a: &[u8], b: &[u8]) -> f64 {
    let (la, lb) = (a.len(), b.len());
    if la == 0 && lb == 0 {
        return 1.0;
    }
    if la == 0 || lb == 0 {
        return 0.0;
    }
    let range = (la.max(lb) / 2).saturating_sub(1);
    let mut a_flags = [false; MAX_CHARS];
    let mut b_flags = [false; MAX_CHARS];
    let mut matches = 0_usize;
    for (i, &x) in a.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = lb.min(i + range + 1);
        for j in lo..hi {
            if !b_flags[j] && b[j] == x {
                a_flags[i] = true;
                b_flags[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0_usize;
    let mut j = 0;
    for (i, &x) in a.iter().enumerate() {
        if a_flags[i] {
            while !b_flags[j] {
                j += 1;
            }
            if b[j] != x {
                transpositions += 1;
            }
            j += 1;
        }
    }
    transpositions /= 2;
    let m = matches as f64;
    let jaro = (m / la as f64 + m / lb as f64 + (matches - transpositions) as f64 / m) / 3.0;
    if jaro > 0.7 {
        let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
        jaro + 0.1 * prefix as f64 * (1.0 - jaro)
    } else {
        jaro
    }
}

/// The closest candidate to `input`, if one is close enough to be a likely typo.
///
/// Uses Jaro-Winkler similarity (good at transpositions and shared prefixes, which is how module
/// names are usually misspelt: `sale_managment`), with a threshold that keeps unrelated names out.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    closest(input, candidates, 1).into_iter().next()
}

/// Up to `max` close candidates, best first; ties are broken by name so output is deterministic.
pub fn closest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<&'a str> {
    let lower = input.to_ascii_lowercase();
    rank(
        input,
        candidates
            .into_iter()
            .map(|c| (similarity(&lower, &c.to_ascii_lowercase()), c)),
        max,
    )
}

/// Keeps the close scores, best first, and the alternatives about as close as the best.
fn rank<'a>(input: &str, scored: impl Iterator<Item = (f64, &'a str)>, max: usize) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = scored
        .filter(|&(score, c)| c != input && score >= THRESHOLD)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    // Alternatives only when they are about as close as the best: a clear winner stands alone.
    let best = scored.first().map_or(0.0, |s| s.0);
    scored
        .into_iter()
        .take_while(|(score, _)| *score >= best - 0.03)
        .take(max)
        .map(|(_, c)| c)
        .collect()
}

/// Up to this many candidates, every one is scored.
const FULL_SCAN: usize = 256;

/// Beyond [`FULL_SCAN`], how many neighbours on each side of the input are scored, in each of
/// the two orders (by spelling, and by spelling read backwards).
const WINDOW: usize = 32;

/// "Did you mean" over one set of names, asked many times.
///
/// A typo keeps most of a name's beginning or most of its end (`sale_managment`,
/// `sael_management`), so in a large set the likely answers sort next to the input either by
/// spelling or by spelling read backwards. Only those neighbours are scored: a bounded number
/// per name, whatever the size of the set. Each distinct input is answered once.
#[derive(Debug)]
pub struct Suggester<'a> {
    /// Lower-cased candidates, sorted, with the names as given.
    forward: Vec<(String, &'a str)>,
    /// The same, each read backwards, sorted; the index points into `forward`.
    backward: Vec<(String, usize)>,
    /// Answers given so far, by input and how many were asked for.
    answers: HashMap<(String, usize), Vec<&'a str>>,
    /// For each entry of `forward`, its letters counted ([`Letters`]).
    letters: Vec<Letters>,
}

/// How often each kind of byte occurs in a lower-cased ASCII name (letters, digits, `_`, the
/// rest): two names share at most the sum of the smaller counts as Jaro matches, which rules
/// out most neighbours before Jaro runs (a hundred thousand misspelt names each scored against
/// their neighbours spent seconds in Jaro).
#[derive(Debug, Clone, Copy)]
struct Letters([u8; 40]);

impl Letters {
    fn of(name: &str) -> Option<Self> {
        if !name.is_ascii() || name.len() > usize::from(u8::MAX) {
            return None;
        }
        let mut counts = [0_u8; 40];
        for b in name.bytes() {
            let k = match b {
                b'a'..=b'z' => b - b'a',
                b'0'..=b'9' => 26 + (b - b'0'),
                b'_' => 36,
                b'.' | b'-' => 37,
                _ => 38 + b % 2,
            };
            let slot = &mut counts[usize::from(k)];
            *slot = slot.saturating_add(1);
        }
        Some(Self(counts))
    }

    /// Whether two ASCII names of these counts and lengths can reach [`THRESHOLD`]: that needs
    /// Jaro ≥ 0.75 (see [`similarity`]), so m/|a| + m/|b| ≥ 1.25 with m matches, and m is at
    /// most the letters they share.
    fn may_reach(self, la: usize, other: Self, lb: usize) -> bool {
        let shared: usize = self
            .0
            .iter()
            .zip(other.0)
            .map(|(&x, y)| usize::from(x.min(y)))
            .sum();
        // m · (la + lb) ≥ 1.25 · la · lb, in integers.
        4 * shared * (la + lb) >= 5 * la * lb
    }
}

impl<'a> Suggester<'a> {
    /// Prepares a set of candidate names (duplicates are fine).
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let mut forward: Vec<(String, &str)> = candidates
            .into_iter()
            .map(|c| (c.to_ascii_lowercase(), c))
            .collect();
        forward.sort_unstable();
        forward.dedup();
        let mut backward: Vec<(String, usize)> = if forward.len() > FULL_SCAN {
            forward
                .iter()
                .enumerate()
                .map(|(i, (lower, _))| (lower.chars().rev().collect(), i))
                .collect()
        } else {
            Vec::new()
        };
        backward.sort_unstable();
        let letters = forward
            .iter()
            .map(|(lower, _)| Letters::of(lower).unwrap_or(Letters([u8::MAX; 40])))
            .collect();
        Self {
            forward,
            backward,
            answers: HashMap::new(),
            letters,
        }
    }

    /// The closest candidate to `input`, if one is close enough to be a likely typo.
    pub fn did_you_mean(&mut self, input: &str) -> Option<&'a str> {
        self.suggestions(input, 1).first().copied()
    }

    /// Up to `max` close candidates, best first, like [`closest`]; each distinct question is
    /// answered once.
    pub fn suggestions(&mut self, input: &str, max: usize) -> &[&'a str] {
        let key = (input.to_owned(), max);
        if !self.answers.contains_key(&key) {
            let answer = self.closest(input, max);
            self.answers.insert(key.clone(), answer);
        }
        self.answers.get(&key).map_or(&[], Vec::as_slice)
    }

    /// Up to `max` close candidates, best first, like [`closest`].
    pub fn closest(&self, input: &str, max: usize) -> Vec<&'a str> {
        let lower = input.to_ascii_lowercase();
        let letters = Letters::of(&lower);
        let score = |i: usize| {
            let (candidate, name) = &self.forward[i];
            if let Some(mine) = letters
                && candidate.is_ascii()
                && !mine.may_reach(lower.len(), self.letters[i], candidate.len())
            {
                return (0.0, *name);
            }
            (similarity(&lower, candidate), *name)
        };
        rank(input, self.picked(&lower).into_iter().map(score), max)
    }

    /// The candidates worth scoring for `input` (all of them in a small set; otherwise the
    /// neighbours by spelling either way), for a caller with its own measure of closeness.
    pub fn neighbours(&self, input: &str) -> Vec<&'a str> {
        let lower = input.to_ascii_lowercase();
        self.picked(&lower)
            .into_iter()
            .map(|i| self.forward[i].1)
            .collect()
    }

    /// Indices into `forward` of the candidates to score for a lower-cased input.
    fn picked(&self, lower: &str) -> Vec<usize> {
        if self.forward.len() <= FULL_SCAN {
            return (0..self.forward.len()).collect();
        }
        let mut picked = window(&self.forward, lower, |(c, _)| c.as_str());
        let reversed: String = lower.chars().rev().collect();
        picked.extend(
            window(&self.backward, &reversed, |(c, _)| c.as_str())
                .into_iter()
                .map(|i| self.backward[i].1),
        );
        picked.sort_unstable();
        picked.dedup();
        picked
    }
}

/// The indices of the [`WINDOW`] entries on each side of where `key` sorts in `sorted`.
fn window<T>(sorted: &[T], key: &str, text: impl Fn(&T) -> &str) -> Vec<usize> {
    let at = sorted.partition_point(|entry| text(entry) < key);
    (at.saturating_sub(WINDOW)..(at + WINDOW).min(sorted.len())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_ignores_strangers() {
        let names = ["sale", "sale_management", "stock", "account"];
        assert_eq!(
            did_you_mean("sale_managment", names),
            Some("sale_management")
        );
        assert_eq!(did_you_mean("acount", names), Some("account"));
        assert_eq!(did_you_mean("helpdesk", names), None);
        assert_eq!(
            did_you_mean("modulse", ["id", "modules", "go_live"]),
            Some("modules")
        );
    }

    #[test]
    fn the_ascii_scorer_is_strsim_exactly() {
        let names = [
            "",
            "a",
            "ab",
            "ba",
            "sale",
            "sael",
            "sale_management",
            "sale_managment",
            "account",
            "acount",
            "accuont",
            "l10n_fr",
            "l10n_be_reports",
            "stock_account",
            "point_of_sale",
            "piont_of_sale",
            "crm",
            "mrp",
            "aaaa",
            "abab",
            "dixon",
            "dicksonx",
            "martha",
            "marhta",
            "x",
            "module_1234_stokc",
            "xmodule_1234_stock",
        ];
        for a in names {
            for b in names {
                let ours = jaro_winkler_ascii(a.as_bytes(), b.as_bytes());
                let theirs = strsim::jaro_winkler(a, b);
                assert!(
                    ours.to_bits() == theirs.to_bits(),
                    "{a:?} {b:?}: {ours} {theirs}"
                );
            }
        }
    }

    /// The letter bound never rules out a name Jaro-Winkler would offer.
    #[test]
    fn the_letter_bound_keeps_every_close_name() {
        let names = [
            "sale",
            "sael",
            "sale_management",
            "sale_managment",
            "sale_managment_123",
            "account",
            "acount",
            "accuont",
            "l10n_fr",
            "stock_account",
            "point_of_sale",
            "piont_of_sale",
            "crm",
            "mrp",
            "aaaa",
            "abab",
            "x",
            "module_1234_stokc",
            "xmodule_1234_stock",
            "sale_stock",
            "website_sale_stock",
            "stock",
            "stokc",
        ];
        for a in names {
            for b in names {
                let (la, lb) = (Letters::of(a).unwrap(), Letters::of(b).unwrap());
                if similarity(a, b) >= THRESHOLD {
                    assert!(la.may_reach(a.len(), lb, b.len()), "{a} {b}");
                }
            }
        }
        assert!(!Letters::of("sale_managment_123").unwrap().may_reach(
            18,
            Letters::of("sale_stock").unwrap(),
            10
        ));
    }

    #[test]
    fn huge_names_get_no_suggestion_and_cost_nothing() {
        // Issue 9: a 300 KB phase id took minutes in Jaro; no name that long is a typo.
        let long = "a".repeat(300_000);
        let longer = format!("{long}b");
        assert_eq!(did_you_mean(&long, [longer.as_str(), "account"]), None);
        assert_eq!(did_you_mean("account", [longer.as_str()]), None);
        let mut s = Suggester::new([longer.as_str(), "sale"]);
        assert_eq!(s.did_you_mean(&long), None);
        // Lengths four times apart cannot reach the threshold, so skipping them changes nothing.
        assert_eq!(did_you_mean("crm", ["crm_livechat_extra"]), None);
        assert!(strsim::jaro_winkler("crm", "crm_livechat_extra") < THRESHOLD);
    }

    #[test]
    fn a_suggester_agrees_with_a_full_scan_on_small_sets() {
        let names = ["sale", "sale_management", "stock", "account", "Account"];
        let mut s = Suggester::new(names);
        for input in ["sale_managment", "acount", "helpdesk", "stokc", "sale"] {
            assert_eq!(s.did_you_mean(input), did_you_mean(input, names), "{input}");
            // Asked again, the same answer (from the cache).
            assert_eq!(s.did_you_mean(input), did_you_mean(input, names), "{input}");
        }
    }

    #[test]
    fn a_suggester_finds_typos_at_either_end_of_a_large_set() {
        let names: Vec<String> = (0..5000)
            .map(|i| format!("module_{i:04}_{}", ["sale", "stock", "crm"][i % 3]))
            .chain(["sale_management".to_owned(), "point_of_sale".to_owned()])
            .collect();
        let mut s = Suggester::new(names.iter().map(String::as_str));
        assert_eq!(s.did_you_mean("sale_managment"), Some("sale_management"));
        assert_eq!(s.did_you_mean("sael_management"), Some("sale_management"));
        assert_eq!(s.did_you_mean("piont_of_sale"), Some("point_of_sale"));
        assert_eq!(
            s.did_you_mean("module_1234_stokc"),
            Some("module_1234_stock")
        );
        assert_eq!(
            s.did_you_mean("xmodule_1234_stock"),
            Some("module_1234_stock")
        );
        assert_eq!(s.did_you_mean("helpdesk"), None);
        // Where the window holds the answers, it agrees with scoring every name.
        for input in ["module_0001_sal", "sale_managment", "modul_4999_crm"] {
            let full = closest(input, names.iter().map(String::as_str), 3);
            assert_eq!(s.suggestions(input, 3), full.as_slice(), "{input}");
        }
    }
}
