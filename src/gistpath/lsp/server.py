"""The language server: :mod:`gistpath.lsp.analysis` spoken over the protocol, with pygls.

Design: the server keeps each open document's whole text (full synchronisation: pygls's
incremental edits count lines on characters the protocol does not, such as U+2028) and,
on every change, runs two stages off the event loop, each on its own worker thread:

1. the fast stage (:func:`~gistpath.lsp.analysis.analyze`): syntax and semantic
   diagnostics, published as soon as they are known;
2. the slow stage (:func:`~gistpath.lsp.analysis.verify`): the verifier's findings,
   published with the fast ones once verification ends, if the text has not changed
   meanwhile.

A newer edit supersedes older work: stale results are dropped, never published. Large
texts wait a moment after the last keystroke before each stage, so typing is never held
up by verification. Every request is answered from the latest analysis, with the symbol
index brought up to date with the text if an edit is still being analysed.

Limits: one file at a time (a rule file has no imports); an unexpected error inside a
stage is logged and shown as one diagnostic, and the server goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

import attrs
from lsprotocol import types as t
from pygls.lsp.server import LanguageServer

from gistpath.lsp import analysis as A
from gistpath.lsp import completion as C
from gistpath.lsp import hover as H
from gistpath.lsp import navigation as N
from gistpath.lsp.positions import Lines, RecentLines
from gistpath.lsp.problems import Problem
from gistpath.lsp.symbols import Span, symbols

LARGE_TEXT = 200_000  # characters; above this, stages wait for a pause in typing
PAUSE_FAST = 0.15  # seconds of quiet before the fast stage of a large text
PAUSE_SLOW = 0.6  # and before its verification
STATUS = "gistpath/status"  # a notification the server sends after each publication

log = logging.getLogger(__name__)

_SEVERITY = {
    "error": t.DiagnosticSeverity.Error,
    "warning": t.DiagnosticSeverity.Warning,
    "information": t.DiagnosticSeverity.Information,
}
_SYMBOL_KIND = {
    "ruleset": t.SymbolKind.Module,
    "source": t.SymbolKind.Object,
    "input": t.SymbolKind.Field,
    "let": t.SymbolKind.Variable,
    "table": t.SymbolKind.Class,
    "constraint": t.SymbolKind.Boolean,
    "pathway": t.SymbolKind.Event,
    "consideration": t.SymbolKind.Interface,
    "rule": t.SymbolKind.Function,
    "example": t.SymbolKind.Constant,
    "property": t.SymbolKind.Property,
}
_COMPLETION_KIND = {
    "keyword": t.CompletionItemKind.Keyword,
    "value": t.CompletionItemKind.Variable,
    "pathway": t.CompletionItemKind.Event,
    "source": t.CompletionItemKind.Reference,
    "consideration": t.CompletionItemKind.Interface,
    "example": t.CompletionItemKind.Constant,
    "choice": t.CompletionItemKind.EnumMember,
    "unit": t.CompletionItemKind.Unit,
}


@attrs.define
class Document:
    """One open document and what is known about it."""

    uri: str
    version: int
    text: str
    analysis: A.Analysis | None = None
    fast: tuple[Problem, ...] = ()
    verified: tuple[Problem, ...] = ()
    task: asyncio.Task[None] | None = None
    current: A.Analysis | None = None  # the analysis with symbols of ``text``

    @property
    def name(self) -> str:
        path = unquote(urlparse(self.uri).path)
        return PurePosixPath(path).name or self.uri


class GistpathLanguageServer(LanguageServer):
    """pygls's server with the documents and the two worker threads of gistpath.

    Its methods, in order: positions (the negotiated encoding, the line offsets of the
    last few texts from :mod:`gistpath.lsp.positions`, a span as a protocol range: the
    only places where the workspace's encoding and protocol types meet the conversion),
    then the two stages of a change
    (:meth:`changed` starts :meth:`refresh`, which runs analysis then verification on
    the workers and publishes each unless a newer edit made it stale), then :meth:`now`,
    from which every request is answered.
    """

    def __init__(self) -> None:
        # Deferred: loaded on the first request that needs it, not at start-up.
        from gistpath import __version__

        super().__init__(
            "gistpath", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Full
        )
        self.documents: dict[str, Document] = {}
        self.shut_down = False
        self._lines = RecentLines()
        self.fast_pool = ThreadPoolExecutor(1, thread_name_prefix="gistpath-analyze")
        self.slow_pool = ThreadPoolExecutor(1, thread_name_prefix="gistpath-verify")

    @property
    def encoding(self) -> str:
        try:
            encoding = self.workspace.position_encoding
        except Exception:  # before initialize
            encoding = None
        return str(encoding or "utf-16")

    def lines(self, text: str) -> Lines:
        """The line offsets of ``text`` in the negotiated encoding (the last few texts' are
        kept: :class:`~gistpath.lsp.positions.RecentLines`)."""
        return self._lines.get(text, self.encoding)

    def range(self, lines: Lines, span: Span) -> t.Range:
        start = lines.to_client(span.line, span.start)
        end = lines.to_client(span.line, span.end)
        return t.Range(t.Position(*start), t.Position(*end))

    def changed(self, document: Document) -> None:
        if document.task is not None:
            document.task.cancel()
        document.current = None
        document.task = asyncio.get_running_loop().create_task(self.refresh(document))

    def stale(self, document: Document, version: int) -> bool:
        return self.documents.get(document.uri) is not document or document.version != version

    async def refresh(self, document: Document) -> None:
        loop = asyncio.get_running_loop()
        version, text = document.version, document.text
        large = len(text) > LARGE_TEXT
        if large:
            await asyncio.sleep(PAUSE_FAST)
        found = await loop.run_in_executor(self.fast_pool, self._analyze, document, version, text)
        if found is None or self.stale(document, version):
            return
        document.analysis = found
        document.fast = found.problems
        document.verified = ()
        self.publish(document)
        if found.model is None:
            self.status(document, done=True, verified=False)
            return
        self.status(document, done=False, verified=False)
        if large:
            await asyncio.sleep(PAUSE_SLOW)
        checked = await loop.run_in_executor(self.slow_pool, self._verify, document, version, found)
        if checked is None or self.stale(document, version):
            return
        document.verified = tuple(checked)
        self.publish(document)
        self.status(document, done=True, verified=True)

    def status(self, document: Document, *, done: bool, verified: bool) -> None:
        """``gistpath/status``: whether the diagnostics of a version are final, and verified.

        Editors may show it (\"verifying...\"); the tests wait for it.
        """
        self.protocol.notify(
            STATUS,
            {"uri": document.uri, "version": document.version, "done": done, "verified": verified},
        )

    def _analyze(self, document: Document, version: int, text: str) -> A.Analysis | None:
        if self.stale(document, version):
            return None
        try:
            return A.analyze(text, document.name)
        except Exception as error:  # a bug: say so in the editor and go on
            return self._failed(text, "analysing", error)

    def _verify(self, document: Document, version: int, found: A.Analysis) -> list[Problem] | None:
        if self.stale(document, version):
            return None
        try:
            return A.verify(found, document.name)
        except Exception as error:
            failed = self._failed(found.text, "verifying", error)
            return list(failed.problems)

    def _failed(self, text: str, stage: str, error: BaseException) -> A.Analysis:
        log.error("gistpath failed %s a document:\n%s", stage, traceback.format_exc())
        problem = Problem(
            Span(0, 0, 0),
            f"gistpath failed while {stage} this text ({type(error).__name__}: {error}); "
            "this is a bug in gistpath, please report it",
            "error",
            "internal",
        )
        return A.Analysis(text, (problem,), symbols(text), None, None, "", True)

    def publish(self, document: Document) -> None:
        analysis = document.analysis
        if analysis is None:
            return
        lines = self.lines(analysis.text)
        diagnostics = []
        for problem in sorted(
            (*document.fast, *document.verified), key=lambda p: (p.span.line, p.span.start)
        ):
            related = [
                t.DiagnosticRelatedInformation(
                    t.Location(document.uri, self.range(lines, item.span)), item.message
                )
                for item in problem.related
            ]
            diagnostics.append(
                t.Diagnostic(
                    range=self.range(lines, problem.span),
                    message=problem.message,
                    severity=_SEVERITY.get(problem.severity, t.DiagnosticSeverity.Error),
                    code=problem.code,
                    source="gistpath",
                    related_information=related or None,
                    data={"replacement": problem.replacement} if problem.replacement else None,
                )
            )
        self.text_document_publish_diagnostics(
            t.PublishDiagnosticsParams(document.uri, diagnostics, version=document.version)
        )

    def now(self, uri: str) -> tuple[Document, A.Analysis, Lines] | None:
        """A document's latest analysis, its symbols brought up to date with its text."""
        document = self.documents.get(uri)
        if document is None or document.analysis is None:
            return None
        if document.current is None:
            found = document.analysis
            text = document.text if document.text.endswith("\n") else document.text + "\n"
            if found.text != text and len(text) <= LARGE_TEXT:
                # small texts are re-indexed at once; a large one keeps the last index until
                # its own analysis is done (re-indexing it here would hold up the editor)
                found = attrs.evolve(found, text=text, symbols=symbols(text))
            document.current = found
        return document, document.current, self.lines(document.current.text)


def _apply(text: str, change: Any, lines: Lines) -> str:
    """One content change applied to ``text`` (whole-text changes are the usual case)."""
    if getattr(change, "range", None) is None:
        return str(change.text)
    start = lines.offset(*lines.from_client(change.range.start.line, change.range.start.character))
    end = lines.offset(*lines.from_client(change.range.end.line, change.range.end.character))
    return text[:start] + str(change.text) + text[max(start, end) :]


def make_server() -> GistpathLanguageServer:
    """A server with every feature registered (not started)."""
    server = GistpathLanguageServer()

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: GistpathLanguageServer, params: t.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        old = ls.documents.get(item.uri)
        if old is not None and old.task is not None:
            old.task.cancel()
        document = Document(item.uri, item.version, item.text)
        ls.documents[item.uri] = document
        ls.changed(document)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: GistpathLanguageServer, params: t.DidChangeTextDocumentParams) -> None:
        document = ls.documents.get(params.text_document.uri)
        if document is None:
            return
        text = document.text
        for change in params.content_changes:
            text = _apply(text, change, ls.lines(text))
        document.text = text
        document.version = params.text_document.version
        ls.changed(document)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: GistpathLanguageServer, params: t.DidCloseTextDocumentParams) -> None:
        document = ls.documents.pop(params.text_document.uri, None)
        if document is not None and document.task is not None:
            document.task.cancel()
        ls.text_document_publish_diagnostics(
            t.PublishDiagnosticsParams(params.text_document.uri, [])
        )

    @server.feature(t.SHUTDOWN)
    def shutdown(ls: GistpathLanguageServer, params: None) -> None:
        for document in ls.documents.values():
            if document.task is not None:
                document.task.cancel()
        ls.fast_pool.shutdown(wait=False, cancel_futures=True)
        ls.slow_pool.shutdown(wait=False, cancel_futures=True)
        ls.shut_down = True

    @server.feature(t.EXIT)
    def exit_(ls: GistpathLanguageServer, params: None) -> None:
        # Leave now, with the protocol's status (0 after shutdown, 1 without), rather than
        # wait for a worker thread still verifying a large text to finish.
        _leave(0 if ls.shut_down else 1)

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    def hover(ls: GistpathLanguageServer, params: t.HoverParams) -> t.Hover | None:
        state = ls.now(params.text_document.uri)
        if state is None:
            return None
        _, found, lines = state
        found_hover = H.hover(
            found, *lines.from_client(params.position.line, params.position.character)
        )
        if found_hover is None:
            return None
        text, span = found_hover
        return t.Hover(
            contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=text),
            range=ls.range(lines, span),
        )

    @server.feature(t.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: GistpathLanguageServer, params: t.DefinitionParams) -> t.Location | None:
        state = ls.now(params.text_document.uri)
        if state is None:
            return None
        document, found, lines = state
        span = N.definition(
            found, *lines.from_client(params.position.line, params.position.character)
        )
        return None if span is None else t.Location(document.uri, ls.range(lines, span))

    @server.feature(t.TEXT_DOCUMENT_REFERENCES)
    def references(ls: GistpathLanguageServer, params: t.ReferenceParams) -> list[t.Location]:
        state = ls.now(params.text_document.uri)
        if state is None:
            return []
        document, found, lines = state
        place = lines.from_client(params.position.line, params.position.character)
        spans = N.references(found, *place)
        if not params.context.include_declaration:
            definition = N.definition(found, *place)
            spans = [s for s in spans if s != definition]
        return [t.Location(document.uri, ls.range(lines, s)) for s in spans]

    @server.feature(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbol(
        ls: GistpathLanguageServer, params: t.DocumentSymbolParams
    ) -> list[t.DocumentSymbol]:
        """The outline of a document: each declaration (its keyword as detail) with its whole
        range and its name's range, and the values it declares (a choice's values, a table's
        values) as children; ``[]`` for a document the server does not hold.
        """
        state = ls.now(params.text_document.uri)
        if state is None:
            return []
        _, found, lines = state
        out = []
        for declaration in N.outline(found):
            last = lines.parser_line(declaration.last_line)
            whole = t.Range(
                t.Position(*lines.to_client(declaration.first_line, 0)),
                t.Position(*lines.to_client(declaration.last_line, len(last))),
            )
            children = [
                t.DocumentSymbol(
                    name=value,
                    kind=t.SymbolKind.EnumMember,
                    range=ls.range(lines, span),
                    selection_range=ls.range(lines, span),
                )
                for value, span in declaration.children
                if declaration.first_line <= span.line <= declaration.last_line
            ]
            selection = ls.range(lines, declaration.span)
            if not (whole.start.line, whole.start.character) <= (
                selection.start.line,
                selection.start.character,
            ):
                whole = t.Range(selection.start, whole.end)
            out.append(
                t.DocumentSymbol(
                    name=declaration.name,
                    detail=declaration.keyword,
                    kind=_SYMBOL_KIND.get(declaration.keyword, t.SymbolKind.Object),
                    range=whole,
                    selection_range=selection,
                    children=children or None,
                )
            )
        return out

    @server.feature(t.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: GistpathLanguageServer, params: t.PrepareRenameParams) -> t.Range | None:
        state = ls.now(params.text_document.uri)
        if state is None:
            return None
        _, found, lines = state
        occurrence = found.symbols.at(
            *lines.from_client(params.position.line, params.position.character)
        )
        if occurrence is None or found.symbols.definition(occurrence.key) is None:
            return None
        return ls.range(lines, occurrence.span)

    @server.feature(t.TEXT_DOCUMENT_RENAME)
    def rename(ls: GistpathLanguageServer, params: t.RenameParams) -> t.WorkspaceEdit | None:
        state = ls.now(params.text_document.uri)
        if state is None:
            return None
        document, found, lines = state
        spans = N.rename(
            found,
            *lines.from_client(params.position.line, params.position.character),
            params.new_name,
        )
        if not spans:
            return None
        edits = [t.TextEdit(ls.range(lines, s), params.new_name) for s in spans]
        return t.WorkspaceEdit(changes={document.uri: edits})

    @server.feature(
        t.TEXT_DOCUMENT_COMPLETION,
        t.CompletionOptions(trigger_characters=[" ", ">", "{", ",", "|"]),
    )
    def completion(ls: GistpathLanguageServer, params: t.CompletionParams) -> t.CompletionList:
        state = ls.now(params.text_document.uri)
        if state is None:
            return t.CompletionList(is_incomplete=False, items=[])
        _, found, lines = state
        line, column = lines.from_client(params.position.line, params.position.character)
        prefix = lines.parser_line(line)[:column]
        in_block = bool(prefix[:1].isspace())
        items = [
            t.CompletionItem(label=label, kind=_COMPLETION_KIND.get(kind), detail=kind)
            for label, kind in dict.fromkeys(C.completions(found, prefix, in_block, line))
        ]
        return t.CompletionList(is_incomplete=False, items=items)

    @server.feature(t.TEXT_DOCUMENT_FORMATTING)
    def formatting(
        ls: GistpathLanguageServer, params: t.DocumentFormattingParams
    ) -> list[t.TextEdit] | None:
        # Deferred: loaded on the first request that needs it, not at start-up.
        from gistpath.errors import GistpathError
        from gistpath.fmt import format_text

        document = ls.documents.get(params.text_document.uri)
        if document is None:
            return None
        try:
            formatted = format_text(document.text, document.name)
        except GistpathError:
            return []  # a text that does not parse is left as it is (its errors are shown)
        if formatted == document.text:
            return []
        lines = ls.lines(document.text)
        end = lines.to_client(len(lines.parser_starts) - 1, len(document.text))
        whole = t.Range(t.Position(0, 0), t.Position(*end))
        return [t.TextEdit(whole, formatted)]

    @server.feature(
        t.TEXT_DOCUMENT_CODE_ACTION,
        t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix]),
    )
    def code_action(ls: GistpathLanguageServer, params: t.CodeActionParams) -> list[t.CodeAction]:
        document = ls.documents.get(params.text_document.uri)
        if document is None or document.analysis is None:
            return []
        lines = ls.lines(document.analysis.text)
        wanted = params.range
        actions = []
        for problem in document.fast:
            if problem.replacement is None:
                continue
            where = ls.range(lines, problem.span)
            if (where.end.line, where.end.character) < (wanted.start.line, wanted.start.character):
                continue
            if (where.start.line, where.start.character) > (wanted.end.line, wanted.end.character):
                continue
            diagnostic = t.Diagnostic(
                range=where,
                message=problem.message,
                severity=t.DiagnosticSeverity.Error,
                code=problem.code,
                source="gistpath",
            )
            actions.append(
                t.CodeAction(
                    title=f"Change to '{problem.replacement}'",
                    kind=t.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    is_preferred=True,
                    edit=t.WorkspaceEdit(
                        changes={document.uri: [t.TextEdit(where, problem.replacement)]}
                    ),
                )
            )
        return actions

    return server


def _leave(status: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)


#: Seconds a thread runs before Python lets another one have the interpreter (the default
#: is 0.005): a request that arrives while a worker verifies waits for a few such turns
#: (reading it, answering it, writing the answer), so they are kept short.
SWITCH_INTERVAL = 0.001


def serve() -> None:
    """Run the server on stdin/stdout until the client says exit (or closes stdin)."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    server = make_server()
    server.start_io()
    _leave(0 if server.shut_down else 1)
