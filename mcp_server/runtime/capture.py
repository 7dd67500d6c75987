"""Query capture inside the measured process: sqlite3, psycopg 3, psycopg2, SQLAlchemy and Django, each query
with its duration and the application call stack that issued it.

Standard library only: this module runs in the user's interpreter (the profiled child, or the test process of
the pytest plugin), where our dependencies may be missing. Queries are aggregated as they arrive, by
(statement text, call stack), so a loop of 100,000 queries costs a dictionary update each, not a record each;
the parent fingerprints the distinct statements afterwards.

Each query is counted once, at the highest layer that saw it: an ORM hook marks the thread busy, and the
driver-level hooks skip queries issued while it is.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import sysconfig
import threading
import time
from contextlib import ExitStack
from typing import Any, Callable

MAX_FRAMES = 8  # application frames kept per stack
MAX_PARAM_KINDS = 1000  # distinct parameter sets counted per group; beyond, only the count grows
_HERE = os.path.dirname(os.path.abspath(__file__))
_LIB_PREFIXES = tuple(
    p for p in {sysconfig.get_paths().get(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")} if p
) + (os.path.dirname(_HERE),)


class Capture:
    """Collects queries while installed. `groups` maps (layer, statement, stack) -> [count, total_s, params counts]."""

    def __init__(self, root: str | None = None):
        self.root = os.path.abspath(root or os.getcwd())
        self._prefix = self.root.rstrip(os.sep) + os.sep
        self.groups: dict[tuple, list] = {}
        self.total = 0
        self.total_s = 0.0
        self._local = threading.local()
        self._app: dict[Any, str] = {}  # code object -> path shown ("" when not application code)
        self._undo: list[Callable[[], None]] = []
        self._stack = ExitStack()
        self.active = False  # hooks installed early stay silent until start()
        self._hooked: set[str] = set()  # drivers and ORMs whose hooks are in place

    # -- recording -------------------------------------------------------------------------------------------
    def busy(self) -> bool:
        return getattr(self._local, "depth", 0) > 0

    def enter(self) -> None:
        self._local.depth = getattr(self._local, "depth", 0) + 1

    def leave(self) -> None:
        self._local.depth -= 1

    def record(self, layer: str, statement: str, params: Any, seconds: float, many: bool = False) -> None:
        key = (layer, statement, self._call_stack(), many)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = [0, 0.0, {}]
        group[0] += 1
        group[1] += seconds
        self.total += 1
        self.total_s += seconds
        kinds = group[2]
        shown = _params_text(params)
        if shown in kinds:
            kinds[shown] += 1
        elif len(kinds) < MAX_PARAM_KINDS:
            kinds[shown] = 1

    def _call_stack(self) -> tuple[tuple[str, int, str], ...]:
        """The application frames that led here, innermost first (libraries, the stdlib and we are skipped)."""
        frames = []
        f = sys._getframe(2)
        app = self._app
        while f is not None and len(frames) < MAX_FRAMES:
            code = f.f_code
            shown = app.get(code)
            if shown is None:  # first time this code object is seen: classify it once
                shown = app[code] = self._classify(code.co_filename)
            if shown:
                frames.append((shown, f.f_lineno, code.co_name))
            f = f.f_back
        return tuple(frames)

    def _classify(self, name: str) -> str:
        """The path to show for an application file, relative to the root; "" for anything else."""
        if name in ("<snippet>", "<setup>"):  # code handed to profile_function as text
            return name
        if name.startswith("<"):  # <string> (the child's own entry), <frozen runpy>: not a file, never the application's
            return ""
        path = os.path.abspath(name)
        if path.startswith(self._prefix) and not path.startswith(_LIB_PREFIXES) and "site-packages" not in path:
            return os.path.relpath(path, self.root)
        return ""

    def timed(self, layer: str, run: Callable[[], Any], statement: str, params: Any, many: bool = False) -> Any:
        if not self.active or self.busy():
            return run()
        started = time.perf_counter()
        self.enter()
        try:
            return run()
        finally:
            self.leave()
            self.record(layer, statement, params, time.perf_counter() - started, many)

    # -- installing --------------------------------------------------------------------------------------------
    def install(self) -> Capture:
        """Patch the drivers before the measured code opens connections (in its setup, say); silent until start()."""
        import importlib.util

        self._install_sqlite3()
        for name in ("psycopg", "psycopg2"):
            if name not in sys.modules and importlib.util.find_spec(name) is not None:
                __import__(name)  # installed in this environment: patch its connect before anyone calls it
        self.install_late()
        return self

    def start(self) -> None:
        self.install_late()
        self.active = True

    def stop(self) -> None:
        self.active = False

    def install_late(self) -> None:
        """Hooks for drivers and ORMs the measured code has imported by now (we never import them ourselves)."""
        if "psycopg" in sys.modules and "psycopg" not in self._hooked:
            self._hooked.add("psycopg")
            self._install_cursor_factory(sys.modules["psycopg"], sys.modules["psycopg"].Cursor, "psycopg")
        if "psycopg2" in sys.modules and "psycopg2" not in self._hooked:
            import psycopg2.extensions  # already imported by the measured code

            self._hooked.add("psycopg2")
            self._install_cursor_factory(sys.modules["psycopg2"], psycopg2.extensions.cursor, "psycopg2")
        if "sqlalchemy" in sys.modules and "sqlalchemy" not in self._hooked:
            self._hooked.add("sqlalchemy")
            self._install_sqlalchemy()
        if "django.db" in sys.modules and "django" not in self._hooked and self._install_django():
            self._hooked.add("django")

    def uninstall(self) -> None:
        self._stack.close()
        while self._undo:
            self._undo.pop()()

    def __enter__(self) -> Capture:
        self.install()
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self.uninstall()

    def _patch(self, owner: Any, name: str, value: Any) -> None:
        original = getattr(owner, name)
        setattr(owner, name, value)
        self._undo.append(lambda: setattr(owner, name, original))

    def _install_sqlite3(self) -> None:
        capture = self

        # while the capture is not started, every override hands straight to sqlite3's own C method
        class TracedCursor(sqlite3.Cursor):
            def execute(self, sql, parameters=(), /):
                if not capture.active:
                    return super().execute(sql, parameters)
                return capture.timed("sqlite3", lambda: super(TracedCursor, self).execute(sql, parameters), sql, parameters)

            def executemany(self, sql, seq_of_parameters, /):
                if not capture.active:
                    return super().executemany(sql, seq_of_parameters)
                rows = list(seq_of_parameters)
                return capture.timed("sqlite3", lambda: super(TracedCursor, self).executemany(sql, rows), sql, len(rows), many=True)

            def executescript(self, script, /):
                if not capture.active:
                    return super().executescript(script)
                return capture.timed("sqlite3", lambda: super(TracedCursor, self).executescript(script), script, None)

        class TracedConnection(sqlite3.Connection):
            def cursor(self, factory=TracedCursor):
                return super().cursor(factory)

            # Connection.execute makes its cursor in C, without calling cursor(): route it through ours
            def execute(self, sql, parameters=(), /):
                return self.cursor().execute(sql, parameters) if capture.active else super().execute(sql, parameters)

            def executemany(self, sql, seq_of_parameters, /):
                return self.cursor().executemany(sql, seq_of_parameters) if capture.active else super().executemany(sql, seq_of_parameters)

            def executescript(self, script, /):
                return self.cursor().executescript(script) if capture.active else super().executescript(script)

        original = sqlite3.connect

        def connect(*args, **kwargs):
            kwargs.setdefault("factory", TracedConnection)
            return original(*args, **kwargs)

        self._patch(sqlite3, "connect", connect)

    def _install_cursor_factory(self, module: Any, cursor_base: type, layer: str) -> None:
        """psycopg 3 and psycopg2: `connect` gets a cursor factory whose execute and executemany are timed."""
        capture = self

        class TracedCursor(cursor_base):
            def execute(self, query, params=None, *args, **kwargs):
                return capture.timed(layer, lambda: super(TracedCursor, self).execute(query, params, *args, **kwargs), _text(query), params)

            def executemany(self, query, params_seq, *args, **kwargs):
                rows = list(params_seq)
                return capture.timed(layer, lambda: super(TracedCursor, self).executemany(query, rows, *args, **kwargs), _text(query),
                                     len(rows), many=True)

        original = module.connect

        def connect(*args, **kwargs):
            kwargs.setdefault("cursor_factory", TracedCursor)
            return original(*args, **kwargs)

        self._patch(module, "connect", connect)

    def _install_sqlalchemy(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        capture = self
        starts = threading.local()

        def before(conn, cursor, statement, parameters, context, executemany):
            if not capture.active:
                return
            if not capture.busy():
                starts.t = time.perf_counter()
            capture.enter()

        def after(conn, cursor, statement, parameters, context, executemany):
            if not capture.active:
                return
            capture.leave()
            if not capture.busy():
                many = bool(executemany)
                capture.record("sqlalchemy", statement, len(parameters) if many else parameters, time.perf_counter() - starts.t, many)

        event.listen(Engine, "before_cursor_execute", before)
        event.listen(Engine, "after_cursor_execute", after)
        self._undo.append(lambda: (event.remove(Engine, "before_cursor_execute", before), event.remove(Engine, "after_cursor_execute", after)))

    def _install_django(self) -> bool:
        try:
            from django.conf import settings
            from django.db import connections

            if not settings.configured:
                return False
            aliases = list(connections)
        except Exception:  # Django imported but not set up: nothing to hook
            return False
        capture = self

        def wrapper(execute, sql, params, many, context):
            return capture.timed("django", lambda: execute(sql, params, many, context), sql, len(params) if many and params else params, many)

        for alias in aliases:
            self._stack.enter_context(connections[alias].execute_wrapper(wrapper))
        return True

    # -- results -----------------------------------------------------------------------------------------------
    def export(self) -> dict:
        """Plain data for JSON: one entry per (layer, statement, stack)."""
        groups = []
        for (layer, statement, stack, many), (count, seconds, kinds) in self.groups.items():
            top = max(kinds.items(), key=lambda kv: kv[1]) if kinds else ("", 0)
            groups.append({
                "layer": layer, "statement": statement[:4000], "stack": [list(f) for f in stack], "many": many, "count": count,
                "seconds": seconds, "distinct_params": len(kinds), "sample_params": next(iter(kinds), ""),
                "top_params": top[0], "top_params_count": top[1],
            })
        return {"total": self.total, "seconds": self.total_s, "groups": groups}


def _text(query: Any) -> str:
    if isinstance(query, str):
        return query
    if isinstance(query, bytes):
        return query.decode(errors="replace")
    as_string = getattr(query, "as_string", None)  # psycopg.sql.Composed
    if as_string is not None:
        try:
            return as_string(None)
        except Exception:
            pass
    return str(query)


def _params_text(params: Any) -> str:
    if params is None or params == () or params == []:
        return ""
    text = repr(params)
    return text if len(text) <= 200 else text[:197] + "..."
