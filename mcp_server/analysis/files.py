"""Finding the files to scan and reading them safely: every bad file becomes a reason, never a crash."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import resolve_inside
from ..errors import InputError
from ..limits import file_too_large
from .suffixes import TEMPLATE_SUFFIXES, is_deploy_name, is_deploy_path, is_template_path
from .syntax import parse

if TYPE_CHECKING:  # the extractor loads when a file is parsed: the hook and planning only list and filter files
    from collections.abc import Callable

    from .facts import ModuleFacts

log = logging.getLogger("performance_optimizer")
MAX_FILE_BYTES = 2 * 1024 * 1024  # larger .py files are generated code; a threshold can raise it
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


@lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """Glob over POSIX relative paths: `**/` any folders (or none), `*` within one name, `?` one character."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def _union(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{glob_regex(p).pattern})" for p in patterns)) if patterns else None


@dataclass(frozen=True)
class PathFilter:
    include: tuple[str, ...]
    exclude: tuple[str, ...]

    def __post_init__(self) -> None:
        # one alternation per list: a file is matched once, not once per pattern
        object.__setattr__(self, "_inc", _union(self.include))
        object.__setattr__(self, "_exc", _union(self.exclude))
        object.__setattr__(self, "_dirs", _union(tuple(p for p in self.exclude if p.endswith("**"))))

    def excluded(self, rel: str) -> bool:
        return self._exc is not None and self._exc.match(rel) is not None

    def included(self, rel: str) -> bool:
        return self._inc is not None and self._inc.match(rel) is not None and not self.excluded(rel)

    def asked_for(self, rel_dir: str) -> PathFilter:
        """This filter for a folder named explicitly: the patterns that would exclude all of it are dropped, as a file
        named explicitly is scanned even when excluded (`paths=["examples/accounting"]` under `**/examples/**`)."""
        kept = tuple(p for p in self.exclude if glob_regex(p).match(rel_dir + "/x.py") is None)
        return self if len(kept) == len(self.exclude) else PathFilter(self.include, kept)

    def prune_dir(self, rel_dir: str) -> bool:
        # a folder is pruned when everything in it would be excluded ("build/**"), or it is excluded itself
        return (self._dirs is not None and self._dirs.match(rel_dir + "/x.py") is not None) or self.excluded(rel_dir)


Listing = dict[str, tuple[int, list[str], list[str]]]  # folder -> (mtime_ns, subfolders, .py, template and deployment files)


def _walk(top: str, listing: Listing | None):
    """os.walk for Python, template and deployment files (suffixes.is_deploy_name), reusing the listing of every
    folder whose mtime has not changed: a folder's mtime changes when an entry is added, removed or renamed in it,
    which is all a listing records."""
    stack = [top]
    while stack:
        path = stack.pop()
        try:
            mtime = os.stat(path).st_mtime_ns
        except OSError:
            continue
        cached = listing.get(path) if listing is not None else None
        if cached is not None and cached[0] == mtime:
            _, dirs, files = cached
        else:
            dirs, files = [], []
            try:
                with os.scandir(path) as it:
                    for entry in it:
                        if entry.is_dir(follow_symlinks=False):
                            dirs.append(entry.name)
                        elif entry.name.endswith(".py") or (entry.name.endswith(TEMPLATE_SUFFIXES) and "templates" in path) or \
                                is_deploy_name(entry.name):
                            # d_type says, at no cost, what is not a regular file (a named pipe would hang the read):
                            # such names are kept marked with a NUL, which no file name contains, to be reported
                            files.append(entry.name if entry.is_file() else "\0" + entry.name)
            except OSError:
                continue
            if listing is not None:
                listing[path] = (mtime, dirs, files)
        kept = yield path, dirs, files
        stack.extend(os.path.join(path, d) for d in reversed(kept if kept is not None else dirs))


def discover(
    root: Path, paths: list[str], flt: PathFilter, field_name: str = "paths", listing: Listing | None = None,
    deploy: list[str] | None = None,
) -> tuple[list[str], list[tuple[str, str]]]:
    """Python files under `paths` (relative to root, sorted), and (path, reason) for what was skipped.
    Files and folders named explicitly are scanned even when excluded. `deploy` receives the deployment files walked past (a
    crontab, a Procfile, a workflow: what starts a command), which are never parsed."""
    found: set[str] = set()
    problems: list[tuple[str, str]] = []
    for raw in paths:
        target = resolve_inside(root, raw, field_name)
        if not target.exists():
            raise InputError(field_name, f"{raw} does not exist")
        if not target.is_file() and not target.is_dir():
            problems.append((target.relative_to(root).as_posix(), NOT_REGULAR))
            continue
        if target.is_file():
            rel = target.relative_to(root).as_posix()
            if rel.endswith(".py") or is_template_path(rel):
                found.add(rel)
            else:
                problems.append((rel, "not a Python file (.py); skipped"))
            continue
        root_str = str(root)
        cut = len(root_str) + 1
        here = flt if target == root else flt.asked_for(target.relative_to(root).as_posix())  # (a folder named: its own)
        walker = _walk(str(target), listing)
        step = next(walker, None)
        while step is not None:
            dirpath, dirnames, filenames = step
            rel_dir = dirpath[cut:] if len(dirpath) > len(root_str) else ""  # plain strings: pathlib per file is slow
            prefix = f"{rel_dir}/" if rel_dir else ""
            kept = sorted(d for d in dirnames if not here.prune_dir(prefix + d))
            for name in filenames:
                odd = name.startswith("\0")
                rel = prefix + name.lstrip("\0")
                if is_deploy_path(rel):
                    if deploy is not None and not odd and not here.excluded(rel):
                        deploy.append(rel)
                    continue
                if here.included(rel) or (is_template_path(rel) and not here.excluded(rel)):
                    full = os.path.join(dirpath, name.lstrip("\0"))
                    link = os.path.islink(full)
                    if link and not Path(full).resolve().is_relative_to(root):
                        problems.append((rel, "symlink to a file outside the project root; skipped"))
                        continue
                    if odd and not link:  # a named pipe called x.py: listed with its reason, never opened
                        problems.append((rel, NOT_REGULAR))
                        continue
                    found.add(rel)
            try:
                step = walker.send(kept)
            except StopIteration:
                step = None
    return sorted(found), problems


