"""Rounds 100 to 130: loops nothing sizes, eager loading through a relationship variant, money floated only to hand it out,
lists served from the response cache."""

from mcp_server.analysis.batch_context import REQUEST_SIZED
from rule_cases import found_by

from mcp_server.analysis.loop_size import UNSIZED
from mcp_server.rules import loader_variants_examples as lv
from mcp_server.rules import money_output_examples as mo
from mcp_server.rules import unsized_writes_examples as uw

_NP105_UNSIZED = {"app.py": '''
import requests


def label_cards(board_id, labels):
    for label in labels["items"]:
        requests.put(f"https://deck.example/boards/{board_id}/labels", json=label, timeout=10)
'''}


def test_a_remote_call_per_item_of_a_loop_nothing_sizes_is_low_and_says_so():
    [(path, line, severity, message, _fix)] = found_by(_NP105_UNSIZED, "NP105")
    assert (path, line, severity) == ("app.py", 7, "low")
    assert message == ("`requests.put` runs a remote call once per item of the loop at line 6" + UNSIZED)


def test_a_statement_per_item_of_a_loop_nothing_sizes_is_low_over_rows_or_a_file_high():
    [(path, line, severity, message, _fix)] = found_by({"app.py": uw.PF201_UNSIZED_STATEMENT_LOWERED[0]}, "PF201")
    assert (path, line, severity) == ("app.py", 4, "low")
    assert message == "one UPDATE per item of the loop at line 3: a round trip and a statement per row" + UNSIZED
    rows, lines = uw.PF201_SIZED_STATEMENT_KEPT
    # (over rows, in a module not named for bulk work: low all the same, for that reason)
    assert [(*f[:3], f[3].endswith(REQUEST_SIZED)) for f in found_by({"app.py": rows}, "PF201")] == [("app.py", 5, "low", True)]
    assert [f[:3] for f in found_by({"app.py": lines}, "PF201")] == [("app.py", 8, "high")]


def test_a_relationship_loaded_through_of_type_or_and_is_loaded():
    for files in lv.NP104_LOADER_VARIANT_NEGATIVE:
        assert found_by(files, "NP104") == []
    [(path, line, severity, _message, _fix)] = found_by(lv.NP104_LOADER_VARIANT_POSITIVE[0], "NP104")
    assert (path, line, severity) == ("shop/report.py", 9, "high")


def test_money_floated_only_to_hand_it_out_is_low_and_computed_with_stays_high():
    found = found_by({"app.py": mo.PF701_OUTPUT_LOWERED[0]}, "PF701")
    assert [f[:3] for f in found] == [("app.py", 8, "low"), ("app.py", 15, "low")]
    assert found[0][3] == ("`float(price)` turns money into a binary float only to hand it out (a JSON number, a value shown): "
                           "nothing here computes with the float, and a Decimal of two places converts to the float that prints "
                           "the same")
    summed, returned = mo.PF701_COMPUTED_KEPT[:2]
    assert [f[:4] for f in found_by({"app.py": summed}, "PF701")] == [("app.py", 9, "high", "`float(product.price)` turns money into a binary float")]
    # handed back, nothing here decides on it: `low` since round 306 (1 of the 17 returned floats judged was worth acting on)
    assert [f[:3] for f in found_by({"app.py": returned}, "PF701")] == [("app.py", 6, "low")]


def test_a_list_served_from_the_response_cache_is_low_and_a_cached_detail_leaves_it_high():
    from mcp_server.rules import cached_responses_examples as cr

    [(path, line, severity, message, _fix)] = found_by(cr.NP103_CACHED_LIST_LOWERED[0], "NP103")
    assert (path, line, severity) == ("billing/api.py", 10, "low")
    assert message.endswith("; the view's response is cached (`@cache_page(60 * 60)` on `list`), so these queries run on a cache "
                            "miss, once per URL and timeout")
    assert [f[:3] for f in found_by(cr.NP103_CACHED_DETAIL_KEPT[0], "NP103")] == [("billing/api.py", 10, "high")]
    [(path, line, severity, message, _fix)] = found_by(cr.NP101_CACHED_VIEW_LOWERED[0], "NP101")
    assert (path, line, severity) == ("billing/views.py", 10, "low")
    assert message.endswith("the view's response is cached (`@cache_page(600)`), so these queries run on a cache miss, once per URL "
                            "and timeout")
