"""Query capture inside every Python process the user's command starts, loaded by our own `sitecustomize`.

Standard library only, and loaded by file path (never as part of mcp_server): the user's interpreter may lack
our dependencies, and putting our package on its path could shadow the project's own modules. Queries are
grouped by (test, layer, statement, application call stack, template); the test is pytest's
PYTEST_CURRENT_TEST, else the unittest case running. Drivers and ORMs are hooked when the process imports them
(a post-import finder), so a process that never touches a database pays for nothing but this file.

Each process appends its groups to OUT/<pid>.jsonl: a first line at start (so a process that runs no query still
counts as a Python process seen), what changed at most once a second while it queries (so a run killed at its
timeout keeps what it measured until then), and the rest at exit. Nothing here may change what the process does: every hook swallows its own
failures.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import time

_capture_module = sys.modules["_po_capture"]  # runtime/capture.py, loaded by the sitecustomize stub
# the raw mapping os.environ keeps in step with putenv: os.environ.get would encode and decode on every query
_ENVIRON, _PYTEST_KEY = ((os.environ._data, os.environ.encodekey("PYTEST_CURRENT_TEST"))
                         if hasattr(os.environ, "_data") and hasattr(os.environ, "encodekey") else (os.environ, "PYTEST_CURRENT_TEST"))
FLUSH_S = 1.0
_perf_counter = time.perf_counter


class TestCapture(_capture_module.Capture):
    """Capture whose groups are per test, with the Django template being rendered when there is one."""

    def __init__(self, root: str, out: str):
        super().__init__(root)
        self.out = out
        self.unit_test: str | None = None  # unittest's running case, when pytest is not the runner
        self._flushed = time.monotonic()
        self._sent: dict = {}  # group -> (count, seconds) already written
        self._started = False  # the file's first line (this process) is written
        self._render_code = None  # django.template.base.Node.render_annotated's code, once Django templates load
        self._field_code = None  # rest_framework's Serializer.to_representation code, once DRF loads
        self._fields: dict = {}  # (serializer class, field name) -> (file, line) of the field's declaration, or None
        self._tests: dict = {}  # PYTEST_CURRENT_TEST's raw value -> the test id
        self.stop_codes: set = set()  # the test runner's frames that call a test or a fixture: nothing below is the project's

    def _call_stack(self):
        """The application frames that led here, innermost first, up to the test runner's call of the test (below it
        are only the runner's own frames, dozens of them, walked on every query for nothing)."""
        frames = []
        f = sys._getframe(2)
        app = self._app
        stop = self.stop_codes
        while f is not None and len(frames) < _capture_module.MAX_FRAMES:
            code = f.f_code
            if code in stop:
                break
            shown = app.get(code)
            if shown is None:
                shown = app[code] = self._classify(code.co_filename)
            if shown:
                frames.append((shown, f.f_lineno, code.co_name))
            f = f.f_back
        return tuple(frames)

    def record(self, layer, statement, params, seconds, many=False):
        current = _ENVIRON.get(_PYTEST_KEY)
        if current is None:
            test = self.unit_test
        else:
            test = self._tests.get(current)
            if test is None:
                test = self._tests[current] = os.fsdecode(current).rsplit(" (", 1)[0]
        key = (test, layer, statement, self._call_stack(), many, self._template() if self._render_code is not None or self._field_code is not None else None)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = [0, 0.0]
        group[0] += 1
        group[1] += seconds
        self.total += 1
        if not self.total & 63:  # the clock is read every 64 queries, not every one
            now = time.monotonic()
            if now - self._flushed >= FLUSH_S:
                self._flushed = now
                self.flush()

    def timed(self, layer, run, statement, params, many=False):
        """Capture.timed with the busy-flag calls inlined: this runs once per query of the whole suite."""
        if not self.active:
            return run()
        local = self._local
        if getattr(local, "depth", 0):
            return run()
        local.depth = 1
        started = _perf_counter()
        try:
            return run()
        finally:
            local.depth = 0
            self.record(layer, statement, params, _perf_counter() - started, many)

    def _template(self):
        """(file, line) of what is being rendered: the innermost Django template node, or the DRF serializer field
        whose value is being read (DRF's own code reads `source="client.name"` and nested serializers, so no
        application frame is at the field's line); None when neither."""
        f = sys._getframe(3)
        code, field_code = self._render_code, self._field_code
        stop = self.stop_codes
        while f is not None and f.f_code not in stop:
            if f.f_code is code:
                node = f.f_locals.get("self")
                origin = getattr(getattr(node, "origin", None), "name", None)
                line = getattr(getattr(node, "token", None), "lineno", None)
                if origin and line:
                    return (str(origin), int(line))
            elif f.f_code is field_code:
                place = self._field_place(f.f_locals.get("self"), getattr(f.f_locals.get("field"), "field_name", None))
                if place:
                    return place
            f = f.f_back
        return None

    def _field_place(self, serializer, name):
        """Where a serializer class declares the field `name` (`name = ...` or `def get_name`), once per pair."""
        if serializer is None or not name:
            return None
        key = (type(serializer), name)
        if key not in self._fields:
            self._fields[key] = None
            try:
                import inspect
                import re

                for cls in type(serializer).__mro__:
                    if cls.__module__.startswith("rest_framework"):
                        break
                    lines, first = inspect.getsourcelines(cls)
                    declared = re.compile(rf"\s+(?:{re.escape(name)}\s*[:=]|def get_{re.escape(name)}\s*\()")
                    at = next((i for i, text in enumerate(lines) if declared.match(text)), None)
                    if at is not None:
                        self._fields[key] = (inspect.getsourcefile(cls), first + at)
                        break
            except Exception:  # source not available (a zip, a frozen module): no place, as before
                pass
        return self._fields[key]

    def flush(self) -> None:
        """Append to OUT/<pid>.jsonl what changed since the last flush: one line per group whose count grew, with the
        increase. The cost follows the queries since the last flush, not everything measured (a whole dump every
        second cost a large suite more than its own queries). The first line names the process."""
        try:
            sent = self._sent
            lines = []
            if not self._started:
                lines.append(json.dumps({"pid": os.getpid(), "argv": sys.argv[:4]}))
                self._started = True
            for key, (count, seconds) in self.groups.items():
                before = sent.get(key)
                if before is None or before[0] != count:
                    test, layer, statement, stack, many, template = key
                    done, done_s = before or (0, 0.0)
                    lines.append(json.dumps([test, layer, statement[:4000], stack, many, template, count - done, seconds - done_s]))
                    sent[key] = (count, seconds)
            if lines:
                with open(os.path.join(self.out, f"{os.getpid()}.jsonl"), "a") as fh:
                    fh.write("\n".join(lines) + "\n")  # one write: a line is whole or, if killed mid-way, unreadable and skipped
        except Exception:
            pass

    def after_fork(self) -> None:
        """A forked child starts with its parent's groups: forget them, they are the parent's to report."""
        self.groups = {}
        self._sent = {}
        self._started = False
        self.total = 0
        self.flush()


