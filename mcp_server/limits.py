"""How much of each kind of input the tools take, in one place, so every entry point (CLI, MCP, hook) says the
same limit in the same words. Past these sizes the work is minutes, not seconds, and the input is generated
(a dump, a minified bundle), not code someone edits."""

from __future__ import annotations

from .errors import InputError

MAX_SQL_CHARS = 100_000  # one statement; a 1.4 MB one took 41 s to tokenize, past any --timeout


def check_sql_size(sql: str, field: str = "sql") -> None:
    if len(sql) > MAX_SQL_CHARS:
        raise InputError(field, f"the statement is {len(sql):,} characters, over the limit of {MAX_SQL_CHARS:,} for one statement")


def file_too_large(size: int, max_bytes: int) -> str:
    """The reason a file is skipped, the same for scan, indexes and the hook."""
    return (f"skipped: {size / 1_048_576:.1f} MB is over the {max_bytes / 1_048_576:.1f} MB limit for one file "
            "(generated code?); raise [tool.performance-optimizer.thresholds] max_file_kb to scan it")
