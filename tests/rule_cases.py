"""Helpers the exact tests of judged rule cases share (tests/test_rule_precision_*.py)."""

from mcp_server.analysis.scan import scan_sources


def found_after(files, path, old, new):
    """(rule, line) of what a scan finds once `old` is replaced by `new` in `path`: the same example, the cause undone."""
    return [(f.rule, f.location.line) for f in scan_sources({**files, path: files[path].replace(old, new)}).findings]
