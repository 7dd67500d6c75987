"""The examples of query_loops.py's rules: each a source file (or {path: source} for several modules); the positive ones
must be flagged by the rule, the negative ones must not. Imported when a test first reads them (rules.Examples)."""

from __future__ import annotations

from .memos_and_view_rows_examples import (NP101_LOOKUP_EVERY_ROW, NP101_LOOKUP_ON_A_MISS, NP102_CONTEXT_MEMO,
                                           NP102_CONTEXT_NOT_STORED)
from .served_apps_and_connections_examples import (NP101_FUNCTION_BESIDE_AN_INSTALLING_MAKEFILE, NP101_FUNCTION_BESIDE_A_NODE_PM2,
                                                   NP101_FUNCTION_OF_A_MAKEFILE_SERVED_APP, NP101_FUNCTION_OF_A_PACKAGE,
                                                   NP101_FUNCTION_OF_A_PM2_SERVED_APP, NP101_FUNCTION_OF_A_SERVED_FLASK_APP)
from .schemas_and_rates_examples import (NP101_BACKEND_FOLDER_DEPLOYED, NP101_REBOUND_READ_AFTER, NP101_REBOUND_READ_IN_THE_LOOP,
                                         NP101_TOOL_FOLDER_BUILT, PF301_PER_TENANT_SCHEMA)
from .coroutines_and_handles_examples import (NP101_ROUTER_INCLUDED, NP101_ROUTER_LEFT_OUT_NOTHING_SERVES, NP101_ROUTER_LEFT_OUT_OF_A_SERVED_APP,
                                                NP101_SERVICES_FILE_RUNS, NP101_SHADOWED_BY_PACKAGE, NP102_MEMODICT, NP102_NOT_MEMOISED,
                                                NP102_PAUSES_HANDED_ON, NP102_PAUSES_LEFT_OUT, NP102_SERVICE_OF_AN_INCLUDED_ROUTER,
                                                NP102_SERVICE_ONLY_A_DEAD_ROUTER_IMPORTS)
from .records_sets_and_packages_examples import (NP101_ONCE_PER_NAME, NP101_SET_NEVER_FILLED, NP102_KEY_HANDED_BY_NAME,
                                                 NP102_RECORD_HANDED_BY_NAME)
from .blueprints_and_branches_examples import NP101_FALLBACK_EACH_PASS
from .singletons_and_coroutines_examples import NP102_PLAIN_CLASS_BUILT_PER_FILE, NP102_SINGLETON_BUILT_PER_FILE
from .contexts_and_literals_examples import NP101_ONE_SESSION_YIELDED, NP101_ROWS_YIELDED
from .kept_once_examples import (NP101_LOADED_AT_IMPORT, NP101_REGISTERED_VIEW, NP101_RELOADED_ON_COMMAND, NP101_SAID_UNUSED, NP101_SAID_USED,
                                 NP101_SCRIPT_TOP_LEVEL, NP101_WRAPPED_VIEW_UNROUTED, NP102_PAGED_AND_FALLBACK, NP102_TWO_LISTS)
from .answered_examples import NP102_ANSWERED_NEGATIVE, NP102_ANSWERED_POSITIVE
from .background_examples import NP101_BACKGROUND_POSITIVE, NP102_BACKGROUND_POSITIVE
from .cached_responses_examples import NP101_CACHED_VIEW_LOWERED
from .caller_examples import (NP101_CALLED_FROM_NOWHERE, NP101_CALLED_UNTYPED, NP101_CLICK_COMMAND, NP102_ONE_TABLE_HANDED_IN, NP102_REQUEST_CACHE,
                              NP102_TABLES_HANDED_IN)
from .carried_examples import NP102_CARRIED_NEGATIVE, NP102_CARRIED_POSITIVE
from .carried_statement_examples import (NP101_ONE_DATABASE_POSITIVE, NP101_OWN_DATABASE_NEGATIVE, NP101_OWN_STORE_NEGATIVE,
                                         NP101_RULE_SQL_NEGATIVE, NP101_SCHEMA_TABLE_NEGATIVE, NP101_SHARED_STORE_POSITIVE,
                                         NP101_SHARED_TEMPLATE_POSITIVE)
from .dynamic_fields_examples import NP102_DYNAMIC_FIELDS_NEGATIVE, NP102_DYNAMIC_FIELDS_POSITIVE
from .fallback_examples import NP102_FALLBACK_NEGATIVE, NP102_FALLBACK_POSITIVE
from .chosen_level_examples import NP102_DEFAULT_LEVEL, NP102_FULL_LEVEL_PASSED, NP102_OTHER_LEVEL_PASSED
from .manager_rows_examples import NP101_MANAGER_METHOD_ROWS
from .range_query_examples import NP101_KEY_PER_ITEM, NP101_RANGE_PER_ITEM
from .wagtail_pages_examples import WAGTAIL_PAGES
from .flask_models_examples import NP102_MODEL_METHOD_ONLY_TESTED, NP102_MODEL_METHOD_ROUTED
from .flag_and_examples import NP102_FLAG_ELSE_KEPT, NP102_FLAG_HELD_FALSE, NP102_FLAG_HELD_TRUE, NP102_FLAG_PASSED_FALSE, NP102_FLAG_PASSED_TRUE
from .curated_examples import (NP101_CURATED_API_POSITIVE, NP101_CURATED_FORM_POSITIVE, NP101_CURATED_LOWERED,
                               NP101_CURATED_READ_ONLY_LOWERED)
