"""Pass: ``input`` declarations and their domains (choice values, yes/no, numbers and limits).

Design: each input becomes a :class:`gistpath.model.Input` with its domain: a choice's
values must be distinct, not ``unknown`` (written ``or unknown``) and not ``yes``/``no``;
a number's limits are given at most once each, hold numbers the domain can compare
exactly, and leave at least one value. ``pathway`` is reserved.
"""

from __future__ import annotations

import math

from gistpath import ast
from gistpath.check.documentation import read_properties
from gistpath.check.expressions import check_number
from gistpath.check.scope import Scope
from gistpath.language import BOOLEAN_WORDS, PATHWAY_NAME, UNKNOWN
from gistpath.model import (
    BooleanDomain,
    ChoiceDomain,
    Domain,
    Input,
    Limit,
    NumericDomain,
)


def check_inputs(scope: Scope) -> None:
    """Record every ``input`` of the file in :attr:`Scope.inputs`."""
    for decl in scope.declarations(ast.InputDecl):
        check_input(scope, decl)


def check_input(scope: Scope, decl: ast.InputDecl) -> None:
    """One input: its name, its domain and its properties.

    A problem leaves the input out (when its name is taken or reserved) or records it with
    the part of its domain that could be read, so later passes report what they can.
    """
    if decl.name in scope.inputs:
        scope.error(decl, f"input '{decl.name}' is declared twice")
        return
    if decl.name == PATHWAY_NAME:
        scope.error(decl, "'pathway' is reserved for the chosen pathway; pick another name")
        return
    if scope.reserved(decl, decl.name, "an input"):
        return
    props = read_properties(scope, decl.properties, "input")
    spec = decl.type
    domain: Domain
    if isinstance(spec, ast.ChoiceType):
        names = [v.name for v in spec.values]
        seen: set[str] = set()
        for value in spec.values:
            if value.name in seen:
                scope.error(value, f"'{value.name}' is listed twice")
            if value.name == UNKNOWN:
                scope.error(value, "write 'or unknown' to allow unknown")
            elif value.name in BOOLEAN_WORDS:
                scope.error(
                    value,
                    f"'{value.name}' is the word for a yes/no value and could never be "
                    "tested as a choice; pick another name",
                )
            else:
                scope.reserved(value, value.name, "a choice value")
            seen.add(value.name)
        domain = ChoiceDomain(tuple(dict.fromkeys(names)), decl.allows_unknown)
    elif isinstance(spec, ast.BooleanType):
        domain = BooleanDomain(decl.allows_unknown)
    else:
        integer = isinstance(spec, ast.IntegerType)
        low = high = None
        for bound in spec.bounds:
            limit = check_number(scope, bound.quantity, integer=integer)
            if limit is None:
                continue
            if bound.op in (">", ">="):
                if low is not None:
                    scope.error(bound, "the lower limit is given twice")
                low = Limit(limit, bound.op == ">=")
            elif bound.op in ("<", "<="):
                if high is not None:
                    scope.error(bound, "the upper limit is given twice")
                high = Limit(limit, bound.op == "<=")
            else:
                scope.error(bound, f"a range is written with <, <=, > or >=, not '{bound.op}'")
        domain = NumericDomain(integer, low, high, spec.unit, decl.allows_unknown)
        if low is not None and high is not None and not _nonempty(domain):
            scope.error(spec, f"the range of '{decl.name}' holds no value")
    scope.inputs[decl.name] = Input(
        decl.name, decl.title, domain, props.get("summary"), line=decl.line
    )


def _nonempty(domain: NumericDomain) -> bool:
    """Whether a numeric domain with both limits holds at least one value."""
    low, high = domain.low, domain.high
    assert low is not None
    assert high is not None
    if low.value > high.value:
        return False
    if low.value == high.value:
        return low.inclusive and high.inclusive
    if domain.integer:
        first = math.floor(low.value) + 1 if not low.inclusive else math.ceil(low.value)
        last = math.ceil(high.value) - 1 if not high.inclusive else math.floor(high.value)
        return first <= last
    return True
