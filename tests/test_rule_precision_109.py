"""Round 109 (issue 15): SQLAlchemy rows a function loaded earlier and still holds by a name serve a later loop's
many-to-one lazy loads from the identity map (mcp_server/analysis/warmed_session.py,
mcp_server/rules/joined_parent_examples.py); a Django form field's `clean(value)` walks one submission's values
(mcp_server/analysis/caller_rows.py, mcp_server/rules/handful_examples.py)."""

from mcp_server.rules import joined_parent_examples as ex
from rule_cases import found_by

HELD = ("; the Client rows that `{name}` (walked at line 8) loaded stay in the session's identity map while that name holds "
        "them, and a many-to-one lazy load takes its row from there before it queries, so it queries only for a Client that "
        "statement did not load")


def test_the_parents_a_function_loaded_before_and_holds_are_lowered_with_the_name_that_holds_them():
    assert len(ex.WARMED_BY_NAME) == 3
    for first, name in zip(ex.WARMED_BY_NAME, ("clients", "lines", "clients")):
        [(path, line, severity, message, _fix)] = found_by(ex.payments_app(first), "NP104")
        assert (path, line, severity) == ("books/report.py", 11, "low")
        assert message == ("`payment.client.name` is lazy-loaded once per Payment in the loop at line 10: the statement at "
                           "books/report.py:10 has no `joinedload(Payment.client)`" + HELD.format(name=name))


def test_rows_dropped_when_their_loop_ends_or_loaded_without_the_parent_keep_the_finding():
    inline, unjoined = (found_by(ex.payments_app(first), "NP104") for first in ex.NOT_WARMED)
    assert [f[:3] for f in inline] == [("books/report.py", 10, "high")]
    assert [f[:3] for f in unjoined] == [("books/report.py", 11, "high")]
    assert "once per distinct Client not already in the session" in unjoined[0][3]


def test_a_loop_around_the_lazy_load_does_not_count_as_loaded_before():
    # (its rows written inline: no name holds them all, as `clients = session.query(Client).all()` would, whose rows
    # stay in the identity map for the whole function: test_rule_precision_199's held list)
    around = ex.WARMED.format(first="for first in session.query(Client).all():").replace(
        "        print(first.amount)\n    for payment in session.query(Payment).all():\n        print(",
        "        for payment in session.query(Payment).all():\n            print(")
    assert [f[:3] for f in found_by({**ex.payments_app(""), "books/report.py": around}, "NP104")] == [("books/report.py", 9, "high")]


FORM = ("; the loop walks the parameter `value`, and no caller in the project is shown to pass it the rows of a query ({}), so "
        "it matters only when they pass many")


def test_a_form_fields_clean_walks_one_submissions_values():
    from mcp_server.rules import handful_examples as hx

    [(path, line, severity, message, _fix)] = found_by(hx.NP101_FORM_FIELD_LOWERED, "NP101")
    assert (path, line, severity) == ("billing/forms.py", 9, "low")
    assert message.endswith(FORM.format("a form field's hook: Django hands it the values one form submission holds for that field"))
    # the same method on a plain class: nothing in the project calls it, an API for code outside as far as one can see
    [(path, line, severity, message, _fix)] = found_by(hx.NP101_OUTSIDE_KEPT, "NP101")
    assert (path, line, severity) == ("billing/forms.py", 9, "medium")
    assert message.endswith(FORM.format("nothing in the project calls it: its callers are outside the project"))
    # a form field's method Django does not call with the submission (a helper of its own) keeps the finding
    helper = {**hx.NP101_FORM_FIELD_LOWERED, "billing/forms.py": hx.FORM_FIELD.replace("def clean(", "def pick(")}
    assert [f[:3] for f in found_by(helper, "NP101")] == [("billing/forms.py", 9, "medium")]
