"""gistpath."""
