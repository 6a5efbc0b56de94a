"""The command line: ``portal-console`` and its verbs (``main`` parses and dispatches)."""
