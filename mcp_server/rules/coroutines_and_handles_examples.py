"""Rounds 295 to 312 (issue 15, stop 78): what one fix covers, handles nothing is lost from, and values nothing decides on.

- the blocking calls of one coroutine are one finding: a plain `def` (which FastAPI runs in a thread) or the async driver
  fixes them all (a multi-gym API's `async def` endpoints over a synchronous session: 677 findings in 333 coroutines);
- `open(os.devnull, "w")` handed to a subprocess and never closed: nothing waits in its buffer (CyberPanel, round 286);
- a parameter the constructor hands on to the helper that fills it when left None, through a copy (OMniLeads);
- a relation read after a flag in the same `if include_email and ev.user:`, the flag left at its default (a gym's API);
- a sum of units, an environmental impact's `amount`, a quantity sold: no money (a pharmacy, an EV registry, a venue);
- `services/__init__.py` beside `services.py`: the package is what Python imports (an ISP platform);
- a router nothing includes, in an application a root `run.sh` starts with uvicorn, its logger named after it (Immpire);
- an engine made in the `else` of `if uri in _ENGINES:`, once per URI (a dealer platform); a `@memodict` helper; an
  engine kept among the module's `globals()` (dSIPRouter);
- PF701's `float(amount)` nothing in its function compares, truncates, sums, stores or makes a Decimal again: `low`
  (money_output.decided_on; 16 of the 205 float conversions judged in rounds 184 to 306 were worth acting on, 11 of
  the 58 that decide).
"""

# PF801: two blocking queries in one coroutine, one finding; one in each of two coroutines, two
_GYM = '''from fastapi import APIRouter, Depends
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()
engine = create_async_engine("postgresql+asyncpg://localhost/gym")


class Member(Base):
    __tablename__ = "members"
    id = Column(Integer, primary_key=True)
    name = Column(String)


class Booking(Base):
    __tablename__ = "bookings"
    id = Column(Integer, primary_key=True)
    member_id = Column(ForeignKey("members.id"))


def get_db():
    with Session() as db:
        yield db


router = APIRouter()


@router.get("/members/{{member_id}}/summary")
async def member_summary(member_id: int, db: Session = Depends(get_db)):
    member = db.query(Member).get(member_id)
{split}    bookings = db.query(Booking).filter(Booking.member_id == member_id).all()
    return {{"bookings": len(bookings)}}
'''
PF801_ONE_COROUTINE = _GYM.format(split="")
PF801_TWO_COROUTINES = _GYM.format(split='''    return {"member": member.name}


@router.get("/members/{member_id}/bookings")
async def member_bookings(member_id: int, db: Session = Depends(get_db)):
''')

# PF501: the null device handed to a subprocess (`low`); a log file opened to append and never closed stays `medium`
_RESTART = '''import os
import subprocess


def restart_service(name):
    out = open({path}, "a")
    subprocess.call(["systemctl", "restart", name], stdout=out, stderr=out)
'''
PF501_NULL_DEVICE = _RESTART.format(path="os.devnull")
PF501_LOG_FILE_LEFT_OPEN = _RESTART.format(path='"/var/log/restarts.log"')

# NP102: a parameter handed on from the constructor to the helper that fills it when left None, through a copy of it
# (OMniLeads' agent activity, built per agent with the pauses loaded once, round 298: judged PREFETCHED); a caller that
# leaves it out loads them per agent
_AGENTS = '''from django.db import models


class Pause(models.Model):
    name = models.CharField(max_length=40)


class AgentLog(models.Model):
    agent_id = models.IntegerField()


class AgentActivity:
    def __init__(self, agent_id, pauses=None):
        self.agent_id = agent_id
        self.by_id = self._pauses_by_id(pauses)

    def _pauses_by_id(self, pauses):
        known = pauses
        if known is None:
            known = Pause.objects.all()
        return {{p.id: p for p in known}}


def agents_report():
    pauses = list(Pause.objects.all())
    return [AgentActivity(log.agent_id{passed}) for log in AgentLog.objects.all()]
'''
NP102_PAUSES_HANDED_ON = _AGENTS.format(passed=", pauses=pauses")
NP102_PAUSES_LEFT_OUT = _AGENTS.format(passed="")

