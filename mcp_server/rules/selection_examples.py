"""Loops over few items by construction, read on real applications (issue 15, third round): a user's selection
(an admin action's queryset, a mass action over the ticked items of one page, a registered action's instances,
rows filtered by the ids a form posts), command-line values passed on through helpers or named in a file, the
configuration (kept on an object, read with `getattr`, a parameter's fallback), a literal list the function never
grows, and a `while` loop asking a helper for page after page. Each negative is silent; each positive is the same
shape over a table's rows, or over input nothing bounds, and must stay reported."""

from .row_examples import billing_app

PER_ITEM = "        Client.objects.get(pk=inv.client_id)\n"
ADMIN = "from django.contrib import admin\nfrom .models import Client, Invoice\n\n"

NP101_SELECTION_NEGATIVE = [
    # a Django admin action: `queryset` holds the rows ticked in the change list
    billing_app("", **{"billing/admin.py": ADMIN + "def remind(modeladmin, request, queryset):\n    for inv in queryset:\n" + PER_ITEM}),
    billing_app("", **{"billing/admin.py": ADMIN + "class InvoiceAdmin(admin.ModelAdmin):\n    actions = ['remind']\n\n"
                "    def remind(self, request, queryset):\n        for inv in queryset:\n    " + PER_ITEM}),
    billing_app("", **{"billing/admin.py": ADMIN + "class InvoiceAdmin(admin.ModelAdmin):\n    def __init__(self, *args):\n"
                "        super().__init__(*args)\n        self.actions = ['remind']\n\n"
                "    def remind(self, request, queryset):\n        for inv in queryset:\n    " + PER_ITEM}),
    billing_app("", **{"billing/admin.py": ADMIN + "class InvoiceAdmin(admin.ModelAdmin):\n    @admin.action(description='Remind')\n"
                "    def remind(self, request, queryset):\n        for inv in queryset:\n    " + PER_ITEM}),
    # a project's own admin list: `mass_actions` names `action_<name>` methods, handed the ticked items of one page
    billing_app("", **{"billing/lists.py": "from .models import Client, Invoice\n\nclass InvoiceList:\n"
                "    mass_actions = [{'action': 'remind', 'name': 'Send reminders'}]\n\n"
                "    def action_remind(self, request, invoices):\n        for inv in invoices:\n    " + PER_ITEM}),
    # an action registered by a decorator (a workflow's transition run on the objects a user picked)
    billing_app("from .hooks import workflow_action\nfrom .models import Client, Invoice\n\n@workflow_action(label='Approve')\n"
         "def approve(cls, instances, **kwargs):\n    for inv in instances:\n" + PER_ITEM, **{"billing/hooks.py": "def workflow_action(**kw):\n"
                                                                                        "    return lambda f: f\n"}),
    # a helper whose only caller is an admin action hands it the selection
    billing_app("", **{"billing/admin.py": ADMIN + "def _remind(invoices):\n    for inv in invoices:\n" + PER_ITEM +
                "\n\ndef remind(modeladmin, request, queryset):\n    _remind(queryset)\n"}),
    # rows filtered by the ids a form posts (checkboxes), or an API call's body, or a form's cleaned field
    billing_app("from .models import Client, Invoice\n\ndef remind(request):\n    ids = request.POST.getlist('selected')\n"
         "    for inv in Invoice.objects.filter(pk__in=ids):\n" + PER_ITEM),
    billing_app("from .models import Client, Invoice\n\ndef remind(request):\n    for inv in Invoice.objects.filter(id__in=request.data['ids']):\n" + PER_ITEM),
    billing_app("from .models import Client, Invoice\n\ndef remind(form):\n    for inv in form.cleaned_data['invoices']:\n" + PER_ITEM),
]

