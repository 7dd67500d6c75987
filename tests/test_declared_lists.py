"""Eager-loading lists read over the project (lookup_lists.py, serializers.view_lists, admin.row_prefetch): a viewset's
lists inherited from a project base, built from other lists (module constants, another class's list, a comprehension
that prefixes each lookup, Prefetch objects with an inner select_related), the registered admin's
`list_select_related` merged by a base viewset, admins whose ModelAdmin base is the project's own class, and an
import-export resource's per-row method run on its admin's export queryset.
Each test: the served case is silent, and the relation left out is still reported (exact rule, line, read)."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules.declared_examples import DECLARED_NEGATIVE, DECLARED_POSITIVE
from mcp_server.rules.row_examples import SERIALIZERS, billing_app


def _np(files: dict[str, str]) -> list[tuple[str, str, int, str]]:
    return sorted((f.rule, f.location.path, f.location.line, f.message.split(" ")[0]) for f in scan_sources(files, select=["NP"]).findings)


def test_built_inherited_and_admin_merged_lists_serve_the_rows():
    for files in DECLARED_NEGATIVE:
        assert _np(files) == []


def test_what_the_inherited_list_leaves_out_is_reported():
    assert _np(DECLARED_POSITIVE[0]) == [("NP103", "billing/serializers.py", 14, "`obj.client`")]


def test_an_admin_base_that_is_not_a_model_admin_serves_nothing():
    assert _np(DECLARED_POSITIVE[1]) == [("NP103", "billing/views.py", 7, "`inv.payments.all()`")]


def test_an_export_queryset_without_the_payments_leaves_the_resource_reported():
    assert _np(DECLARED_POSITIVE[2]) == [("NP103", "billing/resources.py", 8, "`inv.payments.all()`")]


_OWNER_SERIALIZERS = '''
from rest_framework import serializers
from .models import Client, Invoice, Payment


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "amount"]


class InvoiceSerializer(serializers.ModelSerializer):
    payments = PaymentSerializer(many=True)

    class Meta:
        model = Invoice
        fields = ["id", "payments"]


class ClientSerializer(serializers.ModelSerializer):
    invoices = InvoiceSerializer(many=True)

    class Meta:
        model = Client
        fields = ["id", "invoices"]
'''

_PREFIXED = '''
from rest_framework import viewsets
from .models import Client, Invoice
from .serializers import ClientSerializer, InvoiceSerializer


class InvoiceViewSet(viewsets.ModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
    prefetch_related = {invoice}


class ClientViewSet(viewsets.ModelViewSet):
    queryset = Client.objects.all()
    serializer_class = ClientSerializer
    prefetch_related = ["invoices"] + [{spelling} for name in InvoiceViewSet.prefetch_related]
'''


def test_a_comprehension_prefixing_another_views_list():
    files = lambda invoice, spelling: billing_app(_PREFIXED.format(invoice=invoice, spelling=spelling),  # noqa: E731
                                           **{"billing/serializers.py": _OWNER_SERIALIZERS})
    for spelling in ('"invoices__{}".format(name)', 'f"invoices__{name}"', '"invoices__" + name'):
        assert _np(files('["payments"]', spelling)) == []
    # the other view's list lacks payments: the client list serialises each invoice's payments per row, and so does
    # the invoice list itself
    assert _np(files('["client"]', '"invoices__{}".format(name)')) == [("NP103", "billing/serializers.py", 13, "`obj.payments`")]


_PREFETCH_OBJECT = '''
from django.db.models import Prefetch
from rest_framework import serializers, viewsets
from .models import Invoice, Payment


class PaymentSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="invoice.client.name")

    class Meta:
        model = Payment
        fields = ["id", "client_name"]


class PaymentViewSet(viewsets.ModelViewSet):
    queryset = Payment.objects.all()
    serializer_class = PaymentSerializer
    prefetch_related = SHARED + [Prefetch("invoice", queryset=Invoice.objects.{inner})]


SHARED = []
'''


def test_a_prefetch_object_with_an_inner_query_loads_below_its_lookup():
    assert _np(billing_app(_PREFETCH_OBJECT.format(inner='select_related("client")'))) == []
    assert _np(billing_app(_PREFETCH_OBJECT.format(inner="all()"))) == [("NP103", "billing/views.py", 8, "`obj.invoice.client`")]


def test_a_list_the_project_does_not_define_promises_nothing_it_cannot_read():
    # a library constant joined to the list: what it holds is unknown, so no finding contradicts it
    code = _PREFIXED.format(invoice='["client"]', spelling='"invoices__{}".format(name)').replace(
        'prefetch_related = ["invoices"] +', 'prefetch_related = LIBRARY_DEFAULTS + ["invoices"] +').replace(
        "from rest_framework import viewsets", "from rest_framework import viewsets\nfrom somelib.defaults import LIBRARY_DEFAULTS")
    found = _np(billing_app(code, **{"billing/serializers.py": _OWNER_SERIALIZERS}))
    # only the invoice view's own rows are still reported: the client view's list holds an unknown part
    assert found == [("NP103", "billing/serializers.py", 13, "`obj.payments`")]
    assert all("ClientViewSet" not in f.message for f in scan_sources(billing_app(code, **{"billing/serializers.py": _OWNER_SERIALIZERS}), select=["NP"]).findings)


def test_a_project_prefetch_variant_taking_lists_per_model():
    # `polymorphic_prefetch_related(Client=[...])`: a project's queryset method named after prefetch_related
    from mcp_server.rules.declared_examples import _EXPORT_ADMIN, _RESOURCE
    admin = _EXPORT_ADMIN.format(lookups="").replace("Client.objects.prefetch_related()", 'Client.objects.all().polymorphic_prefetch_related(Client={lists})')
    served = billing_app("", **{"billing/admin.py": admin.format(lists='["invoices__payments"]'), "billing/resources.py": _RESOURCE})
    assert _np(served) == []
    short = billing_app("", **{"billing/admin.py": admin.format(lists='["invoices"]'), "billing/resources.py": _RESOURCE})
    assert _np(short) == [("NP103", "billing/resources.py", 8, "`inv.payments.all()`")]
