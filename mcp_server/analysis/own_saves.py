"""PF201 across modules: a write per row whose model overrides `save()` in another module of the project, or
has `pre_save` / `post_save` receivers anywhere in it.

The pattern pass sees one module, so it drops a per-row `save()` only when the override is in the same file.
Real models keep `save()` in models.py and the loops elsewhere (a save that re-verifies a signature, records an
event through a decorator on save(), validates against another row), and connect their receivers in signals.py or
AppConfig.ready. `bulk_create` / `bulk_update` skip both, so the batch fix would be wrong advice: the write stays
one by one, and so no finding (not a lower one: the only fix offered is the wrong one, and a reader who is told
"batch it, but not really" learns to skip the rule)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .facts import ClassFacts, Function, Hit, ModuleFacts
from .index import ProjectIndex
from .index_model import Reach, is_single
from .background import is_startup_hook
from .class_attrs import ancestors
from .one_off import UPGRADE_SCRIPT, data_migration, version_upgrade
from .save_signals import EVERY_MODEL

if TYPE_CHECKING:
    from ..findings import Finding, Location

# get_or_create / update_or_create save through save() too: its override and the save signals run for each new row
_WRITE = re.compile(r"^`(?P<recv>[A-Za-z_][\w.]*?)\.(?:(?P<manager>objects|_default_manager)\.)?(?P<verb>save|create|get_or_create|update_or_create)\(\)`")


def function_at(module: ModuleFacts, line: int) -> Function | None:
    """The innermost function whose span holds `line` (a PF hit keeps only its span)."""
    inner = None
    for fn in module.functions.values():
        if fn.span.line <= line <= fn.span.end_line and (inner is None or fn.span.line >= inner.span.line):
            inner = fn
    return inner


def class_at(module: ModuleFacts, line: int) -> ClassFacts | None:
    """The innermost class whose span holds `line`."""
    inner = None
    for c in module.classes.values():
        if c.span.line <= line <= c.span.end_line and (inner is None or c.span.line >= inner.span.line):
            inner = c
    return inner


def finding_function(by_path: dict[str, ModuleFacts], f: Finding, fallback: bool = True) -> tuple[Location | None, ModuleFacts | None, Function | None]:
    """Where a finding's loop sits (or, with `fallback`, its own line when it has no loop): that place, its module and
    the innermost function there; what the passes after detection (cross.py, one_object.py) judge a finding by."""
    where = f.loop_location() or (f.location if fallback else None)
    module = by_path.get(where.path) if where is not None else None
    return where, module, function_at(module, where.line) if module is not None else None


def model_key(index: ProjectIndex, module: ModuleFacts, fn: Function | None, hit: Hit) -> str | None:
    """The project model whose rows the PF201 `hit` (in `fn`) writes: named (`X.objects.create`), the loop's rows,
    built in the loop (`x = X(...)`), else spelled by the row's name; None when nothing shows it. Computed once per
    hit by the cross-module detector and handed to the checks below."""
    match = _WRITE.match(hit.message)
    if match is None:
        return None
    recv = match["recv"]
    if match["manager"]:  # `Message.objects.create(...)`: the model is named
        model = index.resolve_model(recv, module)
        return model.key if model else None
    if fn is None or match["verb"] != "save":
        return None
    for loop in fn.loops.values():  # `for signature in ...: signature.save()`: the rows of the loop that holds the call
        if loop.source is not None and loop.span.line <= hit.span.line <= loop.span.end_line and loop.target:
            resolved = index.resolve_source(loop.source, module, fn) if loop.target == recv or "." not in recv else None
            if resolved and loop.target == recv:
                return resolved.model.key
            # `state = property_view.state` then `state.save()`: the row's relation of that name (SEED's batch update,
            # round 74: bulk_update judged WRONGFIX over PropertyState's own save() and signals)
            rel = resolved.model.relations.get(recv) if resolved else None
            if rel is not None and is_single(rel) and rel.target:
                return rel.target
    built = _constructed(hit)
    model = index.resolve_model(built, module) if built else None  # `speaker = Speaker(...)` then `speaker.save()`
    return model.key if model is not None else named_model(index, recv)


def _constructed(hit: Hit) -> str | None:
    """The class a `name = Model(...)` in the loop built, as written (pattern_writes records it as evidence)."""
    return next((msg.removesuffix("(...)") for role, msg, _where in hit.evidence if role == "constructed"), None)


def named_model(index: ProjectIndex, recv: str) -> str | None:
    """The one project model a row's name spells (`order_line` -> OrderLine, `self.shop_product` -> ShopProduct), for
    rows whose model the code does not show (a parameter's items, a property's list). Read on real applications, a
    row so named was that model's, and its save() override or receivers made the batch advice wrong."""
    name = "".join(p[:1].upper() + p[1:] for p in recv.rpartition(".")[2].split("_"))
    keys = [k for k in index.models() if k.rpartition(".")[2] == name]
    return keys[0] if len(keys) == 1 else None


