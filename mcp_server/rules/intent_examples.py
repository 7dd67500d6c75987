"""Examples of code that says what it is for, where a per-item call is real but is no problem, or where the usual fix
would be wrong (issue 15, rounds 87 to 90): a memo checked before the query, a function memoised for minutes, an
installation step, a version's upgrade script, a function its docstring deprecates, a commit each item's message
relies on, an object fed each item before it is asked, SQL built from the code's own fragments, the serializer a
viewset lists with, querysets combined by `union()`, rows a sort key has loaded. Each positive must be flagged, each
negative must not."""

MODELS = '''
from django.db import models


class Journal(models.Model):
    name = models.CharField(max_length=100)


class Setting(models.Model):
    name = models.CharField(max_length=100)


class Account(models.Model):
    email = models.CharField(max_length=100)


class Plan(models.Model):
    expires = models.DateField()


class License(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE)
    user = models.ForeignKey(Account, on_delete=models.CASCADE)


class Subscription(models.Model):
    subscriber = models.ForeignKey(Account, on_delete=models.CASCADE)
    staff = models.BooleanField(default=False)


class Element(models.Model):
    journal = models.ForeignKey(Journal, on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
'''


def _app(**modules: str) -> dict[str, str]:
    return {"journals/__init__.py": "", "journals/models.py": MODELS, **{f"journals/{k}.py": v for k, v in modules.items()}}


def _expiring(name: str) -> str:
    """A serializer whose method field reads each license's plan."""
    return f'''class {name}(serializers.ModelSerializer):
    expires = serializers.SerializerMethodField()

    class Meta:
        model = License
        fields = ["id", "expires"]

    def get_expires(self, obj):
        return obj.plan.expires
'''


# NP102: `if email in self.cache: return self.cache[email]`, the store in the `else:` of that same test (MozTrap's importer
# `UserCache.get_user`, round 87: judged CACHED): a query per distinct email, not per row
NP102_MEMO_IN_ELSE = _app(importer='''
from journals.models import Account


class UserCache:
    def __init__(self):
        self.cache = {}

    def get_user(self, email):
        if email in self.cache:
            return self.cache[email]
        else:
            try:
                user = Account.objects.get(email=email)
                self.cache[email] = user
            except Account.DoesNotExist:
                self.cache[email] = None
                raise
        return self.cache[email]


def owners(rows):
    users = UserCache()
    return [users.get_user(row["email"]) for row in rows]
''')

# NP101: a function memoised for ten minutes runs its loop on a miss only (Janeway's `@cache(600)` settings for a page's
# context, round 90: judged CACHED twice); the same loop kept five minutes is a page's cost often enough (its `@cache(300)`
# COUNTER totals over every article: judged worth fixing), so that one is still reported
_MEMOISED = '''
from journals.cache import cache
from journals.models import Journal, Setting


@cache(600)
def settings_for(journal):
    return {s.name: Setting.objects.filter(name=s.name).count() for s in Setting.objects.all()}
'''
_CACHE = '''
import functools


def cache(seconds):
    def wrap(f):
        return functools.lru_cache(maxsize=None)(f)
    return wrap
'''
NP101_MEMOISED = _app(cache=_CACHE, context=_MEMOISED)
NP101_MEMOISED_BRIEFLY = _app(cache=_CACHE, context=_MEMOISED.replace("@cache(600)", "@cache(300)"))

# PF201: a plugin's `install()` makes each journal's element (Janeway's homepage plugins, round 90: 28 judged N RARE), run
# by an install command or when the plugin loader imports it, by names no call graph follows
PF201_INSTALL = _app(plugin='''
from journals.models import Element, Journal


def install():
    for journal in Journal.objects.all():
        Element.objects.get_or_create(journal=journal, name="carousel")
''')