class _AfterImport:
    """A meta-path finder that runs a callback right after a watched module has executed (before the importer
    sees it), so `from psycopg import connect` already gets the patched function."""

    def __init__(self, hooks: dict):
        self.hooks = hooks

    def find_spec(self, name, path=None, target=None):
        callback = self.hooks.get(name)
        if callback is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        exec_module = getattr(loader, "exec_module", None)
        if exec_module is None:
            return spec
        del self.hooks[name]

        def run_then_hook(module):
            exec_module(module)
            _safely(callback, module)

        try:
            loader.exec_module = run_then_hook  # this module's own loader instance
        except Exception:
            pass
        return spec


def _safely(callback, module) -> None:
    try:
        callback(module)
    except Exception:
        pass


def start() -> TestCapture | None:
    out = os.environ.get("PO_CONFIRM_OUT")
    root = os.environ.get("PO_CONFIRM_ROOT")
    if not out or not root or not os.path.isdir(out):
        return None
    capture = TestCapture(root, out)
    capture._install_sqlite3()

    def psycopg(module):
        capture._install_cursor_factory(module, module.Cursor, "psycopg")

    def psycopg2(module):
        import psycopg2.extensions

        capture._install_cursor_factory(module, psycopg2.extensions.cursor, "psycopg2")

    def sqlalchemy(module):
        capture._install_sqlalchemy()

    def django_db(module):
        # at the class, not per connection: connections made later, in any thread, by the test runner's
        # database setup or a worker, are all seen
        original = module.CursorWrapper._execute_with_wrappers

        def _execute_with_wrappers(self, sql, params, many, executor):
            return capture.timed("django", lambda: original(self, sql, params, many, executor), sql, None, many)

        module.CursorWrapper._execute_with_wrappers = _execute_with_wrappers

    def django_templates(module):
        capture._render_code = module.Node.render_annotated.__code__

    def drf_serializers(module):
        capture._field_code = module.Serializer.to_representation.__code__

    def pytest_python(module):
        capture.stop_codes.add(module.pytest_pyfunc_call.__code__)

    def pytest_fixtures(module):
        capture.stop_codes.add(module.call_fixture_func.__code__)

    def unittest_case(module):
        for name in ("_callTestMethod", "_callSetUp", "_callTearDown", "_callCleanup"):
            method = getattr(module.TestCase, name, None)
            if method is not None:
                capture.stop_codes.add(method.__code__)
        original = module.TestCase.run

        def run(self, result=None):
            capture.unit_test = self.id()
            try:
                return original(self, result)
            finally:
                capture.unit_test = None

        module.TestCase.run = run

    hooks = {"psycopg": psycopg, "psycopg2": psycopg2, "sqlalchemy": sqlalchemy, "django.db.backends.utils": django_db,
             "django.template.base": django_templates, "rest_framework.serializers": drf_serializers, "unittest.case": unittest_case, "_pytest.python": pytest_python,
             "_pytest.fixtures": pytest_fixtures}
    for name in [n for n in hooks if n in sys.modules]:  # imported before us (by a .pth file): hook it now
        _safely(hooks.pop(name), sys.modules[name])
    sys.meta_path.insert(0, _AfterImport(hooks))
    capture.active = True
    capture.flush()
    atexit.register(capture.flush)
    # multiprocessing's workers (Django's parallel runner, pools) end with os._exit, which skips atexit
    original_exit = os._exit

    def _exit(code):
        capture.flush()
        original_exit(code)

    os._exit = _exit
    os.register_at_fork(after_in_child=capture.after_fork)
    return capture
