"""Helpers the exact tests of judged rule cases share (tests/test_rule_precision_*.py)."""

from mcp_server.analysis.scan import scan_sources


def found_after(files, path, old, new):
    """(rule, line) of what a scan finds once `old` is replaced by `new` in `path`: the same example, the cause undone."""
    return [(f.rule, f.location.line) for f in scan_sources({**files, path: files[path].replace(old, new)}).findings]


def example(examples, marker):
    """The rule example (a module's source, or files by path) that holds `marker`."""
    return next(e for e in examples if marker in (e if isinstance(e, str) else "".join(e.values())))
