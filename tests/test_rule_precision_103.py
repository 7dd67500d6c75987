"""Round 103 (issue 15): exact findings on what that round's applications showed (mcp_server/rules/statement_examples.py)."""

from mcp_server.rules import statement_examples as ex
from rule_cases import STRUCTURE, found_by, swapped as _swap

_PATH = "ledger/rates.py"


def test_a_value_in_quotes_is_listed_and_a_table_alone_is_the_statements_structure():
    files = {_PATH: ex.PF601_STRUCTURE_AND_VALUE}
    assert [f[:4] for f in found_by(files, "PF601")] == [
        (_PATH, 6, "high", "the statement is built by string formatting from `source`, `state` and run as SQL")]
    bound = _swap(files, "WHERE state = '{state}' ORDER BY valid_from DESC\").fetchall()",
                  "WHERE state = ? ORDER BY valid_from DESC\", (state,)).fetchall()")
    assert [f[:4] for f in found_by(bound, "PF601")] == [
        (_PATH, 6, "low", "the statement is built by string formatting from `source` and run as SQL" + STRUCTURE)]


def test_the_place_of_a_value_is_read_in_percent_and_format_templates_too():
    percent = _swap({_PATH: ex.PF601_STRUCTURE_AND_VALUE},
                    "f\"SELECT rate FROM {source} WHERE state = '{state}' ORDER BY valid_from DESC\"",
                    "\"SELECT rate FROM %s WHERE state = '%s'\" % (source, state)")
    assert [f[2] for f in found_by(percent, "PF601")] == ["high"]
    assert [f[2] for f in found_by(_swap(percent, "WHERE state = '%s'\" % (source, state)", "WHERE state = ?\" % (source,)"), "PF601")] == ["low"]
    formatted = _swap({_PATH: ex.PF601_STRUCTURE_AND_VALUE},
                      "f\"SELECT rate FROM {source} WHERE state = '{state}' ORDER BY valid_from DESC\"",
                      "\"SELECT rate FROM {t} WHERE state IN ({s})\".format(t=source, s=state)")
    assert [f[2] for f in found_by(formatted, "PF601")] == ["high"]
    # a sort order a list page takes from its URL stays listed in the structure's place
    sorted_by = _swap(formatted, "WHERE state IN ({s})\".format(t=source, s=state)", "ORDER BY {s}\".format(t=source, s=sort_order)")
    sorted_by = _swap(sorted_by, "def latest_rates(conn: sqlite3.Connection, source, state):", "def latest_rates(conn: sqlite3.Connection, source, sort_order):")
    assert [f[2] for f in found_by(sorted_by, "PF601")] == ["high"]


def test_a_synchronous_query_in_a_coroutine_of_a_project_without_an_async_driver_is_low_saying_why():
    from mcp_server.rules.caller_examples import PF801_SYNC_ONLY_PROJECT
    [(path, line, severity, message, _fix)] = found_by(PF801_SYNC_ONLY_PROJECT, "PF801")
    assert (path, line, severity) == ("hub/handlers.py", 10, "low")
    assert message.endswith("; the project imports no async database driver, so its coroutines run the synchronous one by design "
                            "(a session shared between handlers, each transaction kept between two awaits): moving this call to "
                            "a thread would hand that session to another thread, so it matters only where many requests wait on "
                            "one event loop")
    # an async engine elsewhere in the project: this coroutine's synchronous query stands out
    mixed = {**PF801_SYNC_ONLY_PROJECT, "hub/engine.py": "from sqlalchemy.ext.asyncio import create_async_engine\n"}
    assert [f[:3] for f in found_by(mixed, "PF801")] == [("hub/handlers.py", 10, "high")]
