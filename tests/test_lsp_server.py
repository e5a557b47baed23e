"""The language server, driven through a real LSP client over stdio (pytest-lsp).

Every test starts ``python -m gistpath lsp`` as a subprocess and talks to it as an editor
does: open, change, hover, complete, rename, format... pytest-lsp also checks each
response against the protocol's specification.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from samples import SMALL

ROOT = Path(__file__).resolve().parents[1]
GIST = (ROOT / "src" / "gistpath" / "rules" / "gist.gprules").read_text(encoding="utf-8")
URI = "file:///tmp/rules.gprules"

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(
    scope="module",
    loop_scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "gistpath", "lsp"]),
)
async def client(lsp_client: LanguageClient) -> Any:
    statuses: dict[tuple[str, int], Any] = {}
    changed = asyncio.Condition()

    @lsp_client.feature("gistpath/status")
    async def on_status(params: Any) -> None:
        async with changed:
            statuses[(params.uri, params.version)] = params
            changed.notify_all()

    lsp_client.statuses = statuses  # type: ignore[attr-defined]
    lsp_client.status_changed = changed  # type: ignore[attr-defined]
    await lsp_client.initialize_session(
        t.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
    )
    yield
    await lsp_client.shutdown_session()


VERSION = iter(range(1, 1_000_000))


async def settle(client: LanguageClient, uri: str, version: int) -> list[t.Diagnostic]:
    """The diagnostics of ``version`` once the server says they are final."""
    changed = client.status_changed  # type: ignore[attr-defined]

    async def done() -> None:
        async with changed:
            await changed.wait_for(
                lambda: getattr(client.statuses.get((uri, version)), "done", False)  # type: ignore[attr-defined]
            )

    await asyncio.wait_for(done(), 60)
    return list(client.diagnostics.get(uri, []))


async def open_text(client: LanguageClient, text: str, uri: str = URI) -> list[t.Diagnostic]:
    version = next(VERSION)
    client.text_document_did_open(
        t.DidOpenTextDocumentParams(t.TextDocumentItem(uri, "gistpath", version, text))
    )
    return await settle(client, uri, version)


async def change(client: LanguageClient, text: str, uri: str = URI) -> list[t.Diagnostic]:
    version = next(VERSION)
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            t.VersionedTextDocumentIdentifier(version, uri),
            [t.TextDocumentContentChangeWholeDocument(text)],
        )
    )
    return await settle(client, uri, version)


def at(text: str, needle: str, offset: int = 0, nth: int = 0) -> t.Position:
    """The position of the ``nth`` occurrence of ``needle`` (plus ``offset`` characters)."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    return t.Position(line, index - (text.rfind("\n", 0, index) + 1))


@pytest.mark.slow
async def test_the_gist_file_is_clean(client: LanguageClient) -> None:
    assert await open_text(client, GIST) == []


@pytest.mark.slow
async def test_syntax_error_at_its_exact_range(client: LanguageClient) -> None:
    text = SMALL.replace("rule other -> resection:", "rule other resection:")
    diagnostics = await open_text(client, text)
    assert len(diagnostics) == 1, diagnostics  # nothing about the rule's pathway
    first = diagnostics[0]
    assert first.severity == t.DiagnosticSeverity.Error
    assert first.code == "syntax"
    assert first.range.start == at(text, "resection:")
    assert "'->'" in first.message


@pytest.mark.slow
async def test_half_typed_file_keeps_semantic_errors(client: LanguageClient) -> None:
    """A broken declaration does not hide the problems of the declarations that parse."""
    text = SMALL.replace(
        "small_gastric -> surveillance: site is stomach",
        "small_gastric -> survelance: site is stomack",
    )
    text += "rule half_typed -> \n"
    diagnostics = await open_text(client, text)
    messages = [d.message for d in diagnostics]
    assert any(d.code == "syntax" for d in diagnostics), messages
    wrong_pathway = next(d for d in diagnostics if "survelance" in d.message)
    assert wrong_pathway.range.start == at(text, "survelance")
    assert wrong_pathway.range.end == at(text, "survelance", len("survelance"))
    wrong_value = next(d for d in diagnostics if "stomack" in d.message)
    assert wrong_value.range.start == at(text, "stomack")


