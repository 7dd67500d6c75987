"""The examples of remote_calls.py's rules: each a source file (or {path: source} for several modules); the positive ones
must be flagged by the rule, the negative ones must not. Imported when a test first reads them (rules.Examples)."""

from __future__ import annotations

from .records_sets_and_packages_examples import NP105_ITEMS_OWN_LIST
from .background_examples import NP105_BACKGROUND_POSITIVE, NP105_CRAWLER_LOWERED, NP105_SYNC_KEPT
from .few_items_examples import NP105_MODULE_ENUM_NEGATIVE
from .handful_examples import (NP105_COUNTED_POSITIVE, NP105_PAUSED_HERE_LOWERED, NP105_PAUSED_LOWERED, NP105_RETRY_COUNTDOWN_NEGATIVE,
                               NP105_UNPAUSED_HERE_KEPT, NP105_UNPAUSED_KEPT)
from .own_object_examples import (NP105_COPIED_SERVICES, NP105_OWN_OBJECT_KEPT, NP105_OWN_OBJECT_LOWERED, NP105_OWN_PACKAGE_SERVICES,
                                  NP105_SHARED_PACKAGE_KEPT)
from .recovery_examples import NP105_EVERY_PASS_KEPT, NP105_RECOVERY_LOWERED
from .remote_examples import NP105_CHAINED_STEPS, NP105_DICT_KEY_MATCH, NP105_ONE_MATCH, NP105_PAGES, NP105_PAIR_KEY_MATCH, NP105_RATE_LIMITED
from .unreachable_examples import NP105_AFTER_RAISING_CALL, NP105_AFTER_STATUS_CHECK

# a local dict named like the HTTP library, in a module that never imports it: `requests.get(key, default)` is a dict
# lookup (navitia's log analyser, round 182: 2 judged NOTQUERY)
NP105_LOCAL_NAMESAKE = '''
def slowest(log_lines):
    requests = {}
    for line in log_lines:
        request_id, took = line.split()
        requests[request_id] = max(requests.get(request_id, 0), int(took))
    return requests
'''

# a key's document fetched only when the cache client has none, then stored under that key: once per key until it
# expires (Flight Blender's JWKS per public key, round 182: judged CACHED); stored under another key, fetched every time
_JWKS = '''
import json

import httpx
from redis.asyncio import Redis

cache = Redis()


async def signing_keys(issuers):
    keys = {{}}
    for issuer in issuers:
        cache_key = f"jwks:{{issuer.id}}"
        if await cache.exists(cache_key):
            keys[issuer.id] = json.loads(await cache.get(cache_key))
        else:
            async with httpx.AsyncClient(timeout=30) as client:
                response = await client.get(issuer.jwks_url)
            keys[issuer.id] = response.json()
            await cache.set({stored}, json.dumps(keys[issuer.id]), ex=3600)
    return keys
'''
NP105_CACHE_FILLED = _JWKS.format(stored="cache_key")
NP105_CACHE_ELSEWHERE = _JWKS.format(stored='"jwks:last"')

# a row's own column filled from a remote service once and saved, asked only while it is empty (NeuroVault's journal
# names by DOI, round 186: judged CACHED); the same fetch whose answer is never saved asks again on every request
_JOURNALS = '''
import requests

from .models import Paper


def journal_of(doi):
    return requests.get(f"https://api.crossref.org/works/{{doi}}", timeout=10).json()["journal"]


def papers_by_journal(request):
    counts = {{}}
    for paper in Paper.objects.exclude(doi=""):
        if not paper.journal:
            paper.journal = journal_of(paper.doi)
            {saved}
        counts[paper.journal] = counts.get(paper.journal, 0) + 1
    return counts
'''
_PAPER = "from django.db import models\n\n\nclass Paper(models.Model):\n    doi = models.CharField(max_length=80)\n    journal = models.CharField(max_length=200)\n"


def _papers(saved: str) -> dict[str, str]:
    return {"papers/__init__.py": "", "papers/models.py": _PAPER, "papers/views.py": _JOURNALS.format(saved=saved)}


NP105_COLUMN_FILLED_ONCE = _papers("paper.save()")
NP105_COLUMN_NEVER_SAVED = _papers("print(paper.journal)")

NP105_POSITIVE = [
        NP105_AFTER_STATUS_CHECK,  # a call per row after a response's status check (unreachable_examples.py)
        NP105_CACHE_ELSEWHERE,  # fetched per issuer: the cache is filled under another key
        NP105_COLUMN_NEVER_SAVED,  # a row's empty column fetched per row and never saved: asked again next time
        NP105_COPIED_SERVICES,  # (low) the copy of a service nothing in that service uses; (medium) the one its route calls
        NP105_OWN_PACKAGE_SERVICES, NP105_SHARED_PACKAGE_KEPT,
        NP105_CRAWLER_LOWERED, NP105_SYNC_KEPT,
        NP105_PAUSED_HERE_LOWERED, NP105_UNPAUSED_HERE_KEPT,  # the same with the call written in the loop
        NP105_PAUSED_LOWERED, NP105_UNPAUSED_KEPT,  # (low) a loop pausing after each call; (high) the same without the pause  # (low) a crawler's request per URL; (medium) the same in a sync  # the same with packages of their own names; one the other imports
        # (found at low) a method of the project's own client only tests call; (found at high) a view calls it, or the
        # client derives from a library's class
        NP105_OWN_OBJECT_LOWERED, *NP105_OWN_OBJECT_KEPT,
        # (found at low) a call only a failed call's handler makes; (found at its severity) one every pass makes beside it
        NP105_RECOVERY_LOWERED, NP105_EVERY_PASS_KEPT,
        {"app.py": NP105_PAIR_KEY_MATCH},
        NP105_COUNTED_POSITIVE,
        *NP105_BACKGROUND_POSITIVE,
        '''
import requests
def fetch_all(client_ids):
    return [requests.get(f"https://erp.example/clients/{c}", timeout=5).json() for c in client_ids]
''',
        '''
import httpx
async def statements(account_ids):
    async with httpx.AsyncClient() as client:
        out = []
        for a in account_ids:
            out.append((await client.get(f"/accounts/{a}/statement")).json())
        return out
''',
        {"erp/calima.py": '''
import requests
def fetch_client(client_id):
    return requests.get(f"https://calima.example/api/clients/{client_id}", timeout=10).json()
''', "erp/sync.py": '''
from erp.calima import fetch_client
def sync(ids):
    for i in ids:
        store(fetch_client(i))
def store(data):
    pass
'''},
        # through a method a rate limit decorates: `low`, saying so (onyx's connectors, round 100)
        NP105_RATE_LIMITED,
    ]

