"""Rounds 313 to 330 (issue 15, stop 79): rates that are no amounts, type hints that convert nothing, comparisons a
float cannot change, a tenant's schema chosen by SQL, and a back end deployed from its own folder.

- a VAT or ICMS rate declared a float (`vat_rate`, `aliquota_iva`): `low`, saying why (words.is_rate; a dental
  clinic's budgets and an Italian e-invoicing tool, rounds 313 and 314: 5 judged false; 14 before, none worth a fix);
- a float type hint on a record's field (a response schema, a dataclass) and a `total = 0.0` accumulator: `low`
  (43 and 16 judged in rounds 184 to 312, none worth a fix; an e-invoicing back end's 30 schemas in round 314);
- `float(total) > 50000`, `<= B2CL_THRESHOLD` of a whole number: ranks as the Decimal does (a GST biller, round 314);
- `SET search_path TO {schema}` in a loop: a statement with unchanged arguments reads another tenant's tables on each
  pass, so PF301 does not offer to hoist it; the query per tenant is still NP101's (a dental SaaS, round 313);
- `backend/Dockerfile` beside `frontend/`: the back end is a deployed application, so a helper nothing calls is
  lowered (an insurance broker's FastAPI back end, round 317);
- a serializer's `get_<field>` whose `SerializerMethodField` is commented out: DRF never calls it (an archive's
  `EntitySerializer.get_metadata`, round 319: 5 judged DEAD);
- `first()` of prefetched rows of a django-ordered-model `OrderedModel`: ordered by its Meta, it reads the prefetch
  (eScriptorium's document list, round 319);
- `elif self.action == "update" or self.action == "partial_update":` in `get_serializer_class()`: a branch the list does
  not take (a psychology clinic's profiles, round 325);
- a `ListCreateAPIView` whose own `get()` answers with `Response(qs.values(...))`: its serializer lists nothing (the Land
  Matrix's deal scores, round 328);
- a queryset bound in a loop to a name no statement of the loop reads: evaluated after the loop, once (Ofsted's
  application exporter, round 330);
- `filter(date=..., commune_id=...).update(**line)`: a field named as a lookup (`date`) no longer stops the scan of its
  module (ActionPopulaire's statistics, found by the regression).
"""

from .intent_examples import NP103_CREATE_SERIALIZER
from .own_object_examples import served_app

# PF701: a rate declared a float is `low`; an amount beside it, in another model, keeps its severity
_BUDGETS = '''from decimal import Decimal

from sqlalchemy import Column, Float, Integer, Numeric
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class BudgetItem(Base):
    __tablename__ = "budget_items"
    id = Column(Integer, primary_key=True)
    unit_price = Column(Numeric(10, 2))
    {field} = Column(Float)


def line_total(item: BudgetItem) -> Decimal:
    return item.unit_price * (1 + Decimal(str(item.{field})) / 100)
'''
PF701_RATE_COLUMN = _BUDGETS.format(field="vat_rate")
PF701_AMOUNT_COLUMN = _BUDGETS.format(field="discount_amount")

# PF701: a rate parameter typed float, checked against its bounds and made a Decimal from its text: `low`
PF701_RATE_PARAMETER = '''from decimal import Decimal


def create_product(code: str, unit_price: Decimal, aliquota_iva: float = 22.0) -> dict:
    if aliquota_iva < 0 or aliquota_iva > 100:
        return {"success": False, "error": "aliquota_iva must be between 0 and 100"}
    return {"code": code, "price": unit_price, "aliquota_iva": Decimal(str(aliquota_iva))}
'''

# PF701: a response schema's float money field is `low`, the type hint converting only what JSON carries
PF701_SCHEMA_HINT = '''from decimal import Decimal

from pydantic import BaseModel


class InvoiceOut(BaseModel):
    number: str
    subtotal_amount: float
    tax_amount: float


def to_out(invoice) -> InvoiceOut:
    return InvoiceOut(number=invoice.number, subtotal_amount=invoice.subtotal, tax_amount=invoice.tax)
'''

# PF701: `float(total)` compared with a whole number ranks as the Decimal would: no finding; against a bound with
# cents, the float may land on the wrong side of it
_EWAY = '''from decimal import Decimal

from django.db import models

from .constants import {constant}


class Invoice(models.Model):
    total_amount = models.DecimalField(max_digits=12, decimal_places=2)


def eway_bill(invoice):
    return {{"requires_eway": float(invoice.total_amount) > 50000}}


def b2cl(invoice):
    return float(invoice.total_amount) > {constant}
'''
PF701_AGAINST_WHOLE_NUMBERS = {"billing/__init__.py": "", "billing/constants.py": "B2CL_THRESHOLD = 100000\n",
                               "billing/views.py": _EWAY.format(constant="B2CL_THRESHOLD")}
