"""The runtime rules of profile_function. Each example is a code snippet that really runs (in a child process,
in a throwaway project); the positive ones must produce the rule's finding, the negative ones must not."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..findings import Severity
from . import Rule

if TYPE_CHECKING:  # the registry needs no pydantic: the hook looks rules up on every edit
    from ..models import Finding

TABLE = '''
import sqlite3
conn = sqlite3.connect(":memory:")
conn.execute("CREATE TABLE rates (state TEXT PRIMARY KEY, rate TEXT)")
conn.executemany("INSERT INTO rates VALUES (?, ?)", [("SP", "0.18"), ("RJ", "0.20"), ("MG", "0.18")])
states = ["SP", "RJ", "MG", "SP", "RJ", "MG", "SP", "RJ"]
'''


class RuntimeRule(Rule):
    example_lang = "python"

    @classmethod
    def run_example(cls, example: Any) -> list[Finding]:
        from ..config import load_config
        from ..tools.profile_function import profile_function

        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "pyproject.toml").write_text("[project]\nname = 'example'\n")
            report = profile_function(example, repeat=1, timeout_s=60, config=load_config(root))
        assert report.status == "ok", (report.status, report.message, report.traceback)  # a broken example is a broken test
        return [f for f in report.findings if f.rule == cls.id]


class RuntimeNPlusOne(RuntimeRule):
    id = "RT101"
    name = "runtime-n-plus-one"
    title = "N+1 queries measured"
    severity = Severity.high
    what = ("While profile_function runs the code, groups every query by fingerprint (literals and IN lists normalised) and "
            "application call stack; a SELECT repeated at least `n_plus_one_threshold` times (default 5, Sentry's) from one "
            "stack is reported with its count, time, share of the run and call site, and with the static rule found at the same "
            "place (confirmed_by_runtime). `confirm` applies the same count per test over the project's own test suite, and reports "
            "as RT101 (runtime status `runtime_only`) each repeated SELECT that no static finding's site explains: a call made "
            "through getattr or another dynamic dispatch, a Django template, a library; it is placed at the innermost frame "
            "in the scanned files, with the call stack (and the template's file and line) as evidence.")
    why = ("It is the measured version of the static N+1 rules: not 'may run a query per item' but 'ran 1,000 queries, 0.8 s of 0.9 s'; "
           "and it sees the N+1s no reading of the code can, because the call is only decided at run time.")
    example = '''
for client_id in client_ids:
    conn.execute("SELECT total FROM invoices WHERE client_id = ?", (client_id,)).fetchall()
'''
    fix = "Batch the lookups (one IN / ANY query, select_related / prefetch_related / selectinload), then profile again."
    positive = [TABLE + '''
for state in states:
    conn.execute("SELECT rate FROM rates WHERE state = ?", (state,)).fetchone()
''', TABLE + '''
for state in states:
    conn.execute(f"SELECT rate FROM rates WHERE state = '{state}'").fetchone()
''']
    negative = [TABLE + '''
marks = ",".join("?" * len(set(states)))
rates = dict(conn.execute(f"SELECT state, rate FROM rates WHERE state IN ({marks})", sorted(set(states))).fetchall())
values = [rates[s] for s in states]
''', TABLE + '''
for state in states[:4]:
    conn.execute("SELECT rate FROM rates WHERE state = ?", (state,)).fetchone()
''']


class RepeatedIdenticalQuery(RuntimeRule):
    id = "RT102"
    name = "repeated-identical-query"
    title = "Identical query repeated"
    severity = Severity.medium
    what = "Finds one statement run with the very same parameters at least `n_plus_one_threshold` times during one call."
    why = "Every run after the first fetches an answer the code already had: pure waste, and the easiest one to remove."
    example = '''
for t in transactions:
    rate = conn.execute("SELECT rate FROM rates WHERE state = ?", ("SP",)).fetchone()[0]
'''
    fix = "Fetch it once before the loop and reuse the value; cache across calls only with a bound and an invalidation rule."
    positive = [TABLE + '''
for state in states:
    conn.execute("SELECT rate FROM rates WHERE state = ?", ("SP",)).fetchone()
''']
    negative = [TABLE + '''
rate = conn.execute("SELECT rate FROM rates WHERE state = ?", ("SP",)).fetchone()
values = [rate for state in states]
''']


class ResourcesLeftOpen(RuntimeRule):
    id = "RT103"
    name = "resources-left-open"
    title = "Resources left open"
    severity = Severity.medium
    what = "Compares the process's open files and sockets before and after one call; what the call opened and left open is reported."
    why = "A call that leaks one file or connection each time exhausts descriptors or database connections in a long-running worker."
    example = '''
def export(path, rows):
    f = open(path, "w")
    f.writelines(rows)
'''
    fix = "Close what the call opens (`with`, or `close()` in `finally`)."
    positive = ['''
import atexit, tempfile, os
path = os.path.join(tempfile.mkdtemp(), "out.txt")
log = open(path, "w")
atexit.register(log.close)  # "closed at exit": open for the life of the process
''']
    negative = ['''
import tempfile, os
path = os.path.join(tempfile.mkdtemp(), "out.txt")
with open(path, "w") as f:
    f.write("ok")
''']
