"""The project's Django models as the source code declares them, read with `ast` (never imported): wherever they
live (models.py, a models/ package, under an `if`), with their app label, table, fields, managers and the
reverse accessors other models give them. find_missing_indexes turns ORM calls into SQL with this."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.files import read_source
from ..analysis.syntax import parse
from ..analysis.table_sizes import app_label

# Field classes that hold a relation: the column is `<name>_id`, lookups through it are joins
_FK = ("ForeignKey", "OneToOneField", "ParentalKey")
_M2M = ("ManyToManyField", "ParentalManyToManyField")


@dataclass
class ModelField:
    name: str
    column: str
    target: str | None = None  # the related model ("app.Model", "Model" or "self") of a ForeignKey / OneToOneField
    related_name: str | None = None
    null: bool = False
    many: bool = False  # a many-to-many: no column on this table
    unique: bool = False
    db_index: bool = False
    line: int = 0
    few_values: bool = False  # declared with choices
    primary: bool = False
    path: str = ""  # the file that declares it (an abstract base's, for an inherited field)


@dataclass
class Model:
    name: str
    app: str
    path: str
    line: int
    fields: dict[str, ModelField] = field(default_factory=dict)
    bases: list[str] = field(default_factory=list)
    db_table: str | None = None
    abstract: bool = False
    managers: dict[str, str] = field(default_factory=dict)  # attribute -> manager or queryset class name ("" for models.Manager())
    unique_together: list[tuple[str, ...]] = field(default_factory=list)
    table: str = ""  # resolved against the schema
    columns: frozenset[str] = frozenset()  # the table's columns, as the schema has them (third-party bases add some)

    @property
    def key(self) -> str:
        return f"{self.app}.{self.name}"

    def pk_column(self) -> str:
        return next((f.column for f in self.fields.values() if f.primary), "id")


@dataclass
class Project:
    models: dict[str, Model] = field(default_factory=dict)  # "app.Name" -> model
    querysets: dict[str, ast.ClassDef] = field(default_factory=dict)  # class name -> QuerySet / Manager class body

    def by_name(self, name: str) -> list[Model]:
        return [m for m in self.models.values() if m.name == name and not m.abstract]

    def target(self, owner: Model, f: ModelField) -> Model | None:
        ref = f.target or ""
        if ref == "self":
            return owner
        if "." in ref:
            return self.models.get(ref) or next(iter(self.by_name(ref.rpartition(".")[2])), None)
        same_app = self.models.get(f"{owner.app}.{ref}")
        return same_app if same_app and not same_app.abstract else (self.by_name(ref)[0] if len(self.by_name(ref)) == 1 else None)


def read_models(root: Path, files: list[str]) -> Project:
    project = Project()
    found: list[tuple[ast.ClassDef, str]] = []
    for rel in files:
        text, _ = read_source(root, rel)  # the scan's limits: no huge generated file, nothing but regular files
        if text is None:
            continue  # read_workload reports why
        if "class " not in text:
            continue  # no class, no model (cheap: most files of a project are skipped unparsed here)
        try:
            tree = parse(text)
        except (SyntaxError, ValueError):
            continue  # scan_performance reports unreadable files
        for node in ast.walk(tree):  # models under `if settings.X:` or `try:` count too
            if isinstance(node, ast.ClassDef):
                found.append((node, rel))
    model_classes = _model_classes(found)
    for cls, rel in model_classes:
        m = _model(cls, rel)
        project.models[m.key] = m
    for cls, _ in found:
        if any(_base_name(b).endswith(("QuerySet", "Manager")) for b in cls.bases):
            project.querysets[cls.name] = cls
    _inherit(project)
    return project


def _base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Subscript):
        return _base_name(node.value)
    return ""


def _call_name(node: ast.AST) -> str:
    return _base_name(node.func) if isinstance(node, ast.Call) else ""


_NOT_MODELS = ("Form", "Serializer", "Admin", "FilterSet", "Inline", "Table", "Config", "Test", "TestCase")  # an abstract mixin model is a model
_NOT_MODEL_BASES = ("Form", "Serializer", "Admin", "FilterSet", "Inline", "Table", "AppConfig", "TestCase")


def _model_classes(found: list[tuple[ast.ClassDef, str]]) -> list[tuple[ast.ClassDef, str]]:
    """Classes that are Django models: a base called Model (or *Model), a `models.XField(...)` in the body, or a base
    that is itself one of these (to any depth: EntityModel(EntityModelAbstract(MP_Node)) is a model)."""
    def own(cls: ast.ClassDef) -> bool:
        bases = [_base_name(b) for b in cls.bases]
        if cls.name.endswith(_NOT_MODELS) or any(b.endswith(_NOT_MODEL_BASES) for b in bases):
            return False
        if any(b == "Model" or b.endswith("Model") for b in bases):
            return True
        return any(isinstance(s, (ast.Assign, ast.AnnAssign)) and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Attribute)
                   and isinstance(s.value.func.value, ast.Name) and s.value.func.value.id == "models" for s in cls.body)

    models = {id(c) for c, _ in found if own(c)}
    names = {c.name for c, _ in found if id(c) in models}
    grew = True
    while grew:  # subclasses of models, to any depth
        grew = False
        for c, _ in found:
            if id(c) not in models and not c.name.endswith(_NOT_MODELS) and any(_base_name(b) in names for b in c.bases):
                models.add(id(c))
                names.add(c.name)
                grew = True
    return [(c, rel) for c, rel in found if id(c) in models]


def _const(node: ast.AST | None):
    return node.value if isinstance(node, ast.Constant) else None


def _model(cls: ast.ClassDef, rel: str) -> Model:
    m = Model(cls.name, app_label(rel), rel, cls.lineno, bases=[_base_name(b) for b in cls.bases])
    for stmt in cls.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
            _meta(m, stmt)
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) and stmt.value else []
        value = getattr(stmt, "value", None)
        for t in targets:
            if not isinstance(t, ast.Name) or not isinstance(value, ast.Call):
                continue
            kind = _call_name(value)
            if kind.endswith("Manager") or (isinstance(value.func, ast.Attribute) and value.func.attr == "as_manager"):
                owner = value.func.value if isinstance(value.func, ast.Attribute) and value.func.attr == "as_manager" else value.func
                m.managers[t.id] = "" if kind == "Manager" else _base_name(owner)
            elif isinstance(value.func, ast.Call) and _call_name(value.func) == "from_queryset":  # Manager.from_queryset(QS)()
                m.managers[t.id] = _base_name(value.func.args[0]) if value.func.args else ""
            elif kind.endswith("Field") or kind in _FK or kind in _M2M:
                m.fields[t.id] = _field(t.id, kind, value, stmt.lineno)
                m.fields[t.id].path = rel
            elif kind[:1].isupper() and isinstance(value.func, ast.Name):
                m.managers[t.id] = kind  # maybe a project manager class (OpenInvoices()): checked against project.querysets when used
    return m


def _field(name: str, kind: str, call: ast.Call, line: int) -> ModelField:
    kw = {k.arg: k.value for k in call.keywords if k.arg}
    f = ModelField(name, name, null=_const(kw.get("null")) is True, unique=_const(kw.get("unique")) is True,
                   db_index=_const(kw.get("db_index")) is True, line=line, few_values="choices" in kw)
    if kind in _FK or kind in _M2M:
        ref = call.args[0] if call.args else kw.get("to")
        f.target = _const(ref) if isinstance(_const(ref), str) else (_base_name(ref) if ref is not None else None)
        f.related_name = _const(kw.get("related_name")) if isinstance(_const(kw.get("related_name")), str) else None
        f.many = kind in _M2M
        f.column = name if f.many else f"{name}_id"
        f.db_index = _const(kw.get("db_index")) is not False and not f.many  # Django indexes every ForeignKey unless told not to
    if isinstance(_const(kw.get("db_column")), str):
        f.column = _const(kw["db_column"])
    if _const(kw.get("primary_key")) is True:
        f.unique = f.primary = True
    return f


def _meta(m: Model, meta: ast.ClassDef) -> None:
    for s in meta.body:
        if not isinstance(s, ast.Assign):
            continue
        for t in s.targets:
            if not isinstance(t, ast.Name):
                continue
            if t.id == "db_table" and isinstance(_const(s.value), str):
                m.db_table = _const(s.value)
            elif t.id == "abstract":
                m.abstract = _const(s.value) is True
            elif t.id == "app_label" and isinstance(_const(s.value), str):
                m.app = _const(s.value)
            elif t.id == "unique_together" and isinstance(s.value, (ast.Tuple, ast.List)):
                groups = s.value.elts if all(isinstance(e, (ast.Tuple, ast.List)) for e in s.value.elts) else [s.value]
                for g in groups:
                    names = tuple(_const(e) for e in g.elts)
                    if all(isinstance(n, str) for n in names):
                        m.unique_together.append(names)


def _inherit(project: Project) -> None:
    """Fields and managers of project base classes (abstract or not) are the subclass's too."""
    def bases_of(m: Model, seen: set[str]) -> list[Model]:
        out = []
        for b in m.bases:
            for base in [x for x in project.models.values() if x.name == b and x.key not in seen]:
                seen.add(base.key)
                out += [base, *bases_of(base, seen)]
        return out

    for m in project.models.values():
        for base in bases_of(m, {m.key}):
            for name, f in base.fields.items():
                m.fields.setdefault(name, f)
            for name, qs in base.managers.items():
                m.managers.setdefault(name, qs)


def resolve_tables(project: Project, tables: dict[str, dict[str, str]]) -> list[str]:
    """Each concrete model's table: Meta.db_table, else Django's `<app_label>_<model>`, matched against the schema.
    Returns the models whose table the schema does not have (so their calls are reported, not guessed)."""
    missing = []
    for m in project.models.values():
        if m.abstract:
            continue
        name = m.db_table or f"{m.app}_{m.name.lower()}"
        if name in tables:
            m.table = name
            m.columns = frozenset(tables[name])
        else:
            missing.append(m.key)
    return missing
