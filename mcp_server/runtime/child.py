"""The measured side of profile_function: runs in a child process started by runner.py, in the user's interpreter.

Standard library only (see capture.py). It imports the target, runs the setup code, then calls the target in
separate phases so that no instrument distorts another's numbers: `repeat` plain timing calls, one call with
query capture and resource snapshots, one under cProfile, one under tracemalloc. The result is written as JSON
to the file the parent named; stdout and stderr belong to the target.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import re
import resource
import runpy
import statistics
import sysconfig
import time
import traceback
import tracemalloc
from typing import Any, Callable

from .capture import Capture

_MODULE_TARGET = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")
_OURS = os.path.dirname(os.path.abspath(__file__))
_STDLIB = tuple(p for p in {sysconfig.get_paths().get(k) for k in ("stdlib", "platstdlib")} if p)
TOP = 15


class TargetError(Exception):
    """The target cannot be found or called as asked: reported as an exception with this message."""


def main(spec_path: str) -> None:
    with open(spec_path) as fh:
        spec = json.load(fh)
    result: dict[str, Any] = {"status": "ok"}
    capture = Capture(spec.get("root") or os.getcwd())
    try:
        _limit(spec)
        capture.install()  # before the setup and the target's import, so their connections are traced too
        make_call, namespace, description = _resolve(spec)
        result["target"] = description
        if spec.get("mode") == "compare":
            _compare(spec, make_call, namespace, result, capture)
        else:
            args = spec["args"] if spec.get("args") is not None else namespace.get("args", [])
            kwargs = spec["kwargs"] if spec.get("kwargs") is not None else namespace.get("kwargs", {})
            _run(spec, make_call(args, kwargs), result, capture)
    except MemoryError:
        result = {**result, "status": "memory_limit", "message": f"the target ran out of memory (limit {spec.get('memory_limit_mb')} MB)"}
    except TargetError as exc:
        result = {**result, "status": "exception", "message": str(exc)}
    except BaseException as exc:  # the target's own exception, SystemExit included
        result = {**result, "status": "exception", "message": f"{type(exc).__name__}: {exc}"[:2000],
                  "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-8000:]}
    _write(spec["result_path"], result)


def _limit(spec: dict) -> None:
    if spec.get("memory_limit_mb"):
        limit = int(spec["memory_limit_mb"]) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if spec.get("cpu_limit_s"):
        cpu = int(spec["cpu_limit_s"])
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _resolve(spec: dict) -> tuple[Callable[[list, dict], Callable[[], Any]], dict, str]:
    """After the setup code has run: a maker of no-argument calls of the target for given arguments."""
    namespace: dict[str, Any] = {"__name__": "__profile_setup__"}
    if spec.get("setup"):
        exec(compile(spec["setup"], "<setup>", "exec"), namespace)
    target = spec["target"]
    if _MODULE_TARGET.match(target):
        module_name, _, attr = target.partition(":")
        try:
            module = __import__(module_name, fromlist=["_"])
        except ModuleNotFoundError as exc:
            raise TargetError(f"cannot import module {module_name!r}: {exc}") from None
        obj: Any = module
        parts = attr.split(".")
        if len(parts) == 2 and "instance" in namespace:
            obj = namespace["instance"]
            parts = parts[1:]
        for part in parts:
            if not hasattr(obj, part):
                raise TargetError(f"{target}: {getattr(obj, '__name__', type(obj).__name__)!s} has no attribute {part!r}")
            obj = getattr(obj, part)
        if not callable(obj):
            raise TargetError(f"{target} is not callable")
        return (lambda args, kwargs: lambda: obj(*args, **kwargs)), namespace, target
    if target.endswith(".py") and "\n" not in target:
        path = os.path.abspath(target)
        if not os.path.isfile(path):
            raise TargetError(f"no such script: {target}")
        return (lambda args, kwargs: lambda: runpy.run_path(path, run_name="__main__")), namespace, target
    code = compile(target, "<snippet>", "exec")
    return (lambda args, kwargs: lambda: exec(code, dict(namespace))), namespace, "<snippet>"


def _run(spec: dict, call: Callable[[], Any], result: dict, capture: Capture) -> None:
    root = spec.get("root") or os.getcwd()
    # 1. timing, uninstrumented
    walls, cpus = [], []
    value = None
    for _ in range(max(1, int(spec.get("repeat", 5)))):
        w, c = time.perf_counter(), time.process_time()
        value = call()
        cpus.append(time.process_time() - c)
        walls.append(time.perf_counter() - w)
    result["timing"] = {
        "runs": len(walls), "wall_ms": [w * 1000 for w in walls], "cpu_ms": [c * 1000 for c in cpus],
        "median_wall_ms": statistics.median(walls) * 1000, "median_cpu_ms": statistics.median(cpus) * 1000,
    }
    result["result_repr"] = _short_repr(value)
    result["rss_after_timing_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # 2. queries and resources
    before = _resources()
    capture.start()
    w = time.perf_counter()
    try:
        call()
    finally:
        wall = time.perf_counter() - w
        capture.stop()
    after = _resources()
    result["queries"] = {**capture.export(), "run_ms": wall * 1000}
    result["resources"] = {"before": before, "after": after}
    # 3. hotspots
    profiler = cProfile.Profile()
    w = time.perf_counter()
    profiler.runcall(call)
    result["profile_run_ms"] = (time.perf_counter() - w) * 1000
    result["hotspots"] = _hotspots(profiler, root)
    # 4. allocations
    tracemalloc.start(1)
    w = time.perf_counter()
    try:
        call()
        current, peak = tracemalloc.get_traced_memory()
        snapshot = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    result["tracemalloc_run_ms"] = (time.perf_counter() - w) * 1000
    stats = snapshot.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)]).statistics("lineno")[:10]
    result["memory"] = {
        "tracemalloc_peak_kb": peak / 1024, "tracemalloc_current_kb": current / 1024,
        "top_allocations": [{"file": _rel(s.traceback[0].filename, root), "line": s.traceback[0].lineno, "kb": s.size / 1024, "count": s.count}
                            for s in stats],
    }


def _compare(spec: dict, make_call, namespace: dict, result: dict, capture: Capture) -> None:
    """One side of compare_implementations: per input, the result (first call), the queries of one call, and
    `values` samples of `loops` calls each, the loop count calibrated so one sample lasts min_sample_ms."""
    from .canonical import Unserialisable, encode

    inputs = _inputs(spec, namespace)
    out = []
    for item in inputs:
        call = make_call(item.get("args", []), item.get("kwargs", {}))
        entry: dict[str, Any] = {"label": item["label"]}
        started = time.perf_counter()
        value = call()  # the warm-up call gives the result
        first = time.perf_counter() - started
        if spec.get("result"):
            try:
                entry["result"] = encode(value)
            except Unserialisable as exc:
                entry["result_error"] = str(exc)
        if spec.get("capture"):
            capture.groups, capture.total, capture.total_s = {}, 0, 0.0
            capture.start()
            try:
                call()
            finally:
                capture.stop()
            entry["queries"] = capture.export()
        loops = (spec.get("loops") or {}).get(item["label"]) or _calibrate(call, spec.get("min_sample_ms", 100) / 1000, first)
        samples = []
        for _ in range(int(spec.get("values", 3))):
            started = time.perf_counter()
            for _ in range(loops):
                call()
            samples.append((time.perf_counter() - started) / loops * 1000)
        entry["loops"] = loops
        entry["samples_ms"] = samples
        out.append(entry)
    result["inputs"] = out


def _calibrate(call: Callable[[], Any], target_s: float, first_s: float) -> int:
    """pyperf's habit: grow the loop count until one sample lasts target_s (the first call, cold, is no guide)."""
    loops = 1 if first_s >= target_s else max(1, min(1000, int(target_s / max(first_s, 1e-7) / 4)))
    while loops < 10_000_000:
        started = time.perf_counter()
        for _ in range(loops):
            call()
        elapsed = time.perf_counter() - started
        if elapsed >= target_s:
            return loops
        loops = max(loops + 1, min(loops * 10, int(loops * target_s / max(elapsed, 1e-9) * 1.2) + 1))
    return loops


