"""The verifier: an exact proof that every valid state gets exactly one pathway.

Design: verification works on the regions of :mod:`gistpath.cells`, never on sampled
states. The valid states are the universe minus the boxes where some constraint is broken.
:func:`gistpath.regions.partition` splits the universe into pieces on which every rule and
every broken-constraint box is either all in or all out; a valid piece that no rule holds
is a gap, one that two rules hold is an overlap, and a rule that holds on no valid piece
can never fire. The same is done for the rows of each decision table, for each constraint
on its own, and for each consideration against the pathways the rules can choose. Every
finding carries a concrete example state (built from the piece's cells) and the source
lines of the rules involved; the examples written in the rule file are run too.

Limits: the number of pieces depends on how the rules cut across one another; it is
reported in :attr:`VerificationReport.pieces`. Gaps are merged into larger regions where
they line up, and at most :data:`MAX_FINDINGS_PER_KIND` of each kind are listed in full.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

import attrs

from gistpath.cells import CompiledModel
from gistpath.describe import describe_box, middle_example
from gistpath.errors import EvaluationError, StateError
from gistpath.findings import Finding, StateRegion
from gistpath.hits import cover_table
from gistpath.lint import likely_mistakes
from gistpath.printer import value_word
from gistpath.properties import prove_properties
from gistpath.regions import Box, Region, complement, find_point, intersect, merge, partition

MAX_FINDINGS_PER_KIND = 50


@attrs.frozen
class VerificationReport:
    """All findings of one verification run."""

    findings: tuple[Finding, ...]
    pieces: int
    seconds: float

    @property
    def ok(self) -> bool:
        """No error was found (warnings, such as a vacuous property, do not count)."""
        return not self.errors

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.is_error)

    def of_kind(self, *kinds: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind in kinds)

    @property
    def gaps(self) -> tuple[Finding, ...]:
        return self.of_kind("gap")

    @property
    def overlaps(self) -> tuple[Finding, ...]:
        return self.of_kind("overlap")

    @property
    def dead_rules(self) -> tuple[Finding, ...]:
        return self.of_kind("dead_rule")

    def format(self) -> str:
        if not self.findings:
            return "verified: every valid state gets exactly one pathway"
        return "\n".join(f.format() for f in self.findings)


def _box_size(box: Box) -> tuple[int, ...]:
    return tuple(mask.bit_count() for mask in box)


class _Verifier:
    """One verification run over a compiled model, its steps in the order
    :func:`verify_compiled` calls them: :meth:`constraints` (can any state be valid at
    all?), then coverage of :meth:`tables`, :meth:`rules` and :meth:`considerations` (each
    through :meth:`cover`), the properties (:mod:`gistpath.properties`, which reads this
    object as its :class:`~gistpath.properties.ProofContext`), and :meth:`examples`."""

    def __init__(self, compiled: CompiledModel) -> None:
        self.compiled = compiled
        self.model = compiled.model
        self.space = compiled.space
        self.universe = self.space.universe
        self.ordered = self.space.ordered
        self.filename = self.model.filename
        self.pieces = 0
        self.findings: list[Finding] = []
        self.invalid: Region = []
        for region in compiled.constraints:
            self.invalid += complement(self.universe, region, self.ordered)
        self.invalid = merge(self.invalid)

    def finding(self, kind: str, message: str, **kw: object) -> None:
        self.findings.append(Finding(kind, message, filename=self.filename, **kw))  # type: ignore[arg-type]

    def region(self, boxes: Sequence[Box]) -> StateRegion:
        """A finding's region: the boxes, in words as one box reads (or joined by 'or')."""
        text = " or ".join(f"({describe_box(self.space, b)})" for b in boxes)
        if len(boxes) == 1:
            text = describe_box(self.space, boxes[0])
        return StateRegion(self.space, tuple(boxes), text, self.model.inputs)

    def example(self, box: Box) -> dict[str, object]:
        return middle_example(self.space, box)

    def valid_point(self, box: Box) -> Box | None:
        return find_point(box, self.invalid, self.ordered)

    def constraints(self) -> bool:
        """Report a constraint that excludes every state, or constraints that together do;
        whether any state is valid (if not, nothing else is worth proving)."""
        ok = True
        for constraint, region in zip(
            self.model.constraints, self.compiled.constraints, strict=True
        ):
            if not region:
                self.finding(
                    "empty_constraint",
                    f"constraint '{constraint.name}' excludes every state",
                    lines=(constraint.line,),
                )
                ok = False
        if ok and self.valid_point(self.universe) is None:
            self.finding(
                "no_valid_state",
                "the constraints together exclude every state",
                lines=tuple(c.line for c in self.model.constraints),
            )
            ok = False
        return ok

    def cover(
        self,
        labels: Sequence[tuple[str, int]],
        regions: Sequence[Sequence[Box]],
        *,
        kinds: tuple[str, str, str],
        what: str,
        gap_lines: tuple[int, ...] = (),
        locate: Callable[[Box], tuple[str, tuple[int, ...]]] | None = None,
    ) -> None:
        """Gaps, overlaps and never-matching members of one family (the rules).

        ``labels`` are (name, line) per member; ``kinds`` names the gap, overlap and dead
        findings.
        """
        gap_kind, overlap_kind, dead_kind = kinds
        boxes: list[Box] = []
        owner: list[int] = []
        for index, region in enumerate(regions):
            for box in region:
                boxes.append(box)
                owner.append(index)
        n_member_boxes = len(boxes)
        boxes.extend(self.invalid)
        live: set[int] = set()
        gaps: list[Box] = []
        overlaps: dict[tuple[int, ...], list[Box]] = {}
        pieces = partition(self.universe, boxes, self.ordered, absorbing=n_member_boxes)
        for piece, inside in pieces:
            self.pieces += 1
            if any(i >= n_member_boxes for i in inside):
                continue  # no valid state here
            members = sorted({owner[i] for i in inside})
            if not members:
                gaps.append(piece)
                continue
            live.update(members)
            if len(members) > 1:
                for a_pos, a in enumerate(members):
                    for b in members[a_pos + 1 :]:
                        overlaps.setdefault((a, b), []).append(piece)
        merged_gaps = merge(gaps)
        for box in merged_gaps[:MAX_FINDINGS_PER_KIND]:
            message, lines = f"no {what} covers these valid states", gap_lines
            if locate is not None:
                message, lines = locate(box)
            self.finding(
                gap_kind,
                message,
                examples=(self.example(box),),
                region=self.region((box,)),
                lines=lines,
            )
        if len(merged_gaps) > MAX_FINDINGS_PER_KIND:
            self.finding(
                gap_kind, f"{len(merged_gaps) - MAX_FINDINGS_PER_KIND} more gaps not listed"
            )
        for (a, b), found in list(overlaps.items())[:MAX_FINDINGS_PER_KIND]:
            # the whole overlap of the pair, merged as gaps are (not only its first piece,
            # so fixing what is shown leaves no "new" overlap of the same two rules)
            whole = merge(found)
            self.finding(
                overlap_kind,
                f"{what} '{labels[a][0]}' and {what} '{labels[b][0]}' both match these states",
                examples=(self.example(max(whole, key=_box_size)),),
                rules=(labels[a][0], labels[b][0]),
                lines=(labels[a][1], labels[b][1]),
                region=self.region(whole),
            )
        if len(overlaps) > MAX_FINDINGS_PER_KIND:
            self.finding(
                overlap_kind,
                f"{len(overlaps) - MAX_FINDINGS_PER_KIND} more overlapping pairs not listed",
            )
        for index, (name, line) in enumerate(labels):
            if index in live:
                continue
            message = f"{what} '{name}' can never match a valid state"
            self.finding(dead_kind, message, rules=(name,), lines=(line,))

    def rules(self) -> None:
        self.cover(
            [(r.id, r.line) for r in self.model.rules],
            self.compiled.rules,
            kinds=("gap", "overlap", "dead_rule"),
            what="rule",
            locate=self.locate_gap,
        )

    def locate_gap(self, box: Box) -> tuple[str, tuple[int, ...]]:
        """The innermost `when` block whose conditions hold all over a gap."""
        best: tuple[int, int] | None = None
        for depth, line, region in self.compiled.blocks:
            if (best is None or depth > best[0]) and find_point(box, region, self.ordered) is None:
                best = (depth, line)
        if best is not None:
            return (
                f"no rule of the 'when' block at line {best[1]} covers these valid states",
                (best[1],),
            )
        first = min((r.line for r in self.model.rules), default=0)
        return "no rule covers these valid states", ((first,) if first else ())

    def tables(self) -> None:
        """Each table's rows, as its hit policy means them (:mod:`gistpath.hits`).

        A finding's ``rules`` are 1-based row numbers, which for a table imported from DMN
        are the numbers of its DMN rules.
        """
        for name, table in self.model.tables.items():
            coverage = cover_table(
                table, self.compiled.table_rows[name], self.universe, self.invalid, self.ordered
            )
            self.pieces += coverage.pieces
            merged_gaps = merge(list(coverage.gaps))
            for box in merged_gaps[:MAX_FINDINGS_PER_KIND]:
                self.finding(
                    "table_gap",
                    f"no row of table '{name}' covers these valid states",
                    examples=(self.example(box),),
                    region=self.region((box,)),
                    lines=(table.line,),
                )
            if len(merged_gaps) > MAX_FINDINGS_PER_KIND:
                self.finding(
                    "table_gap",
                    f"{len(merged_gaps) - MAX_FINDINGS_PER_KIND} more gaps of table '{name}' "
                    "not listed",
                    lines=(table.line,),
                )
            differ = " with different values" if table.hit == "any" else ""
            for (a, b), piece in list(coverage.overlaps.items())[:MAX_FINDINGS_PER_KIND]:
                self.finding(
                    "table_overlap",
                    f"rows {a + 1} and {b + 1} of table '{name}' both match these states{differ}",
                    examples=(self.example(piece),),
                    rules=(a + 1, b + 1),
                    lines=(table.rows[a].line, table.rows[b].line),
                    region=self.region((piece,)),
                )
            if len(coverage.overlaps) > MAX_FINDINGS_PER_KIND:
                self.finding(
                    "table_overlap",
                    f"{len(coverage.overlaps) - MAX_FINDINGS_PER_KIND} more overlapping pairs "
                    f"of table '{name}' not listed",
                    lines=(table.line,),
                )
            for index, piece in sorted(coverage.masked.items()):
                by = "a row of higher priority" if table.hit == "priority" else "an earlier row"
                self.finding(
                    "masked",
                    f"row {index + 1} of table '{name}' matches valid states but is never "
                    f"chosen: {by} always matches them too",
                    examples=(self.example(piece),),
                    rules=(index + 1,),
                    lines=(table.rows[index].line,),
                    region=self.region((piece,)),
                )
            for index in coverage.dead:
                self.finding(
                    "dead_row",
                    f"row {index + 1} of table '{name}' can never match a valid state",
                    rules=(index + 1,),
                    lines=(table.rows[index].line,),
                )

    def considerations(self) -> None:
        """A consideration that applies beside no pathway the rules can choose is dead."""
        chosen: Region = []
        p = self.space.pathway_index
        index_of = {pid: i for i, pid in enumerate(self.space.dimensions[p].values)}
        for rule, region in zip(self.model.rules, self.compiled.rules, strict=True):
            bit = 1 << index_of[rule.pathway]
            for box in region:
                chosen.append((*box[:p], box[p] & bit, *box[p + 1 :]))
        for consideration, region in zip(
            self.model.considerations.values(), self.compiled.considerations, strict=True
        ):
            live = False
            for box in region:
                for other in chosen:
                    both = intersect(box, other)
                    if both is not None and self.valid_point(both) is not None:
                        live = True
                        break
                if live:
                    break
            if not live:
                self.finding(
                    "dead_consideration",
                    f"consideration '{consideration.id}' can never apply beside any pathway "
                    "the rules choose",
                    rules=(consideration.id,),
                    lines=(consideration.line,),
                )

    def examples(self, decide: Callable[[Mapping[str, object]], object] | None) -> None:
        """Run every example of the rule file through ``decide`` (the rule set's evaluate) and add
        an ``example`` finding for each that is refused or decided otherwise than it says;
        ``decide`` is ``None`` when only the tables are verified.
        """
        if decide is None:
            return
        for example in self.model.examples:
            try:
                decision = decide(example.state)
            except (StateError, EvaluationError) as error:
                self.finding(
                    "example",
                    f"example '{example.name}' cannot be decided: {error}",
                    lines=(example.line,),
                    examples=(dict(example.state),),
                )
                continue
            problems = []
            pathway = decision.pathway  # type: ignore[attr-defined]
            considerations = decision.considerations  # type: ignore[attr-defined]
            values = decision.values  # type: ignore[attr-defined]
            if pathway != example.pathway:
                problems.append(
                    f"expects pathway '{example.pathway}' but gets '{pathway}' "
                    f"(rule '{decision.rule}')"  # type: ignore[attr-defined]
                )
            if tuple(considerations) != tuple(
                c for c in self.model.considerations if c in example.considerations
            ):
                problems.append(
                    "expects considerations "
                    + (", ".join(example.considerations) or "none")
                    + " but gets "
                    + (", ".join(considerations) or "none")
                )
            for name, expected in example.expected_values.items():
                got = values.get(name)
                if got != expected or type(got) is not type(expected):
                    problems.append(
                        f"expects {name} = {value_word(expected)} but gets {value_word(got)}"
                    )
            if problems:
                self.finding(
                    "example",
                    f"example '{example.name}' " + "; ".join(problems),
                    lines=(example.line,),
                    examples=(dict(example.state),),
                )


def verify_compiled(
    compiled: CompiledModel,
    decide: Callable[[Mapping[str, object]], object] | None = None,
) -> VerificationReport:
    """Verify a compiled model; ``decide`` (a rule set's ``evaluate``) runs the examples."""
    start = time.perf_counter()
    verifier = _Verifier(compiled)
    verifier.findings.extend(likely_mistakes(compiled.model))
    if verifier.constraints():
        verifier.tables()
        verifier.rules()
        verifier.considerations()
        prove_properties(verifier)
        verifier.examples(decide)
    return VerificationReport(
        tuple(verifier.findings), verifier.pieces, time.perf_counter() - start
    )
