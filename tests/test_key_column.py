"""`row.client.id` loads the client only to read the key the row's own column holds: the fix names `row.client_id`,
which needs no query at all, beside the select_related that also works."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules.row_examples import ROW_MODELS

KEY = " Where only its key is read (`{read}`), read `{row}.client_id` instead: the key is a column of the row, so no query and no join."


def _findings(code: str):
    report = scan_sources({"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/views.py": code}, select=["NP103"])
    assert not report.errors
    return report.findings


def test_a_key_read_through_the_relation_names_the_key_column():
    (f,) = _findings('''
from .models import Invoice
def client_ids():
    return [inv.client.id for inv in Invoice.objects.filter(total__gt=0)]
''')
    assert f.location.line == 4
    assert f.suggestion == ('Add `.select_related("client")` to the queryset at billing/views.py:4.'
                            + KEY.format(read="inv.client.id", row="inv"))


def test_a_key_read_inside_a_helper_the_loop_runs_per_row():
    (f,) = _findings('''
from .models import Invoice
def as_dict(invoice):
    return {"id": invoice.pk, "client": invoice.client.pk}
def export():
    return [as_dict(inv) for inv in Invoice.objects.all()]
''')
    assert f.suggestion.endswith(KEY.format(read="invoice.client.pk", row="invoice"))


def test_other_columns_of_the_related_row_get_only_the_eager_loading():
    (f,) = _findings('''
from .models import Invoice
def client_names():
    return [inv.client.name for inv in Invoice.objects.all()]
''')
    assert f.suggestion == 'Add `.select_related("client")` to the queryset at billing/views.py:4.'
