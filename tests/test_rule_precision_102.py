"""Round 102 (issue 15): exact findings on what that round's applications showed (mcp_server/rules/remote_examples.py)."""

from mcp_server.rules import remote_examples as remote
from rule_cases import found_by, swapped as _swap

_PATH = "ledger/folders.py"


def test_steps_of_one_chain_each_taking_the_last_answer_are_no_call_per_item():
    files = {_PATH: remote.NP105_CHAINED_STEPS}
    assert found_by(files, "NP105") == [] and found_by(files, "PF301") == []
    # each segment looked up under the same parent: independent calls, one per segment
    independent = _swap(files, "        current = find_child(current, segment)", "        found = find_child(current, segment)")
    assert [f[:4] for f in found_by(independent, "NP105")] == [
        (_PATH, 14, "low", "`find_child()` is called once per item of the loop at line 13 and reaches a remote call: find_child -> "
                              "`requests.get` (ledger/folders.py:8); the loop does not walk rows of a query (its size is unknown), "
                              "so it matters only when it runs over many items")]


def test_a_django_auto_prefetch_foreign_key_is_loaded_for_every_row_fetched_together():
    from mcp_server.rules.caller_examples import NP103_AUTO_PREFETCH
    assert found_by(NP103_AUTO_PREFETCH, "NP103") == []
    plain = _swap(NP103_AUTO_PREFETCH, "client = auto_prefetch.ForeignKey(", "client = models.ForeignKey(")
    assert [f[:3] for f in found_by(plain, "NP103")] == [("books/views.py", 6, "high")]
