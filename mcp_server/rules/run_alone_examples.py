"""Coroutines that run alone on their event loop (analysis/run_loops.runs_alone): a blocking call in a coroutine that
only `asyncio.run(...)` in synchronous code reaches, through awaits one at a time, holds up nothing else, and is `low`;
inside an `async with` block (a pool's workers may run beside it), or in a coroutine gathered with others, it stays.
Every example is a positive (flagged, at the severities tests/test_rule_precision_136.py checks)."""

_DB = '''
import psycopg2
from psycopg import AsyncConnection


def analyse_tables(dsn):
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("ANALYZE placex")


async def index_rank(dsn, rank):
    async with await AsyncConnection.connect(dsn) as aconn:
        await aconn.execute("SELECT index_rank(%s)", (rank,))
        analyse_tables(dsn)


async def refresh(dsn):
    analyse_tables(dsn)


async def refresh_all(dsn):
    await asyncio.gather(refresh(dsn), index_rank(dsn, 30))
'''
_CLI = '''
import asyncio
import time

from .db import analyse_tables, index_rank, refresh_all


class ImportCommand:
    def run(self, args):
        return asyncio.run(self.async_run(args))

    async def async_run(self, args):
        await index_rank(args.dsn, 4)
        analyse_tables(args.dsn)
        time.sleep(args.pause)


def refresh_command(dsn):
    asyncio.run(refresh_all(dsn))
'''
# Nominatim's import command (round 136: 21 PF801 judged N): `async_run`'s two blocking calls are `low`; the call
# inside `index_rank`'s `async with` block, and the one in `refresh`, which `refresh_all` gathers, stay `high`
PF801_RUN_ALONE = {"geo/__init__.py": "", "geo/db.py": "import asyncio\n" + _DB, "geo/cli.py": _CLI}
