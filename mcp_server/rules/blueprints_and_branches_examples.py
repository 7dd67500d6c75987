"""Rounds 283 to 294: Flask blueprints nothing registers, values filled once in a loop, conditional loader options, and
counts that are no money.

- a Flask blueprint no module imports, where the application registers the others (the WartungsManager: 7 judged DEAD);
- `if ... and featured is None: featured = event.overview()`: filled once in the loop (UNC CS Experience Labs: judged
  false); not a fallback under `if product is None:` that each pass binds anew (checked on every application);
- `total_codes * 0.05`, a share of tariff codes counted, is no money (a customs portal: 3 PF701 judged false);
- `selectinload(A.rates) if full else selectinload(A.rates).raiseload()`: loaded either way (the same portal: 2 NP104
  judged PREFETCHED);
- a connection made below `if self._loaded: return`, the flag set once loaded: once per object (RetrieverShop's
  settings store, a module's one instance: 3 PF502 judged CACHED).
"""

# NP104: the flask blueprint nobody imports, where the application registers the others'; the same blueprint registered
_FLASK_APP = '''from flask import Flask

from app.routes.customers import customers_bp{more}


def create_app():
    app = Flask(__name__)
    app.register_blueprint(customers_bp)
{register}    return app
'''
_CUSTOMERS = '''from flask import Blueprint

customers_bp = Blueprint("customers", __name__)


@customers_bp.route("/customers")
def customers():
    return []
'''
_CYLINDERS = '''from flask import Blueprint, jsonify

from app.store.tables import Cylinder

cylinders_bp = Blueprint("cylinders", __name__)


@cylinders_bp.route("/cylinders/due")
def due():
    return jsonify([{"id": c.id, "owner": c.owner.name} for c in Cylinder.query.all()])
'''
_CYLINDER_MODELS = '''from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Owner(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80))


class Cylinder(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    owner_id = db.Column(db.Integer, db.ForeignKey("owner.id"))
    owner = db.relationship(Owner)
'''


def _blueprints(registered: bool) -> dict[str, str]:
    app = _FLASK_APP.format(more="\nfrom app.routes.cylinders import cylinders_bp" if registered else "",
                            register="    app.register_blueprint(cylinders_bp)\n" if registered else "")
    return {"Dockerfile": 'CMD ["gunicorn", "app:create_app()"]\n', "app/__init__.py": app, "app/store/__init__.py": "", "app/store/tables.py": _CYLINDER_MODELS,
            "app/routes/__init__.py": "", "app/routes/customers.py": _CUSTOMERS, "app/routes/cylinders.py": _CYLINDERS}


NP104_BLUEPRINT_NOBODY_REGISTERS = _blueprints(False)  # (low) looks unused
NP104_BLUEPRINT_REGISTERED = _blueprints(True)  # (high)

# NP104: the featured event, filled once in the loop; the same read for every event
_EVENTS = '''from sqlalchemy import Column, ForeignKey, Integer, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Registration(Base):
    __tablename__ = "registration"
    id = Column(Integer, primary_key=True)
    event_id = Column(Integer, ForeignKey("event.id"))


class EventEntity(Base):
    __tablename__ = "event"
    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer)
    registrations = relationship(Registration)

    def overview(self):
        return {{"id": self.id, "registered": len(self.registrations)}}


def featured_event(session: Session, preferred):
    featured = None
    for event in session.scalars(select(EventEntity).limit(50)).all():
        if event.organization_id in preferred{once}:
            featured = event.overview()
    return featured
'''
NP104_FILLED_ONCE = _EVENTS.format(once=" and featured is None")
NP104_FILLED_EACH_TIME = _EVENTS.format(once="")  # (high) the last preferred event's overview, each one's built

# NP101: a fallback query under `if product is None:`, where each pass binds `product` anew: per item, not once
NP101_FALLBACK_EACH_PASS = '''from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Order, Product


async def order_eans(db: AsyncSession, user_id):
    found = []
    for order in (await db.execute(select(Order).where(Order.user_id == user_id))).scalars().all():
        for product_id in order.product_ids:
            product = (await db.execute(select(Product).where(Product.id == product_id, Product.user_id == user_id))).scalars().first()
            if product is None:
                product = (await db.execute(select(Product).where(Product.id == product_id))).scalars().first()
            found.append(product.ean)
    return found
'''

# PF701: five percent of a count of codes, in a module that keeps money in Decimal; five percent of the fees
_EXPORT_CHECK = '''from decimal import Decimal


def check(cursor, fee: Decimal):
    total_{what} = cursor.execute("SELECT COUNT(*) FROM export_codes").fetchone()[0]
    return total_{what} * 0.05, fee
'''
PF701_SHARE_OF_CODES = _EXPORT_CHECK.format(what="codes")
PF701_SHARE_OF_FEES = _EXPORT_CHECK.format(what="fees")  # (high)

# NP104: rates loaded by both branches of a conditional option; by one branch only
_COMPARE = '''from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import declarative_base, lazyload, relationship, selectinload

Base = declarative_base()


class DutyRate(Base):
    __tablename__ = "duty_rate"
    id = Column(Integer, primary_key=True)
    code_id = Column(Integer, ForeignKey("tariff_code.id"))


class TariffCode(Base):
    __tablename__ = "tariff_code"
    id = Column(Integer, primary_key=True)
    hs_code = Column(String)
    duty_rates = relationship(DutyRate)


async def compare(db, codes, full: bool):
    stmt = select(TariffCode).options(selectinload(TariffCode.duty_rates) if full else {other}).where(TariffCode.hs_code.in_(codes))
    return [len(code.duty_rates) for code in (await db.execute(stmt)).scalars().all()]
'''
NP104_LOADED_BY_BOTH_BRANCHES = _COMPARE.format(other="selectinload(TariffCode.duty_rates).raiseload()")
NP104_LOADED_BY_ONE_BRANCH = _COMPARE.format(other="lazyload(TariffCode.duty_rates)")  # (high)

# PF502: settings loaded through a connection below `if self._loaded: return` on the module's one store; the same
# store loading on every read
_SETTINGS = '''import sqlite3


class SettingsStore:
    def __init__(self):
        self._loaded = False
        self._values = {{}}

    def _load_from_db(self):
        with sqlite3.connect("settings.db") as conn:
            return dict(conn.execute("SELECT key, value FROM app_settings").fetchall())

    def _ensure_loaded(self):
{guard}        self._values = self._load_from_db()
        self._loaded = True

    def get(self, key):
        self._ensure_loaded()
        return self._values.get(key)


settings_store = SettingsStore()


def push_stock(products):
    for product in products:
        product.token = settings_store.get("woo_token")
'''
PF502_LOADED_ONCE = _SETTINGS.format(guard="        if self._loaded:\n            return\n")
PF502_LOADED_ON_EVERY_READ = _SETTINGS.format(guard="")  # (high)

