"""What a file the parser refuses still says of the project: the modules it imports and the names it holds.

A scan of the whole project reads what nothing imports (unused_modules.py) and what nothing starts (command_starts.py)
only when every file was read: a file it could not parse might import a module or start a command. One file of Python
2 (`print "done"`) or of Python 3.12's f-strings kept the whole-project reading off for the whole project: 9 of the 36
applications of rounds 151 to 156 had such a file (VotaInteligente 17, Newfies-Dialer 13), and their one-off seed
scripts and hand-run imports stayed `high` (round 155: 2 judged N RARE in VotaInteligente).

So such a file stands in as its text: its imports (read line by line, the way Python 2 and 3 both spell them) and its
words, from which a module it names is live, a command it names with a way to start it is started, and a function it
names is called. It counts as run (a script, or imported by what we cannot read), so whatever it imports is live too.
It holds no function, so no finding comes from it; the scan still reports it as skipped.
"""

from __future__ import annotations

import re

from .facts import ModuleFacts
from .names import import_base, imported_name, module_name, package_of
from .module_words import WORD, uncommented
from .unused_modules import module_refs

# `import a.b as c, d` and `from ..a import (b, c as d)`, a parenthesised list running over lines
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w. \t,]+)", re.M)
_FROM = re.compile(r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]+)", re.M)
_ALIAS = re.compile(r"([\w.]+|\*)(?:\s+as\s+(\w+))?")


def stand_in(path: str, text: str) -> ModuleFacts:
    """The facts of a module read as text only: imports and words, no function."""
    module, is_package = module_name(path)
    package = package_of(module, is_package)
    facts = ModuleFacts(path=path, module=module, lines=0, unparsed=True)
    imported: list[str] = []
    for listed in _IMPORT.findall(text):
        for name, alias in _ALIAS.findall(listed):
            imported.append(name)
            facts.imports[alias or name.partition(".")[0]] = name if alias else name.partition(".")[0]
    for dots, module, listed in _FROM.findall(text):
        base = import_base(package, len(dots), module or None)
        for name, alias in _ALIAS.findall(listed.strip("()")):
            target = imported_name(base, name)
            imported.append(target)
            if name != "*":
                facts.imports[alias or name] = target
    facts.imported = tuple(imported)
    facts.words = frozenset(WORD.findall("\n".join(uncommented(text.splitlines()))))
    facts.quoted, facts.dynamic, _main = module_refs(text)
    return facts
