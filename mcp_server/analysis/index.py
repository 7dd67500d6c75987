"""The project index: links every module's facts. Resolves names through imports, `self`, base classes
and local instances; knows which project functions reach a query or a remote call (and through which
calls); knows the Django and SQLAlchemy models with their relations, reverse accessors included.

Everything here works on facts, never on source, so it runs the same whether the facts came from the
cache or from a fresh parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import apis, callables, class_attrs, dispatch
from .facts import Call, ClassFacts, Function, IterSource, ModuleFacts, Sink
from .templates import TEMPLATE, is_template
from .views import BACK, context_rows, owner_backs, view_rows

MAX_CHAIN = 12  # calls followed from a loop to a query; deeper than any real helper stack
QUERIES = frozenset({"db", "http"})
FILES = frozenset({"file"})
CONNECTIONS = frozenset({"connect"})


@dataclass(frozen=True, slots=True)
class Step:
    module: ModuleFacts
    call: Call
    target: str  # qualified function key


@dataclass(frozen=True, slots=True)
class Reach:
    steps: tuple[Step, ...]
    module: ModuleFacts  # where the sink is
    sink: Sink


@dataclass(slots=True)
class Relation:
    name: str
    kind: str  # fk, o2o, m2m, gfk, generic_rel, reverse_fk, reverse_o2o, reverse_m2m, relationship
    target: str | None  # qualified model key
    many: bool | None
    lazy: str | None
    module: ModuleFacts
    span: object
    back: str | None = None  # a reverse accessor's forward field: the rows it yields have it loaded already


@dataclass(slots=True)
class Model:
    key: str
    framework: str  # django | sqlalchemy
    module: ModuleFacts
    cls: ClassFacts
    relations: dict[str, Relation] = field(default_factory=dict)
    managers: dict[str, str] = field(default_factory=dict)  # attribute -> manager class key
    columns: frozenset[str] = frozenset()  # django: plain fields, inherited ones included


@dataclass(slots=True)
class ResolvedSource:
    model: Model
    select: frozenset[str]
    prefetch: frozenset[str]
    all_select: bool
    origin: list[tuple[ModuleFacts, IterSource]]  # where the query was built, outermost first
    prefix: str = ""  # lookup path from the root query to these rows ("invoices__"), for nested loops
    certain: bool = True  # False for the related rows of one object (order.lines.all()): the caller may have prefetched them
    shared: frozenset[str] = frozenset()  # relations back to the one object the rows came from: loaded at most once, not per row
    only: frozenset[str] | None = None  # django .only(...): the columns loaded (None: all)
    defer: frozenset[str] = frozenset()  # django .defer(...): columns left out


class ProjectIndex:
    def __init__(self, modules: list[ModuleFacts]):
        self.modules = {m.module: m for m in modules}
        self.functions: dict[str, tuple[ModuleFacts, Function]] = {}
        self.classes: dict[str, tuple[ModuleFacts, ClassFacts]] = {}
        self.class_by_name: dict[str, list[str]] = {}
        for m in modules:
            prefix = f"{m.module}." if m.module else ""
            for q, fn in m.functions.items():
                self.functions[prefix + q] = (m, fn)
            for q, c in m.classes.items():
                self.classes[prefix + q] = (m, c)
                self.class_by_name.setdefault(q.rpartition(".")[2], []).append(prefix + q)
        # src/ layouts and scans of a sub-folder: let "billing.helpers" find "src.billing.helpers"
        self.module_alias: dict[str, str] = {}
        ambiguous: set[str] = set()
        for name in self.modules:
            parts = name.split(".")
            for i in range(1, len(parts)):
                alias = ".".join(parts[i:])
                if alias in self.modules:
                    continue
                if alias in self.module_alias and self.module_alias[alias] != name:
                    ambiguous.add(alias)
                self.module_alias[alias] = name
        for alias in ambiguous:
            del self.module_alias[alias]
        self._reach: dict[frozenset[str], dict[str, Reach | None]] = {}
        self._resolved: dict[tuple[str, str], str | None] = {}
        self._visiting: dict[frozenset[str], set[str]] = {}
        self._models: dict[str, Model] | None = None
        self._calls_by_name: dict[str, list[tuple[ModuleFacts, Function, Call]]] | None = None
        self._callers: dict[str, list[tuple[ModuleFacts, Function, Call]]] = {}
        self._constructed: dict[str, list[tuple[ModuleFacts, Function, Call]]] | None = None
        self._subclasses: dict[str, list[str]] | None = None
        self._template_calls: dict[str, list[tuple[ModuleFacts, Function, Call]]] | None = None

    # -- names -------------------------------------------------------------------------------------------
    def _absolute(self, name: str) -> str:
        if name in self.functions or name in self.classes:
            return name
        parts = name.split(".")
        for i in range(len(parts) - 1, 0, -1):
            head = ".".join(parts[:i])
            real = self.module_alias.get(head)
            if real:
                return ".".join([real, *parts[i:]])
        return name

    def resolve_function(self, callee: str, module: ModuleFacts) -> str | None:
        """The function a call reaches: a project function, a method (through base classes), or a constructor."""
        key = (module.module, callee)
        if key not in self._resolved:
            self._resolved[key] = self._resolve_function(callee, module)
        return self._resolved[key]

    def _resolve_function(self, callee: str, module: ModuleFacts) -> str | None:
        if callee.startswith(callables.MARK):
            return callables.resolve(self, callee)
        if callee.startswith(class_attrs.HELD):
            return class_attrs.held_method(self, callee)
        local = f"{module.module}.{callee}" if module.module else callee
        for candidate in (local, self._absolute(callee)):
            if candidate in self.functions:
                return candidate
            found = self._method(candidate)
            if found:
                return found
        return None

    def _method(self, name: str) -> str | None:
        cls_key, _, method = name.rpartition(".")
        if cls_key in self.classes:
            return self.find_method(cls_key, method or "__init__")
        if name in self.classes:
            return self.find_method(name, "__init__")
        # registry.method where `registry = Registry()` at the top of its module
        owner_module, _, instance = cls_key.rpartition(".")
        holder = self.modules.get(owner_module) or self.modules.get(self.module_alias.get(owner_module, ""))
        if holder is not None and instance in holder.instances:
            cls = self.resolve_class(holder.instances[instance], holder)
            if cls:
                return self.find_method(cls, method)
        # Model.objects.method: a manager method
        model_key, _, manager = cls_key.rpartition(".")
        model = self.models().get(model_key)
        if model and manager in model.managers:
            return self.find_method(model.managers[manager], method)
        return None

    def find_method(self, cls_key: str, method: str, seen: frozenset[str] = frozenset()) -> str | None:
        if cls_key in seen or cls_key not in self.classes:
            return None
        key = f"{cls_key}.{method}"
        if key in self.functions:
            return key
        for base in self.bases(cls_key):
            found = self.find_method(base, method, seen | {cls_key})
            if found:
                return found
        return None

    def resolve_class(self, name: str, module: ModuleFacts) -> str | None:
        local = f"{module.module}.{name}" if module.module else name
        if local in self.classes:
            return local
        absolute = self._absolute(name)
        if absolute in self.classes:
            return absolute
        return None

    def subclasses(self, cls_key: str) -> list[str]:
        """The project classes that derive from `cls_key`, at any depth."""
        if self._subclasses is None:
            self._subclasses = {}
            for key in self.classes:
                for base in self.bases(key):
                    self._subclasses.setdefault(base, []).append(key)
        out, todo = [], list(self._subclasses.get(cls_key, ()))
        while todo:
            key = todo.pop()
            if key not in out:
                out.append(key)
                todo += self._subclasses.get(key, ())
        return out

    def bases(self, cls_key: str) -> list[str]:
        module, cls = self.classes[cls_key]
        out = []
        for base in cls.bases:
            key = self.resolve_class(base, module)
            if key:
                out.append(key)
        return out

    # -- what reaches a query ----------------------------------------------------------------------------
    def reach(self, key: str, kinds: frozenset[str] = QUERIES, depth: int = 0) -> Reach | None:
        """The shortest chain of calls from function `key` to I/O of one of `kinds`: a query or remote call
        (the default), a file read ("file") or a new database connection ("connect")."""
        memo = self._reach.setdefault(kinds, {})
        if key in memo:
            return memo[key]
        visiting = self._visiting.setdefault(kinds, set())
        if key in visiting or depth > MAX_CHAIN:
            return None  # recursion, or deeper than any real helper stack
        visiting.add(key)
        module, fn = self.functions[key]
        best: Reach | None = None
        own = [s for s in fn.sinks if s.kind in kinds] if kinds is QUERIES else [s for s in (*fn.sinks, *fn.io) if s.kind in kinds]
        if fn.cached:
            pass  # memoised or cache-aside: its queries do not run once per call
        elif own:
            sink = next((s for s in own if s.confidence == "high"), own[0])
            best = Reach((), module, sink)
        else:
            for call in fn.calls:
                target = self.resolve_function(call.callee, module)
                if target is None or target == key:
                    continue
                found = self.reach_call(key, target, kinds, depth + 1)
                if found is not None and (best is None or len(found.steps) + 1 < len(best.steps)):
                    best = Reach((Step(module, call, target), *found.steps), found.module, found.sink)
                    if not found.steps:
                        break
        visiting.discard(key)
        if best is not None or not visiting:
            memo[key] = best  # a miss inside a cycle may still be a hit from elsewhere: not cached
        return best

    def reach_call(self, caller: str, target: str, kinds: frozenset[str] = QUERIES, depth: int = 0) -> Reach | None:
        """What a call from function `caller` to `target` reaches: when `target` is abstract and `caller` is a method of
        its class (the template-method pattern), what its one subclass override that keeps `caller` reaches."""
        if not self.functions[target][1].abstract:
            return self.reach(target, kinds, depth)
        for override in dispatch.overrides(self, target, caller):
            found = self.reach(override, kinds, depth)
            if found is not None:
                return found
        return None

    # -- models ------------------------------------------------------------------------------------------
    def models(self) -> dict[str, Model]:
        if self._models is None:
            self._models = {}
            self._models = self._build_models()
        return self._models

    def _framework(self, cls_key: str, seen: frozenset[str] = frozenset()) -> str | None:
        module, cls = self.classes[cls_key]
        for base in cls.bases:
            if base.endswith(("models.Model", "db.models.Model")) or base in ("django.db.models.Model",):
                return "django"
            if base.rpartition(".")[2] in ("DeclarativeBase", "DeclarativeBaseNoMeta") or base in ("db.Model",) or base.endswith("sqlalchemy.Model"):
                return "sqlalchemy"
        if cls.tablename or any(r.kind == "relationship" for r in cls.relations.values()):
            return "sqlalchemy"
        if any(r.kind in ("fk", "o2o", "m2m", "gfk") for r in cls.relations.values()) and any(b.rpartition(".")[2] == "Model" for b in cls.bases):
            return "django"
        # a base from a Django extension (MPTTModel, PolymorphicModel...) that the project does not define itself
        if any(b.rpartition(".")[2] in apis.DJANGO_MODEL_BASES and self.resolve_class(b, module) is None for b in cls.bases):
            return "django"
        for base in self.bases(cls_key):
            if base not in seen:
                fw = self._framework(base, seen | {cls_key})
                if fw:
                    return fw
        if cls.django_fields and not any(b.rpartition(".")[2] in ("Form", "ModelForm", "Serializer", "ModelSerializer") for b in cls.bases):
            return "django"  # `models.CharField(...)` attributes on a base we cannot read (an installed package's)
        return None

    def _build_models(self) -> dict[str, Model]:
        models: dict[str, Model] = {}
        for key, (module, cls) in self.classes.items():
            fw = self._framework(key)
            if fw:
                models[key] = Model(key, fw, module, cls)
        by_name: dict[str, list[str]] = {}
        for key in models:
            by_name.setdefault(key.rpartition(".")[2], []).append(key)

        def target_of(ref: str | None, model: Model) -> str | None:
            if not ref:
                return None
            if ref == "self":
                return model.key
            key = self.resolve_class(ref, model.module)
            if key in models:
                return key
            short = ref.rpartition(".")[2]
            candidates = by_name.get(short, [])
            same = [c for c in candidates if c.startswith(model.module.module + ".")]
            if len(same) == 1:
                return same[0]
            return candidates[0] if len(candidates) == 1 else None

        # own and inherited relations, base classes first
        def own(key: str, seen: frozenset[str] = frozenset()) -> dict[str, Relation]:
            model = models[key]
            merged: dict[str, Relation] = {}
            for base in self.bases(key):
                if base in models and base not in seen:
                    merged.update(own(base, seen | {key}))
            for name, f in model.cls.relations.items():
                merged[name] = Relation(
                    name, f.kind, target_of(f.target, model),
                    f.many if f.kind == "relationship" else f.kind in ("m2m", "generic_rel"), f.lazy, model.module, f.span,
                )
            return merged

        def columns(key: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
            out = set(models[key].cls.columns)
            for base in self.bases(key):
                if base in models and base not in seen:
                    out |= columns(base, seen | {key})
            return frozenset(out)

        for key, model in models.items():
            model.relations = own(key)
            model.columns = columns(key)
            for attr, manager in model.cls.managers.items():
                mkey = self.resolve_class(manager, model.module)
                if mkey:
                    model.managers[attr] = mkey
            for base in self.bases(key):  # managers are inherited too
                if base in models:
                    for attr, manager in models[base].cls.managers.items():
                        mkey = self.resolve_class(manager, models[base].module)
                        if mkey:
                            model.managers.setdefault(attr, mkey)
        # SQLAlchemy backref="...": the relationship it declares on the other side
        for key, model in models.items():
            for f in model.cls.relations.values():
                target = model.relations.get(f.name)
                if f.backref and target is not None and target.target in models:
                    many = True if f.secondary or f.many is False else (False if f.many else None)  # the reverse of one-to-many is many-to-one
                    models[target.target].relations.setdefault(f.backref, Relation(
                        f.backref, "relationship", key, many, f.backref_lazy or "select", model.module, f.span))
        # Django reverse accessors: invoice.items (related_name) or invoice.item_set
        for key, model in models.items():
            if model.framework != "django" or model.cls.abstract:
                continue
            lower = key.rpartition(".")[2].lower()
            for rel in list(model.relations.values()):
                if rel.kind not in ("fk", "o2o", "m2m") or rel.target not in models:
                    continue
                f = model.cls.relations.get(rel.name)
                related_name = f.related_name if f else None
                if related_name is None:
                    for base in self.bases(key):
                        if base in models and rel.name in models[base].cls.relations:
                            related_name = models[base].cls.relations[rel.name].related_name
                if related_name and related_name.endswith("+"):
                    continue
                if related_name:
                    accessor = related_name.replace("%(class)s", lower).replace("%(app_label)s", model.module.module.partition(".")[0])
                else:
                    accessor = lower if rel.kind == "o2o" else f"{lower}_set"
                kind = {"fk": "reverse_fk", "o2o": "reverse_o2o", "m2m": "reverse_m2m"}[rel.kind]
                models[rel.target].relations.setdefault(accessor, Relation(accessor, kind, key, kind != "reverse_o2o", None, rel.module, rel.span,
                                                                           back=rel.name))
        return models

    def resolve_model(self, ref: str | None, module: ModuleFacts) -> Model | None:
        if not ref:
            return None
        if ref.startswith(class_attrs.MARK):
            held = self.__dict__.setdefault("_held_models", {})  # asked once per query through `self.model`: answered once
            if ref not in held:
                held[ref] = class_attrs.attr_model(self, ref)
            return held[ref]
        key = self.resolve_class(ref, module)
        models = self.models()
        if key in models:
            return models[key]
        candidates = [k for k in self.class_by_name.get(ref.rpartition(".")[2], []) if k in models]
        return models[candidates[0]] if len(candidates) == 1 else None

    # -- what a loop iterates ----------------------------------------------------------------------------
    def resolve_source(self, src: IterSource, module: ModuleFacts, fn: Function, self_model: Model | None = None, depth: int = 0) -> ResolvedSource | None:
        if depth > MAX_CHAIN:
            return None
        if src.kind in ("django", "sqlalchemy"):
            model = self_model if src.model == "<self>" else self.resolve_model(src.model, module)
            if model is None:
                return None
            select, prefetch, all_select = set(src.select), set(src.prefetch), src.all_select
            origin = [(module, src)]
            extra = [model.managers[src.manager] + ".get_queryset"] if model.framework == "django" and src.manager in model.managers else []
            extra += self._custom_methods(model, src.methods)
            for key in extra:
                base = self._returned(key, model, depth)
                if base is not None:
                    select |= base.select
                    prefetch |= base.prefetch
                    all_select = all_select or base.all_select
            if any(BACK in p for p in prefetch):
                prefetch = set(owner_backs(self, model, frozenset(prefetch)))
            return ResolvedSource(model, frozenset(select), frozenset(prefetch), all_select, origin,
                                  only=frozenset(src.only) if src.only is not None else None, defer=frozenset(src.defer))
        if src.kind == "call":
            target = self.resolve_function(src.callee or "", module)
            if target is None:
                return None
            self_model = self.resolve_model(src.model, module) if src.model else None
            inner = self._returned(target, self_model, depth)
            if inner is None and self.functions.get(target, (None, None))[1] is not None and self.functions[target][1].abstract:
                inner = self._dispatched_returned(f"{module.module}.{fn.qualname}" if module.module else fn.qualname, target, self_model, depth)
            if inner is None:
                return None
            select, prefetch, all_select = set(inner.select | frozenset(src.select)), set(inner.prefetch | frozenset(src.prefetch)), inner.all_select or src.all_select
            for key in self._custom_methods(inner.model, src.methods):
                more = self._returned(key, inner.model, depth)
                if more is not None:
                    select |= more.select
                    prefetch |= more.prefetch
                    all_select = all_select or more.all_select
            return ResolvedSource(inner.model, frozenset(select), owner_backs(self, inner.model, frozenset(prefetch)), all_select,
                                  [(module, src), *inner.origin], inner.prefix)
        if src.kind == "accessor":
            return self._accessor_source(src, module)
        if src.kind == "view":
            return view_rows(self, src, module, depth, self_model)
        if src.kind == "param":
            if fn.qualname == TEMPLATE and is_template(module):
                return context_rows(self, module, src, depth)
            return self._param_source(src, module, fn, depth)
        if src.kind == "relation" and src.parent_loop is not None:
            parent_loop = fn.loops.get(src.parent_loop)
            if parent_loop is None or parent_loop.source is None:
                return None
            parent = self.resolve_source(parent_loop.source, module, fn, self_model, depth + 1)
            if parent is None:
                return None
            model, prefix = parent.model, ""
            for seg in src.parent_path:
                rel = model.relations.get(seg)
                if rel is None or rel.target is None:
                    return None
                model = self.models().get(rel.target)
                if model is None:
                    return None
                prefix = f"{prefix}{seg}__"

            def below(lookups: frozenset[str]) -> frozenset[str]:
                return frozenset(s[len(prefix):] for s in lookups if s.startswith(prefix))

            # Django caches the parent on rows reached through a reverse accessor (`item.invoice` of invoice.items)
            back = frozenset({rel.back}) if rel.back else frozenset()
            return ResolvedSource(model, below(parent.select) | back, below(parent.prefetch), False, [(module, src), *parent.origin],
                                  parent.prefix + prefix, shared=back)
        return None

    def callers(self, key: str) -> list[tuple[ModuleFacts, Function, Call]]:
        """Every call in the project that reaches function `key`: calls are grouped by the callee's last name once,
        and only those of the wanted name are resolved (constructors: every class-named call, resolved once)."""
        if key in self._callers:
            return self._callers[key]
        if self._calls_by_name is None:
            self._calls_by_name = {}
            for m in self.modules.values():
                for f in m.functions.values():
                    for c in f.calls:
                        self._calls_by_name.setdefault(c.callee.rpartition(".")[2], []).append((m, f, c))
        name = key.rpartition(".")[2]
        if name == TEMPLATE:  # a template is called by its exact key (views.py, templates.py): no name to resolve
            if self._template_calls is None:
                self._template_calls = {}
                for m, f, c in self._calls_by_name.get(TEMPLATE, []):
                    self._template_calls.setdefault(c.callee, []).append((m, f, c))
            found = self._template_calls.get(key, [])
        elif name == "__init__":  # called by its class's name, or a subclass's
            if self._constructed is None:
                self._constructed = {}
                for n, calls in self._calls_by_name.items():
                    if n[:1].isupper():
                        for m, f, c in calls:
                            target = self.resolve_function(c.callee, m)
                            if target is not None and target.endswith(".__init__"):
                                self._constructed.setdefault(target, []).append((m, f, c))
            found = self._constructed.get(key, [])
        else:
            found = [(m, f, c) for m, f, c in self._calls_by_name.get(name, []) if self.resolve_function(c.callee, m) == key]
        self._callers[key] = found
        return found

    def _param_source(self, src: IterSource, module: ModuleFacts, fn: Function, depth: int) -> ResolvedSource | None:
        """Rows an untyped parameter holds: what every caller passes, when all the callers that can be read agree on
        the model. The eager loading is what the weakest caller loads (any caller without it has the N+1)."""
        param = src.parent_path[0]
        if param not in fn.params:
            return None
        key = f"{module.module}.{fn.qualname}" if module.module else fn.qualname
        position = fn.params.index(param) - (1 if fn.params[0] in ("self", "cls") else 0)
        found = self._caller_rows(key, position, module, src, depth)
        default = fn.query_vars.get(f"{param}#default")
        if found is None and default is not None:  # `if qs is None: qs = Model.objects...` and no caller passes known rows
            return self.resolve_source(default, module, fn, depth=depth + 1)
        return found

    def _caller_rows(self, key: str, position: int, module: ModuleFacts, src: IterSource, depth: int) -> ResolvedSource | None:
        """What the callers of function `key` pass at positional argument `position`, when they agree on the model."""
        found: list[ResolvedSource] = []
        for caller_module, caller, call in self.callers(key):
            arg = next((s for i, s in call.arg_sources if i == position), None)
            resolved = self.resolve_source(arg, caller_module, caller, depth=depth + 1) if arg is not None else None
            if resolved is not None:
                found.append(resolved)
        if not found or len({r.model.key for r in found}) != 1:
            return None  # no caller tells, or callers pass rows of different models: no guess
        weakest = min(found, key=lambda r: (len(r.select) + len(r.prefetch) + r.all_select * 100))
        # what every caller loads, and what the function adds itself (`queryset.select_related(...)` on the parameter)
        select = frozenset.intersection(*(r.select for r in found)) | frozenset(src.select)
        prefetch = frozenset.intersection(*(r.prefetch for r in found)) | frozenset(src.prefetch)
        origin = [(module, src), *weakest.origin]
        return ResolvedSource(weakest.model, select, prefetch, all(r.all_select for r in found), origin, weakest.prefix,
                              certain=all(r.certain for r in found))

    def _accessor_source(self, src: IterSource, module: ModuleFacts) -> ResolvedSource | None:
        """order.lines.all(): the model behind an accessor, from the owner's type or, failing that, from the
        one model any relation of that name leads to."""
        accessor = src.parent_path[0]
        models = self.models()
        if src.model is not None:
            owner = models.get(src.model) or self.resolve_model(src.model, module)
            if owner is None:
                return self._state_rows(src, module, accessor)
            rel = owner.relations.get(accessor)
            targets = {rel.target} if rel is not None and not is_single(rel) else set()
            backs = {rel.back} if rel is not None and rel.back else set()
        else:
            targets = {r.target for m in models.values() for r in m.relations.values() if r.name == accessor and not is_single(r)}
            backs = {r.back for m in models.values() for r in m.relations.values() if r.name == accessor and not is_single(r) and r.back}
            if len(backs) > 1:
                backs = set()  # owners of several models have this accessor: which FK leads back is unknown
        if len(targets) != 1 or None in targets:
            return None
        model = models.get(targets.pop())
        if model is None:
            return None
        # never certain: whoever loaded the owner may have prefetched these rows and their relations
        # the owner is cached on each row (Django sets it on rows of a related manager): whatever is read through it is read once
        return ResolvedSource(model, frozenset(src.select) | backs, frozenset(src.prefetch), src.all_select, [(module, src)], certain=False,
                              shared=frozenset(backs))

    def _state_rows(self, src: IterSource, module: ModuleFacts, attr: str) -> ResolvedSource | None:
        """`for row in self.data` where `self.data = data` in __init__: the rows the class is constructed with."""
        cls_key = src.model if src.model in self.classes else self.resolve_class(src.model or "", module)
        for key in ([cls_key, *self.bases(cls_key)] if cls_key else []):
            position = self.classes[key][1].attr_params.get(attr)
            if position is not None:
                init = self.find_method(cls_key, "__init__")
                return self._caller_rows(init, position - 1, module, src, 0) if init else None
        return None  # typed, but not a model: a plain attribute

    def _custom_methods(self, model: Model, methods: tuple[str, ...]) -> list[str]:
        """with_client() on Invoice.objects: the manager or queryset method of that name, if the project defines it."""
        found = []
        for name in methods:
            for manager in model.managers.values():
                key = self.find_method(manager, name)
                if key:
                    found.append(key)
                    break
        return found

    def _dispatched_returned(self, caller: str, target: str, self_model: Model | None, depth: int) -> ResolvedSource | None:
        """`self.get_rows()` abstract in the caller's class: the rows its one subclass override that keeps the caller returns."""
        for override in dispatch.overrides(self, target, caller) if depth < MAX_CHAIN else ():
            resolved = self._returned(override, self_model, depth + 1)
            if resolved is not None:
                return resolved
        return None

    def returned(self, fn_key: str, self_model: Model | None, depth: int) -> ResolvedSource | None:
        return self._returned(fn_key, self_model, depth)

    def _returned(self, fn_key: str, self_model: Model | None, depth: int) -> ResolvedSource | None:
        if fn_key not in self.functions:
            found = self._method(fn_key)
            if not found:
                return None
            fn_key = found
        module, fn = self.functions[fn_key]
        if self_model is None and fn.cls:  # a manager method: find the model that uses this manager
            cls_key = f"{module.module}.{fn.cls}" if module.module else fn.cls
            for model in self.models().values():
                if cls_key in model.managers.values():
                    self_model = model
                    break
        for src in fn.returns:
            resolved = self.resolve_source(src, module, fn, self_model, depth + 1)
            if resolved is not None:
                return resolved
        return None


def is_single(rel: Relation) -> bool:
    if rel.kind in ("fk", "o2o", "gfk", "reverse_o2o"):
        return True
    if rel.kind == "relationship":
        return rel.many is False
    return False


def eager_by_default(rel: Relation) -> bool:
    return rel.kind == "relationship" and (rel.lazy or "select") in apis.SQLA_EAGER_LAZY
