"""A target at a git revision: `rev:HEAD~1:billing.reports:total`. The revision's files are exported with
`git archive` into a temporary folder (no checkout, no worktree metadata: the user's working tree and
repository are never written); `rev:WORKTREE:...` is the working tree as it is."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError


@dataclass
class Side:
    target: str  # module:function
    root: Path  # the project root the target runs in (the project itself, or its copy at a revision)
    revision: str | None = None
    cleanup: tempfile.TemporaryDirectory | None = None


def resolve(field: str, spec: str, project_root: Path) -> Side:
    if not spec.startswith("rev:"):
        return Side(spec, project_root)
    rev, sep, target = spec[4:].partition(":")
    if not sep or not rev or ":" not in target:
        raise InputError(field, f"expected rev:REVISION:module:function (e.g. rev:HEAD~1:billing.reports:total), got {spec!r}")
    if rev == "WORKTREE":
        return Side(target, project_root, "WORKTREE")
    top = _git(field, project_root, "rev-parse", "--show-toplevel").decode().strip()
    sha = _git(field, project_root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    tmp = tempfile.TemporaryDirectory(prefix="po-rev-")
    archive = _git(field, Path(top), "archive", "--format=tar", sha)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tmp.name, filter="data")
    inside = project_root.resolve().relative_to(Path(top).resolve())
    return Side(target, Path(tmp.name) / inside, f"{rev} ({sha[:12]})", tmp)


def _git(field: str, cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(field, f"git {args[0]} failed: {exc}") from None
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip() or "unknown revision"
        raise InputError(field, f"git {args[0]}: {reason}")
    return done.stdout
