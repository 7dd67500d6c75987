"""A branch of a loop that runs for the one item matching a fixed value: `for k in form.fields: if k == "itemvars":`,
`for folder in pool["folders"]: if folder["fqn"] == "/" + name:` (OpenStack Cinder's Nimble driver, round 104: three
remote calls judged false as calls per item). The item's own key compared to a value the loop never changes picks one
item, as a lookup in a dict would; a column many rows share (`inv.status == "open"`, `inv.client_id == client_id`) does
not, so only a key names the item (its id, name, path), never a foreign key or a state."""

from __future__ import annotations

import ast
import re

# what names one item of a listing: its id, its name, its path (lower-cased, without `_`: `clusterName`, `full_name`)
_KEYS = frozenset({"id", "pk", "uuid", "guid", "name", "fqn", "fullname", "key", "slug", "username", "email", "hostname",
                   "path", "url", "uri"})


def picks_one(test: ast.AST, target: str | None, targets: frozenset[str], body: list, counter: str = "") -> bool:
    """`test` holds only for the item whose key equals a value fixed for the whole loop (`target` the loop's item,
    `targets` every name its header binds, `body` its statements), or for the one position `counter`, the index
    `enumerate()` hands out, equals (`if line_i == 1:`: a file's header line, majora's QC test loader, round 225: the
    write judged false). One such comparison in an `and` is enough."""
    if type(test) is ast.BoolOp and type(test.op) is ast.And:
        return any(picks_one(value, target, targets, body, counter) for value in test.values)
    if not (type(test) is ast.Compare and len(test.ops) == 1 and type(test.ops[0]) is ast.Eq):
        return False
    if counter and picks_position(test, counter, body):
        return True
    left, right = test.left, test.comparators[0]
    return any(_item_key(key, target, targets) and _fixed(value, targets, body) for key, value in ((left, right), (right, left)))


def picks_position(test: ast.AST, counter: str, body: list) -> bool:
    """`test` is `counter == 1` (or `1 == counter`) for the index `enumerate()` hands out, which the body never rebinds:
    it holds on one pass of the loop only."""
    if not (counter and type(test) is ast.Compare and len(test.ops) == 1 and type(test.ops[0]) is ast.Eq):
        return False
    sides = (test.left, test.comparators[0])
    return any(type(k) is ast.Name and k.id == counter and type(v) is ast.Constant and type(v.value) is int for k, v in (sides, sides[::-1])) \
        and counter not in _rebound(body)


def first_pass(test: ast.AST, branch: list, body: list) -> bool:
    """`if first is True: first = False; ...` (or `if first:`): a flag the branch clears and the loop's `body` never sets
    again, so the branch runs on the loop's first pass only (the Grand Comics Database's ballot checks, round 245:
    judged false)."""
    name = _flag_tested(test)
    if not name and (unset := _unset_tested(test)):
        # `if ... and featured is None: featured = event.overview()`: filled once, never emptied again (the UNC CS
        # Experience Labs' featured event, round 288: judged false)
        inside = {id(n) for stmt in branch for n in ast.walk(stmt)}
        return any(_fills(stmt, unset) for stmt in branch) and not any(
            _binds(n, unset) and id(n) not in inside for stmt in body for n in ast.walk(stmt))  # (nothing else binds it)
    return bool(name) and any(_sets(stmt, name, False) for stmt in branch) \
        and not any(_sets(n, name, True) for stmt in body for n in ast.walk(stmt))


def _unset_tested(test: ast.AST) -> str:
    """`x` of `if x is None:` (`== None`), alone or as a part of an `and`."""
    for part in test.values if type(test) is ast.BoolOp and type(test.op) is ast.And else [test]:
        if type(part) is ast.Compare and type(part.left) is ast.Name and len(part.ops) == 1 and type(part.ops[0]) in (ast.Is, ast.Eq) \
                and type(part.comparators[0]) is ast.Constant and part.comparators[0].value is None:
            return part.left.id
    return ""


