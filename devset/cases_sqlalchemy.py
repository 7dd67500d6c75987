"""SQLAlchemy / Flask-SQLAlchemy / DB-API cases: N+1 bugs fixed by maintainers of public projects,
retold in an accounting domain (invoices, clients, firms, ledgers, tax categories, bank accounts).

Nothing here is the projects' code: models, names and bodies are ours; only the shape of the bug (which
layer loops, which layer queries, how rows reach the loop) and the shape of the fix follow the commit.
"""

from __future__ import annotations

from devset import Case


def _loop(files: dict[str, str], path: str, needle: str) -> tuple[str, int]:
    """(path, line) of the single line of files[path] containing `needle` (a loop line)."""
    lines = files[path].splitlines()
    hits = [i for i, text in enumerate(lines, 1) if needle in text]
    if len(hits) != 1:
        raise ValueError(f"{path}: {needle!r} found on lines {hits}")
    return (path, hits[0])


# ---------------------------------------------------------------------------------------------------------
# 1. CTFd 98bf240c: the team scoreboard read each member's score, a @property that runs two aggregate queries.
# ---------------------------------------------------------------------------------------------------------

_FIRM_MODELS = """\
import datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func

db = SQLAlchemy()


class Firm(db.Model):
    __tablename__ = "firms"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(128))
    hidden = db.Column(db.Boolean, default=False)

    members = db.relationship("Accountant", backref="firm", foreign_keys="Accountant.firm_id")


class Accountant(db.Model):
    __tablename__ = "accountants"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(128))
    hidden = db.Column(db.Boolean, default=False)
    firm_id = db.Column(db.Integer, db.ForeignKey("firms.id"))

    @property
    def balance(self):
        return self.compute_balance(include_frozen=False)

    def compute_balance(self, include_frozen=False):
        billed = (
            db.session.query(func.sum(Invoice.amount))
            .filter(Invoice.accountant_id == self.id)
            .scalar()
        )
        adjusted = (
            db.session.query(func.sum(Adjustment.amount))
            .filter(Adjustment.accountant_id == self.id)
            .scalar()
        )
        return (billed or 0) + (adjusted or 0)


class Invoice(db.Model):
    __tablename__ = "invoices"

    id = db.Column(db.Integer, primary_key=True)
    firm_id = db.Column(db.Integer, db.ForeignKey("firms.id"))
    accountant_id = db.Column(db.Integer, db.ForeignKey("accountants.id"))
    amount = db.Column(db.Numeric(12, 2), nullable=False)
    issued_at = db.Column(db.DateTime, default=datetime.datetime.utcnow)


class Adjustment(db.Model):
    __tablename__ = "adjustments"

    id = db.Column(db.Integer, primary_key=True)
    firm_id = db.Column(db.Integer, db.ForeignKey("firms.id"))
    accountant_id = db.Column(db.Integer, db.ForeignKey("accountants.id"))
    amount = db.Column(db.Numeric(12, 2), nullable=False)
"""

_FIRM_STANDINGS = """\
from sqlalchemy import func

from .models import Firm, Invoice, db


def get_firm_standings():
    totals = (
        db.session.query(Invoice.firm_id.label("firm_id"), func.sum(Invoice.amount).label("total"))
        .group_by(Invoice.firm_id)
        .subquery()
    )
    return (
        db.session.query(Firm.id.label("account_id"), Firm.name.label("name"), totals.c.total)
        .join(totals, Firm.id == totals.c.firm_id)
        .filter(Firm.hidden == False)  # noqa: E712
        .order_by(totals.c.total.desc())
        .all()
    )
"""

_FIRM_STANDINGS_FIXED = """\
from sqlalchemy import func

from .models import Accountant, Firm, Invoice, db


def get_firm_standings():
    totals = (
        db.session.query(Invoice.firm_id.label("firm_id"), func.sum(Invoice.amount).label("total"))
        .group_by(Invoice.firm_id)
        .subquery()
    )
    return (
        db.session.query(Firm.id.label("account_id"), Firm.name.label("name"), totals.c.total)
        .join(totals, Firm.id == totals.c.firm_id)
        .filter(Firm.hidden == False)  # noqa: E712
        .order_by(totals.c.total.desc())
        .all()
    )


def get_accountant_standings():
    totals = (
        db.session.query(Invoice.accountant_id.label("accountant_id"), func.sum(Invoice.amount).label("total"))
        .group_by(Invoice.accountant_id)
        .subquery()
    )
    return (
        db.session.query(
            Accountant.id.label("accountant_id"),
            Accountant.name.label("name"),
            totals.c.total,
        )
        .join(totals, Accountant.id == totals.c.accountant_id)
        .filter(Accountant.hidden == False)  # noqa: E712
        .order_by(totals.c.total.desc())
        .all()
    )
"""

_FIRM_API = """\
from flask import Blueprint, jsonify

from .models import Firm
from .standings import get_firm_standings

bp = Blueprint("ranking", __name__)


@bp.route("/ranking")
def ranking():
    standings = get_firm_standings()
    firm_ids = [row.account_id for row in standings]
    firms = Firm.query.filter(Firm.id.in_(firm_ids)).all()
    firms = [next(f for f in firms if f.id == fid) for fid in firm_ids]

    response = []
    for i, row in enumerate(standings):
        entry = {"pos": i + 1, "firm_id": row.account_id, "name": row.name, "total": float(row.total)}
        members = []
        for member in firms[i].members:
            members.append({"id": member.id, "name": member.name, "balance": float(member.balance)})
        entry["members"] = members
        response.append(entry)
    return jsonify(response)
"""

_FIRM_API_FIXED = """\
from flask import Blueprint, jsonify
from sqlalchemy.orm import joinedload

from .models import Firm
from .standings import get_accountant_standings, get_firm_standings

bp = Blueprint("ranking", __name__)


@bp.route("/ranking")
def ranking():
    standings = get_firm_standings()
    firm_ids = [row.account_id for row in standings]
    firms = Firm.query.options(joinedload(Firm.members)).filter(Firm.id.in_(firm_ids)).all()
    firms = [next(f for f in firms if f.id == fid) for fid in firm_ids]

    # one aggregate query for every accountant instead of two per member
    by_accountant = {row.accountant_id: row for row in get_accountant_standings()}

    response = []
    for i, row in enumerate(standings):
        entry = {"pos": i + 1, "firm_id": row.account_id, "name": row.name, "total": float(row.total)}
        members = []
        for member in firms[i].members:
            known = by_accountant.get(member.id)
            if known is not None:
                members.append({"id": known.accountant_id, "name": known.name, "balance": float(known.total)})
            elif not member.hidden:
                members.append({"id": member.id, "name": member.name, "balance": 0.0})
        entry["members"] = members
        response.append(entry)
    return jsonify(response)
"""

_CTFD_SCORE_FILES = {
    "billing/__init__.py": "",
    "billing/models.py": _FIRM_MODELS,
    "billing/standings.py": _FIRM_STANDINGS,
    "billing/api.py": _FIRM_API,
}

# ---------------------------------------------------------------------------------------------------------
# 2. CTFd ab2de6cf: "top N" endpoint queried solves and awards once per team of the standings.
# ---------------------------------------------------------------------------------------------------------

_TOP_MODELS = """\
import datetime

from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Firm(db.Model):
    __tablename__ = "firms"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(128))


class Invoice(db.Model):
    __tablename__ = "invoices"

    id = db.Column(db.Integer, primary_key=True)
    firm_id = db.Column(db.Integer, db.ForeignKey("firms.id"))
    amount = db.Column(db.Numeric(12, 2))
    issued_at = db.Column(db.DateTime, default=datetime.datetime.utcnow)

    firm = db.relationship("Firm", backref="invoices")


class CreditNote(db.Model):
    __tablename__ = "credit_notes"

    id = db.Column(db.Integer, primary_key=True)
    firm_id = db.Column(db.Integer, db.ForeignKey("firms.id"))
    amount = db.Column(db.Numeric(12, 2))
    issued_at = db.Column(db.DateTime, default=datetime.datetime.utcnow)


class Setting(db.Model):
    __tablename__ = "settings"

    key = db.Column(db.String(64), primary_key=True)
    value = db.Column(db.String(256))
"""

