"""PF801 / PF802: blocking calls inside coroutines, and awaits run one after another per item."""

from __future__ import annotations

import ast
import functools
import re

from . import apis
from .nodes import dotted, last_name, on_self
from .pattern_state import FnState, LoopInfo
from .walk import is_builtin

ORDERED_AWAITS = frozenset({
    "sleep", "send", "sendall", "write", "drain", "put", "acquire", "wait", "join", "release", "close", "commit", "rollback",
    "flush", "send_message", "ack", "nack", "lock", "wait_for", "receive", "recv", "read", "readline", "get_nowait",
    # a websocket's messages to its one client (Channels' `send_json`, Starlette's `send_text`, aiohttp's `send_str`)
    "send_json", "send_text", "send_bytes", "send_str",
    # lines shown to the one reader of a terminal or a chat (JumpServer's `await display(f"{k}: {v}")`), in their order
    "display", "echo", "print", "output", "reply", "write_message",
    # log and progress notifications (`await ctx.info(...)`, `await ctx.report_progress(...)`): their order is their meaning
    "debug", "info", "warning", "warn", "error", "exception", "critical", "log", "report_progress", "progress", "emit", "publish",
})

BLOCKING_CALLS = {
    "time.sleep": "`time.sleep` blocks the event loop; use `await asyncio.sleep(...)`",
    "subprocess.run": "`subprocess.run` blocks the event loop; use `asyncio.create_subprocess_exec`",
    "subprocess.call": "`subprocess.call` blocks the event loop; use `asyncio.create_subprocess_exec`",
    "subprocess.check_call": "`subprocess.check_call` blocks the event loop; use `asyncio.create_subprocess_exec`",
    "subprocess.check_output": "`subprocess.check_output` blocks the event loop; use `asyncio.create_subprocess_exec`",
    "os.system": "`os.system` blocks the event loop; use `asyncio.create_subprocess_shell`",
    "urllib.request.urlopen": "`urlopen` blocks the event loop; use an async HTTP client (httpx.AsyncClient, aiohttp)",
    "sqlite3.connect": "`sqlite3` is a synchronous driver: every query blocks the event loop; use aiosqlite or `asyncio.to_thread`",
    "psycopg2.connect": "`psycopg2` is a synchronous driver; use `psycopg.AsyncConnection` or asyncpg",
    "psycopg.connect": "`psycopg.connect` opens a synchronous connection; use `await psycopg.AsyncConnection.connect(...)`",
    "pymysql.connect": "`pymysql` is a synchronous driver; use aiomysql or `asyncio.to_thread`",
    "open": ("`open()` reads a local file on the event loop, which stops only as long as the disk takes (usually well under a "
             "millisecond): worth `asyncio.to_thread` (or aiofiles) for large files or a network disk"),
}


def _async_handle(call: ast.Call, fn: ast.AsyncFunctionDef) -> bool:
    """`session.execute(...)` on a parameter annotated as an async session or connection (`session: AsyncSession`): the
    call makes a coroutine, awaited where it is kept (Deepchecks' check windows, `{"query": session.execute(q)}` awaited
    later: 7 PF801 judged NOTQUERY, round 267). Nothing blocks here."""
    receiver = call.func.value if type(call.func) is ast.Attribute else None
    while type(receiver) is ast.Call and type(receiver.func) is ast.Attribute:
        receiver = receiver.func.value  # `session.execute(stmt).values(...)`: the chain's root
    if type(receiver) is not ast.Name:
        return False
    args = fn.args
    annotation = next((a.annotation for a in (*args.posonlyargs, *args.args, *args.kwonlyargs) if a.arg == receiver.id), None)
    if annotation is None:  # (not `self`: a method of its own awaited elsewhere says nothing of this one)
        return receiver.id not in ("self", "cls") and _awaited_elsewhere(fn, receiver.id)
    # (every type it may be: `AsyncSession | Session` is a synchronous session in one branch, aiogram shop's helper)
    types = [w for w in re.findall(r"\w+", ast.unparse(annotation)) if w not in _TYPING_WORDS]
    return bool(types) and all("Async" in w for w in types)


