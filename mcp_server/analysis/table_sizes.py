"""N+1 findings sized by the production row counts the user gives (`table_rows`, as for index advice).

Static reading cannot know that a loop over a model's rows walks twelve of them: most true N+1 findings judged
"not worth acting on" on real applications walked a small table or one parent's few children. When the
detector makes a finding it records which table the loop walks (`data["loop_rows"]`); the scan applies the
sizes afterwards (`apply`), outside the facts and results caches, so a warm rescan with other sizes stays fast.
Only the severity and the message change: what a finding says about money or correctness never does.
Without sizes, a loop over a table whose model's name says it is a lookup an administrator keeps (`MembershipType`,
`ReviewerRole`, `Queue`) is `low` with that reason; a size the user gives raises it again.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from ..findings import Severity
from . import loop_size
from .index_model import Model, is_single
from .index_models import snake_table

if TYPE_CHECKING:
    from .facts import Function, Loop, ModuleFacts
    from .index import ProjectIndex

RULES = frozenset({"NP101", "NP102", "NP103", "NP104", "NP107"})
SIZED = RULES | {"PF401"}  # a whole table loaded first (whole_tables.py) is sized too
# at most this many rows: a query per row costs at most ~50 round trips (a few ms), which nobody notices next to
# the request around it; the finding stays, at low, with the reason
SMALL_TABLE = 50
# at least this many rows: a query per row is 10,000 round trips (seconds at ~0.2-1 ms each) on every run
LARGE_TABLE = 10_000


def app_dir(rel: str) -> tuple[str, ...]:
    """The Django app's folder: the package holding models.py, or holding the models/ package."""
    parts = Path(rel).parts
    if "models" in parts[:-1]:
        return parts[:len(parts) - 1 - parts[::-1].index("models")]
    return parts[:-1]


def app_label(rel: str) -> str:
    """Django's default label: the name of the app's folder."""
    return (app_dir(rel) or ("",))[-1]


def table_of(model: Model, index: ProjectIndex | None = None) -> str | None:
    """Django: Meta.db_table, else `<app_label>_<model lower>` (the label from Meta, the app's AppConfig, else its
    folder); SQLAlchemy: a literal `__tablename__` (else unknown)."""
    if model.cls.table:
        return model.cls.table
    if model.framework != "django":
        return None
    label = model.cls.app_label or (index.app_labels.get(app_dir(model.module.path)) if index is not None else None)
    return f"{label or app_label(model.module.path)}_{model.cls.name.rpartition('.')[2].lower()}"


def config_labels(index: ProjectIndex) -> dict[tuple[str, ...], str]:
    """App folder -> the `label` its AppConfig declares (`label = "pretixbase"` in pretix/base/apps.py). Built once per
    scan: `ProjectIndex.app_labels`."""
    return {Path(m.path).parts[:-1]: c.app_label for m, c in index.classes.values()
            if c.app_label and any(b.endswith("AppConfig") for b in c.bases)}


def one_parents_rows(loop: Loop) -> bool:
    """The loop walks the related rows of one object (`invoice.lines.all()`, `Line.objects.filter(invoice=invoice)`),
    as its size class says: not rows a constructor stored (`self.queryset`, `self.data`), which are a query's."""
    return loop.size == loop_size.UNKNOWN and (loop.size_why == loop_size.SOURCE_SIZES["accessor"][1] or loop.size_why.startswith(loop_size.ONE_PARENT))


# Model names that say the table is a lookup an administrator fills: membership types, reviewer roles, ticket
# queues, a site's configuration, and their kin (kinds, statuses, stages, tiers). Read on real applications (four
# rounds, 15 applications), every judged finding whose loop walked such a table was true and not worth acting on.
# Not `Category` (a shop's categories run to thousands), not `Tax` (OrderLineTax is a row per line), not `Group` or
# `Settings` (UserProjectSettings is a row per user and project), not `CustomField` (a maintainer fix in the
# development set: large sites define hundreds), not `Currency` (no judged case either way).
LOOKUP = re.compile(r"(?:^|[a-z])(Type|Kind|Role|Status|Stage|Tier|Queue|Configuration)$")
CURATED_WHY = ("; the loop walks the rows of {model}, which staff keep in the admin: no code of the project creates one, so "
               "it is listed at low; give `table_rows` for `{table}` to raise it when yours holds many")
WHOLE_WHY = ("; whether reading {what} whole costs anything depends on how many rows it holds, which the code does not say "
             "(tables read this way are mostly small: settings, keyword lists, start-up caches), so it is listed at low; give "
             "`table_rows` for {table} (or scan with `--database`) to raise it when yours holds many")
LOOKUP_WHY = ("; the loop walks the rows of {model}, a lookup table by its name, which an administrator keeps to a handful, so it "
              "is listed at low; give `table_rows` for `{table}` to raise it when yours holds many")