PF701_AGAINST_CENTS = {"billing/__init__.py": "", "billing/constants.py": "from decimal import Decimal\n\nB2CL_THRESHOLD = Decimal('2500.50')\n",
                       "billing/views.py": _EWAY.format(constant="B2CL_THRESHOLD")}

# PF301: the same statement in a loop that sets each tenant's schema first reads another tenant's tables on each pass;
# without the `SET`, it fetches the same rows again. NP101 reports the query per tenant either way.
_TOKENS = '''from sqlalchemy import select, text

from .models import Tenant, UserSession


async def find_session(db, token_hash):
    tenants = (await db.execute(select(Tenant).where(Tenant.status == "active"))).scalars().all()
    for tenant in tenants:
{switch}        result = await db.execute(text("SELECT id FROM user_sessions WHERE refresh_token_hash = 'x'"))
        if result.scalar_one_or_none() is not None:
            return tenant
    return None
'''
_MODELS = {"accounts/__init__.py": "", "accounts/models.py": "class Tenant:\n    pass\n\n\nclass UserSession:\n    pass\n"}
PF301_PER_TENANT_SCHEMA = {**_MODELS, "accounts/tokens.py": _TOKENS.format(
    switch='        await db.execute(text(f"SET search_path TO {tenant.schema_name}, public"))\n')}
PF301_SAME_SCHEMA = {**_MODELS, "accounts/tokens.py": _TOKENS.format(switch="")}

# NP101: a FastAPI back end in `backend/`, deployed by `backend/Dockerfile`: a report nothing but its test calls is
# lowered as unused; a `docker/` folder with no code of its own builds a tool, not the project
_BACKEND = {f"backend/{path}": text for path, text in served_app({}).items()}  # the same ledger, one folder down
NP101_BACKEND_FOLDER_DEPLOYED = {**_BACKEND, "backend/Dockerfile": "FROM python:3.12-slim\nCMD [\"uvicorn\", \"ledger.app:app\"]\n"}
NP101_TOOL_FOLDER_BUILT = {**_BACKEND, "docker/Dockerfile": "FROM python:3.12-slim\n"}

# NP103: a serializer's method for a field it no longer declares runs for nobody (lowered, found at low); declared, high
_ENTITIES = '''from rest_framework import serializers

from .models import Entity


class EntitySerializer(serializers.ModelSerializer):
{declared}
    def get_metadata(self, obj):
        return [identity.language.name for identity in obj.identities.all()]

    class Meta:
        model = Entity
        fields = ["id", "name"{listed}]
'''
_ENTITY_MODELS = '''from django.db import models


class Language(models.Model):
    name = models.CharField(max_length=40)


class Entity(models.Model):
    name = models.CharField(max_length=80)


class Identity(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="identities")
    language = models.ForeignKey(Language, on_delete=models.CASCADE)
'''
_ENTITY_VIEWS = '''from rest_framework import viewsets

from .models import Entity
from .serializers import EntitySerializer


class EntityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Entity.objects.all()
    serializer_class = EntitySerializer
'''
_ARCHIVE = {"manage.py": "", "archive/__init__.py": "", "archive/models.py": _ENTITY_MODELS, "archive/views.py": _ENTITY_VIEWS,
            "archive/urls.py": "from rest_framework import routers\n\nfrom .views import EntityViewSet\n\nrouter = routers.DefaultRouter()\n"
                               "router.register(\"entities\", EntityViewSet)\nurlpatterns = router.urls\n"}
NP103_METHOD_FIELD_COMMENTED_OUT = {**_ARCHIVE, "archive/serializers.py": _ENTITIES.format(
    declared="    # metadata = serializers.SerializerMethodField()\n", listed="")}
NP103_METHOD_FIELD_DECLARED = {**_ARCHIVE, "archive/serializers.py": _ENTITIES.format(
    declared="    metadata = serializers.SerializerMethodField()\n", listed=', "metadata"')}
# ... nor when a method of the serializer calls it, which DRF's `validate()` may reach (AgroMap's contours)
NP103_METHOD_CALLED_BY_A_HOOK = {**_ARCHIVE, "archive/serializers.py": _ENTITIES.format(
    declared="    def validate(self, attrs):\n        self._check(attrs)\n        return attrs\n\n"
             "    def _check(self, attrs):\n        if not self.get_metadata(attrs[\"entity\"]):\n            raise ValueError(\"no metadata\")\n", listed="")}