async def test_quick_fix_for_did_you_mean(client: LanguageClient) -> None:
    text = SMALL.replace("site is stomach and small\n", "site is stomack and small\n")
    diagnostics = await open_text(client, text)
    wrong = next(d for d in diagnostics if "stomack" in d.message)
    actions = await client.text_document_code_action_async(
        t.CodeActionParams(t.TextDocumentIdentifier(URI), wrong.range, t.CodeActionContext([wrong]))
    )
    assert actions
    action = actions[0]
    assert isinstance(action, t.CodeAction)
    assert action.title == "Change to 'stomach'"
    assert action.edit is not None
    assert action.edit.changes is not None
    (edit,) = action.edit.changes[URI]
    assert edit.new_text == "stomach"
    assert edit.range == wrong.range


async def test_verification_findings_with_example_and_related_rules(
    client: LanguageClient,
) -> None:
    overlapping = SMALL.replace(
        "rule other -> resection: not (site is stomach and small)",
        "rule other -> resection: site is stomach",
    )
    diagnostics = await open_text(client, overlapping)
    overlap = next(d for d in diagnostics if d.code == "overlap")
    assert "example state" in overlap.message
    assert "site=stomach" in overlap.message
    assert overlap.related_information
    places = {r.location.range.start.line for r in overlap.related_information}
    places.add(overlap.range.start.line)
    assert places == {at(overlapping, "small_gastric").line, at(overlapping, "rule other").line}
    gap = next(d for d in diagnostics if d.code == "gap")
    assert "site=rectum" in gap.message


async def test_hover(client: LanguageClient) -> None:
    await open_text(client, SMALL)

    async def hover(needle: str, offset: int = 1) -> str:
        found = await client.text_document_hover_async(
            t.HoverParams(t.TextDocumentIdentifier(URI), at(SMALL, needle, offset))
        )
        assert found is not None, needle
        assert isinstance(found.contents, t.MarkupContent)
        return found.contents.value

    size = await hover("size_cm < 2")  # a use, in the let
    assert "Largest diameter" in size
    assert "cm" in size
    assert "Number" in size
    assert "Never `unknown`" in size
    assert "size_cm < 2 cm" in await hover("small\n")  # the derived value's definition
    surveillance = await hover("-> surveillance", 4)
    assert "Watch and wait." in surveillance
    assert "Small tumours" in surveillance
    guide = await hover("cites guide", 7)
    assert "An invented guide" in guide
    assert "Tests" in guide
    nothing = await client.text_document_hover_async(
        t.HoverParams(t.TextDocumentIdentifier(URI), t.Position(2, 0))
    )
    assert nothing is None


async def test_definition_references_rename(client: LanguageClient) -> None:
    await open_text(client, SMALL)
    uses = at(SMALL, "site is", 0)
    found = await client.text_document_definition_async(
        t.DefinitionParams(t.TextDocumentIdentifier(URI), uses)
    )
    assert isinstance(found, t.Location)
    assert found.range.start == at(SMALL, "site ")
    references = await client.text_document_references_async(
        t.ReferenceParams(
            text_document=t.TextDocumentIdentifier(URI),
            position=uses,
            context=t.ReferenceContext(include_declaration=True),
        )
    )
    assert references is not None
    assert len(references) == 3
    value = await client.text_document_definition_async(
        t.DefinitionParams(t.TextDocumentIdentifier(URI), at(SMALL, "stomach and", 1))
    )
    assert isinstance(value, t.Location)
    assert value.range.start == at(SMALL, "stomach, rectum")
    edit = await client.text_document_rename_async(
        t.RenameParams(t.TextDocumentIdentifier(URI), uses, "primary_site")
    )
    assert edit is not None
    assert edit.changes is not None
    renamed = apply(SMALL, edit.changes[URI])
    assert "primary_site" in renamed
    assert " site " not in renamed
    assert await change(client, renamed) == []
    refused = await client.text_document_rename_async(
        t.RenameParams(t.TextDocumentIdentifier(URI), at(renamed, "primary_site"), "rule")
    )
    assert refused is None


def apply(text: str, edits: list[t.TextEdit]) -> str:
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for edit in sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        start = offsets[edit.range.start.line] + edit.range.start.character
        end = offsets[edit.range.end.line] + edit.range.end.character
        text = text[:start] + edit.new_text + text[end:]
    return text


