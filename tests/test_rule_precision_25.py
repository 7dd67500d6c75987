"""Findings judged on five applications nobody here had read (stop 25), each cause fixed with its true twin, exact."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules.row_examples import SERIALIZERS, billing_app


def _found(files: dict[str, str], rule: str) -> list[tuple[str, int, str]]:
    return sorted((f.location.path, f.location.line, f.message) for f in scan_sources(files).findings if f.rule == rule)


_FIRST_CLIENT = '''
from .models import Invoice
def first_client():
    for inv in Invoice.objects.all():
        if inv.client:
            return inv.client
    return None
def first_client_name():
    name = None
    for inv in Invoice.objects.all():
        if inv.client:
            name = inv.client.name
            break
    return name
def first_named():
    for inv in Invoice.objects.filter(total__gt=0):
        if inv.client.name:
            return inv.client.name
    return None
'''


def test_np103_a_relation_tested_by_a_branch_that_leaves_the_loop_is_read_once():
    # `if inv.client: return ...` reads at most one client; `if inv.client.name:` reads one per row until a name is set
    found = _found(billing_app(_FIRST_CLIENT), "NP103")
    assert [(path, line) for path, line, _ in found] == [("billing/views.py", 17)]
    assert found[0][2].startswith("`inv.client.name` loads Invoice.client once per row in the loop at line 16")


_REORDER = '''
def reorder_statuses(cur, orders):
    cur.execute("PREPARE set_order AS UPDATE invoice_status SET position = $1 WHERE id = $2")
    for status_id, position in orders:
        cur.execute("EXECUTE set_order (%s, %s)", (position, status_id))
    cur.execute("DEALLOCATE set_order")
'''


def test_pf201_a_prepared_update_executed_per_row_is_a_write_not_a_read():
    # the batch-write rule names the right fix (executemany / one UPDATE ... FROM VALUES), not NP101's SELECT ... IN
    files = {"billing/__init__.py": "", "billing/order.py": _REORDER}
    assert _found(files, "NP101") == []
    found = _found(files, "PF201")
    assert [(path, line, message.split(":")[0]) for path, line, message in found] == [
        ("billing/order.py", 5, "one UPDATE per item of the loop at line 4")]


_VIEWSET = '''
from rest_framework import viewsets
from .models import Invoice
from .serializers import InvoiceSerializer
class InvoiceViewSet(viewsets.ModelViewSet):
    serializer_class = InvoiceSerializer
    def get_queryset(self):
        if self.request.user.is_anonymous:
            return Invoice.objects.none()
        return Invoice.objects.filter(client__owner=self.request.user)
'''


def test_drf_rows_are_those_of_the_return_that_has_rows_not_of_none():
    found = _found(billing_app(_VIEWSET, **{"billing/serializers.py": SERIALIZERS}), "NP103")
    assert found and all("the queryset at billing/views.py:10 " in message for _, _, message in found), found