_TOP_VIEWS = """\
import datetime

from flask import jsonify
from sqlalchemy import func

from .models import CreditNote, Firm, Invoice, Setting, db


def get_setting(key):
    row = Setting.query.filter_by(key=key).first()
    return row.value if row else None


def get_standings(count=None):
    q = (
        db.session.query(Invoice.firm_id, Firm.name, func.sum(Invoice.amount).label("total"))
        .join(Firm, Firm.id == Invoice.firm_id)
        .group_by(Invoice.firm_id, Firm.name)
        .order_by(func.sum(Invoice.amount).desc())
    )
    if count:
        q = q.limit(count)
    return q.all()


def top_firms(count):
    result = {"places": {}}
    standings = get_standings(count=count)
    closing = get_setting("closing_date")

    for i, row in enumerate(standings):
        invoices = Invoice.query.filter_by(firm_id=row.firm_id)
        credits = CreditNote.query.filter_by(firm_id=row.firm_id)
        if closing:
            cutoff = datetime.datetime.fromtimestamp(int(closing))
            invoices = invoices.filter(Invoice.issued_at < cutoff)
            credits = credits.filter(CreditNote.issued_at < cutoff)
        invoices = invoices.all()
        credits = credits.all()

        place = {"id": row.firm_id, "name": row.name, "entries": []}
        for inv in invoices:
            place["entries"].append({"kind": "invoice", "value": float(inv.amount), "time": inv.issued_at.timestamp()})
        for note in credits:
            place["entries"].append({"kind": "credit", "value": -float(note.amount), "time": note.issued_at.timestamp()})
        place["entries"] = sorted(place["entries"], key=lambda e: e["time"])
        result["places"][i + 1] = place
    return jsonify(result)
"""

_TOP_VIEWS_FIXED = """\
import datetime

from flask import jsonify
from sqlalchemy import func

from .models import CreditNote, Firm, Invoice, Setting, db


def get_setting(key):
    row = Setting.query.filter_by(key=key).first()
    return row.value if row else None


def get_standings(count=None):
    q = (
        db.session.query(Invoice.firm_id, Firm.name, func.sum(Invoice.amount).label("total"))
        .join(Firm, Firm.id == Invoice.firm_id)
        .group_by(Invoice.firm_id, Firm.name)
        .order_by(func.sum(Invoice.amount).desc())
    )
    if count:
        q = q.limit(count)
    return q.all()


def top_firms(count):
    result = {"places": {}}
    standings = get_standings(count=count)
    firm_ids = [row.firm_id for row in standings]

    invoices = Invoice.query.filter(Invoice.firm_id.in_(firm_ids))
    credits = CreditNote.query.filter(CreditNote.firm_id.in_(firm_ids))
    closing = get_setting("closing_date")
    if closing:
        cutoff = datetime.datetime.fromtimestamp(int(closing))
        invoices = invoices.filter(Invoice.issued_at < cutoff)
        credits = credits.filter(CreditNote.issued_at < cutoff)
    invoices = invoices.all()
    credits = credits.all()

    for i, firm_id in enumerate(firm_ids):
        place = {"id": standings[i].firm_id, "name": standings[i].name, "entries": []}
        for inv in invoices:
            if inv.firm_id == firm_id:
                place["entries"].append({"kind": "invoice", "value": float(inv.amount), "time": inv.issued_at.timestamp()})
        for note in credits:
            if note.firm_id == firm_id:
                place["entries"].append({"kind": "credit", "value": -float(note.amount), "time": note.issued_at.timestamp()})
        place["entries"] = sorted(place["entries"], key=lambda e: e["time"])
        result["places"][i + 1] = place
    return jsonify(result)
"""

_CTFD_TOP_FILES = {
    "scoreboard/__init__.py": "",
    "scoreboard/models.py": _TOP_MODELS,
    "scoreboard/views.py": _TOP_VIEWS,
}

# ---------------------------------------------------------------------------------------------------------
# 3-5. Flask-AppBuilder security: grants (permission on a view menu) attached to roles.
# ---------------------------------------------------------------------------------------------------------

_GRANT_MODELS = """\
from sqlalchemy import Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

grant_role = Table(
    "grant_role",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("grant_id", Integer, ForeignKey("grants.id")),
    Column("role_id", Integer, ForeignKey("roles.id")),
    UniqueConstraint("grant_id", "role_id"),
)

user_role = Table(
    "user_role",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id")),
    Column("role_id", Integer, ForeignKey("roles.id")),
)


class Action(Base):
    __tablename__ = "actions"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), unique=True, nullable=False)

    def __repr__(self):
        return self.name


class LedgerBook(Base):
    __tablename__ = "ledger_books"

    id = Column(Integer, primary_key=True)
    name = Column(String(250), unique=True, nullable=False)

    def __repr__(self):
        return self.name


class Role(Base):
    __tablename__ = "roles"

    id = Column(Integer, primary_key=True)
    name = Column(String(64), unique=True, nullable=False)
    grants = relationship("Grant", secondary=grant_role, backref="role")


class Grant(Base):
    __tablename__ = "grants"
    __table_args__ = (UniqueConstraint("action_id", "book_id"),)

    id = Column(Integer, primary_key=True)
    action_id = Column(Integer, ForeignKey("actions.id"))
    action = relationship("Action")
    book_id = Column(Integer, ForeignKey("ledger_books.id"))
    book = relationship("LedgerBook")

    def __repr__(self):
        return str(self.action).replace("_", " ") + " on " + str(self.book)


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), unique=True, nullable=False)
    roles = relationship("Role", secondary=user_role, backref="user")
"""

_GRANT_MODELS_JOINED = _GRANT_MODELS.replace(
    '    action = relationship("Action")\n', '    action = relationship("Action", lazy="joined")\n'
).replace('    book = relationship("LedgerBook")\n', '    book = relationship("LedgerBook", lazy="joined")\n')
assert _GRANT_MODELS_JOINED.count('lazy="joined"') == 2

# 3. FAB 5a766189: the base manager read permission and view_menu of every row the SQLA manager returned.

_ROLE_GRANTS_BASE = """\
from typing import List, Set, Tuple


class BaseAccessManager:
    builtin_roles = {
        "Auditor": [("general_ledger", "can_read"), ("tax_ledger", "can_read")],
    }

    def get_db_role_grants(self, role_id: int) -> List[object]:
        raise NotImplementedError

    def get_user_roles(self, user) -> List[object]:
        return user.roles

    def get_role_grants(self, role) -> Set[Tuple[str, str]]:
        result = set()
        if role.name in self.builtin_roles:
            for book_name, action_name in self.builtin_roles[role.name]:
                result.add((action_name, book_name))
        else:
            for grant in self.get_db_role_grants(role.id):
                result.add((grant.action.name, grant.book.name))
        return result

    def get_user_grants(self, user) -> Set[Tuple[str, str]]:
        result = set()
        for role in self.get_user_roles(user):
            result.update(self.get_role_grants(role))
        return result
"""

_ROLE_GRANTS_SQLA = """\
from typing import List

from sqlalchemy.orm import Session

from .manager import BaseAccessManager
from .models import Action, Grant, LedgerBook, Role


class SqlaAccessManager(BaseAccessManager):
    def __init__(self, session: Session):
        self.session = session

    def get_db_role_grants(self, role_id: int) -> List[Grant]:
        return (
            self.session.query(Grant)
            .join(Action)
            .join(LedgerBook)
            .join(Grant.role)
            .filter(Role.id == role_id)
            .all()
        )
"""

_ROLE_GRANTS_SQLA_FIXED = """\
from typing import List

from sqlalchemy.orm import Session, contains_eager

from .manager import BaseAccessManager
from .models import Action, Grant, LedgerBook, Role


class SqlaAccessManager(BaseAccessManager):
    def __init__(self, session: Session):
        self.session = session

    def get_db_role_grants(self, role_id: int) -> List[Grant]:
        return (
            self.session.query(Grant)
            .join(Action)
            .join(LedgerBook)
            .join(Grant.role)
            .filter(Role.id == role_id)
            .options(contains_eager(Grant.action))
            .options(contains_eager(Grant.book))
            .all()
        )
"""

