//! Issue 12: a scripted session in a real editor. Neovim (headless, as Debian packages it:
//! 0.7 has `vim.lsp.start_client`) opens the broken example plan with `odoo-order server` as
//! its language server and shows its diagnostics: the same findings `check` reports, on the
//! same lines. Skipped with a note where Neovim is not installed; required under CI
//! (`.ci/run` installs it).

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The session: open the plan, start and attach the server, wait for its diagnostics, ask
/// for a hover, write what the editor shows as JSON, stop the server, quit. Any Lua error
/// is written out too, and the editor always quits.
const SCRIPT: &str = r"
local bin, plan, out = os.getenv('ODOO_ORDER_BIN'), os.getenv('ODOO_ORDER_PLAN'), os.getenv('ODOO_ORDER_OUT')
local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(plan))
  local buf = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({
    name = 'odoo-order',
    cmd = { bin, 'server' },
    root_dir = vim.fn.fnamemodify(plan, ':h'),
  })
  assert(client, 'the client did not start')
  vim.lsp.buf_attach_client(buf, client)
  local shown = vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  local diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(diagnostics, {
      lnum = d.lnum, col = d.col, severity = d.severity, source = d.source,
      message = d.message, code = d.code or lsp.code,
    })
  end
  table.sort(diagnostics, function(a, b)
    if a.lnum ~= b.lnum then return a.lnum < b.lnum end
    if a.col ~= b.col then return a.col < b.col end
    return tostring(a.code) < tostring(b.code)
  end)
  local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = 14, character = 40 },
  }, 20000)
  local hover_text = ''
  for _, answer in pairs(hover or {}) do
    if answer.result then hover_text = answer.result.contents.value end
  end
  vim.lsp.stop_client(client)
  local stopped = vim.wait(10000, function() return vim.lsp.client_is_stopped(client) end, 50)
  return { shown = shown, diagnostics = diagnostics, hover = hover_text, stopped = stopped }
end
local ok, result = pcall(run)
if not ok then result = { error = tostring(result) } end
local f = io.open(out, 'w')
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd('qa!')
";

#[test]
fn neovim_shows_the_diagnostics_of_a_broken_plan() {
    if !support::require("Neovim (nvim)", Command::new("nvim").arg("--version")) {
        return;
    }
    let dir = support::scratch();
    let plan = dir.path().join("plan.yaml");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/crm-first.yaml");
    std::fs::copy(&example, &plan).unwrap();
    let script = dir.path().join("session.lua");
    std::fs::write(&script, SCRIPT).unwrap();
    let out = dir.path().join("out.json");
    let mut nvim = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("ODOO_ORDER_BIN", env!("CARGO_BIN_EXE_odoo-order"))
        .env("ODOO_ORDER_PLAN", &plan)
        .env("ODOO_ORDER_OUT", &out)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_mins(2);
    while nvim.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = nvim.kill();
            panic!("Neovim did not finish the session");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let shown: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert!(
        shown.get("error").is_none(),
        "the Lua session failed: {shown}"
    );
    assert_eq!(shown["shown"], true, "no diagnostics shown: {shown}");
    assert_eq!(shown["stopped"], true, "the server did not stop: {shown}");

    // What the editor shows is what `check` reports: code, line and column of each finding.
    let check = Command::new(env!("CARGO_BIN_EXE_odoo-order"))
        .args(["check", "--format", "json"])
        .arg(&plan)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&check.stdout).unwrap();
    let mut expected: Vec<(String, u64, u64)> = report["findings"]
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
    expected.sort_by(|a, b| (a.1, a.2, &a.0).cmp(&(b.1, b.2, &b.0)));
    let got: Vec<(String, u64, u64)> = shown["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let code = d["code"].as_str().unwrap_or("").to_owned();
            (
                code,
                d["lnum"].as_u64().unwrap(),
                d["col"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        expected.len() >= 8,
        "the example is broken in many ways: {expected:?}"
    );
    assert_eq!(got, expected);
    let typo = &shown["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "OO101")
        .unwrap()["message"];
    assert!(typo.as_str().unwrap().contains("sale_managment"), "{typo}");
    assert!(
        shown["hover"]
            .as_str()
            .unwrap()
            .contains("`sale_management` (module)"),
        "{shown}"
    );
}
