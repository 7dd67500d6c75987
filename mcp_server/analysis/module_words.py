"""The names a module's text spells, read once per module for unused.py: which of its functions, classes and methods
it names again outside their own definitions, and which only other definitions nobody else names reach."""

from __future__ import annotations

import ast
import bisect
import re
import sys
from collections import Counter

from .nodes import last_name
from .serializers import is_serializer

WORD = re.compile(r"[A-Za-z_]\w{3,}")  # names of four characters or more: shorter ones are never worth the space

# decorators that wrap a function without registering it anywhere: the function is still reached only by its name
PLAIN_DECORATORS = frozenset({
    "shared_task", "task", "db_task", "actor", "job", "background", "lru_cache", "cache", "cached", "wraps", "atomic",
    "login_required", "staff_member_required", "permission_required", "require_POST", "require_GET", "require_http_methods",
    "csrf_exempt", "never_cache", "staticmethod", "classmethod", "contextmanager", "asynccontextmanager", "retry",
    # a property runs where code, a template or a serializer's field list names it, as a method does (Nadine's
    # `outstanding_amount`, which only tests read, round 131: judged DEAD)
    "property", "cached_property",
    # Django's and DRF's view wrappers: a function view behind `@api_view(["POST"])` serves only where a URL
    # configuration names it (BHMC's score imports nothing routes, round 235: 6 judged DEAD)
    "api_view", "permission_classes", "authentication_classes", "throttle_classes", "renderer_classes", "parser_classes",
    "user_passes_test", "require_safe", "ensure_csrf_cookie", "csrf_protect", "sensitive_post_parameters",
    "sensitive_variables", "xframe_options_exempt", "vary_on_headers", "vary_on_cookie", "gzip_page", "non_atomic_requests",
    # Pony's session around a function registers nothing (Tribler's upgrade step nothing calls, round 257: 4 judged DEAD)
    "db_session",
})


def uncommented(lines: list[str]) -> list[str]:
    """The lines with each comment line blanked (kept, so line numbers hold): a name only a comment spells is no use."""
    return ["" if line.lstrip().startswith("#") else line for line in lines]


def undocumented(lines: list[str], body: list[ast.stmt]) -> tuple[list[str], list[str]]:
    """The lines with each docstring blanked (the module's, its classes', its functions' and methods'), and the lines
    blanked: a docstring saying "Helper function for correct_timestamps" calls nothing (TrapTagger's timestamp helpers,
    round 180: 2 judged DEAD, were taken as called by it). Only a docstring on lines of its own."""
    out, blanked = None, []
    todo = [body]
    while todo:
        stmts = todo.pop()
        if stmts and type(first := stmts[0]) is ast.Expr and type(first.value) is ast.Constant and type(first.value.value) is str:
            start, end = first.lineno - 1, (first.end_lineno or first.lineno) - 1
            if not lines[start][:first.col_offset].strip() and not lines[end][first.end_col_offset:].strip():
                out = out or list(lines)
                blanked += out[start:end + 1]
                out[start:end + 1] = [""] * (end + 1 - start)
        todo += [n.body for n in stmts if type(n) in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)]
    return out or lines, blanked


def _exported(body: list[ast.stmt]):
    """The names the module's top-level `__all__ = [...]` (or `+=`) lists."""
    for stmt in body:
        target = stmt.targets[0] if type(stmt) is ast.Assign and len(stmt.targets) == 1 else stmt.target if type(stmt) is ast.AugAssign else None
        if type(target) is ast.Name and target.id == "__all__" and type(stmt.value) in (ast.List, ast.Tuple):
            yield from (e.value for e in stmt.value.elts if type(e) is ast.Constant and type(e.value) is str)


