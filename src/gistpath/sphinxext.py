"""The Sphinx extension: rule files rendered into a Sphinx project, cross-referenceable.

Enable it with ``extensions = ["gistpath.sphinxext"]`` in ``conf.py``. It adds the
``gistpath`` domain with:

- the directive ``.. gistpath:ruleset:: path/to/file.gprules`` (the path is relative to the
  document, or to the source folder when it starts with ``/``), which loads the file and
  inserts the page :func:`gistpath.docs.render_rst` writes. Options: ``:no-diagram:``,
  ``:clinical: yes|no`` (the "not medical advice" notice; by default shown for a rule set
  marked ``audience "clinicians"``) and
  ``:no-index:`` (render without registering objects, e.g. an old version of a rule set;
  a rule set rendered twice without it gets one warning and its second copy is not indexed);
- the directive ``.. gistpath:changes:: old.gprules new.gprules`` (paths as for
  ``ruleset``), which inserts the change log ``gistpath.docs.changes.render_changes_rst``
  writes from the semantic diff of the two files (option ``:title:``);
- the roles ``:gistpath:ruleset:``, ``:gistpath:pathway:``, ``:gistpath:consideration:``,
  ``:gistpath:input:`` and ``:gistpath:value:`` (a derived value),
  which take an id (``first_line_imatinib``) or, when two rule sets share an id, the
  qualified name (``gist.first_line_imatinib``);
- the directives ``gistpath:pathway``, ``gistpath:consideration``, ``gistpath:input`` and
  ``gistpath:value`` that the generated
  text uses to place an anchor whose id is exactly :func:`gistpath.ruleset.anchor` and to
  register the object (for ``objects.inv``, intersphinx and the search index).

Each rule set's page also gets a "Try it" section after its overview: the panel of
``gistpath.tryit``, whose script and style sheet (``gistpath/static``) the extension copies
into ``_static``; it decides in the browser from the compiled tables, fetching nothing. The
directive ``gistpath:details`` (a summary line that unfolds, ``<details>`` in HTML) lets a
derived value's title unfold to its definition, and ``gistpath:source`` anchors each entry
of the numbered list of sources that citations link to.

It also registers :class:`gistpath.highlight.GistpathLexer`, so ``.. code-block:: gistpath``
works even where the package is not installed with its Pygments entry point.

A rule file that cannot be read, fails to parse or check, or fails verification gives one
Sphinx warning per problem at ``file:line`` (type ``gistpath``, subtypes ``read``,
``syntax``, ``semantic``, ``verify`` and ``examples``, so ``suppress_warnings`` can name
them), never a traceback; the directive then inserts nothing. The document is re-read when
the rule file changes (``env.note_dependency``).

Limits: the ids are those of :func:`gistpath.ruleset.anchor`, so two rule sets with a
pathway of the same id cannot share one page (the second would repeat the HTML id).
"""

from __future__ import annotations

from collections.abc import Iterator, Set
from importlib.resources import files
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

import gistpath
from gistpath.decision import anchor
from gistpath.docs import render_changes_rst, render_rst
from gistpath.errors import (
    ExampleError,
    GistpathError,
    RuleError,
    RuleSemanticError,
    VerificationError,
)
from gistpath.highlight import GistpathLexer
from gistpath.tryit import SCRIPT_NAME, STYLE_NAME, panel_html

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: The object types of the domain; each has a role of the same name.
OBJECT_TYPES = ("ruleset", "pathway", "consideration", "input", "value", "source")

# Where the ruleset directive being rendered stands ("doc.rst:line"), so that a problem met
# inside the generated text is reported there rather than at "<generated text>". Sphinx
# reads one document at a time in a process, so a stack of plain strings is enough.
_RENDERING: list[str] = []


def _yes_no(argument: str | None) -> str:
    return str(directives.choice(argument, ("yes", "no")))


