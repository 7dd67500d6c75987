"""A method that keeps its answer on the object for every key at once (aleph's `Authz.collections`, round 116: judged
CACHED): `if action in self._clients: return ...`, then one query fills `self._clients` for all actions. Called per
item through one object made before the loop, it queries once (flow._returns_a_hit). A local dict, new on each call,
keeps nothing: a query per item."""

_MODELS = '''
from sqlalchemy import ForeignKey, Numeric
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Client(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    balance = mapped_column(Numeric(12, 2))


class Permission(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column()
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    write: Mapped[bool] = mapped_column()
'''
_ACCESS = '''
from decimal import Decimal

from .models import Client, Permission, db


class Access:
    READ, WRITE = "read", "write"

    def __init__(self, roles):
        self.roles = roles
        self._clients = {}

    def clients(self, action):
        if action in self._clients:
            return self._clients[action]
        reads, writes = set(), set()
        for perm in db.session.query(Permission).filter(Permission.role_id.in_(self.roles)).all():
            (writes if perm.write else reads).add(perm.client_id)
        self._clients = {self.READ: reads, self.WRITE: writes}
        return self._clients.get(action, set())

    def can(self, client_id, action):
        return client_id in self.clients(action)


def readable_balance(roles):
    access = Access(roles)
    total = Decimal("0")
    for client in db.session.query(Client).all():
        if access.can(client.id, Access.READ):
            total += client.balance
    return total
'''
NP102_FILLED_WHOLE_ON_OBJECT = {"ledger/__init__.py": "", "ledger/models.py": _MODELS, "ledger/access.py": _ACCESS}
NP102_FILLED_LOCALLY = {**NP102_FILLED_WHOLE_ON_OBJECT, "ledger/access.py": _ACCESS.replace(
    "        self._clients = {self.READ: reads, self.WRITE: writes}\n", "        found = {self.READ: reads, self.WRITE: writes}\n").replace(
    "return self._clients.get(action, set())", "return found.get(action, set())")}
