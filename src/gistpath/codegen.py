"""Code generation: one plain Python function per rule set for the common case of ``evaluate``.

Design: :meth:`gistpath.RuleSet.evaluate` spends its time in per-field validation, the cell
lookup of each value and reading a decision off the bit sets. This module writes, once per
rule set, a straight-line function that does all three inline for the *plain* case — a
``dict`` with exactly the declared fields whose values are exact ``str``, ``bool``, ``int``
or ``float`` objects inside their domains. Each value is checked and turned into its cell's
share of one mixed-radix integer key (a dictionary look-up for a choice, an identity test
for a boolean, a balanced tree of comparisons for a number — one tree for a ``float`` and
one for an ``int``, each against thresholds of its own type, which CPython compares
inline), added to the key as the field is read. The key names the state's cells, and
everything that depends only on them (the rule, the considerations, the derived values) is
read from a cache filled by the general code on first sight of that key.

Whatever is not plain (a numpy scalar, a ``str`` subclass, a missing field, a value outside
its domain, a broken constraint, ...) is handed, untouched, to the general path, which
validates it field by field and raises the precise :class:`gistpath.StateError`. So the
generated function never decides anything the general path would decide differently; the
tests check both against the reference interpreter.

Safety: this is the one module of gistpath that calls ``compile``/``exec``, and it is
written so that no text of a rule file ever reaches them. The generated source is made only
of identifiers this module invents (``v0``, ``key``, ``T0_1`` ...), Python keywords and
operators; every name, number and bit set taken from the checked model is passed in the
function's namespace as a constant, never spelled into the source. Comments name the
fields, after checking each name is a plain identifier (the grammar allows nothing else).
The source is registered in :mod:`linecache` under a readable pseudo file name, so a
traceback shows the real line, and :attr:`Evaluator.source` shows it whole.

Limits: the caches hold at most :data:`CACHE_LIMIT` keys (GIST has millions of possible
combinations of cells, of which a real workload meets a few thousand); when one fills up it
is emptied and filled again, so a workload that moves on to other cells stays fast once it
repeats itself. A rule set with at most :data:`TABLE_LIMIT` possible keys (the AFIP table
alone has 616) keeps them in a list instead, which never fills up.
"""

from __future__ import annotations

import itertools
import linecache
import math
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from gistpath.cells import Dimension
from gistpath.language import UNKNOWN
from gistpath.tables import PredicateTables

#: Most distinct bit sets whose resolved decision is kept.
CACHE_LIMIT = 1 << 16

#: Largest number of possible keys for which the cache is a list with a place for each.
TABLE_LIMIT = 1 << 12

#: What the general code gives for one bit set: pathway, considerations, rule id, derived
#: values and the rule set; a decision keeps it as it is.
Resolved = tuple[str, tuple[str, ...], str, Mapping[str, object], Any]

_counter = itertools.count()


@attrs.frozen
class Evaluator:
    """A generated evaluation function and the source it was compiled from."""

    function: Callable[[object], Any]
    source: str
    filename: str


def _leaf(lines: list[str], indent: str, statement: str | None) -> None:
    lines.append(f"{indent}{statement if statement is not None else 'return slow(state)'}")


def _same_type(threshold: int | float, kind: type) -> int | float:
    """``threshold`` as a ``kind`` (int or float) where that is the very same number.

    Comparing a float with an int is exact in Python but slower than comparing two floats
    (or two ints), which CPython does inline; a threshold that has no exact twin of the
    other type (2.5 for ints, 2**53 + 1 for floats) is kept as it is, and still compares
    right.
    """
    if type(threshold) is kind:
        return threshold
    if kind is int:
        if isinstance(threshold, float) and math.isfinite(threshold) and threshold.is_integer():
            return int(threshold)
        return threshold
    try:
        twin = float(threshold)
    except OverflowError:
        return threshold
    return twin if twin == threshold else threshold


