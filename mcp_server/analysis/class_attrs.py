"""Models held in class attributes: `self.model.objects.filter(...)`, `session.query(self.model_class)`.

Generic views, DAOs and access classes name their model once, in a class attribute (`model = Invoice`) that
subclasses override (`model_class = None` in the base, `model_class = Invoice` in each view), or take it in the
constructor (`self.model = sql_model`). Where such an attribute is the root of a query, extraction records the
model as `@<class key>.<attribute>`; the index resolves it to what the class, its bases, its subclasses and its
constructor's callers assign. Several models resolve to the one project model they all derive from (the mixin
that declares the relation read per row); models with no common model base are no guess.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from .facts import UNKNOWN_LOOKUP
from .nodes import dotted

if TYPE_CHECKING:
    from .facts import ClassFacts, ModuleFacts
    from .index import ProjectIndex
    from .index_model import Model


def rows_attr(cls: str, attr: str) -> str:
    """The function standing for a class attribute that holds a queryset (`queryset = X.objects...`)."""
    return f"{cls}.<attr:{attr}>"


HELD = "held:"  # a local's type when it holds the class an attribute holds (`schema = override or self.schema`)
MARK = "@"  # IterSource.model for a model held in a class attribute: "@billing.views.InvoiceView.model"
_CAPWORD = re.compile(r"^_?[A-Z][A-Za-z0-9_]*$")


def note_class_ref(stmt: ast.stmt, facts: ClassFacts, expand) -> None:
    """`model = Invoice` in a class body: remember the class an attribute names."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        name, value = stmt.targets[0].id, stmt.value
    elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
        name, value = stmt.target.id, stmt.value
    else:
        return
    ref = dotted(value) if isinstance(value, (ast.Name, ast.Attribute)) else None
    if ref and _CAPWORD.match(ref.rpartition(".")[2]):
        facts.class_refs[name] = expand(ref)


def note_lookups(stmt: ast.stmt, qual: str, tuples: dict[str, tuple[str, ...]]) -> None:
    """`prefetch_related = ("lines", Prefetch("labels", ...))` in a class body: the lookups `*self.prefetch_related`
    spells, under "<Class>.<attribute>" (a name no module constant has). A part not read as a lookup makes the
    whole tuple UNKNOWN_LOOKUP: eager loading that no finding may contradict."""
    name, value = named_value(stmt)
    if name is None or not isinstance(value, (ast.Tuple, ast.List)) or not value.elts:
        return
    lookups: list[str] = []
    for e in value.elts:
        if isinstance(e, ast.Constant) and isinstance(e.value, str):
            lookups.append(e.value)
        elif isinstance(e, ast.Call) and dotted(e.func) and dotted(e.func).rpartition(".")[2] == "Prefetch" and e.args \
                and isinstance(e.args[0], ast.Constant) and isinstance(e.args[0].value, str) and not e.keywords:
            lookups.append(e.args[0].value)
        elif isinstance(e, ast.Call) and dotted(e.func) and dotted(e.func).rpartition(".")[2] == "Prefetch":
            lookups.append(UNKNOWN_LOOKUP)  # a to_attr or an inner queryset: loaded, under a name not worth guessing
        else:
            return  # not a tuple of lookups
    tuples[f"{qual}.{name}"] = tuple(lookups)


