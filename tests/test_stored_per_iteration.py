"""PF301 (issue 15): an argument read from a dict entry or an attribute that the loop body stores anew changes per
iteration, so "the same call with the same arguments on every iteration" would be false (and its fix, hoisting the
call, wrong); an entry the loop does not store stays the same and is still reported."""

import pytest

from mcp_server.analysis.scan import scan_sources

SOURCE = '''
def read_source(path):
    with open(path) as f:
        return f.read()
def import_all(job, paths):
    for path in paths:
        job["{key}"] = path
        job["text"] = read_source(job["source"])
def import_ns(ns, paths):
    for path in paths:
        ns.{key} = path
        ns.text = read_source(ns.source)
'''


@pytest.mark.parametrize("key, lines", [("source", []), ("current", [8, 12])])
def test_an_entry_the_loop_stores_is_not_the_same_argument_every_iteration(key, lines):
    report = scan_sources({"imports.py": SOURCE.replace("{key}", key)}, select=["PF301"], tool="scan_performance")
    assert [(f.rule, f.location.line) for f in report.findings] == [("PF301", line) for line in lines]
