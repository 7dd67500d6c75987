"""Module functions that hand back one of their arguments: `get_column_def(columns, "fee_open", "null")` returns
`default if not has_column(columns, column) else column` (freqtrade's schema migrations, round 161: 2 PF601 judged
false). What such a call returns is what the call passes in those places, so it is as safe as those arguments are:
text the code wrote stays text the code wrote."""

from __future__ import annotations

import ast

from .pattern_async import own_nodes


def handing_back(tree: ast.Module) -> dict[str, tuple[int, ...]]:
    """Top-level function -> the positions of the parameters its returns choose among (every return one of them, a
    choice between them, or a constant)."""
    out = {}
    for node in tree.body:
        if type(node) is not ast.FunctionDef or node.args.vararg or node.args.kwarg:
            continue
        params = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
        returns = [n.value for n in own_nodes(node) if type(n) is ast.Return]  # (not a nested function's)
        picked: set[int] = set()
        if returns and all(_chosen(value, params, picked) for value in returns) and picked:
            out[node.name] = tuple(sorted(picked))
    return out


def _chosen(value: ast.AST | None, params: list[str], picked: set[int]) -> bool:
    if type(value) is ast.Name and value.id in params:
        picked.add(params.index(value.id))
        return True
    if type(value) is ast.IfExp:  # `default if not has_column(columns, column) else column`
        return _chosen(value.body, params, picked) and _chosen(value.orelse, params, picked)
    if type(value) is ast.BoolOp:  # `given or default`
        return all(_chosen(v, params, picked) for v in value.values)
    return type(value) is ast.Constant and (value.value is None or isinstance(value.value, str))


def handed_args(call: ast.Call, positions: tuple[int, ...]) -> list[ast.AST] | None:
    """The arguments a call passes in those positions (None when one of them is not passed by position)."""
    if any(type(a) is ast.Starred for a in call.args) or call.keywords or max(positions) >= len(call.args):
        return None
    return [call.args[i] for i in positions]
