//! "Did you mean" suggestions for misspelt keys, modules, phases and rules.

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
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter(|c| *c != input)
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.85)
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
}
