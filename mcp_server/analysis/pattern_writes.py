"""PF201 / PF202: writes and commits once per row of a loop, and the batch fix for each framework."""

from __future__ import annotations

import ast
import re

from . import apis, loop_size, row_writes
from .facts import Hit
from .nodes import dotted, last_name, span
from .pattern_sql import prepared_statement
from .pattern_state import FnState, LoopInfo, capword, chain_root, core_write, item_names, method_chain
from .walk import ends_the_loop_after, iterates_batches, names_a_batch

_FORMS = re.compile(r"form|serializer", re.I)

# a loop that publishes its progress commits each step on purpose, so that what is reported done is done
_PROGRESS = re.compile(r"progress|update_state|set_status|report_status|^(info|log|debug|warning|print|echo|write|emit|publish)$", re.I)


class Writes:
    # PF201 / PF202 ------------------------------------------------------------------------------------------
    def per_row_write(self, node: ast.Call, fn: FnState | None, loop: LoopInfo, method: str | None, full: str, loops=()) -> None:
        if method not in _WRITE_METHODS or any(isinstance(n, ast.Slice) for n in ast.walk(node)):
            return  # not a write, or writes a slice of the rows per iteration: already batched
        if method in ("execute", "executescript") and _chunks(loop):
            return  # a statement per chunk of rows (`for batch in range(batch_count):`, `range(0, n, 500)`): the batching itself
        if ends_the_loop_after(loop.node, node):
            return  # `db.commit()` then `return OK` in the loop's body: the first item that gets there is the last
        if method == "execute" and _writes_collected(node, loop):
            return  # `execute(table.insert(), rows)` of the rows the loop collects: one statement per batch
        if (self.nested and method != "commit") or (self.savepoints and method in ("flush", "save")):
            # inside a per-row savepoint (`with session.begin_nested():`, `transaction.atomic()`), or a row flushed or
            # saved in a `try` that catches its IntegrityError: each row may fail alone, on purpose (Tracecat's batch
            # case delete reports each failure: round 51, judged WRONGFIX); one statement for all would let one bad
            # row undo the rest. (A `create()` in such a `try` has its batch form: `bulk_create(ignore_conflicts=True)`.)
            return
        if method in ("execute", "executescript", "commit") and type(node.func.value) is ast.Name and node.func.value.id in item_names(loops or [loop]):
            # a connection or cursor of the item's own (`with connections[sc.name].cursor() as cursor:`): a different
            # database each pass, which no one statement or transaction reaches (frePPLe's scenarios, round 133: WRONGFIX)
            return
        ev = [self.loop_evidence(loop)]
        severity, tail = None, ""
        if method in ("execute", "executescript", "flush") and row_writes.unsized_statement(
                [lp for lp in loops if lp.per_item] or [loop], self.facts.path, getattr(fn.node, "name", "") if fn else ""):
            severity, tail = "low", loop_size.UNSIZED  # (Django's writes are judged by row_writes.judge)
        if method in ("execute", "executescript") and node.args and fn is not None:
            sql = self.sql_text(node.args[0], fn)
            sql = sql and prepared_statement(sql, fn.node)
            first = node.args[0]
            if sql and apis.is_write(sql):
                verb = sql.split(None, 1)[0].upper()
                self.hit("PF201", node, f"one {verb} per item of the loop at line {loop.node.lineno}: a round trip and a statement per row"
                         + tail, "high", ev + [("query", sql[:200], span(first))], suggestion=_write_fix(verb, "dbapi"), severity=severity)
            elif (written := _statement(first, fn)) and not _per_table(written[1], loop):
                verb = written[0]
                self.hit("PF201", node, f"one {verb} statement per item of the loop at line {loop.node.lineno}" + tail, "high", ev,
                         suggestion=_write_fix(verb, "sqlalchemy"), severity=severity)
            return
        if method == "flush" and loop.conditional == 0 and isinstance(node.func.value, (ast.Name, ast.Attribute)) \
                and apis.looks_like_session_name(last_name(node.func.value) or "") and _pends(loop.node):
            self.hit("PF201", node, f"`session.flush()` per item of the loop at line {loop.node.lineno} sends each pending row on its own"
                     + tail, "high", ev, suggestion=_write_fix("INSERT", "sqlalchemy"), severity=severity, params=_set_on_rows(loop))
            return
        if method == "commit" and not node.args and loop.conditional == 0 and not self.committing_alone:
            recv = last_name(node.func.value) or ""
            if _STAND_IN.search(self.facts.imports.get(recv, "").rpartition(".")[2]):
                return  # `from .utils import dummy_transaction as transaction`: a stand-in whose commit() does nothing
            if not (apis.looks_like_db_name(recv) or recv in ("transaction", "db", "session")):
                return
            if self.publishes_progress(loop) or _sends_after(loop, node) or _recovers_before(loop, node) or _locks_rows(loop) \
                    or _session_per_item(loop, node, recv):
                # a commit per item on purpose, before a mail or a progress report: no finding, but it still expires the
                # session's rows on every pass, which an eager load offered for the loop must know (warmed_session)
                self.hits.append(Hit("PF202", span(node), "", "low", self.text(node), tuple(ev), "", row_writes.QUIET))
            elif self.first_commit_of(loops):
                self.hit("PF202", node, f"`{recv}.commit()` on every iteration of the loop at line {loop.node.lineno}: one transaction "
                         "(and one disk sync) per row", "high", ev)
            return
        if method is None:
            return
        chain = method_chain(node)
        root = chain_root(node)
        if method == "delete" and chain == ["delete"]:
            return  # `Contact.objects.delete(c)`: a manager has no delete() (only a queryset does), so it raises, writing nothing
        if method in ("create", "update", "delete", "get_or_create", "update_or_create") and isinstance(root, ast.Attribute) \
                and capword(dotted(root.value) or "") and (root.attr == "objects" or root.attr.endswith("objects")):
            model = dotted(root.value)
            self.django_write(node, fn, method, loops, f"`{model}.{root.attr}.{'.'.join(chain)}()` writes one row per item of the loop at line "
                              f"{loop.node.lineno}", "high", ev)
        elif method == "save" and not node.args and loop.conditional == 0 and isinstance(node.func.value, ast.Name) \
                and node.func.value.id in loop.bound and not _FORMS.search(loop.header) and not self.not_django:
            # `column.save(obj)` is another save, a guarded save is no batch, and forms and serializers save one by one by design
            obj = node.func.value.id
            built = constructed(loop, obj)
            if built is not None:  # `speaker = Speaker(...)` in the loop: the model whose save() and signals decide (own_saves)
                ev = [*ev, ("constructed", f"{dotted(built.func)}(...)", span(built))]
            self.django_write(node, fn, method, loops, f"`{obj}.save()` writes one row per item of the loop at line {loop.node.lineno}", "medium", ev)

    def django_write(self, node: ast.Call, fn: FnState | None, method: str, loops: tuple[LoopInfo, ...], message: str, confidence: str, ev: list) -> None:
        """PF201 for a Django write per row, if row_writes.judge finds it worth a finding (at its severity, with its reason)."""
        severity, why = row_writes.judge(node, method, [lp for lp in loops if lp.per_item], self.facts.path, fn.node if fn else None,
                                         self.classes[-1] if self.classes else None, self.overridden_saves)
        if severity == row_writes.DROP or any(_bulk_write(b) for b in self.other_branches) \
                or (severity == row_writes.LOW and self.grouped("PF201", fn, why, node, ev)):  # (not reported, the fallback of a bulk write, counted)
            if method in ("get_or_create", "update_or_create"):  # also a query per row: NP101 must not report what PF201 judged
                self.hits.append(Hit("PF201", span(node), why, "low", self.text(node), (), "", row_writes.QUIET))
            return
        self.hit("PF201", node, message + why, confidence, ev, suggestion=_write_fix(method, "django"), severity=severity)
        if severity == row_writes.LOW:
            self.start_group("PF201", fn, why, node)

    def first_commit_of(self, loops: tuple[LoopInfo, ...]) -> bool:
        """One PF202 per outermost loop: commits in the loops nested in it are the same problem, with the same fix."""
        outer = id(next((lp for lp in loops if lp.per_item), loops[-1]).node)
        if outer in self.commit_loops:
            return False
        self.commit_loops.add(outer)
        return True

    @staticmethod
    def publishes_progress(loop: LoopInfo) -> bool:
        """A call in the loop that reports progress or logs a step (`job.update_state(...)`, `logger.info(...)`)."""
        return any(isinstance(n, ast.Call) and _PROGRESS.search(last_name(n.func) or "") for part in loop.parts for n in ast.walk(part))