def _number_tree(
    lines: list[str],
    indent: str,
    var: str,
    thresholds: list[str],
    cells: list[str | None],
    lo: int,
    hi: int,
) -> None:
    """A balanced tree of comparisons that adds the cell of ``var`` to the key.

    ``thresholds[i]`` names the constant of the i-th threshold; ``cells[c]`` is the
    statement for cell ``c``, or ``None`` where the cell is outside the domain.
    """
    if lo == hi:
        _leaf(lines, indent, cells[2 * lo])
        return
    mid = (lo + hi) // 2
    lines.append(f"{indent}if {var} < {thresholds[mid]}:")
    _number_tree(lines, indent + "    ", var, thresholds, cells, lo, mid)
    lines.append(f"{indent}elif {var} == {thresholds[mid]}:")
    _leaf(lines, indent + "    ", cells[2 * mid + 1])
    lines.append(f"{indent}else:")
    _number_tree(lines, indent + "    ", var, thresholds, cells, mid + 1, hi)


def generate(
    name: str,
    dimensions: tuple[Dimension, ...],
    tables: PredicateTables,
    *,
    slow: Callable[[object], Any],
    resolve: Callable[[int, tuple[object, ...]], Resolved],
    decision: type,
) -> Evaluator:
    """Write and compile the fast evaluation function of one rule set.

    ``dimensions`` are the input dimensions in declaration order; ``slow`` is the general
    evaluation (called with the untouched state whenever the fast path is not sure);
    ``resolve`` reads a decision off a bit set, or raises for a broken constraint or a
    draft's gap or overlap, given the validated inputs. ``decision`` is the class of the
    result, made without calling its ``__init__``; the function stores in its ``_data`` slot
    (inline: the class must not override ``__setattr__``) one flat tuple, the resolved
    tuple then the validated inputs in declaration order.

    Each field's value is turned into its cell's share of one mixed-radix number (cell
    index times the product of the sizes of the dimensions before it), added to ``key`` as
    each field is checked (a share of 0 adds nothing), so the key names the state's cells.
    It keys the cache of resolved decisions (a list with a place for every key when there
    are at most :data:`TABLE_LIMIT` of them, else a dictionary); on a miss the bit sets
    are ANDed as in the general path, and their result is cached too.
    """
    if decision.__setattr__ is not object.__setattr__:  # type: ignore[comparison-overlap]
        raise TypeError(f"{decision.__name__} must not override __setattr__")
    n = len(dimensions)
    ns: dict[str, object] = {
        "slow": slow,
        "new": object.__new__,
        "Decision": decision,
        "INF": float("inf"),
        "UNKNOWN": UNKNOWN,
        "Z": 0,  # the key of a rule set without inputs
        "N": len(dimensions),
    }
    by_bits: dict[int, Resolved] = {}

    def resolved(inputs: tuple[object, ...]) -> Resolved:
        acc = tables.matches(tables.cells(inputs))
        info = by_bits.get(acc)
        if info is None:
            info = resolve(acc, inputs)  # raises for a broken constraint: nothing cached
            if len(by_bits) >= CACHE_LIMIT:
                by_bits.clear()
            by_bits[acc] = info
        return info

    space = math.prod(dim.size for dim in dimensions)
    if space <= min(TABLE_LIMIT, CACHE_LIMIT):
        # Few enough keys for a list with a place for each: indexing it is cheaper than
        # a dictionary look-up, and it never fills up.
        table: list[Resolved | None] = [None] * space
        ns["table"] = table

        def remember(key: int, inputs: tuple[object, ...]) -> Resolved:
            info = table[key] = resolved(inputs)
            return info

        lookup = "    info = table[key]"
    else:
        by_key: dict[int, Resolved] = {}
        ns["cache_get"] = by_key.get

        def remember(key: int, inputs: tuple[object, ...]) -> Resolved:
            info = resolved(inputs)
            if len(by_key) >= CACHE_LIMIT:
                # Start afresh rather than stop caching: a workload that has moved on to
                # other cells is fast again as soon as it repeats itself. (dict operations
                # are atomic, so threads at most recompute an entry.)
                by_key.clear()
            by_key[key] = info
            return info

        lookup = "    info = cache_get(key)"

    ns["remember"] = remember
    names = [f"v{i}" for i in range(n)]
    inputs = f"({names[0]},)" if n == 1 else f"({', '.join(names)})"
    data = f"({', '.join(['info', *names])}{',' if n == 0 else ''})"

    lines = [
        "def evaluate(state):",
        "    if type(state) is not dict or len(state) != N:",
        "        return slow(state)",
    ]
    # One try block: a missing field, or a choice not in its map, raises KeyError. Each
    # field is read with its own subscript (inline in CPython for an exact dict).
    for dim in dimensions:
        if not dim.name.isidentifier():  # the grammar guarantees it; never trust blindly
            raise ValueError(f"not an identifier: {dim.name!r}")
    lines.append("    try:")
    for i, dim in enumerate(dimensions):
        ns[f"K{i}"] = dim.name
        lines.append(f"        v{i} = state[K{i}]")
    if n == 0:
        lines.append("        pass")

    weight = 1
    for i, dim in enumerate(dimensions):

        def const(cell: int, i: int = i, weight: int = weight) -> str:
            """The statement adding cell ``cell``'s share to the key (the first sets it)."""
            ns[f"C{i}_{cell}"] = cell * weight
            if i == 0:
                return f"key = C{i}_{cell}"
            return f"key += C{i}_{cell}" if cell else "pass"

        def valid(cell: int, dim: Dimension = dim) -> bool:
            return bool(dim.valid >> cell & 1)

        v = f"v{i}"
        out: list[str] = []
        out.append(f"# {dim.name}: {dim.kind}")
        if dim.kind == "choice":
            ns[f"M{i}"] = {
                value: cell * weight for cell, value in enumerate(dim.values) if valid(cell)
            }
            add = "key =" if i == 0 else "key +="
            out += [f"if type({v}) is not str:", "    return slow(state)", f"{add} M{i}[{v}]"]
        elif dim.kind == "boolean":
            keyword = "if"
            for cell, value in enumerate(dim.values):
                if valid(cell):
                    if isinstance(value, bool):
                        test = f"{v} is {value!r}"
                    else:
                        test = f"type({v}) is str and {v} == UNKNOWN"
                    out += [f"{keyword} {test}:", f"    {const(cell)}"]
                    keyword = "elif"
            out += ["else:", "    return slow(state)"]
        else:  # numeric
            cells: list[str | None] = [
                const(c) if valid(c) else None for c in range(2 * len(dim.thresholds) + 1)
            ]
            top = len(dim.thresholds)
            keyword = "if"
            if not dim.integer:
                # A float is compared with floats and an int with ints (see _same_type):
                # same answers, but CPython's fast comparison of two floats or two ints.
                floats = []
                for k, threshold in enumerate(dim.thresholds):
                    ns[f"F{i}_{k}"] = _same_type(threshold, float)
                    floats.append(f"F{i}_{k}")
                # NaN and the infinities land in the outermost cells; where those are
                # outside the domain (both limits declared) they fall back on their own.
                finite = f" and -INF < {v} < INF" if valid(0) or valid(2 * top) else ""
                out.append(f"if type({v}) is float{finite}:")
                _number_tree(out, "    ", v, floats, cells, 0, top)
                keyword = "elif"
            ints = []
            for k, threshold in enumerate(dim.thresholds):
                ns[f"T{i}_{k}"] = _same_type(threshold, int)
                ints.append(f"T{i}_{k}")
            out.append(f"{keyword} type({v}) is int:")
            _number_tree(out, "    ", v, ints, cells, 0, top)
            if dim.allows_unknown and valid(dim.unknown_cell):
                out += [
                    f"elif type({v}) is str and {v} == UNKNOWN:",
                    f"    {const(dim.unknown_cell)}",
                ]
            out += ["else:", "    return slow(state)"]
        lines += ["        " + line for line in out]
        weight *= dim.size

    lines += [
        "    except KeyError:",
        "        return slow(state)",
        *(["    key = Z"] if n == 0 else []),
        lookup,
        "    if info is None:",
        f"        info = remember(key, {inputs})",
        "    decision = new(Decision)",
        f"    decision._data = {data}",
        "    return decision",
        "",
    ]
    source = "\n".join(lines)
    label = name if name.isidentifier() else "rules"
    filename = f"<gistpath evaluate {next(_counter)}: {label}>"
    code = compile(source, filename, "exec")
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(code, ns)  # the source holds only names this module made; see the module docstring
    function = ns["evaluate"]
    assert callable(function)
    return Evaluator(function, source, filename)


__all__ = ["CACHE_LIMIT", "Evaluator", "Resolved", "generate"]