_FAB_ROLE_GRANTS_FILES = {
    "access/__init__.py": "",
    "access/models.py": _GRANT_MODELS,
    "access/manager.py": _ROLE_GRANTS_BASE,
    "access/sqla_manager.py": _ROLE_GRANTS_SQLA,
}

# 4. FAB 6bc4690b: has_access walked user.roles -> role.permissions -> permission.view_menu per request.

_HAS_ACCESS_BASE = """\
import re
from typing import List


class BaseAccessManager:
    builtin_roles = {
        "Auditor": [(".*_ledger", "can_read")],
    }

    def _has_builtin_access(self, role, action_name, book_name):
        for book_pattern, action_pattern in self.builtin_roles[role.name]:
            if re.match(book_pattern, book_name) and re.match(action_pattern, action_name):
                return True
        return False

    def grant_exists_on_roles(self, book_name: str, action_name: str, role_ids: List[int]) -> bool:
        raise NotImplementedError

    def _has_book_access(self, user, action_name, book_name):
        roles = user.roles

        for role in roles:
            if role.name in self.builtin_roles:
                if self._has_builtin_access(role, action_name, book_name):
                    return True

        for role in roles:
            grants = role.grants
            if grants:
                for grant in grants:
                    if book_name == grant.book.name and action_name == grant.action.name:
                        return True
        return False

    def has_access(self, current_user, action_name, book_name):
        if current_user is None:
            return False
        return self._has_book_access(current_user, action_name, book_name)
"""

_HAS_ACCESS_BASE_FIXED = """\
import re
from typing import List


class BaseAccessManager:
    builtin_roles = {
        "Auditor": [(".*_ledger", "can_read")],
    }

    def _has_builtin_access(self, role, action_name, book_name):
        for book_pattern, action_pattern in self.builtin_roles[role.name]:
            if re.match(book_pattern, book_name) and re.match(action_pattern, action_name):
                return True
        return False

    def grant_exists_on_roles(self, book_name: str, action_name: str, role_ids: List[int]) -> bool:
        raise NotImplementedError

    def _has_book_access(self, user, action_name: str, book_name: str) -> bool:
        roles = user.roles
        db_role_ids = []
        for role in roles:
            if role.name in self.builtin_roles:
                if self._has_builtin_access(role, action_name, book_name):
                    return True
            else:
                db_role_ids.append(role.id)
        return self.grant_exists_on_roles(book_name, action_name, db_role_ids)

    def has_access(self, current_user, action_name, book_name):
        if current_user is None:
            return False
        return self._has_book_access(current_user, action_name, book_name)
"""

_HAS_ACCESS_SQLA = """\
from sqlalchemy.orm import Session

from .manager import BaseAccessManager
from .models import Action, Grant, LedgerBook, Role


class SqlaAccessManager(BaseAccessManager):
    def __init__(self, session: Session):
        self.session = session

    def find_action(self, name):
        return self.session.query(Action).filter_by(name=name).first()

    def find_book(self, name):
        return self.session.query(LedgerBook).filter_by(name=name).first()
"""

_HAS_ACCESS_SQLA_FIXED = """\
from typing import List

from sqlalchemy import and_
from sqlalchemy.orm import Session

from .manager import BaseAccessManager
from .models import Action, Grant, LedgerBook, Role, grant_role


class SqlaAccessManager(BaseAccessManager):
    def __init__(self, session: Session):
        self.session = session

    def find_action(self, name):
        return self.session.query(Action).filter_by(name=name).first()

    def find_book(self, name):
        return self.session.query(LedgerBook).filter_by(name=name).first()

    def grant_exists_on_roles(self, book_name: str, action_name: str, role_ids: List[int]) -> bool:
        q = (
            self.session.query(Grant)
            .join(grant_role, and_(Grant.id == grant_role.c.grant_id))
            .join(Role)
            .join(Action)
            .join(LedgerBook)
            .filter(
                LedgerBook.name == book_name,
                Action.name == action_name,
                Role.id.in_(role_ids),
            )
            .exists()
        )
        return self.session.query(q).scalar()
"""

_FAB_HAS_ACCESS_FILES = {
    "access/__init__.py": "",
    "access/models.py": _GRANT_MODELS,
    "access/manager.py": _HAS_ACCESS_BASE,
    "access/sqla_manager.py": _HAS_ACCESS_SQLA,
}

# 5. FAB 5aae9b68: PermissionView.__repr__ reads permission and view_menu; role pages print every grant.

_ROLE_PAGE = """\
from sqlalchemy.orm import Session

from .models import Role


def role_detail(session: Session, role_id: int) -> dict:
    role = session.get(Role, role_id)
    if role is None:
        return {}
    labels = [repr(grant) for grant in role.grants]
    return {"id": role.id, "name": role.name, "grants": labels}
"""

_FAB_REPR_FILES = {
    "access/__init__.py": "",
    "access/models.py": _GRANT_MODELS,
    "access/views.py": _ROLE_PAGE,
}

# ---------------------------------------------------------------------------------------------------------
# 6. Faraday f00d313d5: CSV export built each row with helpers that ran one query per receipt / client.
# ---------------------------------------------------------------------------------------------------------

_EXPORT_MODELS = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Client(db.Model):
    __tablename__ = "clients"

    id = db.Column(db.Integer, primary_key=True)
    legal_name = db.Column(db.String(200), nullable=False)
    tax_id = db.Column(db.String(32))
    state = db.Column(db.String(2))


class Contract(db.Model):
    __tablename__ = "contracts"

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id"), nullable=False)
    description = db.Column(db.Text)
    monthly_fee = db.Column(db.Numeric(12, 2))
    client = db.relationship("Client", backref="contracts")


class Note(db.Model):
    __tablename__ = "notes"

    id = db.Column(db.Integer, primary_key=True)
    object_type = db.Column(db.String(32), nullable=False)
    object_id = db.Column(db.Integer, nullable=False)
    text = db.Column(db.Text, nullable=False)
"""

_EXPORT = """\
import csv
import io

from .models import Client, Contract, Note, db

HEADERS = ["receipt_id", "amount", "notes", "client_id", "legal_name", "tax_id", "contract_id", "monthly_fee"]


def export_receipts_to_csv(receipts):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADERS)
    writer.writeheader()

    clients_data = {}
    contracts_data = {}
    for receipt in receipts:
        receipt_data = _build_receipt_data(receipt)
        if receipt["parent_type"] == "Client":
            client_id = receipt["parent"]
            if client_id not in clients_data:
                clients_data[client_id] = _build_client_data(client_id)
            row = {**receipt_data, **clients_data[client_id]}
        else:
            contract_id = receipt["parent"]
            if contract_id not in contracts_data:
                contracts_data[contract_id] = _build_contract_data(contract_id)
            contract_data = contracts_data[contract_id]
            client_id = contract_data["client_id"]
            if client_id not in clients_data:
                clients_data[client_id] = _build_client_data(client_id)
            row = {**receipt_data, **clients_data[client_id], **contract_data}
        writer.writerow(row)

    buffer.seek(0)
    return buffer


def _build_client_data(client_id):
    client = db.session.query(Client).filter(Client.id == client_id).one()
    return {"client_id": client.id, "legal_name": client.legal_name, "tax_id": client.tax_id}


def _build_contract_data(contract_id):
    contract = db.session.query(Contract).filter(Contract.id == contract_id).one()
    return {"contract_id": contract.id, "monthly_fee": contract.monthly_fee, "client_id": contract.client_id}


def _build_receipt_data(receipt):
    notes = db.session.query(Note).filter_by(object_type="receipt", object_id=receipt["id"]).all()
    return {
        "receipt_id": receipt["id"],
        "amount": receipt["amount"],
        "notes": " | ".join(note.text for note in notes),
    }
"""

_EXPORT_FIXED = """\
import csv
import io

