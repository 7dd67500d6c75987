"""A parameter chosen among strings: what runs under `if return_level == "full":` (or `in ("full", "all")`, `!=`,
`not in`) never runs for a caller that passes another string. The test is a flag of its own ("is:return_level=full",
"!is:..." for the other values: flow.py); here, whether a call as written switches it off.

OpenAlex's `obj.to_dict("minimum")` for each institution of a list reads `self.acronyms`, a query, only at the "full"
level (round 141: judged false).
"""

from __future__ import annotations

import ast

from .facts import CHOSEN, Function
from .nodes import last_name


def parameter(flag: str) -> str:
    """The parameter a chosen flag tests ("" for any other flag)."""
    bare = flag.lstrip("!")
    return bare.removeprefix(CHOSEN).partition("=")[0] if bare.startswith(CHOSEN) else ""


def refused(flag: str, value: str | None) -> bool:
    """`value`, the string a caller passes, never reaches what runs under `flag`."""
    if value is None:
        return False
    values = flag.lstrip("!").removeprefix(CHOSEN).partition("=")[2].split("|")
    return (value in values) is flag.startswith("!")


def written_string(text: str, function: str, fn: Function, name: str) -> str | None:
    """The string constant a call of `function` (its short name, `fn` its facts), written in `text` (the call, or the
    statement holding it), passes for its parameter `name`; None when it passes none, or `text` holds no single such call."""
    try:
        tree = ast.parse(text.strip())
    except SyntaxError:
        return None
    calls = [n for n in ast.walk(tree) if type(n) is ast.Call and last_name(n.func) == function]
    if len(calls) != 1:
        return None
    call = calls[0]
    passed = next((k.value for k in call.keywords if k.arg == name), None)
    if passed is None:
        if name not in fn.params or not 0 <= (at := fn.position(name)) < len(call.args):
            return None  # (`obj.to_dict("minimum")` hands no `self`: Function.position counts without it)
        passed = call.args[at]
    return passed.value if type(passed) is ast.Constant and isinstance(passed.value, str) else None
