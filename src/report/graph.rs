//! `graph`: the diagram as Graphviz DOT or a Mermaid flowchart, and the go-live dates as a
//! Mermaid Gantt chart.
//!
//! Identifiers are generated (`p0`, `n3`), never taken from the plan, and every label is
//! escaped for its format, so any phase or module name is safe. Arrows point from a module to
//! what it needs. Time flows left to right: in DOT each phase is a column, placed by the
//! `after` relations alone (parallel tracks share a column range), with the arrows kept out of
//! the layout; in Mermaid, which has no such control, the layout runs right to left along the
//! arrows, which mostly point back in time.

use crate::inspect::diagram::{Cluster, Diagram, EdgeKind, Node, NodeKind};

const RED: &str = "#cc0000";
const LEGEND: &str =
    "arrows: needs · dashed: bridges (auto-installed) · grey: pulled in · red: findings";

fn cluster_lines(c: &Cluster) -> Vec<String> {
    let mut lines = vec![c.id.clone()];
    if let Some(name) = &c.name {
        lines.push(name.clone());
    }
    lines.push(c.go_live.clone().unwrap_or_else(|| "no date".to_owned()));
    if let Some(after) = &c.after {
        lines.push(if after.is_empty() {
            "parallel track".to_owned()
        } else {
            format!("after {}", after.join(", "))
        });
    }
    if let Some(companies) = &c.companies {
        lines.push(format!("for {}", companies.join(", ")));
    }
    if !c.milestones.is_empty() {
        lines.push(format!("milestones: {}", c.milestones.join(", ")));
    }
    lines
}

fn node_lines(n: &Node) -> Vec<String> {
    let mut lines = vec![n.module.clone()];
    match n.kind {
        NodeKind::Planned => {}
        NodeKind::PulledIn => lines.push("(pulled in)".to_owned()),
        NodeKind::AutoInstalled => lines.push("(auto-installed)".to_owned()),
    }
    if n.posts_entries {
        lines.push("posts journal entries".to_owned());
    }
    lines
}

/// The nodes of each cluster, in node order: one pass, not one per cluster.
fn nodes_by_cluster(d: &Diagram) -> Vec<Vec<usize>> {
    let mut by_cluster = vec![Vec::new(); d.clusters.len()];
    for (i, n) in d.nodes.iter().enumerate() {
        if let Some(members) = by_cluster.get_mut(n.cluster) {
            members.push(i);
        }
    }
    by_cluster
}

// ----- DOT --------------------------------------------------------------------------------

/// A DOT string literal: backslashes and quotes escaped (so `\N`, `\G` and friends stay
/// literal), control characters dropped; lines joined with DOT's centred line break.
fn dot_str(lines: &[String]) -> String {
    let mut out = String::from("\"");
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("\\n");
        }
        for c in line.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
        }
    }
    out.push('"');
    out
}

/// The diagram as a Graphviz `digraph`.
pub fn dot(d: &Diagram) -> String {
    let mut out = String::from("digraph \"odoo-order\" {\n");
    out.push_str(&format!(
        "  graph [rankdir=LR, newrank=true, nodesep=0.25, ranksep=0.4, fontname=\"Helvetica\", labelloc=t, label={}];\n",
        dot_str(&[d.title.clone(), LEGEND.to_owned()])
    ));
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\", fontsize=11];\n",
    );
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    let by_cluster = nodes_by_cluster(d);
    for (k, c) in d.clusters.iter().enumerate() {
        out.push_str(&format!("  subgraph \"cluster_p{k}\" {{\n"));
        out.push_str(&format!("    label={};\n", dot_str(&cluster_lines(c))));
        out.push_str(if c.flagged {
            "    style=rounded; color=\"#cc0000\"; penwidth=2; fontcolor=\"#cc0000\";\n"
        } else {
            "    style=rounded; color=gray50;\n"
        });
        // An invisible anchor keeps empty phases visible. The phase's modules share one rank
        // right after it, and the anchors rank in `after` order: each phase is a column.
        out.push_str(&format!(
            "    \"p{k}\" [shape=point, style=invis, width=0.05, height=0.05, label=\"\"];\n"
        ));
        let members: Vec<String> = by_cluster[k].iter().map(|i| format!("\"n{i}\"")).collect();
        if let Some(first) = members.first() {
            out.push_str(&format!("    \"p{k}\" -> {first} [style=invis];\n"));
            out.push_str(&format!("    {{ rank=same; {}; }}\n", members.join("; ")));
        }
        for &i in &by_cluster[k] {
            let n = &d.nodes[i];
            let mut attrs = vec![format!("label={}", dot_str(&node_lines(n)))];
            let mut styles = vec!["rounded", "filled"];
            if n.bridge {
                styles.push("dashed");
            }
            attrs.push(format!("style=\"{}\"", styles.join(",")));
            if n.kind == NodeKind::PulledIn {
                attrs.push("fillcolor=gray92, fontcolor=gray25".to_owned());
            }
            if n.flagged {
                attrs.push(format!("color=\"{RED}\", fontcolor=\"{RED}\", penwidth=2"));
            }
            out.push_str(&format!("    \"n{i}\" [{}];\n", attrs.join(", ")));
        }
        out.push_str("  }\n");
    }
    for &(later, earlier) in &d.order {
        out.push_str(&format!(
            "  \"p{earlier}\" -> \"p{later}\" [style=invis, minlen=2];\n"
        ));
    }
    for e in &d.edges {
        let mut attrs = vec!["constraint=false".to_owned()];
        if e.kind == EdgeKind::Trigger {
            attrs.push("style=dashed".to_owned());
        }
        if e.flagged {
            attrs.push(format!("color=\"{RED}\", fontcolor=\"{RED}\", penwidth=2"));
        }
        if !e.via.is_empty() {
            attrs.push(format!(
                "label={}",
                dot_str(&[format!("via {}", e.via.join(", "))])
            ));
        }
        out.push_str(&format!(
            "  \"n{}\" -> \"n{}\" [{}];\n",
            e.from,
            e.to,
            attrs.join(", ")
        ));
    }
    out.push_str("}\n");
    out
}

