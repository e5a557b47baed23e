"""The AFIP risk table, the risk of recurrence and the GIST pathway in three peer engines.

Design: the logic is written once here as a small decision tree (:class:`If` nodes whose
conditions are field tests), typed out from the spec, not read from the rule file. Each
peer renders that tree into its own language, builds its program once, and then answers
one state per call through its ordinary evaluation API:

* **rule-engine** (``rule_engine.Rule``): a nested ``cond ? a : b`` expression, compiled
  once with a typed :class:`rule_engine.Context`; ``Rule.evaluate(state)`` reads the
  fields straight from the state dict.
* **cel-python** (``celpy``): a nested ``cond ? a : b`` CEL expression, compiled once with
  ``Environment(runner_class=CompiledRunner)`` (the faster of celpy's two runners: it
  transpiles the expression to Python once). CEL is strictly typed, so each call wraps
  the fields it reads in ``celpy.celtypes`` values (``size_cm`` as a double, ``unknown``
  as a string, tested with ``type(x) == string``); that conversion is part of the cost of
  using it and is timed.
* **JsonLogic** (panzi-json-logic, ``json_logic.jsonLogic``): an ``{"if": [...]}`` rule
  held as data; JsonLogic has no compile step, so each call walks the rule.

Three questions, as far as each language expresses them (all three do all three):

* ``afip``: the AFIP table alone (site, size, mitotic count → category) for a known
  count — what ``run.py`` times against gistpath's full ``evaluate``;
* ``risk``: the derived value ``risk`` of the rule file (rupture is high, an unknown count
  is unknown, not localized is not applicable);
* ``pathway``: the whole of section 5 of the spec (version 1.1, the modified NIH criteria
  and the adjuvant table included), the pathway id alone. Considerations
  are left out: an expression language returns one value, and building a list of them
  would be a different program in each.

None of the peers validates a state the way ``evaluate`` does (rule-engine checks the
declared types of the fields it reads, CEL the types of its operands; neither checks
ranges, choices or the consistency rules). They answer for valid states only.

Limits: the peers are optional (the ``bench`` extra); :func:`available_peers` skips any
that is not installed. celpy keeps one parser per process for one tree class, so this
module resets it before building its environment.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# --------------------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Is:
    """``field`` equals the word ``value``."""

    field: str
    value: str


@dataclass(frozen=True)
class In:
    """``field`` is one of ``values``."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Flag:
    """A boolean field is true."""

    field: str


@dataclass(frozen=True)
class Cmp:
    """``field op number``, op one of ``<``, ``<=``, ``>``, ``>=``, ``==``."""

    field: str
    op: str
    number: int | float


@dataclass(frozen=True)
class Unknown:
    """``field`` holds the word ``unknown`` instead of a number."""

    field: str


@dataclass(frozen=True)
class All:
    parts: tuple[Cond, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Cond, ...]


@dataclass(frozen=True)
class Not:
    part: Cond


Cond = Is | In | Flag | Cmp | Unknown | All | AnyOf | Not


@dataclass(frozen=True)
class If:
    cond: Cond
    then: Node
    otherwise: Node


Node = If | str

DOUBLE_FIELDS = frozenset({"size_cm"})  # every other numeric field is an integer


def fields_of(node: Node | Cond) -> list[str]:
    """The fields a tree reads, in first-use order."""
    out: dict[str, None] = {}

    def walk(item: Node | Cond) -> None:
        if isinstance(item, str):
            return
        if isinstance(item, If):
            walk(item.cond)
            walk(item.then)
            walk(item.otherwise)
        elif isinstance(item, (All, AnyOf)):
            for part in item.parts:
                walk(part)
        elif isinstance(item, Not):
            walk(item.part)
        else:
            out[item.field] = None

    walk(node)
    return list(out)


# --------------------------------------------------------------------------- the GIST logic

