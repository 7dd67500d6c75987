"""Where a write per row is worth batching: bulk code (an import, a sync, an ETL load, a job), not a request's.

Judged on real applications (issue 15, rounds 151 to 180, re-read on stop 70's engine), a per-row write (PF201) was
worth acting on in 6 of 37 findings in code whose module, folders or function are named for bulk work (`tasks.py`, an
`importer`, `naptan_etl/load.py`, `sync/consultation_setup.py`), and in 1 of 75 elsewhere: views, models' methods,
serializers and helpers whose loops write the few rows one request or action handles (a booking's periods, a form's
vehicles, one user's notices). Elsewhere is `low`, with the reason; a background task is bulk code by its decorator.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..findings import Finding, Severity
from .background import is_command, walks_a_file
from .own_saves import finding_function, function_at
from .words import tokens

if TYPE_CHECKING:
    from .facts import Function, ModuleFacts
    from .index import ProjectIndex

# words of a name that say the code moves data in bulk (`import_csv.py`, `ingest/`, `load_clients`, `sync_accounts`)
BULK_WORDS = frozenset({
    "import", "imports", "importer", "importers", "ingest", "csv", "bulk", "batch", "batches", "sync", "etl", "pipeline", "pipelines",
    "load", "loader", "loaders", "task", "tasks", "job", "jobs", "worker", "workers", "cron", "backfill", "harvest", "harvester",
    "scrape", "scraper", "crawl", "crawler", "feed", "feeds",
    # and a name saying it walks everything, or on a schedule (`recalculate_all_balances`, `nightly_close`)
    "all", "mass", "nightly", "daily", "weekly", "monthly", "periodic", "recalculate", "recompute", "rebuild", "reconcile",
    # or once over a table (what runs once is weighed by its own rules first: one_off.py, background.py)
    "upgrade", "upgrades", "migrate", "migration", "migrations", "install", "setup", "restore",
    # in Portuguese and Spanish too (a Brazilian school-meals platform's `processamento_arquivos/importa_dietas.py`)
    "importa", "importar", "importacao", "importacion", "carga", "cargas", "lote", "lotes", "sincroniza", "sincronizar",
    "sincronizacao", "sincronizacion", "processamento", "procesamiento", "tarefa", "tarefas", "tarea", "tareas", "rotina",
    "rotinas",
})
_IMPORT = re.compile(r"import(?!an)")  # inside a word too (`registrarimport`, `dataimporter`), not `important`

REQUEST_SIZED = ("; it runs outside bulk code (no import, sync, ETL, load, job or task in the names of its module, folders or "
                 "function, and no task decorator), where a loop writes the few rows one request or action handles: batching "
                 "pays off in imports and jobs")


def is_bulk(module: ModuleFacts, fn: Function | None) -> bool:
    """The write runs in bulk code: a background task, a command (one a deployment starts: those run by hand are `low`
    already), or a module, folder or function (or its class) named for it."""
    if fn is not None and fn.task or is_command(module):
        return True
    names = [*module.path.rsplit(".", 1)[0].split("/"), *(fn.qualname.split(".") if fn is not None else ())]
    return any(not BULK_WORDS.isdisjoint(tokens(n)) or _IMPORT.search(n.lower()) for n in names)


def lower_request_writes(index: ProjectIndex, findings: list[Finding]) -> list[Finding]:
    """Each PF201 finding still above `low` after every other reason was weighed, whose write and loop both sit outside
    bulk code and whose loop walks no file's rows (an import, however named): `low`, saying why. Last, so that a more
    specific reason (a command's, a migration's) is the one given."""
    for f in findings:
        if f.rule != "PF201" or f.severity in (Severity.low, Severity.info) or f.location is None:
            continue
        module = index.by_path.get(f.location.path)
        loop, loop_module, loop_fn = finding_function(index.by_path, f, fallback=False)
        if module is None or is_bulk(module, function_at(module, f.location.line)) or (loop is not None and (
                loop_module is None or is_bulk(loop_module, loop_fn) or (loop_fn is not None and walks_a_file(loop_fn, f)))):
            continue  # (a place outside the index: nothing says it is not bulk code)
        f.severity = Severity.low
        f.message += REQUEST_SIZED
    return findings
