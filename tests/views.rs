//! The views of a plan (`installs`, `why`, `graph`): snapshots of every renderer on the
//! examples, the properties the issue asks for (each module listed once, go-live order), and
//! syntax checks of the diagrams: DOT is rendered by Graphviz where it is installed (and must
//! be when `CI` is set), Mermaid flowcharts and Gantt charts are checked statement by
//! statement, including for names built to break them.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

mod support;

use odoo_order::check::Settings;
use odoo_order::date::Date;
use odoo_order::inspect::{diagram, installs, why};
use odoo_order::linter::Linter;
use odoo_order::plan::Plan;
use odoo_order::report::graph::{dot, gantt, mermaid};
use odoo_order::report::style::Style;

const PLANS: &[&str] = &[
    "examples/acme-rollout.yaml",
    "examples/crm-first.yaml",
    "tests/fixtures/views/weird-names.yaml",
    "tests/fixtures/rules/OO105/fail-self.yaml",
    "tests/fixtures/rules/OO201/fail-parallel.yaml",
];

fn linter() -> Linter {
    Linter::new(Settings {
        today: Date::parse("2026-06-01").unwrap(),
        ..Settings::default()
    })
    .unwrap()
}

fn load(name: &str) -> Plan {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    Plan::from_path(&path, name).unwrap()
}

fn snapshot_name(name: &str, what: &str) -> String {
    let stem = Path::new(name).file_stem().unwrap().to_str().unwrap();
    format!("{what}@{stem}")
}

#[test]
fn installs_snapshots() {
    for name in PLANS {
        let plan = load(name);
        let view = linter().analyse(&plan, |g, _| installs::build(g)).unwrap();
        insta::assert_snapshot!(
            snapshot_name(name, "installs"),
            odoo_order::report::installs::human(&view, Style::new(false))
        );
        insta::assert_snapshot!(
            snapshot_name(name, "installs-json"),
            odoo_order::report::installs::json(&view)
        );
    }
}

#[test]
fn installs_lists_each_module_once_in_go_live_order() {
    for name in PLANS {
        let plan = load(name);
        let (view, order, precedes) = linter()
            .analyse(&plan, |g, _| {
                let n = plan.phases.len();
                let precedes: Vec<Vec<bool>> = (0..n)
                    .map(|p| {
                        (0..n)
                            .map(|q| g.precedes(p, q) && !g.precedes(q, p))
                            .collect()
                    })
                    .collect();
                (installs::build(g), g.go_live_order(), precedes)
            })
            .unwrap();
        let mut seen = HashSet::new();
        for phase in &view.phases {
            let listed = phase
                .planned
                .iter()
                .chain(phase.pulled_in.iter().map(|p| &p.module))
                .chain(phase.auto_installed.iter().map(|a| &a.module));
            for module in listed {
                assert!(
                    seen.insert(module.clone()),
                    "{name}: `{module}` listed twice"
                );
            }
            for p in &phase.pulled_in {
                assert_eq!(
                    p.chain.last(),
                    Some(&p.module),
                    "{name}: chain of {}",
                    p.module
                );
                assert!(p.chain.len() >= 2, "{name}: chain of {}", p.module);
            }
        }
        // Go-live order: a phase never comes before one that precedes it; ties in file order.
        assert_eq!(order.len(), plan.phases.len());
        for (i, &p) in order.iter().enumerate() {
            for &q in &order[i + 1..] {
                assert!(
                    !precedes[q][p],
                    "{name}: {q} precedes {p} but comes after it"
                );
            }
        }
        let ids: Vec<&str> = view.phases.iter().map(|p| p.id.as_str()).collect();
        let expected: Vec<&str> = order
            .iter()
            .map(|&q| plan.phases[q].id.value.as_str())
            .collect();
        assert_eq!(ids, expected, "{name}");
    }
}

