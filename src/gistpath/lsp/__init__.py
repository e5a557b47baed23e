"""The gistpath language server (``gistpath lsp``, the ``lsp`` extra).

:mod:`gistpath.lsp.analysis` holds what the server knows about a text, free of any editor
protocol (its two stages of diagnostics, made of :mod:`gistpath.lsp.declarations`, the
text parsed declaration by declaration, and :mod:`gistpath.lsp.problems`, diagnostics and
findings placed on their words; :mod:`gistpath.lsp.symbols`, the index of names that
:mod:`gistpath.lsp.hover`, :mod:`gistpath.lsp.completion` and :mod:`gistpath.lsp.navigation`
answer from); :mod:`gistpath.lsp.positions` converts places between the parser's counting
and the protocol's; :mod:`gistpath.lsp.server` speaks the Language Server Protocol over stdio
with pygls. Only the server module needs pygls.
"""

from __future__ import annotations


def serve() -> None:
    """Run the language server on stdin/stdout (needs the ``lsp`` extra)."""
    # Deferred: the server needs pygls (the lsp extra); importing the package does not.
    from gistpath.lsp.server import serve as run

    run()


__all__ = ["serve"]