def multi_table_parent(index: ProjectIndex, hit: Hit, key: str | None) -> str | None:
    """`Speaker.objects.create(...)` per row where Speaker extends a concrete model (Person): the rows span two tables,
    and Django's bulk_create refuses multi-table inherited models, so the batch advice cannot be followed. The parent.
    Only for new rows (`create()`, or built in the loop and saved): a row read and saved again, bulk_update serves."""
    match = _WRITE.match(hit.message)
    new_rows = match is not None and (match["manager"] and match["verb"] == "create" or match["verb"] == "save" and _constructed(hit))
    models = index.models()
    model = models.get(key) if new_rows and key else None
    if model is None or model.framework != "django" or model.cls.proxy:
        return None
    return next((b.rpartition(".")[2] for b in index.bases(model.key)
                 if b in models and models[b].framework == "django" and not models[b].cls.abstract), None)


def untyped_save(hit: Hit, key: str | None) -> bool:
    """`f.save()` on an object of no model the project shows (`key` None): by the loop's rows, nor by its name."""
    match = _WRITE.match(hit.message)
    return match is not None and match["verb"] == "save" and not match["manager"] and key is None


def overrides_save(index: ProjectIndex, hit: Hit, key: str | None, with_receivers: frozenset[str]) -> bool:
    """True when the rows this PF201 hit writes are of a project model (`key`) whose class (or a project base)
    defines save(), or that is among `with_receivers` (see save_receivers), or when a receiver serves every model."""
    if EVERY_MODEL in with_receivers and _WRITE.match(hit.message):
        return True  # `@receiver(post_save)` without a sender: every model's saves feed it, and the bulk API skips it
    return key is not None and (index.find_method(key, "save") is not None or key in with_receivers or lifecycle_hooks(index, key))


# django-lifecycle's bases run the model's `@hook(AFTER_CREATE)` methods from save(); the bulk API skips them
# (Flagsmith's `Environment` creates its feature states there: round 53, two batch fixes judged WRONGFIX)
_LIFECYCLE = ("LifecycleModel", "LifecycleModelMixin")


def lifecycle_hooks(index: ProjectIndex, key: str) -> bool:
    """The model, or a project base up to three classes up, derives from django-lifecycle's model or mixin."""
    if key not in index.classes:
        return False
    return any(b.rpartition(".")[2] in _LIFECYCLE for k in (key, *ancestors(index, key, depth=3)) for b in index.classes[k][1].bases)


def save_receivers(index: ProjectIndex) -> frozenset[str]:
    """Keys of the models some module connects a pre_save/post_save receiver for (the caller keeps it per index)."""
    keys = set()
    for module in index.modules.values():
        for name in module.save_senders:
            if name == EVERY_MODEL:
                keys.add(name)
                continue
            model = index.resolve_model(name, module)
            if model is not None:
                keys.add(model.key)
    return frozenset(keys)


# a module's installation step by its name: `install()`, `uninstall()`, `install_defaults()`
_INSTALL = re.compile(r"^_*(un|re|post_|pre_)?install(_\w+)?$")
_WRITES = frozenset({"save", "delete", "refresh_from_db", "full_clean", "clean"})