# a message that leaves the process: a mail, a notification, a job handed to a worker
_SENDS = re.compile(r"(^|_)(send|mail|email|notify|deliver|enqueue|delay|apply_async)(_|$)|^send", re.I)


def _writes_collected(call: ast.Call, loop: LoopInfo) -> bool:
    """A statement handed a list the loop appends each item to (`to_add.append(row)`, then `execute(insert(),
    list(map(row2dict, to_add)))` every thousand): the rows collected so far, sent together (Recosanté's newsletter
    rows, round 97: judged false)."""
    if any(type(a) is ast.ListComp for a in call.args[1:2]):
        # `execute(insert(table), [{column.key: v} for v in missing])`: this item's many rows in one statement (Phoenix's
        # enum tables, one executemany per table, round 100: judged false)
        return True
    collected = {n.func.value.id for part in loop.parts for n in ast.walk(part)
                 if type(n) is ast.Call and type(n.func) is ast.Attribute and n.func.attr in ("append", "extend")
                 and type(n.func.value) is ast.Name}
    return bool(collected) and any(type(n) is ast.Name and n.id in collected for a in call.args[1:] for n in ast.walk(a))


def _sends_after(loop: LoopInfo, commit: ast.Call) -> bool:
    """The item's own message goes out after its commit (`db.session.commit()` then `send_reset_password_instructions(user)`):
    the commit per row is what the message relies on, and one commit after the loop would send for rows a later failure
    rolls back (Abilian SBE's member wizard, round 87: judged WRONGFIX)."""
    return any(isinstance(n, ast.Call) and n.lineno > commit.lineno and _SENDS.search(last_name(n.func) or "")
               for part in loop.parts for n in ast.walk(part))