#[test]
fn parallel_tracks_order_by_date_then_file_position() {
    let plan = load("examples/acme-rollout.yaml");
    let order = linter().analyse(&plan, |g, _| g.go_live_order()).unwrap();
    // `after` leaves services (2026-02-16) concurrent with operations (2026-03-02): their dates
    // order them (design §3), although operations comes first in the file.
    let ids: Vec<&str> = order
        .iter()
        .map(|&q| plan.phases[q].id.value.as_str())
        .collect();
    assert_eq!(
        ids,
        ["finance", "services", "operations", "commercial", "crm"]
    );
    // Without dates, nothing orders them but the file.
    let undated = Plan::from_bytes(
        Path::new("undated.yaml"),
        "undated.yaml",
        b"odoo: \"17.0\"\nphases:\n  - id: a\n    modules: [account]\n  - id: b\n    after: []\n    modules: [crm]\n  - id: c\n    after: []\n    modules: [project]\n",
    )
    .unwrap();
    let order = linter()
        .analyse(&undated, |g, _| {
            (g.go_live_order(), g.precedes(1, 2), g.precedes(2, 1))
        })
        .unwrap();
    assert_eq!(order, (vec![0, 1, 2], false, false));
    // Different dates order them; equal dates leave them concurrent.
    let dated = Plan::from_bytes(
        Path::new("dated.yaml"),
        "dated.yaml",
        b"odoo: \"17.0\"\nphases:\n  - id: a\n    go_live: 2026-03-01\n    modules: [account]\n  - id: b\n    after: []\n    go_live: 2026-02-01\n    modules: [crm]\n  - id: c\n    after: []\n    go_live: 2026-02-01\n    modules: [project]\n",
    )
    .unwrap();
    let order = linter()
        .analyse(&dated, |g, _| {
            (
                g.go_live_order(),
                g.precedes(1, 0),
                g.precedes(2, 0),
                g.precedes(1, 2),
                g.precedes(2, 1),
            )
        })
        .unwrap();
    assert_eq!(order, (vec![1, 2, 0], true, true, false, false));
}

#[test]
fn why_snapshots() {
    for (name, module) in [
        ("examples/crm-first.yaml", "account"),
        ("examples/crm-first.yaml", "stock_account"),
        ("examples/acme-rollout.yaml", "stock"),
        ("examples/acme-rollout.yaml", "mrp"),
    ] {
        let plan = load(name);
        let view = linter()
            .analyse(&plan, |g, outcome| {
                why::build(g, g.module_id(module).unwrap(), &outcome.findings)
            })
            .unwrap();
        let what = format!("why-{module}");
        insta::assert_snapshot!(
            snapshot_name(name, &what),
            odoo_order::report::why::human(&view, &plan.file, Style::new(false))
        );
        insta::assert_snapshot!(
            snapshot_name(name, &format!("{what}-json")),
            odoo_order::report::why::json(&view, &plan.file)
        );
    }
}

#[test]
fn why_finds_every_finding_that_names_the_module() {
    let plan = load("examples/crm-first.yaml");
    let (view, all) = linter()
        .analyse(&plan, |g, outcome| {
            (
                why::build(g, g.module_id("stock").unwrap(), &outcome.findings),
                outcome.findings.clone(),
            )
        })
        .unwrap();
    let codes: BTreeSet<&str> = view.findings.iter().map(|f| f.code).collect();
    // OO301 names `stock` as its module; OO201 has it in a chain and a related location.
    assert!(
        codes.contains("OO301") && codes.contains("OO201"),
        "{codes:?}"
    );
    assert!(view.findings.len() < all.len());
    let phases: Vec<&str> = view.phases.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        phases,
        ["shop", "finance", "warehouse"],
        "pulled in by the shop, needed in finance by `l10n_din5008_stock` (auto-installed with \
         `l10n_de`), planned in the warehouse"
    );
}

#[test]
fn why_never_calls_an_auto_installed_module_listed() {
    // `stock_account` is listed nowhere: where it auto-installs, its triggers explain it.
    let plan = Plan::from_bytes(
        Path::new("bridge.yaml"),
        "bridge.yaml",
        b"odoo: \"17.0\"\nphases:\n  - id: finance\n    modules: [account]\n  - id: ops\n    modules: [stock]\n",
    )
    .unwrap();
    let view = linter()
        .analyse(&plan, |g, outcome| {
            why::build(g, g.module_id("stock_account").unwrap(), &outcome.findings)
        })
        .unwrap();
    let text = odoo_order::report::why::human(&view, &plan.file, Style::new(false));
    assert!(!text.contains("listed in this phase"), "{text}");
    let ops = view
        .phases
        .iter()
        .find(|p| p.id == "ops")
        .expect("ops installs it");
    assert_eq!(ops.triggers, ["stock", "account"], "{text}");
}

fn diagram_of(name: &str) -> diagram::Diagram {
    let plan = load(name);
    linter()
        .analyse(&plan, |g, outcome| diagram::build(g, &outcome.findings))
        .unwrap()
}

#[test]
fn graph_snapshots() {
    for name in PLANS {
        let d = diagram_of(name);
        insta::assert_snapshot!(snapshot_name(name, "mermaid"), mermaid(&d));
        insta::assert_snapshot!(snapshot_name(name, "dot"), dot(&d));
        insta::assert_snapshot!(
            snapshot_name(name, "gantt"),
            gantt(&d).unwrap_or_else(|e| format!("error: {e}"))
        );
    }
}

