"""Rounds 277 to 294 (issue 15, stop 77): each cause fixed this stop, with the twin that keeps its finding."""

from mcp_server.analysis.pattern_money import LITERAL_LOWERED
from rule_cases import found_by as _found_by

from mcp_server.rules import blueprints_and_branches_examples as bb
from mcp_server.rules import records_sets_and_packages_examples as rs


def found_by(example, rule):
    """What `rule` finds on a rule example: a module's source (scanned as app.py) or files by path."""
    return _found_by(example if isinstance(example, dict) else {"app.py": example}, rule)


def test_a_helper_handed_the_rows_record_by_name_never_fetches_it():
    assert found_by(rs.NP102_RECORD_HANDED_BY_NAME, "NP102") == []
    assert [f[:4] for f in found_by(rs.NP102_KEY_HANDED_BY_NAME, "NP102")] == [
        ("app.py", 33, "medium", "`box_move()` is called once per item of the loop at line 31 and reaches a query: box_move -> "
                                 "`Box.objects.get` (app.py:22); the loop walks the rows of one pallet, often a handful, so it "
                                 "matters when that object has many")]


def test_a_query_under_a_set_of_handled_names_runs_once_per_name():
    assert found_by(rs.NP101_ONCE_PER_NAME, "NP101") == []
    assert [f[:4] for f in found_by(rs.NP101_SET_NEVER_FILLED, "NP101")] == [
        ("app.py", 11, "high", "`db.query` runs a query once per item of the loop at line 8")]
    # a test of the item's own list guards a call per item
    assert [f[:3] for f in found_by(rs.NP105_ITEMS_OWN_LIST, "NP105")] == [("app.py", 8, "medium")]


def test_a_viewsets_list_serializer_class_serialises_its_list():
    assert found_by(rs.NP103_LIST_SERIALIZER_NAMED, "NP103") == []
    assert [f[:4] for f in found_by(rs.NP103_DETAIL_SERIALIZER_LISTED, "NP103")] == [
        ("competition/api.py", 20, "high", "`obj.divisions` loads Season.divisions once per row in the loop at line 28: the queryset "
                                           "at competition/api.py:28 has no prefetch_related(\"divisions\") (serialising each row "
                                           "reads `divisions = ListDivisionSerializer(many=True, read_only=True)`)")]


def test_a_router_in_a_namespace_package_nothing_includes_looks_unused():
    blocking = ("blocking call inside `async def upstream_health`: `requests.get` is a blocking HTTP call; use httpx.AsyncClient "
                "or aiohttp and await it")
    assert [f[:4] for f in found_by(rs.PF801_ROUTER_IN_A_NAMESPACE_PACKAGE, "PF801")] == [
        ("app/utils/healthcheck.py", 9, "low", blocking + "; nothing the application runs imports this module (no route, registry, "
                                                       "setting or task names it; tests aside), so it looks unused")]
    # a folder no import goes through: its files may be scripts run by themselves
    assert [f[:4] for f in found_by(rs.PF801_ROUTER_IN_A_FOLDER_NOTHING_IMPORTS, "PF801")] == [
        ("app/checks/healthcheck.py", 9, "high", blocking)]


def test_rows_filtered_to_one_parent_by_a_key_column_named_as_it():
    assert found_by(rs.NP104_ROWS_OF_ONE_FORM, "NP104") == []
    assert [f[:4] for f in found_by(rs.NP104_ROWS_OF_EVERY_FORM, "NP104")] == [
        ("app.py", 29, "high", "`d.form_detail` is lazy-loaded once per Data in the loop at line 29: the statement at app.py:29 has "
                               "no `selectinload(Data.form_detail)` (it runs inside `return form, [d.listed for d in data]`, which "
                               "reads `return {\"id\": self.id, \"form\": self.form_detail.name}`)")]


