"""The Claude Code PostToolUse hook: after Claude edits a Python file, scan that file and, when the edit
introduced a performance finding (an N+1, a per-row write or lookup, a leak, money as float...), tell
Claude what was found and to hand it to the performance-optimizer agent.

It never gets in the way of an edit: any problem of its own (a bad payload, a file outside the project,
a crash) is logged to stderr and it exits 0 with nothing on stdout. It only speaks about findings that are
new in this edit, comparing with the file as it was before (rebuilt from the edit itself, else the last
version it saw, else git's HEAD), so it does not nag about old code on every edit.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import SEVERITIES, HookConfig, find_root, load_config, resolve_inside
from .errors import InputError

log = logging.getLogger("performance_optimizer.hook")
WRITING_TOOLS = frozenset({"Edit", "MultiEdit", "Write", "NotebookEdit"})
MAX_IMPORTED = 40  # project modules read next to the edited file, so chains through helpers are seen


@dataclass(frozen=True)
class Edited:
    root: Path
    path: Path
    rel: str
    tool: str
    tool_input: dict[str, Any]


def read_payload(text: str) -> Edited | None:
    """The edited Python file inside the project, or None when there is nothing for us to do."""
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        log.warning("hook payload is not JSON (%s); ignored", exc)
        return None
    if not isinstance(payload, dict):
        log.warning("hook payload is not a JSON object; ignored")
        return None
    tool = payload.get("tool_name")
    tool_input = payload.get("tool_input")
    if tool not in WRITING_TOOLS or not isinstance(tool_input, dict):
        return None
    file_path = tool_input.get("file_path") or tool_input.get("notebook_path")
    if not isinstance(file_path, str) or not (file_path.endswith(".py") or _is_template(file_path)):
        return None
    cwd = payload.get("cwd")
    start = Path(cwd) if isinstance(cwd, str) and os.path.isdir(cwd) else None
    root = find_root(start=start)
    try:
        path = resolve_inside(root, file_path, "tool_input.file_path")
    except InputError as exc:
        log.info("%s; ignored", exc)
        return None
    if not path.is_file():
        return None
    return Edited(root, path, path.relative_to(root).as_posix(), tool, tool_input)


def previous_text(edited: Edited, current: str) -> str | None:
    """The file before this edit: undo the edit on the current text when the payload says what it changed."""
    ti = edited.tool_input
    edits = ti.get("edits") if edited.tool == "MultiEdit" else [ti] if edited.tool == "Edit" else None
    if not isinstance(edits, list):
        return None
    text = current
    for e in reversed(edits):
        if not isinstance(e, dict):
            return None
        old, new = e.get("old_string"), e.get("new_string")
        if not isinstance(old, str) or not isinstance(new, str) or (new and new not in text):
            return None
        text = text.replace(new, old) if e.get("replace_all") else text.replace(new, old, 1)
    return text


def same_code(before: str, after: str) -> bool:
    """True when two versions differ only in comments and blank lines (not in indentation, which is code, nor in a
    suppression comment, which changes what is reported). Token by token, stopping at the first difference: a code
    edit is known as such at the edit, without tokenizing the rest of a large file twice."""
    import io
    import itertools
    import tokenize

    def tokens(text: str):
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.NL or (tok.type == tokenize.COMMENT and "noqa" not in tok.string and "perf:" not in tok.string):
                continue
            yield tok.type, tok.string

    missing = object()
    try:
        return all(a == b for a, b in itertools.zip_longest(tokens(before), tokens(after), fillvalue=missing))
    except (tokenize.TokenError, SyntaxError, ValueError):  # unfinished code: let the engine say what it makes of it
        return False


def version_of(text: str, settings: str) -> str:
    return hashlib.sha256(f"{settings}\0{text}".encode()).hexdigest()[:24]


def git_head_text(root: Path, rel: str) -> str | None:
    import subprocess

    try:
        out = subprocess.run(["git", "-C", str(root), "show", f"HEAD:{rel}"], capture_output=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.decode("utf-8", "replace") if out.returncode == 0 else None


def fingerprint(f) -> str:
    """Stable across line shifts: the rule, the finding's source line and its loop's header."""
    loop = next((e.message for e in f.evidence if e.role == "loop"), "")
    snippet = f.location.snippet if f.location else ""
    snippet = "".join(snippet.split("#", 1)[0].split())  # a comment added on the line is not a new finding
    return hashlib.sha256(f"{f.rule}\0{snippet}\0{loop}".encode()).hexdigest()[:16]


def findings_for(root: Path, rel: str, text: str, hook: HookConfig, select: tuple[str, ...], ignore: tuple[str, ...]):
    """Findings located in `rel` when it holds `text`, with its directly imported project modules for context."""
    from .analysis.caller_rows import at_the_edit
    from .analysis.engine import analyse, no_gc, shown, suppressed
    from .analysis.files import analyse_text

    with no_gc():  # a short process building many small acyclic objects: the collector would only slow it down
        facts, problem = analyse_text(rel, text, str(root))
        if facts is None:
            log.info("%s: %s", rel, problem)
            return []
        modules = [facts, *_imported_modules(root, facts)]
        if not rel.endswith(".py"):  # a template: its rows come from the views that render it (analysis/renderers.py)
            modules += _template_context(root, rel, facts)
        failed: list[tuple[str, str]] = []
        found = analyse(modules, failures=failed)
        for place, message in failed:
            log.warning("%s: %s", place, message)
    threshold = SEVERITIES.index(hook.min_severity)
    return [
        f for f in found
        if f.location and f.location.path == rel
        and shown(f, hook.select or select, ignore)
        and SEVERITIES.index(at_the_edit(f)) <= threshold
        and not suppressed(f, {rel: facts.suppressions})
    ]


def _is_template(path: str) -> bool:
    from .analysis.files import is_template_path
    from .analysis.suffixes import NAMED_SUFFIXES

    # (another engine's template holds no findings: it is read only for the names it spells)
    return is_template_path(path.replace(os.sep, "/")) and not path.endswith(NAMED_SUFFIXES)


def _template_context(root: Path, rel: str, facts) -> list:
    from .analysis.renderers import related_files

    out = []
    for other in related_files(root, rel, facts):
        st = os.stat(root / other)
        context = _context_facts(str(root), other, st.st_mtime_ns, st.st_size)
        if context is not None:
            out += [context, *(_imported_modules(root, context) if other.endswith(".py") else [])]
    return out


def _imported_modules(root: Path, facts) -> list:
    seen: set[str] = {facts.path}
    out = []
    for target in sorted(set(facts.imports.values())):
        for rel in _module_files(root, target):
            if rel in seen or len(seen) > MAX_IMPORTED:
                continue
            seen.add(rel)
            try:
                st = os.stat(root / rel)
            except OSError:
                continue
            context = _context_facts(str(root), rel, st.st_mtime_ns, st.st_size)
            if context is not None:
                out.append(context)
    return out


@functools.lru_cache(maxsize=256)
def _context_facts(root: str, rel: str, mtime_ns: int, size: int):
    """An imported module's facts, parsed once although the file is analysed before and after the edit."""
    from .analysis.files import analyse_file

    return analyse_file(root, rel).facts