def words(lines: list[str], top_level: list[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef],
          body: list[ast.stmt] = ()) -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str], dict[str, frozenset[str]]]:
    """The names a module's text holds; those of its top-level functions it names again outside their own header (a
    call; not `@task(name="check_states")` above `def check_states`); its top-level plain classes it never names
    again (`plain`); its methods only their own body names; and, of the functions named again, those only their own
    body names, or only a cycle of functions nothing else here calls (a recursive call, a task's `add_reports.retry()`:
    no caller for `unused`), each with the functions of its cycle. A name only its top-level
    imports spell is not held: `from .abstract import cascade_to_list` that nothing below uses calls nobody (Sefaria);
    nor one only lines commented out spell (`#  FOIRequestComment.updatechildcomments(...)`), nor one only the headers of
    functions and methods it defines spell: a model's twin of another's method calls neither (foi-flow, round 139:
    2 judged DEAD). Which of its own functions the module calls is read without its docstrings; the names it holds
    keep theirs (a docstring saying a command runs daily is what tells other code it is started: command_starts.py)."""
    lines, docstrings = undocumented(uncommented(lines), body)
    counts = Counter(WORD.findall("\n".join(lines)))
    spelled = counts.copy()  # (and what the docstrings spell: other modules may read a name there, command_starts.py)
    spelled.update(WORD.findall("\n".join(docstrings)))
    for stmt in body:
        if type(stmt) is ast.ImportFrom and stmt.module != "__future__":
            for alias in stmt.names:
                for part in {alias.name, alias.asname} - {None}:
                    for held_words in (counts, spelled):
                        if held_words[part] == 1:
                            del held_words[part]
    for name in _exported(body):
        if counts[name] > 0:
            counts[name] -= 1  # its own `__all__` exports the name, which calls nothing (ClimMob's phrases, round 238: judged DEAD)
    again, unnamed, lone = set(), set(), set()
    heads = {id(node): _header(lines, node).count(node.name) for node in top_level}
    methods = [(node.name, m) for node in top_level if type(node) is ast.ClassDef for m in node.body
               if type(m) in (ast.FunctionDef, ast.AsyncFunctionDef) and not m.name.startswith("__")]
    # the headers of every method so named: two models' twin `create_missing` methods call neither (KUBooking, round 166)
    own_heads = {id(m): _header(lines, m).count(m.name) for _cls, m in methods}
    method_heads = Counter()
    for _cls, m in methods:
        method_heads[m.name] += own_heads[id(m)]
    for cls, m in methods:
        if _only_itself(counts[m.name] - (method_heads[m.name] - own_heads[id(m)]), lines, m):
            lone.add(f"{cls}.{m.name}")
    for node in top_level:
        if type(node) is ast.ClassDef and not (_plain(node) or _serializer(node) or _view(node)):
            continue  # most classes: a base or a decorator may register them, whatever their module says
        named = counts[node.name] > heads[id(node)]
        if type(node) is not ast.ClassDef:
            if named:
                again.add(node.name)
        elif not named or _only_itself(counts[node.name], lines, node):  # (`super(ThisSerializer, self)` names itself)
            unnamed.add(node.name)
    recursive = {name: group for name, group in _closed(counts, lines, top_level, heads).items() if name in again}
    for key, group in _closed_methods(counts, lines, methods, own_heads, method_heads).items():
        lone.add(key)
        recursive[key] = group
    defined = Counter(m.name for node in top_level for m in (node.body if type(node) is ast.ClassDef else (node,))
                      if type(m) in (ast.FunctionDef, ast.AsyncFunctionDef))
    held = frozenset(sys.intern(w) for w, n in spelled.items() if defined[w] != n)
    return held, frozenset(again), frozenset(unnamed), frozenset(lone), recursive


def _closed(counts: Counter, lines: list[str], top_level: list, heads: dict[int, int]) -> dict[str, frozenset[str]]:
    """The top-level functions this module names only inside top-level functions that are themselves so named: a
    function calling itself, or a cycle (Mangaki's `build_related_works` -> `insert_work_into_database_from_anilist` ->
    `insert_works_into_database_from_anilist` -> `build_related_works`, round 122: judged DEAD) that nothing else here
    enters, or that only a function nothing here calls enters (Disturbance's schema helpers, called only by the
    `generate_schema_original` its `_new` twin replaced: round 165, judged DEAD). Each maps to the functions of the
    cycle that reach it (itself included): it runs only when another module calls one of them, which `unused()` asks.
    A function a decorator registers, or `main`, is an entry, never closed. `heads`: how often each node's own header
    spells its name."""
    functions = [n for n in top_level if type(n) is not ast.ClassDef]
    # (named a few times at most: a function called from many places is called from outside any cycle; one named only
    # by its header is closed too, so what only it calls is: Disturbance's `generate_schema_original`, round 165)
    named = [n.name for n in functions if heads[id(n)] <= counts[n.name] <= heads[id(n)] + 3]
    if not named:
        return {}
    entry = {n.name for n in functions if n.name == "main" or n.name.startswith("test") or not _plainly_decorated(n)}
    return _closure(named, functions, lines, entry)


