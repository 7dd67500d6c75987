"""What the project index hands out: models and their relations, the chain of calls that reaches a
query (`Reach`), and a loop's rows resolved to a model with their eager loading (`ResolvedSource`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import apis
from .facts import Call, ClassFacts, IterSource, ModuleFacts, Sink

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
    kept: str = ""  # the attribute the sink's function keeps its connection in (Function.keeps): reused until closed


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
    null: bool = False  # django: a nullable foreign key, which a bare select_related() does not follow
    query: str | None = None  # django, a reverse accessor: what `filter()` and `Count()` call it (`item` for `item_set`)


@dataclass(slots=True)
class Model:
    key: str
    framework: str  # django | sqlalchemy
    module: ModuleFacts
    cls: ClassFacts
    relations: dict[str, Relation] = field(default_factory=dict)
    managers: dict[str, str] = field(default_factory=dict)  # attribute -> manager class key
    queryset_managers: dict[str, str] = field(default_factory=dict)  # attribute -> the class `from_queryset()` was called on
    columns: frozenset[str] = frozenset()  # django: plain fields, inherited ones included
    unique: frozenset[str] = frozenset()  # those of them declared unique (or the primary key)
    constrained: frozenset[str] = frozenset()  # columns a composite unique constraint names


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
    annotated: frozenset[str] = frozenset()  # django .annotate(...) names: set on each row, so a property of that name never runs


def is_single(rel: Relation) -> bool:
    if rel.kind in ("fk", "o2o", "gfk", "reverse_o2o"):
        return True
    if rel.kind == "relationship":
        return rel.many is False
    return False


def many_to_one(model: Model, rel: Relation) -> bool:
    """`relationship()` whose foreign key is this model's own column (`session_type_id`), or declared `uselist=False`."""
    return rel.kind == "relationship" and (rel.many is False or f"{rel.name}_id" in model.columns)


def eager_by_default(rel: Relation) -> bool:
    return rel.kind == "relationship" and (rel.lazy or "select") in apis.SQLA_EAGER_LAZY