@dataclass(frozen=True)
class FileResult:
    path: str
    facts: ModuleFacts | None
    problem: str | None
    sha256: str
    mtime_ns: int
    size: int
    stand_in: ModuleFacts | None = None  # a file the parser refused, read as text (unparsed.py)


def analyse_file(
    root: str, rel: str, max_bytes: int = MAX_FILE_BYTES, known: tuple[str, ModuleFacts] | None = None,
) -> FileResult:
    """Read, parse and extract one file. `known` is the cached (content hash, facts) of this same path."""
    full = os.path.join(root, rel)
    data, problem, st = read_bytes(full, max_bytes)
    if data is None:
        return FileResult(rel, None, problem, "", st.st_mtime_ns if st else 0, st.st_size if st else 0)
    sha = hashlib.sha256(data).hexdigest()
    if known and known[0] == sha:  # touched, not changed: the facts still hold
        return FileResult(rel, known[1], None, sha, st.st_mtime_ns, st.st_size)
    facts, problem = analyse_bytes(rel, data, root)
    stand_in = text_stand_in(rel, problem, lambda: decode(data)[0])
    return FileResult(rel, facts, problem, sha, st.st_mtime_ns, st.st_size, stand_in)


NOT_REGULAR = "not a regular file (a named pipe, socket or device); skipped"


def read_bytes(full: str, max_bytes: int) -> tuple[bytes | None, str | None, os.stat_result | None]:
    """A file's bytes, or why not. Only regular files are opened: opening a named pipe waits for a writer forever."""
    try:
        st = os.stat(full)
        if not stat.S_ISREG(st.st_mode):
            return None, NOT_REGULAR, st
        if st.st_size > max_bytes:
            return None, file_too_large(st.st_size, max_bytes), st
        with open(full, "rb") as fh:
            return fh.read(), None, st
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}", None


SYNTAX = "syntax error"


def text_stand_in(rel: str, problem: str | None, text: Callable[[], str | None]) -> ModuleFacts | None:
    """What a Python file the parser refused (`problem` a syntax error) still says of the project; None for anything
    else. `text` reads the file's text, only for such a file."""
    if not (problem and problem.startswith(SYNTAX) and rel.endswith(".py")) or (source := text()) is None:
        return None
    from .unparsed import stand_in

    return stand_in(rel, source)


def read_source(root: Path, rel: str, max_bytes: int = MAX_FILE_BYTES) -> tuple[str | None, str | None]:
    """A Python file's text for the tools that parse it themselves (indexes), with the scan's limits and reasons."""
    data, problem, _ = read_bytes(os.path.join(root, rel), max_bytes)
    if data is None:
        return None, problem
    if b"\x00" in data:
        return None, "binary file (contains NUL bytes); skipped"
    return decode(data)


def analyse_bytes(rel: str, data: bytes, root: str | None = None) -> tuple[ModuleFacts | None, str | None]:
    if b"\x00" in data:
        return None, "binary file (contains NUL bytes); skipped"
    text, problem = decode(data)
    if text is None:
        return None, problem
    return analyse_text(rel, text, root)


def decode(data: bytes) -> tuple[str | None, str | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        for line in data.split(b"\n", 2)[:2]:  # PEP 263: a coding cookie on line 1 or 2
            m = _CODING.match(line)
            if m:
                try:
                    return data.decode(m.group(1).decode("ascii")), None
                except (LookupError, UnicodeDecodeError):
                    break
        line_no = data.count(b"\n", 0, exc.start) + 1
        return None, f"not UTF-8: byte 0x{data[exc.start]:02x} at line {line_no} cannot be decoded, and no coding cookie declares another encoding; skipped"


def analyse_text(rel: str, text: str, root: str | None = None) -> tuple[ModuleFacts | None, str | None]:
    if rel.endswith(TEMPLATE_SUFFIXES):
        from .templates import parse_template

        return parse_template(rel, text), None
    try:
        tree = parse(text, filename=rel)
    except SyntaxError as exc:
        return None, f"{SYNTAX} at line {exc.lineno}, column {exc.offset}: {exc.msg}; skipped"
    except (RecursionError, MemoryError):
        return None, "too deeply nested for the parser; skipped"
    except ValueError as exc:
        return None, f"cannot parse: {exc}; skipped"
    from .extract import extract
    from .unreachable import prune

    try:
        return extract(rel, text, prune(tree), root), None
    except RecursionError:
        return None, "too deeply nested to analyse; skipped"
    except Exception as exc:  # a bug of ours must cost one file, not the scan
        log.exception("analysing %s failed", rel)
        return None, f"internal error while analysing ({type(exc).__name__}: {exc}); skipped, please report it"
