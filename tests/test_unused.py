"""Per-item work in a function nothing in the project names is `low`, with the reason (analysis/unused.py): judged
out of sample, such findings were false (issue 15, rounds 13 and 16). Named anywhere (a call, a schedule, a setting),
registered by a decorator, or public in a library, it stays as it was."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules.row_examples import billing_app

TASKS = '''
from celery import shared_task
from django.dispatch import receiver
from django.db.models.signals import post_save
from .models import Client, Invoice


@shared_task(name="close_stale")
def close_stale():
    for inv in Invoice.objects.all():
        print(inv.client.name)


def report_rows():
    return [inv.client.name for inv in Invoice.objects.all()]


def _old_report_rows():
    return [inv.client.name for inv in Invoice.objects.all()]


@receiver(post_save, sender=Client)
def refresh(sender, instance, **kwargs):
    return [inv.client.name for inv in Invoice.objects.all()]
'''


def _found(files):
    return sorted((f.location.line, f.severity.value, f.message.endswith("so it looks unused"))
                  for f in scan_sources(files, select=["NP103"]).findings)


def test_in_an_application_functions_nothing_names_are_low_and_say_why():
    found = _found(billing_app("", **{"manage.py": "import sys\n", "billing/tasks.py": TASKS}))
    assert found == [(11, "low", True), (15, "low", True), (19, "low", True), (24, "high", False)]
    [f] = [f for f in scan_sources(billing_app("", **{"manage.py": "", "billing/tasks.py": TASKS}), select=["NP103"]).findings
           if f.location.line == 15]
    assert f.message.endswith("; nothing in the project names `report_rows()` but its definition and imports (no call, schedule or setting), "
                              "so it looks unused")


def test_a_call_a_schedule_or_a_setting_naming_them_keeps_them():
    named = '''
from .tasks import report_rows, _old_report_rows
CELERY_BEAT_SCHEDULE = {"close": {"task": "billing.tasks.close_stale", "schedule": 3600}}
def page():
    return report_rows() + _old_report_rows()
'''
    found = _found(billing_app(named, **{"manage.py": "", "billing/urls.py": "from . import views\n", "billing/tasks.py": TASKS}))
    assert found == [(11, "high", False), (15, "high", False), (19, "high", False), (24, "high", False)]


def test_in_a_library_only_tasks_and_private_helpers_nothing_names_are_low():
    # without an entry point (`manage.py`, `wsgi.py`, `asgi.py`) the public functions are for other code to call
    found = _found(billing_app("", **{"billing/tasks.py": TASKS}))
    assert found == [(11, "low", True), (15, "high", False), (19, "low", True), (24, "high", False)]


def test_a_function_only_imported_and_a_closure_it_builds_name_nobody():
    # Sefaria's `cascade_to_list`: imported by the module that subscribes the others, never subscribed itself; the
    # per-record loop sits in the closure it returns
    tasks = '''
from .models import Client, Invoice


def rename_in_list(attr):
    def rename(obj, **kwargs):
        for inv in Invoice.objects.all():
            print(inv.client.name)
    return rename
'''
    imported = "from .tasks import rename_in_list\n"
    found = _found(billing_app(imported, **{"manage.py": "", "billing/tasks.py": tasks}))
    assert found == [(8, "low", True)]
    # subscribed by the importing module: reached
    used = imported + "HANDLERS = [rename_in_list('name')]\n"
    assert _found(billing_app(used, **{"manage.py": "", "billing/urls.py": "from . import views\n", "billing/tasks.py": tasks})) == [(8, "high", False)]


PARSER = '''
from .models import Invoice


class {header}:
    def lines(self):
        return [inv.client.name for inv in Invoice.objects.all()]
'''


# the module itself imported by what the application runs (its admin), which names no class of it
_IMPORTED = {"manage.py": "", "billing/admin.py": "from . import parser\n"}


def test_a_plain_class_nothing_names_is_judged_as_its_methods_and_one_with_a_base_or_a_decorator_is_not():
    # Modoboa's `MaillogParser`: replaced by a management command's parser and never made again (2 F, round 36)
    app = {**_IMPORTED, "billing/parser.py": PARSER.format(header="LogParser")}
    assert _found(billing_app("", **app)) == [(7, "low", True)]
    [f] = scan_sources(billing_app("", **app), select=["NP103"]).findings
    assert f.message.endswith("; nothing in the project names the class `LogParser` but its definition and imports (no call, "
                              "schedule or setting), so it looks unused")
    # made somewhere else in the project (a view the URLs import): reached
    routed = {**app, "billing/urls.py": "from . import views\n"}
    assert _found(billing_app("from .parser import LogParser\nROWS = LogParser().lines()\n", **routed)) == [(7, "high", False)]
    # a base or a decorator may register it (a plugin registry, a framework's subclass hook): left alone
    for header in ("LogParser(BaseParser)", "LogParser(metaclass=Registered)"):
        based = {**_IMPORTED, "billing/parser.py": PARSER.format(header=header)}
        assert _found(billing_app("", **based)) == [(7, "high", False)], header
    decorated = {**_IMPORTED, "billing/parser.py": PARSER.format(header="LogParser").replace("class", "@register\nclass")}
    assert _found(billing_app("", **decorated)) == [(8, "high", False)]
    # a callable object is a callback a configuration file names (Copr's message consumer): left alone
    called = PARSER.format(header="LogParser") + "\n    def __call__(self, message):\n        return self.lines()\n"
    assert _found(billing_app("", **{**_IMPORTED, "billing/parser.py": called})) == [(7, "high", False)]
    # so is a class built inside a function, which hands it out (bitcart's exchanges)
    nested = "def make():\n" + "".join(f"    {line}\n" if line else "\n" for line in PARSER.format(header="LogParser").splitlines()) \
        + "    return LogParser\n"
    assert _found(billing_app("", **{**_IMPORTED, "billing/parser.py": nested})) == [(8, "high", False)]


RECURSIVE = '''
from .models import Client


def account_tree(client_id):
    client = Client.objects.get(pk=client_id)
    return {"name": client.name, "children": [account_tree(child.pk) for child in Client.objects.filter(name__startswith=client.name)]}
'''
TREE_TEST = "from billing.tree import account_tree\n\n\ndef test_tree():\n    assert account_tree(1)\n"


def test_a_function_only_itself_and_tests_call_is_unused():
    """LITE's `get_clc_child_nodes` (round 119, judged DEAD): it calls itself per child, and only a test calls it."""
    files = billing_app("", **{"manage.py": "", "billing/tree.py": RECURSIVE, "billing/test.py": TREE_TEST})
    [f] = scan_sources(files, select=["NP102"]).findings
    assert (f.location.path, f.location.line, f.severity.value) == ("billing/tree.py", 7, "low")
    assert f.message.endswith("; nothing in the project names `account_tree()` but its definition, its tests and imports (no call, "
                              "schedule or setting), so it looks unused")
    called = {**files, "billing/views.py": "from .tree import account_tree\n\n\ndef tree(request, pk):\n    return account_tree(pk)\n",
              "billing/urls.py": "from .views import tree\n\nurlpatterns = [tree]\n"}
    [f] = scan_sources(called, select=["NP102"]).findings
    assert (f.location.line, f.severity.value) == (7, "medium")


