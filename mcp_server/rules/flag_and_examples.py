"""A query under `if flag and <anything>:` of a parameter (analysis/flow.py `_needed_param`): the body needs the flag,
so a caller passing it False never reaches the query. Rucio's RSE usage, formatted per RSE with `per_account=False`
(round 138: judged NOTQUERY). The same caller passing `per_account=True` queries per item."""

_USAGE = '''
def usage(conn, rse_id, rows, per_account):
    out = []
    for row in rows:
        entry = {{"rse_id": rse_id, "used": row["used"]}}
        if per_account and row["source"] == "rucio":
            entry["accounts"] = conn.execute("SELECT account, bytes FROM account_usage WHERE rse_id = ?", (rse_id,)).fetchall()
        out.append(entry)
    return out


def all_usage(conn, groups):
    return [usage(conn, rse_id, rows, per_account={passed}) for rse_id, rows in groups]
'''
NP102_FLAG_PASSED_FALSE = {"storage/__init__.py": "", "storage/usage.py": _USAGE.format(passed="False")}
NP102_FLAG_PASSED_TRUE = {"storage/__init__.py": "", "storage/usage.py": _USAGE.format(passed="True")}
# the `else` of that test runs whenever either part fails, so a caller passing True still reaches a query there
NP102_FLAG_ELSE_KEPT = {"storage/__init__.py": "", "storage/usage.py": '''
def usage(conn, rse_id, rows, per_account):
    out = []
    for row in rows:
        if per_account and row["source"] == "rucio":
            out.append(row)
        else:
            out.append(conn.execute("SELECT * FROM rse_usage WHERE rse_id = ?", (rse_id,)).fetchall())
    return out


def all_usage(conn, groups):
    return [usage(conn, rse_id, rows, per_account=True) for rse_id, rows in groups]
'''}

# the flag held in a local only ever False (`per_account = False`, the line that read it from the request commented
# out: the Federal Audit Clearinghouse's submissions, round 147), handed on: as if False were written; a local that is
# True still queries
_HELD = _USAGE.replace("per_account={passed}) for", "per_account=per_account) for").replace(
    "def all_usage(conn, groups):\n", "def all_usage(conn, groups):\n    per_account = {passed}\n")
NP102_FLAG_HELD_FALSE = {"storage/__init__.py": "", "storage/usage.py": _HELD.format(passed="False")}
NP102_FLAG_HELD_TRUE = {"storage/__init__.py": "", "storage/usage.py": _HELD.format(passed="True")}