from .models import Client, Contract, Note, db

HEADERS = ["receipt_id", "amount", "notes", "client_id", "legal_name", "tax_id", "contract_id", "monthly_fee"]


def export_receipts_to_csv(receipts):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADERS)
    writer.writeheader()

    client_ids = set()
    contract_ids = set()
    receipt_ids = set()
    for receipt in receipts:
        if receipt["parent_type"] == "Client":
            client_ids.add(receipt["parent"])
        else:
            contract_ids.add(receipt["parent"])
        receipt_ids.add(receipt["id"])

    notes_by_receipt = {}
    notes = (
        db.session.query(Note)
        .filter(Note.object_type == "receipt")
        .filter(Note.object_id.in_(receipt_ids))
        .all()
    )
    for note in notes:
        notes_by_receipt.setdefault(note.object_id, []).append(note.text)

    contracts_data = _build_contracts_data(contract_ids)
    for contract_data in contracts_data.values():
        client_ids.add(contract_data["client_id"])
    clients_data = _build_clients_data(client_ids)

    for receipt in receipts:
        receipt_data = _build_receipt_data(receipt, notes_by_receipt)
        if receipt["parent_type"] == "Client":
            row = {**receipt_data, **clients_data[receipt["parent"]]}
        else:
            contract_data = contracts_data[receipt["parent"]]
            row = {**receipt_data, **clients_data[contract_data["client_id"]], **contract_data}
        writer.writerow(row)

    buffer.seek(0)
    return buffer


def _build_clients_data(client_ids):
    clients = db.session.query(Client).filter(Client.id.in_(client_ids)).all()
    return {
        client.id: {"client_id": client.id, "legal_name": client.legal_name, "tax_id": client.tax_id}
        for client in clients
    }


def _build_contracts_data(contract_ids):
    contracts = db.session.query(Contract).filter(Contract.id.in_(contract_ids)).all()
    return {
        contract.id: {"contract_id": contract.id, "monthly_fee": contract.monthly_fee, "client_id": contract.client_id}
        for contract in contracts
    }


def _build_receipt_data(receipt, notes_by_receipt):
    return {
        "receipt_id": receipt["id"],
        "amount": receipt["amount"],
        "notes": " | ".join(notes_by_receipt.get(receipt["id"], [])),
    }
"""

_FARADAY_EXPORT_FILES = {
    "reports/__init__.py": "",
    "reports/models.py": _EXPORT_MODELS,
    "reports/export.py": _EXPORT,
}

# ---------------------------------------------------------------------------------------------------------
# 7. Faraday 9409af6f2: a schema method read entry.client.trade_names (or contract.client...) per entry.
# ---------------------------------------------------------------------------------------------------------

_ENTRY_MODELS = """\
from sqlalchemy import Column, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Client(Base):
    __tablename__ = "clients"

    id = Column(Integer, primary_key=True)
    legal_name = Column(String(200), nullable=False)
    trade_names = relationship("TradeName", back_populates="client")


class TradeName(Base):
    __tablename__ = "trade_names"

    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False)
    client_id = Column(Integer, ForeignKey("clients.id"), nullable=False)
    client = relationship("Client", back_populates="trade_names")


class Contract(Base):
    __tablename__ = "contracts"

    id = Column(Integer, primary_key=True)
    client_id = Column(Integer, ForeignKey("clients.id"), nullable=False)
    client = relationship("Client")


class LedgerEntry(Base):
    __tablename__ = "ledger_entries"

    id = Column(Integer, primary_key=True)
    description = Column(Text)
    amount = Column(Numeric(12, 2))
    client_id = Column(Integer, ForeignKey("clients.id"), nullable=True)
    client = relationship("Client")
    contract_id = Column(Integer, ForeignKey("contracts.id"), nullable=True)
    contract = relationship("Contract")
"""

_ENTRY_SCHEMA = """\
import logging

logger = logging.getLogger(__name__)


class LedgerEntrySchema:
    def get_trade_names(self, entry):
        if entry.client:
            return [trade.name for trade in entry.client.trade_names]
        if entry.contract:
            return [trade.name for trade in entry.contract.client.trade_names]
        logger.info("entry %s has neither client nor contract", entry.id)
        return []

    def dump(self, entry):
        return {
            "id": entry.id,
            "description": entry.description,
            "amount": str(entry.amount),
            "trade_names": self.get_trade_names(entry),
        }

    def dump_many(self, entries):
        return [self.dump(entry) for entry in entries]
"""

_ENTRY_VIEW = """\
from sqlalchemy.orm import Session, joinedload

from .models import Client, LedgerEntry
from .schemas import LedgerEntrySchema


class LedgerEntryView:
    schema = LedgerEntrySchema()

    def __init__(self, session: Session):
        self.session = session

    def _get_base_query(self):
        return self.session.query(LedgerEntry).options(
            joinedload(LedgerEntry.client).load_only(Client.id),
            joinedload(LedgerEntry.contract),
        )

    def index(self):
        entries = self._get_base_query().order_by(LedgerEntry.id).all()
        return {"rows": self.schema.dump_many(entries)}
"""

_ENTRY_VIEW_FIXED = """\
from sqlalchemy.orm import Session, joinedload

from .models import Client, Contract, LedgerEntry
from .schemas import LedgerEntrySchema


class LedgerEntryView:
    schema = LedgerEntrySchema()

    def __init__(self, session: Session):
        self.session = session

    def _get_base_query(self):
        return self.session.query(LedgerEntry).options(
            joinedload(LedgerEntry.client).load_only(Client.id).joinedload(Client.trade_names),
            joinedload(LedgerEntry.contract).joinedload(Contract.client).joinedload(Client.trade_names),
        )

    def index(self):
        entries = self._get_base_query().order_by(LedgerEntry.id).all()
        return {"rows": self.schema.dump_many(entries)}
"""

_FARADAY_TRADE_FILES = {
    "ledger/__init__.py": "",
    "ledger/models.py": _ENTRY_MODELS,
    "ledger/schemas.py": _ENTRY_SCHEMA,
    "ledger/views.py": _ENTRY_VIEW,
}

# ---------------------------------------------------------------------------------------------------------
# 8. Faraday 46efecb27 / 0a29e4565: deferred count column_property read per host in the list response.
# ---------------------------------------------------------------------------------------------------------

_COUNT_MODELS = """\
from sqlalchemy import Column, ForeignKey, Integer, String, func, select
from sqlalchemy.orm import column_property, declarative_base

Base = declarative_base()


class Contract(Base):
    __tablename__ = "contracts"

    id = Column(Integer, primary_key=True)
    client_id = Column(Integer, ForeignKey("clients.id"), nullable=False)
    status = Column(String(16), default="open")


class Payment(Base):
    __tablename__ = "payments"

    id = Column(Integer, primary_key=True)
    client_id = Column(Integer, ForeignKey("clients.id"), nullable=False)


class Client(Base):
    __tablename__ = "clients"

    id = Column(Integer, primary_key=True)
    legal_name = Column(String(200), nullable=False)
    workspace_id = Column(Integer, nullable=False)

    open_contract_count = column_property(
        select(func.count(Contract.id))
        .where(Contract.client_id == id, Contract.status == "open")
        .correlate_except(Contract)
        .scalar_subquery(),
        deferred=True,
    )
    payment_count = column_property(
        select(func.count(Payment.id))
        .where(Payment.client_id == id)
        .correlate_except(Payment)
        .scalar_subquery(),
        deferred=True,
    )
"""

_COUNT_VIEW = """\
from sqlalchemy.orm import Session

from .models import Client


class ClientsView:
    def __init__(self, session: Session):
        self.session = session

    def _filter_query(self, workspace_id):
        return self.session.query(Client).filter(Client.workspace_id == workspace_id)

    def index(self, workspace_id, stats=False):
        clients = self._filter_query(workspace_id).order_by(Client.legal_name).all()
        rows = []
        for client in clients:
            row = {"id": client.id, "legal_name": client.legal_name}
            if stats:
                row["open_contracts"] = client.open_contract_count
                row["payments"] = client.payment_count
            rows.append(row)
        return rows
