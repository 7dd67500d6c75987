"""Findings judged on four applications nobody here had read (stop 32, round 24), each cause fixed, exact."""

from mcp_server.analysis.scan import scan_sources

_BASE = '''
from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

class Base(DeclarativeBase):
    pass
'''

_MODELS = _BASE + '''
class Client(Base):
    __tablename__ = "clients"
    id: Mapped[int] = mapped_column(primary_key=True)

class Branch(Base):
    __tablename__ = "branches"
    id: Mapped[int] = mapped_column(primary_key=True)

class Invoice(Base):
    __tablename__ = "invoices"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    client: Mapped["Client"] = relationship()
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    branch: Mapped["Branch"] = relationship()

    def to_json(self):
        return {"client": self.client.id, "branch": self.branch.id}
'''


def test_np104_the_other_relations_a_method_reads_get_sqlalchemy_loader_options_not_django_calls():
    # the fix named `annotate / Prefetch("branch")` for a SQLAlchemy model (GOV.UK Notify's users report)
    report = scan_sources({"shop/__init__.py": "", "shop/models.py": _MODELS, "shop/report.py": '''
from sqlalchemy import select
from .models import Invoice
def report(session):
    return [inv.to_json() for inv in session.scalars(select(Invoice))]
'''})
    (f,) = report.findings
    assert f.rule == "NP104"
    assert f.suggestion == ("Add `.options(joinedload(Invoice.client))` to the statement the loop iterates (shop/report.py:5). "
                            "Also `.options(joinedload(Invoice.branch))` for the other relations it reads.")


def test_np102_a_call_with_the_same_arguments_each_time_is_pf301s_to_hoist_unless_only_np102_is_selected():
    # privacyIDEA's subscriptions page: NP102 offered an IN query keyed by the loop for a call that takes no argument
    from mcp_server.rules.row_examples import PF301_HOIST_POSITIVE

    files = PF301_HOIST_POSITIVE[0]
    found = sorted((f.rule, f.location.line, (f.data or {}).get("hoist")) for f in scan_sources(files).findings)
    assert found == [("PF301", 11, True)]
    (np102,) = scan_sources(files, select=["NP102"]).findings
    assert (np102.rule, np102.location.line, np102.data["superseded_by"]) == ("NP102", 11, ["PF301"])


_SKETCHES = _BASE + '''
class Status(Base):
    __tablename__ = "statuses"
    id: Mapped[int] = mapped_column(primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analyses.id"))

class Analysis(Base):
    __tablename__ = "analyses"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"))
    statuses: Mapped[list["Status"]] = relationship()

class Session(Base):
    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    sketch_id: Mapped[int] = mapped_column(ForeignKey("sketches.id"))
    analyses: Mapped[list["Analysis"]] = relationship()

class Sketch(Base):
    __tablename__ = "sketches"
    id: Mapped[int] = mapped_column(primary_key=True)
    sessions: Mapped[list["Session"]] = relationship()

    def active(self):
        out = []
        for session in self.sessions:
            for analysis in session.analyses:
                if analysis.statuses:
                    out.append(session)
        return out
'''


def test_np104_rows_of_an_objects_relationship_take_the_option_where_that_object_is_loaded():
    # Timesketch's active analysis sessions: the fix named `Sketch.analyses` (no such relationship), then `Model.statuses`,
    # and "the statement" at a `for ... in self.sessions:` line, which is no statement
    report = scan_sources({"app/__init__.py": "", "app/models.py": _SKETCHES})
    deep = next(f for f in report.findings if f.location.line == 34)
    where = "the statement that loads the Sketch whose `sessions` the loop at app/models.py:32 walks"
    option = "selectinload(Sketch.sessions).selectinload(Session.analyses).selectinload(Analysis.statuses)"
    assert deep.message == f"`analysis.statuses` is lazy-loaded once per Analysis in the loop at line 33: {where} has no `{option}`"
    assert deep.suggestion == f"Add `.options({option})` to {where}."


def test_a_loop_paced_with_sleep_dwarfs_its_per_row_query_and_write():
    # CourtListener's citation import sleeps a second per CSV row on purpose: the query beside it is a rounding error
    from mcp_server.rules.row_examples import billing_app

    found = scan_sources(billing_app('''
import time
from .models import Client, Invoice

def import_rows(rows, delay):
    for row in rows:
        client = Client.objects.get(pk=row["client"])
        Invoice.objects.filter(pk=row["id"]).update(client=client)
        time.sleep(delay)

def unpaced(rows):
    for row in rows:
        Client.objects.get(pk=row["client"])
''')).findings
    assert sorted((f.rule, f.location.line, f.severity.value) for f in found) == [
        ("NP101", 7, "low"), ("NP101", 13, "medium"), ("PF201", 8, "low")]
    paced = next(f for f in found if f.location.line == 7)
    assert paced.message.endswith("; each iteration also pauses on purpose (`sleep`) (billing/views.py:9), which costs far more than this query")


def test_np101_a_queryset_walked_then_counted_queries_where_it_is_walked():
    # Junction's reviewer dashboard: `for p in qs:` then `qs.count()`, per section; Django counts the rows it already
    # holds, so the query per section is the loop's walk of `qs`, not the count
    from mcp_server.rules.row_examples import billing_app

    (f,) = scan_sources(billing_app('''
from .models import Invoice

def by_client(client_ids, total_min):
    invoices = Invoice.objects.filter(total__gt=total_min)
    out = []
    for client_id in client_ids:
        rows = invoices.filter(client_id=client_id)
        big = 0
        for inv in rows:
            big += inv.total > 100
        out.append((rows.count(), big))
    return out
''')).findings
    assert (f.rule, f.location.line, f.severity.value) == ("NP101", 10, "medium")
    assert f.message.startswith("`billing.models.Invoice.objects.filter` runs a query once per item of the loop at line 7")


def test_a_migration_step_a_decorator_registers_writes_at_low_and_its_queries_are_skipped():
    # FlexGet's `@db_schema.upgrade("series")` steps: 20 per-row writes at `high`, all in code that runs once, on upgrade
    from mcp_server.rules.row_examples import billing_app

    found = scan_sources(billing_app('''
from .models import Client, Invoice
from .schema import db_schema

@db_schema.upgrade("ledger")
def upgrade(ver, session):
    for inv in Invoice.objects.all():
        Client.objects.get(pk=inv.client_id)
        session.execute("UPDATE invoices SET total = 0 WHERE id = :id", {"id": inv.id})
    return ver
''')).findings
    assert [(f.rule, f.location.line, f.severity.value) for f in found] == [("PF201", 9, "low")]
    assert found[0].message.endswith("; it runs once (a data migration, an upgrade step or a management command), so the per-row "
                                     "cost is paid once per run")


def test_np102_a_flag_handed_on_from_the_callers_own_none_default_may_be_unset():
    # privacyIDEA's map of realm names switches the lookup off; Onadata's `id_string`, the caller's own parameter that
    # defaults to None, does not: the lookup under `if id_string is None:` may run for every item
    from mcp_server.rules.row_examples import billing_app

    found = scan_sources(billing_app('''
from .models import Client

def label(inv, names=None):
    if names is None:
        return Client.objects.get(pk=inv.client_id).name
    return names.get(inv.client_id)

def passed_on(invoices, names=None):
    return [label(inv, names) for inv in invoices]

def built_here(invoices):
    names = {c.id: c.name for c in Client.objects.all()}
    return [label(inv, names) for inv in invoices]
''')).findings
    assert [(f.rule, f.location.line) for f in found] == [("NP102", 10)]