def _binds(node: ast.AST, name: str) -> bool:
    """`name = ...`, `name += ...` or `for name in ...`: any new value."""
    targets = node.targets if type(node) is ast.Assign else [node.target] if type(node) in (ast.AugAssign, ast.AnnAssign, ast.For) else []
    return any(type(n) is ast.Name and n.id == name for t in targets for n in ast.walk(t))


def _fills(node: ast.AST, name: str) -> bool:
    """`name = <a call or a name>`: a value, not a constant (None would leave it unset)."""
    return type(node) is ast.Assign and any(type(t) is ast.Name and t.id == name for t in node.targets) \
        and type(node.value) in (ast.Call, ast.Name, ast.Attribute, ast.Await)


def _flag_tested(test: ast.AST) -> str:
    """`first` of `if first:` or `if first is True:` (`== True`)."""
    if type(test) is ast.Name:
        return test.id
    if type(test) is ast.Compare and type(test.left) is ast.Name and len(test.ops) == 1 and type(test.ops[0]) in (ast.Is, ast.Eq) \
            and type(test.comparators[0]) is ast.Constant and test.comparators[0].value is True:
        return test.left.id
    return ""


def _sets(node: ast.AST, name: str, value: bool) -> bool:
    """`name = value`, a plain assignment of that constant."""
    return type(node) is ast.Assign and any(type(t) is ast.Name and t.id == name for t in node.targets) \
        and type(node.value) is ast.Constant and node.value.value is value


_ENUMERATED = re.compile(r"^\s*(?:async\s+)?for\s+\(?\s*(\w+)\s*,.*\bin\s+enumerate\(")


def enumerated(header: str) -> str:
    """The index name of `for i, row in enumerate(rows):` (the loop's header line), or ""."""
    found = _ENUMERATED.match(header)
    return found.group(1) if found else ""


def _rebound(body: list) -> set[str]:
    return {t.id for stmt in body for n in ast.walk(stmt) if type(n) in (ast.Assign, ast.AugAssign)
            for t in (n.targets if type(n) is ast.Assign else [n.target]) if type(t) is ast.Name}


def _item_key(node: ast.AST, target: str | None, targets: frozenset[str]) -> bool:
    """`k` (the item itself), `folder.name`, `folder["fqn"]` of a name the loop's header binds."""
    if type(node) is ast.Name:
        return node.id == target
    if type(node) is ast.Attribute:
        key = node.attr
    elif type(node) is ast.Subscript and type(node.slice) is ast.Constant and isinstance(node.slice.value, str):
        key = node.slice.value
    else:
        return False
    return type(node.value) is ast.Name and node.value.id in targets and key.replace("_", "").lower() in _KEYS


def _fixed(node: ast.AST, targets: frozenset[str], body: list) -> bool:
    """A constant, or names and their attributes that neither the header nor the body binds (no call: it may differ)."""
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, (ast.Call, ast.Await, ast.NamedExpr, ast.Lambda, ast.comprehension)):
            return False
        if type(sub) is ast.Name:
            names.add(sub.id)
    if not names:
        return not (type(node) is ast.Constant and node.value is None)  # `key == None`: every item without one
    if names & targets:
        return False
    return not any(type(sub) is ast.Name and type(sub.ctx) is ast.Store and sub.id in names
                   for stmt in body for sub in ast.walk(stmt))


_DICT_ITEMS = re.compile(r"^(?:async\s+)?for\s+\(?\s*(\w+)\s*,\s*\w+\s*\)?\s+in\s+.+\.items\(\)\s*:")


def dict_key(header: str) -> str | None:
    """`for key, value in data.items():`: `key`, unique among a dict's items, so `key == "avatar"` picks one (cosinnus's
    social sign-up, round 116: the avatar's download judged false as a call per item); over a list of pairs it may repeat."""
    found = _DICT_ITEMS.match(header.strip())
    return found.group(1) if found else None