# PF201: rows saved one by one, as the docstring says, for the receivers of their save signals (openwisp-users' expired
# accounts, round 107, judged WRONGFIX: `bulk_update` sends no signal)
PF201_SAVED_FOR_SIGNALS = _app(tasks='''
from journals.models import Subscription


def demote_staff(emails):
    """Take staff rights from these accounts. Each subscription is saved on its own, with update_fields, so
    post-save hooks still fire for the consumers that rely on them."""
    for sub in Subscription.objects.filter(subscriber__email__in=emails, staff=True):
        sub.staff = False
        sub.save(update_fields=["staff"])
''')

# NP101: a script named for the versions it moves between (Janeway's `utils/upgrade/12_13.py`, round 90: 6 judged false,
# its steps switched off): loaded by an upgrade command once, no import can even spell its name
NP101_UPGRADE_SCRIPT = {**_app(), "journals/upgrade/__init__.py": "", "journals/upgrade/12_13.py": '''
from journals.models import Element, Journal


def execute():
    for journal in Journal.objects.all():
        print(Element.objects.filter(journal=journal).count())
'''}

# NP101: a view its docstring deprecates (Janeway's old `articles` view: "Deprecated in version 1.5.1"), or that warns
# whoever calls it (`Issue.structure`: judged DEAD), is kept for old callers
NP101_DEPRECATED = _app(views='''
import logging

from journals.models import Element, Journal

logger = logging.getLogger(__name__)


def elements(request):
    """
    Deprecated in version 1.5.1. Use ElementListView.
    """
    return {j.name: Element.objects.filter(journal=j).count() for j in Journal.objects.all()}


def structure():
    logger.warning("Using 'structure' will be deprecated as of version 1.4")
    return {j.name: Element.objects.filter(journal=j).count() for j in Journal.objects.all()}
''')

# NP101: the comment above it deprecates it (TFRS's `process_future_effective_dates`, "# Deprecated, left for reference",
# round 142: judged DEAD twice); a comment that says something else does not
_COMMENTED = '''
from journals.models import Element, Journal


{comment}
def counts(request):
    return {{j.name: Element.objects.filter(journal=j).count() for j in Journal.objects.all()}}
'''
NP101_DEPRECATED_BY_COMMENT = _app(views=_COMMENTED.format(comment="# Deprecated, left for reference"))
NP101_COMMENTED_KEPT = _app(views=_COMMENTED.format(comment="# Counts per journal, for the dashboard"))

# PF202: each new member's reset mail goes out after the commit that makes the member (Abilian SBE's member wizard,
# round 87: judged WRONGFIX): one commit after the loop would mail members a later failure rolls back
PF202_COMMIT_THEN_MAIL = '''
from flask_security import send_reset_password_instructions
from .models import User, db


def add_members(accounts):
    for account in accounts:
        user = User(email=account["email"])
        db.session.add(user)
        db.session.commit()
        send_reset_password_instructions(user)
'''

# PF301: the loop hands each case's tags to the importer, then asks it to import them (MozTrap's `TagImporter`, round 87:
# the hoist judged ARGSCHANGE): called once before the loop, `import_tags()` would import nothing
PF301_FED_RECEIVER = _app(importer='''
from journals.models import Element


class TagImporter:
    def __init__(self):
        self.map = {}

    def add_names(self, case, names):
        for name in names:
            self.map.setdefault(name, []).append(case)

    def import_tags(self):
        for name, cases in self.map.items():
            Element.objects.filter(name=name).exists()
        self.map = {}


class CaseImporter:
    def __init__(self):
        self.tag_importer = TagImporter()

    def import_cases(self, cases):
        for case in cases:
            self.tag_importer.add_names(case, case["tags"])
            self.tag_importer.import_tags()
''')

# PF601: a fragment the code wrote, repeated once per status, with the statuses bound as parameters and the ids the
# database gave joined in (MozTrap's result counts, round 87: judged false)
PF601_REPEATED_FRAGMENT = _app(counts='''
from django.db import connection

from journals.models import Element


def counts(elements, states):
    ids = elements.values_list("id", flat=True)
    cols = ["COUNT(CASE WHEN name=%s THEN 1 ELSE NULL END)"] * len(states)
    sql = "SELECT {0} FROM {1} WHERE id IN ({2})".format(",".join(cols), Element._meta.db_table, ",".join(map(str, ids)))
    cursor = connection.cursor()
    cursor.execute(sql, states)
    return dict(zip(states, cursor.fetchone()))
''')