# Spec section 3, typed out: per (mitoses band, size band) the category for the gastric,
# jejunum/ileum, duodenal and rectal columns.
AFIP_ROWS: dict[tuple[str, str], tuple[str, str, str, str]] = {
    ("<=5", "<=2"): ("none", "none", "none", "none"),
    ("<=5", "2-5"): ("very_low", "low", "low", "low"),
    ("<=5", "5-10"): ("low", "moderate", "insufficient_data", "insufficient_data"),
    ("<=5", ">10"): ("moderate", "high", "high", "high"),
    (">5", "<=2"): ("none", "high", "insufficient_data", "high"),
    (">5", "2-5"): ("moderate", "high", "high", "high"),
    (">5", "5-10"): ("high", "high", "insufficient_data", "insufficient_data"),
    (">5", ">10"): ("high", "high", "high", "high"),
}

Leaf = Callable[[str], Node]


def _columns(row: tuple[str, str, str, str], leaf: Leaf) -> Node:
    """Pick a row's category by site: the sites without a column read jejunum/ileum."""
    gastric, jejunal, duodenal, rectal = (leaf(c) for c in row)
    if gastric == jejunal == duodenal == rectal:
        return gastric
    node: Node = jejunal
    for site, value in (("rectum", rectal), ("duodenum", duodenal), ("stomach", gastric)):
        if value != node:
            node = If(Is("site", site), value, node)
    return node


def afip_tree(leaf: Leaf = lambda category: category) -> Node:
    """The AFIP table for a known mitotic count; ``leaf`` maps each category to a node."""

    def sizes(mitoses: str) -> Node:
        return If(
            Cmp("size_cm", "<=", 2),
            _columns(AFIP_ROWS[(mitoses, "<=2")], leaf),
            If(
                Cmp("size_cm", "<=", 5),
                _columns(AFIP_ROWS[(mitoses, "2-5")], leaf),
                If(
                    Cmp("size_cm", "<=", 10),
                    _columns(AFIP_ROWS[(mitoses, "5-10")], leaf),
                    _columns(AFIP_ROWS[(mitoses, ">10")], leaf),
                ),
            ),
        )

    return If(Cmp("mitotic_rate", "<=", 5), sizes("<=5"), sizes(">5"))


def risk_tree(leaf: Leaf = lambda category: category) -> Node:
    """The rule file's ``risk`` for a localized state (rupture, unknown count, AFIP)."""
    return If(
        Flag("tumor_rupture"),
        leaf("high"),
        If(Unknown("mitotic_rate"), leaf("unknown"), afip_tree(leaf)),
    )


LOCALIZED = Is("presentation", "localized")
NO_DRUG = Is("current_therapy", "none")
OPERABLE = All((Is("resectability", "resectable"), Flag("fit_for_surgery")))
CONTROLLED = In("response", ("responding", "stable"))
SENSITIVE = In("mutation", ("kit_exon11", "kit_exon9", "kit_other", "pdgfra_other"))


KNOWN_COUNT = Not(Unknown("mitotic_rate"))
GASTRIC = Is("site", "stomach")


def _count(op: str, number: int) -> Cond:
    """A test on a known mitotic count (the unknown test comes first, so no peer compares
    the word ``unknown`` with a number)."""
    return All((KNOWN_COUNT, Cmp("mitotic_rate", op, number)))


# The modified NIH criteria (spec section 2): high, and intermediate once not high.
NIH_HIGH: Cond = AnyOf(
    (
        Flag("tumor_rupture"),
        Cmp("size_cm", ">", 10),
        _count(">", 10),
        All((Cmp("size_cm", ">", 5), _count(">", 5))),
        All((Not(GASTRIC), Cmp("size_cm", ">", 2), _count(">", 5))),
        All((Not(GASTRIC), Cmp("size_cm", ">", 5), _count("<=", 5))),
    )
)
NIH_INTERMEDIATE: Cond = AnyOf(
    (
        All((GASTRIC, Cmp("size_cm", ">", 2), Cmp("size_cm", "<=", 5), _count(">", 5))),
        All((Cmp("size_cm", "<=", 2), _count(">", 5), _count("<=", 10))),
        All((GASTRIC, Cmp("size_cm", ">", 5), _count("<=", 5))),
    )
)


