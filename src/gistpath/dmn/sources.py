"""DMN knowledge sources → the sources of a rule file, and the citations of each decision.

Design: each ``knowledgeSource`` becomes a ``source``: its name by the importer's naming
rule (:func:`gistpath.dmn.names.gistpath_name`), its label (or name) the title, its
``locationURI`` the url. Written by ``gistpath to-dmn`` (attributes in gistpath's extension
namespace), its authors, publisher, date and note come back as they were; otherwise the
note gathers what DMN says of it: the description, its ``type``, its ``owner`` and the
sources it draws on (its own authority requirements). A decision's authority requirements
on knowledge sources become the citations of its table, the requirement's description the
section cited; every table also cites the model itself (``dmn_model``), once.

Limits: an authority requirement on input data or on a decision is not a citation and is
not read as one; an owner is named by its id (DMN's organisation units are not read).
"""

from __future__ import annotations

from collections.abc import Sequence

from gistpath import ast
from gistpath.dmn.names import SOURCE, Names
from gistpath.dmn.values import Decision, KnowledgeSource


def read_sources(
    found_sources: Sequence[KnowledgeSource],
) -> tuple[dict[str, str], dict[str, str], list[ast.Declaration]]:
    """Per knowledge source id and per DMN name its gistpath name, and the declarations."""
    by_id: dict[str, str] = {}
    by_name: dict[str, str] = {}
    decls: list[ast.Declaration] = []
    names = Names()
    del names.taken[SOURCE]  # a source named so (an export of an import) is the model's
    for found in found_sources:
        name = names.claim(found.name, "source", found.place)
        by_id[found.id] = name
        by_name[found.name] = name
    for found in found_sources:
        extension = found.extension
        properties = [
            ast.Property(key, extension[key])
            for key in ("authors", "publisher", "date")
            if extension.get(key)
        ]
        if found.location:
            properties.append(ast.Property("url", found.location))
        if "note" in extension:
            note = extension["note"] or None  # written by gistpath: the note as it was
        else:
            parts = [found.description or ""]
            if found.type:
                parts.append(f"Type: {found.type}.")
            if found.owner:
                parts.append(f"Owner: '#{found.owner}'.")
            drawn = [by_id.get(i, f"#{i}") for i in found.requires]
            if drawn:
                parts.append("Draws on: " + ", ".join(drawn) + ".")
            note = " ".join(p for p in parts if p) or None
        if note:
            properties.append(ast.Property("note", note))
        decls.append(ast.SourceDecl(by_id[found.id], found.label or found.name, tuple(properties)))
    return by_id, by_name, decls


def citations(decision: Decision, sources: dict[str, str]) -> list[ast.Citation]:
    """The knowledge sources a decision's authority requirements name (with the section),
    and the model itself unless one of them is it (an export of an import)."""
    out: list[ast.Citation] = []
    for authority in decision.authorities:
        if authority.kind != "requiredAuthority":
            continue
        found = sources.get(authority.href)
        if found is None:
            raise authority.place.error(
                f"it names knowledge source '#{authority.href}', which is not in the file"
            )
        out.append(ast.Citation(found, authority.section))
    if all(c.source != SOURCE for c in out):
        out.insert(0, ast.Citation(SOURCE, decision.name))
    return out


__all__ = ["citations", "read_sources"]
