"""A query per item of a request payload's list (analysis/payloads.py), on the rule's own examples
(mcp_server/rules/payload_examples.py): the exact severity, line and reason."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules import payload_examples as ex

PAYLOAD = ("; the loop walks a list of a request's validated input (`InvoiceCreate`), a handful a person submitted, so it "
           "matters only when they submit many")


def _found(files):
    report = scan_sources(files, select=["NP102"])
    assert not report.errors, report.errors
    return report.findings


def test_a_query_per_item_of_a_pydantic_payloads_list_is_low_and_says_why():
    [f] = _found(ex.NP102_PAYLOAD_LOWERED)
    assert (f.severity.value, f.location.path, f.location.line) == ("low", "books/service.py", 13)
    assert f.message.endswith(PAYLOAD)
    assert "often a handful" not in f.message  # the one-object reason it replaces


def test_the_same_loop_over_a_plain_class_is_low_for_the_one_object_reason():
    [f] = _found(ex.NP102_PLAIN_CLASS_KEPT)
    assert (f.severity.value, f.location.line) == ("low", 13)
    assert f.message.endswith("the loop walks related rows of one object, often a handful, so it matters when that object has many")
