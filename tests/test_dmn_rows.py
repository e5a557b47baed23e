"""A condition as DMN table rows (:mod:`gistpath.dmn.rows`) against brute force.

On random rule files, each rule's, constraint's and derived value's condition is written as
the rows ``to-dmn`` exports (:meth:`~gistpath.dmn.rows.RowSpace.rows`, over a space of the
names that condition reads); at every combination of the file's valid cells, some row's
S-FEEL entries match, by the independent FEEL matcher of ``dmn_oracle.py``, exactly when
the reference interpreter says the condition holds. A state gives the rows an input's
value (``unknown`` as FEEL ``null``), a let's truth and a table's value (``null`` when no
row matched and there is no default).
"""

from __future__ import annotations

import itertools
import warnings

import pytest
from hypothesis import given
from tests.dmn_oracle import matches

import gistpath
from gistpath import ast
from gistpath.dmn.rows import RowSpace, names_read
from gistpath.interpreter import Interpreter
from gistpath.language import UNKNOWN

from samples import WALK_FILE
from strategies import SLOW_CELLS, build_ruleset, rule_files

MAX_COMBINATIONS = 300


def feel_value(value: object) -> object:
    """What a DMN engine is given for a value of the state or a derived value."""
    return None if value == UNKNOWN and type(value) is str else value


def assert_rows_match_where_conditions_hold(rs: gistpath.RuleSet) -> None:
    """Each rule's, constraint's and let's rows, matched at the file's cell combinations."""
    model = rs.model
    conditions: list[ast.Expr] = [rule.condition for rule in model.rules]
    conditions += [constraint.condition for constraint in model.constraints]
    conditions += [let.condition for let in model.lets.values()]
    written = []
    for condition in conditions:
        space = RowSpace(model, [condition])
        written.append((condition, space.columns, space.rows(condition)))
    dims = rs.compiled.space.dimensions[:-1]
    per_dim = [[c for c in range(d.size) if d.valid >> c & 1] for d in dims]
    interpreter = Interpreter(model)
    for cells in itertools.islice(itertools.product(*per_dim), MAX_COMBINATIONS):
        env = interpreter.derive(
            {d.name: d.representative(c) for d, c in zip(dims, cells, strict=True)}
        )
        for condition, columns, rows in written:
            matched = any(
                all(
                    matches(entry, feel_value(env[column.name]))
                    for entry, column in zip(row, columns, strict=True)
                )
                for row in rows
            )
            assert matched == interpreter.holds(condition, env), (condition, env)


@pytest.mark.slow
@SLOW_CELLS
@given(rule_files())
def test_the_rows_of_a_condition_match_exactly_the_states_where_it_holds(text: str) -> None:
    assert_rows_match_where_conditions_hold(build_ruleset(text))


def test_the_walk_example_s_rows_match_exactly_where_its_conditions_hold() -> None:
    assert_rows_match_where_conditions_hold(gistpath.load(WALK_FILE))


def test_names_read_are_in_order_of_first_reading_without_repeats() -> None:
    model = gistpath.load(WALK_FILE).model
    by_id = {constraint.name: constraint.condition for constraint in model.constraints}
    conditions = [by_id["forecast_given"], by_id["snow_is_cold"], by_id["forecast_given"]]
    assert names_read(conditions) == ["rain_chance", "sky", "temperature_c"]


GAP_PASSED_ON = """\
ruleset passed_on "A table with a default takes the value of a table with a gap"

source guide "An invented guide"

input c0 "The c0": choice red, green

table t0 "Has a gap where c0 is green"
    values low, high
    | c0  | t0  |
    | red | low |

table t1 "Has a default, but passes on t0's value"
    values low, mid, high
    default mid
    | c0 | t1 |
    | -  | t0 |

pathway p0 "Pathway p0"
    summary "What p0 means."
    cites guide "Section p0"

rule r0 -> p0:
    t1 in {low, mid}
"""


def test_a_table_passing_on_a_missing_value_is_missing_in_the_rows_though_it_has_a_default() -> (
    None
):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rs = gistpath.loads(GAP_PASSED_ON, "passed_on.gprules", draft=True)
    assert Interpreter(rs.model).derive({"c0": "green"})["t1"] is None
    condition = rs.model.rules[0].condition
    space = RowSpace(rs.model, [condition])
    rows = space.rows(condition)
    assert [column.name for column in space.columns] == ["t1"]
    assert any(matches(row[0], "low") for row in rows)
    assert not any(matches(row[0], None) for row in rows)  # was not("high"), true on null
