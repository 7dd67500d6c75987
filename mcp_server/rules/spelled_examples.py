"""A top-level function other modules only spell, never call, looks unused (analysis/name_refs.py, and docstrings
blanked in module_words.undocumented): a column of its name (`correct_timestamps = db.Column(...)`), a keyword
argument, a row's attribute, a word of a message, or a docstring naming it ("Helper function for correct_timestamps")
call nothing. TrapTagger's timestamp helpers and Diffgram's `migrate` (round 180: 3 findings judged DEAD). A module
that imports it, calls it through its module, or names it by a string without spaces (a task's path) keeps it."""

from .own_object_examples import ledger_app

_ROUTED = {**ledger_app(template=False, prop=False), "ledger/urls.py": (
    "from django.urls import path\nfrom . import views\n\nurlpatterns = [path('statement/<int:pk>/', views.statement)]\n")}

_EXPORTS = '''from .models import BillLine


def line_labels():
    return [line.bill.client.name for line in BillLine.objects.filter(bill__paid=False)]


def label_width(labels):
    """Helper function for line_labels: the widest label."""
    return max(map(len, labels), default=0)
'''
# a model field, a keyword argument, a row's attribute and a message spell the name; none calls the function
_SPELLING = '''from .models import Bill
from .exports import label_width


class Statement:
    line_labels = None


def statement(request, client):
    bill = Bill(client=client, line_labels=True)
    if not bill.line_labels:
        raise ValueError("could not build line_labels for this bill")
    return label_width([client.name]){}
'''
NP103_SPELLED_ONLY_LOWERED = {**_ROUTED, "ledger/exports.py": _EXPORTS, "ledger/views.py": _SPELLING.format("")}
NP103_SPELLED_CALLED_KEPT = [
    {**NP103_SPELLED_ONLY_LOWERED, "ledger/views.py": "from . import exports\n" + _SPELLING.format(" + len(exports.line_labels())")},
    {**NP103_SPELLED_ONLY_LOWERED, "ledger/views.py": "from .exports import *\n" + _SPELLING.format(" + len(line_labels())")},
    {**NP103_SPELLED_ONLY_LOWERED, "ledger/tasks.py": 'SCHEDULE = {"labels": {"task": "ledger.exports.line_labels"}}\n'},
]
