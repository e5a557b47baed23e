"""The decision logic of a rule set as an SVG diagram, laid out in pure Python.

Design: :func:`render_svg` writes an SVG without Graphviz or any script: a layered
left-to-right tree of the ``when`` blocks, the rules and, in the last column, one box per
rule for the pathway it chooses, linked to the pathway's section. It is laid out from the
checked syntax tree and the checked rules, never drawn by hand: :func:`_tree` builds the
boxes, :func:`_layout` places them (a subtree's height is its children stacked; a parent
sits level with the middle of its children), and :func:`render_svg` draws edges, then boxes.
Every condition is in words (``gistpath.words.Phrasing``): a ``when`` block that tests a
derived value shows its title; the rule ids and the rule text are in the tooltips only.

Limits: the text is measured with an average character width, so a label in an unusual
font may run a little past its box (the full text is in the box's tooltip); a label is cut
after a few lines.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal

import attrs

from gistpath import ast
from gistpath.decision import anchor
from gistpath.model import Model
from gistpath.words import Phrasing

if TYPE_CHECKING:
    from gistpath.ruleset import RuleSet

_FONT_PX = 11
_CHAR_PX = 6.3  # average advance of an 11 px sans-serif character
_LINE_PX = 14
_PAD = 6
_COLUMN_PX = 230
_LEAF_PX = 230
_GAP_PX = 36
_ROW_GAP = 8
_MAX_LINES = 5

_STYLE = {
    "root": ("#f5f5f5", "#616161"),
    "when": ("#e8f0fe", "#3c64a8"),
    "rule": ("#ffffff", "#8a8a8a"),
    "pathway": ("#e6f4ea", "#2e7d32"),
}


@attrs.define
class _Box:
    kind: Literal["root", "when", "rule", "pathway"]
    text: str
    tooltip: str
    depth: int
    children: list[_Box] = attrs.field(factory=list)
    href: str | None = None
    head: str | None = None  # a first line in bold (a rule's id)
    lines: list[str] = attrs.field(factory=list)
    bold: int = 0  # how many of the lines are the head
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0


def _wrap(text: str, width_px: float) -> list[str]:
    chars = max(8, int((width_px - 2 * _PAD) / _CHAR_PX))
    lines = textwrap.wrap(text, chars, break_on_hyphens=False) or [""]
    if len(lines) > _MAX_LINES:
        lines = lines[:_MAX_LINES]
        lines[-1] = lines[-1][: chars - 1].rstrip() + "\u2026"
    return lines


def _tree(model: Model) -> _Box:
    rules = {r.id: r for r in model.rules}
    words = Phrasing(model)
    root = _Box("root", "Every valid state", "Every state allowed by the inputs and constraints", 0)

    def visit(items: Sequence[ast.RuleDecl | ast.WhenBlock], parent: _Box) -> None:
        for item in items:
            if isinstance(item, ast.WhenBlock):
                text = "; ".join(words.clauses(item.condition))
                box = _Box("when", text, f"{text} (when block, line {item.line})", parent.depth + 1)
                parent.children.append(box)
                visit(item.body, box)
                continue
            rule = rules[item.name]
            own = (
                "none of the cases above"
                if rule.own is None
                else "; ".join(words.clauses(rule.own))
            )
            tooltip = f"rule {rule.id}: {own} (line {rule.line})"
            box = _Box("rule", own, tooltip, parent.depth + 1)
            pathway = model.pathways[rule.pathway]
            box.children.append(
                _Box(
                    "pathway",
                    pathway.title,
                    f"{pathway.title} ({rule.pathway}): {pathway.summary}",
                    -1,  # placed in the last column
                    href="#" + anchor("pathway", rule.pathway),
                )
            )
            parent.children.append(box)

    visit(
        [d for d in model.tree.declarations if isinstance(d, ast.RuleDecl | ast.WhenBlock)],
        root,
    )
    return root


def _walk(box: _Box) -> Iterable[_Box]:
    yield box
    for child in box.children:
        yield from _walk(child)


def _layout(root: _Box) -> tuple[float, float]:
    """Place every box; returns the drawing's width and height."""
    boxes = list(_walk(root))
    leaf_depth = 1 + max(b.depth for b in boxes)
    for box in boxes:
        if box.kind == "pathway":
            box.depth = leaf_depth
        box.width = _LEAF_PX if box.kind == "pathway" else _COLUMN_PX
        head = _wrap(box.head, box.width) if box.head else []
        box.lines = head + _wrap(box.text, box.width)
        box.bold = len(head)
        box.height = len(box.lines) * _LINE_PX + 2 * _PAD
        box.x = _GAP_PX / 2 + box.depth * (_COLUMN_PX + _GAP_PX)

    extents: dict[int, float] = {}

    def extent(box: _Box) -> float:
        """The height of the box's subtree (the box, or its children stacked)."""
        if id(box) not in extents:
            inner = sum(extent(c) for c in box.children) + _ROW_GAP * (len(box.children) - 1)
            extents[id(box)] = max(box.height, inner) if box.children else box.height
        return extents[id(box)]

    def place(box: _Box, top: float) -> None:
        total = extent(box)
        if not box.children:
            box.y = top + (total - box.height) / 2
            return
        inner = sum(extent(c) for c in box.children) + _ROW_GAP * (len(box.children) - 1)
        y = top + (total - inner) / 2
        for child in box.children:
            place(child, y)
            y += extent(child) + _ROW_GAP
        first, last = box.children[0], box.children[-1]
        middle = (first.y + first.height / 2 + last.y + last.height / 2) / 2
        box.y = middle - box.height / 2

    place(root, _GAP_PX / 2)
    width = max(b.x + b.width for b in boxes) + _GAP_PX / 2
    height = extent(root) + _GAP_PX
    return width, height