_TYPING_WORDS = frozenset({"None", "Optional", "Union", "typing", "t"})


def _awaited_elsewhere(fn: ast.AsyncFunctionDef, name: str) -> bool:
    """The function awaits a method of `name` elsewhere, enters `async with name.begin():` or binds it by `async with ...
    as name:`: an async session (pity's DAOs, `async with session.begin(): await session.execute(...)`, round 273: 3
    PF801 judged false)."""
    for n in ast.walk(fn):
        if type(n) is ast.AsyncWith and any(type(i.optional_vars) is ast.Name and i.optional_vars.id == name for i in n.items):
            return True  # `async with async_session() as session:`
        calls = [n.value] if type(n) is ast.Await else [i.context_expr for i in n.items] if type(n) is ast.AsyncWith else []
        for call in calls:
            if type(call) is ast.Call and type(call.func) is ast.Attribute and type(call.func.value) is ast.Name \
                    and call.func.value.id == name:
                return True
    return False


class Async:
    # PF801 / PF802 ------------------------------------------------------------------------------------------
    def blocking(self, node: ast.Call, fn: FnState, full: str, method: str | None) -> None:
        reason = BLOCKING_CALLS.get(full)
        if full == "open" and "open" in self.facts.imports:
            reason = None
        if reason is None and (full.startswith("requests.") and last_name(node.func) in apis.HTTP_METHODS):
            reason = f"`{full}` is a blocking HTTP call; use httpx.AsyncClient or aiohttp and await it"
        sink = self.sinks.get((node.lineno, node.col_offset + 1))
        if reason is None and sink is not None and not sink.awaited and sink.framework in ("dbapi", "django", "sqlalchemy") and sink.kind == "db" \
                and sink.confidence == "high" and id(node) not in self.handed_lazy \
                and id(node) not in gathered(fn.node) and id(node) not in handed_querysets(fn.node) and not _async_handle(node, fn.node):
            # (a lazy queryset built here may well be consumed with `async for`)
            if sink.framework == "django":
                reason = f"`{sink.api}` runs a synchronous Django query (SynchronousOnlyOperation in async code); use the `a`-prefixed method (`aget`, `acount`...) or `sync_to_async`"
            else:
                reason = f"`{sink.api}` is not awaited: {SYNC_DRIVER} that blocks the event loop"
        if reason and full == "open":
            # a local file: judged on real applications, 0 of 29 such findings were worth acting on (a config, a template, an
            # upload's bytes handed to a client); the disk answers long before a request would notice
            self.hit("PF801", node, f"blocking call inside `async def {fn.node.name}`: {reason}", "high", severity="low")
        elif reason:
            self.hit("PF801", node, f"blocking call inside `async def {fn.node.name}`: {reason}", "high" if sink is None else sink.confidence)

    def sequential_awaits(self, node: ast.For, loop: LoopInfo) -> None:
        if any(isinstance(n, (ast.Break, ast.Return)) for n in ast.walk(node)):
            return  # stops at the first answer: each call depends on the previous one's result
        if any(isinstance(n, ast.Call) and last_name(n.func) == "sleep" for n in ast.walk(node)):
            return  # paced on purpose (a pause every ten mails, a rate limit): running them together defeats it
        targets = {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
        # `value = await hook(value, item)`, at any depth of the body (a `try:` around it): each call takes the previous answer
        rebinds = {id(n.value.value): _assigned(n) for n in ast.walk(node)
                   if type(n) in (ast.Assign, ast.AugAssign, ast.AnnAssign) and type(n.value) is ast.Await}
        for stmt in node.body:
            for n in ast.walk(stmt):
                if not (isinstance(n, ast.Await) and isinstance(n.value, ast.Call)):
                    continue
                call = n.value
                name = last_name(call.func) or ""
                if name in ORDERED_AWAITS or (call.lineno, call.col_offset + 1) in self.sinks:
                    continue  # ordered by nature, or a query / remote call that the N+1 rules report
                if name in self.awaitless and (dotted(call.func) or "") in (name, f"self.{name}"):
                    continue  # a coroutine of this module that never waits (ArchiveBox's `enqueue_snapshot`: a create_task)
                if _on_a_connection(call) or _one_thread(call):
                    continue  # one session, connection or thread runs one call at a time: `gather` would change nothing
                if self.sockets and self.sockets[-1] and on_self(call):
                    continue  # a websocket consumer's own method: it answers the one client, in order (c3nav's mesh UI)
                used = {m.id for a in (*call.args, *(k.value for k in call.keywords)) for m in ast.walk(a) if isinstance(m, ast.Name)}
                if used & rebinds.get(id(call), set()):
                    continue  # each call takes the previous one's answer, in order
                if used & targets:
                    self.hit("PF802", call, f"`await {name}(...)` runs once per item of the loop at line {node.lineno}, each waiting for "
                             "the previous one to finish", "medium", [self.loop_evidence(loop)])
                    return


SYNC_DRIVER = "a synchronous driver call"  # what PF801 says of a query on a synchronous driver (cross.py reads it back)
# the test of a branch taken when there is no thread to hand work to (`if self.ds.executor is None:`)
_THREADS = re.compile(r"executor|thread|pool", re.I)
_OFFLOADS = frozenset({"run_in_executor", "to_thread", "run_sync", "sync_to_async", "run_in_threadpool"})


def unthreaded(fn: ast.FunctionDef | ast.AsyncFunctionDef, nodes: list[ast.AST] | None = None) -> tuple[tuple[int, int], ...]:
    """The lines of a coroutine's `if` bodies taken when there is no thread to hand work to (`if self.executor is None:`),
    where the coroutine hands it to one otherwise (`run_in_executor`, `to_thread`): its mode without threads, kept on purpose
    (Datasette's non-threaded mode, for Pyodide: round 101, 4 PF801 judged WRONGFIX)."""
    if not isinstance(fn, ast.AsyncFunctionDef):
        return ()
    nodes = list(own_nodes(fn)) if nodes is None else nodes
    if not any(type(n) is ast.Call and _offloads(n) for n in nodes):
        return ()
    return tuple((n.body[0].lineno, n.body[-1].end_lineno or n.body[-1].lineno) for n in nodes if type(n) is ast.If and any(
        _THREADS.search(x.id if type(x) is ast.Name else x.attr) for x in ast.walk(n.test) if type(x) in (ast.Name, ast.Attribute)))


def _offloads(call: ast.Call) -> bool:
    """`run_in_executor(...)`, `asyncio.to_thread(...)`, `self._send_to_write_thread(...)`, `self.executor.submit(...)`."""
    name = last_name(call.func) or ""
    return name in _OFFLOADS or "thread" in name or (
        name == "submit" and type(call.func) is ast.Attribute and _THREADS.search(dotted(call.func.value) or "") is not None)


def awaitless_coroutines(tree: ast.Module) -> frozenset[str]:
    """Names of the module's `async def`s (functions and methods) whose own body has no `await`, `async for` or `async with`."""
    return frozenset(node.name for node in ast.walk(tree) if isinstance(node, ast.AsyncFunctionDef) and never_waits(node))


def never_waits(node: ast.AsyncFunctionDef, nodes: list[ast.AST] | None = None) -> bool:
    """An `async def` whose own body has no `await`, `async for` or `async with`: awaiting it runs it to the end at once."""
    return not any(isinstance(n, (ast.Await, ast.AsyncFor, ast.AsyncWith)) for n in (own_nodes(node) if nodes is None else nodes))


# what starts work that runs on the loop beside the coroutine: tasks, gathered or raced coroutines, task groups
_SPAWNS = frozenset({"gather", "create_task", "ensure_future", "as_completed", "wait", "TaskGroup", "start_soon",
                     "run_coroutine_threadsafe", "Task"})


def beside(fn: ast.AsyncFunctionDef, nodes: list[ast.AST]) -> tuple[tuple[int, int], ...]:
    """The lines of a coroutine where other work may run on its event loop: the body of each `async with` (a pool's
    workers, a task group), and, when it starts tasks or gathers coroutines itself, its statements from the first one
    that does (a loop holding it from the loop's start). Elsewhere it awaits one thing at a time (run_loops.runs_alone):
    sbc-auth's token fetch before the requests it gathers (round 139: 2 PF801 judged false)."""
    spawns = [n.lineno for n in nodes if type(n) is ast.Call and last_name(n.func) in _SPAWNS]
    blocks = [(n.body[0].lineno, n.body[-1].end_lineno or n.body[-1].lineno) for n in nodes if type(n) is ast.AsyncWith]
    if spawns:
        first = min(spawns)
        start = next((s.lineno for s in fn.body if s.lineno <= first <= (s.end_lineno or s.lineno)), fn.lineno)
        blocks.append((start, fn.end_lineno or fn.lineno))
    return tuple(blocks)


_SCHEDULERS = frozenset({"gather", "create_task", "ensure_future", "wait_for", "shield", "wait", "as_completed"})


@functools.lru_cache(maxsize=8)  # asked for each query of one coroutine: its body is walked once
def gathered(fn: ast.AST | None) -> frozenset[int]:
    """The calls whose coroutine a coroutine hands to asyncio to await: `asyncio.gather(self.db.execute(...), ...)`, or
    each of a list it then gathers (`ops = [self.db.execute(...), ...]`, `await asyncio.gather(*ops)`: the Low Carbon
    Fuel Standard's report deletion, round 147: 11 PF801 judged false). Ids of the Call nodes."""
    if not isinstance(fn, ast.AsyncFunctionDef):
        return frozenset()
    nodes = list(own_nodes(fn))
    handed = [n for n in nodes if type(n) is ast.Call and last_name(n.func) in _SCHEDULERS]
    names = {a.value.id for c in handed for a in c.args if type(a) is ast.Starred and type(a.value) is ast.Name} \
        | {a.id for c in handed for a in c.args if type(a) is ast.Name}
    out = {id(a) for c in handed for a in c.args if type(a) is ast.Call}
    for n in nodes:
        if type(n) is ast.Assign and len(n.targets) == 1 and type(n.targets[0]) is ast.Name and n.targets[0].id in names \
                and type(n.value) in (ast.List, ast.Tuple):
            out |= {id(e) for e in n.value.elts if type(e) is ast.Call}
    return frozenset(out)


@functools.lru_cache(maxsize=8)  # asked for each query of one coroutine: its body is walked once
def handed_querysets(fn: ast.AST | None) -> frozenset[int]:
    """A lazy queryset a coroutine binds to a local and only hands on (`With(rows, name="named")`, a helper's argument),
    never iterating it itself: whoever consumes it runs the query, here with `async for` (MapSwipe's contribution map, a
    CTE joined and read with `async for`, round 150: judged false). Ids of each Call of its chain."""
    if not isinstance(fn, ast.AsyncFunctionDef):
        return frozenset()
    nodes = list(own_nodes(fn))
    chains = {n.targets[0].id: n.value for n in nodes if type(n) is ast.Assign and len(n.targets) == 1 and type(n.targets[0]) is ast.Name
              and type(n.value) is ast.Call and type(n.value.func) is ast.Attribute and n.value.func.attr in apis.DJANGO_BUILDING}
    if not chains:
        return frozenset()
    handed, read = set(), set()
    for n in nodes:
        if type(n) is ast.Call:
            named = {a.id for a in (*n.args, *(k.value for k in n.keywords)) if type(a) is ast.Name}
            short = last_name(n.func) or ""
            (read if is_builtin(short) or short in apis.CONSUMING else handed).update(named)  # as patterns' handed_lazy reads them
        elif type(n) in (ast.For, ast.comprehension) and not getattr(n, "is_async", False) and type(n.iter) is ast.Name:
            read.add(n.iter.id)
    out: set[int] = set()
    for name in handed - read:
        call = chains.get(name)
        while type(call) is ast.Call and type(call.func) is ast.Attribute:  # each call of the chain starts there
            out.add(id(call))
            call = call.func.value
    return frozenset(out)


def own_nodes(fn: ast.FunctionDef | ast.AsyncFunctionDef):
    """The nodes of a function's body, not of the functions and lambdas defined in it."""
    stack = list(fn.body)
    while stack:
        n = stack.pop()
        yield n
        stack.extend(c for c in ast.iter_child_nodes(n) if not isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))


