"""A finding's stable identity: rule + file + enclosing function + a normalised form of the statement it is on.

Line numbers are left out on purpose, so an id survives lines inserted above the finding and a reformatted
file; it changes when the flagged code itself changes. Paging cursors, `finding_id` lookups, SARIF
`partialFingerprints` and baselines all use this one id.

It costs no second parse of the module: the enclosing functions come from the facts the scan already has, and
the statement is read with `tokenize` from its first line to the end of its logical line (a compound statement's
header: `for row in rows:`), without whitespace, comments, quote style or trailing commas, which is what
formatters change. Only when the finding's line continues a statement begun above is the enclosing function
alone parsed, to find where that statement starts.
"""

from __future__ import annotations

import ast
import hashlib
import io
import tokenize
from bisect import bisect_right
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from .syntax import parse

if TYPE_CHECKING:
    from ..models import Finding
    from .facts import ModuleFacts

Scope = tuple[int, int, str]  # first line, last line, qualified name of a function
_SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
# Statements whose body holds other statements: a line inside the body belongs to an inner statement.
_BLOCKS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith,
           ast.Try, ast.Match) + ((ast.TryStar,) if hasattr(ast, "TryStar") else ())
_MAX_LINES = 40  # a logical line longer than this is cut: the id still differs from its neighbours'
# How a line ends when the statement goes on below it (a line ending in ":" opens a body instead).
_OPEN_ENDS = ("(", "[", "{", ",", "\\", "+", "-", "*", "/", "%", "&", "|", "=", "<", ">", ".")


def statement_at(lines: Sequence[str], line: int, statements: Sequence[tuple[int, int, bool]] = ()) -> str:
    """The statement holding `line` (1-based), from its first line to the end of its logical line, normalised.

    A finding may sit inside a statement a formatter split over lines (`conn.execute(` inside `out.append(`):
    `statements` (the enclosing function's, from `statements_of`) say where it starts. Outside functions, the
    logical line starting at `line`; failing that, the line itself."""
    start = max((first for first, last, block in statements if first <= line <= last and not (block and first < line)), default=line)
    found = _logical(lines, start)
    if found is not None and found[1] >= line:
        return found[0]
    return "".join((lines[line - 1] if 0 < line <= len(lines) else "").split())


def statements_of(lines: Sequence[str], scope: Scope) -> list[tuple[int, int, bool]]:
    """(first line, last line, holds a body) of every statement of one function, parsing that function alone."""
    first, last, _ = scope
    text = "".join(lines[first - 1:last])
    shift = first - 1
    if text[:1].isspace():  # a method: parse it as the block of an `if`, which any indentation satisfies
        text, shift = "if 1:\n" + text, shift - 1
    try:
        tree = parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return []
    out: list[tuple[int, int, bool]] = []
    todo: list[ast.AST] = list(tree.body)
    while todo:  # statements only: expressions hold none, and walking them would cost ten times more
        n = todo.pop()
        out.append((n.lineno + shift, (n.end_lineno or n.lineno) + shift, isinstance(n, _BLOCKS)))
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            for child in getattr(n, name, ()):
                todo.extend(child.body if isinstance(child, (ast.ExceptHandler, ast.match_case)) else [child])
    return out


def continues(lines: Sequence[str], line: int) -> bool:
    """Whether `line` looks like the continuation of a statement begun above (only then is parsing worth it)."""
    here = lines[line - 1].lstrip() if 0 < line <= len(lines) else ""
    above = next((t.split("#", 1)[0].rstrip() for t in reversed(lines[max(0, line - 6):line - 1]) if t.strip()), "")
    return here[:1] in (")", "]", "}", ".") or above.endswith(_OPEN_ENDS) or above.endswith((" and", " or", " in", " not", " if", " else"))


def _logical(lines: Sequence[str], start: int) -> tuple[str, int] | None:
    """(normalised tokens, last line) of the logical line starting at `start`; None when it cannot start there."""
    out: list[str] = []
    depth = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO("".join(lines[start - 1:start - 1 + _MAX_LINES]).lstrip()).readline):
            if tok.type == tokenize.NEWLINE:
                return " ".join(out), start + tok.start[0] - 1
            if tok.type in _SKIP:
                continue
            if tok.string in ("(", "[", "{"):
                depth += 1
            elif tok.string in (")", "]", "}"):
                depth -= 1
                if depth < 0:
                    return None
                if out and out[-1] == ",":
                    out.pop()  # a formatter's magic trailing comma
            out.append(tok.string.replace("'", '"') if tok.type == tokenize.STRING else tok.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    return (" ".join(out), start + len(lines)) if out else None


def scopes_of(facts: Iterable[ModuleFacts]) -> dict[str, list[Scope]]:
    return {m.path: sorted((f.span.line, f.span.end_line, f.qualname) for f in m.functions.values() if f.qualname != "<module>")
            for m in facts}


def _enclosing(scopes: list[Scope], line: int) -> Scope | None:
    """The innermost function holding `line`: spans nest, so it is the last-starting one that still holds it."""
    for scope in reversed(scopes[:bisect_right(scopes, (line, float("inf"), ""))]):
        if scope[1] >= line:
            return scope
    return None


def assign_ids(findings: Iterable[Finding], source: Callable[[str], str | None], scopes: dict[str, list[Scope]] | None = None) -> None:
    """Give every finding its id in place. `source(path)` returns a file's text (None when it cannot be read);
    `scopes` maps a path to its functions' spans (from the scan's facts)."""
    texts: dict[str, list[str]] = {}
    parsed: dict[tuple[str, Scope], list[tuple[int, int, bool]]] = {}
    counts: dict[str, int] = defaultdict(int)
    ordered = sorted(findings, key=lambda f: (f.location.path, f.location.line, f.location.column) if f.location else ("", 0, 0))
    for f in ordered:
        if f.location is None:
            path, qualname, anchor = "", "", f.message
        else:
            path, line = f.location.path, f.location.line
            if path not in texts:
                texts[path] = (source(path) or "").splitlines(keepends=True)
            scope = _enclosing((scopes or {}).get(path, []), line)
            qualname = scope[2] if scope else ""
            statements: list[tuple[int, int, bool]] = []
            if scope is not None and texts[path] and continues(texts[path], line):
                statements = parsed.get((path, scope)) or parsed.setdefault((path, scope), statements_of(texts[path], scope))
            anchor = statement_at(texts[path], line, statements) if texts[path] else (f.location.snippet or "").strip()
        base = hashlib.sha256("\x1f".join((f.rule, path, qualname, anchor)).encode()).hexdigest()[:12]
        counts[base] += 1  # the same rule twice on one statement: numbered in reading order
        f.id = f"{f.rule}-{base}" + (f"-{counts[base]}" if counts[base] > 1 else "")


def file_reader(root: Path) -> Callable[[str], str | None]:
    def read(rel: str) -> str | None:
        try:
            return (root / rel).read_text(encoding="utf-8", errors="replace")
        except (OSError, ValueError):
            return None

    return read
