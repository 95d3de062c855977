//! Issue 12: nothing a client sends ends `odoo-order server` but `exit`: malformed frames and
//! requests, unknown methods, bad parameters, a file that is not a plan, and a plan typed
//! into invalid YAML mid-word, one keystroke at a time.

// Helpers outside #[test] functions fail the test the same way.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod server_client;
mod support;

use serde_json::{Value, json};
use server_client::{Client, codes, file_uri, position};

/// The server still answers: a hover on nothing is `null`, not an error.
fn alive(client: &mut Client) {
    let answer = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere.yaml"}, "position": position(0, 0)}),
    );
    assert_eq!(answer["result"], Value::Null, "{answer}");
    assert!(client.running());
}

fn error_code(response: &Value) -> i64 {
    response["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("an error: {response}"))
}

#[test]
fn malformed_frames_are_answered_and_skipped() {
    let dir = support::scratch();
    let (mut client, _) = Client::initialized(dir.path(), &[]);
    let null = Value::Null;
    // Not JSON.
    client.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    assert_eq!(error_code(&client.response(&null)), -32700);
    // JSON, but not a JSON-RPC message: the id is answered when it can be read.
    client.send(&json!({"jsonrpc": "2.0", "id": 41, "method": 5}));
    assert_eq!(error_code(&client.response(&json!(41))), -32600);
    client.send(&json!([1, 2, 3]));
    assert_eq!(error_code(&client.response(&null)), -32600);
    // No Content-Length, then a length that is not a number.
    client.send_raw(b"Content-Type: application/json\r\n\r\n");
    assert_eq!(error_code(&client.response(&null)), -32700);
    client.send_raw(b"Content-Length: lots\r\n\r\n");
    assert_eq!(error_code(&client.response(&null)), -32700);
    // A body that is not UTF-8.
    client.send_raw(b"Content-Length: 4\r\n\r\n\xff\xfe{}");
    assert_eq!(error_code(&client.response(&null)), -32700);
    alive(&mut client);
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn unknown_methods_and_bad_parameters_are_refused_not_fatal() {
    let dir = support::scratch();
    let mut client = Client::start(dir.path(), &[]);
    // Before `initialize`, requests are refused.
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(error_code(&early), -32002);
    // A stray response, an unreadable `initialize`: the server waits for a good one.
    client.send(&json!({"jsonrpc": "2.0", "id": 99, "result": null}));
    let bad = client.request("initialize", json!({"capabilities": 7}));
    assert_eq!(error_code(&bad), -32602);
    client.initialize(&[]);
    let unknown = client.request("workspace/symbol", json!({"query": ""}));
    assert_eq!(error_code(&unknown), -32601);
    let unknown = client.request("odoo-order/nonsense", Value::Null);
    assert_eq!(error_code(&unknown), -32601);
    let bad = client.request("textDocument/hover", json!({"textDocument": 3}));
    assert_eq!(error_code(&bad), -32602);
    let bad = client.request("textDocument/completion", Value::Null);
    assert_eq!(error_code(&bad), -32602);
    let again = client.request("initialize", json!({"capabilities": {}}));
    assert_eq!(error_code(&again), -32600);
    // Unknown notifications and notifications with bad parameters are ignored.
    client.notify("odoo-order/whatever", json!({"x": 1}));
    client.notify("textDocument/didOpen", json!({"textDocument": "plan.yaml"}));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///never/opened.yaml", "version": 2}, "contentChanges": [{"text": "odoo: 1"}]}),
    );
    client.notify("$/cancelRequest", json!({"id": 1}));
    // A position far outside the document is clamped, not a failure.
    let dir_uri = file_uri(&dir.path().join("plan.yaml"));
    client.open(
        &dir_uri,
        "odoo: \"17.0\"\nphases:\n  - id: a\n    modules: [crm]\n",
    );
    client.diagnostics(&dir_uri, Some(1));
    let far = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": dir_uri}, "position": position(4_000_000, 4_000_000)}),
    );
    assert!(far.get("error").is_none(), "{far}");
    alive(&mut client);
    // After `shutdown`, requests are refused; `exit` then ends with 0.
    assert_eq!(client.call("shutdown", Value::Null), Value::Null);
    let late = client.request("textDocument/hover", json!({}));
    assert_eq!(error_code(&late), -32600);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(0));
}

