"""Statements that never run: those after a `return`, `raise`, `continue` or `break` in the same block.

Code left behind an early `return` (`return False  # todo: re-enable`: SimpleLogin's rate limiter, round 50; statdev's
compliance creation, "now handled by a cron script", round 178: three findings judged DEAD) is still in the file but runs
for no one; a finding in it wastes a reader's time. Every rule reads the tree without them, but for a bare `yield` after
the `return` (the idiom of an empty generator), which still makes its function a generator.
"""

from __future__ import annotations

import ast

_ENDS = (ast.Return, ast.Raise, ast.Continue, ast.Break)
_BLOCKS = ("body", "orelse", "finalbody")


def prune(tree: ast.Module) -> ast.Module:
    """Drop, in place, every statement after the one that ends its block; the tree, for chaining."""
    todo: list[ast.AST] = [tree]
    while todo:  # statements only: expressions hold no blocks
        node = todo.pop()
        for name in _BLOCKS:
            block = getattr(node, name, None)
            if type(block) is not list:
                continue
            end = next((i for i, stmt in enumerate(block) if isinstance(stmt, _ENDS)), len(block))
            if end + 1 < len(block):
                block[end + 1:] = [stmt for stmt in block[end + 1:] if _bare_yield(stmt)]
            todo.extend(block)
        todo.extend(getattr(node, "handlers", ()))
        todo.extend(getattr(node, "cases", ()))
    return tree


def _bare_yield(stmt: ast.stmt) -> bool:
    return type(stmt) is ast.Expr and isinstance(stmt.value, (ast.Yield, ast.YieldFrom))
