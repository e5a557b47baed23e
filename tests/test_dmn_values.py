"""gistpath.dmn.values: the DMN versions read, and DmnError naming file, line and element."""

from __future__ import annotations

import gistpath
from gistpath.dmn.values import NAMESPACES, DmnError, Place


def test_the_five_versions_are_known() -> None:
    assert sorted(NAMESPACES.values()) == ["1.1", "1.2", "1.3", "1.4", "1.5"]


def test_dmn_errors_are_gistpath_errors() -> None:
    assert issubclass(DmnError, gistpath.GistpathError)


def test_an_error_names_file_line_and_element() -> None:
    error = Place("m.dmn", 7, "rule", "r3").error("two outputs")
    assert str(error) == "m.dmn:7: element 'r3': two outputs"
    assert (error.filename, error.line, error.element_id, error.reason) == (
        "m.dmn",
        7,
        "r3",
        "two outputs",
    )
    assert str(Place("m.dmn", 2, "rule", None).error("no id")) == "m.dmn:2: no id"
