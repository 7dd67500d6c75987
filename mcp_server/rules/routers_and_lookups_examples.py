"""Rounds 259 to 264: columns `extra(select=...)` adds, queries a helper builds for its caller to refine, routers no
module includes, lookup lists that pick from a dict, and rows a sort has already loaded.

- `qs.extra(select={"taken": "SELECT COUNT(*) ..."})` beside a serializer's `if hasattr(obj, "taken"): return obj.taken`
  (Brambling's item options: 1 NP103 judged PREFETCHED);
- `pd_query = PersistentDisk.get_all_query()`, then `.filter(PersistentDisk.name == drive_name).first()` per volume: a
  Query built, run where the item's filter is added (KuberDock: 1 PF301 judged NOTQUERY);
- a FastAPI router whose import and `include_router` are commented out, beside the routers `main.py` includes (Timly's
  uploaded candidates: 3 PF801 judged DEAD);
- `performance_prefetch = [PREFETCHES["sampleset__samples"], "sampleset"]`, then `prefetch_related(*performance_prefetch)`
  (the PGS Catalog's score pages: 3 NP103 judged PREFETCHED);
- `rows.sort(key=lambda u: (not u.user.is_admin, u.id))` in the helper that hands the rows back: the sort is the N+1,
  and what reads `user` after it finds it loaded (Hush Line's directory: 9 NP104 judged PREFETCHED).
"""

# NP103: a serializer's count read from the column the view's `extra(select=...)` adds; the same view without it
_OPTIONS = '''from django.db import models
from rest_framework import serializers, viewsets


class ItemOption(models.Model):
    name = models.CharField(max_length=50)


class BoughtItem(models.Model):
    item_option = models.ForeignKey(ItemOption, on_delete=models.CASCADE)
    status = models.CharField(max_length=20)


class ItemOptionSerializer(serializers.ModelSerializer):
    taken = serializers.SerializerMethodField()

    class Meta:
        model = ItemOption
        fields = ("id", "name", "taken")

    def get_taken(self, obj):
        if hasattr(obj, "taken"):
            return obj.taken
        return obj.boughtitem_set.exclude(status="refunded").count()


class ItemOptionViewSet(viewsets.ModelViewSet):
    serializer_class = ItemOptionSerializer

    def get_queryset(self):
        return ItemOption.objects.{rows}
'''
_OPTION_URLS = '''from rest_framework.routers import DefaultRouter

from shop.options import ItemOptionViewSet

router = DefaultRouter()
router.register("options", ItemOptionViewSet, basename="option")
urlpatterns = router.urls
'''


def _options(rows: str) -> dict[str, str]:
    return {"shop/__init__.py": "", "shop/options.py": _OPTIONS.format(rows=rows), "shop/urls.py": _OPTION_URLS}


NP103_COUNT_FROM_EXTRA_SELECT = _options(
    'extra(select={"taken": "SELECT COUNT(*) FROM shop_boughtitem WHERE item_option_id = shop_itemoption.id"})')
NP103_COUNT_WITHOUT_EXTRA = _options("all()")

# PF301: a helper named for the Query it builds, refined by each volume's name; a helper that runs its query
_DISKS = '''from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

session = Session()


class Base(DeclarativeBase):
    pass


class PersistentDisk(Base):
    __tablename__ = "disks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    owner_id: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String)

    @classmethod
    def {helper}(cls):
        query = session.query(cls){run}
        return query


def check_volumes(volumes, owner_id):
    found = []
    for vol in volumes:
        disks = PersistentDisk.{helper}()
        found.append({use})
    return found
'''
PF301_QUERY_BUILT_FOR_THE_CALLER = _DISKS.format(
    helper="get_all_query", run='.filter(PersistentDisk.state != "deleted")',
    use="disks.filter(PersistentDisk.name == vol, PersistentDisk.owner_id == owner_id).first()")
PF301_QUERY_RUN_BY_THE_HELPER = _DISKS.format(
    helper="get_all_disks", run='.filter(PersistentDisk.state != "deleted").all()', use="[d for d in disks if d.name == vol]")