# NP103: `first()` of the prefetched pages of a document, pages being django-ordered-model rows: no query; with a Meta
# of their own that drops the base's ordering, `first()` orders by the key and queries
_PAGES = '''from django.db import models
from ordered_model.models import OrderedModel


class Document(models.Model):
    name = models.CharField(max_length=80)


class DocumentPart(OrderedModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="parts")
    order_with_respect_to = "document"

    class Meta{meta}:
        verbose_name = "page"
'''
_COVERS = '''from .models import Document


def covers():
    return {d.pk: d.parts.first() for d in Document.objects.prefetch_related("parts")}
'''
NP103_ORDERED_MODEL_FIRST = {"library/__init__.py": "", "library/models.py": _PAGES.format(meta="(OrderedModel.Meta)"), "library/views.py": _COVERS}
NP103_OWN_META_FIRST = {"library/__init__.py": "", "library/models.py": _PAGES.format(meta=""), "library/views.py": _COVERS}

# NP103: the update serializer, returned for `update` or `partial_update`, is not the list's; returned for `update` or
# `list`, it is (and its relation read per row is reported)
_UPDATE_TEST = 'elif self.action == "partial_update":'
NP103_UPDATE_ACTIONS = {p: t.replace(_UPDATE_TEST, 'elif self.action == "update" or self.action == "partial_update":')
                        for p, t in NP103_CREATE_SERIALIZER.items()}
NP103_UPDATE_OR_LIST = {p: t.replace(_UPDATE_TEST, 'elif self.action == "update" or self.action == "list":')
                        for p, t in NP103_CREATE_SERIALIZER.items()}

# NP103: a generic list view whose own `get()` answers with the rows' values serialises no list; one that hands on to
# `super().get()` lists with its serializer, whose read of each score's deal is a query per row
_SCORES = {"manage.py": "", "scores/__init__.py": "", "scores/models.py": '''from django.db import models


class Deal(models.Model):
    name = models.CharField(max_length=80)


class DealScore(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE)
    score = models.IntegerField()
''', "scores/serializers.py": '''from rest_framework import serializers

from .models import DealScore


class DealScoreSerializer(serializers.ModelSerializer):
    deal_name = serializers.SerializerMethodField()

    def get_deal_name(self, obj):
        return obj.deal.name

    class Meta:
        model = DealScore
        fields = ["id", "score", "deal_name"]
''', "scores/urls.py": '''from django.urls import path

from .views import DealScoreList

urlpatterns = [path("scores/", DealScoreList.as_view())]
'''}
_SCORE_VIEW = '''from rest_framework import generics
from rest_framework.response import Response

from .models import DealScore
from .serializers import DealScoreSerializer


class DealScoreList(generics.ListCreateAPIView):
    queryset = DealScore.objects.all()
    serializer_class = DealScoreSerializer

    def get(self, request, *args, **kwargs):
        return {answer}
'''
NP103_OWN_GET_ANSWERS = {**_SCORES, "scores/views.py": _SCORE_VIEW.format(answer='Response(self.get_queryset().values("deal", "score"))')}
NP103_OWN_GET_HANDS_ON = {**_SCORES, "scores/views.py": _SCORE_VIEW.format(answer="super().get(request, *args, **kwargs)")}

# NP101: `references = Reference.objects.filter(...)` rebound after each title fixed, read only after the loop: one query
# there; read in the loop as well, a query per fixed title
_EXPORT = '''from django.core import serializers

from .models import Reference

TITLES = ("Mr", "Ms", "Dr")


def export(application_id):
    references = Reference.objects.filter(application_id=application_id)
    for reference in references:
        if reference.title not in TITLES:
            reference.title = "Other"
            reference.save()
            references = Reference.objects.filter(application_id=application_id){use}
    return serializers.serialize("json", list(references))
'''
_REFERENCES = {"arc/__init__.py": "", "arc/models.py": '''from django.db import models


class Application(models.Model):
    name = models.CharField(max_length=80)


class Reference(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE)
    title = models.CharField(max_length=20)
'''}
NP101_REBOUND_READ_AFTER = {**_REFERENCES, "arc/export.py": _EXPORT.format(use="")}
NP101_REBOUND_READ_IN_THE_LOOP = {**_REFERENCES, "arc/export.py": _EXPORT.format(use="\n            print(len(references))")}

# PF201: one UPDATE per commune and date, each setting that group's own values: set-based already; by the date alone
# (a field named as a lookup), one statement per item of the data
_STATISTICS = '''from django.db import models


class Commune(models.Model):
    name = models.CharField(max_length=80)


class CommuneStatistics(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE)
    date = models.DateField()
    population = models.IntegerField()


def update_all_for_date(data):
    for line in data:
        CommuneStatistics.objects.filter(date=line.pop("date"){more}).update(**line)
'''
PF201_PER_COMMUNE_AND_DATE = {"stats/__init__.py": "", "stats/models.py": _STATISTICS.format(more=', commune_id=line.pop("commune_id")')}
PF201_PER_DATE = {"stats/__init__.py": "", "stats/models.py": _STATISTICS.format(more="")}
