"""Round 66 (issue 15): exact findings on the rules' own examples, and what callers pass a loop over a parameter."""

from rule_cases import found_by as _found, rule_example as _example

FORMATTED = "the statement is built by string formatting from `{}` and run as SQL"


def test_a_name_looked_up_in_the_codes_own_dict_before_it_is_formatted_into_sql():
    files = _example("PF601", "negative", 'code = {"invoice": 4010, "receipt": 4020}[feature]')
    assert _found(files, "PF601") == []
    # `.get()` answers None for any other value instead of raising: the name is whatever the caller passed
    loose = {"app.py": files["app.py"].replace('{"invoice": 4010, "receipt": 4020}[feature]', '{"invoice": 4010, "receipt": 4020}.get(feature)')}
    assert [f[:4] for f in _found(loose, "PF601")] == [("app.py", 4, "high", FORMATTED.format("feature"))]


def test_attributes_of_the_codes_own_constants_formatted_into_sql():
    files = _example("PF601", "negative", "explicit=ratings.EXPLICIT.code")
    assert _found(files, "PF601") == []
    # the same attribute of a value the caller passes
    given = {"app.py": files["app.py"].replace("def flagged(cur, invoice_id: int):", "def flagged(cur, invoice_id: int, rating):")
             .replace("ratings.EXPLICIT.code", "rating.code")}
    assert [f[:4] for f in _found(given, "PF601")] == [("app.py", 8, "high", "`query` is built by string formatting from `rating.code` and run as SQL")]
