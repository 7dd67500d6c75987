"""Findings judged on applications nobody here had read (stop 33, round 30), each cause fixed, exact."""

import pytest

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules import queryset_method_examples as ex

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
