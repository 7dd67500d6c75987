"""The static engine: per-file facts extracted with the stdlib `ast` (cached by content hash),
linked into a project index (imports, call graph, ORM models), and read by the rules."""