def test_a_decimal_fields_whole_float_default_is_exact():
    assert found_by(rs.PF701_DECIMAL_FIELD_WHOLE_DEFAULT, "PF701") == []
    assert [f[:4] for f in found_by(rs.PF701_DECIMAL_FIELD_FRACTION_DEFAULT, "PF701")] == [
        ("app.py", 8, "low", "`total_fuel_cost = 0.5` holds money in a binary float" + LITERAL_LOWERED)]
    # a share of a count of codes is no money; the same share of the fees is
    assert found_by(bb.PF701_SHARE_OF_CODES, "PF701") == []
    assert [f[:4] for f in found_by(bb.PF701_SHARE_OF_FEES, "PF701")] == [
        ("app.py", 6, "high", "`total_fees * 0.05` computes money with the binary float 0.05")]


def test_a_related_managers_rows_take_the_models_own_queryset_method():
    assert found_by(rs.NP103_RELATED_ROWS_OWN_QUERYSET_METHOD, "NP103") == []
    assert [f[:4] for f in found_by(rs.NP103_OWN_METHOD_LEAVES_LADDERS_OUT, "NP103")] == [
        ("comp/models.py", 14, "high", "`pool.ladder_summary.all()` loads StageGroup.ladder_summary once per row in the loop at line "
                                       "13: the queryset at comp/models.py:12 has no prefetch_related(\"pools__ladder_summary\")")]


def test_a_flask_blueprint_nothing_imports_looks_unused():
    owner = ("`c.owner.name` is lazy-loaded in the loop at line 10, once per distinct Owner not already in the session (a "
             "many-to-one lazy load looks in the identity map first), which is once per Cylinder when each has its own: the "
             "statement at app/routes/cylinders.py:10 has no `joinedload(Cylinder.owner)`")
    assert [f[:4] for f in found_by(bb.NP104_BLUEPRINT_NOBODY_REGISTERS, "NP104")] == [
        ("app/routes/cylinders.py", 10, "low", owner + "; nothing the application runs imports this module (no route, registry, "
                                                       "setting or task names it; tests aside), so it looks unused")]
    assert [f[:4] for f in found_by(bb.NP104_BLUEPRINT_REGISTERED, "NP104")] == [("app/routes/cylinders.py", 10, "high", owner)]


def test_a_value_filled_while_it_is_none_is_filled_once():
    assert found_by(bb.NP104_FILLED_ONCE, "NP104") == []
    assert [f[:4] for f in found_by(bb.NP104_FILLED_EACH_TIME, "NP104")] == [
        ("app.py", 27, "high", "`event.registrations` is lazy-loaded once per EventEntity in the loop at line 25: the statement at "
                               "app.py:25 has no `selectinload(EventEntity.registrations)` (it runs inside `featured = "
                               "event.overview()`, which reads `return {\"id\": self.id, \"registered\": len(self.registrations)}`)")]
    # a fallback under `if product is None:` where each pass binds `product` anew runs per item
    assert [f[:4] for f in found_by(bb.NP101_FALLBACK_EACH_PASS, "NP101")] == [
        ("app.py", 11, "high", "`db.execute` runs a query once per item of the loop at line 10 (2 queries or calls per iteration of "
                               "this loop)")]


def test_a_conditional_loader_option_loads_what_both_branches_load():
    assert found_by(bb.NP104_LOADED_BY_BOTH_BRANCHES, "NP104") == []
    assert [f[:4] for f in found_by(bb.NP104_LOADED_BY_ONE_BRANCH, "NP104")] == [
        ("app.py", 22, "high", "`code.duty_rates` is lazy-loaded once per TariffCode in the loop at line 22: the statement at "
                               "app.py:22 has no `selectinload(TariffCode.duty_rates)`")]


def test_a_connection_made_below_a_loaded_flag_is_made_once_per_object():
    assert found_by(bb.PF502_LOADED_ONCE, "PF502") == []
    assert [f[:4] for f in found_by(bb.PF502_LOADED_ON_EVERY_READ, "PF502")] == [
        ("app.py", 27, "high", "`get()` opens a new database connection (get -> _ensure_loaded -> _load_from_db -> `sqlite3.connect` "
                               "(app.py:10)) and is called on every iteration of the loop at line 26")]
