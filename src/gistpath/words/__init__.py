"""Conditions in words a clinician reads: titles instead of names, no double negatives.

Design: :class:`Phrasing` turns a checked expression of one :class:`gistpath.model.Model`
into an English phrase. It names an input, a derived value (``let``) or a decision table by
its declared *title* (the bare name only where none is declared), a choice value by the
meaning the input's summary gives it (a summary written as ``value: meaning; value:
meaning``) or else by its name with the underscores read as spaces, a unit by its usual
spelling (``per_5mm2`` -> ``per 5 mm²``), and a pathway by its title. It writes:

- a boolean as "<title>" when it holds and "<title>: no" when it does not, so that
  "not not fit" never appears;
- "is not <value>" for a value whose own word is a negative (``none``, ``not_tested``,
  ``no_...``) as "is one of" the *other* values, so "is not not tested" never appears;
- a ``when`` block by its condition, which in a well-written rule file is a ``let`` and so
  reads as that ``let``'s title.

The same phrasing feeds :meth:`gistpath.Decision.explain`, the generated documentation
(which passes ``link`` and ``escape`` so names become links in reST) and the "Try it"
panel's reasons. Nothing here reads rule *text*: only the checked model.

The package: :mod:`~gistpath.words.vocabulary` (names, units and value meanings that
need no model), :mod:`~gistpath.words.naming` (:class:`Naming`: a model's names and
values), :mod:`~gistpath.words.phrasing` (:class:`Phrasing`: conditions).

Limits: English only. A choice input's summary is read for value meanings only when it
is written in the ``value: meaning`` form, separated by semicolons.
"""

from __future__ import annotations

from gistpath.words.naming import Naming
from gistpath.words.phrasing import Phrasing
from gistpath.words.vocabulary import column_meanings, humanize, unit_words, value_summaries

__all__ = ["Naming", "Phrasing", "column_meanings", "humanize", "unit_words", "value_summaries"]
