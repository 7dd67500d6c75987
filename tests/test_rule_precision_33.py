"""Findings judged on applications nobody here had read (stop 33, round 30), each cause fixed, exact."""

import pytest

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules import queryset_method_examples as ex
from mcp_server.rules.io_examples import PF301_VERSIONED_CACHE

_CLONE_FIX = ('Prefetch them with their own loading once: `.prefetch_related(Prefetch("children", queryset=<Account queryset>'
              '.ordered(...)))` on the queryset at ledger/views.py:{line}, and read `.children.all()`; `.ordered()` on the related '
              'manager starts a new query for each row.')


def test_a_project_queryset_method_on_prefetched_rows_queries_per_row_and_the_fix_says_prefetch_it_with_that_method():
    # Spirit's `c.category_set.all.ordered`: the fix offered was the prefetch the view already had
    found = sorted((f.rule, f.location.path, f.location.line, f.message, f.suggestion) for f in scan_sources(ex.CUSTOM_METHOD_POSITIVE).findings)
    assert found == [
        ("NP103", "ledger/views.py", 12, "`a.children.all().ordered()` runs a query per Account in the loop at line 12: "
         "`.children.all().ordered()` queries even when the relation is prefetched", _CLONE_FIX.format(line=12)),
        ("NP107", "ledger/templates/ledger/chart.html", 2, "`a.children.all().ordered()` runs a query per Account in the loop at "
         "line 1: `.children.all().ordered()` queries even when the relation is prefetched", _CLONE_FIX.format(line=7)),
    ]


@pytest.mark.parametrize("files", ex.CUSTOM_METHOD_NEGATIVE, ids=["all", "all.count"])
def test_the_prefetched_rows_read_as_they_are_run_no_query_per_row(files):
    assert scan_sources(files).findings == []


_CONSUMER = '''
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from .remote import fetch_statement


class {base}:
    async def receive_json(self, content):
        for account in content["accounts"]:
            await self.send_json(await fetch_statement(account))
        for event in content["events"]:
            await self.event_received(event)

    async def event_received(self, event):
        await self.send_json(event)
'''


def test_pf802_leaves_a_websocket_consumers_messages_to_its_one_client_in_order():
    # c3nav's mesh UI (round 31): `await self.send_json(...)` and `await self.event_received(...)` per item were two F
    files = {"app/__init__.py": "", "app/remote.py": "import httpx\n\n\nasync def fetch_statement(account):\n"
             "    async with httpx.AsyncClient() as client:\n        return await client.get(f'https://bank.example/{account}')\n"}
    consumer = scan_sources({**files, "app/consumers.py": _CONSUMER.format(base="StatementsConsumer(AsyncJsonWebsocketConsumer)")},
                            select=["PF802"]).findings
    # the remote fetch per account is still one after another; the sends are not findings
    assert [(f.location.line, f.message) for f in consumer] == [
        (9, "`await fetch_statement(...)` runs once per item of the loop at line 8, each waiting for the previous one to finish; "
         "whether they may run together is not shown (their order, a session, client or stream they share)")]
    # the same class that is no websocket consumer: its own method per item may well be worth running together
    plain = scan_sources({**files, "app/consumers.py": _CONSUMER.format(base="Statements")}, select=["PF802"]).findings
    assert [f.location.line for f in plain] == [9, 11]


def test_pf301_leaves_a_class_cache_filled_again_only_when_its_version_changes():
    # c3nav's Router.load() (round 31): the pickle is read once per map update, not once per scan
    assert scan_sources({"rates.py": PF301_VERSIONED_CACHE}, select=["PF301"]).findings == []
    # read on every call: the same file per invoice
    every = PF301_VERSIONED_CACHE.replace('if getattr(cls, "version", None) != version:', "if True:")
    assert every != PF301_VERSIONED_CACHE
    [f] = scan_sources({"rates.py": every}, select=["PF301"]).findings
    assert (f.rule, f.location.line) == ("PF301", 16)
    assert f.message.startswith("`load()` is called with the same arguments on every iteration of the loop at line 16 and reaches a file read")


_REMIND = '''
from django.db import models


class Invoice(models.Model):
    total = models.DecimalField(max_digits=12, decimal_places=2)
    client_id = models.IntegerField()


def remind():
    invoices = Invoice.objects.filter(total__gt=0)
    if invoices.exists():
        return [inv.total for inv in invoices]
    return []


def remind_each(client_ids):
    out = []
    for client_id in client_ids:
        invoices = Invoice.objects.filter(client_id=client_id)
        if invoices.count():
            out += [inv.total for inv in invoices]
    return out
'''


def test_np106_is_low_once_per_call_and_beside_a_query_per_item():
    # rounds 7 to 31: 0 of 20 judged NP106 findings were worth a fix, all once per call; round 186: 6 in loops that build
    # the queryset per item, judged CHEAP
    found = sorted((f.location.line, f.severity.value, f.message) for f in scan_sources({"billing.py": _REMIND}, select=["NP106"]).findings)
    assert found == [
        (12, "low", "`invoices.exists()` runs one query and fetching `invoices` at line 13 runs another; the rows alone answer "
         "both; one extra query per call, worth a fix only where the code runs very often"),
        (21, "low", "`invoices.count()` runs one query and fetching `invoices` at line 22 runs another; the rows alone answer both; "
         "the loop builds the queryset anew for each item, so it queries per item whatever, and the count adds one small query "
         "to that: the per-item query is the one to remove"),
    ]
