"""``python -m gistpath`` runs the command line."""

from gistpath.cli import main

raise SystemExit(main())
