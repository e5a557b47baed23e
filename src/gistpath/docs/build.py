"""A one-page Sphinx project for one rule set, built to HTML (``gistpath docs``).

Design: :func:`build_html` writes a small Sphinx project (``conf.py``, ``index.rst`` holding
the ``gistpath:ruleset`` directive of :mod:`gistpath.sphinxext`, and a copy of the rule
text) into a temporary folder and runs Sphinx on it. Nothing from the rule file is written
into ``conf.py``; the title goes in as a config override.

Limits: Sphinx is imported inside :func:`build_html`, so it is needed only when a site is
built; the project is one page with Sphinx's default theme.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gistpath.ruleset import RuleSet

_CONF_PY = """\
# Written by `gistpath docs`: a one-page Sphinx project for one rule file.
extensions = ["gistpath.sphinxext"]
root_doc = "index"
html_show_sourcelink = False
html_copy_source = False
# Furo (the ``docs`` extra) shows every section of the page in its sidebar; without it,
# Alabaster with the page's table of contents in the sidebar.
try:
    import furo  # noqa: F401

    html_theme = "furo"
except ImportError:
    html_theme = "alabaster"
    html_theme_options = {"page_width": "1200px"}
    html_sidebars = {"**": ["localtoc.html", "searchbox.html"]}
"""


def build_html(ruleset: RuleSet, outdir: str | os.PathLike[str], *, quiet: bool = True) -> int:
    """Build the HTML documentation of ``ruleset`` into ``outdir`` with Sphinx.

    A small Sphinx project (``conf.py``, ``index.rst`` holding the ``gistpath:ruleset``
    directive, and a copy of the rule text) is written into a temporary folder and built;
    nothing from the rule file is written into ``conf.py`` (the title goes in as a config
    override). Sphinx is imported here, so it is only needed when this is called. Returns
    Sphinx's exit status: 0, or 1 when it warned (warnings are shown on stderr).
    """
    from sphinx.cmd.build import build_main

    name = Path(ruleset.model.filename).name
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", name):
        name = "rules.gprules"
    title = ruleset.title or ruleset.name
    with tempfile.TemporaryDirectory(prefix="gistpath-docs-") as folder:
        source = Path(folder, "source")
        source.mkdir()
        (source / "conf.py").write_text(_CONF_PY, encoding="utf-8")
        (source / name).write_text(ruleset.text, encoding="utf-8")
        (source / "index.rst").write_text(f".. gistpath:ruleset:: {name}\n", encoding="utf-8")
        args = [
            "--builder",
            "html",
            "--fail-on-warning",
            "--doctree-dir",
            str(Path(folder, "doctrees")),
            "--define",
            f"project={title}",
            "--define",
            f"html_title={title}",
            str(source),
            os.fspath(outdir),
        ]
        if quiet:
            args.insert(0, "--quiet")
        return build_main(args)
