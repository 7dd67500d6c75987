"""Which event loops a project's coroutines run on. A project that serves nothing from an event loop (no ASGI
application, no async web, mail or RPC server) runs its coroutines only in loops it starts itself, with
`asyncio.run(...)` inside synchronous code: Balrog's Flask views gather a release's database writes with its uploads
to cloud storage. A blocking query there holds up only what that one run gathered, and when the coroutine runs it on
the connection or transaction its caller hands it, the usual fix (`asyncio.to_thread`) would share that connection
between threads. Round 75: 15 such PF801 findings judged false. They are `low`, saying so.

A project whose code imports no async database driver at all (no `sqlalchemy.ext.asyncio`, asyncpg, aiosqlite...) runs
its queries from coroutines with the synchronous driver by design: JupyterHub's Tornado handlers share one SQLAlchemy
session and keep every transaction between two awaits. Judged over every round, a synchronous query in a coroutine of
such a project was worth a change 2 times in 68 (49 false: `asyncio.to_thread` would hand the shared session to another
thread), against 9 in 42 (none false) where the project has an async driver. They are `low` too, saying so.

Whatever the project serves, a coroutine that only `asyncio.run(...)` in synchronous code reaches, through awaits one at
a time with no task, `gather` or `async with` block around them, runs alone on its loop: a command's import steps,
blocking between awaits, hold up nothing else (runs_alone). `low`, saying so."""

from __future__ import annotations

import re

from ..findings import Finding, Severity
from .background import command_line
from .command_reach import is_test
from .facts import Call, Function, ModuleFacts

# what serves requests from an event loop: ASGI frameworks and servers, async web, mail, RPC and websocket servers, and
# Django's ASGI entry point (a Django project's coroutines may be its async views)
_ASYNC_SERVERS = ("fastapi", "starlette", "quart", "sanic", "litestar", "aiohttp.web", "tornado", "channels", "aiosmtpd",
                  "websockets", "grpc.aio", "uvicorn", "hypercorn", "daphne", "django.core.asgi", "socketio", "falcon.asgi")
# an async database driver or ORM, by the module it is imported from
ASYNC_DRIVERS = ("sqlalchemy.ext.asyncio", "asyncpg", "aiosqlite", "aiomysql", "asyncmy", "aiopg", "databases", "tortoise",
                 "motor", "piccolo", "ormar", "sqlmodel.ext.asyncio", "psycopg.AsyncConnection", "psycopg_pool.AsyncConnectionPool")
_CONNECTION = re.compile(r"(^|_)(trans|transaction|conn|connection|session|cursor|cur|db)$")


def serves_from_a_loop(modules) -> bool:
    """Any module imports an async server or framework."""
    return imports_any(modules, _ASYNC_SERVERS)


def imports_any(modules, heads: tuple[str, ...]) -> bool:
    """Any module imports one of `heads` or something inside it (`sqlalchemy.ext.asyncio.create_async_engine`)."""
    return any(target == head or target.startswith(f"{head}.") for m in modules for target in m.imports.values() for head in heads)


def handed_connection(fn: Function, call: Call) -> str | None:
    """The coroutine's parameter holding a connection or transaction that `call` passes on (`trans`), if any."""
    passed = {*(a for a in call.args if a), *(name for _k, name in call.kwargs)}
    return next((p for p in fn.params if _CONNECTION.search(p) and p in passed), None)


def lowered(f: Finding, param: str) -> Finding:
    f.severity = Severity.low
    f.message += (f"; but the project serves nothing from an event loop, so this coroutine runs in a loop `asyncio.run()` "
                  f"starts in synchronous code, and it queries on the connection its caller hands it (`{param}`): the wait "
                  "holds up only what that run gathered")
    f.suggestion = ("Run these queries before starting the coroutines and gather only the slow remote work, or give each "
                    "coroutine a connection of its own; not `asyncio.to_thread` over the shared connection, which would use "
                    "it from two threads at once.")
    return f


def sync_by_design(f: Finding) -> Finding:
    """A synchronous query in a coroutine of a project with no async database driver: `low`, saying why."""
    f.severity = Severity.low
    f.message += ("; the project imports no async database driver, so its coroutines run the synchronous one by design (a "
                  "session shared between handlers, each transaction kept between two awaits): moving this call to a thread "
                  "would hand that session to another thread, so it matters only where many requests wait on one event loop")
    return f


def runs_alone(index, module: ModuleFacts, fn: Function, line: int, depth: int = 6) -> str:
    """Where a coroutine runs alone on its event loop, for its blocking call at `line`: every call in the project reaches
    it through awaits, one at a time (no task, `gather` or `async with` block of any of them around it), from synchronous
    code that starts the loop for it (`asyncio.run(self.async_run(args))`, or a helper wrapping it). Nominatim's import and
    replication commands (round 136: 21 PF801 judged N): the loop has nothing else to run while the call blocks. The
    first such start, as "`asyncio.run(...)` in `Setup.run`"; "" when any caller is not known to be one."""
    if depth == 0 or any(start <= line <= end for start, end in fn.beside):
        return ""
    if fn.command and fn.is_async and (cli := command_line(module.imports)):
        # Runestone's `rsmanage` commands (asyncclick, round 175: 3 PF801 judged N RARE): the library runs each command
        # on a loop of its own; not a chat bot's `@bot.command()`, whose handlers share the bot's loop
        return f"{cli}'s command runner"
    if fn.registers:
        return ""
    starts = []
    for caller_module, caller, call in index.callers(module.key(fn.qualname)):
        if is_test(caller_module.path) or caller is fn:
            continue
        if caller.is_async:
            found = runs_alone(index, caller_module, caller, call.span.line, depth - 1) if call.awaited else ""
        else:
            found = f"`{call.run_by}(...)` in `{caller.qualname}`" if call.run_by else ""
        if not found:
            return ""
        starts.append(found)
    return min(starts, default="")


def alone(f: Finding, start: str) -> Finding:
    """A blocking call in a coroutine that runs alone on its loop (runs_alone): `low`, saying where the loop starts."""
    f.severity = Severity.low
    f.message += (f"; but this coroutine runs alone on the event loop {start} starts, awaited one step at a time with no "
                  "task or gathered coroutine beside it, so the wait holds up nothing else")
    return f