def _locks_rows(loop: LoopInfo) -> bool:
    """The iteration locks its rows (`with_for_update()`, `select_for_update()`, `FOR UPDATE`): the commit per pass is
    what releases them, so that no lock is held for the whole run (Dropbox's Changes locks each revision it syncs,
    round 176: judged WRONGFIX)."""
    return any((type(n) is ast.Call and last_name(n.func) in ("with_for_update", "select_for_update"))
               or (type(n) is ast.Constant and isinstance(n.value, str) and "FOR UPDATE" in n.value.upper())
               for part in loop.parts for n in ast.walk(part))


# what a database raises when a row's write fails: the session is rolled back before the loop goes on
_DB_ERROR = re.compile(r"^(Integrity|Database|DB|DBAPI|SQLAlchemy|Operational)Error$")


def _recovers_before(loop: LoopInfo, commit: ast.Call) -> bool:
    """The iteration tries a write and catches the database's error before its commit (`try: dao.create_package(...)
    except DBError: update the existing one`): a failed write rolls the session back, which would take every row not
    yet committed with it, so the commit per row is what keeps the rows before (Quetz's channel mirror, whose
    `create_package` rolls back on a duplicate: round 168, judged WRONGFIX)."""
    return any(type(stmt) is ast.Try and stmt.lineno < commit.lineno and any(
        h.type is not None and any(_DB_ERROR.match(last_name(n) or "") for n in ast.walk(h.type)) for h in stmt.handlers)
        for part in loop.parts for stmt in ast.walk(part))


