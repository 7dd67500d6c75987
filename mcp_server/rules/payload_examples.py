"""A query per item of a request payload's list (analysis/payloads.py): `for c in invoice_in.clients:` where
`invoice_in` is a pydantic model FastAPI validated is `low`, with the reason; the same loop over a plain class's
attribute is `low` for another reason (the related rows of one object, analysis/one_object.py). Both are positives (flagged, at the severity
tests/test_payloads.py checks)."""

from .one_off_examples import books_app
from .row_examples import CLIENT_NAME_SERIALIZER, billing_app

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


# A subclass whose `Meta.fields` is written from its base's, minus the slow fields (Zamboni's `SimpleAppSerializer`,
# round 110: judged false where it was read as the base's whole list): its list view reads no client
LEAN_SERIALIZER = CLIENT_NAME_SERIALIZER + '''

class InvoiceTotalsSerializer(InvoiceSerializer):
    class Meta(InvoiceSerializer.Meta):
        fields = {fields}
'''
LEAN_VIEW = '''
from rest_framework import generics
from .models import Invoice
from .serializers import InvoiceTotalsSerializer


class InvoiceTotals(generics.ListAPIView):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceTotalsSerializer
'''
# the same fields left out three ways; and the base's list with one more field added, which keeps the client
LEAN_FIELDS = ['list(set(InvoiceSerializer.Meta.fields) - {"client_name"})',
               '[f for f in InvoiceSerializer.Meta.fields if f not in ("client_name", "notes")]',
               'tuple(f for f in InvoiceSerializer.Meta.fields if f in ["id", "total"])']
FULL_FIELDS = 'InvoiceSerializer.Meta.fields + ["number"]'


def lean_app(fields: str) -> dict[str, str]:
    return billing_app(LEAN_VIEW, **{"billing/serializers.py": LEAN_SERIALIZER.format(fields=fields)})


NP103_LEAN_FIELDS_NEGATIVE = [lean_app(fields) for fields in LEAN_FIELDS]
NP103_BASE_FIELDS_POSITIVE = [lean_app(FULL_FIELDS)]
