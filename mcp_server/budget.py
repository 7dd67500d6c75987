"""The token budget of an MCP answer, and the answer itself: a short text for the model, the data as
structured content, together within the budget.

Claude Code refuses a tool result over 25,000 tokens and warns above 10,000; we count 4 characters a token
over the text and the structured content, and keep every answer at or under 10,000. Paged tools fill a page
up to PAGE_TOKENS; any other report that would exceed the budget has its longest lists cut (each cut said
in `notes`) until it fits, so no project, however large, makes an answer the client refuses.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from mcp.types import CallToolResult
    from pydantic import BaseModel

TOKEN_BUDGET = 10_000
PAGE_TOKENS = 8_500  # a page's findings stop here; the rest of the budget is headroom for notes and errors
CHARS_PER_TOKEN = 4
_MIN_KEPT = 3  # a list is never cut below this many items
_STRING_CHARS = 2_000  # a long string (a traceback, a plan) beyond this is cut when lists alone do not fit


def tokens(text: str) -> int:
    return -(-len(text) // CHARS_PER_TOKEN)


def answer_tokens(text: str, data: Any) -> int:
    return tokens(text) + tokens(json.dumps(data, separators=(",", ":"), ensure_ascii=False))


def answer(model: BaseModel, render: Callable[[Any], str], budget: int = TOKEN_BUDGET, exclude_none: bool = False) -> CallToolResult:
    """The tool's result: `render(model)` as the text a model reads, `model` as structured content, cut to the budget."""
    from mcp.types import CallToolResult, TextContent

    data = model.model_dump(mode="json", exclude_none=exclude_none)
    cuts: dict[str, str] = {}  # path -> what was cut there (the latest cut of a path replaces its earlier ones)
    totals: dict[str, int] = {}  # path -> the list's length before any cut
    while True:
        shown = type(model).model_validate(data) if cuts else model
        text = render(shown)
        if answer_tokens(text, data) <= budget or not _cut_once(data, cuts, totals):
            break
        notes = data.get("notes")
        if isinstance(notes, list):
            data["notes"] = [n for n in notes if not str(n).startswith("cut to fit")] + [
                "cut to fit the answer's token budget: " + "; ".join(cuts.values())]
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)


def _cut_once(data: dict, cuts: dict[str, str], totals: dict[str, int]) -> bool:
    """Halve the longest list in `data` (by its JSON size); failing that, shorten the longest string."""
    lists: list[tuple[int, str, list]] = []
    strings: list[tuple[int, str, dict | list, Any]] = []
    _walk(data, "", lists, strings)
    lists = [entry for entry in lists if len(entry[2]) > _MIN_KEPT and not entry[1].startswith("notes")]
    if lists:
        size, path, items = max(lists, key=lambda e: e[0])
        keep = max(_MIN_KEPT, len(items) // 2)
        total = totals.setdefault(path, len(items))
        del items[keep:]
        cuts[path] = f"{path}: first {keep} of {total} shown"
        return True
    strings = [entry for entry in strings if entry[0] > _STRING_CHARS]
    if strings:
        size, path, parent, key = max(strings, key=lambda e: e[0])
        parent[key] = parent[key][:_STRING_CHARS] + f"… [{size - _STRING_CHARS} characters cut]"
        cuts[path] = f"{path}: cut to {_STRING_CHARS} characters"
        return True
    return False


def _walk(value: Any, path: str, lists: list, strings: list) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            child = f"{path}.{k}" if path else str(k)
            if isinstance(v, str):
                strings.append((len(v), child, value, k))
            _walk(v, child, lists, strings)
    elif isinstance(value, list):
        lists.append((len(json.dumps(value, separators=(",", ":"))), path, value))
        for i, v in enumerate(value):
            if isinstance(v, str):
                strings.append((len(v), f"{path}[{i}]", value, i))
            _walk(v, f"{path}[{i}]", lists, strings)