def _inputs(spec: dict, namespace: dict) -> list[dict]:
    given = spec.get("inputs")
    if isinstance(given, str):  # module:function returning the argument sets
        module_name, _, attr = given.partition(":")
        try:
            given = getattr(__import__(module_name, fromlist=["_"]), attr)()
        except (ImportError, AttributeError) as exc:
            raise TargetError(f"inputs {spec['inputs']!r}: {exc}") from None
    if given is None:
        args = spec["args"] if spec.get("args") is not None else namespace.get("args", [])
        kwargs = spec["kwargs"] if spec.get("kwargs") is not None else namespace.get("kwargs", {})
        return [{"label": "input", "args": args, "kwargs": kwargs}]
    out = []
    for i, item in enumerate(given, start=1):
        if isinstance(item, dict):
            out.append({"label": str(item.get("label", f"input {i}")), "args": item.get("args", []), "kwargs": item.get("kwargs", {})})
        elif isinstance(item, (list, tuple)):
            out.append({"label": f"input {i}", "args": list(item), "kwargs": {}})
        else:
            raise TargetError(f"inputs[{i - 1}]: expected a list of arguments or an object with args / kwargs / label")
    return out


def _hotspots(profiler: cProfile.Profile, root: str) -> dict:
    raw = pstats.Stats(profiler).stats  # (file, line, func) -> (primitive calls, calls, self s, cumulative s, callers)
    rows = []
    callees: dict[tuple, list[tuple]] = {}
    for key, (cc, nc, tt, ct, callers) in raw.items():
        file, line, func = key
        for caller in callers:
            callees.setdefault(caller, []).append(key)
        if _ours(key):
            continue  # the capture's own wrappers are not the application's cost
        rows.append({"function": func, "file": _rel(file, root), "line": line, "calls": nc, "self_ms": tt * 1000, "cumulative_ms": ct * 1000,
                     "kind": _kind(file, root)})
    by_self = sorted(rows, key=lambda r: -r["self_ms"])[:TOP]
    by_cumulative = sorted(rows, key=lambda r: -r["cumulative_ms"])[:TOP]
    # the heaviest path: from the costliest application function down its costliest callees
    app = [k for k in raw if _kind(k[0], root) == "app"]
    path = []
    if app:
        node = max(app, key=lambda k: raw[k][3])
        seen = set()
        while node is not None and node not in seen and len(path) < 10:
            seen.add(node)
            if not _ours(node):
                path.append({"function": node[2], "file": _rel(node[0], root), "line": node[1], "cumulative_ms": raw[node][3] * 1000})
            kids = [k for k in callees.get(node, []) if k in raw]
            node = max(kids, key=lambda k: raw[k][3]) if kids else None
    return {"by_self": by_self, "by_cumulative": by_cumulative, "heaviest_path": path}


