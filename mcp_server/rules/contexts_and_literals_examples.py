"""Rounds 253 to 258: contexts entered for the item, literals a function hands back, values a call reads from the
caller's frame, caches a function fills by key, subqueries never run, annotations probed with a walrus, calls made for
their effect, one session a dependency yields, ratios that are no money.

- a module's function returning a literal of five (key, type) pairs: a loop over what it returns runs five times, each
  with its own type (AcornAccounting's profit and loss headers: 1 PF301 judged false);
- Pony's raw SQL reads the loop's variables from the caller's frame, `db.execute("... WHERE url=$url", globals(),
  locals())` (Tribler's upgrade: 6 PF301 judged ARGSCHANGE); a function under Pony's `@db_session` that nothing calls
  (4 PF201 judged DEAD);
- `for wait in [1] * 3 + [0]: try: return connect() except Exception: sleep(wait)`: a retry (temboard: 1 PF502 false);
- `if guild not in SERVER_CONFIGS: await load_config(guild)`, the loader storing `SERVER_CONFIGS[guild]`: once per
  key (GearBot: 3 PF301 judged CACHED);
- `release.resources.all().values("id").query`: the SQL of a subquery, never run (Transifex: 2 NP103 judged NOTQUERY);
- `if (on := getattr(obj, "is_mfa_enabled", None)) is not None: return on`, the list's queryset annotating it
  (SysReptor's users: 1 NP103 judged PREFETCHED);
- a callee that writes a file each time (Bazarr's throttled providers), a lookup inside `with col.set_current():`
  (Hoover's collections, each its own database): 2 PF301 judged false;
- `async for session in get_async_session():`, one session (AlumniHub's bot: 1 NP101 false);
- a `RatioUsage` model's `amount2` and `total` (ContraxSuite: 1 PF701 false).
"""

# PF301: the headers of a literal a module function returns, each looked up once; the same lookup per row of a query
_HEADERS = '''from django.db import models
from django.shortcuts import render


class Header(models.Model):
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)
    type = models.IntegerField()


def _header_types():
    return {types}


def _header_total(header_type):
    return Header.objects.get(parent=None, type=header_type)


def profit_and_loss(request):
    keys_and_types = _header_types()
    headers = {{key: _header_total(kind) for (key, kind) in keys_and_types}}
    return render(request, "report.html", {{"headers": headers}})
'''
PF301_HEADERS_OF_A_LITERAL = _HEADERS.format(types='(("income", 4), ("costs", 5), ("expenses", 6))')
PF301_HEADERS_OF_A_QUERY = _HEADERS.format(types='Header.objects.values_list("parent__type", "type")')

# PF301: Pony's raw SQL naming the loop's variables, read from the caller's frame; the same statement naming none
_TRACKERS = '''from pony.orm import Database, db_session

db = Database()


@db_session
def copy_trackers(batch):
    for url, alive in batch:
        rows = list(db.execute({sql}))
        if rows:
            db.execute("UPDATE TrackerState SET alive=$alive WHERE url=$url", globals(), locals())


def upgrade(rows):
    copy_trackers(rows)
'''
PF301_FRAME_VARIABLES = _TRACKERS.format(sql='"SELECT rowid FROM TrackerState WHERE url=$url", globals(), locals()')
PF301_NO_FRAME_VARIABLES = _TRACKERS.format(sql='"SELECT rowid FROM TrackerState WHERE alive=1"')

# PF201: a step of an upgrade under Pony's `@db_session` that nothing calls (low, looks unused); the same step called
_UPGRADE = '''from pony.orm import Database, db_session

db = Database()


@db_session(retry=3)
def _inject_statements(batch):
    for subject, obj in batch:
        db.execute("INSERT INTO Statement VALUES ($subject, $obj)")


def upgrade(old):
    rows = old.execute("SELECT subject, object FROM Statement").fetchall()
    {call}
'''
PF201_UNCALLED_DB_SESSION = _UPGRADE.format(call="return rows")
PF201_CALLED_DB_SESSION = _UPGRADE.format(call="_inject_statements(rows)")

