"""The DMN TCK cases in tests/fixtures/dmn-tck (Apache-2.0, see NOTICE.md there).

Every case gistpath imports must give every expected result of its test XML; every case it
cannot import must fail with a :class:`gistpath.dmn.DmnError` naming an element and a line,
and is listed in ``REFUSED`` with the reason. The test XML is read here with the standard
library's ElementTree (the files are the TCK's own, trusted fixtures).
"""

from __future__ import annotations

import warnings
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from tests import dmn_oracle as oracle

from gistpath import dmn

TCK = Path(__file__).parent / "fixtures" / "dmn-tck"
TC = "{http://www.omg.org/spec/DMN/20160719/testcase}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"

#: Cases gistpath refuses, and why (the error must name this element id and line).
REFUSED = {
    "0003-input-data-string-allowed-values": (
        "its decision is a literal expression (string concatenation), FEEL beyond S-FEEL "
        "decision tables",
        "literalExpression",
    ),
}

CASES = sorted(p.name for p in TCK.iterdir() if p.is_dir())


def _value(element: ET.Element) -> object:
    """A TCK value element (``value``, ``component``s or a ``list`` of ``item``s)."""
    if element.get(XSI_NIL) == "true":
        return None
    value = element.find(f"{TC}value")
    if value is not None:
        return _value(value)
    items = element.find(f"{TC}list")
    if items is not None:
        return [_value(item) for item in items.findall(f"{TC}item")]
    components = element.findall(f"{TC}component")
    if components:
        return {c.get("name"): _value(c) for c in components}
    kind = element.get(XSI_TYPE, "")
    text = element.text or ""
    if kind.endswith(("decimal", "double", "int", "integer", "long")):
        return Decimal(text)
    if kind.endswith("boolean"):
        return text.strip() == "true"
    return text


def _plain(value: object) -> object:
    """Numbers as Decimals (18 == 18.0 == Decimal('18')), for comparing results."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _tests(case: str) -> list[tuple[str, dict[str, object], dict[str, object]]]:
    out = []
    for path in sorted((TCK / case).glob("*-test-*.xml")):
        root = ET.parse(path).getroot()
        for test in root.findall(f"{TC}testCase"):
            inputs = {n.get("name", ""): _value(n) for n in test.findall(f"{TC}inputNode")}
            expected = {
                n.get("name", ""): _value(n.find(f"{TC}expected"))  # type: ignore[arg-type]
                for n in test.findall(f"{TC}resultNode")
            }
            out.append((test.get("id", ""), inputs, expected))
    return out


def _inputs(values: dict[str, object]) -> dict[str, object]:
    """TCK decimals as the numbers a gistpath state holds (ints when whole)."""
    out: dict[str, object] = {}
    for name, value in values.items():
        if isinstance(value, Decimal):
            out[name] = int(value) if value == value.to_integral_value() else float(value)
        else:
            out[name] = value
    return out


@pytest.mark.parametrize("case", [c for c in CASES if c not in REFUSED])
def test_every_expected_result_matches(case: str) -> None:
    (model_path,) = (TCK / case).glob("*.dmn")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # drafts: some TCK tables have gaps
        model = dmn.read_model(model_path, draft=True)
    tests = _tests(case)
    assert tests
    for ident, inputs, expected in tests:
        results = model.evaluate(_inputs(inputs))
        for name, want in expected.items():
            assert _plain(results[name]) == want, (case, ident, name, results[name], want)


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_cases_gistpath_cannot_import_fail_clearly(case: str) -> None:
    (model_path,) = (TCK / case).glob("*.dmn")
    _, tag = REFUSED[case]
    with pytest.raises(dmn.DmnError) as caught:
        dmn.load(model_path)
    error = caught.value
    lines = model_path.read_text(encoding="utf-8").splitlines()
    assert f"<{tag}" in lines[error.line - 1], (error.line, str(error))
    assert error.element_id is not None
    assert f"element '{error.element_id}'" in str(error)
    assert f":{error.line}:" in str(error)


def test_every_case_is_run_or_listed() -> None:
    assert len(CASES) == 18
    assert set(REFUSED) <= set(CASES)


def test_the_notice_travels_with_the_cases() -> None:
    notice = (TCK / "NOTICE.md").read_text(encoding="utf-8")
    assert "Apache License, Version 2.0" in notice
    assert (TCK / "LICENSE-ASL-2.0.txt").exists()


@pytest.mark.parametrize("case", [c for c in CASES if c not in REFUSED])
def test_every_case_decides_the_same_after_export_and_import(case: str) -> None:
    """Import → export → import: RULE ORDER, OUTPUT ORDER and COLLECT tables come back as
    such (with their aggregation) and give every expected result, in gistpath and in the
    tests' own DMN interpreter of the exported XML; single-hit tables give the same value."""
    (model_path,) = (TCK / case).glob("*.dmn")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # drafts: some TCK tables have gaps
        model = dmn.read_model(model_path, draft=True)
        xml = dmn.export(model)
        again = dmn.DmnModel(
            conversion := dmn.convert(dmn.read_bytes(xml.encode(), "exported.dmn")),
            dmn.loads(xml, "exported.dmn", draft=True),
        )
    tables = oracle.read(xml)
    for ident, inputs, expected in _tests(case):
        state = model.conversion.state(_inputs(inputs))
        results = again.evaluate(state)
        decided = model.ruleset.evaluate(state).values
        by_oracle = oracle.evaluate_model(tables, state)
        for name, want in expected.items():
            found = model.conversion.decisions[name]
            if found.multiple is None:
                assert (
                    again.ruleset.evaluate(conversion.state(state)).values[found.name]
                    == (decided[found.name])
                ), (case, ident, name)
                continue
            assert f'hitPolicy="{found.hit_policy}"' in xml
            assert _plain(results[found.name]) == want, (case, ident, name, results)
            assert _plain(_numbers(by_oracle[found.name])) == want, (case, ident, name)


def _numbers(value: object) -> object:
    """The oracle's floats as ints where whole, as gistpath gives them."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    return value