"""

_COUNT_VIEW_FIXED = """\
from sqlalchemy.orm import Session, undefer

from .models import Client


class ClientsView:
    def __init__(self, session: Session):
        self.session = session

    def _filter_query(self, workspace_id, stats=False):
        query = self.session.query(Client).filter(Client.workspace_id == workspace_id)
        if stats:
            query = query.options(
                undefer(Client.open_contract_count),
                undefer(Client.payment_count),
            )
        return query

    def index(self, workspace_id, stats=False):
        clients = self._filter_query(workspace_id, stats).order_by(Client.legal_name).all()
        rows = []
        for client in clients:
            row = {"id": client.id, "legal_name": client.legal_name}
            if stats:
                row["open_contracts"] = client.open_contract_count
                row["payments"] = client.payment_count
            rows.append(row)
        return rows
"""

_FARADAY_DEFERRED_FILES = {
    "crm/__init__.py": "",
    "crm/models.py": _COUNT_MODELS,
    "crm/views.py": _COUNT_VIEW,
}

# ---------------------------------------------------------------------------------------------------------
# 9. Faraday c350387f6: `creator` comes from a @declared_attr mixin; every list API printed creator.username.
# ---------------------------------------------------------------------------------------------------------

_META_MODELS = """\
from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import declarative_base, declared_attr, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), unique=True, nullable=False)


class Metadata(Base):
    __abstract__ = True

    @declared_attr
    def creator_id(cls):
        return Column(Integer, ForeignKey("users.id"), nullable=True)

    @declared_attr
    def creator(cls):
        return relationship("User", foreign_keys=[cls.creator_id])

    create_date = Column(DateTime, default=datetime.utcnow)
    update_date = Column(DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)


class Invoice(Metadata):
    __tablename__ = "invoices"

    id = Column(Integer, primary_key=True)
    number = Column(String(32), nullable=False)
    total = Column(Numeric(12, 2))


class BankAccount(Metadata):
    __tablename__ = "bank_accounts"

    id = Column(Integer, primary_key=True)
    bank_code = Column(String(8))
    account_number = Column(String(32))
"""

_META_BASE = """\
from sqlalchemy.orm import Session


class GenericView:
    model_class = None

    def __init__(self, session: Session):
        self.session = session

    def _get_base_query(self):
        return self.session.query(self.model_class)

    def _dump(self, obj):
        data = {"id": obj.id}
        if hasattr(obj, "creator"):
            data["metadata"] = {
                "creator": obj.creator.username if obj.creator else None,
                "create_time": obj.create_date.isoformat() if obj.create_date else None,
            }
        return data

    def index(self):
        objects = self._get_base_query().all()
        return [self._dump(obj) for obj in objects]
"""

_META_BASE_FIXED = """\
from sqlalchemy.orm import Session, joinedload

from ..models import Metadata, User


class GenericView:
    model_class = None

    def __init__(self, session: Session):
        self.session = session

    def _get_base_query(self):
        query = self.session.query(self.model_class)
        if issubclass(self.model_class, Metadata):
            # every row prints its creator: load it with the rows, not one query per row
            query = query.options(joinedload(getattr(self.model_class, "creator")).load_only(User.username))
        return query

    def _dump(self, obj):
        data = {"id": obj.id}
        if hasattr(obj, "creator"):
            data["metadata"] = {
                "creator": obj.creator.username if obj.creator else None,
                "create_time": obj.create_date.isoformat() if obj.create_date else None,
            }
        return data

    def index(self):
        objects = self._get_base_query().all()
        return [self._dump(obj) for obj in objects]
"""

_META_VIEWS = """\
from ..models import BankAccount, Invoice
from .base import GenericView


class InvoiceView(GenericView):
    model_class = Invoice


class BankAccountView(GenericView):
    model_class = BankAccount
"""

_FARADAY_CREATOR_FILES = {
    "books/__init__.py": "",
    "books/models.py": _META_MODELS,
    "books/api/__init__.py": "",
    "books/api/base.py": _META_BASE,
    "books/api/views.py": _META_VIEWS,
}

# ---------------------------------------------------------------------------------------------------------
# 10. Mealie 9d35b0923: generic repository page_all converted each row with a schema that read two relations.
# ---------------------------------------------------------------------------------------------------------

_PRODUCT_MODELS = """\
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class SqlAlchemyBase(DeclarativeBase):
    pass


class TaxCategory(SqlAlchemyBase):
    __tablename__ = "tax_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    icms_rate: Mapped[Optional[float]]
    products: Mapped[list["Product"]] = relationship(back_populates="tax_category")


class ProductAttribute(SqlAlchemyBase):
    __tablename__ = "product_attributes"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    key_name: Mapped[str] = mapped_column(String(64))
    value: Mapped[Optional[str]] = mapped_column(String(256))


class Product(SqlAlchemyBase):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(128))
    ncm_code: Mapped[Optional[str]] = mapped_column(String(8))
    attributes: Mapped[list[ProductAttribute]] = relationship(cascade="all, delete-orphan")
    tax_category_id: Mapped[Optional[int]] = mapped_column(ForeignKey("tax_categories.id"), index=True)
    tax_category: Mapped[Optional[TaxCategory]] = relationship(back_populates="products")
"""

_PRODUCT_SCHEMAS = """\
from dataclasses import dataclass, field
from typing import Optional


@dataclass
class ProductOut:
    id: int
    name: str
    ncm_code: Optional[str] = None
    tax_category: Optional[str] = None
    attributes: dict = field(default_factory=dict)

    @classmethod
    def from_orm(cls, row):
        return cls(
            id=row.id,
            name=row.name,
            ncm_code=row.ncm_code,
            tax_category=row.tax_category.name if row.tax_category else None,
            attributes={attr.key_name: attr.value for attr in row.attributes},
        )


@dataclass
class Page:
    page: int
    per_page: int
    items: list
"""

_GENERIC_REPO = """\
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import SqlAlchemyBase
from .schemas import Page

Schema = TypeVar("Schema")
Model = TypeVar("Model", bound=SqlAlchemyBase)


class RepositoryGeneric(Generic[Schema, Model]):
    group_id: int | None = None

    def __init__(self, session: Session, sql_model: type[Model], schema: type[Schema]) -> None:
        self.session = session
        self.model = sql_model
        self.schema = schema

    def by_group(self, group_id: int):
        self.group_id = group_id
        return self

    def _query(self):
        return select(self.model)

    def _filter_builder(self, **kwargs) -> dict[str, Any]:
        filters = {}
        if self.group_id:
            filters["group_id"] = self.group_id
        return {**filters, **kwargs}

    def page_all(self, page: int, per_page: int, override=None) -> Page:
        eff_schema = override or self.schema
        q = self._query().filter_by(**self._filter_builder())
        q = q.limit(per_page).offset((page - 1) * per_page)
        data = self.session.execute(q).scalars().all()
        return Page(
            page=page,
            per_page=per_page,
            items=[eff_schema.from_orm(s) for s in data],
        )
"""

_GENERIC_REPO_FIXED = """\
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import LoaderOption

from .models import SqlAlchemyBase
from .schemas import Page

Schema = TypeVar("Schema")
Model = TypeVar("Model", bound=SqlAlchemyBase)


class RepositoryGeneric(Generic[Schema, Model]):
    group_id: int | None = None

    def __init__(self, session: Session, sql_model: type[Model], schema: type[Schema]) -> None:
        self.session = session
        self.model = sql_model
        self.schema = schema

    def by_group(self, group_id: int):
        self.group_id = group_id
        return self

    def _query(self):
        return select(self.model)

    def _filter_builder(self, **kwargs) -> dict[str, Any]:
        filters = {}
        if self.group_id:
            filters["group_id"] = self.group_id
        return {**filters, **kwargs}

    def paging_query_options(self) -> list[LoaderOption]:
        # subclasses list the relations their schema reads
        return []

    def page_all(self, page: int, per_page: int, override=None) -> Page:
        eff_schema = override or self.schema
        q = self._query().options(*self.paging_query_options())
        q = q.filter_by(**self._filter_builder())
        q = q.limit(per_page).offset((page - 1) * per_page)
        data = self.session.execute(q).unique().scalars().all()
        return Page(
            page=page,
            per_page=per_page,
            items=[eff_schema.from_orm(s) for s in data],
        )
