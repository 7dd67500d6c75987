"""Run the measured code in a contained child process: its own session (process group), address-space and CPU
limits set by the child itself (no `preexec_fn`: the server has threads), a wall-clock timeout after which the
whole group is killed, output drained and capped so a chatty target cannot fill memory or block on a pipe,
and peak RSS from `wait4`. Whatever happens, no process of the group outlives the call.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

OUTPUT_TAIL = 8192  # bytes of stdout / stderr kept (the end: where the error usually is)
GRACE_S = 1.0  # after the timeout: kill, then at most this long to reap
PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])  # so the child can import mcp_server.runtime.child

LAUNCHER = (
    "import sys; sys.path.insert(1, sys.argv[2]); "
    "from mcp_server.runtime.child import main; main(sys.argv[1])"
)


@dataclass
class ChildResult:
    status: str  # ok | exception | timeout | memory_limit | crashed
    message: str = ""
    data: dict = field(default_factory=dict)  # what the child reported (absent when it died)
    wall_s: float = 0.0
    peak_rss_mb: float | None = None
    exit_code: int | None = None
    signal: str | None = None
    stdout_tail: str = ""
    stderr_tail: str = ""
    stdout_bytes: int = 0
    stderr_bytes: int = 0


class _Drain(threading.Thread):
    """Reads a pipe to its end, keeping only the last OUTPUT_TAIL bytes."""

    def __init__(self, pipe):
        super().__init__(daemon=True)
        self.pipe = pipe
        self.tail = b""
        self.total = 0

    def run(self) -> None:
        while True:
            chunk = self.pipe.read(65536)
            if not chunk:
                break
            self.total += len(chunk)
            self.tail = (self.tail + chunk)[-OUTPUT_TAIL:]
        self.pipe.close()


def run_child(spec: dict, python: str, cwd: str, env: dict[str, str], timeout_s: float) -> ChildResult:
    with tempfile.TemporaryDirectory(prefix="po-profile-") as tmp:
        spec = {**spec, "result_path": os.path.join(tmp, "result.json")}
        spec_path = os.path.join(tmp, "spec.json")
        with open(spec_path, "w") as fh:
            json.dump(spec, fh)
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(
                [python, "-c", LAUNCHER, spec_path, PACKAGE_PARENT], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
            )
        except OSError as exc:
            return ChildResult("crashed", f"cannot start {python}: {exc.strerror or exc}")
        drains = [_Drain(proc.stdout), _Drain(proc.stderr)]
        for d in drains:
            d.start()
        status, usage, timed_out = _wait(proc.pid, started + timeout_s)
        _kill_group(proc.pid)  # the target's own children (a fork, a pool) go with it
        if status is None:  # killed after the timeout: reap it now
            _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting on a reaped pid
        wall = time.perf_counter() - started
        for d in drains:
            d.join(GRACE_S)
        result = ChildResult("ok", wall_s=wall, peak_rss_mb=usage.ru_maxrss / 1024 if usage else None,
                             stdout_tail=drains[0].tail.decode(errors="replace"), stderr_tail=drains[1].tail.decode(errors="replace"),
                             stdout_bytes=drains[0].total, stderr_bytes=drains[1].total)
        code = proc.returncode
        if code < 0:
            result.signal = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        else:
            result.exit_code = code
        if timed_out:
            result.status, result.message = "timeout", f"timed out after {timeout_s:g} s; the process group was killed"
            return result
        try:
            with open(spec["result_path"]) as fh:
                result.data = json.load(fh)
        except (OSError, json.JSONDecodeError):
            if result.signal == "SIGXCPU":
                result.status, result.message = "timeout", "CPU time limit reached (RLIMIT_CPU); the process was stopped"
            else:
                how = f"signal {result.signal}" if result.signal else f"exit code {code}"
                result.status, result.message = "crashed", f"the child process ended with {how} before reporting"
                if "MemoryError" in result.stderr_tail:
                    result.status, result.message = "memory_limit", f"the target ran out of memory ({how})"
            return result
        result.status = result.data.get("status", "crashed")
        result.message = result.data.get("message", "")
        return result


def project_interpreter(python: str | None, root: Path) -> str:
    """The interpreter the user's code runs in: the one named, else the project's .venv, else ours."""
    from ..errors import InputError

    if python:
        path = Path(python)
        if not path.is_file() or not os.access(path, os.X_OK):
            raise InputError("python", f"{python} is not an executable file")
        return str(path)
    venv = root / ".venv" / "bin" / "python"
    return str(venv) if venv.is_file() else sys.executable


def check_setup(setup: object) -> None:
    """The setup code the child will run: a string that compiles, or nothing."""
    from ..errors import InputError

    if setup is None:
        return
    if not isinstance(setup, str):
        raise InputError("setup", "expected Python code as a string")
    try:
        compile(setup, "<setup>", "exec")
    except SyntaxError as exc:
        raise InputError("setup", f"syntax error at line {exc.lineno}, column {exc.offset}: {exc.msg}") from None


def _wait(pid: int, deadline: float):
    """Poll for the child's end until the deadline: (status, rusage, timed_out)."""
    delay = 0.002
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage, False
        now = time.perf_counter()
        if now >= deadline:
            _kill_group(pid)
            return None, None, True
        time.sleep(min(delay, deadline - now))
        delay = min(delay * 1.5, 0.05)


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