_SOCKET_BASE = re.compile(r"Web[sS]ocket(Consumer|Endpoint|Handler)$")


def is_socket_consumer(node: ast.ClassDef) -> bool:
    """A class whose base is a websocket consumer (Channels' `AsyncJsonWebsocketConsumer`, Starlette's
    `WebSocketEndpoint`, tornado's `WebSocketHandler`): an instance serves one client connection."""
    return any(_SOCKET_BASE.search(last_name(b) or "") for b in node.bases)


def _assigned(stmt: ast.stmt) -> set[str]:
    """The names a statement rebinds (`value = ...`, `a, value = ...`, `value += ...`; not the `d` of `d[k] = ...`)."""
    targets = stmt.targets if type(stmt) is ast.Assign else [stmt.target] if type(stmt) in (ast.AugAssign, ast.AnnAssign) else []
    names = set()
    for t in targets:
        for e in (t.elts if type(t) in (ast.Tuple, ast.List) else [t]):
            if type(e) is ast.Name:
                names.add(e.id)
    return names


def _one_thread(call: ast.Call) -> bool:
    """`await sync_to_async(tag.tag_object)(obj)`: asgiref's default (`thread_sensitive=True`) runs every such call on one
    thread, one after another, so starting them together gains nothing (CourtListener's tagging). So does Django's
    async ORM (`await Image.objects.acreate(...)`, `await row.asave()`), which is that same wrapper (Fidus Writer)."""
    wrap = call.func
    if type(wrap) is ast.Attribute and (wrap.attr in _ROW_ASYNC or (wrap.attr in apis.DJANGO_ASYNC and _on_a_manager(wrap.value))):
        return True
    return type(wrap) is ast.Call and last_name(wrap.func) in ("sync_to_async", "database_sync_to_async") and not any(
        k.arg == "thread_sensitive" and type(k.value) is ast.Constant and k.value.value is False for k in wrap.keywords)


