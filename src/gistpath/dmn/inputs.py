"""A DMN model's types and input data as the inputs of a gistpath rule file.

Design: an input data's type is followed through the item definitions to a built-in one
(:func:`base_type`): ``number`` (bounded by its allowed values, if any; a whole number where
gistpath's export marked it so), ``string`` (a choice of its allowed values, or of the
``inputValues`` of the tables that read it, or else of the texts the tables test plus
``other``), ``boolean``; ``null`` among the allowed values makes the input allow
``unknown``. Every function works on one :class:`~gistpath.dmn.importer._Converter`, as
:mod:`gistpath.dmn.roles` does.

Limits: dates, times, durations, structures and collections are refused, with their place.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from gistpath import ast
from gistpath.dmn import feel
from gistpath.dmn.conversion import InputMap
from gistpath.dmn.entries import allowed_bounds, allows_null, string_list, unary_tests
from gistpath.dmn.names import OTHER, key, values_for
from gistpath.dmn.values import InputClause, ItemDefinition, Place, Text

if TYPE_CHECKING:
    from gistpath.dmn.importer import _Converter


def base_type(
    items: Mapping[str, ItemDefinition], type_ref: str | None, place: Place
) -> tuple[str, Text | None]:
    """The built-in type under ``type_ref`` (following the item definitions ``items``) and the
    allowed values met on the way; a located DmnError for a type gistpath cannot hold."""
    allowed: Text | None = None
    seen: set[str] = set()
    while type_ref is not None and type_ref in items and type_ref not in seen:
        seen.add(type_ref)
        item = items[type_ref]
        if item.components or item.is_collection:
            raise item.place.error(
                f"item definition '{item.name}' is a structure or a collection; "
                "gistpath inputs are numbers, texts or booleans"
            )
        if allowed is None:
            allowed = item.allowed
        type_ref = item.type_ref
    if type_ref is None:
        raise place.error("no type is given (typeRef); gistpath needs one to read the input")
    base = {
        "number": "number",
        "double": "number",
        "decimal": "number",
        "integer": "integer",
        "long": "integer",
        "int": "integer",
        "string": "string",
        "boolean": "boolean",
    }.get(type_ref)
    if base is None:
        raise place.error(
            f"the type '{type_ref}' is not imported by gistpath (numbers, strings and "
            "booleans are; dates, times, durations and structures are not)"
        )
    return base, allowed


def column_input(converter: _Converter, clause: InputClause) -> tuple[str, object]:
    """What an input clause reads: ("input", InputData) or ("decision", Decision)."""
    expression = clause.expression.text.strip()
    if expression in converter.input_by_name:
        return "input", converter.input_by_name[expression]
    if expression in converter.decision_by_name:
        return "decision", converter.decision_by_name[expression]
    raise clause.expression.place.error(
        f"the input expression '{expression}' is not the name of an input data or a "
        "decision of this model; gistpath reads names only, not FEEL expressions"
    )


def build_inputs(converter: _Converter) -> None:
    """Declare a field per input data of the model: its type from the item definition or
    the tables that test it, and for strings the allowed values, from ``inputValues`` or
    the texts the tables' entries mention. Refuses a type gistpath cannot hold."""
    # Which string texts each string input's table entries mention, and inputValues.
    mentioned: dict[str, list[str]] = {}
    listed: dict[str, list[str]] = {}
    types: dict[str, tuple[str, str, Text | None]] = {}
    for data in converter.defs.inputs:
        type_ref = data.type_ref or _type_from_tables(converter, data.name)
        base, allowed = base_type(converter.items, type_ref, data.place)
        types[data.name] = (type_ref or "", base, allowed)
    for decision in converter.defs.decisions:
        for index, clause in enumerate(decision.table.inputs):
            kind, target = column_input(converter, clause)
            if kind != "input" or types[target.name][1] != "string":  # type: ignore[attr-defined]
                continue
            name: str = target.name  # type: ignore[attr-defined]
            if clause.allowed is not None:
                listed.setdefault(name, []).extend(string_list(clause.allowed))
            for rule in decision.table.rules:
                tests = unary_tests(rule.inputs[index])
                for test in tests.tests:
                    literal = getattr(test, "value", None)
                    if isinstance(literal, feel.String):
                        mentioned.setdefault(name, []).append(literal.value)
    for data in converter.defs.inputs:
        type_ref, base, allowed = types[data.name]
        name = converter.names.claim(data.name, "input", data.place)
        spec: ast.TypeSpec
        values: dict[str, str] = {}
        other: str | None = None
        unknown = allows_null(allowed)
        if base == "number" and data.extension.get("type") == "integer":
            base = "integer"  # a whole number, as gistpath wrote it (FEEL has none)
        if base in ("number", "integer"):
            bounds = allowed_bounds(allowed, base == "integer") if allowed else ()
            unit = data.extension.get("unit")
            spec = (ast.IntegerType if base == "integer" else ast.NumberType)(bounds, unit)
        elif base == "boolean":
            spec = ast.BooleanType()
        else:
            if allowed is not None:
                texts = string_list(allowed)
            elif data.name in listed:
                texts = listed[data.name]
            else:
                texts = mentioned.get(data.name, [])
                other = OTHER
            texts = list(dict.fromkeys(texts))
            names = values_for(texts)
            values = {t: names[key(t)] for t in texts}
            choice = list(values.values())
            if other is not None:
                while other in choice:
                    other += "_text"
                choice.append(other)
            if not choice:
                raise data.place.error(f"input '{data.name}' has no value to choose")
            spec = ast.ChoiceType(tuple(ast.Symbol(v) for v in choice))
        summary = data.description or f"DMN input data '{data.name}' ({type_ref})."
        if other:
            summary += f" '{other}' stands for every text not listed."
        converter.declarations.append(
            ast.InputDecl(
                name,
                data.label or data.name,
                spec,
                unknown,
                (ast.Property("summary", summary),),
            )
        )
        converter.inputs[data.name] = InputMap(
            data.name, name, base, MappingProxyType(values), other, unknown
        )


def _type_from_tables(converter: _Converter, name: str) -> str | None:
    """The type an input clause reading ``name`` declares, where the input data has none."""
    for decision in converter.defs.decisions:
        for clause in decision.table.inputs:
            if clause.expression.text.strip() == name and clause.type_ref:
                return clause.type_ref
    return None
