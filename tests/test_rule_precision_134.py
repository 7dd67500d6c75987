"""Round 134 (issue 15, stop 60): rows joined to an outer loop's own row, a number by its parameter's default, migration
scripts in a `versions/` folder, an SQLite connection CPython closes on return, `@only_admins`, a dict of every row."""

from mcp_server.analysis.table_sizes import WHOLE_WHY
from mcp_server.rules.joined_parent_examples import BY_OUTER_ROW, tax_app
from mcp_server.rules.sql_formatting_examples import PF601_NEGATIVE, PF601_POSITIVE
from mcp_server.rules.whole_loads_examples import PF401_NEGATIVE
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


def test_a_top_level_upgrade_in_a_versions_folder_is_a_migration_script():
    from mcp_server.rules.one_off_examples import ONE_OFF_NEGATIVE, ONE_OFF_POSITIVE

    migration = example(ONE_OFF_NEGATIVE, "def upgrade(migrate_engine):")
    assert found_by(migration, "NP101") == []
    with_commits = {**migration, "billing/dbmigrate/versions/017_totals.py": (
        "def upgrade(migrate_engine):\n    conn = migrate_engine.connect()\n    for row in conn.execute('SELECT id FROM clients'):\n"
        "        conn.execute('UPDATE clients SET total = 0 WHERE id = %s', (row[0],))\n        conn.commit()\n")}
    assert found_by(with_commits, "PF202") == [] and found_by(with_commits, "PF201") == []
    moved = {"billing/__init__.py": "", "billing/totals.py": with_commits["billing/dbmigrate/versions/017_totals.py"]}
    assert [line for _p, line, *_ in found_by(moved, "PF202")] == [5] and [line for _p, line, *_ in found_by(moved, "PF201")] == [4]
    [(path, line, severity, _message, _fix)] = found_by(example(ONE_OFF_POSITIVE, "def upgrade_page():"), "NP101")
    assert (path, line, severity) == ("billing/versions/views.py", 5, "high")


LMFDB_ZEROS = '''
import sqlite3


def zeros_from(path, t):
    db = sqlite3.connect(path)
    cur = db.cursor()
    cur.execute("SELECT zero FROM zeros WHERE t > ? LIMIT 100", (t,))
    return [row[0] for row in cur]
'''


def test_an_sqlite_connection_never_closed_is_low_as_cpython_closes_it_on_return():
    [(path, line, severity, message, _fix)] = found_by({"app.py": LMFDB_ZEROS}, "PF501")
    assert (path, line, severity) == ("app.py", 6, "low")
    assert message.startswith("the connection `db` from `sqlite3.connect(...)` is never closed in this function; CPython closes it")


def test_an_sqlite_connection_used_once_inline_is_low_too():
    inline = "import sqlite3\n\n\ndef zero_at(path, t):\n    c = sqlite3.connect(path).cursor()\n    c.execute('SELECT zero FROM zeros WHERE t > ?', (t,))\n    return c.fetchone()\n"
    [(path, line, severity, message, _fix)] = found_by({"app.py": inline}, "PF501")
    assert (path, line, severity) == ("app.py", 5, "low")
    assert message.startswith("the connection from `sqlite3.connect(...)` is used once and never closed; CPython closes it")
    [(_path, _line, severity, message, _fix)] = found_by({"app.py": inline.replace("sqlite3", "psycopg2")}, "PF501")
    assert (severity, message) == ("medium", "the connection from `psycopg2.connect(...)` is used once and never closed")


def test_a_servers_connection_never_closed_stays_medium_only_where_the_function_keeps_it():
    # (since round 174, a server's connection a plain function drops as it returns is `low` too: psycopg2 closes it when
    # freed, and 2 such judged CHEAP there; a generator keeps its frame, and the connection, between the rows it yields)
    served = LMFDB_ZEROS.replace("import sqlite3", "import psycopg2").replace("sqlite3.connect(path)", "psycopg2.connect(path)")
    [(path, line, severity, message, _fix)] = found_by({"app.py": served}, "PF501")
    assert (path, line, severity) == ("app.py", 6, "low")
    assert message.startswith("the connection `db` from `psycopg2.connect(...)` is never closed in this function; CPython closes it")
    kept = served.replace("    return [row[0] for row in cur]", "    for row in cur:\n        yield row[0]")
    [(path, line, severity, message, _fix)] = found_by({"app.py": kept}, "PF501")
    assert (path, line, severity, message) == ("app.py", 6, "medium", "the connection `db` from `psycopg2.connect(...)` is never closed in this function")


def test_a_flask_route_behind_only_admins_is_staff_only():
    from mcp_server.rules.staff_examples import NP101_ONLY_ADMINS_LOWERED, NP101_SESSION_ONLY_KEPT

    [(path, line, severity, message, _fix)] = found_by(NP101_ONLY_ADMINS_LOWERED, "NP101")
    assert (path, line, severity) == ("billing/views.py", 13, "low")
    assert "`@only_admins`" in message
    assert [f[:3] for f in found_by(NP101_SESSION_ONLY_KEPT, "NP101")] == [("billing/views.py", 12, "high")]


def test_a_dict_of_every_row_object_is_not_a_whole_load_to_stream():
    assert found_by({"app.py": example(PF401_NEGATIVE, "def roles_by_name(session):")}, "PF401") == []
    ids = {"app.py": "def role_ids(session):\n    return [role.id for role in session.query(Role).all()]\n"}
    [(path, line, severity, message, _fix)] = found_by(ids, "PF401")
    assert (path, line, severity) == ("app.py", 2, "low")  # Role's table: no size known (whole_tables.py)
    assert message == ("the loop iterates an unfiltered query's `.all()`: every row is loaded and kept before the first iteration"
                       + WHOLE_WHY.format(what="Role's table", table="its table"))
