"""When a planner's answer counts as proof that an index pays, in one place with every threshold named.

A change of plan alone is not proof: on a tiny table, or over a column with two values, SQLite happily switches a
SCAN to a SEARCH that reads as many rows. So the proof also needs the estimated rows read to drop by
MIN_ROWS_DROP, on a table of at least MIN_TABLE_ROWS rows whose size is known (statistics or table_rows)."""

from __future__ import annotations

import re

MIN_TABLE_ROWS = 1_000  # under this, a scan is a few pages: an index is write cost for nothing
MIN_ROWS_DROP = 0.9  # an index read of more than a tenth of a table is no faster than scanning it (random reads)
ASSUMED_DISTINCT = 100  # SQLite without data: a column other than a flag is assumed to hold 100 distinct values
LOW_CARDINALITY_TYPES = ("BOOL",)  # flags: two values (three with NULL)
FEW_VALUES = 5  # a column declared with choices: a handful of values; at or under this a column never leads an index
RANGE_SELECTIVITY = 0.25  # SQLite's own guess for one inequality: a range is never proof without data
LONG_TEXT_WIDTH = 100  # PostgreSQL: average bytes from which a text column is "long" (btree entries must stay under ~2.7 kB)
MAX_KEY_COLUMNS = 4  # more columns rarely pay: each one widens every entry and every write


def distinct_guess(schema, table: str, column: str, stats: dict[str, int] | None = None) -> int:
    """How many values a column holds: PostgreSQL's n_distinct when known; else a flag 2, a column with choices FEW_VALUES, a foreign key as
    many as the rows of the table it references (when that size is known), anything else ASSUMED_DISTINCT."""
    measured = schema.distinct.get((table, column))
    if measured is not None and measured != 0:  # PostgreSQL's statistics beat any guess
        return max(2, int(-measured * (stats or {}).get(table, 0)) if measured < 0 else int(measured))
    kind = schema.tables.get(table, {}).get(column, "")
    if any(t in (kind or "").upper() for t in LOW_CARDINALITY_TYPES):
        return 2
    if (table, column) in schema.few_values:
        return FEW_VALUES
    ref = schema.references.get((table, column))
    if ref and stats and stats.get(ref):
        return max(2, min(stats[ref], stats.get(table) or stats[ref]))
    return ASSUMED_DISTINCT


def rows_per_key(rows: int, distincts: list[int]) -> list[int]:
    """sqlite_stat1's numbers for an index: average rows per value of each leading prefix of its key."""
    out, per = [], float(rows)
    for d in distincts:
        per = per / d
        out.append(max(1, int(per)))
    return out


def selectivity(per_key: list[int], rows: int, cand) -> float:
    """The share of the table an index read returns: equality and join columns by rows_per_key, a range by SQLite's guess."""
    used = cand.equalities
    share = per_key[used - 1] / rows if used else 1.0
    if cand.has_range:
        share *= RANGE_SELECTIVITY
    return share


def why_weak(cand, schema) -> str:
    flags = [c for c in cand.columns[: cand.equalities] if distinct_guess(schema, cand.table, c) <= FEW_VALUES]
    if flags:
        return f"{', '.join(flags)} {'holds' if len(flags) == 1 else 'hold'} a few values only: an index over {'it' if len(flags) == 1 else 'them'} reads a large part of the table"
    if cand.has_range and not cand.equalities:
        return "a range alone: without data its width is unknown (prove it against a database with statistics)"
    return "an index that only orders the rows still reads every one of them"


_SQLITE_FUNCTIONS = {"upper", "lower", "abs", "length", "substr", "coalesce", "ifnull", "trim", "date", "datetime"}


def sqlite_can_index(part: str) -> bool:
    """SQLite builds an expression index only from its own deterministic functions (never md5(), never ::casts)."""
    m = re.match(r"\s*(\w+)\s*\(", part)
    return m is None or (m.group(1).lower() in _SQLITE_FUNCTIONS and "::" not in part)


def is_long_text(column_type: str, avg_width: float | None) -> bool:
    """PostgreSQL text that can hold values too big for a btree entry: unbounded (text, varchar without a length, or a
    long one) and either wide on average or never analysed."""
    t = (column_type or "").lower()
    m = re.search(r"\((\d+)\)", t)
    unbounded = t in ("text", "character varying", "varchar", "citext") or (m is not None and int(m.group(1)) > 2000 and "char" in t)
    return unbounded and (avg_width is None or avg_width >= LONG_TEXT_WIDTH)
