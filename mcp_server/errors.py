"""The one error type for bad input, shared by the tools, the CLI and the MCP adapters.

It does not derive from the SDK's ToolError on purpose: importing the SDK costs most of a second,
and the CLI's `sla` or `rules` commands must not pay that. server.py turns it into a ToolError.
"""

from __future__ import annotations


class InputError(ValueError):
    """A caller supplied a value we cannot use. `field` names it, the message says what was expected."""

    def __init__(self, field: str, problem: str):
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")
