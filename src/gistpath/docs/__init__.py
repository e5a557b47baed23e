"""A loaded rule set as documentation people read: reST text, an SVG diagram, a built site.

The package is split by job, each module importing only those before it:

- :mod:`gistpath.docs.markup`: small reStructuredText helpers (escaping, headings, links,
  list tables); they know nothing of rule sets.
- :mod:`gistpath.docs.prose`: conditions written in words (:func:`describe`).
- :mod:`gistpath.docs.audience`: whether a rule set reads as clinical
  (:func:`looks_clinical`).
- :mod:`gistpath.docs.diagram`: the decision diagram, an SVG laid out in pure Python
  (:func:`render_svg`).
- :mod:`gistpath.docs.references`: citations, the list of sources, and which names use
  which (links for the page).
- :mod:`gistpath.docs.grid`: a decision table recognised as the grid its source publishes
  (two banded numbers by a choice).
- :mod:`gistpath.docs.page`: the whole page as reST (:func:`render_rst`): its frame, with
  ``base``, ``tables``, ``pathways`` and ``examples`` for its parts, built from the
  modules above.
- :mod:`gistpath.docs.build`: a one-page Sphinx project built to HTML (:func:`build_html`);
  the only module here that imports Sphinx, and only when called.
- :mod:`gistpath.docs.changes`: the change log between two versions of a rule file, from
  their semantic diff (:func:`render_changes_rst`).

Everything a caller needs is importable from :mod:`gistpath.docs` itself.

Limits: the output is English. Raw HTML (the diagram) is dropped by non-HTML writers.
"""

from __future__ import annotations

from gistpath.docs.audience import CLINICAL_WORDS, looks_clinical
from gistpath.docs.build import build_html
from gistpath.docs.changes import render_changes_rst
from gistpath.docs.diagram import render_svg
from gistpath.docs.page import DISCLAIMER, render_rst
from gistpath.docs.prose import describe

__all__ = [
    "CLINICAL_WORDS",
    "DISCLAIMER",
    "build_html",
    "describe",
    "looks_clinical",
    "render_changes_rst",
    "render_rst",
    "render_svg",
]
