"""Examples of SQLAlchemy rows that all belong to one parent (analysis/joined_parent.py, loop_size.one_parent), read
on real applications: a filter by a key column named short of its relation (`tax_id` for `tax_rate`), or by a joined
class's own key (`TaxRate.name == name`). Each row's many-to-one to that parent is the one row the session's identity
map holds after the first lazy load: not a query per row. Another relation of the same rows still is."""

TAX_MODELS = '''
from sqlalchemy import Column, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class TaxRate(Base):
    __tablename__ = "tax_rates"
    id = Column(Integer, primary_key=True)
    name = Column(String(16), unique=True)  # ICMS, PIS, COFINS
    lines = relationship("TaxLine", backref="tax_rate")


class Client(Base):
    __tablename__ = "clients"
    id = Column(Integer, primary_key=True)
    name = Column(String(64))


class TaxLine(Base):
    __tablename__ = "tax_lines"
    id = Column(Integer, primary_key=True)
    tax_id = Column(Integer, ForeignKey("tax_rates.id"))
    client_id = Column(Integer, ForeignKey("clients.id"))
    client = relationship("Client")
    amount = Column(Numeric(12, 2))
'''

# one rate's lines, by the key column `tax_id` that abbreviates the relation `tax_rate` (Security Monkey's `tech_id`)
BY_KEY = '''
from .models import TaxLine


def lines_of(session, tax_rate):
    lines = session.query(TaxLine).filter(TaxLine.tax_id == tax_rate.id).all()
    return [(line.{path}.name, line.amount) for line in lines]
'''

# one rate's lines, by the joined rate's name (Security Monkey's `Technology.name == technology_name`)
BY_NAME = '''
from .models import TaxLine, TaxRate


def lines_named(session, name):
    query = session.query(TaxLine).join(TaxRate, TaxRate.id == TaxLine.tax_id)
    query = query.filter(TaxRate.name == {value})
    return [(line.{path}.name, line.amount) for line in query.all()]
'''


def tax_app(report: str) -> dict[str, str]:
    return {"books/__init__.py": "", "books/models.py": TAX_MODELS, "books/report.py": report}


# each rate's lines inside a loop over the rates, joined to the outer loop's own row (Beaker's CSV export, round 134:
# 3 judged CACHED): that row is in the session, so no line's `tax_rate` queries
BY_OUTER_ROW = '''
from .models import TaxLine, TaxRate


def export(session):
    out = []
    for rate in session.query(TaxRate).all():
        for line in session.query(TaxLine).join(TaxRate, TaxRate.id == TaxLine.tax_id).filter(TaxRate.id == rate.id):
            out.append((line.{path}.name, line.amount))
    return out
'''

# one client's lines, by the key column compared with a value the caller hands in (okpy's checkpoint job, round 152:
# `Backup.assignment_id == assign_id`, judged CACHED): each line's `client` is that one client
BY_KEY_VALUE = '''
from .models import TaxLine


def client_lines(session, wanted):
    lines = session.query(TaxLine).filter(TaxLine.client_id == wanted).all()
    return [(line.{path}.name, line.amount) for line in lines]
'''

# the lines of another object's client, by the same key column (`TaxLine.client_id == invoice.client_id`: Dropbox's
# Changes lists the projects of one diff's repository, round 176): each line's `client` is that invoice's client
BY_SAME_KEY = '''
from .models import TaxLine


def lines_like(session, invoice):
    lines = session.query(TaxLine).filter(TaxLine.client_id == invoice.client_id).all()
    return [(line.{path}.name, line.amount) for line in lines]
'''

NP104_ONE_PARENT_NEGATIVE = [tax_app(BY_KEY.format(path="tax_rate")), tax_app(BY_NAME.format(path="tax_rate", value="name")),
                             tax_app(BY_NAME.format(path="tax_rate", value='"ICMS"')), tax_app(BY_OUTER_ROW.format(path="tax_rate")),
                             tax_app(BY_KEY_VALUE.format(path="client")), tax_app(BY_SAME_KEY.format(path="client"))]
# each line's client (or, filtered by client, each line's rate): per distinct parent, not one parent's
NP104_ONE_PARENT_POSITIVE = [tax_app(BY_KEY.format(path="client")), tax_app(BY_NAME.format(path="client", value="name")),
                             tax_app(BY_OUTER_ROW.format(path="client")), tax_app(BY_KEY_VALUE.format(path="tax_rate")),
                             tax_app(BY_SAME_KEY.format(path="tax_rate"))]

# SQLAlchemy 1.3's loaders of a whole path in one call (`subqueryload_all("lines")`, `joinedload_all(...)`), and a dotted
# string path (Dropbox's Changes, round 176: 2 judged PREFETCHED); with `noload` each rate's lines are not loaded at all
_RATES_LINES = '''
from sqlalchemy.orm import {loader}

from .models import TaxLine, TaxRate


def rate_clients(session):
    rates = session.query(TaxRate).options({loader}({path})).all()
    return [(rate.name, [line.client.name for line in rate.lines]) for rate in rates]
'''
NP104_PATH_LOADER_NEGATIVE = [tax_app(_RATES_LINES.format(loader="subqueryload_all", path='"lines.client"')),
                              tax_app(_RATES_LINES.format(loader="joinedload_all", path="TaxRate.lines, TaxLine.client")),
                              tax_app(_RATES_LINES.format(loader="joinedload", path='"lines.client"'))]