def _session_per_item(loop: LoopInfo, commit: ast.Call, recv: str) -> bool:
    """The iteration opens its own session (`with new_session() as session, skipped(session):`) beside a handler of its
    failure (another context manager of the same `with`, or a `try` in the iteration) and commits that one: each item is
    its own unit of work, so a failed item rolls back alone (Credere's previous awards, whose handler rolls back and logs
    a skipped award: round 190, judged WRONGFIX); one transaction for all would lose the good ones with it. A session
    per item with no handler is only a session too many: reported."""
    handled = any(type(stmt) is ast.Try for part in loop.parts for stmt in ast.walk(part))
    return any(type(stmt) in (ast.With, ast.AsyncWith) and stmt.lineno < commit.lineno <= (stmt.end_lineno or 0)
               and any(type(item.optional_vars) is ast.Name and item.optional_vars.id == recv for item in stmt.items)
               and (handled or len(stmt.items) > 1)
               for part in loop.parts for stmt in ast.walk(part))


def constructed(loop: LoopInfo, name: str) -> ast.Call | None:
    """`name = Model(...)` in the loop's body: the constructor call (a capitalised name), or None."""
    for part in loop.parts:
        for n in ast.walk(part):
            if type(n) is ast.Assign and len(n.targets) == 1 and type(n.targets[0]) is ast.Name and n.targets[0].id == name \
                    and type(n.value) is ast.Call and capword((dotted(n.value.func) or "").rpartition(".")[2]):
                return n.value
    return None


# the parts of the Django advice that need a newer Django than some projects declare (versions.fit_advice rewrites them)
BULK_UPDATE = "`bulk_update(objs, fields, batch_size=1000)` for changed ones"  # Django 2.2
BULK_UPDATE_VALUES = "or `bulk_update` for per-row values"  # Django 2.2
UPSERT = ("; for update_or_create, `bulk_create(objs, update_conflicts=True, unique_fields=[...], update_fields=[...])` "
          "(PostgreSQL, SQLite) does both in one statement")  # Django 4.1


def _write_fix(verb: str, framework: str) -> str:
    if framework == "django" and verb in ("get_or_create", "update_or_create"):
        return ("Read the existing rows once (`Model.objects.filter(key__in=keys)` into a dict), then write the missing ones with "
                f"`bulk_create(objs, batch_size=1000)`{UPSERT}.")
    if framework == "django":
        if verb in ("create", "save"):
            return ("Collect the objects and write them at once: `Model.objects.bulk_create(objs, batch_size=1000)` for new rows, "
                    f"{BULK_UPDATE}, or a single `filter(...).update(...)` when every row gets "
                    "the same change. These skip the model's save() and its pre/post_save signals (change logs, caches): when the "
                    "model relies on them, run that logic once for the batch, or keep the loop.")
        return f"Do it in one statement: `Model.objects.filter(pk__in=keys).update(...)` / `.delete()`, {BULK_UPDATE_VALUES}."
    if framework == "sqlalchemy":
        return ("Add every object and flush once, or send one statement for all rows: `session.execute(insert(Model), rows)` "
                "(executemany) / `update(Model)` with a list of dicts (bulk UPDATE by primary key).")
    return ("Send all rows in one call: `cursor.executemany(sql, rows)`, a multi-row `VALUES (...), (...)`, or on PostgreSQL "
            "`COPY ... FROM STDIN` (psycopg `cursor.copy`) or `execute_values`; commit once per batch.")


_STAND_IN = re.compile(r"(^|_)(dummy|fake|noop|null|mock)(_|$)", re.I)
_WRITE_METHODS = frozenset({"execute", "executescript", "flush", "commit", "create", "update", "delete", "get_or_create", "update_or_create", "save"})


def _bulk_write(stmts: list[ast.stmt]) -> bool:
    """`Model.objects.bulk_create(objs)` among these statements: `if backend_can_bulk: bulk_create(...) else: for o in objs: o.save()`."""
    return any(type(n) is ast.Call and isinstance(n.func, ast.Attribute) and n.func.attr in ("bulk_create", "bulk_update")
               for stmt in stmts for n in ast.walk(stmt))


