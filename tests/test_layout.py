"""The static engine's modules import each other without a cycle, lazy imports inside functions included (only
`if TYPE_CHECKING:` imports, which never run, are left out): a lazy import that dodges a cycle hides a layering
mistake, and a module that needs another's private helper should find it in a shared leaf instead."""

from __future__ import annotations

import ast
from pathlib import Path

import mcp_server.analysis

PACKAGE = Path(mcp_server.analysis.__file__).parent


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def imports_of(path: Path, package: str) -> set[str]:
    """The modules of `package` that the module at `path` imports when it runs, wherever the import statement is."""
    tree = ast.parse(path.read_text(), filename=str(path))
    skipped = {id(n) for block in ast.walk(tree) if _type_checking(block) for stmt in block.body for n in ast.walk(stmt)}
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                base = node.module or ""
            elif node.level == 0 and (node.module or "").startswith(package + "."):
                base = node.module[len(package) + 1:]
            else:
                continue
            out.update(base.split(".")[0] if base else alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name[len(package) + 1:].split(".")[0] for a in node.names if a.name.startswith(package + "."))
    out.discard(path.stem)
    return out


def find_cycle(folder: Path, package: str) -> list[str] | None:
    """One import cycle among the modules in `folder` (as a path of module names), or None."""
    modules = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    graph = {m: sorted(imports_of(folder / f"{m}.py", package) & modules) for m in sorted(modules)}
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for n in graph[m]:
            if state.get(n) == 1:
                return [*path[path.index(n):], n]
            if n not in state and (found := visit(n)):
                return found
        path.pop()
        state[m] = 2
        return None

    for m in graph:
        if m not in state and (found := visit(m)):
            return found
    return None


def test_the_engine_has_no_import_cycle():
    assert find_cycle(PACKAGE, "mcp_server.analysis") is None


def test_a_cycle_through_a_lazy_import_is_found(tmp_path):
    (tmp_path / "a.py").write_text("from .b import helper\n")
    (tmp_path / "b.py").write_text("def helper():\n    from .a import thing  # lazy, to dodge the cycle\n    return thing\n")
    (tmp_path / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import thing\n")
    assert find_cycle(tmp_path, "pkg") == ["a", "b", "a"]
    (tmp_path / "b.py").write_text("def helper():\n    return 1\n")
    assert find_cycle(tmp_path, "pkg") is None  # a TYPE_CHECKING import (c -> a) is no cycle
