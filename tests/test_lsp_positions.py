"""Places converted between the parser's counting and the protocol's, both ways."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gistpath.lsp.positions import Lines

texts = st.lists(
    st.sampled_from(["a", " ", "\n", "\r", "\r\n", "é", "\U0001f600", "\u2028", "\x0b"]),
    max_size=40,
).map("".join)


def test_utf16_utf8_utf32_columns() -> None:
    text = "ab\U0001f600cd\nx"
    assert Lines(text, "utf-16").to_client(0, 4) == (0, 5)
    assert Lines(text, "utf-8").to_client(0, 4) == (0, 7)
    assert Lines(text, "utf-32").to_client(0, 4) == (0, 4)
    assert Lines(text, "utf-16").from_client(0, 5) == (0, 4)


def test_a_lone_carriage_return_is_a_line_break_for_the_client_only() -> None:
    text = "one\rtwo\nthree"
    lines = Lines(text)
    assert lines.to_client(0, 5) == (1, 1)  # the parser's line 0 holds 'one\rtwo'
    assert lines.from_client(1, 1) == (0, 5)
    assert lines.to_client(1, 2) == (2, 2)
    assert lines.parser_line(0) == "one\rtwo"


@given(texts, st.sampled_from(["utf-16", "utf-8", "utf-32"]), st.data())
def test_round_trip(text: str, encoding: str, data: st.DataObject) -> None:
    lines = Lines(text, encoding)
    offset = data.draw(st.integers(0, len(text)))
    if 0 < offset < len(text) and text[offset - 1 : offset + 1] == "\r\n":
        offset -= 1  # inside a CRLF pair there is no client position
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1)
    client = lines.to_client(line, column)
    assert lines.from_client(*client) == (line, column)
    # clamping: anything past the end lands inside the text
    far = lines.from_client(client[0] + 5, 10_000)
    assert lines.offset(*far) <= len(text)