def _on_a_manager(node: ast.AST) -> bool:
    """`Image.objects` somewhere down the chain (`Image.objects.filter(...)`)."""
    while type(node) in (ast.Call, ast.Attribute):
        if type(node) is ast.Attribute and node.attr == "objects":
            return True
        node = node.func if type(node) is ast.Call else node.value
    return False


_ROW_ASYNC = frozenset({"asave", "adelete", "arefresh_from_db"})  # a model row's own async methods
# a repository, or a service layer's object holding the request's session (Tracecat's `registry_svc`, `preset_svc`,
# `self.folder_service`: round 51, judged WRONGFIX, since `gather` over one AsyncSession fails)
_REPOSITORY = re.compile(r"(^|_)(repository|repo|service|svc)$", re.I)


def _on_a_connection(call: ast.Call) -> bool:
    """`await repository.get(id)`, `await registry_svc.get(name)`, `await service.get(session, id)`,
    `await session.refresh(row)`: the call uses the database session or connection, which runs one statement at a time
    (SQLAlchemy's AsyncSession and an asyncpg connection refuse concurrent use). Read on real applications (issue 15,
    round 12), most awaits per item were these: per-item queries, which the N+1 rules report when they can follow the
    call, never a case for `gather`."""
    if any(type(n) is ast.Attribute and n.attr == "awaitable_attrs" for n in ast.walk(call)):
        return True  # SQLAlchemy's `await getattr(row.awaitable_attrs, name)`: a load through the row's session (Spoolman)
    receiver = last_name(call.func.value) if isinstance(call.func, ast.Attribute) else None
    if receiver and (apis.looks_like_db_name(receiver) or _REPOSITORY.search(receiver)):
        return True
    return any(apis.looks_like_db_name(last_name(a) or "") for a in (*call.args, *(k.value for k in call.keywords)))
