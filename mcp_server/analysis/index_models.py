"""The project's ORM models: which classes are Django or SQLAlchemy models (extension bases included),
their own and inherited relations, reverse accessors and `backref=`s, managers and columns."""

from __future__ import annotations

import re

from . import apis, class_attrs
from .facts import ModuleFacts
from .index_model import Model, Relation


class ModelRegistry:
    # -- models ------------------------------------------------------------------------------------------
    def models(self) -> dict[str, Model]:
        if self._models is None:
            self._models = {}
            self._models = self._build_models()
        return self._models

    def _framework(self, cls_key: str, seen: frozenset[str] = frozenset()) -> str | None:
        module, cls = self.classes[cls_key]
        for base in cls.bases:
            if base.endswith(("models.Model", "db.models.Model")) or base in ("django.db.models.Model",) or base in apis.DJANGO_MODEL_PATHS:
                return "django"
            if base.rpartition(".")[2] in ("DeclarativeBase", "DeclarativeBaseNoMeta") or base in ("db.Model",) or base.endswith((".db.Model", "sqlalchemy.Model")):
                # (Flask-SQLAlchemy's `db.Model`, `db` imported from the application's package: Houston's models)
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
        # every dotted tail of the project's module names: an import path none of them ends with is an installed package's
        tails = {m.module.split(".", i)[-1] for m in self.modules.values() for i in range(m.module.count(".") + 1)}

        def target_of(ref: str | None, model: Model) -> str | None:
            if not ref:
                return None
            if ref == "self":
                return model.key
            key = self.resolve_class(ref, model.module)
            if key in models:
                return key
            if ref.count(".") >= 2 and ref.rpartition(".")[0] not in tails:
                return None  # `from countries_plus.models import Country as MasterCountry`: not the project's `Country` (Indigo)
            short = ref.rpartition(".")[2]
            candidates = by_name.get(short, [])
            same = [c for c in candidates if c.startswith(model.module.module + ".")]
            if len(same) == 1:
                return same[0]
            if len(candidates) > 1:
                # Django's "users.Project": the model of that app, not a worker's SQLAlchemy `Project` (Compute Studio)
                label = ref.rpartition(".")[0].rpartition(".")[2]
                candidates = [c for c in candidates if models[c].framework == model.framework
                              and (not label or label in c.split(".")[:-2])]
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
                    null=f.null,
                )
            return merged

        def columns(key: str, which: str = "columns", seen: frozenset[str] = frozenset()) -> frozenset[str]:
            out = set(getattr(models[key].cls, which))
            for base in self.bases(key):
                if base in models and base not in seen:
                    out |= columns(base, which, seen | {key})
            return frozenset(out)

        for key, model in models.items():
            model.relations = own(key)
            model.columns = columns(key)
            model.unique = columns(key, "unique")
            model.constrained = columns(key, "constrained")
            for attr, manager in model.cls.managers.items():
                mkey = self.resolve_class(manager, model.module)
                if mkey:
                    model.managers[attr] = mkey
            for attr, manager in model.cls.from_queryset.items():
                mkey = self.resolve_class(manager, model.module)
                if mkey:
                    model.queryset_managers[attr] = mkey
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
                    if many is None and target.target != key and declared_table(model) in models[target.target].cls.foreign_tables:
                        # `items = relationship("Item", backref="technology")` and Item's `ForeignKey("technology.id")`; not a
                        # tree's own backref (IRIS's `subdirectories`), whose key column serves both directions
                        many = False
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
                # a query names it by related_query_name, else by related_name, else by the model's name (not `item_set`)
                query = (f.related_query_name if f else None) or (accessor if related_name else lower)
                models[rel.target].relations.setdefault(accessor, Relation(accessor, kind, key, kind != "reverse_o2o", None, rel.module, rel.span,
                                                                           back=rel.name, query=query.replace("%(class)s", lower)))
        return models

    def polymorphic(self, key: str | None, seen: frozenset[str] = frozenset()) -> bool:
        """A django-polymorphic model, or one below it."""
        if key not in self.classes or key in seen:
            return False
        return any(b.rpartition(".")[2] in apis.POLYMORPHIC_BASES for b in self.classes[key][1].bases) \
            or any(self.polymorphic(base, seen | {key}) for base in self.bases(key))

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
        if key in self.classes:
            return None  # a project class that is no model: not the model of that name elsewhere (Octavia's data_models.Listener)
        candidates = [k for k in self.class_by_name.get(ref.rpartition(".")[2], []) if k in models]
        return models[candidates[0]] if len(candidates) == 1 else None


def declared_table(model: Model) -> str:
    """The table a SQLAlchemy model maps: its `__tablename__`, else Flask-SQLAlchemy's default, the class name in
    snake_case (`AuditorSettings` -> `auditor_settings`)."""
    name = model.key.rpartition(".")[2]
    return model.cls.table or snake_table(name)


def snake_table(name: str) -> str:
    """A class name in snake_case as Flask-SQLAlchemy names its table (`AuditorSettings` -> `auditor_settings`)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
