"""PF801 and PF802: blocking calls inside coroutines, and independent awaits run one after another."""

from __future__ import annotations

from ..findings import Severity
from . import Examples
from .static import StaticRule


class BlockingInAsync(StaticRule):
    id = "PF801"
    name = "blocking-call-in-async"
    title = "Blocking call in a coroutine"
    severity = Severity.high
    what = ("Finds blocking work inside `async def`: `requests`, `time.sleep`, `urlopen`, `subprocess`, synchronous database "
            "drivers (sqlite3, psycopg2, sync Django ORM queries, un-awaited `execute`), `open()` - directly or through a "
            "synchronous project function that queries. A query through a project function on the connection the coroutine "
            "is handed is `low` when the project serves nothing from an event loop (no ASGI or async server): its loops are "
            "`asyncio.run()` calls in synchronous code, and a thread would share that connection. So is any blocking call in a "
            "coroutine that runs alone on its loop: every call in the project reaches it through awaits, one at a time, from "
            "synchronous code that starts the loop for it (`asyncio.run(self.async_run(args))` in a command), with no task, "
            "`gather` or `async with` block beside it. The blocking calls of one coroutine are one finding, its first call "
            "leading and the others its evidence: one fix (a plain `def`, which FastAPI runs in a thread, or the async "
            "driver) covers them all; so are the synchronous queries of one module's coroutines, its first coroutine leading "
            "(a remote call, a file or a rendering stays its coroutine's own finding).")
    why = ("A coroutine that blocks stops the whole event loop: every other request waits, so one 200 ms bank API call "
           "serialises a server that should handle hundreds at once.")
    example = '''
async def balance(account):
    return requests.get(f"{BANK}/accounts/{account}", timeout=10).json()
'''
    fix = ("Use the async counterpart (`httpx.AsyncClient` / aiohttp, `asyncio.sleep`, asyncpg / psycopg async / aiosqlite, "
           "Django's `aget` / `acount`...), or move the blocking call to a thread with `await asyncio.to_thread(fn, ...)`.")
    positive = Examples("async_code_examples", "PF801_POSITIVE")
    negative = Examples("async_code_examples", "PF801_NEGATIVE")


class SequentialAwaits(StaticRule):
    id = "PF802"
    name = "sequential-awaits-in-loop"
    title = "Independent awaits run one after another"
    # judged on real applications (rounds 24 to 99), 1 of 72 such loops was worth a change and 31 were false: awaits
    # that must keep their order, share one session or stream, or only append to a batch. Listed on request.
    severity = Severity.low
    what = ("Finds an `await` per item of a `for` loop in a coroutine, where the awaited call takes the item and nothing "
            "breaks out early, so the iterations do not depend on each other (queries and remote calls the N+1 rules "
            "already report are left to them). A loop that sleeps is paced on purpose (a rate limit), so it is not one; nor are "
            "awaits whose order is their meaning: sends on one websocket, log and progress notifications, lines shown to "
            "a reader (`await display(...)`).")
    why = ("Awaiting inside the loop waits for each call before starting the next: 100 calls of 200 ms take 20 s where a "
           "bounded `gather` takes well under a second. It is `low` (listed with `--min-severity low`): the scanner cannot "
           "show that the calls may run together (their order, a session or stream they share) nor that each waits on a "
           "remote call; a remote call per item through the project's own code is NP105's, listed by default.")
    example = '''
for account in accounts:
    statements.append(await fetch_statement(account))
'''
    fix = ("Start them together with a bound: `async with asyncio.TaskGroup() as tg:` plus an `asyncio.Semaphore(10)` "
           "around each call, or `await asyncio.gather(*(fetch(a) for a in accounts))` for small batches; keep per-call "
           "timeouts and error handling.")
    positive = Examples("async_code_examples", "PF802_POSITIVE")
    negative = Examples("async_code_examples", "PF802_NEGATIVE")