NP101_SELECTION_POSITIVE = [
    # a ModelAdmin method that no `actions` lists and no decorator registers: its callers may pass anything
    billing_app("", **{"billing/admin.py": ADMIN + "class InvoiceAdmin(admin.ModelAdmin):\n    actions = ['other']\n\n"
                "    def remind(self, request, queryset):\n        for inv in queryset:\n    " + PER_ITEM}),
    # the ids of a query string: a link may name any number of rows, and a page listing them is read on every refresh
    billing_app("from .models import Client, Invoice\n\ndef remind(request):\n    ids = request.GET.getlist('selected')\n"
         "    for inv in Invoice.objects.filter(pk__in=ids):\n" + PER_ITEM),
    # posted ids of other rows: every invoice of the clients picked, as many as they have
    billing_app("from .models import Client, Invoice\n\ndef remind(request):\n"
         "    for inv in Invoice.objects.filter(client_id__in=request.POST.getlist('clients')):\n" + PER_ITEM),
    # an API body walked directly may be a bulk upload of any size
    billing_app("from .models import Client, Invoice\n\ndef load(request):\n    for inv in request.data['invoices']:\n" + PER_ITEM),
    # a helper called from an admin action and from a view over the whole table
    billing_app("", **{"billing/admin.py": ADMIN + "def _remind(invoices):\n    for inv in invoices:\n" + PER_ITEM +
                "\n\ndef remind(modeladmin, request, queryset):\n    _remind(queryset)\n\n\ndef nightly():\n    _remind(Invoice.objects.all())\n"}),
]

CLI_CHAIN = '''import click
from .models import Client, Invoice


def check(ids):
    for i in ids:
        Client.objects.get(pk=i)


def sync(ids):
    check(ids)


@click.command()
@click.option("-i", "--ids", "ids", multiple=True)
def sync_command(ids):
    sync(ids)


def nightly():
    check(%s)
'''

NP101_HANDFUL_MORE_NEGATIVE = [
    # what the command line passes, handed on through two plain functions; other callers pass a keyword, a
    # one-item list or nothing at all
    billing_app(CLI_CHAIN % '"all"'),
    billing_app(CLI_CHAIN % "[1]"),
    billing_app(CLI_CHAIN % "None"),
    # Flask-Script: `dest=` names the parameter; `@manager.command` makes every parameter an option
    billing_app("from .models import Client\nfrom .manage import manager\n\n@manager.option('-c', '--clients', dest='client_ids', action='append')\n"
         "def recount(client_ids):\n    for i in client_ids:\n        Client.objects.get(pk=i)\n", **{"billing/manage.py": "manager = None\n"}),
    billing_app("from .models import Client\nfrom .manage import manager\n\n@manager.command\ndef recount(client_ids):\n"
         "    for i in client_ids:\n        Client.objects.get(pk=i)\n", **{"billing/manage.py": "manager = None\n"}),
    # the lines of a file a person names on the command line, read in the command or in the helper it calls
    billing_app("import click\nimport csv\nfrom .models import Client\n\n@click.command()\n@click.option('-p', '--path', 'path')\ndef revoke(path):\n"
         "    with open(path) as f:\n        for row in csv.reader(f):\n            Client.objects.get(pk=row[0])\n"),
    billing_app("import click\nfrom .models import Client\n\n@click.command()\n@click.option('-p', '--path', 'path')\ndef revoke_command(path):\n"
         "    revoke(path)\n\n\ndef revoke(path):\n    with open(path) as f:\n        for line in f.readlines()[1:]:\n"
         "            Client.objects.get(pk=line)\n"),
    # the configuration: `getattr(settings, ...)`, a dict kept on the object from the config, a parameter's fallback
    billing_app("from django.conf import settings\nfrom .models import Client\n\ndef audit():\n"
         "    for i in getattr(settings, 'AUDITED_CLIENTS', ()):\n        Client.objects.get(pk=i)\n"),
    billing_app("from flask import current_app\nfrom .models import Client\n\nclass Directory:\n    def __init__(self):\n"
         "        self.groups = current_app.config.get('GROUPS_TO_CLIENTS', {})\n\n    def sync(self):\n"
         "        for group, client in self.groups.items():\n            Client.objects.get(name=client)\n"),
    billing_app("from flask import current_app\nfrom .models import Client\n\ndef audit():\n"
         "    names = current_app.config.get('AUDITED_NAMES', [])\n    for n in names:\n        Client.objects.get(name=n)\n"),
    billing_app("from flask import current_app\nfrom .models import Client\n\ndef remind(name, days=None):\n    if days is None:\n"
         "        days = current_app.config.get('REMINDER_DAYS', [30, 7])\n    for d in days:\n        Client.objects.filter(name=f'{name}_{d}').first()\n\n\n"
         "def setup():\n    remind('default')\n    remind('ops', current_app.config.get('OPS_DAYS'))\n"),
    # a literal list the function never grows (two sides of a rack, say)
    billing_app("from .models import Client\n\ndef sides(rack):\n    found = []\n    wanted = ['front', 'back']\n    for side in wanted:\n"
         "        found.append(Client.objects.filter(name=side).first())\n    return found\n"),
]

