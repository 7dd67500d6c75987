"""Rows a project's query helper returns, reached by its full dotted name (`import books.queries` then
`books.queries.open_invoices(session)`), and SQLAlchemy relations declared under the old name `relation`
(`from sqlalchemy.orm import relationship as relation`). Pagure spells both, and the scanner read neither: its list
endpoints' per-row `to_json()` went unreported (issue 15, round 19). Each negative is the same code with the loading
the loop needs. Also (Security Monkey, round 23): `.append()` on a `lazy="dynamic"` relationship adds a row to the
session and runs no SELECT, while iterating it queries."""

_SQLA_MODELS = '''
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, {relation}

BASE = declarative_base()


class Client(BASE):
    __tablename__ = "clients"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(80))


class Invoice(BASE):
    __tablename__ = "invoices"
    id = sa.Column(sa.Integer, primary_key=True)
    client_id = sa.Column(sa.Integer, sa.ForeignKey("clients.id"))
    number = sa.Column(sa.String(20))
    client = relation("Client", backref="invoices")

    def to_json(self):
        return {{"number": self.number, "client": self.client.name}}
'''

_SQLA_QUERIES = '''
from sqlalchemy.orm import joinedload

from books import model


def open_invoices(session, limit=None):
    query = session.query(model.Invoice){options}
    if limit is not None:
        query = query.limit(limit)
    return query.all()
'''

_SQLA_API = '''
import books.queries


def list_invoices(session):
    invoices = books.queries.open_invoices(session, limit=50)
    return [invoice.to_json() for invoice in invoices]
'''


def _books(relation: str, options: str = "") -> dict[str, str]:
    return {"books/__init__.py": "", "books/model.py": _SQLA_MODELS.format(relation=relation),
            "books/queries.py": _SQLA_QUERIES.format(options=options), "books/api.py": _SQLA_API}


_DJANGO_MODELS = '''
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=80)


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    number = models.CharField(max_length=20)
'''

_DJANGO_QUERIES = '''
from shop.models import Invoice


def open_invoices():
    return Invoice.objects.filter(number__startswith="A"){loading}
'''

_DJANGO_VIEW = '''
import shop.queries


def client_names(request):
    return [invoice.client.name for invoice in shop.queries.open_invoices()]
'''


def _shop(loading: str = "") -> dict[str, str]:
    return {"shop/__init__.py": "", "shop/models.py": _DJANGO_MODELS, "shop/queries.py": _DJANGO_QUERIES.format(loading=loading),
            "shop/views.py": _DJANGO_VIEW}


_DYNAMIC = '''
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Account(Base):
    __tablename__ = "accounts"
    id = sa.Column(sa.Integer, primary_key=True)
    entries = relationship("Entry", lazy="dynamic")


class Entry(Base):
    __tablename__ = "entries"
    id = sa.Column(sa.Integer, primary_key=True)
    account_id = sa.Column(sa.Integer, sa.ForeignKey("accounts.id"))


def touch(session):
    for account in session.query(Account).all():
        {body}
'''
NP104_HELPER_POSITIVE = [_books("relationship as relation"), _books("relation"),
                         {"books/__init__.py": "", "books/ledger.py": _DYNAMIC.format(body="print(account.entries.all())")}]
NP104_HELPER_NEGATIVE = [_books("relationship as relation", ".options(joinedload(model.Invoice.client))"),
                         {"books/__init__.py": "", "books/ledger.py": _DYNAMIC.format(body="account.entries.append(Entry())")}]
NP103_HELPER_POSITIVE = [_shop()]
NP103_HELPER_NEGATIVE = [_shop('.select_related("client")')]