def named_value(stmt: ast.stmt) -> tuple[str | None, ast.AST | None]:
    """`fields = ("a", "b")` or its annotated spelling `fields: tuple[str, ...] = ("a", "b")`: (name, value)."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        return stmt.targets[0].id, stmt.value
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
        return stmt.target.id, stmt.value
    return None, None


def note_prefetch(stmt: ast.stmt, qual: str, attrs: dict[str, ast.Call]) -> None:
    """`lines_prefetch = Prefetch("lines", ...)` in a class body: what `prefetch_related(lines_prefetch)` in the body and
    `prefetch_related(self.lines_prefetch)` in its methods load (MIT xPRO's viewsets: three false findings)."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
            and isinstance(stmt.value, ast.Call) and dotted(stmt.value.func) and dotted(stmt.value.func).rpartition(".")[2] == "Prefetch":
        attrs[f"{qual}.{stmt.targets[0].id}"] = stmt.value


def self_attr(node: ast.AST | None, cls_key: str | None) -> str | None:
    """`self.model` (or `cls.model`) inside a class: the marker the index resolves, else None."""
    if cls_key and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls") \
            and not _CAPWORD.match(node.attr):
        return f"{MARK}{cls_key}.{node.attr}"
    return None


def held_class_kind(node: ast.AST, cls_key: str) -> str | None:
    """A local's type when it holds the class `self.<attr>` holds: "held:@<class>.<attr>"."""
    ref = self_attr(node, cls_key)
    return f"{HELD}{ref}" if ref else None


def held_method(index: ProjectIndex, callee: str) -> str | None:
    """`held:@<class>.<attr>/.<method>`: that method of the one class the attribute is given."""
    ref, _, method = callee[len(HELD):].partition("/.")
    found = _assigned(index, ref)
    if None in found or len(set(found)) != 1:
        return None  # a class outside the project, or several: which method runs is no guess
    return index.find_method(found[0], method)


def _assigned(index: ProjectIndex, ref: str) -> list[str | None]:
    """The project classes (keys) assigned to the attribute a marker names: class body, bases, subclasses, constructors."""
    cls_key, _, attr = ref[len(MARK):].rpartition(".")
    if cls_key not in index.classes:
        return []
    found: list[str | None] = []
    for key in (cls_key, *ancestors(index, cls_key), *index.subclasses(cls_key)):
        module, cls = index.classes[key]
        if attr in cls.class_refs:
            found.append(_class_key(index, cls.class_refs[attr], module))
        position = cls.attr_params.get(attr)
        if position is not None:
            init = index.find_method(key, "__init__")
            for m, _fn, call in index.callers(init) if init else ():
                arg = call.args[position - 1] if position - 1 < len(call.args) else None
                if arg and _CAPWORD.match(arg.rpartition(".")[2]):
                    found.append(_class_key(index, arg, m))
    return found


def attr_model(index: ProjectIndex, ref: str) -> Model | None:
    """The model a `@<class>.<attribute>` marker stands for, or None when it is not one model (or one base of them)."""
    models = index.models()
    found = _assigned(index, ref)
    if not found or any(k not in models for k in found):
        return None  # nothing assigned, or a class that is not a project model (a form, a schema): no guess
    keys = set(found)
    if len(keys) == 1:
        return models[keys.pop()]
    return _common_base(index, keys, models)


def ancestors(index: ProjectIndex, cls_key: str, depth: int | None = None) -> list[str]:
    """Every project base class of `cls_key`, nearest first, at any depth or up to `depth` classes up."""
    out, level, up = [], index.bases(cls_key), 1
    while level and (depth is None or up <= depth):
        nearer = [key for key in dict.fromkeys(level) if key not in out]
        out += nearer
        level, up = [base for key in nearer for base in index.bases(key)], up + 1
    return out


def _class_key(index: ProjectIndex, ref: str, module: ModuleFacts) -> str | None:
    """A class named in `module` (through its imports), as a project class key."""
    head, dot, rest = ref.partition(".")
    expanded = module.imports.get(head, head) + dot + rest
    key = index.resolve_class(expanded, module) or index.resolve_class(ref, module)
    if key is None:
        same = index.class_by_name.get(ref.rpartition(".")[2], [])
        key = same[0] if len(same) == 1 else None
    return key


def _common_base(index: ProjectIndex, keys: set[str], models: dict[str, Model]) -> Model | None:
    """Invoice and BankAccount both derive from the Metadata mixin model: rows of either have its relations."""
    shared: set[str] | None = None
    for key in keys:
        lineage = {k for k in ancestors(index, key) if k in models}
        shared = lineage if shared is None else shared & lineage
    if not shared:
        return None
    # the nearest: the one no other shared base derives from
    nearest = [k for k in shared if not any(k in ancestors(index, o) for o in shared if o != k)]
    return models[nearest[0]] if len(nearest) == 1 else None
