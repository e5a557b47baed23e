"""The language server under random edits, every prefix of the GIST file, and bad bytes.

Driven through a real LSP client over stdio (pytest-lsp's client, which also checks each
response against the protocol's specification): a background thread runs the client's
event loop, and each hypothesis example sends its edits and requests through it. Every
request must be answered, and the analysis of the last text must end (no crash, no hang).
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types as t
from pytest_lsp import client_capabilities, make_test_lsp_client

from samples import SMALL

ROOT = Path(__file__).resolve().parents[1]
GIST = (ROOT / "src" / "gistpath" / "rules" / "gist.gprules").read_text(encoding="utf-8")

OTHER_FILES = sorted(
    p.read_text(encoding="utf-8")
    for p in [
        *(ROOT / "docs" / "examples").rglob("*.gprules"),
        *(ROOT / "tests" / "fixtures").glob("*.gprules"),
    ]
)
SNIPPETS = [
    "\x00",
    "\ufffd",
    "\U0001f600",
    "\u2028",
    "\r",
    "\t",
    '"',
    "#",
    "->",
    ": ",
    "\n    ",
    "\n",
    "| - |",
    "when ",
    " is ",
    " in {",
    "}",
    "(",
    "rule r -> ",
    "input x: choice a, b\n",
]


class Session:
    """A client and the server it started, on an event loop of their own."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client = make_test_lsp_client()
        self.statuses: dict[tuple[str, int], Any] = {}
        self.version = 0

        @self.client.feature("gistpath/status")
        def on_status(params: Any) -> None:
            self.statuses[(params.uri, params.version)] = params

        async def start() -> None:
            await self.client.start_io(sys.executable, "-m", "gistpath", "lsp")
            await self.client.initialize_session(
                t.InitializeParams(capabilities=client_capabilities("neovim"))
            )

        self.run(start())

    def run(self, coroutine: Coroutine[Any, Any, Any], timeout: float = 60) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def send(self, text: str, uri: str) -> int:
        self.version += 1
        version = self.version

        async def notify() -> None:
            self.client.text_document_did_change(
                t.DidChangeTextDocumentParams(
                    t.VersionedTextDocumentIdentifier(version, uri),
                    [t.TextDocumentContentChangeWholeDocument(text)],
                )
            )

        self.run(notify())
        return version

    def wait(self, uri: str, version: int, timeout: float = 60) -> None:
        async def done() -> None:
            while not getattr(self.statuses.get((uri, version)), "done", False):
                await asyncio.sleep(0.01)

        self.run(done(), timeout)

    def close(self) -> None:
        self.run(self.client.shutdown_session())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def session() -> Any:
    # the module's async client runs on its own loop; this one is for the sync tests
    opened = Session()
    yield opened
    opened.close()


def requests(session: Session, uri: str, line: int, character: int) -> None:
    """Every kind of request at one place; each must come back well formed."""
    doc = t.TextDocumentIdentifier(uri)
    place = t.Position(line, character)
    client = session.client

    async def ask() -> None:
        await client.text_document_hover_async(t.HoverParams(doc, place))
        await client.text_document_completion_async(t.CompletionParams(doc, place))
        await client.text_document_definition_async(t.DefinitionParams(doc, place))
        await client.text_document_references_async(
            t.ReferenceParams(text_document=doc, position=place, context=t.ReferenceContext(True))
        )
        await client.text_document_document_symbol_async(t.DocumentSymbolParams(doc))
        await client.text_document_prepare_rename_async(t.PrepareRenameParams(doc, place))
        await client.text_document_rename_async(t.RenameParams(doc, place, "renamed"))
        await client.text_document_formatting_async(
            t.DocumentFormattingParams(doc, t.FormattingOptions(4, True))
        )
        await client.text_document_code_action_async(
            t.CodeActionParams(doc, t.Range(place, place), t.CodeActionContext([]))
        )

    session.run(ask())


def open_in(session: Session, uri: str, text: str) -> None:
    session.version += 1
    version = session.version

    async def notify() -> None:
        session.client.text_document_did_open(
            t.DidOpenTextDocumentParams(t.TextDocumentItem(uri, "gistpath", version, text))
        )

    session.run(notify())
    session.wait(uri, version)


