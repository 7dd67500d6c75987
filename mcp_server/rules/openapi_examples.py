"""A handler only an OpenAPI document routes to (openapi_specs.py): Connexion maps `operationId: app.handlers.list_items`
to the function, with no import or call in Python. Its query per item is reported as any route's is; without the
document, nothing names the handler and the finding is `low`, as unused code's (the Massachusetts PFML API routes its
handlers so, round 187)."""

_MODELS = '''from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Client(Base):
    __tablename__ = "client"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


class Invoice(Base):
    __tablename__ = "invoice"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
'''

_HANDLERS = '''from sqlalchemy import select

from .db import Session
from .models import Client, Invoice


def list_invoices():
    with Session() as session:
        return [{"id": inv.id, "client": session.get(Client, inv.client_id).name}
                for inv in session.scalars(select(Invoice)).all()]
'''

_SPEC = '''openapi: 3.0.0
paths:
  /invoices:
    get:
      operationId: {operation}
'''

_APP = {"Dockerfile": 'FROM python:3.11\nCMD ["gunicorn", "billing.main:app"]\n', "billing/__init__.py": "",
        "billing/db.py": "from sqlalchemy.orm import sessionmaker\n\nSession = sessionmaker()\n", "billing/models.py": _MODELS,
        "billing/handlers.py": _HANDLERS,
        "billing/main.py": 'import connexion\n\napp = connexion.App(__name__)\napp.add_api("openapi.yaml")\n'}

NP101_ROUTED_BY_SPEC = {**_APP, "openapi.yaml": _SPEC.format(operation="billing.handlers.list_invoices")}
NP101_ROUTED_BY_CONTROLLER = {**_APP, "openapi.yaml": _SPEC.format(operation="list_invoices").replace(
    "    get:\n", "    get:\n      x-openapi-router-controller: billing.handlers\n")}
NP101_NAMED_BY_NOTHING = _APP
# the document beside the module it routes to, under the same name (`billing/handlers.yaml` and `billing/handlers.py`,
# as Ship It keeps `public/api.yml` by `public/api.py`, round 212: the scan failed on it); still routed, still found
NP101_SPEC_BESIDE_ITS_MODULE = {**_APP, "billing/handlers.yaml": _SPEC.format(operation="billing.handlers.list_invoices")}
