//! The server's loop: the `initialize` handshake, then one message at a time. Changes are
//! debounced: a document is checked once no change to it has come for [`Options::debounce`], so
//! a burst of keystrokes costs one check; a request about a document first checks what is
//! pending for it, so answers always match the text the client has.
//!
//! Nothing a client sends ends the server but `exit` (or the end of its input): a request with
//! bad parameters is answered `InvalidParams`, an unknown method `MethodNotFound`, and a bug
//! in a handler (a panic) `InternalError`, with the server still running.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, LogMessage, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, GotoDefinition, HoverRequest, RegisterCapability, Request as _,
};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, CompletionOptions, CompletionParams, CompletionResponse,
    DocumentChanges, GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents,
    HoverParams, HoverProviderCapability, InitializeParams, InitializeResult, Location,
    LogMessageParams, MarkupContent, MarkupKind, MessageType, OneOf,
    OptionalVersionedTextDocumentIdentifier, PublishDiagnosticsParams, Range, Registration,
    RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo, TextDocumentEdit,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, TextEdit, Uri, WorkspaceEdit,
};
use serde_json::Value;

use super::Options;
use super::actions::{self, Action};
use super::analysis::{Analysis, Checked, Workspace};
use super::completion::{self, Sources};
use super::context;
use super::definition::{self, Definition};
use super::diagnostics;
use super::documents::{Documents, Kind, uri_of};
use super::hover;
use super::position::{self, Encoding};
use crate::error::Error;
use crate::fix::Fixed;
use crate::source::Span;

/// How the session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `exit` after `shutdown`: exit code 0.
    Clean,
    /// `exit` without `shutdown`, or the input ended: exit code 1, as the protocol asks.
    Abrupt,
}

/// What the server keeps of one document between messages.
#[derive(Debug)]
struct State {
    analysis: Analysis,
    /// The last version that loaded as a plan: completion still knows the series and the
    /// phases while the text is broken.
    last_good: Option<Checked>,
    /// Whether diagnostics were published for it (a file that stops being a plan has them
    /// cleared once, and other YAML files are never published for).
    published: bool,
    /// Whether `fix` was worked out for the analysed version (when a code action first needs
    /// it), and what it found.
    fix_tried: bool,
    fixed: Option<Fixed>,
}

/// The server between messages.
pub struct Server {
    conn: Connection,
    encoding: Encoding,
    docs: Documents,
    workspace: Workspace,
    states: BTreeMap<Uri, State>,
    /// Documents waiting to be checked, and when.
    due: BTreeMap<Uri, Instant>,
    debounce: Duration,
    shutdown: bool,
    watch_files: bool,
}

/// Runs the handshake and the loop on a connection until `exit` or the end of the input.
pub fn serve(conn: Connection, options: Options) -> Result<Ending, Error> {
    let workspace = Workspace::new(options.overrides)?;
    let Some((id, params)) = handshake(&conn) else {
        return Ok(Ending::Abrupt);
    };
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let watch_files = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
    let server = Server {
        conn,
        encoding,
        docs: Documents::default(),
        workspace,
        states: BTreeMap::new(),
        due: BTreeMap::new(),
        debounce: options.debounce,
        shutdown: false,
        watch_files,
    };
    server.send(Response::new_ok(id, initialize_result(encoding)));
    Ok(server.run())
}

/// Waits for `initialize`. Other requests meanwhile are answered `ServerNotInitialized`,
/// notifications and responses are dropped (as the protocol asks), and `initialize` with
/// unreadable parameters is answered `InvalidParams` and waited for again; only `exit` or
/// the end of the input ends the wait without it.
fn handshake(conn: &Connection) -> Option<(RequestId, InitializeParams)> {
    loop {
        let refusal = match conn.receiver.recv().ok()? {
            Message::Request(req) if req.method == "initialize" => {
                match serde_json::from_value::<InitializeParams>(req.params) {
                    Ok(params) => return Some((req.id, params)),
                    Err(err) => Response::new_err(
                        req.id,
                        ErrorCode::InvalidParams as i32,
                        format!("invalid `initialize` parameters: {err}"),
                    ),
                }
            }
            Message::Request(req) => Response::new_err(
                req.id,
                ErrorCode::ServerNotInitialized as i32,
                format!("`{}` before `initialize`", req.method),
            ),
            Message::Notification(n) if n.method == "exit" => return None,
            Message::Notification(_) | Message::Response(_) => continue,
        };
        conn.sender.send(refusal.into()).ok()?;
    }
}

