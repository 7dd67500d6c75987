"""suggest_fix / apply_fix: formatting-preserving rewrites with libcst for the findings we can fix mechanically.

Each codemod lives in a module named for what it fixes, registers itself for the rules it answers, and
carries before/after examples that are its tests. A codemod that cannot be sure returns None: no patch is
better than a wrong one.
"""

CODEMOD_MODULES = ("orm", "writes", "lookups", "leaks", "sql", "money")