NP105_NEGATIVE = [
        NP105_AFTER_RAISING_CALL,  # the same after a call named for raising, which never returns
        NP105_LOCAL_NAMESAKE,  # a dict named `requests` in a module that imports no HTTP library
        NP105_CACHE_FILLED,  # fetched only on a cache miss, then stored under the key it missed
        NP105_COLUMN_FILLED_ONCE,  # fetched only while the row's column is empty, then saved in it
        NP105_MODULE_ENUM_NEGATIVE,  # the members of another module's Enum
        NP105_RETRY_COUNTDOWN_NEGATIVE,
        # tenacity's retry iterator: the same call tried again, not a call per item (Tracecat's audit sink, round 51)
        '''
import httpx
from tenacity import AsyncRetrying, stop_after_attempt


async def send(client: httpx.AsyncClient, event):
    async for attempt in AsyncRetrying(stop=stop_after_attempt(3)):
        with attempt:
            await client.post("https://audit.example/events", json=event)
''',
        # the class's two fallback endpoints, read through `cls` in a classmethod: a loop over a literal pair (NEMO's
        # interlocks, judged false)
        '''
import requests


class BankFeed:
    endpoints = ["statements/v2", "statements"]

    @classmethod
    def statement(cls, base, account):
        for endpoint in cls.endpoints:
            response = requests.get(f"{base}/{endpoint}/{account}", timeout=5)
            if response.ok:
                return response.json()
        return None
''',
        # a retry loop bounded by the client's attempts: the same request again only when the last one failed
        '''
import time
import requests
class ErpClient:
    connection_attempts = 3

    def send(self, params):
        for i in range(1, self.connection_attempts + 1):
            try:
                response = requests.request(**params)
                if response.status_code == 401 and i < self.connection_attempts:
                    params["auth"] = self.login()
                    continue
                return response
            except requests.exceptions.ConnectionError:
                time.sleep(5)
        raise RuntimeError("ERP unreachable")

    def login(self):
        return ("erp", "secret")
''',
        # a mutable default filled on the first call and handed back after: a cache for the process (LITE's bank holidays,
        # round 84: judged CACHED four times)
        '''
import requests


def bank_holidays(data=[]):
    if data:
        return data
    for event in requests.get("https://www.gov.uk/bank-holidays.json", timeout=5).json()["events"]:
        data.append(event["date"])
    return data


def due_dates(invoices):
    return [(invoice, invoice["due"] in bank_holidays()) for invoice in invoices]
''',
        # a back-off over delays: each iteration sleeps and tries again until one attempt succeeds (Zaqar's webhook
        # delivery, round 80: batching or hoisting the attempt was judged WRONGFIX)
        '''
import time
import requests


def post_ok(url, payload):
    return requests.post(url, json=payload, timeout=5).ok


def deliver(url, payload, delays):
    if post_ok(url, payload):
        return True
    for delay in delays:
        time.sleep(delay)
        if post_ok(url, payload):
            return True
    return False
''',
        # the peers a deployment configures, read through the project's own configuration helper
        '''
import requests
class Forwarder:
    def get_config(self, key, default=None):
        return default

    def forward(self, alert):
        for peer in self.get_config("FORWARD_DESTINATIONS", default=[]):
            requests.post(f"{peer}/alert", json=alert, timeout=5)
''',
        '''
import requests
def fetch_pages(url):
    out = []
    while url:
        resp = requests.get(url, timeout=5).json()
        out.extend(resp["results"])
        url = resp["next"]
    return out
''',
        '''
import asyncio, httpx
async def statements(account_ids):
    sem = asyncio.Semaphore(10)
    async with httpx.AsyncClient() as client:
        async def one(a):
            async with sem:
                return (await client.get(f"/accounts/{a}/statement")).json()
        return await asyncio.gather(*(one(a) for a in account_ids))
''',
        '''
import requests
def health():
    for url in ("https://a.example/health", "https://b.example/health"):
        requests.get(url, timeout=2)
''',
        # the pages of one listing, each asked for after the last (onyx's Docker Hub tags, round 100), and steps of one
        # chain, each taking the last answer (Skyvern's folder path and redirects, round 102)
        NP105_PAGES,
        NP105_CHAINED_STEPS,
        # the branch for the one folder whose full name matches (Cinder's Nimble driver, round 104)
        NP105_ONE_MATCH,
        {"app.py": NP105_DICT_KEY_MATCH},
    ]
# (round 278's fix, checked on every application) a test of the item's own list guards each item's call, not a key's
NP105_POSITIVE.append(NP105_ITEMS_OWN_LIST)
