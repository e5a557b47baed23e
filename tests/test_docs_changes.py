"""The generated change log (``gistpath.docs.changes``, the ``gistpath:changes`` directive).

The GIST change log from 1.0 to 1.1 is read back from the rendered page, item by item, and
must be exactly the semantic diff: the same regions in the same order, each with its two
pathways, its description and its example state. Every example is run through both
versions; and the diff itself is checked against the two hand-written readings of the
contract in ``gist_oracle`` (1.0 and 1.1) on a seeded sample of states: a state the two
readings answer differently lies in exactly one region with those two answers, and any
other state in none. The docs page built by Sphinx shows every region too, and the
directive reports a broken file as warnings.
"""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest
from sphinx.testing.util import SphinxTestApp

import gistpath
from gistpath.diff import DiffReport, diff_rulesets
from gistpath.docs.changes import example_lines, render_changes_rst
from test_gist import random_states

from gist_oracle import decide, pathway_of_1_0
from samples import ROOT, WALK_FILE

OLD = gistpath.load_builtin("gist", version="1.0")
NEW = gistpath.load_builtin("gist")
REPORT = diff_rulesets(OLD, NEW)


def _items(text: str) -> list[tuple[str, str, str, dict[str, object]]]:
    """(old id, new id, where, example) of every numbered item of a rendered page."""
    found = []
    sections = re.split(r"\n(?=[^\n]+\n-{4,}\n)", text)
    for section in sections[1:]:
        ids = re.findall(r"\(``(\w+)``\)", section.split("\n\n", 2)[1])
        assert len(ids) == 2, section[:300]
        for item in re.finditer(
            r"^\d+\. States where (.*?)\.\n\n   Example state:\n\n   \.\. code-block:: json\n\n"
            r"((?:      .*\n?)+)",
            section,
            flags=re.M,
        ):
            where = " ".join(item.group(1).split()).replace("\\", "")
            example = json.loads("".join(line.strip() + " " for line in item.group(2).split("\n")))
            found.append((ids[0], ids[1], where, example))
    return found


def _expected(report: DiffReport) -> list[tuple[str, str, str, dict[str, object]]]:
    groups: dict[tuple[str, str], list[tuple[str, str, str, dict[str, object]]]] = {}
    for c in report.changes:
        groups.setdefault((c.old, c.new), []).append((c.old, c.new, c.where, dict(c.example)))
    return [item for items in groups.values() for item in items]


def test_the_page_is_the_diff_item_by_item() -> None:
    text = render_changes_rst(OLD, NEW)
    assert REPORT.unlisted == 0
    assert len(REPORT.changes) > 0
    assert _items(text) == _expected(REPORT)
    pairs = {(c.old, c.new) for c in REPORT.changes}
    assert f"{len(REPORT.changes)} regions of valid states change pathway" in text
    assert f"in {len(pairs)} distinct changes" in text
    assert text.startswith("Changes from version 1.0 to version 1.1\n")


def test_a_page_that_disagrees_with_the_diff_is_caught() -> None:
    # The comparison above would notice a region left out or an example changed.
    text = render_changes_rst(OLD, NEW)
    first = REPORT.changes[0]
    dropped = text.replace(f"States where {first.where}.", "States where nothing.", 1)
    assert _items(dropped) != _expected(REPORT)
    line = example_lines(first.example)[0]
    edited = text.replace(line, line.replace('"localized"', '"metastatic"'), 1)
    assert edited != text
    assert _items(edited) != _expected(REPORT)


def test_every_example_of_the_page_changes_as_it_says() -> None:
    for old, new, _where, example in _items(render_changes_rst(OLD, NEW)):
        assert OLD.evaluate(example).pathway == old, example
        assert NEW.evaluate(example).pathway == new, example
        assert pathway_of_1_0(example) == old
        assert decide(example)[0] == new