class RulesetDirective(SphinxDirective):
    """``.. gistpath:ruleset:: path``: the documentation of one rule file."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "no-diagram": directives.flag,
        "no-index": directives.flag,
        "clinical": _yes_no,
    }

    def run(self) -> list[nodes.Node]:
        """The nodes of the rule file's page: loads it (a file that does not load is a Sphinx
        warning naming its problems, and no nodes), renders it (:func:`render_rst`) and
        parses the text in place, with the rule set's anchor before it and the "Try it"
        panel inside; indexed in the domain unless ``:no-index:`` or already documented
        on another page (a warning then).
        """
        rel, path = self.env.relfn2path(self.arguments[0], self.env.current_document.docname)
        self.env.note_dependency(rel)
        try:
            ruleset = gistpath.load(path)
        except GistpathError as error:
            self._report(error, path)
            return []
        clinical = self.options.get("clinical")
        index = "no-index" not in self.options
        domain = _domain(self.env)
        other = domain.objects.get(("ruleset", ruleset.name))
        if index and other is not None and other[0] != self.env.current_document.docname:
            # One warning for the rule set, not one per pathway; this copy is not indexed.
            _warn(
                f"rule set {ruleset.name!r} is already documented in {other[0]}; "
                "use :no-index: on one of them",
                self.get_location(),
                "duplicate",
            )
            index = False
        text = render_rst(
            ruleset,
            for_sphinx=True,
            diagram="no-diagram" not in self.options,
            clinical=None if clinical is None else clinical == "yes",
            index=index,
        )
        # The rule set's anchor goes right before the text, whose first node is the
        # section of the whole rule set: docutils moves the id onto that section.
        ident = anchor("ruleset", ruleset.name)
        target = nodes.target("", "", ids=[ident])
        if index:
            domain.note_object("ruleset", ruleset.name, ident, ruleset.title or ruleset.name, self)
        _RENDERING.append(self.get_location())
        try:
            body = self.parse_text_to_nodes(text, allow_section_headings=True)
        finally:
            _RENDERING.pop()
        _insert_try_it(body, ruleset)
        return [target, *body]

    def _report(self, error: GistpathError, path: str) -> None:
        _report(error, path, self.get_location())


def _report(error: GistpathError, path: str, location: str) -> None:
    """One located warning per problem in the rule file."""
    if isinstance(error, RuleError):
        subtype = "semantic" if isinstance(error, RuleSemanticError) else "syntax"
        for diagnostic in error.diagnostics:
            _warn(
                f"{diagnostic.message} (column {diagnostic.column})",
                f"{path}:{diagnostic.line}",
                subtype,
            )
    elif isinstance(error, VerificationError):
        for finding in error.findings:
            where = f"{path}:{finding.lines[0]}" if finding.lines else path
            _warn(f"{finding.kind.replace('_', ' ')}: {finding.message}", where, "verify")
    elif isinstance(error, ExampleError):
        for failure in error.failures:
            _warn(failure.message, f"{path}:{failure.line}", "examples")
    else:
        _warn(str(error), location, "read")


def _insert_try_it(body: list[nodes.Node], ruleset: gistpath.RuleSet) -> None:
    """Put the "Try it" panel (HTML only) into the rule set's page, after its overview."""
    top = next((n for n in body if isinstance(n, nodes.section)), None)
    if top is None:
        return
    top["classes"].append("gistpath-ruleset")
    ident = anchor("try-it", ruleset.name)
    section = nodes.section("", ids=[ident], names=[ident])
    section += nodes.title("", "Try it")
    section += nodes.paragraph(
        "",
        "Choose a value for each input: the pathway, its considerations and the reasons "
        "are worked out in the browser from the compiled tables of this rule set, with no "
        "server and nothing fetched. A state the rules do not accept is refused with the "
        "same message the library gives.",
    )
    section += nodes.raw("", panel_html(ruleset), format="html")
    first = next((i for i, n in enumerate(top.children) if isinstance(n, nodes.section)), None)
    if first is None:
        top += section
    else:
        top.insert(first, section)


