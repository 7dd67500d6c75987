"""The environment of the child processes whose start-up the benchmarks time, the same for ours and the peer.

- Bytecode is cached as on any installed copy: some shells here set PYTHONDONTWRITEBYTECODE=1, which makes
  every start compile our sources again (about 150 ms for the hook) and measures that shell, not the tool. The
  bytecode goes to a folder of the run (PYTHONPYCACHEPREFIX), never into the repository; run each child once
  before timing it.
- The child imports the package this benchmark imported (PYTHONPATH), not whichever copy is installed: the MCP
  SDK's stdio client passes only a few variables to a server unless told otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

import mcp_server

PACKAGE_ROOT = Path(mcp_server.__file__).resolve().parent.parent


def child_env(run_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(run_dir / "bytecode")
    env["PYTHONPATH"] = os.pathsep.join([str(PACKAGE_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    return {**env, **extra}