# NP104: a relation read only under `if include_email and ev.user:`, the flag left at its default by a call that passes
# the row alone (a gym manager's dashboard, round 299: judged NOTQUERY); passed True, it loads the user per event
_AUDIT = '''from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column(String)


class AuditEvent(Base):
    __tablename__ = "audit_events"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))
    user = relationship(User)


def serialize(ev, include_email=False):
    row = {{"id": ev.id}}
    if include_email and ev.user:
        row["email"] = ev.user.email
    return row


def recent(session: Session):
    events = session.scalars(select(AuditEvent)).all()
    return [serialize({args}) for e in events]
'''
NP104_FLAG_LEFT_AT_DEFAULT = _AUDIT.format(args="e")
NP104_FLAG_PASSED = _AUDIT.format(args="e, True")

# PF701: a sum of units sold, whatever the name it is bound to (a pharmacy's suggested order, round 300: judged false);
# a sum of prices is money
_SOLD = '''from django.db import models
from django.db.models import Sum


class DispensedItem(models.Model):
    product_id = models.IntegerField()
    quantity = models.IntegerField()
    price = models.DecimalField(max_digits=10, decimal_places=2)


def suggested_order(product_id):
    total_sold = DispensedItem.objects.filter(product_id=product_id).aggregate(total=Sum("{field}"))["total"] or 0
    monthly_avg = float(total_sold) / 3.0
    return monthly_avg * 2
'''
PF701_UNITS_SUMMED = _SOLD.format(field="quantity")
PF701_PRICES_SUMMED = _SOLD.format(field="price")

# NP101: `billing/services/__init__.py` beside `billing/services.py`: Python imports the package, so the file's query per
# invoice never runs, though a view still names its method (an ISP platform's billing, round 298: judged DEAD); without
# the package, the file is what runs
_SERVICES_FILE = '''from billing.models import Invoice, Line


class BillingService:
    def totals(self):
        return [Line.objects.filter(invoice_id=invoice.id).count() for invoice in Invoice.objects.all()]
'''
_SERVICES_PACKAGE = '''class BillingService:  # the services the package holds now; `totals` stayed behind in the old file
    def invoices(self):
        return []
'''
_MODELS = '''from django.db import models


class Invoice(models.Model):
    number = models.CharField(max_length=20)


class Line(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE)
'''
_VIEWS = '''from billing.services import BillingService


def totals(request):
    return BillingService().totals()
'''
# (the package read first: which of the two is read last must not decide)
NP101_SHADOWED_BY_PACKAGE = {"billing/__init__.py": "", "billing/models.py": _MODELS, "billing/views.py": _VIEWS,
                             "billing/services/__init__.py": _SERVICES_PACKAGE, "billing/services.py": _SERVICES_FILE}
NP101_SERVICES_FILE_RUNS = {"billing/__init__.py": "", "billing/models.py": _MODELS, "billing/views.py": _VIEWS,
                            "billing/services.py": _SERVICES_FILE}

# NP101: a router module nothing imports (its `include_router` commented out), in an application a root `run.sh` starts
# with uvicorn, its logger's level set by the module's name (Immpire's bank sync, round 297: 5 judged DEAD): `low`;
# without the script nothing shows the project is an application, and imported it runs: `high`
_MAIN = '''import logging

from fastapi import FastAPI

from app.routes import orders{bank}

app = FastAPI()
app.include_router(orders.router)
{include}logging.getLogger("app.routes.bank").setLevel(logging.INFO)
'''
_ORDERS = '''from fastapi import APIRouter

router = APIRouter()


@router.get("/orders")
def orders():
    return []
'''
_BANK = '''from fastapi import APIRouter
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()
router = APIRouter()


class Account(Base):
    __tablename__ = "accounts"
    id = Column(Integer, primary_key=True)
    iban = Column(String)


class Transfer(Base):
    __tablename__ = "transfers"
    id = Column(Integer, primary_key=True)
    iban = Column(String)


@router.post("/bank/sync")
def sync(db: Session):
    for transfer in db.query(Transfer).all():
        transfer.account = db.query(Account).filter(Account.iban == transfer.iban).first()
'''
_RUN = "#!/bin/sh\nset -e\nuvicorn app.main:app --host 0.0.0.0 --port 8000\n"


