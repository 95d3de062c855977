//! The server's loop: the `initialize` handshake, then one message at a time. Changes are
//! debounced: a document is checked once no change to it has come for [`Options::debounce`], so
//! a burst of keystrokes costs one check; a request about a document first checks what is
//! pending for it, so answers always match the text the client has.
//!
//! Nothing a client sends ends the server but `exit` (or the end of its input): a request with
//! bad parameters is answered `InvalidParams`, an unknown method `MethodNotFound`, and a bug
//! in a handler (a panic) `InternalError`, with the server still running.
//!
//! This file routes messages and keeps documents checked; the request handlers themselves
//! (hover, completion, code actions, definition) are in `dispatch/requests.rs`.

mod requests;

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
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    HoverProviderCapability, InitializeParams, InitializeResult, LogMessageParams, MessageType,
    OneOf, PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use serde_json::Value;

use super::Options;
use super::analysis::{Analysis, Checked, Workspace};
use super::diagnostics;
use super::documents::{Documents, Kind};
use super::position::Encoding;
use crate::error::Error;
use crate::fix::Fixed;

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