@st.composite
def edits(draw: st.DrawFn, text: str) -> str:
    """One edit: an insertion (of odd characters, words, or another rule file), a deletion."""
    at_ = draw(st.integers(0, len(text)))
    kind = draw(st.sampled_from(["insert", "delete", "paste", "words"]))
    if kind == "delete":
        end = draw(st.integers(at_, min(len(text), at_ + 200)))
        return text[:at_] + text[end:]
    if kind == "paste":
        other = draw(st.sampled_from(OTHER_FILES))
        start = draw(st.integers(0, len(other)))
        piece = other[start : start + draw(st.integers(0, 2000))]
    elif kind == "words":
        piece = "".join(draw(st.lists(st.sampled_from(SNIPPETS), max_size=6)))
    else:
        piece = draw(st.text(max_size=30))
    return text[:at_] + piece + text[at_:]


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_random_edit_sequences(session: Session, data: st.DataObject) -> None:
    """Whatever the edits, every request is answered and the analysis of the last text ends."""
    uri = "file:///tmp/edited.gprules"
    text = data.draw(st.sampled_from([SMALL, GIST[:3000], ""]))
    open_in(session, uri, text)
    version = session.version
    for _ in range(data.draw(st.integers(1, 8))):
        text = data.draw(edits(text))
        version = session.send(text, uri)
        lines = text.split("\n")
        line = data.draw(st.integers(0, len(lines)))
        character = data.draw(st.integers(0, 80))
        requests(session, uri, line, character)
    session.wait(uri, version)


@pytest.mark.slow
def test_every_prefix_of_the_gist_file(session: Session) -> None:
    """Each line-prefix of the GIST file, as if typed line by line; then the whole of it."""
    uri = "file:///tmp/typed.gprules"
    open_in(session, uri, "")
    offsets = [i + 1 for i, c in enumerate(GIST) if c == "\n"]
    for count, end in enumerate(offsets):
        version = session.send(GIST[:end], uri)
        if count % 25 == 0:
            row = GIST.count("\n", 0, end)
            requests(session, uri, max(0, row - 1), 4)
            session.wait(uri, version)
    session.wait(uri, session.version)
    # character by character through a table and a rule block
    start = GIST.index("table afip_column")
    for end in range(start, start + 600, 7):
        session.send(GIST[:end], uri)
    session.wait(uri, session.version)
    assert session.statuses[(uri, session.version)].done


@pytest.mark.slow
def test_invalid_utf8_on_the_wire() -> None:
    """A message whose bytes are not UTF-8 does not bring the server down."""
    import json
    import subprocess

    def frame(body: bytes) -> bytes:
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    def message(payload: dict[str, Any]) -> bytes:
        return frame(json.dumps(payload).encode())

    bad = (
        b'{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": '
        b'{"uri": "file:///tmp/b.gprules", "languageId": "gistpath", "version": 1, '
        b'"text": "input x\xff\xfe: boolean\\n"}}}'
    )
    stream = b"".join(
        [
            message(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "initialize",
                    "params": {"processId": None, "rootUri": None, "capabilities": {}},
                }
            ),
            message({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
            frame(bad),
            frame(b"\x00\x01 not json"),
            message(
                {
                    "jsonrpc": "2.0",
                    "method": "textDocument/didOpen",
                    "params": {
                        "textDocument": {
                            "uri": "file:///tmp/c.gprules",
                            "languageId": "gistpath",
                            "version": 1,
                            "text": "input x: boolean\u0000\n",
                        }
                    },
                }
            ),
            message(
                {
                    "jsonrpc": "2.0",
                    "id": 2,
                    "method": "textDocument/hover",
                    "params": {
                        "textDocument": {"uri": "file:///tmp/c.gprules"},
                        "position": {"line": 0, "character": 7},
                    },
                }
            ),
            message({"jsonrpc": "2.0", "id": 3, "method": "shutdown", "params": None}),
            message({"jsonrpc": "2.0", "method": "exit", "params": None}),
        ]
    )
    done = subprocess.run(
        [sys.executable, "-m", "gistpath", "lsp"],
        input=stream,
        capture_output=True,
        timeout=60,
        check=False,
    )
    replies = [
        json.loads(part)
        for part in done.stdout.split(b"\r\n\r\n")[1:]
        for part in [part.split(b"Content-Length")[0]]
    ]
    answered = {r.get("id") for r in replies if "id" in r}
    assert {1, 2, 3} <= answered, replies
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