#[test]
fn findings_are_red_and_bridges_dashed() {
    let d = diagram_of("examples/crm-first.yaml");
    let node = |module: &str, phase: &str| {
        d.nodes
            .iter()
            .position(|n| n.module == module && d.clusters[n.cluster].id == phase)
            .unwrap_or_else(|| panic!("no node {module} in {phase}"))
    };
    let late = d
        .edges
        .iter()
        .find(|e| {
            e.from == node("sale_management", "kickoff") && e.to == node("account", "finance")
        })
        .expect("the OO201 edge");
    assert!(late.flagged);
    assert_eq!(late.via, ["sale", "account_payment"]);
    assert!(d.nodes[node("sale_management", "kickoff")].flagged);
    assert!(!d.nodes[node("l10n_de", "finance")].flagged);
    // An unplanned bridge is drawn when it posts journal entries, not otherwise.
    assert!(d.nodes[node("sale_stock", "shop")].bridge);
    assert!(d.nodes.iter().all(|n| n.module != "sale_crm"));
    let acme = diagram_of("examples/acme-rollout.yaml");
    assert!(
        acme.nodes.iter().all(|n| !n.flagged),
        "a sound plan has no red"
    );
    assert!(acme.edges.iter().all(|e| !e.flagged));
}

// ----- syntax checks ------------------------------------------------------------------------

/// Whether Graphviz is here; when `CI` is set it must be (`.ci/run` installs it).
fn graphviz() -> bool {
    let found = Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        support::skip("Graphviz `dot` is not installed, so the DOT output is not rendered");
    }
    found
}

#[test]
fn dot_renders_with_graphviz() {
    if !graphviz() {
        return;
    }
    for name in PLANS {
        let mut child = Command::new("dot")
            .arg("-Tsvg")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(dot(&diagram_of(name)).as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{name}: {err}");
        // Graphviz reports lost edges and bad attributes on stderr with a zero exit.
        assert!(err.trim().is_empty(), "{name}: {err}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
    }
}

/// A double-quoted label: its text, and the rest of the line after the closing quote.
fn quoted(s: &str) -> (&str, &str) {
    let s = s
        .strip_prefix('"')
        .unwrap_or_else(|| panic!("not quoted: {s}"));
    let end = s.find('"').unwrap_or_else(|| panic!("unclosed: {s}"));
    (&s[..end], &s[end + 1..])
}

fn id(s: &str, prefix: char) -> usize {
    let digits = s
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("`{s}` is not a {prefix} id"));
    digits.parse().unwrap_or_else(|_| panic!("bad id `{s}`"))
}

/// Checks a flowchart statement by statement: the shapes we emit and nothing else, every
/// label quoted with no raw quote, markup or entity inside, balanced subgraphs, nodes defined
/// once before use, and `linkStyle` indices that exist.
fn check_mermaid(text: &str) {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("---"));
    let title = lines.next().unwrap().strip_prefix("title: ").unwrap();
    serde_json::from_str::<String>(title).unwrap();
    assert_eq!(lines.next(), Some("---"));
    assert_eq!(lines.next(), Some("flowchart RL"));
    let (mut depth, mut link_count) = (0, 0);
    let mut nodes = HashSet::new();
    let mut subgraphs = HashSet::new();
    let label_ok = |label: &str| {
        let text = label.replace("<br>", "");
        assert!(
            !text.contains(['"', '<', '>', '&', '`']),
            "raw markup in {label}"
        );
        // Every `#` opens a numeric entity `#NN;`, and every `;` closes one.
        let mut rest = text.as_str();
        while let Some(i) = rest.find(['#', ';']) {
            assert!(rest[i..].starts_with('#'), "raw `;` in {label}");
            let after = &rest[i + 1..];
            let end = after
                .find(';')
                .unwrap_or_else(|| panic!("raw `#` in {label}"));
            assert!(after[..end].parse::<u32>().is_ok(), "raw `#` in {label}");
            rest = &after[end + 1..];
        }
    };
    for line in lines {
        let l = line.trim();
        if l.starts_with("%% ") {
            continue;
        }
        if let Some(rest) = l.strip_prefix("subgraph ") {
            let (sid, rest) = rest.split_once(' ').unwrap();
            assert!(subgraphs.insert(id(sid, 'p')), "subgraph {sid} twice");
            let (label, tail) = quoted(rest.strip_prefix('[').unwrap());
            label_ok(label);
            assert_eq!(tail, "]");
            depth += 1;
        } else if l == "end" {
            depth -= 1;
            assert!(depth >= 0, "unbalanced end");
        } else if l.starts_with("classDef ") || l.starts_with("style p") {
            assert!(!l.contains('"'));
        } else if let Some(rest) = l.strip_prefix("class ") {
            let (ids, _) = rest.split_once(' ').unwrap();
            for n in ids.split(',') {
                assert!(nodes.contains(&id(n, 'n')), "class for unknown {n}");
            }
        } else if let Some(rest) = l.strip_prefix("linkStyle ") {
            let (idx, _) = rest.split_once(' ').unwrap();
            for i in idx.split(',') {
                assert!(
                    i.parse::<usize>().unwrap() < link_count,
                    "linkStyle {i} of {link_count}"
                );
            }
        } else if l.contains(" ~~~ ") {
            let (a, b) = l.split_once(" ~~~ ").unwrap();
            assert!(subgraphs.contains(&id(a, 'p')) && subgraphs.contains(&id(b, 'p')));
            link_count += 1;
        } else if let Some((from, rest)) = l.split_once(" -") {
            let (arrow, to) = rest.rsplit_once(' ').unwrap();
            let arrow = format!("-{arrow}");
            if let Some(label) = arrow
                .strip_prefix("-->|")
                .or_else(|| arrow.strip_prefix("-.->|"))
            {
                let (text, tail) = quoted(label);
                label_ok(text);
                assert_eq!(tail, "|");
            } else {
                assert!(arrow == "-->" || arrow == "-.->", "arrow {arrow}");
            }
            assert!(nodes.contains(&id(from, 'n')), "edge from unknown {from}");
            assert!(nodes.contains(&id(to, 'n')), "edge to unknown {to}");
            link_count += 1;
        } else {
            let (nid, rest) = l
                .split_once('[')
                .unwrap_or_else(|| panic!("unexpected: {l}"));
            assert!(depth > 0, "node {nid} outside a subgraph");
            assert!(nodes.insert(id(nid, 'n')), "node {nid} twice");
            let (label, tail) = quoted(rest);
            label_ok(label);
            assert_eq!(tail, "]");
        }
    }
    assert_eq!(depth, 0, "unbalanced subgraphs");
}

