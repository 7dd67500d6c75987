"""Eager loading spelled through a variant of the relationship attribute, for NP104: `joinedload(A.bills.of_type(...))`
names a polymorphic subclass to load, `selectinload(A.bills.and_(...))` a criteria on the related rows; either way the
relationship `A.bills` is loaded with the rows (a utility-billing application's account list, round 129: judged
PREFETCHED). So is a loader the function names by a local alias (`joined = db.joinedload`, then `joined("submitter")`:
okpy's export API, round 152: 3 judged PREFETCHED)."""

from .static import SQLA_MODELS

_REPORT = '''
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload, with_polymorphic
from .models import Client, Invoice


def invoice_counts(session):
    clients = session.scalars(select(Client){options}).unique()
    return {{client.id: len(client.invoices) for client in clients}}
'''

NP104_LOADER_VARIANT_NEGATIVE = [
    {"shop/models.py": SQLA_MODELS, "shop/report.py": _REPORT.format(
        options=".options(joinedload(Client.invoices.of_type(with_polymorphic(Invoice, [Invoice]))))")},
    {"shop/models.py": SQLA_MODELS, "shop/report.py": _REPORT.format(
        options=".options(selectinload(Client.invoices.and_(Invoice.id > 0)))")},
]

# the same loop with no loader option: one lazy load of each client's invoices
NP104_LOADER_VARIANT_POSITIVE = [{"shop/models.py": SQLA_MODELS, "shop/report.py": _REPORT.format(options="")}]

_ALIASED = '''
from sqlalchemy import orm, select
from .models import Client


def invoice_counts(session):
    joined = orm.{loader}
    clients = session.scalars(select(Client).options(joined(Client.invoices))).unique()
    return {{client.id: len(client.invoices) for client in clients}}
'''
NP104_LOADER_ALIAS = {"shop/models.py": SQLA_MODELS, "shop/report.py": _ALIASED.format(loader="joinedload")}
# an alias of `lazyload`: each client's invoices are still a lazy load per client
NP104_LOADER_ALIAS_LAZY = {"shop/models.py": SQLA_MODELS, "shop/report.py": _ALIASED.format(loader="lazyload")}
NP104_LOADER_VARIANT_NEGATIVE.append(NP104_LOADER_ALIAS)
NP104_LOADER_VARIANT_POSITIVE.append(NP104_LOADER_ALIAS_LAZY)

# the relationship wrapped in `typing.cast(...)` for a type checker is still the one loaded (Coati Payroll's payroll
# employees, round 187: judged PREFETCHED); a cast of another relationship leaves the invoices lazy
_CAST = '''
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import joinedload
from .models import Client


def invoice_counts(session):
    clients = session.scalars(select(Client).options(joinedload(cast(Any, {loaded})))).unique()
    return {{client.id: len(client.invoices) for client in clients}}
'''
NP104_LOADER_VARIANT_NEGATIVE.append({"shop/models.py": SQLA_MODELS, "shop/report.py": _CAST.format(loaded="Client.invoices")})
NP104_LOADER_VARIANT_POSITIVE.append({"shop/models.py": SQLA_MODELS, "shop/report.py": _CAST.format(loaded="Client.id")})