def render_svg(ruleset: RuleSet) -> str:
    """The decision logic of ``ruleset`` as a standalone SVG document (a string)."""
    model = ruleset.model
    root = _tree(model)
    width, height = _layout(root)
    title = f"Decision diagram of {model.title or model.name}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="sans-serif" '
        f'font-size="{_FONT_PX}" aria-labelledby="gistpath-diagram-title">',
        f'<title id="gistpath-diagram-title">{html.escape(title)}</title>',
    ]
    boxes = list(_walk(root))
    for box in boxes:  # edges first, so that boxes are drawn over them
        for child in box.children:
            x1, y1 = box.x + box.width, box.y + box.height / 2
            x2, y2 = child.x, child.y + child.height / 2
            xm = x1 + _GAP_PX / 2
            out.append(
                f'<path d="M{x1:.1f},{y1:.1f} H{xm:.1f} V{y2:.1f} H{x2:.1f}" '
                'fill="none" stroke="#9e9e9e" stroke-width="1"/>'
            )
    for box in boxes:
        fill, stroke = _STYLE[box.kind]
        shape = [
            f"<title>{html.escape(box.tooltip)}</title>",
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.0f}" '
            f'height="{box.height:.0f}" rx="4" fill="{fill}" stroke="{stroke}"/>',
        ]
        for number, line in enumerate(box.lines):
            baseline = box.y + _PAD + _FONT_PX + number * _LINE_PX - 1
            colour = ' fill="#1b5e20" text-decoration="underline"' if box.href else ""
            if number < box.bold:
                colour += ' font-weight="bold"'
            shape.append(
                f'<text x="{box.x + _PAD:.1f}" y="{baseline:.1f}"{colour}>'
                f"{html.escape(line)}</text>"
            )
        if box.href:
            out.append(f'<a href="{html.escape(box.href)}">' + "".join(shape) + "</a>")
        else:
            out.append('<g class="gistpath-' + box.kind + '">' + "".join(shape) + "</g>")
    out.append("</svg>")
    return "\n".join(out)
