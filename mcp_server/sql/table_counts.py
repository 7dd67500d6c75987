"""Rows per table read from the user's own database, to size a scan's findings (`scan --database`): the same
read-only connection index advice opens (analyse.open_target), so a scan never writes and never waits past its
timeout. SQLite: `sqlite_stat1` where ANALYZE wrote it, else the largest rowid; PostgreSQL: `pg_class.reltuples`
(a table never analysed has no size and stays unsized)."""

from __future__ import annotations

from contextlib import ExitStack

from ..config import ProjectConfig
from .analyse import open_target


def read(config: ProjectConfig, database: str, timeout_s: float = 10.0) -> tuple[dict[str, int], str]:
    """(rows per table, the database as reports name it: never with its password)."""
    with ExitStack() as stack:
        target = open_target(stack, config, database, None, None, timeout_s)
        return dict(target.stats), target.shown
