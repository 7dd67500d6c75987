"""A function the engine cannot analyse costs only its own findings: the scan goes on, and the report names the
function and the error. The failure is forced by patching one detector step, since every real case found so far
(rapidpro's rows handed back to their own class, test_rows_held_by_classes.py) is fixed."""

from mcp_server.analysis import n_plus_one
from mcp_server.analysis.scan import scan_sources

MODELS = '''
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=100)


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
'''

VIEWS = '''
from .models import Invoice


def broken():
    return [i.client.name for i in Invoice.objects.all()]


def names():
    return [i.client.name for i in Invoice.objects.all()]
'''


def test_one_function_failing_leaves_the_others_findings_and_says_where(monkeypatch):
    real = n_plus_one.Detector._relations

    def failing(self, module, fn):
        if fn.qualname == "broken":
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, module, fn)

    monkeypatch.setattr(n_plus_one.Detector, "_relations", failing)
    report = scan_sources({"app/__init__.py": "", "app/models.py": MODELS, "app/views.py": VIEWS})
    assert [(f.rule, f.location.line) for f in report.findings] == [("NP103", 10)]
    assert [(p.input, p.message.split(":")[0]) for p in report.errors] == [
        ("app/views.py:5", "internal error analysing `broken` (RecursionError")]
    assert "the rest stands" in report.errors[0].message


def test_without_a_failure_there_is_no_problem():
    report = scan_sources({"app/__init__.py": "", "app/models.py": MODELS, "app/views.py": VIEWS})
    assert sorted((f.rule, f.location.line) for f in report.findings) == [("NP103", 6), ("NP103", 10)]
    assert report.errors == []


# A recursive-descent helper (pgAdmin's SQL completion) returns itself from several branches and never a row: walking
# its returns without memory is branches**MAX_CHAIN steps (five branches there: two minutes on that one function).
# Each (function, model, depth) is resolved once: 13 walks here, 2**13 before.
DESCENT = '''
from .models import Invoice


def suggest(tokens):
    head = tokens[0]
    if head == "a":
        return suggest(tokens[1:])
    if head == "b":
        return suggest(tokens[2:])
    return []


def names(tokens):
    for word in suggest(tokens):
        print(word.client.name)
    return [i.client.name for i in Invoice.objects.all()]
'''


def test_a_function_returning_itself_from_many_branches_is_resolved_once_per_depth(monkeypatch):
    from mcp_server.analysis import index_sources
    from mcp_server.analysis.index_model import MAX_CHAIN

    walked = []
    real = index_sources.RowSources._returned_once

    def counted(self, fn_key, self_model, depth):
        walked.append(fn_key)
        return real(self, fn_key, self_model, depth)

    monkeypatch.setattr(index_sources.RowSources, "_returned_once", counted)
    report = scan_sources({"billing/__init__.py": "", "billing/models.py": MODELS, "billing/views.py": DESCENT}, select=["NP103"])
    assert not report.errors
    assert [(f.rule, f.location.path, f.location.line) for f in report.findings] == [("NP103", "billing/views.py", 17)]
    assert walked.count("billing.views.suggest") <= MAX_CHAIN + 2
