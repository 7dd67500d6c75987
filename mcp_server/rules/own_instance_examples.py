"""NP102 on a model's "object or key" getter (flow._own_instance_returned, loop_size._other_class): OpenCEX's ticker
views loop over `Pair.objects.all()` and call `Pair.get(pair)` per row, a class method that returns its argument at once
when it already is a `Pair` and queries only for a code or an id (round 165: 2 judged NOTQUERY). Handed the loop's row,
it never queries; handed the codes of another table's rows, it queries once per code. A view's own `get` calling
`Pair.get` is no recursion either: the finding says nothing of a tree."""

_MARKET = {
    "manage.py": "",
    "market/__init__.py": "",
    "market/models.py": '''from django.db import models


class Pair(models.Model):
    code = models.CharField(max_length=20, unique=True)

    @classmethod
    def get(cls, obj):
        if isinstance(obj, cls):
            return obj
        return cls.objects.get(code=obj)


class Trade(models.Model):
    pair_code = models.CharField(max_length=20)
''',
    "market/urls.py": "from django.urls import path\nfrom .views import Tickers\n\nurlpatterns = [path('tickers/', Tickers.as_view())]\n",
}
_VIEW = '''from django.http import JsonResponse
from django.views import View

from .models import Pair, Trade


class Tickers(View):
    def get(self, request):
        return JsonResponse({{"codes": [Pair.get({}).code for {} in {}]}})
'''

NP102_OWN_INSTANCE_PASSED = {**_MARKET, "market/views.py": _VIEW.format("pair", "pair", "Pair.objects.all()")}
NP102_KEY_PASSED = {**_MARKET, "market/views.py": _VIEW.format("trade.pair_code", "trade", "Trade.objects.all()")}

# a helper that loads its argument only when it is not a row already (`if type(project) != Project:`, or `if not
# isinstance(project, Project):`), handed the loop row's relation: Tator's `log_changes(child, ..., child.project, ...)`
# (round 182: judged NOTQUERY); handed the relation's key, it queries once per row
_TREE_MODELS = '''from django.db import models


class Project(models.Model):
    name = models.CharField(max_length=40)


class Leaf(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE)
    name = models.CharField(max_length=40)
'''
_CHANGE_LOG = '''from .models import Project


def log_change(obj, project):
    if {test}:
        project = Project.objects.get(pk=project)
    return f"{{project.name}}: {{obj.name}}"
'''
_RENAMES = '''from .models import Leaf
from .changes import log_change


def renamed_leaves(prefix):
    return [log_change(leaf, {arg}) for leaf in Leaf.objects.select_related("project").filter(name__startswith=prefix)]
'''


def _tree(test: str, arg: str) -> dict[str, str]:
    return {"tree/__init__.py": "", "tree/models.py": _TREE_MODELS, "tree/changes.py": _CHANGE_LOG.format(test=test),
            "tree/views.py": _RENAMES.format(arg=arg)}


NP102_RELATED_ROW_PASSED = [_tree("type(project) != Project", "leaf.project"), _tree("not isinstance(project, Project)", "leaf.project")]
NP102_RELATED_KEY_PASSED = _tree("type(project) != Project", "leaf.project_id")

# a store whose helpers take a row or its key, resolved in the `else` of `isinstance(heat_or_id, Heat)`, one helper
# calling the other: RotorHazard's `clear_results_heat(heat)` over the heats of a class, whose
# `resolve_heat_from_heat_or_id` queries only for an id (round 186: 6 judged NOTQUERY); handed the ids, it queries per heat
_RACE_MODELS = '''from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Heat(Base):
    __tablename__ = "heat"
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("race_class.id"))
    results: Mapped[str | None]
'''
_RACE_STORE = '''from .models import Heat


class RaceStore:
    def __init__(self, session):
        self.session = session

    def resolve_heat(self, heat_or_id):
        if isinstance(heat_or_id, Heat):
            return heat_or_id
        else:
            return self.session.get(Heat, heat_or_id)

    def clear_results(self, heat_or_id):
        heat = self.resolve_heat(heat_or_id)
        heat.results = None

    def alter_class(self, class_id):
        heats = self.session.query(Heat).filter_by(class_id=class_id).all()
        for heat in heats:
            self.clear_results({arg})
        self.session.commit()
'''


def _races(arg: str) -> dict[str, str]:
    return {"races/__init__.py": "", "races/models.py": _RACE_MODELS, "races/store.py": _RACE_STORE.format(arg=arg)}


NP102_ROW_OR_KEY_ROW_PASSED = _races("heat")
NP102_ROW_OR_KEY_KEY_PASSED = _races("heat.id")