def _by_adjuvant(adjuvant: str) -> Node:
    """Step 2 (1.1): what follows the resection of an operable localized tumour."""
    if adjuvant == "none":
        return "resection_alone"
    if adjuvant == "review":
        return "resection_then_risk_review"
    then = (
        "resection_adjuvant_imatinib_1y"
        if adjuvant == "one_year"
        else "resection_adjuvant_imatinib_3y"
    )
    return If(
        SENSITIVE,
        then,
        If(Is("mutation", "not_tested"), "resection_then_mutation_testing", "resection_alone"),
    )


def _adjuvant_unless_nih_high(risk: str) -> Node:
    """The adjuvant table's rows after the first (NIH high), by the AFIP ``risk``."""
    if risk == "high":
        return _by_adjuvant("three_years")
    if risk == "moderate":
        return _by_adjuvant("one_year")
    if risk == "insufficient_data":
        return If(NIH_INTERMEDIATE, _by_adjuvant("one_year"), _by_adjuvant("none"))
    if risk == "unknown":
        return _by_adjuvant("review")
    return _by_adjuvant("none")


AFTER_RESECTION: Node = If(
    NIH_HIGH, _by_adjuvant("three_years"), risk_tree(_adjuvant_unless_nih_high)
)

FIRST_LINE: Node = If(
    Not(Flag("diagnosis_confirmed")),
    "biopsy_and_mutation_testing",
    If(
        Is("mutation", "pdgfra_d842v"),
        "first_line_avapritinib",
        If(
            Is("mutation", "wild_type"),
            "clinical_trial",
            If(Is("mutation", "kit_exon9"), "first_line_imatinib_high_dose", "first_line_imatinib"),
        ),
    ),
)

ON_THERAPY: Node = If(
    CONTROLLED,
    "continue_targeted_therapy",
    If(
        All((Is("mutation", "pdgfra_d842v"), Not(Is("current_therapy", "avapritinib")))),
        "switch_to_avapritinib",
        If(
            Is("current_therapy", "imatinib"),
            If(
                All((Is("response", "progressing"), Not(Is("mutation", "wild_type")))),
                "imatinib_dose_escalation",
                "switch_to_sunitinib",
            ),
            If(
                Is("current_therapy", "imatinib_high_dose"),
                "switch_to_sunitinib",
                If(
                    Is("current_therapy", "sunitinib"),
                    "switch_to_regorafenib",
                    If(
                        Is("current_therapy", "regorafenib"),
                        "switch_to_ripretinib",
                        "later_line_tki_or_trial",
                    ),
                ),
            ),
        ),
    ),
)


def pathway_tree() -> Node:
    """Section 5 of the spec (version 1.1), top to bottom, as one decision tree."""
    localized_no_drug = If(
        Is("resectability", "resectable"),
        If(
            All(
                (
                    Cmp("size_cm", "<", 2),
                    Not(Flag("symptomatic")),
                    In("site", ("esophagus", "stomach", "duodenum")),
                    Not(Flag("tumor_rupture")),
                    AnyOf((Unknown("mitotic_rate"), Cmp("mitotic_rate", "<=", 5))),
                )
            ),
            "surveillance",
            If(Flag("fit_for_surgery"), AFTER_RESECTION, "multidisciplinary_review"),
        ),
        If(
            Is("resectability", "marginally_resectable"),
            If(
                AnyOf((Not(Flag("diagnosis_confirmed")), Is("mutation", "not_tested"))),
                "biopsy_and_mutation_testing",
                If(
                    SENSITIVE,
                    "neoadjuvant_imatinib",
                    If(
                        Is("mutation", "pdgfra_d842v"),
                        "first_line_avapritinib",
                        "multidisciplinary_review",
                    ),
                ),
            ),
            FIRST_LINE,
        ),
    )
    return If(
        LOCALIZED,
        If(
            NO_DRUG,
            localized_no_drug,
            If(
                OPERABLE,
                If(
                    Is("response", "stable"),
                    "resection_after_neoadjuvant",
                    If(
                        In("response", ("progressing", "intolerant")),
                        "resection_for_progression",
                        ON_THERAPY,
                    ),
                ),
                ON_THERAPY,
            ),
        ),
        If(
            NO_DRUG,
            FIRST_LINE,
            If(
                All((CONTROLLED, OPERABLE, Cmp("distant_sites", "<=", 2))),
                "metastasectomy",
                ON_THERAPY,
            ),
        ),
    )