#[test]
fn a_file_that_is_not_a_plan_is_left_alone() {
    let dir = support::scratch();
    let (mut client, _) = Client::initialized(dir.path(), &[]);
    let notes = file_uri(&dir.path().join("notes.yaml"));
    let text = "title: [not, a plan\nitems: {";
    client.open(&notes, text);
    for (method, params) in [
        (
            "textDocument/hover",
            json!({"textDocument": {"uri": notes}, "position": position(0, 9)}),
        ),
        (
            "textDocument/completion",
            json!({"textDocument": {"uri": notes}, "position": position(0, 9)}),
        ),
        (
            "textDocument/definition",
            json!({"textDocument": {"uri": notes}, "position": position(0, 9)}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": {"uri": notes}, "range": {"start": position(0, 0), "end": position(1, 0)}, "context": {"diagnostics": []}}),
        ),
    ] {
        let answer = client.request(method, params);
        assert!(answer.get("error").is_none(), "{method}: {answer}");
        assert!(
            answer["result"].is_null() || answer["result"] == json!([]),
            "{method}: {answer}"
        );
    }
    // Nothing was published for it; it becomes a plan once it says `odoo:` at the top.
    assert_eq!(
        client.pending_count(|m| m["params"]["uri"] == notes.as_str()),
        0
    );
    client.replace(&notes, 2, "odoo: \"17.0\"\nphases: []\n");
    let diagnostics = client.diagnostics(&notes, Some(2));
    assert_eq!(codes(&diagnostics), ["plan::no-phases"]);
    // Binary-looking text, a huge line, an empty file: still no crash.
    client.replace(&notes, 3, "\u{0}\u{1}odoo: \u{feff}\u{7f}");
    client.diagnostics(&notes, Some(3));
    client.replace(&notes, 4, &format!("odoo: \"{}\"\n", "9".repeat(200_000)));
    client.diagnostics(&notes, Some(4));
    client.replace(&notes, 5, "");
    alive(&mut client);
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn typing_a_plan_keystroke_by_keystroke_never_ends_the_server() {
    // Every prefix of a plan is sent, one character at a time, with requests in between: most
    // prefixes are invalid YAML, many end mid-word.
    let plan = "odoo: \"17.0\"\ncompanies:\n  - {id: acme, country: FR}\nphases:\n  - id: finance\n    modules: [account, l10n_fr]\n  - id: sales\n    after: [finance]\n    companies: [acme]\n    modules:\n      - sale_management\n      - crm\nwaivers:\n  - rule: layer-order\n    reason: \"since 2024\"\n";
    let dir = support::scratch();
    let uri = file_uri(&dir.path().join("plan.yaml"));
    let (mut client, _) = Client::initialized(dir.path(), &["utf-8"]);
    client.open(&uri, "");
    let (mut line, mut col) = (0u32, 0u32);
    let mut version = 1;
    for c in plan.chars() {
        version += 1;
        client.change(&uri, version, [line, col, line, col], &c.to_string());
        if c == '\n' {
            line += 1;
            col = 0;
        } else {
            col += u32::try_from(c.len_utf8()).unwrap();
        }
        if version % 7 == 0 {
            let at = json!({"textDocument": {"uri": uri}, "position": position(line, col)});
            for method in [
                "textDocument/completion",
                "textDocument/hover",
                "textDocument/definition",
            ] {
                let answer = client.request(method, at.clone());
                assert!(
                    answer.get("error").is_none(),
                    "{method} at {line}:{col}: {answer}"
                );
            }
        }
    }
    // The whole plan, typed: its diagnostics are what `check` reports for it, at the same
    // places (the waiver is unused, and a bridge lands).
    let diagnostics = client.diagnostics(&uri, Some(version));
    let path = dir.path().join("plan.yaml");
    std::fs::write(&path, plan).unwrap();
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_odoo-order"))
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&check.stdout).unwrap();
    let expected: Vec<(String, u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let code = f["code"].as_str().unwrap().to_owned();
            (
                code,
                f["line"].as_u64().unwrap() - 1,
                f["column"].as_u64().unwrap() - 1,
            )
        })
        .collect();
    let got: Vec<(String, u64, u64)> = diagnostics
        .iter()
        .map(|d| {
            let start = &d["range"]["start"];
            let code = d["code"].as_str().unwrap().to_owned();
            (
                code,
                start["line"].as_u64().unwrap(),
                start["character"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert_eq!(codes(&diagnostics), ["OO203", "OO108"], "{diagnostics:?}");
    assert_eq!(
        diagnostics[1]["tags"],
        json!([1]),
        "an unused waiver is unnecessary"
    );
    assert_eq!(client.shutdown().code(), Some(0));
}
