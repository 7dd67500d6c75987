"""Round 133 (issue 15, stop 59): per-item work whose callers decide what it costs (framework_callers_examples.py)."""

from mcp_server.rules import framework_callers_examples as fx
from rule_cases import found_by, swapped

REPAIR = "; it runs in a management command, which a person or a schedule starts, not a request: it matters when the command runs often over a large table"


def test_a_lookup_repeated_in_a_hand_run_command_is_low_and_says_why():
    [(path, line, severity, message, _fix)] = found_by(fx.PF301_COMMAND_LOWERED, "PF301")
    assert (path, line, severity) == ("billing/management/commands/retax.py", 10, "low")
    assert message == "`TaxRate.objects.get` is called with the same arguments on every iteration of the loop at line 9" + REPAIR


def test_the_same_lookup_behind_a_url_keeps_its_severity():
    [(path, line, severity, message, _fix)] = found_by(fx.PF301_VIEW_KEPT, "PF301")
    assert (path, line, severity) == ("billing/views.py", 7, "medium")
    assert message == "`TaxRate.objects.get` is called with the same arguments on every iteration of the loop at line 6"


def test_an_applications_function_nothing_in_it_calls_is_low_as_the_framework_calls_it():
    [(path, line, severity, message, _fix)] = found_by(fx.NP101_OUTSIDE_IN_APPLICATION_LOWERED, "NP101")
    assert (path, line, severity) == ("billing/ledger.py", 7, "low")
    assert message == ("`Client.objects.get` runs a query once per item of the loop at line 7; the loop walks the parameter "
                       "`client_ids`, and no caller in the project is shown to pass it the rows of a query (nothing in the "
                       "application calls it: the framework does, as an admin action, a template filter, a validator or a "
                       "signal, with what one request or event holds), so it matters only when they pass many")


def test_a_librarys_function_nothing_in_it_calls_stays_medium():
    library = {k: v for k, v in fx.NP101_OUTSIDE_IN_APPLICATION_LOWERED.items() if k != "manage.py"}
    [(path, line, severity, message, _fix)] = found_by(library, "NP101")
    assert (path, line, severity) == ("billing/ledger.py", 7, "medium")
    assert "(nothing in the project calls it: its callers are outside the project)" in message


def test_a_method_asking_each_row_of_another_class_by_its_own_name_is_not_a_tree():
    [(path, line, severity, message, _fix)] = found_by(fx.NP103_SAME_NAME_OTHER_CLASS_LOWERED, "NP103")
    assert (path, line, severity) == ("scans/models.py", 14, "low")
    assert message.endswith("(it runs inside `task.pause()`, which reads `if self.source.name:`); the loop walks related rows "
                            "of one object, often a handful, so it matters when that object has many")


def test_a_method_calling_itself_on_its_own_rows_is_still_a_tree_walk():
    tree = {**fx.NP103_SAME_NAME_OTHER_CLASS_LOWERED, "scans/models.py": fx.NP103_SAME_NAME_OTHER_CLASS_LOWERED["scans/models.py"].replace(
        'related_name="tasks"', 'related_name="subtasks"').replace("class ScanTask(models.Model):\n    job = models.ForeignKey(ScanJob,",
                                                                   "class ScanTask(models.Model):\n    job = models.ForeignKey(\"self\",")}
    tree["scans/models.py"] = tree["scans/models.py"].replace(
        "    def pause(self):\n        if self.source.name:", "    def pause(self):\n        for task in self.subtasks.all():\n            task.pause()\n        if self.source.name:")
    [(path, line, severity, message, _fix)] = found_by(tree, "NP103")
    assert (path, line, severity) == ("scans/models.py", 24, "medium")
    assert message.endswith("; the loop walks a tree recursively (it runs its own function again per item), so it matters when the tree is large")


ROUTE = ("`conn.execute` runs a query once per item of the loop at line 12; the loop walks the parameter `client_id`, and "
         "no caller in the project is shown to pass it the rows of a query ({}), so it matters only when they pass many")


def test_a_routes_list_parameter_stays_medium_as_each_client_decides_its_size():
    [(path, line, severity, message, _fix)] = found_by(fx.NP101_ROUTE_PARAMETER_KEPT, "NP101")
    assert (path, line, severity) == ("billing/api.py", 12, "medium")
    assert message == ROUTE.format("an HTTP route's parameter: each client's request decides how many items it holds")
    undecorated = swapped(fx.NP101_ROUTE_PARAMETER_KEPT, '@router.get("/balances")\n', "")
    [(path, line, severity, message, _fix)] = found_by(undecorated, "NP101")
    assert (path, line, severity) == ("billing/api.py", 11, "low")


def test_a_query_sent_to_each_items_own_database_is_not_a_query_per_item():
    from mcp_server.rules import carried_statement_examples as cx

    assert found_by(cx.NP101_OWN_DATABASE_NEGATIVE, "NP101") == []
    [(path, line, severity, message, _fix)] = found_by(cx.NP101_ONE_DATABASE_POSITIVE, "NP101")
    assert (path, line, severity) == ("plans/views.py", 6, "high")
    assert message == "`Invoice.objects.first` runs a query once per item of the loop at line 6"