def busier_call(index: ProjectIndex, module: ModuleFacts, fn: Function | None, hit: Hit) -> tuple[str, Reach] | None:
    """`obj.synchronize(); obj.save()`: a call into project code in the same loop that itself queries per item. The
    write is then the smaller part of each iteration's cost; the N+1 rules report those queries, and batching the
    write alone would not change the loop's time much. (The first such callee, with the chain to its query.)"""
    loop_span = next((where for role, _, where in hit.evidence if role == "loop" and where is not None), None)
    if loop_span is None or fn is None:
        return None
    loop = next((lp for lp in fn.loops.values() if lp.span == loop_span), None)
    if loop is None:
        return None
    for call in fn.calls:
        if loop.id not in call.loops or call.span.line == hit.span.line:
            continue  # not in this loop, or the write itself
        target = index.resolve_function(call.callee, module)
        reach = index.reach(target) if target is not None else None
        if reach is not None and reach.sink.kind == "db":
            return call.callee, reach
    methods = [r for r in fn.relations if r.loop == loop.id and not r.path and r.method and r.method not in _WRITES]
    if methods and loop.source is not None:  # `mirror.synchronize()`: a method of the loop's rows
        resolved = index.resolve_source(loop.source, module, fn)
        for access in methods if resolved else ():
            target = index.find_method(resolved.model.key, access.method)
            reach = index.reach(target) if target is not None else None
            if reach is not None and reach.sink.kind == "db":
                return f"{loop.target}.{access.method}", reach
    return None


def runs_once(index: ProjectIndex, module: ModuleFacts, fn: Function | None, depth: int = 3) -> str:
    """The function is a Django system check, or is called only from code that runs once: an AppConfig's `ready()` (once
    per process start), the application's startup hook (FastAPI's `lifespan`), a data migration or a script named for
    the versions it upgrades between (one_off.version_upgrade), directly or through up to `depth` callers that run only
    from there. What such code walks is a table small by nature (default roles, a registry, a
    backfill), and the per-row cost is paid once; "" when some caller is ordinary code, or there is none."""
    if fn is None or fn.qualname == "<module>":
        return ""
    if fn.system_check:
        # LAVA's checks of every device's health job and configuration, `@register(deploy=True)` (round 170: 2 judged N RARE)
        return "a Django system check (`@register`), which runs as a management command starts (`check --deploy` alone, with `deploy=True`)"
    if fn.cls is None and _INSTALL.match(fn.qualname):
        # Janeway's homepage plugins: `install()` makes each journal's element, called from an `install_plugins` command
        # and when the plugin loader imports them (round 90: 28 judged N RARE), by names the index cannot follow
        return f"an installation step (`{fn.qualname}()`)"
    callers = index.callers(module.key(fn.qualname))
    whys = set()
    for caller_module, caller, call in callers:
        if caller.qualname == "<module>" and caller_module.module in index.imported_modules \
                and not caller_module.main_block[0] <= call.span.line <= caller_module.main_block[1]:
            # a module other code imports, which calls it as it loads: a bot's caches filled from their tables at
            # start-up (SaitamaRobot's `__load_blacklist_userid_list()`, round 204: 8 judged N RARE). Not a script's
            # `main()`, which nothing imports or `if __name__ == "__main__":` calls: its run is the job
            whys.add(f"the top level of `{caller_module.path}`, once as the module is imported")
        elif caller.qualname.endswith("Config.ready"):
            whys.add(f"`{caller.qualname}()`, once per process start")
        elif is_startup_hook(caller.qualname.rpartition(".")[2]):
            whys.add(f"`{caller.qualname}()`, the application's startup")
        elif data_migration(caller_module, caller) or "/migrations/" in f"/{caller_module.path}":
            whys.add("a data migration")
        elif version_upgrade(caller_module):
            # rotki's `update_table_schema()`, a helper of its `db/upgrades/vN_vM.py` scripts (round 114: judged N)
            whys.add(UPGRADE_SCRIPT)
        elif depth and caller is not fn and (once := runs_once(index, caller_module, caller, depth - 1)):
            whys.add(once)
        else:
            return ""
    return " and ".join(sorted(whys))