async def test_document_symbols(client: LanguageClient) -> None:
    await open_text(client, SMALL)
    symbols = await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(t.TextDocumentIdentifier(URI))
    )
    assert symbols is not None
    names = [(s.name, s.detail) for s in symbols if isinstance(s, t.DocumentSymbol)]
    assert names == [
        ("guide", "source"),
        ("site", "input"),
        ("size_cm", "input"),
        ("small", "let"),
        ("surveillance", "pathway"),
        ("resection", "pathway"),
        ("small_gastric", "rule"),
        ("other", "rule"),
    ]
    site = next(s for s in symbols if isinstance(s, t.DocumentSymbol) and s.name == "site")
    assert [c.name for c in site.children or []] == ["stomach", "rectum"]


async def complete(client: LanguageClient, text: str) -> list[str]:
    """Labels offered at the end of ``text`` (appended as a new last line)."""
    full = SMALL + text
    await change(client, full)
    found = await client.text_document_completion_async(
        t.CompletionParams(t.TextDocumentIdentifier(URI), at(full, text, len(text)))
    )
    assert isinstance(found, t.CompletionList)
    return [item.label for item in found.items]


async def test_completion_in_context(client: LanguageClient) -> None:
    await open_text(client, SMALL)
    assert await complete(client, "rule r -> ") == ["surveillance", "resection"]
    assert await complete(client, "rule r -> resection: site is ") == ["stomach", "rectum"]
    assert await complete(client, "rule r -> resection: site in {stomach, ") == [
        "stomach",
        "rectum",
    ]
    assert await complete(client, "rule r -> resection: size_cm < 5 ") == ["cm"]
    names = await complete(client, "rule r -> resection: ")
    assert {"site", "size_cm", "small", "and", "not"} <= set(names)
    assert {"input", "rule", "pathway", "table"} <= set(await complete(client, "ru"))


async def test_formatting(client: LanguageClient) -> None:
    messy = "input   site :choice a,b # where\nrule r->p:site is a\n"
    await open_text(client, messy)
    edits = await client.text_document_formatting_async(
        t.DocumentFormattingParams(t.TextDocumentIdentifier(URI), t.FormattingOptions(4, True))
    )
    assert edits is not None
    assert apply(messy, edits) == "input site: choice a, b  # where\nrule r -> p: site is a\n"
    await change(client, "rule r\n")
    broken = await client.text_document_formatting_async(
        t.DocumentFormattingParams(t.TextDocumentIdentifier(URI), t.FormattingOptions(4, True))
    )
    assert broken is not None
    assert list(broken) == []


async def test_positions_count_utf16_units(client: LanguageClient) -> None:
    """A character outside the BMP counts two UTF-16 units before the error column."""
    text = 'input x "\U0001f600 emoji": boolean oops\n'
    diagnostics = await open_text(client, text)
    assert [d.range.start for d in diagnostics] == [t.Position(0, text.index("oops") + 1)]


FIXTURES = ROOT / "tests" / "fixtures"


async def test_failing_example_and_dead_rule(client: LanguageClient) -> None:
    bad = (FIXTURES / "bad_example.gprules").read_text(encoding="utf-8")
    diagnostics = await open_text(client, bad, "file:///tmp/bad_example.gprules")
    (example,) = [d for d in diagnostics if d.code == "example"]
    assert example.range.start.line == at(bad, "example medium").line
    assert "size_cm=6" in example.message
    dead = (FIXTURES / "dead_rule.gprules").read_text(encoding="utf-8")
    diagnostics = await open_text(client, dead, "file:///tmp/dead_rule.gprules")
    (rule,) = [d for d in diagnostics if d.code == "dead_rule"]
    assert rule.range.start == at(dead, "rule large_rectal", len("rule "))
    assert rule.severity == t.DiagnosticSeverity.Error


async def test_closing_clears_diagnostics(client: LanguageClient) -> None:
    uri = "file:///tmp/closed.gprules"
    assert await open_text(client, "rule r\n", uri)
    client.text_document_did_close(t.DidCloseTextDocumentParams(t.TextDocumentIdentifier(uri)))
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[uri]) == []


async def test_failing_property(client: LanguageClient) -> None:
    text = SMALL + (
        'property watched_small "Surveillance only for small tumours"\n'
        '    cites guide "Small tumours"\n'
        "    holds: pathway is surveillance implies size_cm < 1\n"
    )
    diagnostics = await open_text(client, text, "file:///tmp/property.gprules")
    (failing,) = [d for d in diagnostics if d.code == "property"]
    assert failing.range.start == at(text, "watched_small")
    assert "example state" in failing.message
    related = failing.related_information or []
    assert "rule 'small_gastric'" in {r.message.split(" (")[0] for r in related}
    assert any(r.message.startswith(f"line {text.count(chr(10))}: holds:") for r in related)