# NP103: `get_serializer_class()` hands the create and update actions their own serializers in `if`/`elif` branches; the
# list serialises with the `else` one (License Manager, round 87: a finding through the create serializer judged false)
_PLAN_VIEWS = '''
from rest_framework import serializers, viewsets

from journals.models import License


class LicenseSerializer(serializers.ModelSerializer):
    class Meta:
        model = License
        fields = ["id"]


''' + _expiring("LicenseCreateSerializer") + '''

class LicenseUpdateSerializer(LicenseCreateSerializer):
    pass


class LicenseViewSet(viewsets.ModelViewSet):
    queryset = License.objects.all()

    def get_serializer_class(self):
        if self.action == "create":
            return LicenseCreateSerializer
        elif self.action == "partial_update":
            return LicenseUpdateSerializer
        else:
            return LicenseSerializer
'''
NP103_CREATE_SERIALIZER = _app(views=_PLAN_VIEWS)

# NP103: a sort key reads each row's plan, so the loop after it finds the plan loaded: one finding, at the key (License
# Manager's licenses by expiry, round 87: the loop's read judged CACHED)
NP103_SORT_KEY = _app(views='''
from journals.models import License


def furthest(user):
    licenses = sorted(License.objects.filter(user=user), key=lambda lic: lic.plan.expires, reverse=True)
    for lic in licenses:
        if lic.plan.expires:
            return lic
    return None
''')

# NP103: rows combined by `union()` take no `select_related()` after it: the fix names each queryset before the union
# (Okuna's post subscribers, round 89: `select_related` on the union judged WRONGFIX)
NP103_UNION = _app(notify='''
from journals.models import Subscription


def subscriptions():
    plain = Subscription.objects.filter(staff=False)
    staff = Subscription.objects.filter(staff=True)
    results = plain.union(staff)
    return results


def notify():
    for subscription in subscriptions():
        print(subscription.subscriber.email)
''')

# PF501: an archive opened to read, or a temporary file, dropped at the return: CPython closes it then (rounds 44 to 90:
# 16 such findings judged not worth anyone's time, an import's release ZipFile, a local temporary file), so it is `low`
# with the reason; a plain `open()` keeps its finding, as does an archive opened to write
PF501_READ_AND_DROPPED = '''
import tempfile
import zipfile


def names(path):
    archive = zipfile.ZipFile(path)
    return archive.namelist()


def spooled(data):
    tmp = tempfile.NamedTemporaryFile()
    tmp.write(data)
    return tmp.name


def first_line(path):
    f = open(path)
    return f.readline()
'''

# NP103: a management command that still declares `option_list` fails to load on Django 1.10 or later (epcon's CSV
# exports on Django 2.2, round 91: 4 findings judged DEAD): reported as written here, where no Django version is
# declared, and `low` in a project whose requirements name a Django that removed it (tests/test_rule_precision_87.py)
NP103_OPTION_LIST_COMMAND = {**_app(**{"management/__init__": "", "management/commands/__init__": "", "management/commands/import_plans": '''
from optparse import make_option

from django.core.management.base import BaseCommand

from journals.models import License


class Command(BaseCommand):
    option_list = BaseCommand.option_list + (make_option("--all", action="store_true"),)

    def handle(self, *args, **options):
        for lic in License.objects.all():
            print(lic.plan.expires)
'''}), "deploy/crontab": "0 3 * * * python manage.py import_plans\n"}  # (a schedule starts it: command_starts.py)