def shared_lookup(index: ProjectIndex, rel) -> bool:
    """The target of many-to-one `rel` is a lookup by its name: `User.role` to `Role`, not
    `ContractStageActionItem.contract_stage` to ContractStage, a row per contract and stage (Pittsburgh's purchasing
    suite, round 209: judged T), whose name starts with the table it has a foreign key to."""
    target = index.models().get(rel.target or "")
    name = target.key.rpartition(".")[2] if target is not None else ""
    found = LOOKUP.search(name)
    if found is None:
        return False
    owner = snake_table(name[:found.start(1)])
    owners = {*target.cls.foreign_tables, *(table_of(m, index) or "" for r in target.relations.values() if r.kind in ("fk", "o2o")
                                             and (m := index.models().get(r.target or "")) is not None)}
    return not owner or not any(t == owner or t.endswith(f"_{owner}") or t == f"{owner}s" for t in owners)


def tag(index: ProjectIndex, module: ModuleFacts, fn: Function, finding, capped: bool = False):
    """Record the table the finding's loop walks (and, for one parent's rows, the parent's table). `capped`: the
    code already shows the loop is cheap in practice (a tree walk, I/O that dwarfs the query): no size raises it."""
    if finding.rule not in RULES:
        return finding
    where = finding.loop_location()
    loop = next((lp for lp in fn.loops.values() if where and lp.span.line == where.line and lp.source is not None), None)
    if loop is None:
        return finding
    src = index.resolve_source(loop.source, module, fn)
    table = table_of(src.model, index) if src is not None else None
    if not table:
        return finding
    info: dict = {"table": table}
    if one_parents_rows(loop):  # the rows of one parent: child rows / parent rows
        info["of_one"] = True
        parent = _parent(index, src.model, next(iter(src.shared)) if len(src.shared) == 1 else loop.source.one_parent.rpartition(" ")[2])
        if parent:
            info["per"] = parent
    if capped:
        info["capped"] = True
    name = src.model.key.rpartition(".")[2]
    most = src.model.cls.max_count
    if most is not None and most <= SMALL_TABLE and finding.severity != Severity.low:
        # (DriveBC's EmergencyAlert page, `max_count = 1`, round 178: two findings judged SMALL)
        info["capped"] = True  # no table size given raises it: the table holds no more pages than that
        finding.severity = Severity.low
        finding.message += (f"; {name} declares `max_count = {most}` (Wagtail creates at most {most} such "
                            f"page{'s' if most != 1 else ''}), so the loop walks at most {most} row{'s' if most != 1 else ''}")
    elif finding.severity != Severity.low and (why := LOOKUP_WHY if LOOKUP.search(name) else
                                               CURATED_WHY if src.model.key in index.curated_tables else ""):
        info["lookup"] = True  # a table an administrator keeps, by its model's name or by no code creating its rows
        finding.severity = Severity.low
        finding.message += why.format(model=name, table=table)
    finding.data = {**(finding.data or {}), "loop_rows": info}
    return finding


def _parent(index: ProjectIndex, model: Model, name: str) -> str | None:
    rels = [r for r in model.relations.values() if is_single(r) and name in (r.name, r.name.removesuffix("s"), (r.target or "").rpartition(".")[2].lower())]
    target = index.models().get(rels[0].target or "") if len(rels) == 1 else None
    return table_of(target, index) if target is not None else None


def apply(findings: Iterable, table_rows: dict[str, int] | None, read_from: str = "", given: Iterable[str] = ()) -> None:
    """Lower to `low` a finding whose loop walks at most SMALL_TABLE rows, raise to `high` one that walks at least
    LARGE_TABLE, each with the sizes in its message; findings of tables not given stay as they are. `read_from`: the
    database the sizes of tables not in `given` (the user's own table_rows) were read from, named in the messages."""
    if not table_rows:
        return
    given = frozenset(given)
    for f in findings:
        info = (f.data or {}).get("loop_rows") if f.rule in SIZED else None
        rows = table_rows.get(info["table"]) if info and info["table"] else None
        if rows is None:
            continue
        table, per = info["table"], info.get("per")
        if info.get("whole"):  # the size is known now: the guess the message made without it goes (whole_tables.py)
            f.message = f.message.partition(WHOLE_WHY.partition("{")[0])[0]
        said = f"the table `{table}` holds {rows:,} rows"
        source = f"in {read_from}" if read_from and table not in given else "table_rows"
        if info.get("of_one"):  # one parent's rows: about rows(child) / rows(parent) of them
            parents = table_rows.get(per) if per else None
            if parents:
                expected = rows / parents
                said += f" for {parents:,} rows of `{per}` ({source}), about {expected:,.0f} per loop"
            elif rows <= SMALL_TABLE:
                expected, said = rows, said + f" ({source})"
            else:
                continue  # one parent's share of a big table: unknown without the parent's size
        else:
            expected, said = rows, said + f" ({source})"
        if expected <= SMALL_TABLE:
            f.severity = Severity.low
            f.message += f"; {said}, so the loop is a handful"
        elif expected >= LARGE_TABLE and not info.get("capped"):
            f.severity = Severity.medium if info.get("whole") else Severity.high  # memory held, not a query per row
            f.message += f"; {said}"
        elif info.get("whole"):
            f.message += f"; {said}, too few to matter"  # stays `low`: streaming a few thousand rows saves little
        elif info.get("lookup"):
            f.severity = Severity(loop_size.LOOSE_SEVERITY)
            f.message += f"; {said}, more than a handful"