"""

_PRODUCT_REPO = """\
from sqlalchemy import select

from .models import Product
from .repository_generic import RepositoryGeneric
from .schemas import ProductOut


class RepositoryProduct(RepositoryGeneric[ProductOut, Product]):
    def _get_product(self, product_id: int) -> Product:
        stmt = select(self.model).filter_by(**self._filter_builder(id=product_id))
        return self.session.execute(stmt).scalars().one()

    def by_group(self, group_id: int) -> "RepositoryProduct":
        return super().by_group(group_id)


def list_products(session, group_id: int, page: int = 1):
    repo = RepositoryProduct(session, Product, ProductOut).by_group(group_id)
    return repo.page_all(page=page, per_page=50)
"""

_PRODUCT_REPO_FIXED = """\
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.interfaces import LoaderOption

from .models import Product
from .repository_generic import RepositoryGeneric
from .schemas import ProductOut


class RepositoryProduct(RepositoryGeneric[ProductOut, Product]):
    def _get_product(self, product_id: int) -> Product:
        stmt = select(self.model).filter_by(**self._filter_builder(id=product_id))
        return self.session.execute(stmt).scalars().one()

    def by_group(self, group_id: int) -> "RepositoryProduct":
        return super().by_group(group_id)

    def paging_query_options(self) -> list[LoaderOption]:
        return [
            joinedload(Product.attributes),
            joinedload(Product.tax_category),
        ]


def list_products(session, group_id: int, page: int = 1):
    repo = RepositoryProduct(session, Product, ProductOut).by_group(group_id)
    return repo.page_all(page=page, per_page=50)
"""

_MEALIE_FILES = {
    "catalog/__init__.py": "",
    "catalog/models.py": _PRODUCT_MODELS,
    "catalog/schemas.py": _PRODUCT_SCHEMAS,
    "catalog/repository_generic.py": _GENERIC_REPO,
    "catalog/repository_products.py": _PRODUCT_REPO,
}

# ---------------------------------------------------------------------------------------------------------
# 11-12. Fedora Account System: people / groups / role memberships, relations declared as backrefs.
# ---------------------------------------------------------------------------------------------------------

# 11. FAS f6b8072d: group dump walked group.approved_roles (a backref) and read role.member (a backref).

_FAS_MODELS = """\
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Firm(Base):
    __tablename__ = "firms"

    id = Column(Integer, primary_key=True)
    name = Column(String(64), unique=True, nullable=False)


class Client(Base):
    __tablename__ = "clients"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), unique=True, nullable=False)
    email = Column(String(128))
    legal_name = Column(String(200))

    engagements = relationship("Engagement", backref="client")


class Engagement(Base):
    __tablename__ = "engagements"

    id = Column(Integer, primary_key=True)
    client_id = Column(Integer, ForeignKey("clients.id"), nullable=False)
    firm_id = Column(Integer, ForeignKey("firms.id"), nullable=False)
    status = Column(String(16), default="unapproved")
    kind = Column(String(16), default="bookkeeping")
    created_at = Column(DateTime)

    firm = relationship(Firm, backref="engagements")
"""

_FAS_DUMP = """\
from sqlalchemy.orm import Session

from .models import Client, Firm


def dump_firm(session: Session, firm_name=None):
    if not firm_name:
        clients = session.query(Client).order_by(Client.username).all()
    else:
        clients = []
        firm = session.query(Firm).filter_by(name=firm_name).one()
        for engagement in firm.engagements:
            if engagement.status == "approved":
                clients.append(engagement.client)

    rows = sorted([(c.username, c.email, c.legal_name) for c in clients])
    return {"clients": rows}
"""

_FAS_DUMP_FIXED = """\
from sqlalchemy import literal_column
from sqlalchemy.orm import Session

from .models import Client, Engagement, Firm


def dump_firm(session: Session, firm_name=None):
    if not firm_name:
        rows = (
            session.query(Client)
            .add_columns(literal_column("'client'").label("kind"))
            .order_by(Client.username)
            .all()
        )
    else:
        rows = (
            session.query(Client)
            .join(Client.engagements)
            .join(Engagement.firm)
            .filter(Engagement.status == "approved", Firm.name == firm_name)
            .add_columns(Engagement.kind)
            .order_by(Client.username)
            .all()
        )

    out = sorted([(r[0].username, r[0].email, r[0].legal_name, r[1]) for r in rows])
    return {"clients": out}
"""

_FAS_DUMP_FILES = {
    "firms/__init__.py": "",
    "firms/models.py": _FAS_MODELS,
    "firms/dump.py": _FAS_DUMP,
}

# 12. FAS 5896cd4b: the sponsor queue listed unapproved memberships and read each one's member.

_FAS_FLASK_MODELS = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Firm(db.Model):
    __tablename__ = "firms"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(64), unique=True, nullable=False)


class Client(db.Model):
    __tablename__ = "clients"

    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(64), unique=True, nullable=False)
    legal_name = db.Column(db.String(200))


class Engagement(db.Model):
    __tablename__ = "engagements"

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id"), nullable=False)
    firm_id = db.Column(db.Integer, db.ForeignKey("firms.id"), nullable=False)
    sponsor_id = db.Column(db.Integer, db.ForeignKey("clients.id"), nullable=True)
    status = db.Column(db.String(16), default="unapproved")
    created_at = db.Column(db.DateTime)

    client = db.relationship("Client", foreign_keys=[client_id])
    sponsor = db.relationship("Client", foreign_keys=[sponsor_id])
    firm = db.relationship("Firm")
"""

_FAS_QUEUE = """\
from sqlalchemy import and_

from .models import Engagement, Firm

SORT_MAP = {
    "created": Engagement.created_at,
    "status": Engagement.status,
}


def sponsor_queue(firm_name, order_by="created"):
    pending = (
        Engagement.query.join(Engagement.firm)
        .filter(and_(Firm.name == firm_name, Engagement.status == "unapproved"))
        .order_by(SORT_MAP[order_by])
    )
    queue = []
    for engagement in pending:
        queue.append(
            {
                "username": engagement.client.username,
                "legal_name": engagement.client.legal_name,
                "requested": engagement.created_at.isoformat() if engagement.created_at else None,
            }
        )
    return queue
"""

_FAS_QUEUE_FIXED = """\
from sqlalchemy import and_
from sqlalchemy.orm import joinedload

from .models import Engagement, Firm

SORT_MAP = {
    "created": Engagement.created_at,
    "status": Engagement.status,
}


def sponsor_queue(firm_name, order_by="created"):
    pending = (
        Engagement.query.join(Engagement.firm)
        .filter(and_(Firm.name == firm_name, Engagement.status == "unapproved"))
        .options(joinedload(Engagement.client))
        .order_by(SORT_MAP[order_by])
    )
    queue = []
    for engagement in pending:
        queue.append(
            {
                "username": engagement.client.username,
                "legal_name": engagement.client.legal_name,
                "requested": engagement.created_at.isoformat() if engagement.created_at else None,
            }
        )
    return queue
"""

_FAS_QUEUE_FILES = {
    "firms/__init__.py": "",
    "firms/models.py": _FAS_FLASK_MODELS,
    "firms/queue.py": _FAS_QUEUE,
}

# ---------------------------------------------------------------------------------------------------------
# 13-14. Synapse: raw DB-API storage layer (its own pool / transaction wrapper), handlers calling it.
# ---------------------------------------------------------------------------------------------------------

# 13. Synapse 8a05d5de21: sync handler asked the store, room by room, whether the room was partial-state.