def _ours(key: tuple) -> bool:
    return key[0].startswith(_OURS) or "Capture._install" in key[2]


def _kind(file: str, root: str) -> str:
    if file.startswith("<") or file == "~":
        return "builtin"
    path = os.path.abspath(file)
    if "site-packages" in path or "dist-packages" in path:
        return "library"
    if path.startswith(_STDLIB):
        return "stdlib"
    return "app" if path.startswith(os.path.abspath(root)) else "library"


def _rel(file: str, root: str) -> str:
    path = os.path.abspath(file) if not file.startswith("<") else file
    return os.path.relpath(path, root) if path.startswith(os.path.abspath(root)) else file


def _resources() -> dict:
    """Open file descriptors by kind, from /proc (psutil may not be installed in the user's environment)."""
    files, sockets, other = [], 0, 0
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return {"fds": None, "files": [], "sockets": None}
    for fd in fds:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:"):
            sockets += 1
        elif target.startswith("/") and not target.startswith(("/dev/", "/proc/")):
            files.append(target)
        else:
            other += 1
    return {"fds": len(fds), "files": sorted(files), "sockets": sockets}


def _short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as exc:  # a broken __repr__ is not our failure
        text = f"<unrepresentable {type(value).__name__}: {exc}>"
    return text if len(text) <= 500 else text[:497] + "..."


def _write(path: str, result: dict) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(result, fh, default=str)
    os.replace(tmp, path)
