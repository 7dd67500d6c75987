"""Persistent cache of per-file facts, keyed by content hash and engine version.

A file whose size and mtime are unchanged is not even read; a touched file with the same content is
read and hashed but not parsed. Lives in the user's cache folder (PERFORMANCE_OPTIMIZER_CACHE_DIR,
else XDG_CACHE_HOME, else ~/.cache), never in the project; `performance-optimizer cache clear` removes it.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import pickle
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the hook asks only for cache_dir() on a comment edit, before any facts exist
    from .facts import ModuleFacts


def engine_version() -> str:
    """Changes whenever the analysis code changes, so stale facts or findings are never served."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    explicit = os.environ.get("PERFORMANCE_OPTIMIZER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "performance-optimizer"


Entry = tuple[int, int, str, "ModuleFacts"]  # mtime_ns, size, sha256, facts


_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError)


_writers: list[int] = []  # children still writing a cache file (_dump_behind)


def _wait_for_writers() -> None:
    """Before this process reads or writes a cache file, or exits: the children writing one are done."""
    while _writers:
        try:
            os.waitpid(_writers.pop(), 0)
        except ChildProcessError:
            pass


atexit.register(_wait_for_writers)


def _dump_behind(path: Path, value: object) -> None:
    """Write a large cache file from a forked child while this process goes on with the analysis, which uses one core
    of two (pickling Django's facts is 0.2 s the scan would otherwise wait for). Not once threads exist (the MCP
    server runs tools on worker threads; fork copies one thread of many), nor where there is no fork."""
    if threading.active_count() > 1 or not hasattr(os, "fork"):
        _dump(path, value)
        return
    _wait_for_writers()
    try:
        pid = os.fork()
    except OSError:
        _dump(path, value)
        return
    if pid == 0:  # the child: write, and leave without running the parent's exit handlers
        try:
            _dump(path, value)
        finally:
            os._exit(0)
    _writers.append(pid)


def _load(path: Path) -> object | None:
    _wait_for_writers()
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except _UNREADABLE:
        return None


def _dump(path: Path, value: object) -> None:
    _wait_for_writers()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old or the new file
    except OSError:
        pass  # a cache that cannot be written only costs time next run


class FactsCache:
    """Two files per project: every file's facts (large, read only when something changed), and the
    findings of the last scan keyed by the files' stamps (small, what an unchanged rescan reads)."""

    def __init__(self, root: Path, enabled: bool = True):
        self.enabled = enabled
        stem = f"{hashlib.sha256(str(root).encode()).hexdigest()[:16]}-{engine_version()}"
        self.path = cache_dir() / f"{stem}.pickle"
        # what changed since the big file was last written: a one-file edit rewrites this small file only
        self.overlay_path = cache_dir() / f"{stem}-changed.pickle"
        self._changed: dict[str, Entry] = {}
        self.results_path = cache_dir() / f"{stem}-results.pickle"
        self._entries: dict[str, Entry] | None = None
        self.dirty = False

    @property
    def entries(self) -> dict[str, Entry]:
        if self._entries is None:
            loaded = _load(self.path) if self.enabled else None
            self._entries = loaded if isinstance(loaded, dict) else {}
            overlay = _load(self.overlay_path) if self.enabled else None
            if isinstance(overlay, dict):
                self._entries.update(overlay)
                self._changed = dict(overlay)
        return self._entries

    def _results_for(self, key: str) -> dict | None:
        if not self.enabled:
            return None
        loaded = _load(self.results_path)
        return loaded if isinstance(loaded, dict) and loaded.get("key") == key else None

    def results(self, key: str) -> object | None:
        loaded = self._results_for(key)
        return loaded["value"] if loaded else None

    def save_results(self, key: str, value: object) -> None:
        if self.enabled:
            _dump(self.results_path, {"key": key, "value": value, "renderings": {}})

    def rendering(self, key: str, how: str) -> object | None:
        """A report already rendered for exactly these files and these options (the shell's fast path)."""
        loaded = self._results_for(key)
        return loaded["renderings"].get(how) if loaded else None

    def save_rendering(self, key: str, how: str, payload: object) -> None:
        loaded = self._results_for(key)
        if loaded is not None:
            loaded["renderings"][how] = payload
            _dump(self.results_path, loaded)

    def fresh(self, rel: str, mtime_ns: int, size: int) -> ModuleFacts | None:
        e = self.entries.get(rel)
        return e[3] if e and e[0] == mtime_ns and e[1] == size else None

    def known(self, rel: str) -> tuple[str, ModuleFacts] | None:
        e = self.entries.get(rel)
        return (e[2], e[3]) if e else None

    def put(self, rel: str, mtime_ns: int, size: int, sha: str, facts: ModuleFacts) -> None:
        if self.enabled:
            self.entries[rel] = self._changed[rel] = (mtime_ns, size, sha, facts)
            self.dirty = True

    def save(self) -> None:
        if not (self.enabled and self.dirty):
            return
        if len(self._changed) * 10 < len(self.entries):  # a few files changed: write only those
            _dump(self.overlay_path, self._changed)
        else:  # fold everything into the big file and start a new overlay
            _dump_behind(self.path, self.entries)
            self.overlay_path.unlink(missing_ok=True)
            self._changed = {}


def _listing_path(root: Path) -> Path:
    return cache_dir() / f"{hashlib.sha256(str(root).encode()).hexdigest()[:16]}-tree3.pickle"


def load_listing(root: Path) -> dict:
    """Folder listings of the last scan (see files._walk): an unchanged tree is not read again."""
    loaded = _load(_listing_path(root))
    return loaded if isinstance(loaded, dict) else {}


def save_listing(root: Path, listing: dict) -> None:
    _dump(_listing_path(root), listing)


def clear() -> int:
    removed = 0
    d = cache_dir()
    if d.is_dir():
        for p in d.glob("*.pickle"):
            p.unlink(missing_ok=True)
            removed += 1
    return removed