_SYNC_STORE = """\
import sqlite3
from typing import Collection, Dict


class ReconciliationStore:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    async def is_partially_synced(self, account_id: str) -> bool:
        cur = self._conn.execute(
            "SELECT account_id FROM partial_sync_accounts WHERE account_id = ?",
            (account_id,),
        )
        return cur.fetchone() is not None

    async def get_fully_synced_between(self, since: int, until: int, account_ids: Collection[str]) -> set:
        marks = ",".join("?" for _ in account_ids)
        cur = self._conn.execute(
            f"SELECT account_id FROM sync_completions WHERE stream_id > ? AND stream_id <= ? AND account_id IN ({marks})",
            (since, until, *account_ids),
        )
        return {row[0] for row in cur.fetchall()}
"""

_SYNC_STORE_FIXED = """\
import sqlite3
from typing import Collection, Dict


class ReconciliationStore:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    async def is_partially_synced(self, account_id: str) -> bool:
        cur = self._conn.execute(
            "SELECT account_id FROM partial_sync_accounts WHERE account_id = ?",
            (account_id,),
        )
        return cur.fetchone() is not None

    async def are_partially_synced_batched(self, account_ids: Collection[str]) -> Dict[str, bool]:
        ids = list(account_ids)
        if not ids:
            return {}
        marks = ",".join("?" for _ in ids)
        cur = self._conn.execute(
            f"SELECT account_id FROM partial_sync_accounts WHERE account_id IN ({marks})",
            ids,
        )
        partial = {row[0] for row in cur.fetchall()}
        return {account_id: account_id in partial for account_id in ids}

    async def get_fully_synced_between(self, since: int, until: int, account_ids: Collection[str]) -> set:
        marks = ",".join("?" for _ in account_ids)
        cur = self._conn.execute(
            f"SELECT account_id FROM sync_completions WHERE stream_id > ? AND stream_id <= ? AND account_id IN ({marks})",
            (since, until, *account_ids),
        )
        return {row[0] for row in cur.fetchall()}
"""

_SYNC_SERVER = """\
import sqlite3

from .store import ReconciliationStore


class Server:
    def __init__(self, db_path: str):
        self._store = ReconciliationStore(sqlite3.connect(db_path))

    def get_datastore(self) -> ReconciliationStore:
        return self._store
"""

_SYNC_HANDLER = """\
from typing import FrozenSet, Optional, Set


class StatementSyncHandler:
    def __init__(self, server):
        self.store = server.get_datastore()

    async def accounts_to_sync(self, joined_account_ids, lazy: bool, since: Optional[int], now: int) -> FrozenSet[str]:
        mutable_ids = set(joined_account_ids)
        excluded: Set[str] = set()

        if not lazy:
            # eager syncs never include accounts whose statements are still partial
            for account_id in mutable_ids:
                if await self.store.is_partially_synced(account_id):
                    excluded.add(account_id)

        forced: Set[str] = set()
        if since is not None and not lazy:
            completed = await self.store.get_fully_synced_between(since, now, mutable_ids)
            for account_id in completed:
                if not await self.store.is_partially_synced(account_id):
                    forced.add(account_id)

        return frozenset((mutable_ids - excluded) | forced)
"""

_SYNC_HANDLER_FIXED = """\
from typing import FrozenSet, Optional, Set


class StatementSyncHandler:
    def __init__(self, server):
        self.store = server.get_datastore()

    async def accounts_to_sync(self, joined_account_ids, lazy: bool, since: Optional[int], now: int) -> FrozenSet[str]:
        mutable_ids = set(joined_account_ids)
        excluded: Set[str] = set()

        if not lazy:
            results = await self.store.are_partially_synced_batched(mutable_ids)
            excluded.update(account_id for account_id, partial in results.items() if partial)

        forced: Set[str] = set()
        if since is not None and not lazy:
            completed = await self.store.get_fully_synced_between(since, now, mutable_ids)
            results = await self.store.are_partially_synced_batched(completed)
            forced.update(account_id for account_id, partial in results.items() if not partial)

        return frozenset((mutable_ids - excluded) | forced)
"""

_SYNAPSE_SYNC_FILES = {
    "bankfeed/__init__.py": "",
    "bankfeed/store.py": _SYNC_STORE,
    "bankfeed/server.py": _SYNC_SERVER,
    "bankfeed/sync_handler.py": _SYNC_HANDLER,
}

# 14. Synapse de981ae567: one-time keys were claimed (DELETE ... RETURNING) in one transaction per device.

_NUMBERING_POOL = """\
import psycopg2


class DatabasePool:
    def __init__(self, dsn: str):
        self._conn = psycopg2.connect(dsn)

    def run_interaction(self, desc, func, *args, **kwargs):
        with self._conn:
            with self._conn.cursor() as cur:
                return func(cur, *args, **kwargs)
"""

_NUMBERING_STORE = """\
from typing import Dict, Iterable, List, Tuple

from .pool import DatabasePool


class FiscalNumberStore:
    def __init__(self, db_pool: DatabasePool):
        self.db_pool = db_pool

    def claim_reserved_numbers(
        self, requests: Iterable[Tuple[str, str, str, int]]
    ) -> Tuple[Dict[str, Dict[str, List[int]]], List[Tuple[str, str, str, int]]]:
        def _claim_numbers(cur, company_id, branch_id, series, count):
            cur.execute(
                \"\"\"
                DELETE FROM reserved_fiscal_numbers
                WHERE company_id = %s AND branch_id = %s AND series = %s
                  AND number IN (
                    SELECT number FROM reserved_fiscal_numbers
                    WHERE company_id = %s AND branch_id = %s AND series = %s
                    ORDER BY number LIMIT %s
                  )
                RETURNING number
                \"\"\",
                (company_id, branch_id, series, company_id, branch_id, series, count),
            )
            return [row[0] for row in cur.fetchall()]

        results: Dict[str, Dict[str, List[int]]] = {}
        missing: List[Tuple[str, str, str, int]] = []
        for company_id, branch_id, series, count in requests:
            claimed = self.db_pool.run_interaction(
                "claim_reserved_numbers", _claim_numbers, company_id, branch_id, series, count
            )
            if claimed:
                results.setdefault(company_id, {}).setdefault(branch_id, []).extend(claimed)
            count -= len(claimed)
            if count:
                missing.append((company_id, branch_id, series, count))
        return results, missing
"""

_NUMBERING_STORE_FIXED = """\
from typing import Collection, Dict, List, Tuple

from psycopg2.extras import execute_values

from .pool import DatabasePool


class FiscalNumberStore:
    def __init__(self, db_pool: DatabasePool):
        self.db_pool = db_pool

    def claim_reserved_numbers(
        self, requests: Collection[Tuple[str, str, str, int]]
    ) -> Tuple[Dict[str, Dict[str, List[int]]], List[Tuple[str, str, str, int]]]:
        unfulfilled: Dict[Tuple[str, str, str], int] = {}
        for company_id, branch_id, series, count in requests:
            unfulfilled[(company_id, branch_id, series)] = count

        claimed_rows = self.db_pool.run_interaction(
            "claim_reserved_numbers", self._claim_numbers_bulk, requests
        )

        results: Dict[str, Dict[str, List[int]]] = {}
        for company_id, branch_id, series, number in claimed_rows:
            results.setdefault(company_id, {}).setdefault(branch_id, []).append(number)
            unfulfilled[(company_id, branch_id, series)] -= 1

        missing = [(c, b, s, n) for (c, b, s), n in unfulfilled.items() if n > 0]
        return results, missing

    def _claim_numbers_bulk(self, cur, requests: Collection[Tuple[str, str, str, int]]):
        sql = \"\"\"
            WITH wanted(company_id, branch_id, series, claim_count) AS (VALUES %s),
            ranked AS (
                SELECT r.company_id, r.branch_id, r.series, r.number,
                       row_number() OVER (PARTITION BY r.company_id, r.branch_id, r.series ORDER BY r.number) AS rn
                FROM reserved_fiscal_numbers r
                JOIN wanted USING (company_id, branch_id, series)
            )
            DELETE FROM reserved_fiscal_numbers t
            USING ranked, wanted
            WHERE t.company_id = ranked.company_id AND t.branch_id = ranked.branch_id
              AND t.series = ranked.series AND t.number = ranked.number
              AND ranked.company_id = wanted.company_id AND ranked.branch_id = wanted.branch_id
              AND ranked.series = wanted.series AND ranked.rn <= wanted.claim_count
            RETURNING t.company_id, t.branch_id, t.series, t.number
        \"\"\"
        return execute_values(cur, sql, list(requests), fetch=True)
"""

