"""Query fingerprints: the same statement whatever its literal values, IN-list lengths, whitespace and case.

`SELECT * FROM t WHERE id IN (1, 2, 3) AND name = 'x'` and `select * from t where id in (7) and name='y'`
share one fingerprint. sqlglot does the parsing; IN lists are collapsed by hand (sqlglot keeps `IN (?, ?)`
and `IN (?, ?, ?)` apart). Statements sqlglot cannot read fall back to a regular-expression normaliser.
"""

from __future__ import annotations

import re
from functools import lru_cache

_STRING = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"(?<![\w$])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?\b", re.I)
_PARAM = re.compile(r"%\(\w+\)s|%s|\$\d+|:\w+|\?")
_IN_LIST = re.compile(r"\bin\s*\(\s*\?(?:\s*,\s*\?)*\s*\)", re.I)
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def fingerprint(sql: str, dialect: str | None = None) -> str:
    found = _parsed(sql, dialect)
    if found is None and dialect is None and "%s" in sql:
        found = _parsed(sql, "postgres")  # psycopg and Django write %s placeholders, which the default dialect refuses
    return found if found is not None else _fallback(sql)


def _parsed(sql: str, dialect: str | None) -> str | None:
    try:
        import sqlglot
        from sqlglot import exp

        tree = sqlglot.parse_one(sql, read=dialect)
        if tree is None:
            return None

        def normalise(node):
            if isinstance(node, (exp.Literal, exp.Placeholder, exp.Parameter)) or (isinstance(node, exp.Boolean)):
                return exp.Placeholder()
            if isinstance(node, exp.In) and node.expressions:
                node.set("expressions", [exp.Placeholder()])
            return node

        return tree.transform(normalise).sql(dialect=dialect, normalize=True, pretty=False)
    except Exception:  # a dialect sqlglot cannot read: the regular expressions still group it
        return None


def _fallback(sql: str) -> str:
    text = _STRING.sub("?", sql)
    text = _PARAM.sub("?", text)
    text = _NUMBER.sub("?", text)
    text = _IN_LIST.sub("IN (?)", text)
    return _SPACE.sub(" ", text).strip().lower()
