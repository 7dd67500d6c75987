"""Rounds 277 to 282: helpers that take a record or its key, sets of the keys already handled, a viewset's
`list_serializer_class`, folders imported as packages, key columns named as their parent, Decimal fields.

- `box_move(box=box)` after `box = pallet_box.box`, where `box_move` fetches a Box only in the `else` of
  `if type(box) == Box:`: handed the row, never the key (the Food Pantry's pallets: 2 NP102 judged ARGSCHANGE);
- `if name not in seen_regions:` whose body adds `name` to the set: once per distinct name (AgriConnect: judged CACHED);
- `list_serializer_class = ListSeasonSerializer` read by a base viewset of another module for the list (Touch
  Technology's competition API: 2 NP103 judged false); its ladders, prefetched by the model's own QuerySet method
  that `self.stages.exclude(...).with_ladder_data()` calls (judged PREFETCHED);
- `app/utils/healthcheck.py` in a folder without `__init__.py` whose other modules the application imports: a namespace
  package, not a script, and a router nothing includes there serves nothing (Open Wearables: judged DEAD);
- `Data.form == form.id` inside `and_(...)`: every row's `form_detail` is that one form (ISCO: judged PREFETCHED);
- `total_fuel_cost: Decimal = 0.0` is exact (BARQ's vehicle statistics: judged false).

Rounds 283 to 294 are in blueprints_and_branches_examples.py.
"""
# NP102: a helper fetching the box only for a key, handed the row's box by name; the same helper handed the key
_PALLETS = '''from django.db import models


class Box(models.Model):
    number = models.CharField(max_length=10)


class Location(models.Model):
    code = models.CharField(max_length=10)


class PalletBox(models.Model):
    pallet = models.CharField(max_length=10)
    box = models.ForeignKey(Box, on_delete=models.CASCADE)


class BoxManagement:
    def box_move(self, box, location):
        if type(box) == Box:
            self.box = box
        else:
            self.box = Box.objects.get(pk=box)
        if isinstance(location, Location):
            self.location = location
        else:
            self.location = Location.objects.get(pk=location)
        return self.box

    def pallet_finish(self, pallet, code):
        location = Location.objects.get(code=code)
        for pallet_box in PalletBox.objects.select_related("box").filter(pallet=pallet):
            box = pallet_box.{attr}
            self.box_move(box=box, location=location)
'''
NP102_RECORD_HANDED_BY_NAME = _PALLETS.format(attr="box")
NP102_KEY_HANDED_BY_NAME = _PALLETS.format(attr="box_id")  # (medium) the key: `Box.objects.get` per box

# NP101: a query per region name, once per name the set of handled names lacks; the same without adding to the set
_FILTERS = '''from sqlalchemy.orm import Session

from models import Administrative, Ward


def available_filters(db: Session):
    regions, seen = [], set()
    for ward in db.query(Ward).all():
        name = ward.path.split(" > ")[1]
        if name and name not in seen:
            region = db.query(Administrative).filter(Administrative.name == name).first()
            if region:
                regions.append(region)
                {kept}
    return regions
'''
NP101_ONCE_PER_NAME = _FILTERS.format(kept="seen.add(name)")
NP101_SET_NEVER_FILLED = _FILTERS.format(kept="pass")  # (high) nothing is added: a query per ward

# NP103: a viewset naming the list's serializer for its base's get_serializer_class(); the same without it
_VIEWSETS = '''from rest_framework import viewsets


class SlugViewSet(viewsets.ModelViewSet):
    lookup_field = "slug"

    def get_serializer_class(self):
        if self.action == "list" and hasattr(self, "list_serializer_class"):
            return self.list_serializer_class
        return super().get_serializer_class()
'''
_MODELS = '''from django.db import models


class Season(models.Model):
    title = models.CharField(max_length=50)
    slug = models.SlugField()


class Division(models.Model):
    season = models.ForeignKey(Season, related_name="divisions", on_delete=models.CASCADE)
    title = models.CharField(max_length=50)
'''
_SEASONS = '''from rest_framework import serializers

from competition.models import Division, Season
from competition.viewsets import SlugViewSet


class ListDivisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Division
        fields = ("title",)


class ListSeasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Season
        fields = ("title", "slug")


class SeasonSerializer(ListSeasonSerializer):
    divisions = ListDivisionSerializer(many=True, read_only=True)

    class Meta(ListSeasonSerializer.Meta):
        fields = ("title", "slug", "divisions")


class SeasonViewSet(SlugViewSet):
    serializer_class = SeasonSerializer
{listed}    queryset = Season.objects.all()
'''


def _seasons(listed: bool) -> dict[str, str]:
    return {"competition/__init__.py": "", "competition/models.py": _MODELS, "competition/viewsets.py": _VIEWSETS,
            "competition/api.py": _SEASONS.format(listed="    list_serializer_class = ListSeasonSerializer\n" if listed else "")}


NP103_LIST_SERIALIZER_NAMED = _seasons(True)
NP103_DETAIL_SERIALIZER_LISTED = _seasons(False)  # (high) the nested divisions of every season