NP104_PATH_LOADER_POSITIVE = [tax_app(_RATES_LINES.format(loader="subqueryload_all", path='"lines"'))]


# Rows a function loaded before and still holds by a name (analysis/warmed_session.py): each payment's `client` is
# found in the identity map for the clients the first statement loaded (Kallithea's permissions, round 109)
PAYMENTS = TAX_MODELS + '''

class Payment(Base):
    __tablename__ = "payments"
    id = Column(Integer, primary_key=True)
    client_id = Column(Integer, ForeignKey("clients.id"))
    client = relationship("Client")
    amount = Column(Numeric(12, 2))
'''

WARMED = '''
from sqlalchemy.orm import joinedload
from .models import Client, Payment, TaxLine


def client_statement(session):
    {first}
        print(first.amount)
    for payment in session.query(Payment).all():
        print(payment.client.name, payment.amount)
'''
# the clients themselves, or another class's rows with their client joined in, bound to a name the function keeps
WARMED_BY_NAME = ["clients = session.query(Client).all()\n    for first in clients:",
                  "lines = session.query(TaxLine).options(joinedload(TaxLine.client)).all()\n    for first in lines:",
                  # numbered as it goes: the rows are `clients`' still
                  "clients = session.query(Client).all()\n    for n, first in enumerate(clients, 1):"]
# a loop over a statement written inline drops its rows when it ends; a loop over rows without the clients loads none
NOT_WARMED = ["for first in session.query(Client).all():",
              "lines = session.query(TaxLine).all()\n    for first in lines:"]


def payments_app(first: str) -> dict[str, str]:
    return {"books/__init__.py": "", "books/models.py": PAYMENTS, "books/report.py": WARMED.format(first=first)}


NP104_WARMED_LOWERED = [payments_app(first) for first in WARMED_BY_NAME]
NP104_NOT_WARMED_KEPT = [payments_app(first) for first in NOT_WARMED]


# A loop that commits on every pass (Nylas' thread collector, round 111): the commit expires every loaded row, so an
# eager load in the statement serves the first row only; the commit is the cost to fix first. `low`, saying so. The
# same loop committing once after it keeps its finding, as does a project whose sessions keep their rows on commit.
SETTLE = '''
from .models import Payment


def settle(session, ledger):
    for payment in session.query(Payment).filter(Payment.amount > 0):
        ledger.post(payment.client.name, payment.amount)
        session.commit()
'''
KEEPS_ROWS = "from sqlalchemy.orm import sessionmaker\n\nSession = sessionmaker(expire_on_commit=False)\n"


def settle_app(code: str = SETTLE, **more: str) -> dict[str, str]:
    return {"books/__init__.py": "", "books/models.py": PAYMENTS, "books/settle.py": code, **more}


# the same commit kept before a receipt is mailed (ContentDB's notification task, round 137: the eager load offered judged
# WRONGFIX): PF202 leaves that commit alone, and it still expires the rows on every pass
SETTLE_AND_MAIL = SETTLE.replace("        session.commit()\n", "        session.commit()\n        send_receipt(payment.client.email)\n").replace(
    "from .models import Payment\n", "from .mail import send_receipt\nfrom .models import Payment\n")
NP104_COMMIT_EACH_LOWERED = [settle_app(), settle_app(SETTLE_AND_MAIL, **{"books/mail.py": "def send_receipt(address):\n    pass\n"})]
NP104_COMMIT_ONCE_KEPT = [settle_app(SETTLE.replace("        session.commit()\n", "    session.commit()\n")),
                          settle_app(**{"books/db.py": KEEPS_ROWS})]


# A coroutine on SQLAlchemy's asyncio session (Hyperion's loans, round 125: 3 judged CACHED): reading a relationship
# the statement did not load raises `MissingGreenlet` there instead of querying, so a read in working code was loaded
# before (a `lazy="selectin"` relationship of rows the session holds). `low`, saying so. A coroutine on a plain session,
# and a plain function beside the asyncio session, keep their finding.
ON_ASYNC = '''
from sqlalchemy import select
{session}
from .models import Payment


{kind}def statement(session):
    rows = {run}session.execute(select(Payment))
    return [(payment.client.name, payment.amount) for payment in rows.scalars()]
'''
ASYNC_SESSION = "from sqlalchemy.ext.asyncio import AsyncSession"


def statement_app(session: str, kind: str, run: str) -> dict[str, str]:
    return {"books/__init__.py": "", "books/models.py": PAYMENTS, "books/statement.py": ON_ASYNC.format(session=session, kind=kind, run=run)}


NP104_ASYNC_LOWERED = [statement_app(ASYNC_SESSION, "async ", "await ")]
NP104_ASYNC_KEPT = [statement_app("from sqlalchemy.orm import Session", "async ", ""), statement_app(ASYNC_SESSION, "", "")]
