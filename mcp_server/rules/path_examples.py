"""NP103 examples decided by which path of the code runs: a relation read only to word an error (the `raise` ends
the call, so it is read at most once, and only when something is broken), and a loop over a name that one branch
binds to an empty queryset (`Model.objects.none()` has no rows, so the other branch's queryset is the loop's), and a
query in `getattr(row, "prefetched_name", fallback)`'s fallback, which runs only for rows not prefetched under that name;
and (NP102) a helper that leaves early when a parameter is empty, called with it empty.
Each positive must be flagged, each negative (its fast or harmless twin) must not."""

_MODELS = '''
from django.db import models

REGISTRY = {}


class Tool(models.Model):
    name = models.CharField(max_length=20)


class Account(models.Model):
    name = models.CharField(max_length=20)


class Repository(models.Model):
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE)
    account = models.ForeignKey(Account, null=True, on_delete=models.CASCADE)
    tool_key = models.CharField(max_length=20)
    visible = models.BooleanField(default=True)

    @property
    def tool_class(self):
        found = REGISTRY.get(self.tool_key)
        if found is not None:
            return found
        raise LookupError("no tool class for %s" % self.tool.name)

    @property
    def tool_label(self):
        return REGISTRY.get(self.tool_key) or self.tool.name
'''

_WIDGET = '''
from .models import Repository


def widget():
    repositories = Repository.objects.filter(visible=True)
    if repositories.count() > 0:
        repositories = repositories.only("id", "account_id"){eager}
    else:
        repositories = Repository.objects.none()
    return [repo.account.name for repo in repositories]
'''


def _app(views: str) -> dict[str, str]:
    return {"scm/__init__.py": "", "scm/models.py": _MODELS, "scm/views.py": views}


NP103_PATH_POSITIVE = [
    # the tool's name is what the property returns when the registry lacks the key: read per row
    _app('''
from .models import Repository
def labels():
    return [repo.tool_label for repo in Repository.objects.all()]
'''),
    # the empty queryset of the else-branch is not the loop's rows: the other branch's loads no account
    _app(_WIDGET.format(eager="")),
]

NP103_PATH_NEGATIVE = [
    _app('''
from .models import Repository
def classes():
    return [repo.tool_class for repo in Repository.objects.all()]
'''),
    _app(_WIDGET.format(eager='.select_related("account")')),
]

_ROUNDS = '''
from django.db import models


class Tournament(models.Model):
    name = models.CharField(max_length=40)

    @property
    def open_rounds(self):
        return {rounds}


class Round(models.Model):
    tournament = models.ForeignKey(Tournament, on_delete=models.CASCADE)
    completed = models.BooleanField(default=False)
'''
_ROUND_LISTS = '''
from .models import Tournament
def listing():
    return [list(t.open_rounds) for t in Tournament.objects.all()]
'''


def _tournaments(rounds: str) -> dict[str, str]:
    return {"cup/__init__.py": "", "cup/models.py": _ROUNDS.format(rounds=rounds), "cup/views.py": _ROUND_LISTS}


NP103_PATH_POSITIVE += [_tournaments("self.round_set.filter(completed=False)")]
NP103_PATH_NEGATIVE += [_tournaments('getattr(self, "prefetched_open_rounds", self.round_set.filter(completed=False))')]

# A helper that leaves early when a parameter is empty (`if not viewer: return False`) queries only for callers that
# pass one: called per row with `viewer=None`, the query after the guard never runs; with a viewer, once per row.
_VISIBLE = '''
from .models import Repository


def visible(repo, viewer=None):
    if repo.visible:
        return True
    if not viewer:
        return False
    return Repository.objects.filter(account=repo.account_id, tool=repo.tool_id).exists()
'''
NP102_PATH_NEGATIVE = [_app(_VISIBLE + '''

def public_names():
    return [repo.pk for repo in Repository.objects.all() if visible(repo, viewer=None)]
''')]
# ... and one call deeper: the row's item is built by a helper that passes `viewer=None` itself
NP102_PATH_NEGATIVE.append(_app(_VISIBLE + '''

def item(repo):
    return {"id": repo.pk, "visible": visible(repo, viewer=None)}


def feed():
    return [item(repo) for repo in Repository.objects.all()]
'''))
NP102_PATH_POSITIVE = [_app(_VISIBLE + '''

def names_for(viewer):
    return [repo.pk for repo in Repository.objects.all() if visible(repo, viewer=viewer)]
''')]