fn initialize_result(encoding: Encoding) -> InitializeResult {
    InitializeResult {
        capabilities: ServerCapabilities {
            position_encoding: Some(encoding.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(false),
                    })),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec!["[".into(), ",".into(), " ".into()]),
                ..CompletionOptions::default()
            }),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::SOURCE_FIX_ALL,
                ]),
                ..CodeActionOptions::default()
            })),
            definition_provider: Some(OneOf::Left(true)),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo {
            name: "odoo-order".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    }
}

type Answer = Result<Value, (ErrorCode, String)>;

impl Server {
    fn run(mut self) -> Ending {
        loop {
            let next = self.due.values().min().copied();
            let received = match next {
                Some(deadline) => match self.conn.receiver.recv_deadline(deadline) {
                    Ok(message) => Some(message),
                    Err(err) if err.is_timeout() => None,
                    Err(_) => return Ending::Abrupt,
                },
                None => match self.conn.receiver.recv() {
                    Ok(message) => Some(message),
                    Err(_) => return Ending::Abrupt,
                },
            };
            match received {
                Some(Message::Request(req)) => self.request(req),
                Some(Message::Notification(n)) if n.method == "exit" => {
                    return if self.shutdown {
                        Ending::Clean
                    } else {
                        Ending::Abrupt
                    };
                }
                Some(Message::Notification(n)) => self.notification(n),
                // Answers to our own requests (`client/registerCapability`) need nothing.
                Some(Message::Response(_)) | None => {}
            }
            self.check_due();
        }
    }

    fn send(&self, message: impl Into<Message>) {
        // A send fails only once the client is gone; the loop ends when its input does.
        let _ = self.conn.sender.send(message.into());
    }

    fn log(&self, typ: MessageType, message: String) {
        self.send(Notification::new(
            LogMessage::METHOD.to_owned(),
            LogMessageParams { typ, message },
        ));
    }

    // ----- requests -----------------------------------------------------------------------

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        let answer: Answer = if self.shutdown {
            Err((
                ErrorCode::InvalidRequest,
                "the server is shutting down".to_owned(),
            ))
        } else {
            match req.method.as_str() {
                "shutdown" => {
                    self.shutdown = true;
                    Ok(Value::Null)
                }
                "initialize" => Err((
                    ErrorCode::InvalidRequest,
                    "the server is already initialized".to_owned(),
                )),
                HoverRequest::METHOD => self.handle::<HoverRequest>(req, Self::hover),
                Completion::METHOD => self.handle::<Completion>(req, Self::completion),
                CodeActionRequest::METHOD => {
                    self.handle::<CodeActionRequest>(req, Self::code_action)
                }
                GotoDefinition::METHOD => self.handle::<GotoDefinition>(req, Self::definition),
                other => Err((
                    ErrorCode::MethodNotFound,
                    format!("odoo-order does not handle `{other}`"),
                )),
            }
        };
        let response = match answer {
            Ok(value) => Response {
                id,
                response_result: Ok(value),
            },
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(response);
    }

    /// Reads a request's parameters and runs its handler; a panic is answered, not spread.
    fn handle<R: lsp_types::request::Request>(
        &mut self,
        req: Request,
        f: fn(&mut Self, R::Params) -> R::Result,
    ) -> Answer {
        let params: R::Params = serde_json::from_value(req.params).map_err(|err| {
            (
                ErrorCode::InvalidParams,
                format!("invalid `{}` parameters: {err}", req.method),
            )
        })?;
        let result = catch_unwind(AssertUnwindSafe(|| f(self, params))).map_err(|panic| {
            let why = panic_message(&*panic);
            self.log(
                MessageType::ERROR,
                format!("`{}` failed: {why}", req.method),
            );
            (ErrorCode::InternalError, format!("internal error: {why}"))
        })?;
        serde_json::to_value(result).map_err(|err| (ErrorCode::InternalError, err.to_string()))
    }

