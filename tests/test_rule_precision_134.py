"""Round 134 (issue 15, stop 60): rows joined to an outer loop's own row, and a number by its parameter's default."""

from mcp_server.rules.joined_parent_examples import BY_OUTER_ROW, tax_app
from mcp_server.rules.sql_formatting_examples import PF601_NEGATIVE, PF601_POSITIVE
from rule_cases import example, found_by


def test_rows_joined_to_the_outer_loops_own_row_load_no_parent():
    assert found_by(tax_app(BY_OUTER_ROW.format(path="tax_rate")), "NP104") == []


def test_another_relation_of_the_same_rows_is_still_a_load_per_row():
    [(path, line, severity, message, _fix)] = found_by(tax_app(BY_OUTER_ROW.format(path="client")), "NP104")
    assert (path, line, severity) == ("books/report.py", 9, "high")
    assert message.startswith("`line.client.name` is lazy-loaded in the loop at line 8, once per distinct Client not already in the session")


def test_a_parameter_whose_default_is_a_number_formats_digits():
    assert found_by({"app.py": example(PF601_NEGATIVE, "min_count=100")}, "PF601") == []


def test_the_same_parameter_without_its_default_may_be_any_text():
    [(path, line, severity, message, _fix)] = found_by({"app.py": example(PF601_POSITIVE, "def keyword_counts(conn, min_count):")}, "PF601")
    assert (path, line, severity) == ("app.py", 10, "high")
    assert message == "`query` is built by string formatting from `min_count` and run as SQL"