QUESTIONS: dict[str, Node] = {
    "afip": afip_tree(),
    "risk": If(LOCALIZED, risk_tree(), "not_applicable"),
    "pathway": pathway_tree(),
}


# --------------------------------------------------------------------------- renderers


def _number_text(field: str, number: int | float, *, doubles: bool) -> str:
    if doubles and field in DOUBLE_FIELDS:
        return repr(float(number))
    return repr(number)


def render_rule_engine(node: Node | Cond) -> str:
    """rule-engine syntax: ``a == "x"``, ``a in ["x"]``, ``and``/``or``/``not``, ``c ? t : e``."""
    r = render_rule_engine
    if isinstance(node, str):
        return json.dumps(node)
    if isinstance(node, If):
        return f"({r(node.cond)} ? {r(node.then)} : {r(node.otherwise)})"
    if isinstance(node, Is):
        return f"{node.field} == {json.dumps(node.value)}"
    if isinstance(node, In):
        return f"{node.field} in [{', '.join(json.dumps(v) for v in node.values)}]"
    if isinstance(node, Flag):
        return node.field
    if isinstance(node, Cmp):
        return f"{node.field} {node.op} {node.number!r}"
    if isinstance(node, Unknown):
        return f'{node.field} == "unknown"'
    if isinstance(node, All):
        return "(" + " and ".join(r(p) for p in node.parts) + ")"
    if isinstance(node, AnyOf):
        return "(" + " or ".join(r(p) for p in node.parts) + ")"
    return f"not ({r(node.part)})"


def render_cel(node: Node | Cond) -> str:
    """CEL syntax: ``&&``/``||``/``!``, doubles written as doubles, ``type(x) == string``."""
    r = render_cel
    if isinstance(node, str):
        return json.dumps(node)
    if isinstance(node, If):
        return f"({r(node.cond)} ? {r(node.then)} : {r(node.otherwise)})"
    if isinstance(node, Is):
        return f"{node.field} == {json.dumps(node.value)}"
    if isinstance(node, In):
        return f"{node.field} in [{', '.join(json.dumps(v) for v in node.values)}]"
    if isinstance(node, Flag):
        return node.field
    if isinstance(node, Cmp):
        return f"{node.field} {node.op} {_number_text(node.field, node.number, doubles=True)}"
    if isinstance(node, Unknown):
        return f"type({node.field}) == string"
    if isinstance(node, All):
        return "(" + " && ".join(r(p) for p in node.parts) + ")"
    if isinstance(node, AnyOf):
        return "(" + " || ".join(r(p) for p in node.parts) + ")"
    return f"!({r(node.part)})"


def render_json_logic(node: Node | Cond) -> Any:
    """JsonLogic data: ``{"if": [c, t, e]}``, strict ``===``, ``{"in": [x, [...]]}``."""
    r = render_json_logic
    if isinstance(node, str):
        return node
    if isinstance(node, If):
        return {"if": [r(node.cond), r(node.then), r(node.otherwise)]}
    if isinstance(node, Is):
        return {"===": [{"var": node.field}, node.value]}
    if isinstance(node, In):
        return {"in": [{"var": node.field}, list(node.values)]}
    if isinstance(node, Flag):
        return {"var": node.field}
    if isinstance(node, Cmp):
        op = "===" if node.op == "==" else node.op
        return {op: [{"var": node.field}, node.number]}
    if isinstance(node, Unknown):
        return {"===": [{"var": node.field}, "unknown"]}
    if isinstance(node, All):
        return {"and": [r(p) for p in node.parts]}
    if isinstance(node, AnyOf):
        return {"or": [r(p) for p in node.parts]}
    return {"!": [r(node.part)]}


# --------------------------------------------------------------------------- the peers

Program = Callable[[Mapping[str, object]], str]


