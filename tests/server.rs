//! Issue 12: `odoo-order server` driven as an editor drives it, over JSON-RPC on the process's
//! standard input and output: initialize, didOpen, didChange, hover, completion, codeAction,
//! definition, shutdown and exit, with the answers checked.

// Helpers outside #[test] functions fail the test the same way.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod server_client;
mod support;

use serde_json::{Value, json};
use server_client::{Client, codes, file_uri, position};

/// A plan with one finding of each kind a feature acts on. Line numbers (0-based) matter to
/// the tests below.
const PLAN: &str = "\
odoo: \"17.0\"
companies:
  - id: acme_fr
    country: FR
phases:
  - id: kickoff
    go_live: 2026-01-10
    modules: [crm, maintenace, sale_management]
  - id: finance
    go_live: 2026-02-01
    modules: [account, l10n_fr]
  - id: ops
    after: [finanse]
    companies: [acme_fr]
    modules: [stock]
";

fn line_col(text: &str, line: usize, needle: &str) -> (u32, u32) {
    let l = text.lines().nth(line).expect("line exists");
    let c = l
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` on line {line}: {l}"));
    (u32::try_from(line).unwrap(), u32::try_from(c).unwrap())
}

/// Applies a versioned workspace edit of one text edit to `text` (UTF-8 positions).
fn apply(text: &str, edit: &Value) -> String {
    let change = &edit["documentChanges"][0]["edits"][0];
    let offset = |p: &Value| {
        let line = usize::try_from(p["line"].as_u64().unwrap()).unwrap();
        let ch = usize::try_from(p["character"].as_u64().unwrap()).unwrap();
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + ch
    };
    let (a, b) = (
        offset(&change["range"]["start"]),
        offset(&change["range"]["end"]),
    );
    let mut out = text.to_owned();
    out.replace_range(a..b, change["newText"].as_str().unwrap());
    out
}

fn titles(actions: &Value) -> Vec<String> {
    actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_owned())
        .collect()
}

fn action<'a>(actions: &'a Value, starts: &str) -> &'a Value {
    actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with(starts))
        .unwrap_or_else(|| panic!("no action `{starts}…` in {:?}", titles(actions)))
}

fn text_document(uri: &str) -> Value {
    json!({"uri": uri})
}

fn at(uri: &str, (line, character): (u32, u32)) -> Value {
    json!({"textDocument": text_document(uri), "position": position(line, character)})
}

fn code_actions(client: &mut Client, uri: &str, (line, character): (u32, u32)) -> Value {
    client.call(
        "textDocument/codeAction",
        json!({
            "textDocument": text_document(uri),
            "range": {"start": position(line, character), "end": position(line, character)},
            "context": {"diagnostics": []},
        }),
    )
}

#[test]
#[allow(clippy::too_many_lines)] // one session, step by step in the order an editor sends it
fn a_session_as_an_editor_runs_it() {
    let dir = support::scratch();
    let path = dir.path().join("plan.yaml");
    std::fs::write(&path, PLAN).unwrap();
    // The plan's configuration applies: OO101 is a warning here.
    std::fs::write(
        dir.path().join("odoo-order.yaml"),
        "rules:\n  OO101: warn\n",
    )
    .unwrap();
    let uri = file_uri(&path);
    let (mut client, init) = Client::initialized(dir.path(), &["utf-8", "utf-16"]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(init["serverInfo"]["name"], "odoo-order");
    for capability in [
        "hoverProvider",
        "completionProvider",
        "codeActionProvider",
        "definitionProvider",
    ] {
        assert!(
            !init["capabilities"][capability].is_null(),
            "{capability}: {init}"
        );
    }

    // Diagnostics on open: check's findings, located, with severities and links.
    client.open(&uri, PLAN);
    let diagnostics = client.diagnostics(&uri, Some(1));
    let found = codes(&diagnostics);
    for code in ["OO101", "OO106", "OO201", "OO301"] {
        assert!(found.contains(&code.to_owned()), "{code} in {found:?}");
    }
    let typo = diagnostics.iter().find(|d| d["code"] == "OO101").unwrap();
    let (line, col) = line_col(PLAN, 7, "maintenace");
    assert_eq!(typo["range"]["start"], position(line, col));
    assert_eq!(typo["range"]["end"], position(line, col + 10));
    assert_eq!(
        typo["severity"], 2,
        "the configuration makes OO101 a warning"
    );
    assert_eq!(typo["source"], "odoo-order");
    assert!(
        typo["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("#oo101-unknown-module")
    );
    assert!(
        typo["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `maintenance`?")
    );
    let late = diagnostics.iter().find(|d| d["code"] == "OO201").unwrap();
    assert_eq!(late["severity"], 1);
    let related = late["relatedInformation"]
        .as_array()
        .expect("related locations");
    assert_eq!(related[0]["location"]["uri"], uri.as_str());
    assert_eq!(
        related[0]["location"]["range"]["start"],
        position(10, line_col(PLAN, 10, "account").1)
    );

    // Hover on a module: facts, what it installs in its phase, the findings about it.
    let hover = client.call(
        "textDocument/hover",
        at(&uri, line_col(PLAN, 7, "sale_management]")),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    for expected in [
        "`sale_management` (module)",
        "application",
        "layer: commercial",
        "edition: community",
        "In phase `kickoff`",
        "installed in this phase, as planned",
        "pulls in:",
        "`account`",
        "bridges it completes: ",
        "`sale_crm` (once sale and crm are installed)",
        "OO201",
    ] {
        assert!(text.contains(expected), "`{expected}` in hover:\n{text}");
    }
    // On a phase: its go-live, its companies, what it comes after.
    let hover = client.call("textDocument/hover", at(&uri, line_col(PLAN, 8, "finance")));
    let text = hover["contents"]["value"].as_str().unwrap();
    for expected in [
        "`finance` (phase)",
        "goes live: 2026-02-01",
        "every company",
        "goes live after: `kickoff`",
    ] {
        assert!(text.contains(expected), "`{expected}` in hover:\n{text}");
    }

    // Completion: phase ids in `after:`, modules from the series' catalog.
    let (line, col) = line_col(PLAN, 12, "finanse");
    let items = client.call("textDocument/completion", at(&uri, (line, col + 3)));
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["kickoff", "finance", "ops"]);
    let (line, col) = line_col(PLAN, 14, "stock");
    let items = client.call("textDocument/completion", at(&uri, (line, col + 2)));
    let stock = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "stock_account")
        .expect("catalog modules");
    assert_eq!(stock["textEdit"]["range"]["start"], position(line, col));
    assert_eq!(stock["textEdit"]["range"]["end"], position(line, col + 2));

    // Go to definition: a phase's company to the company.
    let (line, col) = line_col(PLAN, 13, "acme_fr");
    let location = client.call("textDocument/definition", at(&uri, (line, col + 1)));
    assert_eq!(location["uri"], uri.as_str());
    assert_eq!(location["range"]["start"], position(2, 8));

    // Code actions on the typo: "did you mean", and a waiver.
    let actions = code_actions(&mut client, &uri, line_col(PLAN, 7, "maintenace"));
    let replace = action(&actions, "Replace `maintenace` with `maintenance`");
    assert_eq!(replace["isPreferred"], true);
    assert_eq!(replace["diagnostics"][0]["code"], "OO101");
    let waive = action(&actions, "Waive OO101 `unknown-module` for `maintenace`");
    let waived = apply(PLAN, &waive["edit"]);
    assert!(waived.ends_with("waivers:\n  - rule: unknown-module\n    module: maintenace\n    phase: kickoff\n    reason: \"TODO: say why this finding is accepted\"\n"), "{waived}");
    let text = apply(PLAN, &replace["edit"]);
    client.replace(&uri, 2, &text);
    let diagnostics = client.diagnostics(&uri, Some(2));
    assert!(!codes(&diagnostics).contains(&"OO101".to_owned()));

    // The moves `fix` makes for the finding under the cursor.
    let actions = code_actions(&mut client, &uri, line_col(&text, 7, "sale_management]"));
    let moved = action(&actions, "Move `");
    let after_move = apply(&text, &moved["edit"]);
    client.replace(&uri, 3, &after_move);
    let diagnostics = client.diagnostics(&uri, Some(3));
    assert!(
        !codes(&diagnostics).contains(&"OO201".to_owned()),
        "{after_move}\n{diagnostics:?}"
    );

    // "Did you mean" for a dangling reference too (OO106).
    let actions = code_actions(&mut client, &uri, line_col(&after_move, 12, "finanse"));
    action(&actions, "Replace `finanse` with `finance`");
    // An incremental change (one character) is applied where the client says.
    let (line, col) = line_col(&after_move, 12, "finanse");
    client.change(&uri, 4, [line, col + 5, line, col + 6], "c");
    let diagnostics = client.diagnostics(&uri, Some(4));
    assert!(
        !codes(&diagnostics).contains(&"OO106".to_owned()),
        "{diagnostics:?}"
    );

    let status = client.shutdown();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn columns_follow_the_negotiated_encoding() {
    let dir = support::scratch();
    let plan = "odoo: \"17.0\"\nphases:\n  - {id: \"ph😀sé\", modules: [sale_managment]}\n";
    let path = dir.path().join("plan.yaml");
    let uri = file_uri(&path);
    let byte = u32::try_from(plan.lines().nth(2).unwrap().find("sale_managment").unwrap()).unwrap();
    // 😀 is 4 bytes and 2 UTF-16 units, é 2 bytes and 1 unit.
    for (offered, column) in [
        (vec![], byte - 3),
        (vec!["utf-16"], byte - 3),
        (vec!["utf-8"], byte),
        (vec!["utf-32"], byte - 4),
    ] {
        let (mut client, _) = Client::initialized(dir.path(), &offered);
        client.open(&uri, plan);
        let diagnostics = client.diagnostics(&uri, None);
        let typo = diagnostics.iter().find(|d| d["code"] == "OO101").unwrap();
        assert_eq!(typo["range"]["start"], position(2, column), "{offered:?}");
        // Hover at the same position finds the module.
        let hover = client.call("textDocument/hover", at(&uri, (2, column + 1)));
        assert!(
            hover["contents"]["value"]
                .as_str()
                .unwrap()
                .contains("sale_managment"),
            "{offered:?}"
        );
        assert_eq!(client.shutdown().code(), Some(0));
    }
}

#[test]
fn a_broken_plan_leaves_the_others_alone() {
    let dir = support::scratch();
    let good = dir.path().join("good.plan.yaml");
    let broken = dir.path().join("broken.plan.yaml");
    let (good_uri, broken_uri) = (file_uri(&good), file_uri(&broken));
    let (mut client, _) = Client::initialized(dir.path(), &[]);
    client.open(&good_uri, PLAN);
    let before = client.diagnostics(&good_uri, Some(1));
    assert!(!before.is_empty());
    client.open(&broken_uri, PLAN);
    client.diagnostics(&broken_uri, Some(1));
    // Typed into invalid YAML mid-word, and given an unknown key: located hard errors.
    let text = PLAN.replace("modules: [stock]", "modules: [sto");
    client.replace(&broken_uri, 2, &text);
    let errors = client.diagnostics(&broken_uri, Some(2));
    assert_eq!(codes(&errors), ["plan::syntax"], "{errors:?}");
    assert_eq!(errors[0]["severity"], 1);
    let text = PLAN.replace("    go_live: 2026-02-01", "    go_lve: 2026-02-01");
    client.replace(&broken_uri, 3, &text);
    let errors = client.diagnostics(&broken_uri, Some(3));
    assert_eq!(codes(&errors), ["plan::unknown-key"]);
    assert_eq!(errors[0]["range"]["start"], position(9, 4));
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `go_live`?")
    );
    // Its "did you mean" is a quick fix too.
    let actions = code_actions(&mut client, &broken_uri, (9, 6));
    let replace = action(&actions, "Replace `go_lve` with `go_live`");
    assert_eq!(apply(&text, &replace["edit"]), PLAN);
    // Completion still knows the series and the phases while the text is broken.
    let text = PLAN.replace("modules: [stock]", "modules: [stock, sale_s");
    client.replace(&broken_uri, 4, &text);
    client.diagnostics(&broken_uri, Some(4));
    let (line, col) = line_col(&text, 14, "sale_s");
    let items = client.call("textDocument/completion", at(&broken_uri, (line, col + 6)));
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["label"] == "sale_stock")
    );
    // Nothing was published for the good plan meanwhile.
    client.call("textDocument/hover", at(&good_uri, (0, 0)));
    let republished = client.pending_count(|m| m["params"]["uri"] == good_uri.as_str());
    assert_eq!(republished, 0);
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn the_configuration_file_is_checked_too() {
    let dir = support::scratch();
    let config = dir.path().join("odoo-order.yaml");
    let uri = file_uri(&config);
    let (mut client, _) = Client::initialized(dir.path(), &[]);
    client.open(&uri, "rules:\n  layer-order: allow\nfail_onn: warning\n");
    let diagnostics = client.diagnostics(&uri, Some(1));
    assert_eq!(codes(&diagnostics), ["config::unknown-key"]);
    assert_eq!(diagnostics[0]["range"]["start"], position(2, 0));
    client.replace(&uri, 2, "rules:\n  layer-order: allow\nfail_on: warning\n");
    assert!(client.diagnostics(&uri, Some(2)).is_empty());
    // A plan under an invalid configuration says so, pointing at the configuration, once
    // the configuration is saved.
    std::fs::write(&config, "rules:\n  no-such-rule: allow\n").unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let plan = dir.path().join("plan.yaml");
    let plan_uri = file_uri(&plan);
    client.open(&plan_uri, PLAN);
    let diagnostics = client.diagnostics(&plan_uri, Some(1));
    assert_eq!(
        codes(&diagnostics),
        ["config::unknown-rule"],
        "{diagnostics:?}"
    );
    assert_eq!(
        diagnostics[0]["relatedInformation"][0]["location"]["uri"],
        uri.as_str()
    );
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let dir = support::scratch();
    let (mut client, _) = Client::initialized(dir.path(), &[]);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(1));
}

