"""Persistent cache of per-file facts, keyed by content hash and engine version.

A file whose size and mtime are unchanged is not even read; a touched file with the same content is
read and hashed but not parsed. Lives in the user's cache folder (PERFORMANCE_OPTIMIZER_CACHE_DIR,
else XDG_CACHE_HOME, else ~/.cache), never in the project; `performance-optimizer cache clear` removes it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from .facts import ModuleFacts

_ENGINE_FILES = ("apis.py", "extract.py", "facts.py", "files.py")


def engine_version() -> str:
    """Changes whenever the extraction code changes, so stale facts are never served."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in _ENGINE_FILES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    explicit = os.environ.get("PERFORMANCE_OPTIMIZER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "performance-optimizer"


Entry = tuple[int, int, str, ModuleFacts]  # mtime_ns, size, sha256, facts


class FactsCache:
    def __init__(self, root: Path, enabled: bool = True):
        self.enabled = enabled
        self.path = cache_dir() / f"{hashlib.sha256(str(root).encode()).hexdigest()[:16]}-{engine_version()}.pickle"
        self.entries: dict[str, Entry] = {}
        self.dirty = False
        if enabled:
            try:
                with open(self.path, "rb") as fh:
                    self.entries = pickle.load(fh)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
                self.entries = {}

    def fresh(self, rel: str, mtime_ns: int, size: int) -> ModuleFacts | None:
        e = self.entries.get(rel)
        return e[3] if e and e[0] == mtime_ns and e[1] == size else None

    def by_hash(self) -> dict[str, ModuleFacts]:
        return {e[2]: e[3] for e in self.entries.values()}

    def put(self, rel: str, mtime_ns: int, size: int, sha: str, facts: ModuleFacts) -> None:
        if self.enabled:
            self.entries[rel] = (mtime_ns, size, sha, facts)
            self.dirty = True

    def save(self) -> None:
        if not (self.enabled and self.dirty):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(self.entries, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)  # atomic: a concurrent reader sees the old or the new cache
        except OSError:
            pass  # a cache that cannot be written only costs time next run


def clear() -> int:
    removed = 0
    d = cache_dir()
    if d.is_dir():
        for p in d.glob("*.pickle"):
            p.unlink(missing_ok=True)
            removed += 1
    return removed
