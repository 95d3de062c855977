//! The requests a client asks about a plan (hover, completion, code actions, go to
//! definition): each reads the document's analysis, checked first if a change is pending.

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CompletionParams,
    CompletionResponse, DocumentChanges, GotoDefinitionParams, GotoDefinitionResponse, Hover,
    HoverContents, HoverParams, Location, MarkupContent, MarkupKind, OneOf,
    OptionalVersionedTextDocumentIdentifier, Range, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use super::Server;
use crate::error::Error;
use crate::fix::Fixed;
use crate::server::actions::{self, Action};
use crate::server::analysis::Checked;
use crate::server::completion::{self, Sources};
use crate::server::context;
use crate::server::definition::{self, Definition};
use crate::server::diagnostics;
use crate::server::documents::{Document, Kind, uri_of};
use crate::server::hover;
use crate::server::position;
use crate::source::Span;

impl Server {
    pub(super) fn hover(&mut self, params: HoverParams) -> Option<Hover> {
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

    pub(super) fn completion(&mut self, params: CompletionParams) -> Option<CompletionResponse> {
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

    pub(super) fn code_action(
        &mut self,
        params: CodeActionParams,
    ) -> Option<Vec<CodeActionOrCommand>> {
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
        doc: &Document,
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

    pub(super) fn definition(
        &mut self,
        params: GotoDefinitionParams,
    ) -> Option<GotoDefinitionResponse> {
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
}