/// Tags, the rename's replacement, references and their definitions, hover on a company and a
/// rule, and the whole fix as a source action.
const TAGGED: &str = "\
odoo: \"18.0\"
companies:
  - id: acme_be
    country: BE
phases:
  - id: finance
    modules: [account, l10n_be, account_audit_trail]
  - id: sales
    after: [finance]
    companies: [acme_be]
    modules: [sale_management, sale_management, crm]
  - id: ops
    after: [sales]
    modules: [stock]
waivers:
  - rule: crm-without-sales
    company: acme_be
    reason: later
";

#[test]
#[allow(clippy::too_many_lines)] // one session, step by step
fn tags_references_and_the_whole_fix() {
    let dir = support::scratch();
    let uri = file_uri(&dir.path().join("plan.yaml"));
    let (mut client, _) = Client::initialized(dir.path(), &["utf-8"]);
    client.open(&uri, TAGGED);
    let diagnostics = client.diagnostics(&uri, Some(1));
    let tags = |code: &str| {
        diagnostics
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("{code} in {diagnostics:?}"))["tags"]
            .clone()
    };
    assert_eq!(
        tags("OO101"),
        json!([2]),
        "a module merged away is deprecated"
    );
    assert_eq!(
        tags("OO102"),
        json!([1]),
        "a module listed again is unnecessary"
    );
    assert_eq!(
        tags("OO108"),
        json!([1]),
        "a waiver that hides nothing is unnecessary"
    );

    // The replacement of a merged module is offered like a "did you mean".
    let actions = code_actions(
        &mut client,
        &uri,
        line_col(TAGGED, 6, "account_audit_trail"),
    );
    let replace = action(&actions, "Replace `account_audit_trail` with `account`");
    assert_eq!(replace["kind"], "quickfix");

    // Definitions of references, and hovers on a company and on a waiver's rule.
    let (line, col) = line_col(TAGGED, 12, "sales");
    let location = client.call("textDocument/definition", at(&uri, (line, col + 2)));
    assert_eq!(location["range"]["start"], position(7, 8));
    let (line, col) = line_col(TAGGED, 16, "acme_be");
    let location = client.call("textDocument/definition", at(&uri, (line, col)));
    assert_eq!(location["range"]["start"], position(2, 8));
    let hover = client.call(
        "textDocument/hover",
        at(&uri, line_col(TAGGED, 2, "acme_be")),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    for expected in [
        "`acme_be` (company)",
        "country: BE",
        "phases: `finance`, `sales`, `ops`",
        "accounting goes live in: `finance`",
    ] {
        assert!(text.contains(expected), "`{expected}` in hover:\n{text}");
    }
    let hover = client.call(
        "textDocument/hover",
        at(&uri, line_col(TAGGED, 15, "crm-without")),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("OO303 `crm-without-sales`"), "{text}");
    assert!(text.contains("#oo303-crm-without-sales"), "{text}");

    // Completion of rule names in a waiver.
    let (line, col) = line_col(TAGGED, 15, "crm-without-sales");
    let items = client.call("textDocument/completion", at(&uri, (line, col + 3)));
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"crm-without-sales") && labels.contains(&"OO303"),
        "{labels:?}"
    );

    // With a fixable error, `source.fixAll` applies every move of `fix`.
    let broken = TAGGED
        .replace(
            "    modules: [stock]",
            "    modules: [stock, point_of_sale]",
        )
        .replace("after: [sales]", "after: []");
    client.replace(&uri, 2, &broken);
    let diagnostics = client.diagnostics(&uri, Some(2));
    assert!(
        codes(&diagnostics).contains(&"OO201".to_owned()),
        "{diagnostics:?}"
    );
    let actions = client.call(
        "textDocument/codeAction",
        json!({
            "textDocument": text_document(&uri),
            "range": {"start": position(0, 0), "end": position(0, 0)},
            "context": {"diagnostics": [], "only": ["source.fixAll"]},
        }),
    );
    let all = action(&actions, "Apply `odoo-order fix` to the plan");
    assert_eq!(all["kind"], "source.fixAll");
    let fixed = apply(&broken, &all["edit"]);
    client.replace(&uri, 3, &fixed);
    let after = client.diagnostics(&uri, Some(3));
    // What moving modules cannot fix remains: the merged module, the repeated one.
    let errors: Vec<Value> = after
        .iter()
        .filter(|d| d["severity"] == 1)
        .cloned()
        .collect();
    assert_eq!(codes(&errors), ["OO101", "OO102"], "{fixed}");
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn the_addons_path_feeds_completion_and_definition() {
    let dir = support::scratch();
    let addon = dir.path().join("addons/acme_custom");
    std::fs::create_dir_all(&addon).unwrap();
    let manifest = addon.join("__manifest__.py");
    std::fs::write(
        &manifest,
        "{'name': 'Acme custom', 'depends': ['sale'], 'installable': True}\n",
    )
    .unwrap();
    let plan = "odoo: \"17.0\"\naddons_path: [addons]\nphases:\n  - id: a\n    modules: [account, acme_custom]\n  - id: b\n    modules: [acme_c]\n";
    let uri = file_uri(&dir.path().join("plan.yaml"));
    let (mut client, _) = Client::initialized(dir.path(), &[]);
    client.open(&uri, plan);
    client.diagnostics(&uri, Some(1));
    let (line, col) = line_col(plan, 6, "acme_c");
    let items = client.call("textDocument/completion", at(&uri, (line, col + 6)));
    let custom = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "acme_custom")
        .expect("the addon is offered");
    assert!(
        custom["detail"].as_str().unwrap().contains("module"),
        "{custom}"
    );
    let location = client.call(
        "textDocument/definition",
        at(&uri, line_col(plan, 4, "acme_custom")),
    );
    let target = location["uri"].as_str().unwrap();
    assert!(target.starts_with("file:///"), "{target}");
    assert!(
        target.ends_with("/addons/acme_custom/__manifest__.py"),
        "{target}"
    );
    assert_eq!(client.shutdown().code(), Some(0));
}
