"""The ``gistpath`` command (``gistpath.cli:main``): the package (see its modules)."""

from __future__ import annotations

from gistpath.cli.arguments import EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE, build_parser, main

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_TROUBLE", "build_parser", "main"]
