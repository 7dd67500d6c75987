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

# sbc-auth's group sync (round 139: 2 PF801 judged false): the admin token is fetched before the requests are gathered,
# while nothing else runs on the loop, so it is `low`; fetched after a task is started, it holds that task up and stays
_SYNC = '''
import asyncio

import requests


def admin_token(url):
    return requests.post(url, timeout=5).json()["token"]


async def put_member(url, token, member):
    await asyncio.sleep(0)


async def sync_groups(url, members):
    token = admin_token(url)
    await asyncio.gather(*(put_member(url, token, m) for m in members))


async def sync_groups_late(url, members):
    first = asyncio.create_task(put_member(url, None, members[0]))
    token = admin_token(url)
    await first


def sync(url, members):
    asyncio.run(sync_groups(url, members))
    asyncio.run(sync_groups_late(url, members))
'''
PF801_BEFORE_THE_GATHER = {"groups/__init__.py": "", "groups/sync.py": _SYNC}

# a command coroutine of an asyncclick group (Runestone's `rsmanage`, round 175: 3 PF801 judged N RARE): the library runs
# the group's callback and the command on a loop of their own; the same handlers of a chat bot (`@bot.command()`, no
# command-line library imported) share the bot's loop with every other conversation, and stay
_ADMIN = '''
import subprocess

import asyncclick as click


@click.group()
async def cli():
    subprocess.call(["pg_isready"])


@cli.command()
async def regrade():
    subprocess.call(["python", "grade.py", "--all"])
'''
PF801_CLI_COMMAND_ALONE = {"admin/__init__.py": "", "admin/manage.py": _ADMIN}
_BOT = '''
import subprocess

from .chat import bot


@bot.command()
async def regrade(ctx):
    subprocess.call(["python", "grade.py", "--all"])
'''
PF801_BOT_COMMAND_KEPT = {"admin/__init__.py": "", "admin/bot.py": _BOT}
