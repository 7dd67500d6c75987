"""Round 99 (issue 15): exact findings on what that round's applications showed (mcp_server/rules/caller_examples.py)."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules import all_rules
from mcp_server.rules import caller_examples as ex
from mcp_server.rules.row_examples import billing_app
from rule_cases import example, found_by, swapped as _swap

_EXPORT = "ledger/export.py"
_FORMATTED = "the statement is built by string formatting from `kind` and run as SQL"


def test_a_parameter_every_caller_fills_with_a_written_word_is_low_naming_the_calls():
    [(path, line, severity, message, _fix)] = found_by({_EXPORT: ex.PF601_WRITTEN_BY_CALLERS}, "PF601")
    assert (path, line, severity, message) == (_EXPORT, 11, "low", f"{_FORMATTED}; every call in the project passes `kind` a value "
                                               "written in the code (ledger/export.py:15, ledger/export.py:18), so no outside input reaches it")
    # one caller passes on a value of its own: it may come from outside
    handed = _swap({_EXPORT: ex.PF601_WRITTEN_BY_CALLERS}, '    def indexes(self):\n        return self._schema(kind="index")',
                   '    def indexes(self, kind="index"):\n        return self._schema(kind=kind)')
    assert [f[:4] for f in found_by(handed, "PF601")] == [(_EXPORT, 11, "high", _FORMATTED)]


def test_sql_a_helper_returns_beside_the_values_it_binds_is_no_formatted_value():
    files = {_EXPORT: ex.PF601_SQL_WITH_PARAMS}
    assert found_by(files, "PF601") == []
    # the same helper's answer, its second half no bound values by its name: listed on request, as SQL other code composed
    unknown = _swap(files, "values_sql, params = _values(invoices)", "values_sql, rows = _values(invoices)")
    assert [f[:3] for f in found_by(unknown, "PF601")] == [(_EXPORT, 18, "low")]


def test_a_context_manager_entered_per_item_is_no_lookup_to_hoist():
    files = {"ledger/stream.py": ex.PF301_SCOPE_PER_ITEM}
    assert found_by(files, "PF301") == []
    # the twins read (a `SET` runs for its effect, which no hoist would keep: round 161's session settings)
    reading = _swap(files, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE", "SELECT txid_current()")
    assert found_by(reading, "PF301") == []
    plain = _swap(reading, "@contextmanager\n", "")  # a plain function's same call per item: one answer, kept
    assert [f[:3] for f in found_by(plain, "PF301")] == [("ledger/stream.py", 18, "medium")]
    # one that hands out what it opens (`with read_only(session) as s:`) may be opened once for every item: kept
    handing = _swap(reading, "        yield\n", "        yield session\n")
    assert [f[:3] for f in found_by(handing, "PF301")] == [("ledger/stream.py", 19, "medium")]


def test_a_click_command_in_a_commands_folder_is_low_as_commands_are():
    [(path, line, severity, message, _fix)] = found_by(ex.NP101_CLICK_COMMAND, "NP101")
    assert (path, line, severity) == ("billing/cli/commands/check.py", 10, "low")
    assert message.endswith("; it runs in a command-line command, which a person or a schedule starts, not a request: it matters "
                            "when the command runs often over a large table (`table_rows` with the table's size raises it)")
    # the same module outside a folder of commands: a module of the application, which a request may reach
    files = dict(ex.NP101_CLICK_COMMAND)
    files["billing/checks.py"] = files.pop("billing/cli/commands/check.py")
    assert [f[:4] for f in found_by(files, "NP101")] == [
        ("billing/checks.py", 10, "high", "`Client.objects.get` runs a query once per item of the loop at line 9")]


def test_a_local_file_opened_in_a_coroutine_is_low_saying_why():
    [(_path, line, severity, message, _fix)] = found_by({"ledger/pools.py": ex.PF801_LOCAL_FILE}, "PF801")
    assert (line, severity) == (6, "low")
    assert message == ("blocking call inside `async def create_pool`: `open()` reads a local file on the event loop, which stops only "
                       "as long as the disk takes (usually well under a millisecond): worth `asyncio.to_thread` (or aiofiles) for large "
                       "files or a network disk")
    # a blocking HTTP call in the same coroutine stays as it was
    remote = _swap({"ledger/pools.py": ex.PF801_LOCAL_FILE}, "import json\n", "import json\nimport requests\n")
    remote = _swap(remote, "    with open(template_path) as f:\n        template = json.load(f)\n",
                   "    template = requests.get(template_path, timeout=5).json()\n")
    assert [f[1:3] for f in found_by(remote, "PF801")] == [(7, "high")]


def test_sequential_awaits_are_low_saying_what_is_not_shown():
    [f] = scan_sources({"ledger/fetch.py": example(all_rules()["PF802"].positive, "fetch_statement(account)")}, select=["PF802"]).findings
    assert (f.location.line, f.severity.value) == (5, "low")
    assert f.message == ("`await fetch_statement(...)` runs once per item of the loop at line 4, each waiting for the previous one to "
                         "finish; whether they may run together is not shown (their order, a session, client or stream they share), "
                         "nor that each waits on a remote call")


def test_an_archived_command_beside_the_models_it_imports_through_its_folder_is_unused():
    rows = "from billing.models import Invoice\n\n\ndef rows():\n    return [inv.client.name for inv in Invoice.objects.all()]\n"
    routed = {"manage.py": "", "billing/urls.py": "from .views import rows\nurlpatterns = [rows]\n"}
    # a folder without __init__.py, a namespace package; the module lists its own function, so whether it runs is the
    # module's question (views.py's `rows`, which urls.py routes, is another function of the same name)
    archive = "from billing.archive.old_models import OldInvoice\n" + rows + "\n\nSTEPS = [rows]\n"
    files = billing_app(rows, **routed, **{"billing/archive/migrate.py": archive, "billing/archive/old_models.py": "OldInvoice = None\n"})
    found = {f.location.path: f for f in scan_sources(files, select=["NP103"]).findings}
    assert found["billing/archive/migrate.py"].severity.value == "low"
    assert found["billing/archive/migrate.py"].message.endswith("so it looks unused")
    assert found["billing/views.py"].severity.value == "high"
    # without the import through its folder it may be a script run by itself: kept
    script = _swap(files, "from billing.archive.old_models import OldInvoice\n", "")
    assert {f.location.path: f.severity.value for f in scan_sources(script, select=["NP103"]).findings}["billing/archive/migrate.py"] == "high"