// ----- Mermaid ----------------------------------------------------------------------------

/// Text for a double-quoted Mermaid label: everything Mermaid could read as syntax, markup or
/// an entity becomes a numeric entity code (`#35;`); lines are joined with `<br>`.
fn mermaid_str(lines: &[String]) -> String {
    let mut out = String::from("\"");
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        for c in line.chars() {
            match c {
                '"' | '#' | '<' | '>' | '&' | '`' | ';' => {
                    out.push_str(&format!("#{};", u32::from(c)));
                }
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
        }
    }
    out.push('"');
    out
}

/// The diagram as a Mermaid flowchart.
pub fn mermaid(d: &Diagram) -> String {
    let mut out = String::new();
    out.push_str("---\n");
    // A JSON string is a valid YAML double-quoted scalar, whatever the title holds.
    out.push_str(&format!(
        "title: {}\n",
        serde_json::Value::String(d.title.clone())
    ));
    out.push_str("---\n");
    out.push_str("flowchart RL\n");
    out.push_str(&format!("  %% {LEGEND}\n"));
    let by_cluster = nodes_by_cluster(d);
    for (k, c) in d.clusters.iter().enumerate() {
        out.push_str(&format!(
            "  subgraph p{k} [{}]\n",
            mermaid_str(&cluster_lines(c))
        ));
        for &i in &by_cluster[k] {
            out.push_str(&format!(
                "    n{i}[{}]\n",
                mermaid_str(&node_lines(&d.nodes[i]))
            ));
        }
        out.push_str("  end\n");
    }
    let mut links = 0;
    for &(later, earlier) in &d.order {
        out.push_str(&format!("  p{later} ~~~ p{earlier}\n"));
        links += 1;
    }
    let mut red = Vec::new();
    for e in &d.edges {
        let arrow = match (e.kind, e.via.is_empty()) {
            (EdgeKind::Depends, true) => "-->".to_owned(),
            (EdgeKind::Trigger, true) => "-.->".to_owned(),
            (EdgeKind::Depends, false) => {
                format!(
                    "-->|{}|",
                    mermaid_str(&[format!("via {}", e.via.join(", "))])
                )
            }
            (EdgeKind::Trigger, false) => {
                format!(
                    "-.->|{}|",
                    mermaid_str(&[format!("via {}", e.via.join(", "))])
                )
            }
        };
        out.push_str(&format!("  n{} {arrow} n{}\n", e.from, e.to));
        if e.flagged {
            red.push(links.to_string());
        }
        links += 1;
    }
    out.push_str("  classDef pulled fill:#eeeeee,stroke:#888888,color:#333333\n");
    out.push_str("  classDef bridge stroke-dasharray:5 5\n");
    out.push_str(&format!(
        "  classDef finding stroke:{RED},stroke-width:2px,color:{RED}\n"
    ));
    let class = |pred: &dyn Fn(&Node) -> bool| -> Vec<String> {
        d.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| pred(n))
            .map(|(i, _)| format!("n{i}"))
            .collect()
    };
    for (name, ids) in [
        ("pulled", class(&|n| n.kind == NodeKind::PulledIn)),
        ("bridge", class(&|n| n.bridge)),
        ("finding", class(&|n| n.flagged)),
    ] {
        if !ids.is_empty() {
            out.push_str(&format!("  class {} {name}\n", ids.join(",")));
        }
    }
    for (k, c) in d.clusters.iter().enumerate() {
        if c.flagged {
            out.push_str(&format!(
                "  style p{k} stroke:{RED},stroke-width:2px,color:{RED}\n"
            ));
        }
    }
    if !red.is_empty() {
        out.push_str(&format!(
            "  linkStyle {} stroke:{RED},stroke-width:2px,color:{RED}\n",
            red.join(",")
        ));
    }
    out
}

