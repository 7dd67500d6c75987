"""A relation read per row of one object's related rows where the project prefetches that path somewhere
(analysis/prefetches.py), on the rule's own examples (mcp_server/rules/prefetch_examples.py)."""

import pytest

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules import prefetch_examples as ex

ONE_OBJECT = "; the loop walks related rows of one object, often a handful, so it matters when that object has many"


def _found(files):
    report = scan_sources(files, select=["NP103"])
    assert not report.errors, report.errors
    return [(f.location.path, f.location.line, f.severity.value, f.message) for f in report.findings]


@pytest.mark.parametrize("files", ex.NP103_PREFETCHED_ELSEWHERE, ids=["path", "Prefetch-queryset", "prefixed-helper", "named-nested", "built-by-a-function"])
def test_a_path_the_project_prefetches_is_low_and_named(files):
    [(path, line, severity, message)] = _found(files)
    assert (path, line, severity) == ("billing/models.py", 13, "low")
    assert message.endswith(ONE_OBJECT + "; the project prefetches `lines__product` where it loads such objects, so the "
                            "callers that use it run no query here: worth a look only for a caller that does not")


def test_a_path_nobody_prefetches_says_only_the_one_object_reason():
    [(path, line, severity, message)] = _found(ex.NP103_NOT_PREFETCHED)
    assert (path, line, severity) == ("billing/models.py", 13, "low")
    assert message.endswith(ONE_OBJECT)


def test_a_prefetch_named_inside_another_prefetchs_queryset_is_that_path():
    # LINES = Prefetch("lines", queryset=Line.objects.prefetch_related(PRODUCTS)): `lines__product` (MIT xPRO)
    [(path, line, severity, message)] = _found(ex.NP103_PREFETCHED_ELSEWHERE[3])
    assert (path, line, severity) == ("billing/models.py", 13, "low")
    assert "the project prefetches `lines__product` where it loads such objects" in message


@pytest.mark.parametrize("files", ex.NP103_CLASS_PREFETCH_NEGATIVE, ids=["by-name-in-the-class-body", "self-attribute"])
def test_a_prefetch_a_list_views_class_body_builds_loads_the_serializers_relation(files):
    assert scan_sources(files).findings == []


def test_a_prefetch_the_class_body_builds_but_the_queryset_leaves_out_is_no_prefetch():
    [f] = scan_sources(ex.NP103_CLASS_PREFETCH_POSITIVE).findings
    assert (f.rule, f.severity.value, f.location.path, f.location.line) == ("NP103", "high", "billing/serializers.py", 14)
    assert f.message.startswith("`obj.lines` loads Invoice.lines once per row in the loop at line 11: the queryset at "
                                "billing/views.py:11 has no prefetch_related(\"lines\")")


def test_a_list_of_lookups_named_for_prefetching_is_what_the_project_prefetches():
    # `common_prefetch_fields = ("lines", "lines__product")` in the model, spelled `*Invoice.common_prefetch_fields`
    [(path, line, severity, message)] = _found(ex.NP103_DECLARED_PREFETCH)
    assert (path, line, severity) == ("billing/models.py", 14, "low")
    assert message.endswith(ONE_OBJECT + "; the project prefetches `lines__product` where it loads such objects, so the "
                            "callers that use it run no query here: worth a look only for a caller that does not")
