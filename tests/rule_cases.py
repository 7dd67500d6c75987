"""Helpers the exact tests of judged rule cases share (tests/test_rule_precision_*.py)."""

from mcp_server.analysis.scan import scan_sources


def found_after(files, path, old, new):
    """(rule, line) of what a scan finds once `old` is replaced by `new` in `path`: the same example, the cause undone."""
    return [(f.rule, f.location.line) for f in scan_sources({**files, path: files[path].replace(old, new)}).findings]


def swapped(files, old, new):
    """`files` with `old` replaced by `new` wherever it occurs; `old` must occur (an example's cause undone or changed)."""
    assert any(old in text for text in files.values()), old
    return {path: text.replace(old, new) for path, text in files.items()}


def example(examples, marker):
    """The rule example (a module's source, or files by path) that holds `marker`."""
    return next(e for e in examples if marker in (e if isinstance(e, str) else "".join(e.values())))


def rule_example(rule, kind, needle):
    """The one `kind` ("positive" / "negative") example of `rule` that holds `needle`, as files by path."""
    from mcp_server.rules import all_rules

    examples = getattr(all_rules()[rule], kind)
    found = [e for e in examples if needle in (e if isinstance(e, str) else "".join(e.values()))]
    assert len(found) == 1, needle
    return found[0] if isinstance(found[0], dict) else {"app.py": found[0]}


def found_by(files, rule, table_rows=None):
    """(path, line, severity, message, suggestion) of each finding `rule` makes on `files`, which must scan cleanly
    (sized with `table_rows` when given)."""
    report = scan_sources(files, select=[rule], table_rows=table_rows)
    assert not report.errors, report.errors
    return [(f.location.path, f.location.line, f.severity.value, f.message, f.suggestion) for f in report.findings]


# what PF601 says of a value formatted where a table, a column or a clause goes (mcp_server/analysis/sql_positions.py)
STRUCTURE = ("; it sits where a table, a column or a clause goes (not a value's place after `=`, in quotes or in an `IN` list), "
             "which bound parameters cannot carry: check it against the names the code allows")


# PF701's `float(amount)` nothing in its function decides on (money_output.decided_on): found, `low`, saying so
HANDED_ON_FLOAT = (", but nothing here decides on the float: it is not compared, truncated to whole units, summed up or stored "
                   "on an object, only handed on, and a Decimal of two places converts to the float that prints the same")
