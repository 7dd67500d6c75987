"""Parse a project's Python whatever version it is written for, on the interpreter the server runs on.

The engine reads `ast` trees. A project written for Python 3.12+ uses syntax that 3.11's parser rejects:
type parameters (`class Repo[T: Base]:`, `def first[T](rows: list[T])`), `type` aliases and f-strings that
reuse their own quote (`f"{row["name"]}"`). Skipping those files would hide a DAO layer from the call graph,
so when `ast.parse` fails we let libcst (whose parser knows every version) read the file, rewrite those few
constructs into 3.11 spellings that mean the same to the engine, on the same lines, and parse that. Python 3.14's
`except A, B:` without parentheses (PEP 758; La Suite Docs' models, round 93) is put in them on its own line.
"""

from __future__ import annotations

import ast
import functools
import re
import sys


def parse(text: str, filename: str = "<unknown>") -> ast.Module:
    """`ast.parse`, retried on a 3.11 spelling of newer syntax. A file that neither reads raises 3.11's own
    SyntaxError: its messages are clearer than libcst's, and it is right wherever the file uses no newer syntax."""
    try:
        return ast.parse(text, filename=filename)
    except SyntaxError as first:
        if sys.version_info < (3, 14) and "parenthesized" in (first.msg or ""):
            grouped = _BARE_EXCEPT.sub(r"\1(\2)\3", text)
            try:
                return ast.parse(grouped, filename=filename)
            except SyntaxError:
                pass  # more than PEP 758's syntax, or not Python: as below
        if sys.version_info >= (3, 12) or not _may_be_newer(first, text):
            raise
        spelled = downgrade(text)
        if spelled is None:
            raise first from None
        try:
            return ast.parse(spelled, filename=filename)
        except SyntaxError:
            raise first from None


# `except ValueError, KeyError:` (or `except*`), which 3.14 reads as `except (ValueError, KeyError):`
_BARE_EXCEPT = re.compile(r"^([ \t]*except\*?[ \t]+)(?!\()([\w.]+(?:[ \t]*,[ \t]*[\w.]+)+)([ \t]*:)", re.M)
_NEWER = re.compile(r"""\b(?:def|class)\s+\w+\s*\[|^\s*type\s+\w+|\b[fFrR]{1,2}["']""")
_BRACKETS = re.compile(r"[][(){}]")


def _may_be_newer(error: SyntaxError, text: str) -> bool:
    """Whether the line 3.11 stopped at could be newer syntax, and libcst can read the file without risk: its
    native parser overflows its stack (and kills the process) on brackets nested thousands deep."""
    lines = text.splitlines()
    line = lines[error.lineno - 1] if error.lineno and 0 < error.lineno <= len(lines) else ""
    if not _NEWER.search(line):
        return False
    depth = deepest = 0
    for bracket in _BRACKETS.findall(text):
        depth += 1 if bracket in "([{" else -1
        deepest = max(deepest, depth)
    return deepest <= 200  # CPython's own limit


def downgrade(text: str) -> str | None:
    """The same module without type parameters, `type` statements or quote-reusing f-strings, or None when
    nothing needed rewriting or libcst cannot read it either."""
    try:
        import libcst as cst
    except ImportError:  # pragma: no cover - a dependency
        return None
    try:
        module = cst.parse_module(text)
    except Exception:  # libcst's ParserSyntaxError: not Python of any version
        return None
    rewriter = _rewriter_class()()
    code = module.visit(rewriter).code
    return code if rewriter.changed else None


@functools.cache  # libcst is imported, and the class built, only for files 3.11 cannot read
def _rewriter_class():
    import libcst as cst

    class Rewriter(cst.CSTTransformer):
        def __init__(self) -> None:
            super().__init__()
            self.changed = False
            self.quotes: list[str] = []  # quote characters of the f-strings we are inside

        def leave_FunctionDef(self, original, updated):
            if updated.type_parameters is None:
                return updated
            self.changed = True
            return updated.with_changes(type_parameters=None, whitespace_after_type_parameters=cst.SimpleWhitespace(""))

        def leave_ClassDef(self, original, updated):
            if updated.type_parameters is None:
                return updated
            self.changed = True
            return updated.with_changes(type_parameters=None, whitespace_after_type_parameters=cst.SimpleWhitespace(""))

        def leave_TypeAlias(self, original, updated):
            # `type Rates[T] = dict[str, T]` is, to the engine, the assignment `Rates = dict[str, T]`
            self.changed = True
            return cst.Assign(targets=[cst.AssignTarget(target=updated.name)], value=updated.value)

        def visit_FormattedString(self, node) -> None:
            # decided on the way down, so that the literals inside see the quote this f-string will have;
            # a moved f-string takes triple quotes first, which leave both single quotes to what it holds
            texts = "".join(p.value for p in node.parts if isinstance(p, cst.FormattedStringText))
            self.quotes.append(self._quote_for(node.quote, texts, ("'''", '"""', "'", '"')))

        def leave_FormattedString(self, original, updated):
            quote = self.quotes.pop()
            if quote == updated.quote:
                return updated
            return updated.with_changes(start=updated.prefix + quote, end=quote)

        def leave_SimpleString(self, original, updated):
            quote = updated.quote
            body = updated.value[len(updated.prefix) + len(quote):-len(quote)]
            new = self._quote_for(quote, body, ("'", '"', "'''", '"""'))
            return updated if new == quote else updated.with_changes(value=updated.prefix + new + body + new)

        def _quote_for(self, quote: str, body: str, candidates: tuple[str, ...]) -> str:
            # before 3.12 a literal inside an f-string's braces may not use a quote that ends that f-string
            def fits(q: str) -> bool:
                return not any(q == outer or (len(outer) == 1 and q[0] == outer) for outer in self.quotes)

            if fits(quote):
                return quote
            for candidate in candidates:
                if fits(candidate) and candidate[0] not in body and "\\" not in body:
                    self.changed = True
                    return candidate
            return quote  # nothing fits: 3.11 cannot read it, and the file is skipped as before

    return Rewriter
