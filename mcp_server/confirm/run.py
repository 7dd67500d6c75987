"""Run the user's command (their test suite) with query capture in every Python process it starts.

The capture rides on a `sitecustomize` of our own, in a temporary folder put first on the child's PYTHONPATH
and removed afterwards: nothing is written into the project. The command runs in its own session, so at its
end, or at the timeout, the whole process group is killed and nothing it started keeps running. Its exit
status and output are the command's own: the output goes where the caller says (passed through to the
terminal, or to a file whose end the report keeps).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable

HERE = Path(__file__).resolve().parent
CAPTURE = HERE.parent / "runtime" / "capture.py"
PROBE = HERE / "probe.py"
STUB = HERE / "sitecustomize_stub.py"
OUTPUT_TAIL = 4000  # characters of the command's output kept when it is not passed through
TICK_S = 1.0  # progress is reported about this often

Progress = Callable[[float, float, str], None]


@dataclass
class SuiteRun:
    status: str  # passed | failed | timeout | not_found | interrupted
    exit_code: int | None = None
    signal: str | None = None
    seconds: float = 0.0
    processes: int = 0  # Python processes that loaded the capture
    groups: list[list] = field(default_factory=list)  # [test, layer, statement, stack, many, template, count, seconds]
    output_tail: str = ""
    message: str = ""


def resolve_command(command: list[str], cwd: Path) -> str | None:
    """The executable COMMAND names (found on PATH, or a path relative to `cwd`), or None."""
    exe = command[0]
    if os.sep in exe:
        full = (cwd / exe) if not os.path.isabs(exe) else Path(exe)
        return str(full) if full.is_file() and os.access(full, os.X_OK) else None
    return shutil.which(exe)


def run_suite(command: list[str], root: Path, timeout_s: float, output: int | IO | None = None,
              progress: Progress | None = None) -> SuiteRun:
    """Run `command` in `root`. `output`: None passes the command's stdout and stderr through to ours; a file
    descriptor or file receives both; subprocess.PIPE keeps the last OUTPUT_TAIL characters in the result."""
    exe = resolve_command(command, root)
    if exe is None:
        return SuiteRun("not_found", message=f"{command[0]}: command not found (not on PATH, nor an executable file)")
    tmp = Path(tempfile.mkdtemp(prefix="po-confirm-"))
    try:
        hook, out = tmp / "hook", tmp / "out"
        hook.mkdir()
        out.mkdir()
        shutil.copyfile(STUB, hook / "sitecustomize.py")
        env = dict(os.environ)
        env.pop("PYTEST_CURRENT_TEST", None)  # a pytest running us is not the test the child runs
        env["PYTHONPATH"] = os.pathsep.join([str(hook), *filter(None, [env.get("PYTHONPATH")])])
        env.update(PO_CONFIRM_OUT=str(out), PO_CONFIRM_ROOT=str(root), PO_CONFIRM_CAPTURE=str(CAPTURE), PO_CONFIRM_PROBE=str(PROBE))
        log = open(tmp / "output.log", "w+b") if output == subprocess.PIPE else None
        sink = log if log is not None else output
        started = time.perf_counter()
        try:
            proc = subprocess.Popen([exe, *command[1:]], cwd=root, env=env, stdout=sink, stderr=subprocess.STDOUT if sink is not None else None,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            return SuiteRun("not_found", message=f"{command[0]}: cannot start it ({exc.strerror or exc})")
        run = SuiteRun("passed")
        try:
            run.status = _wait(proc, started, timeout_s, progress, out)
        except KeyboardInterrupt:
            _kill_group(proc.pid)
            proc.wait()
            raise
        finally:
            _kill_group(proc.pid)  # what the suite left running (a server, a worker) goes with it
        run.seconds = time.perf_counter() - started
        code = proc.returncode
        if run.status == "timeout":
            run.message = f"timed out after {timeout_s:g} s; the command's process group was killed"
        elif code is not None and code < 0:
            run.signal = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            run.status, run.message = "failed", f"the command was ended by {run.signal}"
        else:
            run.exit_code = code
            if code != 0:
                run.status, run.message = "failed", f"the command exited with status {code}"
        if log is not None:
            log.seek(0)
            text = log.read().decode(errors="replace")
            log.close()
            run.output_tail = text[-OUTPUT_TAIL:]
        run.processes, run.groups = _collect(out)
        return run
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _wait(proc: subprocess.Popen, started: float, timeout_s: float, progress: Progress | None, out: Path) -> str:
    deadline = started + timeout_s
    next_tick = started + TICK_S
    while True:
        now = time.perf_counter()
        try:
            proc.wait(timeout=max(0.0, min(deadline, next_tick) - now))
            return "passed"
        except subprocess.TimeoutExpired:
            pass
        now = time.perf_counter()
        if now >= deadline:
            _kill_group(proc.pid)
            proc.wait()
            return "timeout"
        if progress is not None and now >= next_tick:
            seen = sum(1 for p in out.iterdir() if p.suffix == ".jsonl")
            progress(now - started, timeout_s, f"running the command: {now - started:.0f} s, {seen} Python process(es) seen")
        next_tick = now + TICK_S


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _collect(out: Path) -> tuple[int, list[list]]:
    """(Python processes seen, group increments): each process's file is a header line, then one line per increment."""
    processes = 0
    groups: list[list] = []
    for path in sorted(out.glob("*.jsonl")):
        try:
            lines = path.read_text(errors="replace").splitlines()
        except OSError:
            continue
        processes += 1
        for line in lines[1:]:
            try:
                g = json.loads(line)
            except ValueError:  # the last line of a process killed while writing it
                continue
            if isinstance(g, list) and len(g) == 8:
                groups.append(g)
    return processes, groups