def _module_files(root: Path, dotted: str) -> list[str]:
    """The project files an import may name: the module itself, or the module holding the imported name."""
    parts = dotted.split(".")
    found = []
    for base in ("", "src/"):
        for cut in (len(parts), len(parts) - 1):
            if cut < 1:
                continue
            stem = base + "/".join(parts[:cut])
            for rel in (f"{stem}.py", f"{stem}/__init__.py"):
                if (root / rel).is_file():
                    found.append(rel)
                    break
            else:
                continue
            break
    return found


class HookState:
    """Per project: what the hook last saw in each file and when it last spoke about it."""

    def __init__(self, root: Path):
        from .analysis.cache import cache_dir

        self.path = cache_dir() / f"{hashlib.sha256(str(root).encode()).hexdigest()[:16]}-hook.json"
        try:
            self.data = json.loads(self.path.read_text())
            if not isinstance(self.data, dict):
                self.data = {}
        except (OSError, ValueError):
            self.data = {}

    def get(self, rel: str) -> dict:
        entry = self.data.get(rel)
        return entry if isinstance(entry, dict) else {}

    def put(self, rel: str, fingerprints: list[str], spoke_at: float | None, version: str | None = None) -> None:
        entry = self.get(rel)
        self.data[rel] = {"fingerprints": sorted(fingerprints), "spoke_at": spoke_at if spoke_at is not None else entry.get("spoke_at"),
                          "version": version}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.data))
            os.replace(tmp, self.path)
        except OSError as exc:
            log.info("hook state not saved: %s", exc)