from .few_items_examples import (NP101_RETURNED_LITERAL_NEGATIVE, NP101_RETURNED_ROWS_POSITIVE, NP102_EXPIRING_MEMO_NEGATIVE,
                                 NP102_REFILLED_EACH_CALL_POSITIVE, NP102_ROWS_KEPT, NP102_SUBCLASSES_NEGATIVE)
from .framework_callers_examples import NP101_OUTSIDE_IN_APPLICATION_LOWERED, NP101_ROUTE_PARAMETER_KEPT
from .hand_run_examples import NP101_HAND_RUN_POSITIVE
from .handled_examples import HANDLED_ROWS, WALKED_AGAIN
from .event_and_page_examples import NP101_CHECKED_ON_EVERY_PASS, NP101_CHECKED_ON_THE_FIRST_PASS
from .kept_answers_examples import (NP101_ACTIVE_SUPERUSERS_ONLY, NP101_API_VIEW_UNROUTED, NP101_EVERY_SIGNED_IN_USER,
                                    NP101_EXPORTED_AND_CALLED, NP101_EXPORTED_BY_A_LIBRARY,
                                    NP101_EXPORTED_UNCALLED_IN_PYRAMID_APP, NP102_ANSWER_KEPT_ON_THE_SERVICE,
                                    NP102_ANSWER_STORED_NOT_READ, NP102_ELSE_STORES_AND_GOES_ON,
                                    NP102_ELSE_STORES_AND_RETURNS, NP102_ROW_KEEPS_ITS_ANSWER)
from .module_globals_examples import NP102_MEMO_HANDED_IN, NP102_NO_MEMO, NP101_NOT_DEPLOYED, NP101_RENDER_DEPLOYED, NP102_BOUND_AND_READ, NP102_OVERWRITTEN_UNREAD, NP102_SENTINEL_HANDED_IN
from .openapi_examples import NP101_NAMED_BY_NOTHING, NP101_ROUTED_BY_CONTROLLER, NP101_ROUTED_BY_SPEC, NP101_SPEC_BESIDE_ITS_MODULE
from .own_instance_examples import (NP102_KEY_PASSED, NP102_OWN_INSTANCE_PASSED, NP102_RELATED_KEY_PASSED, NP102_RELATED_ROW_PASSED,
                                    NP102_ROW_OR_KEY_KEY_PASSED, NP102_ROW_OR_KEY_ROW_PASSED)
from .handful_examples import (NP101_FORM_FIELD_LOWERED, NP101_HANDFUL_NEGATIVE, NP101_HANDFUL_POSITIVE, NP101_OUTSIDE_KEPT,
                               NP102_FILLED_ONCE_NEGATIVE, NP102_FILLED_ONCE_POSITIVE)
from .intent_examples import NP101_COMMENTED_KEPT, NP101_DEPRECATED, NP101_DEPRECATED_BY_COMMENT, NP101_MANAGER_METHOD, NP101_MEMOISED, NP101_MEMOISED_BRIEFLY, NP101_UPGRADE_SCRIPT, NP102_MEMO_IN_ELSE
from .io_examples import NP101_IO_POSITIVE, NP102_IO_POSITIVE
from .jsonapi_examples import TENANT_NEGATIVE, TENANT_POSITIVE
from .lazy_examples import NP102_EXPRESSION_NEGATIVE, NP102_EXPRESSION_POSITIVE
from .lock_examples import NP101_LOCK_NEGATIVE, NP101_LOCK_POSITIVE
from .object_memo_examples import NP102_FILLED_LOCALLY, NP102_FILLED_WHOLE_ON_OBJECT
from .one_off_examples import ONE_OFF_NEGATIVE, ONE_OFF_POSITIVE
from .own_database_examples import PF502_HELPER_ITEMS_DATABASE
from .own_object_examples import NP101_LIBRARY_KEPT, NP101_SERVED_UNUSED_LOWERED
from .path_examples import NP102_PATH_NEGATIVE, NP102_PATH_POSITIVE
from .region_cache_examples import NP102_REGION_CACHED, NP102_REGION_DICT
from .payload_examples import NP102_PAYLOAD_LOWERED, NP102_PLAIN_CLASS_KEPT
from .per_object_examples import NP101_PER_OBJECT_NEGATIVE, NP101_PER_OBJECT_POSITIVE, NP102_WRITES_NEGATIVE, NP102_WRITES_POSITIVE
from .prefetch_examples import NP101_COUNTED_QUERYSET_POSITIVE, NP101_PREFETCH_QUERYSET_NEGATIVE
from .probed_examples import NP102_PROBED_MISSING, NP102_PROBED_PREFETCH
from .progress_examples import NP101_THROUGH_PROGRESS_POSITIVE, NP101_YEARS_AND_CHUNKS_NEGATIVE
from .recovery_examples import NP101_MISSING_ROW_KEPT
from .row_examples import NP101_NEGATIVE, NP102_NEGATIVE, NP102_POSITIVE, ROW_MODELS, billing_app
from .schedule_examples import NP101_NIGHTLY_IMPORT
from .selection_examples import (NP101_HANDFUL_MORE_NEGATIVE, NP101_HANDFUL_MORE_POSITIVE, NP101_SELECTION_NEGATIVE, NP101_SELECTION_POSITIVE,
                                 NP102_PAGES_NEGATIVE, NP102_PAGES_POSITIVE)
