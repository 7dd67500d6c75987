"""Querysets that run nothing where they are written: a row's related queryset handed on unevaluated
(calls.Calls._note_passed_along) and querysets inside Q / Exists / Subquery expressions
(queries.Queries._lazy_expression): the rule examples, with exact findings."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules.lazy_examples import (
    NP102_EXPRESSION_NEGATIVE,
    NP102_EXPRESSION_POSITIVE,
    NP103_LAZY_NEGATIVE,
    NP103_LAZY_POSITIVE,
)


def _found(files: dict[str, str]) -> list[tuple[str, str, int, str]]:
    return sorted((f.rule, f.location.path, f.location.line, f.message.split(" ")[0]) for f in scan_sources(files).findings)


def test_a_related_queryset_handed_to_a_job_is_not_loaded_per_row():
    assert _found(NP103_LAZY_NEGATIVE[0]) == []


def test_a_related_queryset_evaluated_in_the_loop_is_reported():
    assert _found(NP103_LAZY_POSITIVE[0]) == [("NP103", "kanban/tasks.py", 7, "`board.cards.all()`")]


def test_the_same_queryset_handed_to_list_is_evaluated_here():
    files = dict(NP103_LAZY_NEGATIVE[0])
    files["kanban/tasks.py"] = files["kanban/tasks.py"].replace("enqueue(archive, board.cards.all())", "archive(list(board.cards.all()))")
    assert _found(files) == [("NP103", "kanban/tasks.py", 8, "`board.cards.all()`")]


def test_a_helper_building_q_and_exists_expressions_runs_no_query():
    assert _found(NP102_EXPRESSION_NEGATIVE[0]) == []


def test_a_row_fetched_inside_a_q_is_a_query_per_item():
    assert _found(NP102_EXPRESSION_POSITIVE[0]) == [("NP102", "kanban/tasks.py", 8, "`owner_condition()`")]


def test_a_rows_related_rows_bound_to_a_name_only_asked_anew_are_not_loaded_per_row():
    # `cards.values_list(...)` and `cards.delete()` query anew: a prefetch would serve neither (stop 33, round 30)
    assert _found(NP103_LAZY_NEGATIVE[-1]) == []


def test_the_same_name_evaluated_as_rows_is_loaded_per_row():
    assert _found(NP103_LAZY_POSITIVE[1]) == [("NP103", "kanban/tasks.py", 7, "`board.cards.all()`")]
