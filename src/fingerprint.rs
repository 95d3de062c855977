//! Stable fingerprints of findings, for GitLab Code Quality's `fingerprint` and SARIF's
//! `partialFingerprints`: the same finding keeps its fingerprint when lines move, across runs,
//! machines and Rust versions.
//!
//! A fingerprint hashes (rule, company, phase, module, path), never a line or a message, with
//! 64-bit FNV-1a implemented here: std's `DefaultHasher` is explicitly allowed to change
//! between Rust releases. When several findings of a file share a key, the second and later
//! ones also hash their rank, so fingerprints stay unique and stable while the order of those
//! findings does.

use std::collections::BTreeMap;

use crate::finding::Finding;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// 64-bit FNV-1a.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(FNV_PRIME)
    })
}

/// The identity of a finding, line-free: (rule code, company, phase, module, path).
pub fn key<'a>(path: &'a str, f: &'a Finding) -> [Option<&'a str>; 5] {
    [
        Some(f.code),
        f.company.as_deref(),
        f.phase.as_deref(),
        f.module.as_deref(),
        Some(path),
    ]
}

/// Encodes fields unambiguously (an absent field differs from an empty one) and hashes them.
fn hash_fields(fields: &[Option<&str>], rank: usize) -> u64 {
    let mut bytes = Vec::new();
    for field in fields {
        match field {
            None => bytes.push(0),
            Some(s) => {
                bytes.push(1);
                bytes.extend_from_slice(s.as_bytes());
            }
        }
        bytes.push(0x1f);
    }
    if rank > 0 {
        bytes.extend_from_slice(rank.to_string().as_bytes());
    }
    fnv1a64(&bytes)
}

/// The fingerprints of a file's findings, in the same order, as 16 hex digits.
pub fn of_findings(path: &str, findings: &[Finding]) -> Vec<String> {
    let mut seen: BTreeMap<[Option<&str>; 5], usize> = BTreeMap::new();
    findings
        .iter()
        .map(|f| {
            let key = key(path, f);
            let rank = seen.entry(key).or_default();
            let hash = hash_fields(&key, *rank);
            *rank += 1;
            format!("{hash:016x}")
        })
        .collect()
}

/// The fingerprint of something that is not a finding (a hard failure): its fields hashed.
pub fn of_fields(fields: &[&str]) -> String {
    let fields: Vec<Option<&str>> = fields.iter().copied().map(Some).collect();
    format!("{:016x}", hash_fields(&fields, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules;
    use crate::source::Span;

    #[test]
    fn fnv_matches_the_reference_vectors() {
        // From the FNV reference (http://www.isthe.com/chongo/tech/comp/fnv/): these values
        // must never change, or every GitLab fingerprint of every user changes with them.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn fingerprints_ignore_lines_and_tell_duplicates_apart() {
        let rule = rules::find("OO201").unwrap();
        let at = |offset| {
            Finding::new(rule, Span::new(offset, 3), "m")
                .module("sale")
                .phase("kickoff")
        };
        let moved = of_findings("p.yaml", &[at(100)]);
        assert_eq!(of_findings("p.yaml", &[at(5)]), moved);
        assert_eq!(
            moved,
            ["f5702deeef894fd2"],
            "the hash is part of the contract"
        );
        let twice = of_findings("p.yaml", &[at(5), at(50)]);
        assert_eq!(twice[0], moved[0]);
        assert_ne!(twice[0], twice[1]);
        assert_ne!(of_findings("q.yaml", &[at(5)]), moved);
    }
}
