"""Django templates as facts: a template is a function of its context, so the engine follows its rows like any loop.

A template file becomes a module whose one function, `<template>`, has the context names it reads as parameters:
`{% for inv in invoices %}` is a loop over parameter `invoices` (rows the views that render the template hand
it), `{{ inv.client.name }}` is a relation read on the loop's row, `{% include "row.html" %}` in the loop hands
the row to the included template's own function, and `{% extends %}` hands the whole context to the parent. The
views (views.py) call `<template>` with their context's querysets, so the index resolves a template's rows
exactly as it resolves the rows a caller passes to a helper, and a finding lands on the template's line with
the view's queryset as the place of the fix.
"""

from __future__ import annotations

import re
import sys

from .apis import related_chain_method
from .facts import Call, Function, IterSource, Loop, ModuleFacts, Read, RelationAccess, Span
from .reader import SUPPRESS  # the same syntax as Python files
from .suffixes import NAMED_SUFFIXES, TEMPLATE_SUFFIXES as SUFFIXES
from .module_words import WORD

TEMPLATE = "<template>"  # the synthetic function of a template
ALL = "*"  # kwargs entry: the whole context is handed on ({% extends %}, {% include %} without `only`)
# the segment that, at the end of a read, calls a manager or queryset method rather than reading a relation
_METHODS = frozenset({"all", "count", "exists", "first", "last", "values", "values_list", "none"})
_TOKEN = re.compile(r"\{%-?\s*(.*?)\s*-?%\}|\{\{\s*(.*?)\s*\}\}|\{#.*?#\}", re.S)
# where another engine's template spells code: Jinja's tags, `${...}` (Mako, Kid, Genshi, Chameleon), Mako's `<% %>`
# blocks and `% for` lines, Kid's and Genshi's `py:` and Chameleon's `tal:` attributes; not its markup or its text
_CODE = re.compile(r"\{%-?(.*?)-?%\}|\{\{(.*?)\}\}|\$\{(.*?)\}|<%!?\s(.*?)%>|^[ \t]*%(?!%)([^\n]*)$|\b(?:py|tal):\w+=\"([^\"]*)\"", re.S | re.M)
_STRING = re.compile(r"\"[^\"]*\"|'[^']*'")
_VAR = re.compile(r"(?<![\w.])([A-Za-z_]\w*(?:\.\w+)*)")
# the root of a name bound to something the parser does not follow (a filter's result in `{% with %}`, one side of an
# unpacked `{% for k, v in d.items %}`): neither the view's context nor a loop's row (zds-site's sidebar loop, whose
# `topics` is a followed-topics dict's value, not the view's `topics`)
_OPAQUE = ""
_RAW_END = {"comment": "endcomment", "verbatim": "endverbatim"}
_KEYWORDS = frozenset({"and", "or", "not", "in", "is", "as", "with", "only", "reversed", "by", "True", "False", "None", "on", "off"})


def template_name(rel: str) -> str | None:
    """The name views render a template by: its path below the last `templates/` folder."""
    if not rel.endswith(SUFFIXES):
        return None
    parts = rel.split("/")
    # the last folder named exactly `templates`: `report-templates/` below it is an ordinary folder
    at = max((i for i, part in enumerate(parts[:-1]) if part == "templates"), default=None)
    return "/".join(parts[at + 1:]) if at is not None else None


def module_of(name: str) -> str:
    """The template's module name in the index: no dots, so it never reads as a package path."""
    return "template:" + name.replace(".", ":")


def key_of(name: str) -> str:
    return f"{module_of(name)}.{TEMPLATE}"


def display(key: str) -> str:
    """`template:billing/row:html.<template>` as a reader knows it: the template `billing/row.html`."""
    return "template " + key.removeprefix("template:").removesuffix(f".{TEMPLATE}").replace(":", ".")


def is_template(module: ModuleFacts) -> bool:
    return module.module.startswith("template:")