def _statement(node: ast.AST, fn: FnState) -> tuple[str, ast.AST] | None:
    """The Core write `node` is, written there or bound to the name it is (`stmt = insert(Event).values(...)`, then
    `stmt = stmt.on_conflict_do_update(...)`, `session.execute(stmt)`: agenta's event ingestion, round 100, reported as a
    query per item with a lookup's fix): its verb and the call it is built from."""
    if (verb := core_write(node)) is not None:
        return verb, node
    return fn.statements.get(node.id) if type(node) is ast.Name else None


# what leaves an object pending in the session for a flush to send (an attribute set on a row counts too)
_PENDING = frozenset({"add", "add_all", "delete", "merge", "append", "extend", "remove", "setdefault"})
# calls that leave nothing pending: sending a statement and building it (`table.update().where(...).values(...)`,
# `query(...).filter(...).update({...})`), logging, builtins; any other call handed arguments may change a row it is given
_SENDS_OR_READS = frozenset({"execute", "flush", "commit", "update", "where", "values", "filter", "filter_by", "query", "in_",
                             "and_", "or_", "select", "text", "bindparam", "info", "debug", "warning", "error", "exception",
                             "log", "print", "len", "str", "int", "bool", "list", "set", "dict", "tuple", "sorted", "items",
                             "keys", "get", "format", "join", "iter", "next", "range", "enumerate", "zip", "isinstance"})


def _pends(loop: ast.AST) -> bool:
    """The loop's body may leave something pending: it sets an attribute, adds, deletes or merges an object, changes a
    collection, builds an object (`Line(order=order)` joins its order's session by cascade), or hands arguments to a
    call that may change them (`apply_discount(invoice)`). A body that only builds and sends statements
    (`session.execute(table.update()...)`) and logs leaves the flush nothing to send (Funnel's account merge, round
    113: judged false)."""
    for n in ast.walk(loop):
        if type(n) in (ast.Assign, ast.AugAssign, ast.AnnAssign):
            targets = n.targets if type(n) is ast.Assign else [n.target]
            if any(type(t) in (ast.Attribute, ast.Subscript) for target in targets for t in ast.walk(target)):
                return True
        elif type(n) is ast.Call:
            name = last_name(n.func) or ""
            if (name in _PENDING and type(n.func) is ast.Attribute) or capword(name) or \
                    ((n.args or n.keywords) and name not in _SENDS_OR_READS):
                return True
    return False


def _per_table(call: ast.Call, loop: LoopInfo) -> bool:
    """`for tbl in tables: session.execute(tbl.delete())`: a statement per table the loop walks, not per row. Also
    the table the body reflects from the item's name (`t = Table(name, metadata, autoload=True)`: Karbor's purge of
    deleted rows, round 107, judged WRONGFIX: statements on different tables cannot be one)."""
    root = chain_root(call)
    if not isinstance(root, ast.Name):
        return False
    items = {n.id for t in loop.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    if root.id in items:
        return True
    built = constructed(loop, root.id)
    return built is not None and (dotted(built.func) or "").rpartition(".")[2] == "Table" \
        and any(isinstance(a, ast.Name) and a.id in items for a in built.args[:1])


def _chunks(loop: LoopInfo) -> bool:
    """A `for` loop over chunks of rows: `range(0, n, size)`, `batched(rows, size)`, or a target named for one (`for batch
    in range(batch_count):`, GeoNature's INSERT ... SELECT per window of lines, round 148: 2 PF201 judged WRONGFIX)."""
    node = loop.node
    return type(node) in (ast.For, ast.AsyncFor) and (iterates_batches(node.iter) or names_a_batch(ast.walk(node.target)))


def _set_on_rows(loop) -> tuple[str, ...]:
    """The attributes the loop's body sets on its item (`t.num -= 1`): cross.py asks whether a unique constraint names
    one, which makes the flush per row the order the constraint needs."""
    names = {t.id for target in loop.targets for t in ast.walk(target) if type(t) is ast.Name}
    return tuple(dict.fromkeys(t.attr for part in loop.parts for n in ast.walk(part) if type(n) in (ast.Assign, ast.AugAssign)
                               for t in (n.targets if type(n) is ast.Assign else [n.target])
                               if type(t) is ast.Attribute and type(t.value) is ast.Name and t.value.id in names))