def _bank_app(run: bool, wired: bool) -> dict[str, str]:
    main = _MAIN.format(bank=", bank" if wired else "", include="app.include_router(bank.router)\n" if wired else
                        "# app.include_router(bank.router)\n")
    return {"app/__init__.py": "", "app/main.py": main, "app/routes/__init__.py": "", "app/routes/orders.py": _ORDERS,
            "app/routes/bank.py": _BANK, **({"run.sh": _RUN} if run else {})}


NP101_ROUTER_LEFT_OUT_OF_A_SERVED_APP = _bank_app(run=True, wired=False)
NP101_ROUTER_LEFT_OUT_NOTHING_SERVES = _bank_app(run=False, wired=False)
NP101_ROUTER_INCLUDED = _bank_app(run=True, wired=True)

# PF701: a bare `amount` of a class named for what it measures (an EV charging registry's environmental impact, grams of
# CO2 per kWh, round 302: 2 judged false); the same field of a tariff's price is money
_IMPACT = '''from dataclasses import dataclass
from decimal import Decimal

PRICE_PER_KWH = Decimal("0.30")


@dataclass
class {cls}:
    category: str
    amount: float
'''
PF701_AMOUNT_OF_AN_IMPACT = _IMPACT.format(cls="EnvironmentalImpactUpdate")
PF701_AMOUNT_OF_A_PRICE = _IMPACT.format(cls="TariffPriceUpdate")

# PF701: a sum of quantities sold turned into a float for a report (a venue's ticketing, round 304: judged false); the
# same of the sums paid
_SALES = '''from decimal import Decimal

VAT = Decimal("0.20")


def sales_rows(rows):
    return [{{"product": row["product"], "value": float(row["{column}"])}} for row in rows]
'''
PF701_QUANTITY_SOLD = _SALES.format(column="qty_total")
PF701_SUM_PAID = _SALES.format(column="paid_total")

# PF502: an engine made in the `else` of `if uri in _ENGINES:`, stored there for the URI, the dict the module's (a dealer
# platform's repair-order loads, round 305: judged CACHED); the same dict made anew on every call connects every time
_ENGINES = '''from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker
{module_dict}

class SQLSession:
    def __init__(self, uri):
{local_dict}        if uri in _ENGINES:
            self.engine, self.Session = _ENGINES[uri]
        else:
            self.engine = create_engine(uri, pool_size=5)
            self.Session = sessionmaker(bind=self.engine)
            _ENGINES[uri] = (self.engine, self.Session)


def load_repair_orders(orders, uri):
    for order in orders:
        db = SQLSession(uri)
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO repair_orders (id) VALUES (:id)"), {{"id": order}})
'''
PF502_ENGINE_PER_URI = _ENGINES.format(module_dict="\n_ENGINES = {}\n", local_dict="")
PF502_ENGINE_PER_CALL = _ENGINES.format(module_dict="", local_dict="        _ENGINES = {}\n")

# NP102: a helper a project's `@memodict` decorator memoises, called per row with one test's key (the Aid Transparency
# Tracker's test info, round 309: judged CACHED); the same helper undecorated queries per row
_TESTS = '''from django.db import models


def memodict(f):
    class Memo(dict):
        def __missing__(self, key):
            value = self[key] = f(key)
            return value
    return Memo().__getitem__


class Test(models.Model):
    name = models.CharField(max_length=40)


class Result(models.Model):
    test_id = models.IntegerField()


{decorator}def test_info(test_id):
    return Test.objects.get(id=test_id)


def results_table():
    return [(r.id, test_info(r.test_id).name) for r in Result.objects.all()]
'''
NP102_MEMODICT = _TESTS.format(decorator="@memodict\n")
NP102_NOT_MEMOISED = _TESTS.format(decorator="")

