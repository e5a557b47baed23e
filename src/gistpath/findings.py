"""What the verifier reports: :class:`Finding` and the :class:`StateRegion` it points at.

Design: a finding is a small frozen value: its ``kind`` (``"gap"``, ``"overlap"``,
``"dead_rule"``, ``"example"``, ``"property"``, ``"monotonicity"``, ...), a message, the
concrete states it shows (``examples``; ``example`` is the first), the rules and source
lines involved, and, where the finding covers a part of the state space, that part as a
:class:`StateRegion`: the exact boxes of cells the verifier found, which answers
``contains(state)`` by looking each value's cell up, and reads in words through ``str()``.

Limits: a region speaks of inputs only (a state has no pathway); ``contains`` validates the
state as :meth:`gistpath.RuleSet.evaluate` does and raises :class:`gistpath.StateError` for
one that is not a state of the rule set. Findings without a place in the state space (a
dead rule, an example) have ``region`` ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from gistpath.cells import Space
from gistpath.model import Input
from gistpath.regions import Box
from gistpath.state import Validator, field_validators, validate_fields


@attrs.frozen
class StateRegion:
    """A set of valid states as boxes of cells; ``str()`` gives it in words."""

    space: Space = attrs.field(repr=False)
    boxes: tuple[Box, ...] = attrs.field(repr=False)
    text: str
    inputs: Mapping[str, Input] = attrs.field(repr=False, eq=False)
    _validators: dict[str, Validator] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_validators", field_validators(self.inputs))

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled (inside a VerificationError leaving a worker) as what it is made from:
        # the inputs as a plain dict (a read-only view does not pickle), validators rebuilt.
        return (StateRegion, (self.space, self.boxes, self.text, dict(self.inputs)))

    def contains(self, state: Mapping[str, object]) -> bool:
        """Whether ``state`` (all inputs, validated as ``evaluate`` does) lies in the region."""
        values = validate_fields(state, self.inputs, self._validators)
        dims = self.space.dimensions[:-1]
        cells = [1 << dim.cell_of(values[dim.name]) for dim in dims]
        return any(
            all(mask & cell for mask, cell in zip(box, cells, strict=False)) for box in self.boxes
        )

    def __contains__(self, state: object) -> bool:
        if not isinstance(state, Mapping):
            return False
        return self.contains(state)

    def __str__(self) -> str:
        return self.text


@attrs.frozen
class Finding:
    """One problem the verifier found (see the module docstring for the fields)."""

    kind: str  # gap, overlap, dead_rule, table_gap, table_overlap, dead_row, property, ...
    message: str
    examples: tuple[Mapping[str, object], ...] = ()
    rules: tuple[str | int, ...] = ()  # rule ids; a table's 1-based row numbers
    lines: tuple[int, ...] = ()
    region: StateRegion | None = None
    filename: str = "<string>"
    severity: str = "error"  # "error" fails verification; "warning" is reported only
    property_id: str | None = None  # the property a property finding is about

    @property
    def example(self) -> Mapping[str, object] | None:
        """The (first) concrete state the finding shows, or ``None``."""
        return self.examples[0] if self.examples else None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self) -> str:
        where = f"{self.filename}:{self.lines[0]}" if self.lines else self.filename
        label = self.kind.replace("_", " ")
        if not self.is_error:
            label = f"warning: {label}"
        text = f"{where}: {label}: {self.message}"
        if self.region is not None:
            text += f"\n    where: {self.region}"
        for number, example in enumerate(self.examples, start=1):
            shown = ", ".join(f"{k}={v!r}" for k, v in example.items())
            name = "example state" if len(self.examples) == 1 else f"example state {number}"
            text += f"\n    {name}: {{{shown}}}"
        if len(self.lines) > 1:
            text += "\n    lines: " + ", ".join(str(n) for n in self.lines)
        return text