class _Parser:
    def __init__(self, rel: str, text: str, name: str):
        self.text = text
        self.lines = text.splitlines()
        self.facts = ModuleFacts(path=rel, module=module_of(name), lines=len(self.lines))
        self.fn = Function(TEMPLATE, Span(1, 1, max(1, len(self.lines)), 1), False, None)
        self.facts.functions[TEMPLATE] = self.fn
        self.params: dict[str, None] = {}
        self.loops: list[tuple[Loop, list[str], list[str]]] = []  # open {% for %}s, innermost last: its row's name, opaque names
        self.aliases: list[dict[str, tuple[str, tuple[str, ...]]]] = []  # {% with %} scopes
        self.fragments: list[tuple[int, str]] = []  # open {% cache %} blocks: line, tag
        self.seen: set[tuple] = set()

    def run(self) -> ModuleFacts:
        raw_until = None
        line, upto = 1, 0  # lines counted incrementally: a large template is read once, not once per tag
        words: set[str] = set()
        for m in _TOKEN.finditer(self.text):
            tag, var = m.group(1), m.group(2)
            # the names its tags spell: a model's method or property only a template reads is used (unused.py)
            words.update(WORD.findall(tag or var or ""))
            if raw_until is not None:
                if tag is not None and tag.split(" ", 1)[0] == raw_until:
                    raw_until = None
                continue
            if tag is None and var is None:
                continue
            line += self.text.count("\n", upto, m.start())
            upto = m.start()
            at = Span(line, m.start() - (self.text.rfind("\n", 0, m.start()) + 1) + 1, line, 1)
            if var is not None:
                self._reads(var, at)
                continue
            word, _, rest = tag.partition(" ")
            if word in _RAW_END:
                raw_until = _RAW_END[word]
            elif word == "for":
                self._for(rest, at)
            elif word == "endfor" and self.loops:
                loop, _, _ = self.loops.pop()
                loop.span = Span(loop.span.line, loop.span.col, line, loop.span.end_col)
            elif word == "with":
                self._with(rest, at)
            elif word == "endwith" and self.aliases:
                self.aliases.pop()
            elif word == "cache":
                self.fragments.append((line, tag.strip()))
                self._reads(rest, at)
            elif word == "endcache" and self.fragments:
                first, cached = self.fragments.pop()
                self.facts.cached_fragments += ((first, line, cached[:60]),)
            elif word in ("include", "extends"):
                self._include(word, rest, at)
            else:  # {% if %}, {% url %}, {% blocktrans with %}...: the dotted names they read
                self._reads(rest, at)
        self.fn.params = tuple(self.params)
        self.facts.words = frozenset(sys.intern(w) for w in words)
        self._suppressions()
        return self.facts

    def _suppressions(self) -> None:
        """`{# noqa: NP107 #}` or `{# perf: ignore[NP107] #}` on a line, as `# noqa` in Python."""
        for i, text in enumerate(self.lines, start=1):
            if "{#" in text and ("noqa" in text or "perf:" in text) and (m := SUPPRESS.search(text)):
                codes = m.group(1) or m.group(2)
                self.facts.suppressions[i] = frozenset(c.strip() for c in codes.split(",") if c.strip()) if codes else None

    # -- names -----------------------------------------------------------------------------------------------
    def _resolve(self, dotted: str) -> tuple[str, tuple[str, ...]]:
        root, *path = dotted.split(".")
        for scope in reversed(self.aliases):
            if root in scope:
                base, more = scope[root]
                return base, (*more, *path)
        for _, names, opaque in reversed(self.loops):
            if root in names:
                break
            if root in opaque:
                return _OPAQUE, ()
        return root, tuple(path)

    def _loop_of(self, root: str) -> Loop | None:
        for loop, names, _ in reversed(self.loops):
            if root in names:
                return loop
        return None

    def _source(self, expr: str, at: Span) -> IterSource | None:
        root, path = self._resolve(expr)
        if root == _OPAQUE:
            return None
        if path and path[-1] in _METHODS:
            path = path[:-1]
        loop = self._loop_of(root)
        if loop is not None:
            return IterSource("relation", at, self._line(at), parent_loop=loop.id, parent_path=path) if path else None
        if root == "page_obj" and path in ((), ("object_list",)):
            root, path = "object_list", ()  # a ListView's page: rows of its object_list
        self.params.setdefault(root)
        return IterSource("param", at, self._line(at), parent_path=(root, *path))

    def _line(self, at: Span) -> str:
        return self.lines[at.line - 1].strip()[:200] if 0 < at.line <= len(self.lines) else ""

    # -- tags --------------------------------------------------------------------------------------------------
    def _for(self, rest: str, at: Span) -> None:
        targets, _, expr = rest.partition(" in ")
        expr = expr.split()[0] if expr.split() else ""
        names = [t.strip() for t in targets.split(",") if t.strip()]
        parent = self.loops[-1][0].id if self.loops else None
        src = self._source(expr, at) if _VAR.fullmatch(expr) else None
        if src is not None and src.kind == "relation":
            self._reads(expr, at)  # `inv.items.all` on the outer row: loaded per outer row unless prefetched
        loop = Loop(len(self.fn.loops), "for", at, self._line(at), parent, False, False, names[0] if len(names) == 1 else None, src)
        self.fn.loops[loop.id] = loop
        self.loops.append((loop, names, []) if len(names) == 1 else (loop, [], names))

    def _with(self, rest: str, at: Span) -> None:
        scope: dict[str, tuple[str, tuple[str, ...]]] = {}
        parts = rest.split()
        if len(parts) == 3 and parts[1] == "as":  # the legacy `{% with a.b as c %}`
            parts = [f"{parts[2]}={parts[0]}"]
        for part in parts:
            name, eq, value = part.partition("=")
            if eq and _VAR.fullmatch(value):
                scope[name] = self._resolve(value)
                self._reads(value, at)
            elif eq:
                scope[name] = (_OPAQUE, ())  # `followed=user|followed_topics`: the filter's result
                self._reads(value.partition("|")[0], at)
        self.aliases.append(scope)

    def _include(self, word: str, rest: str, at: Span) -> None:
        m = _STRING.match(rest)
        if not m:
            return
        target = m.group(0)[1:-1]
        tail = rest[m.end():]
        kwargs: list[tuple[str, str]] = []
        only = " only" in f" {tail} "
        if not only or word == "extends":
            kwargs.append((ALL, ALL))
            kwargs += [(n, n) for _, names, _ in self.loops for n in names]  # the rows of the enclosing loops, by name
        _, _, given = tail.partition("with ")
        for part in given.split():
            name, eq, value = part.partition("=")
            if eq and _VAR.fullmatch(value):
                root, path = self._resolve(value)
                if root == _OPAQUE:
                    continue
                kwargs.append((name, ".".join((root, *path))))
                self._reads(value, at)
        loops = tuple(lp.id for lp, _, _ in reversed(self.loops))
        self.fn.calls.append(Call(key_of(target), at, loops, False, self._line(at), kwargs=tuple(kwargs), args=()))

    def _reads(self, expr: str, at: Span) -> None:
        for m in _VAR.finditer(_STRING.sub('""', expr)):
            dotted = m.group(1)
            if "." not in dotted or dotted.split(".")[0] in _KEYWORDS:
                continue
            root, path = self._resolve(dotted)
            if not path or root == _OPAQUE:
                continue
            # `inv.items.first.amount`: the method's result is one row; the relation up to the method is what loads
            cut = next((i for i, seg in enumerate(path) if seg in _METHODS), None)
            method = path[cut] if cut is not None else None
            if method == "all" and cut + 1 < len(path) and (requery := related_chain_method(path[cut + 1])) and not path[cut + 1].isdigit():
                method = requery  # `c.children.all.ordered`: the project's queryset method queries anew on every row
            elif method == "all" and cut + 1 < len(path) and path[cut + 1] in ("count", "exists"):
                method = path[cut + 1]  # `o.terms.all.count`: a count per row, which an annotation serves (SODAR's ontologies)
            path = path[:cut] if cut is not None else path
            loop = self._loop_of(root)
            key = (loop.id if loop else root, path, method)
            if key in self.seen:
                continue
            self.seen.add(key)
            text = self._line(at)
            if loop is not None:
                self.fn.relations.append(RelationAccess(loop.id, path, method, at, text))
            else:
                self.params.setdefault(root)
                self.fn.reads.append(Read(root, path, method, at, text))


def parse_template(rel: str, text: str) -> ModuleFacts | None:
    """The facts of a template file, or None when the path is not a template's."""
    name = template_name(rel)
    if name is None:
        return None
    if rel.endswith(NAMED_SUFFIXES):
        return _named_only(rel, text, name)
    return _Parser(rel, text, name).run()


def _named_only(rel: str, text: str, name: str) -> ModuleFacts:
    """Another engine's template: the names its code spells, and no function (its loops are not followed)."""
    facts = ModuleFacts(path=rel, module=module_of(name), lines=text.count("\n") + 1)
    facts.words = frozenset(sys.intern(w) for m in _CODE.finditer(text) for part in m.groups() if part for w in WORD.findall(part))
    return facts