# PF502: a connection tried again after a pause until it opens; a connection per item of a list of addresses
_RECONNECT = '''import time

import psycopg2


def retry_connect(dsn):
    for wait in [1] * 3 + [0]:
        try:
            conn = psycopg2.connect(dsn)
            conn.set_session(autocommit=True)
            return conn
        except Exception:
            {handler}
'''
PF502_RETRIED_AFTER_A_PAUSE = _RECONNECT.format(handler="if not wait:\n                raise\n            time.sleep(wait)")
PF502_TRIED_WITHOUT_A_PAUSE = _RECONNECT.format(handler="if not wait:\n                raise")

# PF301: a guild's settings loaded by a function that keeps them under the guild's key, asked per message; the loader
# asked directly, which reads the template file on every call
_GUILDS = '''import json

from bot.models import GuildConfig

SERVER_CONFIGS = {}


async def load_config(guild):
    row = await GuildConfig.get_or_none(guild_id=guild)
    SERVER_CONFIGS[guild] = row.settings if row else json.load(open("template.json"))


async def get_var(guild, section):
    if guild not in SERVER_CONFIGS:
        await load_config(guild)
    return SERVER_CONFIGS[guild].get(section, {})


async def fresh_var(guild, section):
    await load_config(guild)
    return SERVER_CONFIGS[guild].get(section, {})


async def archive(guild, messages):
    out = []
    for message in messages:
        out.append((message.id, await get_var(guild, "TIMESTAMPS")))
    return out


async def archive_fresh(guild, messages):
    out = []
    for message in messages:
        out.append((message.id, await fresh_var(guild, "TIMESTAMPS")))
    return out
'''
_GUILD_MODELS = '''from tortoise import fields
from tortoise.models import Model


class GuildConfig(Model):
    guild_id = fields.BigIntField(pk=True)
    settings = fields.JSONField()
'''
PF301_KEPT_BY_THE_LOADER = {"bot/__init__.py": "", "bot/models.py": _GUILD_MODELS, "bot/config.py": _GUILDS}  # line 34 only

# NP103: a release's resources as the SQL of another query's subquery; the same resources read into a list
_RELEASES = '''from django.contrib.auth.models import User
from django.db import models


class Resource(models.Model):
    name = models.CharField(max_length=50)


class Release(models.Model):
    resources = models.ManyToManyField(Resource)


def notify(releases):
    for release in Release.objects.all():
        resource_ids = release.resources.all().values("id"){tail}
        users = User.objects.filter(resources__in=resource_ids)
        print(release.pk, users)
'''
NP103_VALUES_AS_SUBQUERY_SQL = _RELEASES.format(tail=".query")
NP103_VALUES_READ = _RELEASES.format(tail="[:100]")

# NP103: a serializer's fallback when its row has no annotation, the view's queryset annotating it; a view without it
_USER_MODELS = '''from django.db import models


class UserQuerySet(models.QuerySet):
    def annotate_mfa_enabled(self):
        return self.annotate(is_mfa_enabled=models.Exists(MFAMethod.objects.filter(user=models.OuterRef("pk"))))


class User(models.Model):
    username = models.CharField(max_length=50)
    objects = UserQuerySet.as_manager()


class MFAMethod(models.Model):
    user = models.ForeignKey(User, related_name="mfa_methods", on_delete=models.CASCADE)
'''
_USER_SERIALIZERS = '''from rest_framework import serializers

from users.models import User


class UserSerializer(serializers.ModelSerializer):
    is_mfa_enabled = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "is_mfa_enabled"]

    def get_is_mfa_enabled(self, obj):
        if (enabled := getattr(obj, "is_mfa_enabled", None)) is not None:
            return enabled
        return obj.mfa_methods.all().exists()
'''
_USER_VIEWS = '''from rest_framework import viewsets

from users.models import User
from users.serializers import UserSerializer


class UserViewSet(viewsets.ModelViewSet):
    serializer_class = UserSerializer
    queryset = User.objects.{queryset}
'''
_USER_URLS = '''from rest_framework.routers import DefaultRouter

from users.views import UserViewSet

router = DefaultRouter()
router.register("users", UserViewSet)
urlpatterns = router.urls
'''


def _users(queryset: str) -> dict[str, str]:
    return {"users/__init__.py": "", "users/models.py": _USER_MODELS, "users/serializers.py": _USER_SERIALIZERS,
            "users/views.py": _USER_VIEWS.format(queryset=queryset), "users/urls.py": _USER_URLS}


NP103_WALRUS_PROBE_ANNOTATED = _users("annotate_mfa_enabled()")
NP103_WALRUS_PROBE_NOT_ANNOTATED = _users("all()")

