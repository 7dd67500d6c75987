"""The MCP tools' input and output JSON schemas, derived once and shipped with the package (tool_schemas.json).

The SDK derives them at registration with pydantic: about 100 ms on every server start for nine tools and
their answer models, a tenth of a bare server's whole start, and the output models alone import most of the
package. The server publishes the shipped copy instead, registered through the SDK's public `Tool` and
`FuncMetadata` (MCPServer(tools=[...])), and validates arguments with the model the SDK would build (same
fields, aliases and defaults on the SDK's ArgModelBase), its validator built on the tool's first call.
tests/test_mcp_server.py checks that the shipped copy is exactly what the SDK derives from the adapters;
after changing a tool's parameters or answer model, regenerate it:

    python -m mcp_server.tool_schemas
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Callable

from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.context_injection import find_context_parameter
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp.types import CallToolResult, ToolAnnotations
from pydantic import BaseModel, ConfigDict, Field, create_model

SHIPPED = Path(__file__).with_name("tool_schemas.json")


@dataclass(frozen=True)
class Adapter:
    """One tool: its thin adapter (which returns the CallToolResult `answer` builds) and the pydantic model of
    that answer's structured content, named "module:Class" so the model is imported only to derive the schema."""

    fn: Callable[..., Any]
    title: str
    annotations: ToolAnnotations
    output: str

    @property
    def name(self) -> str:
        return self.fn.__name__

    def description(self) -> str:
        return inspect.cleandoc(self.fn.__doc__ or "")

    def output_model(self) -> type:
        module, _, name = self.output.partition(":")
        return getattr(importlib.import_module(module), name)

    def declared(self) -> Callable[..., Any]:
        """The adapter as the SDK's decorator would read it: the same signature, returning
        Annotated[CallToolResult, <output model>] (the form that publishes the model as the output schema)."""
        fn = self.fn
        twin = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, fn.__closure__)
        twin.__kwdefaults__ = fn.__kwdefaults__
        twin.__doc__ = fn.__doc__
        twin.__annotations__ = {**inspect.get_annotations(fn, eval_str=True), "return": Annotated[CallToolResult, self.output_model()]}
        return twin

    def derived(self) -> Tool:
        """What @app.tool(...) registers: the schemas derived by the SDK."""
        return Tool.from_function(self.declared(), title=self.title, description=self.description(), annotations=self.annotations)

    def tool(self, shipped: dict[str, Any]) -> Tool:
        """The same registration with the shipped schemas: only the argument model (the validator) is built here."""
        schemas = shipped.get(self.name)
        if schemas is None:  # a tool added without regenerating the file: correct, only slower (the test says to regenerate)
            return self.derived()
        context_kwarg = find_context_parameter(self.fn)
        # an output schema without an output model is published as is: `answer` dumps a validated model already
        metadata = FuncMetadata(arg_model=self.arguments(skip=context_kwarg), output_schema=schemas["output"])
        return Tool(fn=self.fn, name=self.name, title=self.title, description=self.description(), parameters=schemas["input"],
                    fn_metadata=metadata, is_async=inspect.iscoroutinefunction(self.fn), context_kwarg=context_kwarg,
                    annotations=self.annotations)

    def arguments(self, skip: str | None) -> type[ArgModelBase]:
        """The argument model the SDK's func_metadata builds (each parameter an Annotated field with its default, a name
        that shadows a BaseModel method aliased), on a base whose validator is built at first use: building nine at
        start cost 20-50 ms."""
        fields: dict[str, Any] = {}
        for param in inspect.signature(self.fn, eval_str=True).parameters.values():
            if param.name == skip:
                continue
            name, options = param.name, {}
            if callable(getattr(BaseModel, name, None)):
                name, options = f"field_{name}", {"alias": name}
            annotated = Annotated[param.annotation, Field(**options)]
            fields[name] = annotated if param.default is inspect.Parameter.empty else (annotated, param.default)
        return create_model(f"{self.name}Arguments", __base__=_ArgumentsBuiltOnFirstUse, **fields)


class _ArgumentsBuiltOnFirstUse(ArgModelBase):
    model_config = ConfigDict(arbitrary_types_allowed=True, defer_build=True)


@functools.cache
def shipped() -> dict[str, Any]:
    try:
        return json.loads(SHIPPED.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # a broken install: derive them, as the SDK would
        return {}


def derive(adapters: list[Adapter]) -> dict[str, Any]:
    out = {}
    for adapter in adapters:
        tool = adapter.derived()
        out[adapter.name] = {"input": tool.parameters, "output": tool.output_schema}
    return out


def main() -> int:
    from .server import adapters

    SHIPPED.write_text(json.dumps(derive(adapters(Path.cwd())), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {SHIPPED}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
