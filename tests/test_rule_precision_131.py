"""Round 131: imports a person runs by hand. A management command that imports a file keeps its severity only when
something in the project starts it: a crontab, a Procfile, a container's entry point, a task's `call_command`."""

from rule_cases import found_by

from mcp_server.rules import hand_run_examples as hr

_BY_HAND = hr.BY_HAND.replace("{1}", "imports large files")
_IMPORT = "billing/management/commands/import_invoices.py"


def test_an_import_nothing_starts_is_low_and_says_so():
    [(path, line, severity, message, _fix)] = found_by(hr.IMPORT_BY_HAND_LOWERED, "NP101")
    assert (path, line, severity) == (_IMPORT, 17, "low")
    assert message == "`Client.objects.get` runs a query once per item of the loop at line 16" + _BY_HAND.format("import_invoices")
    [(path, line, severity, message, _fix)] = found_by(hr.WRITES_BY_HAND_LOWERED, "PF201")
    assert (path, line, severity) == ("billing/management/commands/import_payments.py", 17, "low")
    assert message == "`Payment.objects.create()` writes one row per item of the loop at line 16" + _BY_HAND.format("import_payments")


def test_an_import_a_deployment_file_or_the_code_starts_keeps_its_severity():
    for files in (hr.IMPORT_IN_CRONTAB_KEPT, hr.IMPORT_IN_PROCFILE_KEPT, hr.IMPORT_FROM_TASK_KEPT, hr.IMPORT_FROM_STARTED_SETUP_KEPT):
        assert [f[:3] for f in found_by(files, "NP101")] == [(_IMPORT, 17, "high")]
        assert "nothing in the project starts" not in found_by(files, "NP101")[0][3]
    assert [f[:3] for f in found_by(hr.WRITES_IN_CRONTAB_KEPT, "PF201")] == [("billing/management/commands/import_payments.py", 17, "high")]


def test_a_command_only_a_hand_run_command_or_a_test_starts_is_run_by_hand():
    assert [f[:3] for f in found_by(hr.IMPORT_FROM_SETUP_COMMAND_LOWERED, "NP101")] == [(_IMPORT, 17, "low")]


def test_a_helper_only_the_hand_run_import_reaches_is_low_too():
    [(path, line, severity, message, _fix)] = found_by(hr.IMPORT_HELPER_LOWERED, "NP101")
    assert (path, line, severity) == ("billing/importing.py", 9, "low")
    assert message.endswith(_BY_HAND.format("import_invoices"))


def _cli(*args, cwd):
    import subprocess
    import sys

    from conftest import cli_env

    p = subprocess.run([sys.executable, "-m", "mcp_server.cli", "scan", *args, "--select", "NP101", "--min-severity", "low",
                        "--format", "json", "--exit-zero"], capture_output=True, text=True, cwd=cwd, env=cli_env(), timeout=60)
    assert p.returncode == 0, p.stderr
    import json

    return [(f["location"]["path"], f["location"]["line"], f["severity"]) for f in json.loads(p.stdout)["findings"]]


def test_on_disk_a_crontab_in_the_tree_starts_the_import_however_the_root_is_named(tmp_path):
    # `scan`, `scan .` and the root's absolute path are one whole-project scan; a sub-folder alone is not, and sees too
    # little to say that nothing starts the command
    for rel, text in hr.IMPORT_IN_CRONTAB_KEPT.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'billing'\n")
    for args in ((), (".",), (str(tmp_path),)):
        assert _cli(*args, cwd=tmp_path) == [(_IMPORT, 17, "high")], args
    (tmp_path / "deploy" / "crontab").unlink()
    for args in ((), (".",), (str(tmp_path),)):
        assert _cli(*args, cwd=tmp_path) == [(_IMPORT, 17, "low")], args
    assert _cli("billing", cwd=tmp_path) == [(_IMPORT, 17, "high")]


def test_a_connection_kept_on_flask_g_or_the_class_is_opened_once():
    from mcp_server.rules import kept_holder_examples as kh

    assert found_by(kh.PF502_KEPT_ON_HOLDER_NEGATIVE, "PF502") == []
    # what each call still runs is one query per job
    [(path, line, severity, message, _fix)] = found_by(kh.PF502_KEPT_ON_HOLDER_NEGATIVE, "NP102")
    assert (path, line, severity) == ("ledger/jobs.py", 15, "medium")
    assert message.startswith("`finalize()` is called once per item of the loop at line 14 and reaches a query: finalize -> `sess.execute`")
    [(path, line, severity, message, _fix)] = found_by(kh.PF502_NEW_HOLDER_POSITIVE, "PF502")
    assert (path, line, severity) == ("ledger/jobs.py", 15, "high")
    assert message.startswith("`finalize()` opens a new database connection (finalize -> db -> connect -> `sqlalchemy.create_engine`")


def test_money_floated_for_a_json_answer_or_zero_is_low():
    from mcp_server.rules import money_output_examples as mo

    [(path, line, severity, message, _fix)] = found_by({"app.py": mo.PF701_OUTPUT_LOWERED[1]}, "PF701")
    assert (path, line, severity) == ("app.py", 17, "low")
    assert message.startswith("`float(totals.total_obligations)` turns money into a binary float only to hand it out")


def test_a_reusable_app_with_a_demo_project_is_no_application_whose_unused_code_is_dead():
    from mcp_server.rules.own_object_examples import NP105_DEMO_PROJECT_KEPT, NP105_OWN_OBJECT_LOWERED

    assert [f[:3] for f in found_by(NP105_OWN_OBJECT_LOWERED, "NP105")] == [("payables/bank.py", 12, "low")]
    [(path, line, severity, message, _fix)] = found_by(NP105_DEMO_PROJECT_KEPT, "NP105")
    assert (path, line, severity) == ("payables/bank.py", 12, "high")
    assert "looks unused" not in message