# PF301: a helper that writes a file on each call, a lookup in the item's own context; the same helper reading the
# file, the lookup outside any context
_PROVIDERS = '''import json

ENABLED = ("opensubtitles", "podnapisi", "addic7ed")


def note_throttled(names):
    with open("throttled.json", "{mode}") as handle:
        {body}


def get_providers():
    names = [name for name in ENABLED if name]
    note_throttled(names)
    return names


def download_all(episodes):
    for episode in episodes:
        episode.fetch(get_providers())
'''


def _providers(mode: str, body: str) -> dict[str, str]:
    return {"app/__init__.py": "", "app/providers.py": _PROVIDERS.format(mode=mode, body=body)}


PF301_WRITES_A_FILE = _providers("w+", "json.dump(names, handle)")
PF301_READS_A_FILE = _providers("r", "return json.load(handle)")

_COLLECTIONS = '''from django.db import transaction

from snoop.models import Collection, Directory


def list_roots():
    for col in Collection.objects.all():
        {context}
            print(col.name, Directory.root())
'''
_SNOOP_MODELS = '''from django.db import models


class Collection(models.Model):
    name = models.CharField(max_length=50)


class Directory(models.Model):
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)

    @classmethod
    def root(cls):
        return cls.objects.filter(parent=None).first()
'''
PF301_IN_THE_ITEMS_CONTEXT = {"snoop/__init__.py": "", "snoop/models.py": _SNOOP_MODELS,
                              "snoop/collections.py": _COLLECTIONS.format(context="with col.set_current():")}
PF301_OUTSIDE_ANY_CONTEXT = {"snoop/__init__.py": "", "snoop/models.py": _SNOOP_MODELS,
                             "snoop/collections.py": _COLLECTIONS.format(context="with transaction.atomic():")}

# NP101: the one session a dependency generator yields; the rows a helper generator yields
_SESSIONS = '''from sqlalchemy import select

from {module} import {source}
from app.models import Profile


async def log_profiles(user_id):
    async for {var} in {source}():
        result = await {session}.execute(select(Profile).where(Profile.user_id == {key}))
        print(result.scalars().first())
'''
_SESSION_DB = '''from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.models import Profile

engine = create_async_engine("postgresql+asyncpg://localhost/app")
Session = async_sessionmaker(engine)


async def get_async_session():
    async with Session() as session:
        yield session


async def profile_rows():
    async with Session() as session:
        for row in (await session.execute(Profile.__table__.select())).all():
            yield row
'''
_SESSION_MODELS = '''from sqlalchemy import Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Profile(Base):
    __tablename__ = "profiles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
'''


def _sessions(logs: str) -> dict[str, str]:
    return {"app/__init__.py": "", "app/db.py": _SESSION_DB, "app/models.py": _SESSION_MODELS, "app/logs.py": logs}


# (the dependency from a shared package outside the project, as AlumniHub's bot imports it)
NP101_ONE_SESSION_YIELDED = _sessions(_SESSIONS.format(module="backend.common_db", source="get_async_session", var="session",
                                                       session="session", key="user_id"))
NP101_ROWS_YIELDED = _sessions(_SESSIONS.format(module="app.db", source="profile_rows", var="row", session="session",
                                                key="row.user_id").replace("async def log_profiles(user_id):\n",
                                                                           "async def log_profiles(user_id, session):\n"))

# PF701: the two terms of a ratio a document names, in a module that keeps money; the same floats on a payment
_USAGES = '''from django.db import models


class Invoice(models.Model):
    amount = models.DecimalField(max_digits=12, decimal_places=2)


class {name}(models.Model):
    amount = models.FloatField(null=True)
    amount2 = models.FloatField(null=True)
    total = models.FloatField(null=True)
'''
PF701_RATIO_TERMS = _USAGES.format(name="RatioUsage")
PF701_PAYMENT_TERMS = _USAGES.format(name="PaymentUsage")

# PF601: a generator lambda (`lambda row: (yield row)`) in the module no longer stops the file's pattern rules
PF601_BESIDE_A_YIELDING_LAMBDA = '''import sqlite3


def hashes():
    return lambda entity: (yield entity["hash"])


def find(conn: sqlite3.Connection, name):
    return conn.execute(f"SELECT id FROM entity WHERE name = '{name}'").fetchall()
'''