CYCLE = '''
from .models import Client


def account_tree(client_id):
    client = Client.objects.get(pk=client_id)
    return {"name": client.name, "children": children_of(client)}


def children_of(client):
    return [account_tree(child.pk) for child in Client.objects.filter(name__startswith=client.name)]
'''


def test_a_cycle_only_its_tests_enter_is_unused():
    """Mangaki's AniList import (round 122, judged DEAD twice): three functions calling one another, which only tests
    call; entered by a view through any one of them, every one runs."""
    files = billing_app("", **{"manage.py": "", "billing/tree.py": CYCLE, "billing/test.py": TREE_TEST})
    [f] = scan_sources(files, select=["NP102"]).findings
    assert (f.location.path, f.location.line, f.severity.value) == ("billing/tree.py", 11, "low")
    assert f.message.endswith("; only `account_tree()` of its own cycle calls `children_of()`, and nothing in the project names "
                              "them but their definitions, their tests and imports (no call, schedule or setting), so they look unused")
    for entry in ("account_tree", "children_of"):
        view = f"from .tree import {entry}\n\n\ndef tree(request, pk):\n    return {entry}(pk)\n"
        called = {**files, "billing/views.py": view, "billing/urls.py": "from .views import tree\n\nurlpatterns = [tree]\n"}
        [f] = scan_sources(called, select=["NP102"]).findings
        assert (f.location.line, f.severity.value) == (11, "high"), entry
