"""A query per item of a request payload's list (analysis/payloads.py): `for c in invoice_in.clients:` where
`invoice_in` is a pydantic model FastAPI validated is `low`, with the reason; the same loop over a plain class's
attribute is `low` for another reason (the related rows of one object, analysis/one_object.py). Both are positives (flagged, at the severity
tests/test_payloads.py checks)."""

from .one_off_examples import books_app

_SERVICE = '''
from .models import Client
from .schemas import InvoiceCreate


def get_by_name(db_session, name):
    return db_session.query(Client).filter(Client.name == name).one_or_none()


def create(*, db_session, invoice_in: InvoiceCreate):
    clients = []
    for c in invoice_in.clients:
        clients.append(get_by_name(db_session, c.name))
    return clients
'''
# the schema derives from pydantic's BaseModel through a project base, as FastAPI projects write them
NP102_PAYLOAD_LOWERED = books_app(**{"books/schemas.py": '''
from pydantic import BaseModel


class AppBase(BaseModel):
    pass


class InvoiceCreate(AppBase):
    clients: list = []
''', "books/service.py": _SERVICE})
NP102_PLAIN_CLASS_KEPT = books_app(**{"books/schemas.py": "class InvoiceCreate:\n    clients: list = []\n", "books/service.py": _SERVICE})
