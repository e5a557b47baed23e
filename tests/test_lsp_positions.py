"""Places converted between the parser's counting and the protocol's, both ways; the line
offsets of the last few texts are kept and given again for an equal text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gistpath.lsp.positions import RECENT_TEXTS, Lines, RecentLines

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


def test_the_lines_of_recent_texts_are_given_again() -> None:
    recent = RecentLines()
    first = recent.get("a\nb\n", "utf-16")
    assert recent.get("a\nb" + "\n", "utf-16") is first  # an equal text, not the same str
    in_utf8 = recent.get("a\nb\n", "utf-8")
    assert in_utf8 is not first
    assert in_utf8.encoding == "utf-8"
    for number in range(RECENT_TEXTS - 2):
        recent.get(f"text {number}", "utf-16")
    assert recent.get("a\nb\n", "utf-8") is in_utf8  # held: RECENT_TEXTS texts in all
    recent.get("one more", "utf-16")
    again = recent.get("a\nb\n", "utf-16")  # the oldest went
    assert again is not first
    assert (again.text, again.parser_starts) == (first.text, first.parser_starts)