def _add_static(app: Sphinx) -> None:
    """Copy the panel's script and styles (shipped in gistpath/static) into ``_static``."""
    folder = str(files("gistpath").joinpath("static"))
    if folder not in app.config.html_static_path:
        app.config.html_static_path.append(folder)


class ChangesDirective(SphinxDirective):
    """``.. gistpath:changes:: old new``: the change log between two versions of a file."""

    required_arguments = 2
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {"title": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        loaded = []
        for argument in self.arguments:
            rel, path = self.env.relfn2path(argument, self.env.current_document.docname)
            self.env.note_dependency(rel)
            try:
                loaded.append(gistpath.load(path))
            except GistpathError as error:
                _report(error, path, self.get_location())
                return []
        try:
            text = render_changes_rst(
                loaded[0], loaded[1], for_sphinx=True, title=self.options.get("title")
            )
        except GistpathError as error:  # e.g. an input that changed its kind
            _warn(str(error), self.get_location(), "diff")
            return []
        _RENDERING.append(self.get_location())
        try:
            return self.parse_text_to_nodes(text, allow_section_headings=True)
        finally:
            _RENDERING.pop()


def _warn(message: str, location: str, subtype: str) -> None:
    # A "path:line" string: a (path, line) tuple would be read as (docname, line).
    logger.warning(message, location=location, type="gistpath", subtype=subtype)


class details(nodes.General, nodes.Element):
    """A block that folds: its first child is the ``summary`` shown when folded."""


class summary(nodes.General, nodes.TextElement):
    """The line shown for a folded :class:`details` block."""


def _visit_details(self: Any, node: details) -> None:
    self.body.append('<details class="gistpath-details">')


def _depart_details(self: Any, node: details) -> None:
    self.body.append("</details>")


def _visit_summary(self: Any, node: summary) -> None:
    self.body.append("<summary>")


def _depart_summary(self: Any, node: summary) -> None:
    self.body.append("</summary>")


def _visit_plain(self: Any, node: nodes.Node) -> None:
    pass


class DetailsDirective(SphinxDirective):
    """``.. gistpath:details:: <summary>``: its content folded under a one-line summary.

    The generated pages use it to let a derived value's title unfold to its definition.
    In HTML it is ``<details>``; other writers show the summary and the content.
    """

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        node = details()
        text, messages = self.state.inline_text(self.arguments[0], self.lineno)
        node += summary("", "", *text)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node, *messages]


class _AnchorDirective(SphinxDirective):
    """Places the anchor of one pathway or consideration and registers it."""

    kind: ClassVar[str] = ""
    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "ruleset": directives.unchanged_required,
        "title": directives.unchanged,
        "no-index": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        ident = self.arguments[0].strip()
        node_id = anchor(self.kind, ident)
        if node_id in self.state.document.ids:
            _warn(f"duplicate id {node_id!r} on this page", _location(self), "duplicate")
            return []
        target = nodes.target("", "", ids=[node_id])
        self.state.document.ids[node_id] = target
        if "no-index" not in self.options:
            ruleset = self.options.get("ruleset")
            name = f"{ruleset}.{ident}" if ruleset else ident
            title = self.options.get("title") or ident
            _domain(self.env).note_object(self.kind, name, node_id, title, self)
        return [target]


class PathwayDirective(_AnchorDirective):
    """``.. gistpath:pathway:: id``: the anchor of a pathway's section."""

    kind = "pathway"


class ConsiderationDirective(_AnchorDirective):
    """``.. gistpath:consideration:: id``: the anchor of a consideration's section."""

    kind = "consideration"


class InputDirective(_AnchorDirective):
    """``.. gistpath:input:: name``: the anchor of an input's row."""

    kind = "input"


class ValueDirective(_AnchorDirective):
    """``.. gistpath:value:: name``: the anchor of a derived value (``let`` or table)."""

    kind = "value"


class SourceDirective(_AnchorDirective):
    """``.. gistpath:source:: name``: the anchor of a source in the numbered list."""

    kind = "source"