    fn hover(&mut self, params: HoverParams) -> Option<Hover> {
        let at = params.text_document_position_params;
        let uri = at.text_document.uri;
        self.check_now(&uri);
        let doc = self.docs.get(&uri)?;
        let checked = self.states.get(&uri)?.analysis.checked.as_ref()?;
        let offset = position::offset(&doc.file, at.position, self.encoding);
        let (value, span) = self
            .workspace
            .with_graph(checked, |g| hover::hover(g, &checked.outcome, offset))??;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: Some(position::range(&doc.file, span, self.encoding)),
        })
    }

    fn completion(&mut self, params: CompletionParams) -> Option<CompletionResponse> {
        let at = params.text_document_position;
        let uri = at.text_document.uri;
        self.check_now(&uri);
        let doc = self.docs.get(&uri)?;
        let state = self.states.get(&uri)?;
        if state.analysis.kind != Kind::Plan {
            return None;
        }
        let text = doc.file.text();
        let offset = position::offset(&doc.file, at.position, self.encoding);
        let cursor = context::at(text, offset)?;
        let good = state.analysis.checked.as_ref().or(state.last_good.as_ref());
        let modules = match good {
            Some(c) => self.workspace.modules_of(&c.plan, c.config),
            None => context::series(text).and_then(|s| self.workspace.builtin(&s)),
        };
        let declared = context::declared(text);
        let mut sources = Sources {
            modules: modules.as_deref(),
            phases: declared.phases.into_iter().map(|(id, _)| id).collect(),
            companies: declared.companies.into_iter().map(|(id, _)| id).collect(),
        };
        if let Some(c) = good {
            for p in &c.plan.phases {
                if !sources.phases.contains(&p.id.value) {
                    sources.phases.push(p.id.value.clone());
                }
            }
            for company in &c.plan.companies {
                if !sources.companies.contains(&company.id.value) {
                    sources.companies.push(company.id.value.clone());
                }
            }
        }
        let typed = Span::new(cursor.word_start, offset - cursor.word_start);
        let range = position::range(&doc.file, typed, self.encoding);
        Some(CompletionResponse::Array(completion::items(
            &cursor, &sources, range,
        )))
    }

    fn code_action(&mut self, params: CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
        let uri = params.text_document.uri;
        self.check_now(&uri);
        let only = params.context.only;
        let wants = |kind: &CodeActionKind| match &only {
            None => *kind != CodeActionKind::SOURCE_FIX_ALL,
            Some(kinds) => kinds.iter().any(|k| {
                kind.as_str() == k.as_str()
                    || kind.as_str().starts_with(&format!("{}.", k.as_str()))
            }),
        };
        let asked = {
            let doc = self.docs.get(&uri)?;
            position::span(&doc.file, params.range, self.encoding)
        };
        if self.states.get(&uri)?.analysis.checked.is_none() {
            return Some(self.problem_actions(&uri, asked, &wants));
        }
        let under = |checked: &Checked| -> Vec<usize> {
            let findings = &checked.outcome.findings;
            (0..findings.len())
                .filter(|&i| {
                    let f = &findings[i];
                    f.span.offset <= asked.end() && asked.offset <= f.span.end()
                })
                .collect()
        };
        let fixable = {
            let checked = self.states.get(&uri)?.analysis.checked.as_ref()?;
            under(checked).into_iter().any(|i| {
                let f = &checked.outcome.findings[i];
                crate::outcome::fixable(f)
            })
        };
        let needs_fix =
            (fixable && wants(&CodeActionKind::QUICKFIX)) || wants(&CodeActionKind::SOURCE_FIX_ALL);
        let fixed = if needs_fix { self.fixed(&uri) } else { None };
        let doc = self.docs.get(&uri)?;
        let checked = self.states.get(&uri)?.analysis.checked.as_ref()?;
        let plan = &checked.plan;
        let mut out = Vec::new();
        if wants(&CodeActionKind::QUICKFIX) {
            for i in under(checked) {
                let f = &checked.outcome.findings[i];
                let diagnostic = diagnostics::finding(doc, f, &plan.series.value, self.encoding);
                let mut found = actions::did_you_mean(plan, f);
                if let Some(fixed) = &fixed {
                    found.extend(actions::moves(plan, fixed, f));
                }
                found.extend(actions::waiver(plan, f));
                for action in found {
                    out.push(self.code_action_of(&uri, doc, action, Some(diagnostic.clone())));
                }
            }
        }
        if wants(&CodeActionKind::SOURCE_FIX_ALL)
            && let Some(all) = fixed.as_ref().and_then(|f| actions::fix_all(plan, f))
        {
            out.push(self.code_action_of(&uri, doc, all, None));
        }
        Some(out)
    }

    /// Quick fixes for the hard errors of a document that does not load.
    fn problem_actions(
        &self,
        uri: &Uri,
        asked: Span,
        wants: &dyn Fn(&CodeActionKind) -> bool,
    ) -> Vec<CodeActionOrCommand> {
        let (Some(doc), Some(state)) = (self.docs.get(uri), self.states.get(uri)) else {
            return Vec::new();
        };
        if !wants(&CodeActionKind::QUICKFIX) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for err in &state.analysis.errors {
            let Error::Invalid(inv) = err else { continue };
            if inv.file.path() != doc.file.path() || inv.file.text() != doc.file.text() {
                continue;
            }
            let under = inv.problems.iter().filter(|p| {
                p.span
                    .is_some_and(|s| s.offset <= asked.end() && asked.offset <= s.end())
            });
            for p in under {
                for action in actions::problem_did_you_mean(&doc.file, p) {
                    out.push(self.code_action_of(uri, doc, action, None));
                }
            }
        }
        out
    }

    fn code_action_of(
        &self,
        uri: &Uri,
        doc: &super::documents::Document,
        action: Action,
        diagnostic: Option<lsp_types::Diagnostic>,
    ) -> CodeActionOrCommand {
        let (span, text) = action.edit;
        let edit = TextEdit::new(position::range(&doc.file, span, self.encoding), text);
        // Versioned, so that a client applies the edit only to the text it was made for.
        let changes = DocumentChanges::Edits(vec![TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: uri.clone(),
                version: Some(doc.version),
            },
            edits: vec![OneOf::Left(edit)],
        }]);
        CodeActionOrCommand::CodeAction(CodeAction {
            title: action.title,
            kind: Some(if action.fix_all {
                CodeActionKind::SOURCE_FIX_ALL
            } else {
                CodeActionKind::QUICKFIX
            }),
            diagnostics: diagnostic.map(|d| vec![d]),
            edit: Some(WorkspaceEdit {
                document_changes: Some(changes),
                ..WorkspaceEdit::default()
            }),
            is_preferred: action.preferred.then_some(true),
            ..CodeAction::default()
        })
    }

    /// `fix` for a document's current plan, worked out once per version.
    fn fixed(&mut self, uri: &Uri) -> Option<Fixed> {
        let state = self.states.get_mut(uri)?;
        if !state.fix_tried {
            state.fix_tried = true;
            let checked = state.analysis.checked.as_ref()?;
            state.fixed = self.workspace.fix(checked, crate::fix::search::BUDGET).ok();
        }
        state.fixed.clone()
    }

    fn definition(&mut self, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let at = params.text_document_position_params;
        let uri = at.text_document.uri;
        self.check_now(&uri);
        let doc = self.docs.get(&uri)?;
        let state = self.states.get(&uri)?;
        let offset = position::offset(&doc.file, at.position, self.encoding);
        let found = match &state.analysis.checked {
            Some(c) => {
                let modules = self.workspace.modules_of(&c.plan, c.config);
                definition::in_plan(
                    &c.plan,
                    modules.as_deref().map(crate::graph::ModuleGraph::catalog),
                    offset,
                )
            }
            None if state.analysis.kind == Kind::Plan => {
                definition::in_text(doc.file.text(), offset)
            }
            None => None,
        }?;
        let location = match found {
            Definition::Here(span) => {
                Location::new(uri.clone(), position::range(&doc.file, span, self.encoding))
            }
            Definition::File(path) => Location::new(uri_of(&path)?, Range::default()),
        };
        Some(GotoDefinitionResponse::Scalar(location))
    }

    // ----- notifications ------------------------------------------------------------------

    fn notification(&mut self, n: Notification) {
        let method = n.method.clone();
        let outcome = catch_unwind(AssertUnwindSafe(|| self.notify(n)));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(err)) => self.log(
                MessageType::WARNING,
                format!("ignored `{method}` with invalid parameters: {err}"),
            ),
            Err(panic) => self.log(
                MessageType::ERROR,
                format!("`{method}` failed: {}", panic_message(&*panic)),
            ),
        }
    }

    fn notify(&mut self, n: Notification) -> Result<(), serde_json::Error> {
        match n.method.as_str() {
            "initialized" => self.register_watchers(),
            DidOpenTextDocument::METHOD => {
                let params: lsp_types::DidOpenTextDocumentParams =
                    serde_json::from_value(n.params)?;
                let doc = params.text_document;
                self.docs.open(doc.uri.clone(), doc.version, doc.text);
                // Nothing to coalesce on open: check at once.
                self.due.insert(doc.uri, Instant::now());
            }
            DidChangeTextDocument::METHOD => {
                let params: lsp_types::DidChangeTextDocumentParams =
                    serde_json::from_value(n.params)?;
                let uri = params.text_document.uri;
                if let Some(doc) = self.docs.get_mut(&uri) {
                    doc.change(
                        params.text_document.version,
                        params.content_changes,
                        self.encoding,
                    );
                    self.due.insert(uri, Instant::now() + self.debounce);
                }
            }
            DidSaveTextDocument::METHOD => {
                let params: lsp_types::DidSaveTextDocumentParams =
                    serde_json::from_value(n.params)?;
                let is_config = self
                    .states
                    .get(&params.text_document.uri)
                    .is_some_and(|s| s.analysis.kind == Kind::Config);
                if is_config {
                    self.reload();
                }
            }
            DidCloseTextDocument::METHOD => {
                let params: lsp_types::DidCloseTextDocumentParams =
                    serde_json::from_value(n.params)?;
                let uri = params.text_document.uri;
                self.docs.close(&uri);
                self.due.remove(&uri);
                if self.states.remove(&uri).is_some_and(|s| s.published) {
                    self.publish(uri, Vec::new(), None);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                let params: lsp_types::DidChangeWatchedFilesParams =
                    serde_json::from_value(n.params)?;
                if !params.changes.is_empty() {
                    self.reload();
                }
            }
            // `$/cancelRequest` (requests are answered before the next message is read),
            // `$/setTrace`, settings: nothing to do.
            _ => {}
        }
        Ok(())
    }

    /// Asks the client to report changes to the files a check reads besides the plan: the
    /// configurations and the manifests of an addons path.
    fn register_watchers(&self) {
        if !self.watch_files {
            return;
        }
        let options = serde_json::json!({
            "watchers": [
                {"globPattern": "**/odoo-order.yaml"},
                {"globPattern": "**/__manifest__.py"},
            ]
        });
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "odoo-order-watch".to_owned(),
                method: DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: Some(options),
            }],
        };
        self.send(Request::new(
            RequestId::from("odoo-order/register-watchers".to_owned()),
            RegisterCapability::METHOD.to_owned(),
            params,
        ));
    }

    /// A configuration or manifest changed on disk: forget what was read, check every open
    /// document again.
    fn reload(&mut self) {
        self.workspace.reset();
        let now = Instant::now();
        for doc in self.docs.iter() {
            self.due.insert(doc.uri.clone(), now);
        }
    }

    // ----- checking -----------------------------------------------------------------------

    fn check_due(&mut self) {
        let now = Instant::now();
        let due: Vec<Uri> = self
            .due
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in due {
            self.check_now(&uri);
        }
    }

    /// Checks a document now if a check of it is pending.
    fn check_now(&mut self, uri: &Uri) {
        if self.due.remove(uri).is_none() {
            return;
        }
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| self.check(uri))) {
            self.log(
                MessageType::ERROR,
                format!(
                    "checking `{}` failed: {}",
                    uri.as_str(),
                    panic_message(&*panic)
                ),
            );
        }
    }

    fn check(&mut self, uri: &Uri) {
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        let analysis = self.workspace.analyse(doc);
        let diagnostics = diagnostics::of(doc, &analysis, self.encoding);
        let version = doc.version;
        let was_published = self.states.get(uri).is_some_and(|s| s.published);
        let publish = analysis.kind != Kind::Other || was_published;
        let last_good = match (&analysis.checked, self.states.remove(uri)) {
            (Some(checked), _) => Some(checked.clone()),
            (None, Some(old)) if analysis.kind == Kind::Plan => old.last_good,
            _ => None,
        };
        self.states.insert(
            uri.clone(),
            State {
                published: analysis.kind != Kind::Other,
                analysis,
                last_good,
                fix_tried: false,
                fixed: None,
            },
        );
        if publish {
            self.publish(uri.clone(), diagnostics, Some(version));
        }
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        self.send(Notification::new(
            PublishDiagnostics::METHOD.to_owned(),
            PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        ));
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned())
}
