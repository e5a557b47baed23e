"""Small DMN documents written by hand for the DMN tests: one decision table over the input
data "Patient Age", its rules and inputs given as XML text, and a lenient loader.

The tests of the importer, its inputs and its knowledge sources build on these; random
tables are drawn in dmn_random.py instead.
"""

from __future__ import annotations

import warnings

import gistpath
from gistpath import dmn

HEAD = (
    '<?xml version="1.0"?>\n<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" '
    'id="m" name="Model" namespace="https://example.org/m">\n'
)


def model(decisions: str, inputs: str = "", items: str = "") -> str:
    return HEAD + items + decisions + inputs + "</definitions>\n"


AGE = (
    '<inputData id="age" name="Patient Age">'
    '<variable name="Patient Age" typeRef="number"/></inputData>\n'
)


def table(
    rules: str, hit: str = "UNIQUE", inputs: str = "", outputs: str = "", extra: str = ""
) -> str:
    inputs = inputs or (
        '<input id="i1"><inputExpression typeRef="number"><text>Patient Age</text>'
        "</inputExpression></input>"
    )
    outputs = outputs or '<output id="o1" name="Band" typeRef="string"/>'
    return (
        f'<decision id="d1" name="Age Band"{extra}>'
        f'<decisionTable id="t1" hitPolicy="{hit}">{inputs}{outputs}{rules}</decisionTable>'
        "</decision>\n"
    )


def rule(*entries: str, out: str = '"young"', number: int = 0) -> str:
    cells = "".join(f"<inputEntry><text>{e}</text></inputEntry>" for e in entries)
    return f'<rule id="r{number}">{cells}<outputEntry><text>{out}</text></outputEntry></rule>'


def load(xml: str) -> gistpath.RuleSet:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dmn.loads(xml, "m.dmn", draft=True)