// ----- Gantt ------------------------------------------------------------------------------

/// Text for a Gantt task name or title: Mermaid's Gantt grammar has no quoting, so the
/// characters it reads as syntax (`:` ends a name, `#` and `;` are read as comments and
/// separators, `%%` starts a comment) become look-alikes or spaces.
fn gantt_clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ':' => out.push('∶'),
            ';' | '#' | '%' => out.push(' '),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.is_empty() {
        "—".to_owned()
    } else {
        out
    }
}

/// A task name: cleaned, and never starting with a keyword of the Gantt grammar.
fn gantt_task(text: &str) -> String {
    let out = gantt_clean(text);
    let first = out
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if GANTT_KEYWORDS.contains(&first.as_str()) {
        // A line starting with a keyword would be read as that statement, not as a task.
        format!("phase {out}")
    } else {
        out
    }
}

/// The words a Gantt line may start with to mean something other than a task.
const GANTT_KEYWORDS: &[&str] = &[
    "title",
    "dateformat",
    "axisformat",
    "tickinterval",
    "excludes",
    "includes",
    "todaymarker",
    "section",
    "inclusiveenddates",
    "topaxis",
    "weekday",
    "weekend",
    "acctitle",
    "accdescr",
    "displaymode",
    "click",
    "gantt",
];

/// The go-live dates as a Mermaid Gantt chart: each phase is the stretch from the go-live of
/// the phases it comes after to its own, ending in its go-live; a phase with no predecessor is
/// a milestone. An undated phase is a milestone right after its predecessors (or at the first
/// date of the plan), marked "no date". A phase an error is about is `crit` (red).
///
/// # Errors
/// When no phase has a date, there is no calendar to draw.
pub fn gantt(d: &Diagram) -> Result<String, String> {
    let Some(first) = d.clusters.iter().filter_map(|c| c.go_live.as_deref()).min() else {
        return Err("no phase has a `go_live` date, so there is no calendar to chart".to_owned());
    };
    let mut out = String::from("gantt\n");
    out.push_str(&format!("  title {}\n", gantt_clean(&d.title)));
    out.push_str("  dateFormat YYYY-MM-DD\n");
    out.push_str("  axisFormat %Y-%m-%d\n");
    out.push_str("  section Go-lives\n");
    let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); d.clusters.len()];
    for &(later, earlier) in &d.order {
        predecessors[later].push(earlier);
    }
    for (k, c) in d.clusters.iter().enumerate() {
        let mut preds = std::mem::take(&mut predecessors[k]);
        preds.sort_unstable();
        let after = preds
            .iter()
            .map(|p| format!("p{p}"))
            .collect::<Vec<_>>()
            .join(" ");
        // A date before a predecessor's (OO104) cannot end a bar that starts after it.
        let inverted = c.go_live.as_deref().is_some_and(|date| {
            preds
                .iter()
                .any(|&p| d.clusters[p].go_live.as_deref().is_some_and(|pd| pd > date))
        });
        let mut name = c
            .name
            .as_ref()
            .map_or_else(|| c.id.clone(), |n| format!("{} ({n})", c.id));
        let mut tags: Vec<&str> = Vec::new();
        if c.has_errors {
            tags.push("crit");
        }
        let timing = match (c.go_live.as_deref(), preds.is_empty()) {
            (Some(date), false) if !inverted => format!("p{k}, after {after}, {date}"),
            (Some(date), _) => {
                tags.push("milestone");
                format!("p{k}, {date}, 0d")
            }
            (None, false) => {
                name.push_str(" (no date)");
                tags.push("milestone");
                format!("p{k}, after {after}, 0d")
            }
            (None, true) => {
                name.push_str(" (no date)");
                tags.push("milestone");
                format!("p{k}, {first}, 0d")
            }
        };
        let tags: String = tags.iter().flat_map(|t| [*t, ", "]).collect();
        out.push_str(&format!("  {} :{tags}{timing}\n", gantt_task(&name)));
        // A phase's milestones are due on its go-live: marks on that day, after its bar.
        for (i, m) in c.milestones.iter().enumerate() {
            let when = c
                .go_live
                .as_deref()
                .map_or_else(|| format!("after p{k}"), str::to_owned);
            out.push_str(&format!(
                "  {} :milestone, p{k}m{i}, {when}, 0d\n",
                gantt_task(&format!("{} - {m}", c.id))
            ));
        }
    }
    Ok(out)
}
