"""What every codemod shares: the registry, finding nodes by line, adding imports, and the change it returns."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable, ClassVar

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import MetadataWrapper, PositionProvider

from ..models import Finding

_REGISTRY: dict[str, list[type[Codemod]]] = {}


@dataclass
class Change:
    path: str  # relative to the project root: the file the codemod rewrites (not always the finding's)
    source: str  # the whole new text of that file
    explanation: str


@dataclass
class Example:
    files: dict[str, str]  # relative path -> source
    path: str  # where the finding is
    line: int
    rule: str
    after: dict[str, str] | None  # path -> expected new source; None: no patch may be offered


class Codemod:
    id: ClassVar[str]
    rules: ClassVar[tuple[str, ...]]
    what: ClassVar[str]
    examples: ClassVar[list[Example]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "id" in cls.__dict__:
            for rule in cls.rules:
                _REGISTRY.setdefault(rule, []).append(cls)

    @classmethod
    def fix(cls, finding: Finding, read: Callable[[str], str]) -> Change | None:
        raise NotImplementedError

    @staticmethod
    def located(finding: Finding, read: Callable[[str], str]) -> Located | None:
        """The finding's file, parsed with positions; None for a finding with no place in the code."""
        return Located(read(finding.location.path)) if finding.location is not None else None


def codemods_for(rule: str) -> list[type[Codemod]]:
    for name in __import__("mcp_server.fixes", fromlist=["CODEMOD_MODULES"]).CODEMOD_MODULES:
        importlib.import_module(f"mcp_server.fixes.{name}")
    return list(_REGISTRY.get(rule, []))


def all_codemods() -> list[type[Codemod]]:
    codemods_for("")
    seen: dict[str, type[Codemod]] = {}
    for mods in _REGISTRY.values():
        for m in mods:
            seen.setdefault(m.id, m)
    return list(seen.values())


class Located:
    """A parsed module with node positions, to find the nodes a finding points at."""

    def __init__(self, source: str):
        self.wrapper = MetadataWrapper(cst.parse_module(source))
        self.module = self.wrapper.module
        self.positions = self.wrapper.resolve(PositionProvider)

    def on_line(self, line: int, kind: type | tuple[type, ...]) -> list[cst.CSTNode]:
        """Nodes of `kind` that start on `line`, outermost first."""
        found = [n for n, p in self.positions.items() if isinstance(n, kind) and p.start.line == line]
        return sorted(found, key=lambda n: (self.positions[n].start.column, -self.positions[n].end.line, -self.positions[n].end.column))

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)


class Replace(cst.CSTTransformer):
    """Swap given nodes (matched by identity) for their replacements."""

    def __init__(self, replacements: dict[cst.CSTNode, cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel]):
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node, updated_node):
        return self.replacements.get(original_node, updated_node)


def with_imports(module: cst.Module, imports: list[tuple[str, str | None]]) -> cst.Module:
    """Add `import x` (name None) or `from x import name` where missing, next to the other imports."""
    context = CodemodContext()
    for module_name, obj in imports:
        AddImportsVisitor.add_needed_import(context, module_name, obj)
    return AddImportsVisitor(context).transform_module(module)


def collect(node: cst.CSTNode, kind: type | tuple[type, ...]) -> list[cst.CSTNode]:
    """Every node of `kind` inside `node` (itself included)."""
    found: list[cst.CSTNode] = []

    class Collect(cst.CSTVisitor):
        def on_visit(self, n: cst.CSTNode) -> bool:
            if isinstance(n, kind):
                found.append(n)
            return True

    node.visit(Collect())
    return found


def dotted(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        inner = dotted(node.value)
        return f"{inner}.{node.attr.value}" if inner else None
    return None


def string(text: str) -> cst.SimpleString:
    return cst.SimpleString('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