NP101_HANDFUL_MORE_POSITIVE = [
    # the same chain, with one caller passing a query's values
    billing_app(CLI_CHAIN % "Client.objects.values_list('pk', flat=True)"),
    # a file whose path the caller does not take from the command line (an upload kept on disk, say)
    billing_app("from .models import Client\n\ndef upload(request):\n    revoke(request.FILES['f'].temporary_file_path())\n\n\n"
         "def revoke(path):\n    with open(path) as f:\n        for line in f:\n            Client.objects.get(pk=line)\n"),
    # a parameter's fallback is the configuration, but a caller passes a query's values
    billing_app("from flask import current_app\nfrom .models import Client\n\ndef remind(days=None):\n    if days is None:\n"
         "        days = current_app.config.get('REMINDER_DAYS', [30, 7])\n    for d in days:\n        Client.objects.filter(name=d).first()\n\n\n"
         "def everyone():\n    remind(Client.objects.values_list('name', flat=True))\n"),
    # a literal list the function grows before walking it
    billing_app("from .models import Client\n\ndef walk(more):\n    wanted = ['front']\n    wanted.extend(more)\n    for side in wanted:\n"
         "        Client.objects.filter(name=side).first()\n"),
    # a while loop that pops items from a worklist is a loop per item
    billing_app("from .models import Client\n\ndef walk(ids):\n    todo = list(ids)\n    while todo:\n        i = todo.pop()\n        Client.objects.get(pk=i)\n"),
]

NP102_PAGES_NEGATIVE = [
    # a while loop asking a helper for page after page: one query per page, on purpose (moving a date back is
    # not taking an item from a worklist)
    billing_app("from .models import Client\n\ndef fetch(page, size, before):\n    return list(Client.objects.filter(created__lt=before).order_by('pk')[(page - 1) * size:page * size])\n\n\n"
         "def walk(now):\n    page, more = 1, True\n    while more:\n        rows = fetch(page=page, size=500, before=now.shift(days=-1))\n"
         "        more = len(rows) == 500\n        page += 1\n"),
]

NP102_PAGES_POSITIVE = [
    # a while loop that takes an item from a worklist per turn and hands it to a helper that queries
    billing_app("from .models import Client\n\ndef load(i):\n    return Client.objects.get(pk=i)\n\n\n"
         "def walk(ids):\n    todo = list(ids)\n    while todo:\n        load(todo.pop())\n"),
]

SAVE_EACH = "        inv.total = 0\n        inv.save()\n"

PF201_SELECTION_NEGATIVE = [
    # an admin action saving each row a user ticked (and the model's save() may matter): a handful of writes
    billing_app("", **{"billing/admin.py": ADMIN + "def reset(modeladmin, request, queryset):\n    for inv in queryset:\n" + SAVE_EACH}),
    # a helper whose every caller is such an action
    billing_app("", **{"billing/admin.py": ADMIN + "def _reset(invoices):\n    for inv in invoices:\n" + SAVE_EACH +
                "\n\n@admin.action(description='Reset')\ndef reset(modeladmin, request, queryset):\n    _reset(queryset)\n"}),
]

PF201_SELECTION_POSITIVE = [
    # the same method in a class that registers no actions: callers may pass any rows
    billing_app("from .models import Invoice\n\nclass Reminders:\n    def reset(self, request, queryset):\n        for inv in queryset:\n    "
         + SAVE_EACH.replace("\n        ", "\n            ")),
]