from .shared_cache_examples import NP102_SHARED_CACHE_NEGATIVE
from .staff_examples import STAFF_POSITIVE
from .static import DJANGO_MODELS
from .verb_examples import VERB_GET_KEPT, VERB_WRITES_ONLY

NP101_POSITIVE = [
        *NP101_THROUGH_PROGRESS_POSITIVE,  # a table behind a progress bar; a list row by row (progress_examples.py)
        NP101_MANAGER_METHOD_ROWS,  # a count per row of `super(...).filter(...)` in a manager method (manager_rows_examples.py)
        NP101_RANGE_PER_ITEM, NP101_KEY_PER_ITEM,  # a date window per payment (its own fix); a key per payment (range_query_examples.py)
        WAGTAIL_PAGES,  # (high) the subpages of each bulletin, its get_children() a subquery (wagtail_pages_examples.py)
        *NP101_CACHED_VIEW_LOWERED,  # (found at low: the view's response is cached)
        NP101_SHARED_TEMPLATE_POSITIVE,  # one template filled with each row's id (carried_statement_examples.py)
        NP101_ONE_DATABASE_POSITIVE,  # the same database for every item (carried_statement_examples.py)
        NP101_SHARED_STORE_POSITIVE,  # one shared connection asked once per company
        NP101_MISSING_ROW_KEPT,  # a fallback query for each row the lookup misses (recovery_examples.py)
        NP101_OUTSIDE_IN_APPLICATION_LOWERED,  # (low) an application's function nothing in it calls: the framework does
        NP101_ROUTE_PARAMETER_KEPT,  # (medium) but a route's list parameter: each client decides its size
        # (found at low) an application deployed from its root that only tests call; (found at high) a library's function
        *NP101_SERVED_UNUSED_LOWERED, *NP101_LIBRARY_KEPT,
        NP101_RETURNED_ROWS_POSITIVE,  # a method returning a query's rows, one list per row
        # a Connexion handler an OpenAPI document routes to, by path or by controller; (found at low) the same handler
        # that nothing names (openapi_examples.py)
        NP101_ROUTED_BY_SPEC, NP101_ROUTED_BY_CONTROLLER, NP101_NAMED_BY_NOTHING,
        # the tax rates a model form or a writable API may create any number of; (found at low) those only staff
        # create, in the admin, read-only API or not (curated_examples.py)
        NP101_CURATED_FORM_POSITIVE, NP101_CURATED_API_POSITIVE, NP101_CURATED_LOWERED, NP101_CURATED_READ_ONLY_LOWERED,
        NP101_COUNTED_QUERYSET_POSITIVE,
        NP101_CALLED_UNTYPED, NP101_CALLED_FROM_NOWHERE,
        # each row locked for its own slow work (MIT Learn's content summariser, round 65): low, saying why
        {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/summaries.py": '''
from django.db import transaction
from .models import Invoice
def summarise(llm):
    for draft in Invoice.objects.filter(total__gt=0):
        with transaction.atomic():
            invoice = Invoice.objects.select_for_update().get(pk=draft.pk)
            invoice.total = llm(invoice.total)
            invoice.save()
'''},
        *ONE_OFF_POSITIVE,
        *STAFF_POSITIVE["NP101"],
        NP101_NIGHTLY_IMPORT,
        *NP101_PER_OBJECT_POSITIVE,
        *NP101_LOCK_POSITIVE,
        *NP101_HANDFUL_POSITIVE,
        NP101_FORM_FIELD_LOWERED,  # (found at low: one submission's values)
        NP101_OUTSIDE_KEPT,
        *NP101_SELECTION_POSITIVE,
        *NP101_HANDFUL_MORE_POSITIVE,
        *NP101_IO_POSITIVE,
        *NP101_BACKGROUND_POSITIVE,
        *NP101_HAND_RUN_POSITIVE,  # (some found at low: imports nothing in the project starts)
        *TENANT_POSITIVE,
        '''
import sqlite3
def invoices_by_client(conn: sqlite3.Connection, client_ids):
    cur = conn.cursor()
    rows = []
    for client_id in client_ids:
        cur.execute("SELECT * FROM invoices WHERE client_id = ?", (client_id,))
        rows.extend(cur.fetchall())
    return rows
''',
        '''
async def totals(pool, ids):
    async with pool.acquire() as conn:
        return [await conn.fetchval("SELECT sum(total) FROM invoices WHERE client_id = $1", i) for i in ids]
''',
        {"billing/models.py": DJANGO_MODELS, "billing/report.py": '''
from .models import Client
def names(invoice_rows):
    return [Client.objects.get(pk=row["client_id"]).name for row in invoice_rows]
'''},
        '''
from sqlalchemy.orm import Session
def load(session: Session, ids):
    return [session.get(Invoice, i) for i in ids]
''',
        # one finding, where the query runs: the queryset bound per client runs nothing itself, each `get()` on it
        # queries (pydici's monthly timesheet export)
        {"billing/models.py": DJANGO_MODELS, "billing/export.py": '''
from .models import Invoice


def invoice_grid(clients, totals):
    rows = []
    for client in clients:
        invoices = Invoice.objects.filter(client=client)
        for total in totals:
            rows.append(invoices.get(total=total).id)
    return rows
'''},
        NP101_MEMOISED, NP101_MEMOISED_BRIEFLY, NP101_DEPRECATED, NP101_DEPRECATED_BY_COMMENT, NP101_COMMENTED_KEPT, NP101_MANAGER_METHOD,
        # a click command in a `commands/` folder, its loop in a helper class: `low`, as commands are (h's devdata, round 99)
        NP101_CLICK_COMMAND,
    ]

NP101_NEGATIVE = [
        *NP101_YEARS_AND_CHUNKS_NEGATIVE,  # the years of a range; a list's chunks behind a progress bar
        NP101_RULE_SQL_NEGATIVE,  # each item carries its own SQL: a statement per rule is the work itself
        NP101_OWN_DATABASE_NEGATIVE,  # each item is a database of its own, queried `.using()` it
        NP101_OWN_STORE_NEGATIVE,  # or a SQLite file of its own, through the connection its method returns
        {"ledgers/__init__.py": "", "ledgers/sizes.py": NP101_SCHEMA_TABLE_NEGATIVE},  # a table of its own in a schema
        NP101_RETURNED_LITERAL_NEGATIVE,  # a loop over a method's literal of two querysets runs twice
        NP101_PREFETCH_QUERYSET_NEGATIVE,
        *TENANT_NEGATIVE,
        NP101_UPGRADE_SCRIPT,
        # a memo in one dict of a dict of memos (`cache[kind]`): once per kind and key (Peering Manager's webhooks, round 64)
        {"billing/models.py": DJANGO_MODELS, "billing/notify.py": '''
from .models import Client
def recipients(events):
    cache = {"created": {}, "paid": {}}
    out = []
    for event in events:
        if event.client_id not in cache[event.kind]:
            cache[event.kind][event.client_id] = Client.objects.filter(pk=event.client_id).first()
        out.append(cache[event.kind][event.client_id])
    return out
'''},
        # the loop after an unconditional `return`: switched off, it never runs (SimpleLogin's rate limiter, round 50)
        {"billing/models.py": DJANGO_MODELS, "billing/limits.py": '''
from .models import Client
def over_limit(client_ids):
    return False  # todo: re-enable once the limits are agreed

    for client_id in client_ids:
        if Client.objects.get(pk=client_id).name == "blocked":
            return True
'''},
        # a memo filled in the `else` of `if key in cache:`: one query per distinct client, not per invoice
        {"billing/models.py": DJANGO_MODELS, "billing/report.py": '''
from .models import Client, Invoice
def client_names():
    names, out = {}, []
    for inv in Invoice.objects.all():
        if inv.client_id in names:
            out.append(names[inv.client_id])
        else:
            names[inv.client_id] = Client.objects.get(pk=inv.client_id).name
            out.append(names[inv.client_id])
    return out
'''},
        # ... or after `name = names.get(key)` finds nothing, the usual two-line memo
        {"billing/models.py": DJANGO_MODELS, "billing/report.py": '''
from .models import Client, Invoice
def client_names():
    names, out = {}, []
    for inv in Invoice.objects.all():
        name = names.get(inv.client_id)
        if name is None:
            name = names[inv.client_id] = Client.objects.get(pk=inv.client_id).name
        out.append(name)
    return out
'''},
        # a write through a dialect's insert imported under an alias (`pg_insert`, `mysql_insert`) is a write, not a
        # query whose rows a SELECT ... IN would fetch (SpiffWorkflow's one-by-one MySQL inserts, judged WRONGFIX)
        '''
from sqlalchemy.dialects.mysql import insert as mysql_insert
def insert_or_ignore(session, model, values):
    for value in values:
        session.execute(mysql_insert(model).values(value).prefix_with("IGNORE"))
''',
        # a SQLAlchemy Core write per item is PF201's (here one per table, which it leaves alone), not a query
        '''
def empty(session, metadata):
    for table in reversed(metadata.sorted_tables):
        session.execute(table.delete())
''',
        '''
def invoices_by_client(conn, client_ids):
    marks = ",".join("?" * len(client_ids))
    return conn.execute(f"SELECT * FROM invoices WHERE client_id IN ({marks})", client_ids).fetchall()
''',
        '''
def insert_all(conn, rows):
    conn.executemany("INSERT INTO ledger VALUES (?, ?)", rows)
''',
        '''
def rates(cur):
    for tax in ("icms", "pis", "cofins"):
        cur.execute("SELECT rate FROM rates WHERE tax = ?", (tax,))
''',
        '''
def all_rows(conn):
    offset = 0
    while True:
        page = conn.execute("SELECT * FROM invoices ORDER BY id LIMIT 500 OFFSET ?", (offset,)).fetchall()
        if not page:
            break
        offset += len(page)
''',
        '''
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from sqlite3 import Cursor
def tally(cur, ids):
    for i in ids:  # perf: ignore[NP101]
        cur.execute("SELECT 1 FROM t WHERE id = ?", (i,))
''',
        '''
def totals(cur, ids):
    for i in ids:
        cur.execute("SELECT total FROM t WHERE id = ?", (i,))  # noqa: NP101
''',
        # a branch switched off (`if False:  # dd.is_installed("addresses")`, Lino XL, round 73: judged DEAD)
        billing_app('''from .models import Client, Invoice


def names():
    if False:
        for inv in Invoice.objects.all():
            inv.client_name = Client.objects.get(pk=inv.client_id).name
'''),
        # a memo whose miss test has a second condition: still once per distinct code (MapIt's imports, round 78: CACHED)
        billing_app('''from .models import Client


def owners(rows):
    by_code = {}
    for code, amount in rows:
        if code not in by_code and len(code) == 3:
            by_code[code] = Client.objects.get(name=code)
    return by_code
'''),
        *NP101_NEGATIVE,
        *ONE_OFF_NEGATIVE,
        *NP101_PER_OBJECT_NEGATIVE,
        *NP101_LOCK_NEGATIVE,
        *NP101_HANDFUL_NEGATIVE,
        *NP101_SELECTION_NEGATIVE,
        *NP101_HANDFUL_MORE_NEGATIVE,
    ]

NP102_POSITIVE = [
        # a Flask-SQLAlchemy model's method: low when only tests call it, high when a route does (flask_models_examples.py)
        NP102_MODEL_METHOD_ONLY_TESTED, NP102_MODEL_METHOD_ROUTED,
        NP102_REFILLED_EACH_CALL_POSITIVE,  # a module cache filled again on every call
        NP102_FILLED_LOCALLY,
        {"app.py": NP102_ONE_TABLE_HANDED_IN},
        NP102_PAYLOAD_LOWERED,
        NP102_PLAIN_CLASS_KEPT,
        *NP102_DYNAMIC_FIELDS_POSITIVE,
        *NP102_PAGES_POSITIVE,
        *NP102_BACKGROUND_POSITIVE,
        {
            "fiscal/__init__.py": "",
            "fiscal/rates.py": '''
from decimal import Decimal
def _row(conn, state):
    return conn.execute("SELECT rate FROM icms_rates WHERE state = ?", (state,)).fetchone()
def get_icms_rate(conn, state):
    return Decimal(_row(conn, state)[0])
''',
            "fiscal/taxes.py": '''
from .rates import get_icms_rate
def icms_per_transaction(conn, transactions):
    return [t.value * get_icms_rate(conn, t.state) for t in transactions]
''',
        },
        '''
class InvoiceRepository:
    def __init__(self, conn):
        self.conn = conn
    def client_name(self, client_id):
        return self.conn.execute("SELECT name FROM clients WHERE id = ?", (client_id,)).fetchone()[0]
    def names(self, invoices):
        return {inv.id: self.client_name(inv.client_id) for inv in invoices}
''',
        *NP102_POSITIVE,
        *NP102_ANSWERED_POSITIVE,
        *NP102_CARRIED_POSITIVE,
        *NP102_EXPRESSION_POSITIVE,
        *NP102_PATH_POSITIVE,
        *NP102_WRITES_POSITIVE, *NP102_FALLBACK_POSITIVE,
        *NP102_FILLED_ONCE_POSITIVE,
        *NP102_IO_POSITIVE,
        NP102_REGION_DICT,  # a dict named REGION is no cache (region_cache_examples.py)
        NP102_FLAG_PASSED_TRUE, NP102_FLAG_HELD_TRUE,  # the same flag passed True, or a local holding True (flag_and_examples.py)
        NP102_FULL_LEVEL_PASSED, NP102_DEFAULT_LEVEL,  # `to_dict("full")`, or its default, under `if level != "minimum":`
        NP102_FLAG_ELSE_KEPT,  # the `else` of `if flag and other:`, reached whatever the caller passes
        NP102_ROWS_KEPT,  # a helper's query per invoice (few_items_examples.py)
        NP102_PROBED_MISSING,  # `getattr(obj, "recent_payments", None)`'s fallback on rows without it (probed_examples.py)
        VERB_GET_KEPT,  # a serializer's query after `if request.method != "GET": return` (verb_examples.py)
        HANDLED_ROWS, WALKED_AGAIN,  # (low) a work queue's rows, flagged once handled; (high) the same rows walked on every run
        NP102_KEY_PASSED,  # a model's object-or-key getter handed codes (own_instance_examples.py)
        NP102_RELATED_KEY_PASSED,  # a helper loading what is not a row yet, handed the row relation's key
        NP102_ROW_OR_KEY_KEY_PASSED,  # a row-or-key resolver a helper calls, handed the rows' ids
    ]

NP102_NEGATIVE = [
        WAGTAIL_PAGES,  # that query, not reported again for the page's get_children() in its `__in` (wagtail_pages_examples.py)
        NP102_OWN_INSTANCE_PASSED,  # that getter handed the loop's row, which it returns at once (own_instance_examples.py)
        *NP102_RELATED_ROW_PASSED,  # that helper handed the loop row's relation, a row already
        NP102_ROW_OR_KEY_ROW_PASSED,  # that resolver handed the rows themselves, through the helper
        NP102_PROBED_PREFETCH,  # that fallback, on rows prefetched `to_attr="recent_payments"` (probed_examples.py)
        NP102_SUBCLASSES_NEGATIVE,  # a helper's query per subclass of a model: a few Python classes (few_items_examples.py)
        VERB_WRITES_ONLY,  # a serializer's query only a PATCH reaches, never a list's GET (verb_examples.py)
        NP102_EXPIRING_MEMO_NEGATIVE,  # a module cache filled again only when it expires
        {"app.py": PF502_HELPER_ITEMS_DATABASE},  # queries on each item's own database (own_database_examples.py)
        NP102_REGION_CACHED,  # a dogpile.cache region read before the query (region_cache_examples.py)
        NP102_FLAG_HELD_FALSE,  # that flag handed on in a local only ever False (flag_and_examples.py)
        NP102_FLAG_PASSED_FALSE,  # a query under `if per_account and ...:`, the caller passing False (flag_and_examples.py)
        NP102_OTHER_LEVEL_PASSED,  # `to_dict("minimum")` under `if level != "minimum":` (chosen_level_examples.py)
        NP102_FILLED_WHOLE_ON_OBJECT,
        {"app.py": NP102_TABLES_HANDED_IN},
        *NP102_DYNAMIC_FIELDS_NEGATIVE,
        # a helper's queryset inside `Subquery(...)`, handed `OuterRef(...)`: SQL of each per-client query, never a query
        # of its own (AstroBin's review queues, round 68: 2 judged false)
        {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/queues.py": '''
from django.db.models import OuterRef, Subquery

from .models import Client, Invoice


def last_invoice(client):
    return Invoice.objects.filter(client=client).order_by("-id")[:1]


def open_queues():
    return {client.pk: Invoice.objects.filter(client=client).annotate(
        previous=Subquery(last_invoice(OuterRef("client")).values("total"))) for client in Client.objects.all()}
'''},
        # a loop over a generator that yields once: the session a dependency hands out, used for one run of the job
        # (Spoolman's metrics, round 51, judged false)
        '''
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

sessions = async_sessionmaker()


async def get_db_session():
    async with sessions() as session:
        yield session


async def invoice_total(session: AsyncSession):
    return (await session.execute(select(func.count()))).scalar()


async def collect_metrics():
    async for session in get_db_session():
        await invoice_total(session)
''',
        # a module-level dict checked first and filled after the query: once per distinct client, not per invoice
        {"billing/models.py": DJANGO_MODELS, "billing/names.py": '''
from .models import Client

_client_names = {}


def client_name(client_id, refresh=False):
    if client_id in _client_names and not refresh:
        return _client_names[client_id]
    name = Client.objects.get(pk=client_id).name
    _client_names[client_id] = name
    return name


def labels(invoices):
    return [f"{client_name(inv.client_id)}: {inv.total}" for inv in invoices]
'''},
        *NP102_PAGES_NEGATIVE,
        *NP102_SHARED_CACHE_NEGATIVE,
        # a row's method behind the project's own cache decorator (pydici's `@cacheable(key % self.__dict__, timeout)`,
        # kept in memcached): read from the cache, not queried, on every row after the first page view
        {"billing/__init__.py": "", "billing/utils.py": '''
from django.core.cache import cache


def cacheable(cache_key, timeout=3600):
    def decorator(func):
        def decorated(self):
            key = cache_key % self.__dict__
            res = cache.get(key)
            if res is None:
                res = func(self)
                cache.set(key, res, timeout)
            return res
        return decorated
    return decorator
''', "billing/models.py": '''
from django.db import models
from .utils import cacheable


class Client(models.Model):
    name = models.CharField(max_length=100)

    @cacheable("Client.billed%(id)s", 600)
    def billed(self):
        return self.invoices.aggregate(models.Sum("total"))["total__sum"]


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    total = models.DecimalField(max_digits=12, decimal_places=2)
''', "billing/report.py": '''
from .models import Client


def billed_per_client():
    return [(c.name, c.billed()) for c in Client.objects.all()]
'''},
        {
            "fiscal/rates.py": '''
from decimal import Decimal
def load_icms_rates(conn):
    return {state: Decimal(rate) for state, rate in conn.execute("SELECT state, rate FROM icms_rates")}
''',
            "fiscal/taxes.py": '''
from .rates import load_icms_rates
def icms_per_transaction(conn, transactions):
    rates = load_icms_rates(conn)
    return [t.value * rates[t.state] for t in transactions]
''',
        },
        '''
def fmt(value):
    return f"{value:.2f}"
def lines(invoices):
    return [fmt(inv.total) for inv in invoices]
''',
        '''
def depth(conn, node):
    return depth(conn, node.parent) + 1 if node.parent else 0
def walk(conn, nodes):
    return [depth(conn, n) for n in nodes]
''',
        *NP102_NEGATIVE,
        *NP102_ANSWERED_NEGATIVE,
        *NP102_CARRIED_NEGATIVE,
        # a helper that answers from Open edX's RequestCache before querying (edx-when, round 101)
        NP102_REQUEST_CACHE,
        *NP102_EXPRESSION_NEGATIVE,
        *NP102_PATH_NEGATIVE,
        *NP102_WRITES_NEGATIVE, *NP102_FALLBACK_NEGATIVE,
        *NP102_FILLED_ONCE_NEGATIVE,
        NP102_MEMO_IN_ELSE,
    ]

# (found at low) a view behind a decorator that only wraps, which no URL routes, and a function a comment calls unused;
# (high) a view kept by a registering decorator, a function said to be used (kept_once_examples.py)
NP101_POSITIVE += [NP101_WRAPPED_VIEW_UNROUTED, NP101_REGISTERED_VIEW, NP101_SAID_UNUSED, NP101_SAID_USED]
# (found at low) a bot's cache filled as its module loads; (high) the same loader run on a command too, or by a script
NP101_POSITIVE += [NP101_LOADED_AT_IMPORT, NP101_RELOADED_ON_COMMAND, NP101_SCRIPT_TOP_LEVEL]
# a list that pages its rows and serialises them whole without a paginator: once; two lists of other rows: twice
NP102_POSITIVE += [NP102_PAGED_AND_FALLBACK, NP102_TWO_LISTS]
# (high) a handler whose OpenAPI document lies beside its module, under the same name (openapi_examples.py)
NP101_POSITIVE.append(NP101_SPEC_BESIDE_ITS_MODULE)
# a lookup behind a sentinel default: only the caller that leaves it out is reported (module_globals_examples.py)
NP102_POSITIVE.append(NP102_SENTINEL_HANDED_IN)
# a helper's queryset replaced unread by the next line; the same kept and counted (module_globals_examples.py)
NP102_NEGATIVE.append(NP102_OVERWRITTEN_UNREAD)
NP102_POSITIVE.append(NP102_BOUND_AND_READ)
# (found at low) a function nothing calls in a service Render's blueprint deploys; (high) without the blueprint, a library's
NP101_POSITIVE += [NP101_RENDER_DEPLOYED, NP101_NOT_DEPLOYED]
# a lookup memoised in a dict the caller hands in; the same lookup without the memo (module_globals_examples.py)
NP102_NEGATIVE.append(NP102_MEMO_HANDED_IN)
NP102_POSITIVE.append(NP102_NO_MEMO)
# a template kept on the service that hands it back; the same kept but asked anew each call (kept_answers_examples.py)
NP102_NEGATIVE.append(NP102_ANSWER_KEPT_ON_THE_SERVICE)
NP102_POSITIVE.append(NP102_ANSWER_STORED_NOT_READ)
NP102_POSITIVE.append(NP102_ROW_KEEPS_ITS_ANSWER)  # a model's method keeps it per row: a query per row
# an `else:` that stores and returns runs once; one that stores and goes on, once per matching rule
NP102_NEGATIVE.append(NP102_ELSE_STORES_AND_RETURNS)
NP102_POSITIVE.append(NP102_ELSE_STORES_AND_GOES_ON)
# (found at low) a DRF function view no URL configuration names; (high) the one it routes
NP101_POSITIVE.append(NP101_API_VIEW_UNROUTED)
# (found at low) a function a Pyramid application's module exports in `__all__` and nothing calls; (medium) the same in
# a library, and in the application whose scanned view calls it
NP101_POSITIVE += [NP101_EXPORTED_UNCALLED_IN_PYRAMID_APP, NP101_EXPORTED_BY_A_LIBRARY, NP101_EXPORTED_AND_CALLED]
# (found at low) a view only active superusers may call; (high) the same view for every signed-in user
NP101_POSITIVE += [NP101_ACTIVE_SUPERUSERS_ONLY, NP101_EVERY_SIGNED_IN_USER]
# (round 245) a check run on the loop's first pass only; the same check with its flag never cleared
NP101_NEGATIVE.append(NP101_CHECKED_ON_THE_FIRST_PASS)
NP101_POSITIVE.append(NP101_CHECKED_ON_EVERY_PASS)
# (round 254) the one session a dependency generator yields; the rows a helper generator yields
NP101_NEGATIVE.append(NP101_ONE_SESSION_YIELDED)
NP101_POSITIVE.append(NP101_ROWS_YIELDED)
# (round 267) a class whose metaclass keeps one instance: its `__init__` queries once per process; the plain class, per item
NP102_NEGATIVE.append(NP102_SINGLETON_BUILT_PER_FILE)
NP102_POSITIVE.append(NP102_PLAIN_CLASS_BUILT_PER_FILE)
# (rounds 277 and 278) a helper fetching a record only for a key, handed the row's relation by name; a query once per
# name a set of handled names lacks (records_sets_and_packages_examples.py)
NP102_NEGATIVE.append(NP102_RECORD_HANDED_BY_NAME)
NP102_POSITIVE.append(NP102_KEY_HANDED_BY_NAME)
NP101_NEGATIVE.append(NP101_ONCE_PER_NAME)
NP101_POSITIVE.append(NP101_SET_NEVER_FILLED)
# (round 288's fix, checked on every application) a fallback under `if product is None:` each pass binds anew: per item
NP101_POSITIVE.append(NP101_FALLBACK_EACH_PASS)
# (round 298) a parameter the constructor hands on to the helper that loads it when left None, passed by the loop's
# call; the same call leaving it out; a module a package of its name shadows, never run; the same module with no package
NP102_NEGATIVE.append(NP102_PAUSES_HANDED_ON)
NP102_POSITIVE.append(NP102_PAUSES_LEFT_OUT)
NP101_NEGATIVE.append(NP101_SHADOWED_BY_PACKAGE)
NP101_POSITIVE.append(NP101_SERVICES_FILE_RUNS)
# (round 297, found at low) a router nothing includes in an application a root `run.sh` starts; (high) the same with no
# script that serves it, and the router included (coroutines_and_handles_examples.py)
NP101_POSITIVE += [NP101_ROUTER_LEFT_OUT_OF_A_SERVED_APP, NP101_ROUTER_LEFT_OUT_NOTHING_SERVES, NP101_ROUTER_INCLUDED]
# (round 317, found at low) a back end its own folder's Dockerfile deploys, its report only a test calls; (high) a
# `docker/` folder of no code builds a tool; (round 313) the query per tenant a schema switch still runs
NP101_POSITIVE += [NP101_BACKEND_FOLDER_DEPLOYED, NP101_TOOL_FOLDER_BUILT, PF301_PER_TENANT_SCHEMA]
# (round 330) a queryset rebound in the loop, read only after it; read in the loop too
NP101_NEGATIVE.append(NP101_REBOUND_READ_AFTER)
NP101_POSITIVE.append(NP101_REBOUND_READ_IN_THE_LOOP)
# (round 309) a helper a project's `@memodict` memoises, called per row; the same helper undecorated
NP102_NEGATIVE.append(NP102_MEMODICT)
NP102_POSITIVE.append(NP102_NOT_MEMOISED)
# (round 308, found at low) in a service of namespace packages, a service only a router nothing includes imports; (high)
# the router included
NP102_POSITIVE += [NP102_SERVICE_ONLY_A_DEAD_ROUTER_IMPORTS, NP102_SERVICE_OF_AN_INCLUDED_ROUTER]
# (round 336) a lookup in an `or` after a miss of the dict the loop fills; the dict never filled
NP101_NEGATIVE.append(NP101_LOOKUP_ON_A_MISS)
NP101_POSITIVE.append(NP101_LOOKUP_EVERY_ROW)
# (round 333, found at low) a function nothing calls in a Flask application a root `run.py` serves; (high) the package
# that script only imports
NP101_POSITIVE += [NP101_FUNCTION_OF_A_SERVED_FLASK_APP, NP101_FUNCTION_OF_A_PACKAGE]
# (round 340, found at low) a function nothing calls in an application its code folder's Makefile serves; (high) the
# Makefile that only installs
NP101_POSITIVE += [NP101_FUNCTION_OF_A_MAKEFILE_SERVED_APP, NP101_FUNCTION_BESIDE_AN_INSTALLING_MAKEFILE]
# (round 346, found at low) a function nothing calls in an application PM2 serves with uvicorn; (high) PM2 running Node
NP101_POSITIVE += [NP101_FUNCTION_OF_A_PM2_SERVED_APP, NP101_FUNCTION_BESIDE_A_NODE_PM2]
# (round 350) a serializer method filling the list's shared context on its first row; the same never storing it
NP102_NEGATIVE.append(NP102_CONTEXT_MEMO)
NP102_POSITIVE.append(NP102_CONTEXT_NOT_STORED)
