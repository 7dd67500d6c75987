"""The files a template's findings depend on, found without a whole scan (the hook analyses one edited file).

A template's rows come from the views that render it, and what it reads per row may sit in templates it
includes; a Python file's imports name its context, a template has none. So: the Python files of the template's
app (the folder holding its `templates/`) that name the template, or its default `<model>_list`/`_detail` stem,
and the templates it includes or extends, each by its name under the same `templates/` folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from .templates import TEMPLATE, template_name

MAX_FILES = 200  # Python files of one app read to find the views; an app larger than this is searched no further


def related_files(root: Path, rel: str, facts) -> list[str]:
    """Project-relative paths of the views that render `rel` and of the templates it includes or extends."""
    name = template_name(rel)
    if name is None:
        return []
    base = rel[: len(rel) - len(name)]  # ".../templates/"
    app = os.path.dirname(base.rstrip("/"))
    needles = [name.encode()]
    stem = os.path.splitext(os.path.basename(name))[0]
    if stem.endswith(("_list", "_detail")):
        needles.append(b"ListView" if stem.endswith("_list") else b"DetailView")
    found: list[str] = []
    seen = 0
    for dirpath, dirnames, filenames in os.walk(root / app if app else root):
        dirnames[:] = [d for d in dirnames if d not in ("templates", "migrations", "tests", "node_modules", ".git", "static")]
        for fname in filenames:
            if not fname.endswith(".py"):
                continue
            seen += 1
            if seen > MAX_FILES:
                break
            full = os.path.join(dirpath, fname)
            try:
                with open(full, "rb") as fh:
                    data = fh.read(2 * 1024 * 1024)
            except OSError:
                continue
            if any(n in data for n in needles):
                found.append(os.path.relpath(full, root).replace(os.sep, "/"))
    template = facts.functions.get(TEMPLATE)  # (none in a template read only for its names: suffixes.NAMED_SUFFIXES)
    for call in template.calls if template is not None else ():  # {% include %} / {% extends %}: the other template, by name
        other = call.callee.removeprefix("template:").removesuffix(f".{TEMPLATE}").replace(":", ".")
        candidate = f"{base}{other}"
        if (root / candidate).is_file():
            found.append(candidate)
    return found