class Peer:
    """One engine: a name, and for each question its source text and a prepared program."""

    name: str = "?"
    package: str = "?"

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}
        self.programs: dict[str, Program] = {}
        for question, tree in QUESTIONS.items():
            source, program = self.prepare(tree)
            self.sources[question] = source
            self.programs[question] = program

    def prepare(self, tree: Node) -> tuple[str, Program]:  # pragma: no cover - abstract
        raise NotImplementedError

    def version(self) -> str:
        from importlib.metadata import version

        return version(self.package)


class RuleEnginePeer(Peer):
    name = "rule-engine"
    package = "rule-engine"

    def prepare(self, tree: Node) -> tuple[str, Program]:
        import rule_engine

        types = {
            "size_cm": rule_engine.DataType.FLOAT,
            "distant_sites": rule_engine.DataType.FLOAT,
            # an integer or the word 'unknown': no single declared type
            "mitotic_rate": rule_engine.DataType.UNDEFINED,
        }
        resolver = {
            f: types.get(
                f, rule_engine.DataType.BOOLEAN if f in _FLAGS else rule_engine.DataType.STRING
            )
            for f in fields_of(tree)
        }
        context = rule_engine.Context(type_resolver=rule_engine.type_resolver_from_dict(resolver))
        source = render_rule_engine(tree)
        rule = rule_engine.Rule(source, context=context)
        return source, rule.evaluate


_FLAGS = frozenset(
    {
        "fit_for_surgery",
        "tumor_rupture",
        "symptomatic",
        "diagnosis_confirmed",
        "liver_metastases",
        "painful_bone_metastases",
    }
)


class CelPeer(Peer):
    name = "cel-python"
    package = "cel-python"

    def prepare(self, tree: Node) -> tuple[str, Program]:
        import celpy
        from celpy import celtypes
        from celpy.celparser import CELParser

        # celpy builds one parser per process for the tree class of the first runner
        # used; the compiled runner needs its own tree class.
        CELParser.CEL_PARSER = None
        env = celpy.Environment(runner_class=celpy.CompiledRunner)
        source = render_cel(tree)
        program = env.program(env.compile(source))
        string, double, integer, boolean = (
            celtypes.StringType,
            celtypes.DoubleType,
            celtypes.IntType,
            celtypes.BoolType,
        )

        def convert(field: str) -> Callable[[Any], Any]:
            if field in _FLAGS:
                return boolean
            if field == "size_cm":
                return lambda v: double(float(v))
            if field == "mitotic_rate":
                return lambda v: string(v) if isinstance(v, str) else integer(v)
            if field == "distant_sites":
                return integer
            return string

        converters = tuple((f, convert(f)) for f in fields_of(tree))
        evaluate = program.evaluate

        def run(state: Mapping[str, object]) -> str:
            return str(evaluate({f: c(state[f]) for f, c in converters}))

        return source, run


class JsonLogicPeer(Peer):
    name = "json-logic"
    package = "panzi-json-logic"

    def prepare(self, tree: Node) -> tuple[str, Program]:
        from json_logic import jsonLogic

        rule = render_json_logic(tree)

        def run(state: Mapping[str, object]) -> str:
            return jsonLogic(rule, state)  # type: ignore[no-any-return]

        return json.dumps(rule), run


PEER_CLASSES: tuple[type[Peer], ...] = (RuleEnginePeer, CelPeer, JsonLogicPeer)


def available_peers() -> tuple[list[Peer], dict[str, str]]:
    """The peers that are installed, and for the others why they could not be built."""
    peers: list[Peer] = []
    missing: dict[str, str] = {}
    for cls in PEER_CLASSES:
        try:
            peers.append(cls())
        except ImportError as error:
            missing[cls.name] = f"not installed ({error.name or error}); pip install -e '.[bench]'"
    return peers, missing


__all__ = [
    "AFIP_ROWS",
    "QUESTIONS",
    "CelPeer",
    "JsonLogicPeer",
    "Peer",
    "RuleEnginePeer",
    "afip_tree",
    "available_peers",
    "pathway_tree",
    "render_cel",
    "render_json_logic",
    "render_rule_engine",
    "risk_tree",
]
