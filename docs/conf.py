"""Sphinx configuration of the gistpath documentation.

Build with ``python -m sphinx -W -n -b html docs docs/_build/html`` (warnings are errors,
and every cross-reference must resolve). gistpath must be importable (``pip install -e .``).
"""

from __future__ import annotations

import gistpath

project = "gistpath"
author = "The gistpath developers"
copyright = "the gistpath developers"
version = release = gistpath.__version__

extensions = [
    "sphinx.ext.autodoc",
    "gistpath.sphinxext",
]

root_doc = "index"
exclude_patterns = ["_build", "examples"]
nitpicky = True
# Names autodoc writes in signatures that have no page here: the standard library and
# Pygments/Sphinx/docutils (the build is offline, so there is no intersphinx), the syntax
# tree nodes of gistpath.ast (an internal layer), the compiled forms and oracle a RuleSet holds, and
# the pipeline's internal modules, which docstrings name but which have no page of their own.
nitpick_ignore_regex = [
    ("py:class", r"(collections\.abc|typing|types|os|pathlib)\.\w+"),
    ("py:class", r"(Mapping|Sequence|Iterable|Iterator|MappingProxyType|Any|Path|PathLike)"),
    ("py:class", r"(pygments|sphinx|docutils)\..*"),
    ("py:class", r"(numpy|np|npt)\.\w+"),  # numpy's types (BatchResult's codes)
    ("py:class", r"(gistpath\.)?ast(\.\w+)+"),
    ("py:class", r"(gistpath(\.\w+)+\.)?(Model|CompiledModel|PredicateTables|Outcome|Space|Rule|Interpreter)"),
    ("py:class", r"(gistpath\.diff\.)?DiffReport"),  # the diff a change log is written from
    ("py:mod", r"gistpath\.(parser|ast|check|model|cells|regions|tables|codegen|ruleset)"),
    ("py:mod", r"gistpath\.(explain|docs|check)\.?\w*"),
    ("py:mod", r"gistpath\.(batch(\.\w+)*|verify|interpreter|printer|state|loader|errors|cli)"),
]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": True, "show-inheritance": True}

highlight_language = "python3"
# Furo (the ``docs`` extra): a theme made for long reference pages, with a wide content
# column, a sidebar of the site and one of the sections of the page, and visible links.
html_theme = "furo"
html_title = f"gistpath {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_show_sourcelink = False