_SYNAPSE_CLAIM_FILES = {
    "fiscal/__init__.py": "",
    "fiscal/pool.py": _NUMBERING_POOL,
    "fiscal/store.py": _NUMBERING_STORE,
}


CASES: list[Case] = [
    Case(
        name="ctfd-member-balance-property",
        source="CTFd/CTFd 98bf240c 'Improve response times of /api/v1/scoreboard significantly (#1470)'",
        kind="method-on-row",
        framework="flask-sqlalchemy",
        files=_CTFD_SCORE_FILES,
        expect=(_loop(_CTFD_SCORE_FILES, "billing/api.py", "for member in firms[i].members:"),),
        fixed={
            "billing/standings.py": _FIRM_STANDINGS_FIXED,
            "billing/api.py": _FIRM_API_FIXED,
        },
    ),
    Case(
        name="ctfd-top-firms-entries-per-row",
        source="CTFd/CTFd ab2de6cf 'Optimize top10 call to make less db hits (#461)'",
        kind="plain",
        framework="flask-sqlalchemy",
        files=_CTFD_TOP_FILES,
        expect=(_loop(_CTFD_TOP_FILES, "scoreboard/views.py", "for i, row in enumerate(standings):"),),
        fixed={"scoreboard/views.py": _TOP_VIEWS_FIXED},
    ),
    Case(
        name="fab-role-grants-base-manager",
        source="dpgaspar/Flask-AppBuilder 5a766189 'fix: improve performance for get role permissions (#1624)'",
        kind="call-graph",
        framework="sqlalchemy",
        files=_FAB_ROLE_GRANTS_FILES,
        expect=(_loop(_FAB_ROLE_GRANTS_FILES, "access/manager.py", "for grant in self.get_db_role_grants(role.id):"),),
        fixed={"access/sqla_manager.py": _ROLE_GRANTS_SQLA_FIXED},
    ),
    Case(
        name="fab-has-access-walks-user-roles",
        source="dpgaspar/Flask-AppBuilder 6bc4690b 'Fix performance issues on permission checks (#1045)'",
        kind="untyped-rows",
        framework="sqlalchemy",
        files=_FAB_HAS_ACCESS_FILES,
        expect=(
            _loop(_FAB_HAS_ACCESS_FILES, "access/manager.py", "for grant in grants:"),
        ),
        fixed={
            "access/manager.py": _HAS_ACCESS_BASE_FIXED,
            "access/sqla_manager.py": _HAS_ACCESS_SQLA_FIXED,
        },
    ),
    Case(
        name="fab-grant-repr-reads-relations",
        source="dpgaspar/Flask-AppBuilder 5aae9b68 'fix: performance issues on user and roles list (#2209)'",
        kind="method-on-row",
        framework="sqlalchemy",
        files=_FAB_REPR_FILES,
        expect=(_loop(_FAB_REPR_FILES, "access/views.py", "[repr(grant) for grant in role.grants]"),),
        fixed={"access/models.py": _GRANT_MODELS_JOINED},
    ),
    Case(
        name="faraday-csv-export-helpers",
        source="infobyte/faraday f00d313d5 'Reduced number of queries needed for export'",
        kind="call-graph",
        framework="flask-sqlalchemy",
        files=_FARADAY_EXPORT_FILES,
        expect=(_loop(_FARADAY_EXPORT_FILES, "reports/export.py", "for receipt in receipts:"),),
        fixed={"reports/export.py": _EXPORT_FIXED},
    ),
    Case(
        name="faraday-schema-trade-names",
        source="infobyte/faraday 9409af6f2 'Fix n+1 issues in vulns API (hostnames field)'",
        kind="method-on-row",
        framework="sqlalchemy",
        files=_FARADAY_TRADE_FILES,
        expect=(_loop(_FARADAY_TRADE_FILES, "ledger/schemas.py", "return [self.dump(entry) for entry in entries]"),),
        fixed={"ledger/views.py": _ENTRY_VIEW_FIXED},
    ),
    Case(
        name="faraday-deferred-count-properties",
        source="infobyte/faraday 46efecb27 'Add more joinedloads and undefers' (also 0a29e4565 'Add eagerload/undefer to index')",
        kind="deferred",
        framework="sqlalchemy",
        files=_FARADAY_DEFERRED_FILES,
        expect=(_loop(_FARADAY_DEFERRED_FILES, "crm/views.py", "for client in clients:"),),
        fixed={"crm/views.py": _COUNT_VIEW_FIXED},
    ),
    Case(
        name="faraday-declared-attr-creator",
        source="infobyte/faraday c350387f6 'Add creator joinedload in APIs of objects with metadata'",
        kind="model-registry",
        framework="sqlalchemy",
        files=_FARADAY_CREATOR_FILES,
        expect=(_loop(_FARADAY_CREATOR_FILES, "books/api/base.py", "return [self._dump(obj) for obj in objects]"),),
        fixed={"books/api/base.py": _META_BASE_FIXED},
    ),
    Case(
        name="mealie-generic-repo-page-all",
        source="mealie-recipes/mealie 9d35b0923 'fix performance issues on /api/foods (#2163)'",
        kind="call-graph",
        framework="sqlalchemy",
        files=_MEALIE_FILES,
        expect=(_loop(_MEALIE_FILES, "catalog/repository_generic.py", "items=[eff_schema.from_orm(s) for s in data],"),),
        fixed={
            "catalog/repository_generic.py": _GENERIC_REPO_FIXED,
            "catalog/repository_products.py": _PRODUCT_REPO_FIXED,
        },
    ),
    Case(
        name="fas-firm-dump-backrefs",
        source="fedora-infra/fas f6b8072d '* Fix return from /accounts/group/dump to include role_type. ...' "
        "(reduces the dump from one query per person to one)",
        kind="model-registry",
        framework="sqlalchemy",
        files=_FAS_DUMP_FILES,
        expect=(_loop(_FAS_DUMP_FILES, "firms/dump.py", "for engagement in firm.engagements:"),),
        fixed={"firms/dump.py": _FAS_DUMP_FIXED},
    ),
    Case(
        name="fas-sponsor-queue-member",
        source="fedora-infra/fas 5896cd4b 'Eliminate one occurance of the N+1 Query problem.'",
        kind="plain",
        framework="flask-sqlalchemy",
        files=_FAS_QUEUE_FILES,
        expect=(_loop(_FAS_QUEUE_FILES, "firms/queue.py", "for engagement in pending:"),),
        fixed={"firms/queue.py": _FAS_QUEUE_FIXED},
    ),
    Case(
        name="synapse-partial-sync-per-account",
        source="matrix-org/synapse 8a05d5de21 'Batch look-ups to see if rooms are partial stated. (#14917)'",
        kind="call-graph",
        framework="dbapi",
        files=_SYNAPSE_SYNC_FILES,
        expect=(
            _loop(_SYNAPSE_SYNC_FILES, "bankfeed/sync_handler.py", "for account_id in mutable_ids:"),
            _loop(_SYNAPSE_SYNC_FILES, "bankfeed/sync_handler.py", "for account_id in completed:"),
        ),
        fixed={
            "bankfeed/store.py": _SYNC_STORE_FIXED,
            "bankfeed/sync_handler.py": _SYNC_HANDLER_FIXED,
        },
    ),
    Case(
        name="synapse-claim-numbers-per-request",
        source="matrix-org/synapse de981ae567 'Claim local one-time-keys in bulk (#16565)'",
        kind="helper-write",
        framework="dbapi",
        files=_SYNAPSE_CLAIM_FILES,
        expect=(_loop(_SYNAPSE_CLAIM_FILES, "fiscal/store.py", "for company_id, branch_id, series, count in requests:"),),
        fixed={"fiscal/store.py": _NUMBERING_STORE_FIXED},
    ),
]