/// Checks a Gantt chart: the header, then tasks whose names hold nothing the grammar reads as
/// syntax, with unique ids, dates or `after` references to earlier tasks.
fn check_gantt(text: &str) {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("gantt"));
    let title = lines.next().unwrap().trim();
    assert!(title.starts_with("title ") && !title.contains([':', ';', '#']));
    assert_eq!(lines.next().map(str::trim), Some("dateFormat YYYY-MM-DD"));
    assert!(lines.next().unwrap().trim().starts_with("axisFormat "));
    assert!(lines.next().unwrap().trim().starts_with("section "));
    let mut ids = HashSet::new();
    for line in lines {
        let (name, meta) = line.trim().split_once(" :").unwrap();
        assert!(
            !name.contains([':', ';', '#']) && !name.contains("%%"),
            "{name}"
        );
        let first = name.split(' ').next().unwrap().to_ascii_lowercase();
        assert!(!["section", "title", "dateformat", "click", "excludes"].contains(&first.as_str()));
        let parts: Vec<&str> = meta.split(", ").collect();
        let tags = parts
            .iter()
            .take_while(|p| ["crit", "milestone", "done", "active"].contains(p))
            .count();
        let rest = &parts[tags..];
        assert_eq!(rest.len(), 3, "{line}");
        assert!(ids.insert(id(rest[0], 'p')), "{line}");
        if let Some(after) = rest[1].strip_prefix("after ") {
            for a in after.split(' ') {
                assert!(ids.contains(&id(a, 'p')), "after a later task: {line}");
            }
        } else {
            Date::parse(rest[1]).unwrap();
        }
        assert!(rest[2] == "0d" || Date::parse(rest[2]).is_ok(), "{line}");
    }
}

#[test]
fn mermaid_and_gantt_are_well_formed_whatever_the_names() {
    for name in PLANS {
        let d = diagram_of(name);
        check_mermaid(&mermaid(&d));
        if let Ok(chart) = gantt(&d) {
            check_gantt(&chart);
        }
    }
}

#[test]
fn a_plan_without_dates_has_no_gantt_chart() {
    let d = diagram_of("tests/fixtures/rules/OO201/fail.yaml");
    assert!(
        gantt(&d)
            .unwrap_err()
            .contains("no phase has a `go_live` date")
    );
}

#[test]
#[should_panic(expected = "raw markup")]
fn the_mermaid_check_rejects_raw_markup() {
    check_mermaid(
        "---\ntitle: \"t\"\n---\nflowchart RL\n  subgraph p0 [\"a\"]\n    n0[\"x<b>y\"]\n  end\n",
    );
}

#[test]
#[should_panic(expected = "edge to unknown")]
fn the_mermaid_check_rejects_an_edge_to_nowhere() {
    check_mermaid(
        "---\ntitle: \"t\"\n---\nflowchart RL\n  subgraph p0 [\"a\"]\n    n0[\"x\"]\n  end\n  n0 --> n1\n",
    );
}

#[test]
#[should_panic(expected = "after a later task")]
fn the_gantt_check_rejects_a_forward_reference() {
    check_gantt(
        "gantt\n  title t\n  dateFormat YYYY-MM-DD\n  axisFormat %Y\n  section s\n  a :p0, after p1, 0d\n",
    );
}