# PF801: a router nothing imports in an application whose main module includes the others; the same router included
_MAIN = '''from fastapi import FastAPI

from app.api import vacancies{more}

app = FastAPI()
app.include_router(vacancies.router, prefix="/api/vacancies")
{include}'''
_VACANCIES = '''from fastapi import APIRouter

router = APIRouter()


@router.get("/")
async def list_vacancies():
    return []
'''
_UPLOADS = '''import requests
from fastapi import APIRouter

router = APIRouter()


@router.post("/upload")
async def upload_resume(url: str):
    return requests.get(url, timeout=10).text
'''


def _api(included: bool) -> dict[str, str]:
    main = _MAIN.format(more=", uploaded_candidates" if included else "",
                        include='app.include_router(uploaded_candidates.router, prefix="/api/uploads")\n' if included else
                        '# app.include_router(uploaded_candidates.router, prefix="/api/uploads")\n')
    return {"Dockerfile": 'CMD ["uvicorn", "app.main:app"]\n', "app/__init__.py": "", "app/main.py": main, "app/api/__init__.py": "",
            "app/api/vacancies.py": _VACANCIES, "app/api/uploaded_candidates.py": _UPLOADS}


PF801_ROUTER_NOTHING_INCLUDES = _api(False)  # low: looks unused
PF801_ROUTER_INCLUDED = _api(True)  # high
# (high) the application under `backend/`, run from there, and an old copy of it beside: `from app.api import ...`
# names no one module of the scan, and the router is still included (Timly's other routers)
PF801_ROUTER_INCLUDED_FROM_A_SOURCE_ROOT = {**{("Dockerfile" if path == "Dockerfile" else f"backend/{path}"): text
                                               for path, text in _api(True).items()},
                                            **{f"old/backend/{path}": text for path, text in _api(True).items() if path != "Dockerfile"}}

# NP103: a lookup list whose items pick Prefetch objects from a module dict; the same list leaving the relation out
_SCORES = '''from django.db import models
from django.db.models import Prefetch
from django.shortcuts import render


class SampleSet(models.Model):
    name = models.CharField(max_length=50)


class Sample(models.Model):
    sampleset = models.ForeignKey(SampleSet, related_name="samples", on_delete=models.CASCADE)


class Performance(models.Model):
    sampleset = models.ForeignKey(SampleSet, on_delete=models.CASCADE)

    def samples(self):
        return list(self.sampleset.samples.all())


PREFETCHES = {{
    "sampleset__samples": Prefetch("sampleset__samples", queryset=Sample.objects.all()),
    "publication": Prefetch("publication"),
}}
performance_prefetch = [PREFETCHES[{picked}], "sampleset"]


def scores(request):
    found = set()
    for q in Performance.objects.prefetch_related(*performance_prefetch):
        for sample in q.samples():
            found.add(sample)
    return render(request, "scores.html", {{"samples": found}})
'''
NP103_PICKED_FROM_A_DICT = _SCORES.format(picked='"sampleset__samples"')
NP103_PICKED_SOMETHING_ELSE = _SCORES.format(picked='"publication"').replace(', "sampleset"]', "]")

# NP104: rows a helper sorts by each row's user, then hands back: later loops read the users loaded; the same helper
# sorting by a column of the row
_DIRECTORY = '''from sqlalchemy import Boolean, ForeignKey, Integer, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

session = Session()


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    is_admin: Mapped[bool] = mapped_column(Boolean)
    bio: Mapped[str] = mapped_column(String)


class Username(Base):
    __tablename__ = "usernames"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    user: Mapped[User] = relationship()


def directory_usernames():
    rows = list(session.scalars(select(Username)).all())
    rows.sort(key=lambda u: ({key}, u.id))
    return rows


def directory_page():
    return [(u.name, u.user.bio) for u in directory_usernames()]
'''
NP104_LOADED_BY_THE_SORT = _DIRECTORY.format(key="not u.user.is_admin")  # line 29 only: the sort's own lazy loads
NP104_SORTED_BY_A_COLUMN = _DIRECTORY.format(key="u.name")  # line 34: the page's loop loads each user
# (a sort in one `if` branch says nothing of another branch's: each sort loads the users itself, Cobalt's member list)
NP104_SORTED_IN_EACH_BRANCH = _DIRECTORY.replace('''    rows.sort(key=lambda u: ({key}, u.id))''', '''    if admins_first:
        rows.sort(key=lambda u: not u.user.is_admin)
    else:
        rows.sort(key=lambda u: u.user.bio)''').replace("def directory_usernames():", "def directory_usernames(admins_first):").replace(
    "directory_usernames()]", "directory_usernames(True)]")