# PF801: a router in a folder without `__init__.py` the application imports modules of, which nothing includes; the
# same router in a folder nothing imports, which may be a script's
_MAIN = '''from fastapi import FastAPI

from app.utils import auth

app = FastAPI()
app.include_router(auth.router)
'''
_AUTH = '''from fastapi import APIRouter

router = APIRouter()


@router.get("/me")
async def me():
    return {}
'''
_HEALTH = '''import requests
from fastapi import APIRouter

health_router = APIRouter()


@health_router.get("/upstream")
async def upstream_health(url: str):
    return requests.get(url, timeout=5).status_code
'''


def _health(folder: str) -> dict[str, str]:
    return {"docker-compose.yml": "services: {}\n", "app/__init__.py": "", "app/main.py": _MAIN, "app/utils/auth.py": _AUTH,
            f"app/{folder}/healthcheck.py": _HEALTH}


PF801_ROUTER_IN_A_NAMESPACE_PACKAGE = _health("utils")  # (low) looks unused
PF801_ROUTER_IN_A_FOLDER_NOTHING_IMPORTS = _health("checks")  # (high) a folder of scripts, for all the scan knows

# NP104: every row filtered to one form, by a key column named as the form; the same rows of every form
_SUBMISSIONS = '''from sqlalchemy import Column, ForeignKey, Integer, String, and_
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Form(Base):
    __tablename__ = "form"
    id = Column(Integer, primary_key=True)
    name = Column(String)
    submissions = relationship("Data", backref="data_form_detail")


class Data(Base):
    __tablename__ = "data"
    id = Column(Integer, primary_key=True)
    form = Column(Integer, ForeignKey("form.id"))
    year = Column(Integer)
    form_detail = relationship(Form, foreign_keys=[form])

    @property
    def listed(self):
        return {{"id": self.id, "form": self.form_detail.name}}


def previous(session: Session, form_id: int, year: int):
    form = session.query(Form).filter(Form.id == form_id).first()
    data = session.query(Data).filter(and_(Data.year == year{condition})).all()
    return form, [d.listed for d in data]
'''
NP104_ROWS_OF_ONE_FORM = _SUBMISSIONS.format(condition=", Data.form == form.id")
NP104_ROWS_OF_EVERY_FORM = _SUBMISSIONS.format(condition="")  # (high) each row's form_detail

# PF701: a Decimal field whose default is a whole float; one whose default is a fraction
_STATS = '''from decimal import Decimal

from pydantic import BaseModel


class VehicleStats(BaseModel):
    plate_number: str
    total_fuel_cost: Decimal = {default}
'''
PF701_DECIMAL_FIELD_WHOLE_DEFAULT = _STATS.format(default="0.0")
PF701_DECIMAL_FIELD_FRACTION_DEFAULT = _STATS.format(default="0.5")  # (medium) 0.5 stays a float until validated

# NP103: a related manager's rows refined by the model's QuerySet method, which prefetches the pools and their ladders;
# the same method prefetching the pools only
_LADDER_QUERY = '''from django.db.models import Prefetch
from django.db.models.query import QuerySet


class StageQuerySet(QuerySet):
    def with_ladder_data(self):
        from comp.models import StageGroup

        return self.prefetch_related(Prefetch("pools", queryset=StageGroup.objects{nested}))
'''
_LADDER_MODELS = '''from django.db import models

from comp.query import StageQuerySet


class Division(models.Model):
    title = models.CharField(max_length=20)

    def ladders(self):
        stages = self.stages.exclude(keep_ladder=False).with_ladder_data().order_by("order")
        found = {}
        for stage in stages:
            for pool in stage.pools.all():
                found[pool] = list(pool.ladder_summary.all())
        return found


class Stage(models.Model):
    division = models.ForeignKey(Division, related_name="stages", on_delete=models.CASCADE)
    keep_ladder = models.BooleanField()
    order = models.IntegerField()
    objects = StageQuerySet.as_manager()


class StageGroup(models.Model):
    stage = models.ForeignKey(Stage, related_name="pools", on_delete=models.CASCADE)


class LadderEntry(models.Model):
    stage_group = models.ForeignKey(StageGroup, related_name="ladder_summary", on_delete=models.CASCADE)
    points = models.IntegerField()
'''


def _ladders(nested: str) -> dict[str, str]:
    return {"comp/__init__.py": "", "comp/query.py": _LADDER_QUERY.format(nested=nested), "comp/models.py": _LADDER_MODELS}


NP103_RELATED_ROWS_OWN_QUERYSET_METHOD = _ladders('.prefetch_related("ladder_summary")')
NP103_OWN_METHOD_LEAVES_LADDERS_OUT = _ladders(".all()")  # (high) each pool's ladder
# (a remote call) under a test of the item's own list: once per item that lacks the group, not once per group
NP105_ITEMS_OWN_LIST = '''import requests


def add_group(alerts, group_id):
    for alert in alerts:
        if group_id not in alert["contact_groups"]:
            alert["contact_groups"].append(group_id)
            requests.put(f"https://api.example.com/alerts/{alert['id']}", json=alert, timeout=10)
'''