class GistpathDomain(Domain):
    """Rule sets, pathways and considerations, cross-referenceable across a project."""

    name = "gistpath"
    label = "gistpath"
    object_types: ClassVar[dict[str, ObjType]] = {
        kind: ObjType(kind, kind) for kind in OBJECT_TYPES
    }
    directives: ClassVar[dict[str, type[Any]]] = {
        "ruleset": RulesetDirective,
        "changes": ChangesDirective,
        "pathway": PathwayDirective,
        "consideration": ConsiderationDirective,
        "input": InputDirective,
        "value": ValueDirective,
        "source": SourceDirective,
        "details": DetailsDirective,
    }
    # Inputs and values are named by their titles in running text: shown as text, not code.
    roles: ClassVar[dict[str, Any]] = {
        kind: XRefRole(innernodeclass=nodes.inline) if kind in ("input", "value") else XRefRole()
        for kind in OBJECT_TYPES
    }
    # objects: (object type, qualified name) -> (docname, anchor, title)
    initial_data: ClassVar[dict[str, Any]] = {"objects": {}}
    data_version = 1

    @property
    def objects(self) -> dict[tuple[str, str], tuple[str, str, str]]:
        result: dict[tuple[str, str], tuple[str, str, str]] = self.data.setdefault("objects", {})
        return result

    def note_object(
        self, kind: str, name: str, node_id: str, title: str, directive: SphinxDirective
    ) -> None:
        docname = self.env.current_document.docname
        other = self.objects.get((kind, name))
        if other is not None and other[0] != docname:
            _warn(
                f"duplicate {kind} {name!r}, also in {other[0]} (use :no-index: on one)",
                _location(directive),
                "duplicate",
            )
        self.objects[kind, name] = (docname, node_id, title)

    def clear_doc(self, docname: str) -> None:
        for key, (doc, _node_id, _title) in list(self.objects.items()):
            if doc == docname:
                del self.objects[key]

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key, value in otherdata["objects"].items():
            if value[0] in docnames:
                self.objects[key] = value

    def _find(self, kind: str, target: str) -> tuple[str, str, str, str] | None:
        """(qualified name, docname, anchor, title) of ``target`` (qualified or not)."""
        found = self.objects.get((kind, target))
        if found is not None:
            return (target, *found)
        matches = [
            (name, *value)
            for (k, name), value in self.objects.items()
            if k == kind and name.rsplit(".", 1)[-1] == target
        ]
        return matches[0] if len(matches) == 1 else None

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        found = self._find(typ, target)
        if found is None:
            return None
        _name, docname, node_id, title = found
        return make_refnode(builder, fromdocname, docname, node_id, contnode, title)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        results = []
        for kind in OBJECT_TYPES:
            found = self._find(kind, target)
            if found is not None:
                _name, docname, node_id, title = found
                ref = make_refnode(builder, fromdocname, docname, node_id, contnode, title)
                results.append((f"gistpath:{kind}", ref))
        return results

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for (kind, name), (docname, node_id, title) in sorted(self.objects.items()):
            yield name, title, kind, docname, node_id, 1


def _location(directive: SphinxDirective) -> str:
    """The place to report a problem of a directive, generated ones included."""
    return _RENDERING[-1] if _RENDERING else directive.get_location()


def _domain(env: BuildEnvironment) -> GistpathDomain:
    domain = env.get_domain(GistpathDomain.name)
    assert isinstance(domain, GistpathDomain)
    return domain


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the domain and the lexer; the extension is safe for parallel builds."""
    app.add_domain(GistpathDomain)
    plain = (_visit_plain, _visit_plain)
    for node, html in ((details, (_visit_details, _depart_details)),
                       (summary, (_visit_summary, _depart_summary))):  # fmt: skip
        app.add_node(node, html=html, latex=plain, text=plain, man=plain, texinfo=plain)
    app.add_lexer("gistpath", GistpathLexer)
    app.connect("builder-inited", _add_static)
    app.add_js_file(SCRIPT_NAME)
    app.add_css_file(STYLE_NAME)
    return {
        "version": gistpath.__version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
