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


@pytest.mark.parametrize("files", ex.NP103_PREFETCHED_ELSEWHERE, ids=["path", "Prefetch-queryset", "prefixed-helper"])
def test_a_path_the_project_prefetches_is_low_and_named(files):
    [(path, line, severity, message)] = _found(files)
    assert (path, line, severity) == ("billing/models.py", 13, "low")
    assert message.endswith(ONE_OBJECT + "; the project prefetches `lines__product` where it loads such objects, so the "
                            "callers that use it run no query here: worth a look only for a caller that does not")


def test_a_path_nobody_prefetches_says_only_the_one_object_reason():
    [(path, line, severity, message)] = _found(ex.NP103_NOT_PREFETCHED)
    assert (path, line, severity) == ("billing/models.py", 13, "low")
    assert message.endswith(ONE_OBJECT)