def _plainly_decorated(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """No decorator of it registers it with something that calls it by itself (a route, a receiver)."""
    return all((last_name(d.func if type(d) is ast.Call else d) or "") in PLAIN_DECORATORS for d in node.decorator_list)


def _closure(named, defs: list, lines: list[str], entry: set[str]) -> dict[str, frozenset[str]]:
    """Of the `named` definitions, those the module's text spells only inside definitions (of `defs`) that are
    themselves so spelled, entries aside; each with the names of the definitions that reach it, its own included."""
    # (a name shorter than WORD's is in no module's words: nothing could show it unnamed elsewhere, so it is an entry;
    # Nadine's `BillingBatch.run()`, which a staff view calls: found while checking round 176's fix)
    named = [name for name in named if WORD.fullmatch(name)]
    if not named:
        return {}
    starts = sorted((min([d.lineno for d in n.decorator_list] + [n.lineno]), n.end_lineno, n.name) for n in defs)
    callers: dict[str, Counter] = {name: Counter() for name in named}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, named)) + r")\b")
    for number, line in enumerate(lines, 1):
        for match in pattern.finditer(line):
            at = bisect.bisect_right(starts, (number, float("inf"), "")) - 1
            inside = starts[at][2] if at >= 0 and starts[at][1] >= number else None
            callers[match.group(1)][inside] += 1
    reached = {name: set(c) - {name, None} for name, c in callers.items()}
    closed = {name for name, c in callers.items() if None not in c and name not in entry}
    # (a caller outside the set, or one no cycle holds, may run: whatever it calls is reached)
    while dropped := {name for name in closed if not reached[name] <= closed}:
        closed -= dropped
    groups = {}
    for name in closed:
        seen, todo = {name}, [name]
        while todo:
            for caller in reached[todo.pop()] - seen:
                seen.add(caller)
                todo.append(caller)
        groups[name] = frozenset(seen)
    return groups


def _closed_methods(counts: Counter, lines: list[str], methods: list, heads: dict[int, int], all_heads: Counter) -> dict[str, frozenset[str]]:
    """The methods this module names only inside methods it names only so, as `_closed` finds for functions:
    PremierLangage's `Answer.activity_state`, which only `Answer.course_state` calls, which only tests call (round 176:
    judged DEAD). Each "Class.method" maps to the names of the methods that reach it (its own included): it runs only
    when another module names one of them. A name two methods of the module share is left out (which one a call
    reaches is not known here)."""
    own = [(cls, m) for cls, m in methods if all_heads[m.name] == heads[id(m)] and _plainly_decorated(m)]
    named = {m.name: f"{cls}.{m.name}" for cls, m in own if heads[id(m)] <= counts[m.name] <= heads[id(m)] + 3}
    if not named:
        return {}
    # (a method named only by itself is a lone one already)
    return {named[name]: group for name, group in _closure(list(named), [m for _cls, m in methods], lines, set()).items() if len(group) > 1}


def _only_itself(count: int, lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> bool:
    """The module spells the method's (or class's) name only in its own header, or in its own body too: a method that
    calls only itself (Kolibri Studio's `get_prerequisites()` on each prerequisite, round 81: judged DEAD) runs for
    nobody either."""
    head = _header(lines, node).count(node.name)
    if count == head:
        return True
    if count > head + 3:
        return False  # (named often: some other code calls it; the body is read only for a few)
    first = min([d.lineno for d in node.decorator_list] + [node.lineno])
    return WORD.findall("\n".join(lines[first - 1:node.end_lineno])).count(node.name) == count


def _header(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> list[str]:
    """The names its decorators and its `def` or `class` line spell."""
    first = min([d.lineno for d in node.decorator_list] + [node.lineno])
    return WORD.findall("\n".join(lines[first - 1:node.lineno]))


def _serializer(node: ast.ClassDef) -> bool:
    """A DRF serializer, undecorated: nothing registers one, it runs only where code names it (LITE's
    `ComplianceSiteViewSerializer`, round 84: its method judged DEAD twice)."""
    return not node.decorator_list and is_serializer(tuple(ast.unparse(b) for b in node.bases))


def _view(node: ast.ClassDef) -> bool:
    """A class-based view or DRF viewset, undecorated: it serves a request only where a URL configuration names it
    (koalixcrm's `AgreementAsJSON`, which no router registers, round 127: judged DEAD)."""
    return bare(node) and any(is_view_base(last_name(b) or "") for b in node.bases)


def is_view_base(base: str) -> bool:
    return base.endswith(("View", "ViewSet"))


def _plain(node: ast.ClassDef) -> bool:
    """No base but `object`, and bare."""
    return bare(node) and not any(type(b) is not ast.Name or b.id != "object" for b in node.bases)


def bare(node: ast.ClassDef, dispatches: bool = False) -> bool:
    """No decorator, no metaclass: nothing registers it. Not callable either: an object with `__call__` is a callback a
    framework is handed by its dotted path in a configuration file (Copr's message consumer). Nor one that calls its own
    methods by a name it builds (`dispatches`: `getattr(self, f"_create_{part}")(...)`, the Rare Disease Registry
    Framework's importer, round 158), whose methods no text need name."""
    return not (node.decorator_list or node.keywords or dispatches) \
        and not any(type(n) is ast.FunctionDef and n.name == "__call__" for n in node.body)
