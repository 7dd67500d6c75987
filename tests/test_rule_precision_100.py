"""Round 100 (issue 15): exact findings on what that round's applications showed (mcp_server/rules/remote_examples.py,
mcp_server/rules/statement_examples.py)."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules import remote_examples as remote
from mcp_server.rules import statement_examples as ex
from rule_cases import found_by, swapped as _swap

_PATH = "ledger/remote.py"


def test_remote_calls_through_a_rate_limited_method_are_low_naming_the_limit():
    files = {_PATH: remote.NP105_RATE_LIMITED}
    [(path, line, severity, message, _fix)] = found_by(files, "NP105")
    assert (path, line, severity) == (_PATH, 19, "low")
    assert message == ("`invoice_notes()` is called once per item of the loop at line 19 and reaches a remote call: invoice_notes "
                       "-> _get -> `requests.get` (ledger/remote.py:13); every call passes through `_get()`, which "
                       "`@limits(calls=100, period=60)` throttles on purpose, so running them together gains nothing past that limit")
    unlimited = _swap(files, "    @sleep_and_retry\n    @limits(calls=100, period=60)\n", "")
    assert [f[:3] for f in found_by(unlimited, "NP105")] == [(_PATH, 17, "medium")]


def test_the_pages_of_one_listing_are_no_remote_call_per_item():
    files = {_PATH: remote.NP105_PAGES}
    assert found_by(files, "NP105") == []
    # fifty pages asked for, whatever they hold: one call per item of a range nothing sizes, found at low (n_plus_one_common.sized)
    unpaged = _swap(files, "        if len(rows) < limit:\n            break\n", "")
    assert [f[:3] for f in found_by(unpaged, "NP105")] == [(_PATH, 8, "low")]


def test_an_upsert_built_into_a_name_is_one_write_per_item_not_a_lookup():
    files = {"ledger/ingest.py": ex.PF201_UPSERT_BY_NAME}
    assert [(f.rule, f.location.line, f.severity.value, f.message) for f in scan_sources(files).findings] == [
        ("PF201", 20, "high", "one INSERT statement per item of the loop at line 17")]
    # a select built the same way stays a query per item
    select = _swap(files, "        stmt = insert(Payment).values(id=p[\"id\"], amount=p[\"amount\"])\n"
                          "        stmt = stmt.on_conflict_do_update(index_elements=[\"id\"], set_={\"amount\": stmt.excluded.amount})\n",
                   "        stmt = select(Payment).where(Payment.id == p[\"id\"])\n")
    select = _swap(select, "from sqlalchemy.orm import", "from sqlalchemy import select\nfrom sqlalchemy.orm import")
    assert [(f.rule, f.location.line) for f in scan_sources(select).findings] == [("NP101", 20)]


def test_many_rows_in_one_statement_per_item_are_no_write_per_row():
    files = {"ledger/codes.py": ex.PF201_ROWS_PER_TABLE}
    assert found_by(files, "PF201") == []
    one = _swap(files, '[{"code": code} for code in missing]', '{"code": missing.pop()}')
    assert [f[:2] for f in found_by(one, "PF201")] == [("ledger/codes.py", 10)]


def test_a_connection_a_with_closes_through_its_execution_options_is_no_leak():
    files = {"ledger/tenants.py": ex.PF501_OPTIONS_IN_WITH}
    assert found_by(files, "PF501") == []
    inline = _swap(files, "    with engine.connect().execution_options(schema_translate_map={None: schema}) as conn:\n"
                          "        return conn.execute(text(\"SELECT id, total FROM invoices\")).all()",
                   "    return engine.connect().execution_options(schema_translate_map={None: schema}).execute(\n"
                   "        text(\"SELECT id, total FROM invoices\")).all()")
    assert [f[1:4] for f in found_by(inline, "PF501")] == [(8, "medium", "the connection from `engine.connect(...)` is used once and never closed")]


def test_a_client_a_from_constructor_keeps_is_not_left_open():
    files = {"ledger/tools.py": ex.PF501_KEPT_BY_CONSTRUCTOR}
    assert found_by(files, "PF501") == []
    dropped = _swap(files, "    return FastMCP.from_openapi(openapi_spec=spec, client=client)", "    return spec")
    assert [f[1:3] for f in found_by(dropped, "PF501")] == [(7, "medium")]


def test_a_fastapi_route_only_admins_pass_is_low_naming_what_admits_them():
    from mcp_server.rules import staff_examples as staff
    [(path, line, severity, message, _fix)] = found_by(staff.NP104_FASTAPI_ADMIN_LOWERED, "NP104")
    assert (path, line, severity) == ("books/routes.py", 13, "low")
    assert "; only staff reach it (a dependency that admits admins only (`Depends(current_admin_user)`))" in message
    assert [f[2] for f in found_by(staff.NP104_FASTAPI_USER_KEPT, "NP104")] == ["high"]
    router = _swap(staff.NP104_FASTAPI_USER_KEPT, '@router.get("/invoices/clients")', '@admin_router.get("/invoices/clients")')
    [(_p, _l, severity, message, _f)] = found_by(router, "NP104")
    assert severity == "low" and "; only staff reach it (a route of `admin_router`)" in message
