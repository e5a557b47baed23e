"""The bit-set fold: a block of rows decided by ANDing the predicate tables' bit sets.

Design: the bit sets of :class:`gistpath.tables.PredicateTables` (one per cell of each
input: the boxes holding it) are stored as rows of ``uint64`` words (:class:`WordTables`).
For a block of rows, each input's words are gathered by the rows' cells and ANDed; the
lowest rule bit left names the rule, a constraint bit a broken constraint, and (for a draft)
rule bits of a second rule an overlap. With considerations, the consideration boxes of the
row's pathway say which apply. This is how the numpy path decides considerations, and how
every path decides a rule set too big for :mod:`gistpath.batch.classes`.

Limits: memory is about ``8 * nwords`` bytes per row of a block (:data:`BLOCK` rows), and
a row costs a few array operations per input and per word; the class tables are faster
where they can be built.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from gistpath.batch.classes import BROKEN, NO_RULE, SEVERAL_RULES
from gistpath.tables import PredicateTables

#: Rows per block of the numpy path.
BLOCK = 1 << 16


def words_of(sets: Sequence[int], nwords: int) -> npt.NDArray[np.uint64]:
    """Bit sets (Python ints) as rows of ``nwords`` little-endian ``uint64`` words."""
    out = np.zeros((len(sets), nwords), dtype=np.uint64)
    for row, value in enumerate(sets):
        for w in range(nwords):
            out[row, w] = (value >> (64 * w)) & 0xFFFFFFFFFFFFFFFF
    return out


def mask_words(mask: int, nwords: int) -> npt.NDArray[np.uint64]:
    """One bit set as ``nwords`` words."""
    words: npt.NDArray[np.uint64] = words_of([mask], nwords)[0]
    return words


def lowest_bit(words: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """Index of the lowest set bit per row (-1 where none)."""
    n, nwords = words.shape
    out = np.full(n, -1, dtype=np.int64)
    for w in range(nwords):
        col = words[:, w]
        todo = (out < 0) & (col != 0)
        if not todo.any():
            continue
        vals = col[todo]
        low = vals & (~vals + np.uint64(1))
        _, exp = np.frexp(low.astype(np.float64))
        out[todo] = exp.astype(np.int64) - 1 + 64 * w
    return out


@attrs.frozen(eq=False)
class WordTables:
    """A rule set's predicate tables as words (see the module docstring)."""

    cell_words: tuple[npt.NDArray[np.uint64], ...]  # per input and the pathway: cell -> words
    rule_words: npt.NDArray[np.uint64]  # the rules' boxes
    constraint_words: npt.NDArray[np.uint64]  # the constraints' boxes
    consideration_words: tuple[npt.NDArray[np.uint64], ...]  # per consideration: its boxes
    rule_box_words: npt.NDArray[np.uint64]  # per rule: its boxes
    box_rule: npt.NDArray[np.int64]  # per box: its rule, or -1
    all_words: npt.NDArray[np.uint64]  # every box (a rule set without inputs)
    nwords: int

    @classmethod
    def build(cls, tables: PredicateTables, rules: int, considerations: int) -> WordTables:
        """The word tables of a rule set's predicate tables (of ``rules`` rules and
        ``considerations`` considerations)."""
        nwords = max(1, math.ceil(tables.box_count / 64))
        box_rule = np.full(max(tables.box_count, 1), -1, dtype=np.int64)
        per_rule = [0] * rules
        for box, rule in tables.rule_of_box.items():
            box_rule[box] = rule
            per_rule[rule] |= 1 << box
        consideration_words = []
        for index in range(considerations):
            mask = 0
            for box, owner in tables.consideration_of_box.items():
                if owner == index:
                    mask |= 1 << box
            consideration_words.append(mask_words(mask, nwords))
        return cls(
            cell_words=tuple(words_of(sets, nwords) for sets in tables.cell_sets),
            rule_words=mask_words(tables.rule_mask, nwords),
            constraint_words=mask_words(tables.constraint_mask, nwords),
            consideration_words=tuple(consideration_words),
            rule_box_words=words_of(per_rule, nwords),
            box_rule=box_rule,
            all_words=mask_words((1 << tables.box_count) - 1, nwords),
            nwords=nwords,
        )

    def decide(
        self,
        cells: Sequence[npt.NDArray[np.signedinteger]],
        rows: int,
        verified: bool,
        rule_pathway: npt.NDArray[np.int64] | None = None,
        flags: npt.NDArray[np.bool_] | None = None,
    ) -> npt.NDArray[np.int64]:
        """The rule of each row of one block.

        ``cells``: per input, the block's cells (all valid); ``rows``: the block's length
        (needed when there are no inputs); ``verified``: the rule set was proved, so no row
        can meet two rules (drafts are checked for it). Returns per row the rule index, or
        :data:`NO_RULE`, :data:`SEVERAL_RULES`, :data:`BROKEN`. With ``rule_pathway`` (each
        rule's pathway cell) and ``flags`` (a ``rows`` x considerations array), also marks
        the considerations that apply to each row that got a rule.
        """
        if cells:
            acc = self.cell_words[0][cells[0]]
            for d in range(1, len(cells)):
                acc &= self.cell_words[d][cells[d]]
        else:  # a rule set without inputs: every box holds every (empty) state
            acc = np.tile(self.all_words, (rows, 1))
        broken = (acc & self.constraint_words).any(axis=1)
        fired = acc & self.rule_words
        low = lowest_bit(fired)
        rules = np.where(low >= 0, self.box_rule[np.maximum(low, 0)], NO_RULE)
        if not verified:
            # A draft may leave a state with no rule or with two: find those.
            others = fired & ~self.rule_box_words[np.maximum(rules, 0)]
            overlap = others.any(axis=1) & (rules >= 0)
            rules = np.where(overlap, SEVERAL_RULES, rules)
        rules = np.where(broken, BROKEN, rules)
        if flags is not None and rule_pathway is not None and self.consideration_words:
            pcells = np.where(rules >= 0, rule_pathway[np.maximum(rules, 0)], 0)
            with_pathway = acc & self.cell_words[-1][pcells]
            for c, words in enumerate(self.consideration_words):
                flags[:, c] = (with_pathway & words).any(axis=1)
        decided: npt.NDArray[np.int64] = rules.astype(np.int64, copy=False)
        return decided
