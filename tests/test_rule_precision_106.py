"""Round 106 (issue 15): SQLAlchemy rows that share one parent, named by an abbreviated key column or by a joined
class's key, whose many-to-one to that parent the identity map answers (mcp_server/analysis/joined_parent.py,
mcp_server/rules/joined_parent_examples.py)."""

import ast

from mcp_server.analysis.joined_parent import shared, snake
from mcp_server.rules import joined_parent_examples as ex
from rule_cases import found_by


def test_the_one_parent_by_an_abbreviated_key_column_is_not_loaded_per_row():
    assert found_by(ex.tax_app(ex.BY_KEY.format(path="tax_rate")), "NP104") == []
    [(path, line, severity, message, _fix)] = found_by(ex.tax_app(ex.BY_KEY.format(path="client")), "NP104")
    # one rate's lines are not a handful (a lookup table's row has most of the table): the loop stays large
    assert (path, line, severity) == ("books/report.py", 7, "high")
    assert message.startswith("`line.client.name` is lazy-loaded in the loop at line 7, once per distinct Client")


def test_the_one_parent_by_a_joined_classs_name_is_not_loaded_per_row():
    assert found_by(ex.tax_app(ex.BY_NAME.format(path="tax_rate", value="name")), "NP104") == []
    assert found_by(ex.tax_app(ex.BY_NAME.format(path="tax_rate", value='"ICMS"')), "NP104") == []
    [(path, line, severity, message, _fix)] = found_by(ex.tax_app(ex.BY_NAME.format(path="client", value="name")), "NP104")
    assert (path, line, severity) == ("books/report.py", 8, "high")


def test_a_joined_name_per_item_of_an_outer_loop_is_every_parents_rows():
    outer = ex.BY_NAME.format(path="tax_rate", value="rate.name").replace(
        "def lines_named(session, name):", "def lines_named(session, rates):\n    for rate in rates:").replace("\n    query", "\n        query").replace(
        "\n    return", "\n        yield")
    assert [f[:3] for f in found_by(ex.tax_app(outer), "NP104")] == [("books/report.py", 9, "high")]


def _filters(code):
    return [n for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Call)]


def test_what_names_a_shared_parent():
    def of(code, model="books.models.TaxLine", loop_vars=()):
        return shared(_filters(code), model, loop_vars)

    assert of("q.filter(TaxRate.name == name)") == ("tax_rate",)
    assert of("q.filter(TaxRate.code == DEFAULT_TAX)") == ("tax_rate",)
    assert of('q.where(TaxRate.name == "ICMS")') == ("tax_rate",)
    assert of("q.filter(TaxLine.tax_id == tax_rate.id, TaxLine.client_id == client.id)") == ("tax_rate", "client")
    assert of("q.filter_by(tax_id=tax_rate.id)") == ("tax_rate",)
    assert of("q.filter(TaxRate.id == TaxLine.tax_id)") == ()  # a join's condition
    assert of("q.filter(TaxLine.name == name)") == ()  # the rows' own column
    assert of("q.filter(TaxRate.percent == percent)") == ()  # not a key: many rates
    assert of("q.filter(TaxRate.name == rate.name)", loop_vars=("rate",)) == ()  # every rate's rows in turn
    assert of("q.filter(TaxRate.name != name)") == () and of("q.filter(TaxRate.name == None)") == ()
    # one value of the key column, named or not after the relation: every row's `tax` is that one row (okpy, round 152)
    assert of("q.filter(TaxLine.tax_id == wanted)") == ("tax",)
    assert of("q.filter(TaxLine.tax_id == tax_id)", loop_vars=("tax_id",)) == ()  # each key of the loop in turn
    assert of("q.filter(TaxLine.tx_id == tax_rate.id)") == ()  # too short to say which
    assert snake("TaxRate") == "tax_rate" and snake("Technology") == "technology" and snake("IPAddress") == "ipaddress"