@pytest.mark.slow
def test_the_diff_agrees_with_the_two_hand_written_readings() -> None:
    dims = REPORT.space.dimensions[:-1]
    changed = 0
    for state in random_states(seed=1011, count=20_000):
        cells = [d.cell_of(state[d.name]) for d in dims]
        hits = {
            (c.old, c.new)
            for c in REPORT.changes
            if all(m >> x & 1 for m, x in zip(c.box[: len(dims)], cells, strict=True))
        }
        pair = (pathway_of_1_0(state), decide(state)[0])
        if pair[0] != pair[1]:
            changed += 1
            assert hits == {pair}, (state, hits)
        else:
            assert hits == set(), (state, hits)
    assert changed > 1000  # the sample reached the changes


def test_the_same_file_has_an_empty_change_log() -> None:
    walk = gistpath.load(WALK_FILE)
    text = render_changes_rst(walk, walk)
    assert "Every valid state gets the same pathway" in text
    assert _items(text) == []


def test_example_lines_join_to_the_state() -> None:
    state = dict(REPORT.changes[0].example)
    lines = example_lines(state)
    assert all(len(line) <= 90 for line in lines)
    assert json.loads(" ".join(lines)) == state


def test_docs_page_uses_the_two_bundled_versions() -> None:
    page = (ROOT / "docs" / "gist-changes.rst").read_text(encoding="utf-8")
    (directive,) = re.findall(r"^\.\. gistpath:changes:: (\S+) (\S+)$", page, flags=re.M)
    docs = ROOT / "docs"
    # The page reads the files of the source tree; the package may be installed elsewhere
    # (CI installs a wheel), so the same file inside the package, with the same text.
    for written, bundled in (
        (directive[0], gistpath.builtin_path("gist", version="1.0")),
        (directive[1], gistpath.builtin_path("gist")),
    ):
        path = (docs / written).resolve()
        assert path.as_posix().split("/gistpath/")[-1] == bundled.as_posix().split("/gistpath/")[-1]
        assert path.read_bytes() == bundled.read_bytes()
    assert "gist-changes" in (docs / "index.rst").read_text(encoding="utf-8")


def _text(fragment: str) -> str:
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return text.replace("\u2019", "'")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A small Sphinx project with the change log and the 1.1 page: (HTML, warnings)."""
    src = tmp_path_factory.mktemp("changes") / "src"
    src.mkdir()
    shutil.copy(gistpath.builtin_path("gist", version="1.0"), src / "old.gprules")
    shutil.copy(gistpath.builtin_path("gist"), src / "new.gprules")
    (src / "conf.py").write_text('extensions = ["gistpath.sphinxext"]\nnitpicky = True\n')
    (src / "index.rst").write_text(
        ".. toctree::\n\n   rules\n   changes\n\n"
        "Broken\n======\n\n.. gistpath:changes:: missing.gprules new.gprules\n"
    )
    (src / "rules.rst").write_text(".. gistpath:ruleset:: new.gprules\n")
    (src / "changes.rst").write_text(".. gistpath:changes:: old.gprules new.gprules\n")
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
        page = (app.outdir / "changes.html").read_text(encoding="utf-8")
        return page, app.warning.getvalue()
    finally:
        app.cleanup()


@pytest.mark.slow
def test_the_built_page_shows_every_region(built: tuple[str, str]) -> None:
    page, _ = built
    text = _text(page)
    assert text.count("States where ") == len(REPORT.changes)
    packed = re.sub(r"\s+", "", text)  # code blocks are split into tokens by the highlighter
    position = 0
    for change in _expected(REPORT):
        where = re.sub(r"\s+", "", f"States where {change[2]}.")
        position = packed.index(where, position)
        example = json.dumps(change[3], ensure_ascii=False).replace(" ", "")
        position = packed.index(example, position)
    # The pathway ids link to their sections of the rule set's page.
    assert 'href="rules.html#pathway-switch-to-avapritinib"' in page


def test_a_missing_file_is_a_located_warning(built: tuple[str, str]) -> None:
    _, warnings = built
    problems = [line for line in warnings.splitlines() if "WARNING" in line]
    assert len(problems) == 1, warnings
    assert "cannot read rule file" in problems[0]
    assert "missing.gprules" in problems[0]
    assert "Traceback" not in warnings