def message(rel: str, new: list) -> str:
    lines = [f"performance-optimizer: your edit to {rel} introduced {len(new)} performance finding{'s' if len(new) != 1 else ''} "
             "(the edit itself was saved):"]
    for f in new[:5]:
        lines.append(f"- {f.rule} line {f.location.line}: {f.message}")
    if len(new) > 5:
        lines.append(f"- ... and {len(new) - 5} more")
    lines.append("Delegate to the performance-optimizer agent: it gathers the evidence with the performance-optimizer "
                 f"MCP tools (scan_performance on {rel}), fixes the code without changing results, and measures again.")
    return "\n".join(lines)


def post_tool_use(payload_text: str, now: float | None = None) -> str | None:
    """The hook's stdout for one payload: Claude Code's JSON when there is something new to say, else None."""
    edited = read_payload(payload_text)
    if edited is None:
        return None
    config = load_config(edited.root)
    hook = config.hook
    if not hook.enabled:
        return None
    from .analysis.files import PathFilter

    if PathFilter(("**/*.py",), (*config.exclude, *hook.ignore_paths)).excluded(edited.rel):
        return None
    max_bytes = int(config.threshold("max_file_kb") * 1024)
    size = edited.path.stat().st_size
    if size > max_bytes:  # the scan's limit: a generated 5 MB file took 36 s, past Claude Code's hook timeout
        from .limits import file_too_large

        log.warning("%s: %s", edited.rel, file_too_large(size, max_bytes))
        return None
    current = edited.path.read_text(encoding="utf-8", errors="replace")
    before = previous_text(edited, current)
    # what the findings depend on besides the text: the same text under other settings is another version
    settings = repr((hook, config.select, config.ignore))
    if before is not None and edited.rel.endswith(".py") and same_code(before, current):
        # a comment or blank-line edit cannot add a finding: answer before loading the engine, and carry what
        # was known of the old version over to this one (same code, same fingerprints)
        state = HookState(edited.root)
        seen = state.get(edited.rel)
        if seen.get("version") == version_of(before, settings) and "fingerprints" in seen:
            state.put(edited.rel, seen["fingerprints"], None, version_of(current, settings))
        return None
    state = HookState(edited.root)
    found = findings_for(edited.root, edited.rel, current, hook, config.select, config.ignore)
    prints = {fingerprint(f): f for f in found}
    seen = state.get(edited.rel)
    if before is not None and seen.get("version") == version_of(before, settings) and "fingerprints" in seen:
        old = set(seen["fingerprints"])  # the previous edit left the file as this one found it: its findings are known
    elif before is not None:
        old = {fingerprint(f) for f in findings_for(edited.root, edited.rel, before, hook, config.select, config.ignore)}
    elif "fingerprints" in state.get(edited.rel):
        old = set(state.get(edited.rel)["fingerprints"])
    else:
        head = git_head_text(edited.root, edited.rel)
        old = {fingerprint(f) for f in findings_for(edited.root, edited.rel, head, hook, config.select, config.ignore)} if head else set()
    new = [f for fp, f in prints.items() if fp not in old]
    now = time.time() if now is None else now
    spoke_at = state.get(edited.rel).get("spoke_at")
    rate_limited = bool(new) and isinstance(spoke_at, (int, float)) and now - spoke_at < hook.rate_limit_minutes * 60
    speak = bool(new) and not rate_limited
    state.put(edited.rel, list(prints), now if speak else None, version_of(current, settings))
    if not speak:
        return None
    text = message(edited.rel, sorted(new, key=lambda f: (f.location.line, f.rule)))
    # decision "block" on PostToolUse does not undo the edit (it already happened): it hands `reason` to Claude
    return json.dumps({
        "decision": "block",
        "reason": text,
        "hookSpecificOutput": {"hookEventName": "PostToolUse", "additionalContext": text},
    })


def main() -> int:
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="performance-optimizer hook: %(message)s")
    try:
        out = post_tool_use(sys.stdin.read())
    except Exception:  # never fail the user's edit because of us
        log.exception("hook failed; the edit is unaffected")
        return 0
    if out:
        sys.stdout.write(out + "\n")
    return 0
