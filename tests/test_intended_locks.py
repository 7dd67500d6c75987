"""Row locks taken one at a time on purpose are not N+1s (queries.Queries._intended_lock): the rule's examples, exact."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules.lock_examples import NP101_LOCK_NEGATIVE, NP101_LOCK_POSITIVE


def _found(files: dict[str, str]) -> list[tuple[str, str, int, str]]:
    return sorted((f.rule, f.location.path, f.location.line, f.message.split(" ")[0]) for f in scan_sources(files).findings)


def test_skip_locked_per_candidate_is_not_reported():
    assert _found(NP101_LOCK_NEGATIVE[0]) == []


def test_the_same_row_locked_in_a_transaction_per_batch_is_not_reported():
    assert _found(NP101_LOCK_NEGATIVE[1]) == []


def test_each_items_row_locked_in_its_own_transaction_is_reported():
    # (the save in a transaction per item is not PF201's: each item commits on its own by design)
    assert _found(NP101_LOCK_POSITIVE[0]) == [("NP101", "booking/jobs.py", 9, "`Ledger.objects.get`")]


def test_a_lock_per_row_inside_one_transaction_is_reported():
    # and its save per row is a row-by-row write
    assert _found(NP101_LOCK_POSITIVE[1]) == [("NP101", "booking/jobs.py", 9, "`Ledger.objects.get`"), ("PF201", "booking/jobs.py", 11, "`ledger.save()`")]


def test_skip_locked_false_is_a_plain_lock():
    files = dict(NP101_LOCK_NEGATIVE[0])
    files["booking/jobs.py"] = files["booking/jobs.py"].replace("skip_locked=True", "skip_locked=False")
    assert _found(files) == [("NP101", "booking/jobs.py", 7, "`Seat.objects.get`")]
