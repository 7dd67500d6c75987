"""Serializers that drop the fields a caller leaves out (issue 15, round 84): a project's `DynamicFieldsModelSerializer`
base (or django-restql's) takes `fields=[...]`, and serialising then reads only those fields. UK Trade Remedies'
`UserSerializer(user, fields=["name", "email"])` and nested `OrganisationSerializer(fields=skinny_organisation_fields)`
never ran the method fields left out: 8 findings through them judged false. Each negative's positive twin passes no
`fields=`."""

_MODELS = '''
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=40)
    email = models.CharField(max_length=40)


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
'''
_SERIALIZERS = '''
from rest_framework import serializers
from .models import Client, Invoice


class DynamicFieldsModelSerializer(serializers.ModelSerializer):
    def __init__(self, *args, **kwargs):
        fields = kwargs.pop("fields", None)
        super().__init__(*args, **kwargs)
        if fields is not None:
            for name in set(self.fields) - set(fields):
                self.fields.pop(name)


class ClientSerializer(DynamicFieldsModelSerializer):
    open_invoices = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = ["name", "email", "open_invoices"]

    def get_open_invoices(self, obj):
        return Invoice.objects.filter(client=obj).count()


CONTACT_FIELDS = ["name", "email"]


class InvoiceSerializer(serializers.ModelSerializer):
    client = ClientSerializer(fields=CONTACT_FIELDS)

    class Meta:
        model = Invoice
        fields = ["id", "client"]
'''
_VIEWS = '''
from .models import Client, Invoice
from .serializers import ClientSerializer, InvoiceSerializer


def contacts(request):
    return ClientSerializer(Client.objects.all(), many=True, fields=["name", "email"]).data


def contact_cards(request):
    return [ClientSerializer(client, fields=("name", "email")).data for client in Client.objects.all()]


def invoices(request):
    return InvoiceSerializer(Invoice.objects.select_related("client"), many=True).data
'''
_URLS = "from .views import contact_cards, contacts, invoices\nurlpatterns = [contacts, contact_cards, invoices]\n"


def _app(views: str, serializers: str = _SERIALIZERS) -> dict[str, str]:
    return {"manage.py": "", "billing/__init__.py": "", "billing/models.py": _MODELS, "billing/serializers.py": serializers,
            "billing/views.py": views, "billing/urls.py": _URLS}


NP102_DYNAMIC_FIELDS_NEGATIVE = [_app(_VIEWS)]
NP102_DYNAMIC_FIELDS_POSITIVE = [_app(_VIEWS.replace(', fields=["name", "email"]', "").replace(', fields=("name", "email")', ""),
                                      _SERIALIZERS.replace("ClientSerializer(fields=CONTACT_FIELDS)", "ClientSerializer()"))]

# a serializer whose own `__init__` keeps a default set of fields when the caller passes none (Thalia's event
# registrations: `kwargs.pop("fields", {"pk", "member", "name"})`, round 118: the `payment` it declares judged false on
# the list view that passes no `fields=`); the twin keeps every field by default (`kwargs.pop("fields", None)`)
_DEFAULT_FIELDS = '''
from rest_framework import generics, serializers
from .models import Client, Invoice


class InvoiceSerializer(serializers.ModelSerializer):
    def __init__(self, *args, **kwargs):
        fields = kwargs.pop("fields", {"id", "number"})
        super().__init__(*args, **kwargs)
        for name in set(self.fields) - set(fields or self.fields):
            self.fields.pop(name)

    client = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "number", "client"]

    def get_client(self, obj):
        return obj.client.name


class InvoiceList(generics.ListAPIView):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
'''
_DEFAULT_MODELS = _MODELS.replace("class Invoice(models.Model):\n", "class Invoice(models.Model):\n    number = models.CharField(max_length=20)\n")


def _default_app(views: str) -> dict[str, str]:
    return {"manage.py": "", "billing/__init__.py": "", "billing/models.py": _DEFAULT_MODELS, "billing/views.py": views,
            "billing/urls.py": "from .views import InvoiceList\nurlpatterns = [InvoiceList.as_view()]\n"}


NP103_DEFAULT_FIELDS_NEGATIVE = [_default_app(_DEFAULT_FIELDS)]
NP103_DEFAULT_FIELDS_POSITIVE = [_default_app(_DEFAULT_FIELDS.replace('{"id", "number"}', "None")),
                                 _default_app(_DEFAULT_FIELDS.replace('{"id", "number"}', '{"id", "client"}'))]
