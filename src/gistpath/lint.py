"""Likely mistakes that are not errors: warnings beside the proof.

Design: one walk over the checked model's syntax tree, after the checker accepted it. Two
mistakes are reported, each as a :class:`gistpath.findings.Finding` of severity
``"warning"`` (the verifier adds them to its report; a warning never fails verification,
but :func:`gistpath.load` shows it as a :class:`gistpath.VerificationWarning`, and
``gistpath check`` prints it):

- ``out_of_range_comparison``: a comparison of a numeric input with a number outside its
  declared range, so that it holds for every value the input may take, or for none
  (``temperature_c > 50`` where the range ends at 45): usually a typo or a unit slip;
- ``unused_source``: a declared source that nothing cites.

Limits: comparisons are judged one at a time against the input's own range, not against
the constraints or the rest of the condition; a derived value's or table's comparisons of
inputs are checked the same way, table cells included.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import attrs

from gistpath import ast
from gistpath.findings import Finding
from gistpath.model import Model, NumericDomain


def likely_mistakes(model: Model) -> list[Finding]:
    """The warnings of a checked model, in file order of their lines."""
    found: list[Finding] = []
    cited: set[str] = set()
    for node in _walk(model.tree):
        if isinstance(node, ast.Citation):
            cited.add(node.source)
        elif isinstance(node, ast.Comparison):
            _compare(model, node.name, node.op, node.quantity, node.line, found)
        elif isinstance(node, ast.Between):
            _compare(model, node.name, _flip(node.low_op), node.low, node.line, found)
            _compare(model, node.name, node.high_op, node.high, node.line, found)
        elif isinstance(node, ast.TableDecl):
            _table_cells(model, node, found)
    for name, source in model.sources.items():
        if name not in cited:
            found.append(
                Finding(
                    "unused_source",
                    f"source '{name}' is declared but nothing cites it",
                    filename=model.filename,
                    lines=(source.line,) if source.line else (),
                    severity="warning",
                )
            )
    return sorted(found, key=lambda f: f.lines[:1])


def _walk(node: object) -> Iterator[object]:
    """Every syntax node under ``node``, depth first, without recursion."""
    stack = [node]
    while stack:
        item = stack.pop()
        cls = type(item)
        if cls is tuple or cls is list:
            stack.extend(reversed(item))  # type: ignore[call-overload]
            continue
        if not _is_node(cls):
            continue
        yield item
        fields = attrs.fields(cast("type[attrs.AttrsInstance]", cls))
        values = [getattr(item, field.name) for field in fields]
        stack.extend(reversed([v for v in values if type(v) not in _LEAVES]))


# Whether each class met is a syntax node class, asked of attrs once per class (asking
# per node made this walk a third of a verification); leaf values are not pushed at all.
_NODE_CLASSES: dict[type, bool] = {}
_LEAVES = frozenset({str, int, float, bool, type(None)})


def _is_node(cls: type) -> bool:
    try:
        return _NODE_CLASSES[cls]
    except KeyError:
        _NODE_CLASSES[cls] = found = attrs.has(cls)
        return found


def _flip(op: str) -> str:
    """``2 < x`` is ``x > 2``."""
    return {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)


def _table_cells(model: Model, decl: ast.TableDecl, found: list[Finding]) -> None:
    columns = list(decl.columns)
    for row in decl.rows:
        for column, cell in zip(columns, row.cells, strict=False):
            if isinstance(cell, ast.TestsCell):
                for test in cell.tests:
                    _compare(model, column, test.op, test.quantity, test.line, found)


def _compare(
    model: Model, name: str, op: str, quantity: ast.Quantity, line: int, found: list[Finding]
) -> None:
    item = model.inputs.get(name)
    if item is None or not isinstance(item.domain, NumericDomain):
        return
    domain = item.domain
    verdict = _always(domain, op, quantity.value)
    if verdict is None:
        return
    unit = f" {domain.unit}" if domain.unit else ""
    found.append(
        Finding(
            "out_of_range_comparison",
            f"'{name} {op} {quantity.text}{unit}' {verdict}: '{name}' is "
            f"{domain.describe()}; is the number or the unit a slip?",
            filename=model.filename,
            lines=(line,),
            severity="warning",
        )
    )


def _always(domain: NumericDomain, op: str, value: float) -> str | None:
    """``"never holds"`` when ``x op value`` holds for no x of the domain; ``"always holds"``
    when it holds for all of them and ``value`` lies strictly outside the range (a bound
    written at the range's own limit, ``10 < x <= 100`` for a range ending at 100, reads
    as a band and is not reported)."""
    low, high = domain.low, domain.high
    beyond_top = high is not None and value > high.value
    beyond_bottom = low is not None and value < low.value
    above_all = beyond_top or (high is not None and value == high.value and not high.inclusive)
    below_all = beyond_bottom or (low is not None and value == low.value and not low.inclusive)
    at_or_above_top = high is not None and value >= high.value
    at_or_below_bottom = low is not None and value <= low.value
    if op == ">":
        return "never holds" if at_or_above_top else "always holds" if beyond_bottom else None
    if op == ">=":
        return "never holds" if above_all else "always holds" if beyond_bottom else None
    if op == "<":
        return "never holds" if at_or_below_bottom else "always holds" if beyond_top else None
    if op == "<=":
        return "never holds" if below_all else "always holds" if beyond_top else None
    if op in ("=", "=="):
        return "never holds" if above_all or below_all else None
    if op == "!=":
        return "always holds" if beyond_top or beyond_bottom else None
    return None