# PF701: `float(amount)` only handed on (`low`: nothing here decides on the float); compared, or truncated to cents, it
# decides, and stays `high` (money_output.decided_on)
_GATEWAY = '''from decimal import Decimal

FEE = Decimal("0.30")


def charge(invoice, gateway):
    {use}
'''
PF701_FLOAT_HANDED_ON = _GATEWAY.format(use="gateway.charge(invoice.number, float(invoice.amount_due))")
PF701_FLOAT_COMPARED = _GATEWAY.format(use='if float(invoice.amount_due) > invoice.client.credit_limit:\n        return "over the limit"\n    gateway.charge(invoice.number)')
PF701_FLOAT_TO_CENTS = _GATEWAY.format(use="gateway.charge(invoice.number, int(float(invoice.amount_due) * 100))")

# NP102: in a FastAPI service of namespace packages (no `__init__.py`), a service only a router nothing includes imports
# (a survey platform's routing analytics, round 308: 6 judged DEAD): `low`; the router included: `high`
_CAPACITY_MAIN = '''from fastapi import FastAPI

from app.routes import orders{more}

app = FastAPI()
app.include_router(orders.router)
{include}'''
_CAPACITY_ORDERS = '''from fastapi import APIRouter

from app.services.billing import open_orders

router = APIRouter()


@router.get("/orders")
def orders():
    return open_orders()
'''
_CAPACITY_BILLING = '''def open_orders():
    return []
'''
_CAPACITY_REPORTS = '''from fastapi import APIRouter

from app.services.capacity import team_loads

router = APIRouter()


@router.get("/reports/capacity")
def capacity():
    return team_loads()
'''
_CAPACITY_SERVICE = '''from sqlalchemy import Column, Integer, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class Team(Base):
    __tablename__ = "teams"
    id = Column(Integer, primary_key=True)


class Ticket(Base):
    __tablename__ = "tickets"
    id = Column(Integer, primary_key=True)
    team_id = Column(Integer)


def open_tickets(session, team):
    return session.scalars(select(Ticket).where(Ticket.team_id == team.id)).all()


def team_loads(session: Session):
    return [len(open_tickets(session, team)) for team in session.scalars(select(Team)).all()]
'''


def _capacity_app(included: bool) -> dict[str, str]:
    main = _CAPACITY_MAIN.format(more=", reports" if included else "",
                                 include="app.include_router(reports.router)\n" if included else "")
    return {"Dockerfile": "FROM python:3.11\nCMD uvicorn app.main:app\n", "app/main.py": main, "app/routes/orders.py": _CAPACITY_ORDERS,
            "app/routes/reports.py": _CAPACITY_REPORTS, "app/services/billing.py": _CAPACITY_BILLING,
            "app/services/capacity.py": _CAPACITY_SERVICE}


NP102_SERVICE_ONLY_A_DEAD_ROUTER_IMPORTS = _capacity_app(included=False)
NP102_SERVICE_OF_AN_INCLUDED_ROUTER = _capacity_app(included=True)

# PF502: an engine kept among the module's globals (`globals()[ENGINE] = engine` in the function that makes it, read back
# by `if ENGINE in globals(): return ...`), made on the first call (dSIPRouter's engine, round 298: 5 judged CACHED); the
# same stored under another name, never read back, makes one per call
_SINGLETON = '''from sqlalchemy import create_engine, text

ENGINE_NAME = "global_db_engine"


def valid_engine(uri):
    module_globals = globals()
    if ENGINE_NAME in module_globals:
        return module_globals[ENGINE_NAME]
    return make_engine(uri)


def make_engine(uri):
    engine = create_engine(uri, pool_size=10)
    module_globals = globals()
    module_globals[{key}] = engine
    return engine


def sync_gateways(gateways, uri):
    for gateway in gateways:
        with valid_engine(uri).begin() as conn:
            conn.execute(text("UPDATE dr_gateways SET state = 1 WHERE id = :id"), {{"id": gateway}})
'''
PF502_ENGINE_IN_GLOBALS = _SINGLETON.format(key="ENGINE_NAME")
PF502_ENGINE_STORED_ELSEWHERE = _SINGLETON.format(key='"last_engine"')