# NP103: a viewset whose own `list()` serialises rows it queries itself: eager loading on get_queryset() would change
# nothing, so the fix names the list's own queryset (HOT's OSM Export Tool, round 91: two fixes at get_queryset() judged
# WRONGFIX)
NP103_OWN_LIST_ROWS = _app(views='''
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from journals.models import License


''' + _expiring("LicenseSerializer") + '''

class LicenseViewSet(viewsets.ModelViewSet):
    serializer_class = LicenseSerializer

    def get_queryset(self):
        return License.objects.all()

    def list(self, request, *args, **kwargs):
        rows = License.objects.filter(user=request.user)
        return Response(self.get_serializer(rows, many=True).data)
''')

# NP101: a manager's method nothing in the project names is unused, as a model's is (epcon's `P3ProfileManager.by_tags`,
# round 91: judged DEAD); Django calls only its hooks (`get_queryset`)
NP101_MANAGER_METHOD = _app(manage="", urls="from journals import managers\n\nurlpatterns = []\n", managers='''
from django.db import models

from journals.models import Element, Journal


class JournalManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().order_by("name")

    def element_counts(self):
        return {j.name: Element.objects.filter(journal=j).count() for j in Journal.objects.all()}
''')

# NP103: a viewset routed only to a custom action on one row (`as_view({"put": "revoke"})`): its class's list never runs
# (OSMCha's changeset checks, round 91: judged DEAD); an action that serialises through the view's machinery is kept
NP103_CUSTOM_ACTION_ONLY = _app(urls='''
from django.urls import path

from journals.views import LicenseViewSet

urlpatterns = [path("licenses/<int:pk>/revoke/", LicenseViewSet.as_view({"put": "revoke"}))]
''', views='''
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from journals.models import License


''' + _expiring("LicenseSerializer") + '''

class LicenseViewSet(viewsets.ModelViewSet):
    serializer_class = LicenseSerializer
    queryset = License.objects.all()

    def revoke(self, request, pk=None):
        license = self.get_object()
        license.delete()
        return Response(status=204)
''')

# NP103: what a branch that ends by leaving the loop reads runs once, whatever its `elif` does (Python Discord's `get_tag`,
# round 92: the matching tag synced, then returned; 2 findings judged false)
NP103_MATCH_THEN_RETURN = _app(views='''
from journals.models import License


def find(number, owner):
    matches = []
    for lic in License.objects.all():
        if lic.pk == number:
            print(lic.plan.expires)
            return lic
        elif lic.user_id == owner:
            matches.append(lic)
    return matches
''')

# NP103: related rows narrowed and kept under a name (`sounds = self.sounds.filter(...)`, then `sounds.count()`) query
# anew even when the relation is prefetched: the fix is a filtered Prefetch or an annotation, not a plain prefetch
# (Freesound's `Pack.process()`, round 92: `prefetch_related("sounds")` judged WRONGFIX)
NP103_NARROWED_ALIAS = _app(packs='''
from journals.models import Journal


def count_elements(journal):
    named = journal.element_set.filter(name__startswith="A").order_by("name")
    return named.count()


def report():
    return [count_elements(journal) for journal in Journal.objects.all()]
''')

# PF701: an attribute named only by a word that may count anything else (`c.total`: SPARTE's land consumption in hectares,
# round 93: judged false) says nothing of its type; a local of that name, or an attribute that says money, still does
PF701_AMBIGUOUS_ATTRIBUTE = '''
from decimal import Decimal


def per_year(conso):
    return {f"{c.year}": float(c.total) for c in conso}


def balance(invoice):
    total = invoice.amount - invoice.discount
    return float(total)
'''

# PF201: each row saved unchanged, a pass to run the model's own save() over rows written before in bulk (Finmars'
# import, round 152: `bulk_update` judged WRONGFIX, it writes nothing and runs none of save()). A row the loop sets is
# saved for what changed, and batched with `bulk_update`.
_RESAVE = '''
from journals.models import Subscription


def refresh(emails):
    for sub in Subscription.objects.filter(subscriber__email__in=emails):
        {change}sub.save()
'''
PF201_SAVED_UNCHANGED = _app(tasks=_RESAVE.format(change=""))
PF201_SAVED_CHANGED = _app(tasks=_RESAVE.format(change="sub.staff = False\n        "))
