"""The environment of the child processes whose start-up the benchmarks time, the same for ours and the peer.

- Bytecode is cached as on any installed copy: some shells here set PYTHONDONTWRITEBYTECODE=1, which makes
  every start compile our sources again (about 150 ms for the hook) and measures that shell, not the tool. The
  bytecode goes to a folder of the run (PYTHONPYCACHEPREFIX), never into the repository; run each child once
  before timing it.
- Besides wall-clock time, each run's CPU time (user + system, of the children it waited for) is kept: on a
  machine busy with other work, wall-clock ratios against a tiny peer shrink (both wait for a core), CPU time
  much less.
- The child imports the package this benchmark imported (PYTHONPATH), not whichever copy is installed: the MCP
  SDK's stdio client passes only a few variables to a server unless told otherwise.
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path
from typing import Any, Callable

import mcp_server

PACKAGE_ROOT = Path(mcp_server.__file__).resolve().parent.parent


def child_env(run_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(run_dir / "bytecode")
    env["PYTHONPATH"] = os.pathsep.join([str(PACKAGE_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    return {**env, **extra}


def timed(run: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of the child processes `run` started and waited for, what `run` returned)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = run()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), out
