"""A PrimaryKeyRelatedField subclass the project writes. One that only narrows `get_queryset()` (the choices offered for
input) keeps DRF's key-only output: serialising reads `owner_id`, not the owner (the Green Web Foundation's and
Cohort360's user-filtered fields, round 180: 3 judged NOTQUERY). One that overrides `to_representation` writes more
than the key and loads the row."""

_MODELS = '''
from django.conf import settings
from django.db import models


class Ledger(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    name = models.CharField(max_length=80)
'''
_API = '''
from rest_framework import serializers, viewsets

from .models import Ledger


class OwnPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return super().get_queryset().filter(pk=self.context["request"].user.pk)


class LedgerSerializer(serializers.ModelSerializer):
    owner = OwnPrimaryKeyRelatedField(queryset=Ledger.objects.none())

    class Meta:
        model = Ledger
        fields = ("id", "owner", "name")


class LedgerViewSet(viewsets.ModelViewSet):
    serializer_class = LedgerSerializer
    queryset = Ledger.objects.all()
'''
_FILES = {"manage.py": "", "books/__init__.py": "", "books/models.py": _MODELS, "books/api.py": _API, "books/urls.py": '''
from rest_framework.routers import DefaultRouter

from .api import LedgerViewSet

router = DefaultRouter()
router.register("ledgers", LedgerViewSet)
urlpatterns = router.urls
'''}

# no finding: the field writes the owner's key
NP103_KEY_FIELD_NARROWED = _FILES
# (found, high) the field writes the owner's e-mail address
NP103_KEY_FIELD_WRITTEN = {**_FILES, "books/api.py": _API.replace(
    "        return super().get_queryset().filter(pk=self.context[\"request\"].user.pk)\n",
    "        return super().get_queryset().filter(pk=self.context[\"request\"].user.pk)\n\n"
    "    def to_representation(self, value):\n        return value.email\n")}
