"""Money as float: a float literal next to a Decimal, or `Decimal(0.18)` built from a float, becomes
`Decimal("0.18")` (the import added when missing). float() of a variable gets no patch: what it holds decides
the fix, and a codemod does not guess."""

from __future__ import annotations

import libcst as cst

from .base import Change, Codemod, Example, Replace, dotted, string, with_imports


class DecimalLiteral(Codemod):
    id = "decimal-literal"
    rules = ("PF701",)
    what = "Replaces float literals used with Decimal (and Decimal(float literal)) by Decimal(\"literal\")."

    @classmethod
    def fix(cls, finding, read):
        located = cls.located(finding, read)
        if located is None:
            return None
        line = finding.location.line
        replacements: dict[cst.CSTNode, cst.CSTNode] = {}
        for call in located.on_line(line, cst.Call):
            if dotted(call.func) in ("Decimal", "decimal.Decimal") and len(call.args) == 1 and isinstance(call.args[0].value, cst.Float):
                replacements[call.args[0].value] = string(call.args[0].value.value)
        for op in located.on_line(line, cst.BinaryOperation):
            for side, other in ((op.left, op.right), (op.right, op.left)):
                # only next to a Decimal: elsewhere a Decimal constant could meet a float and raise TypeError
                if isinstance(side, cst.Float) and isinstance(other, cst.Call) and (dotted(other.func) or "").rpartition(".")[2] in ("Decimal", "quantize"):
                    replacements[side] = cst.Call(cst.Name("Decimal"), [cst.Arg(string(side.value))])
        if not replacements:
            return None
        module = with_imports(located.module.visit(Replace(replacements)), [("decimal", "Decimal")])
        return Change(finding.location.path, module.code, "writes the constant as an exact Decimal")

    examples = [
        Example({"taxes.py": '''from decimal import Decimal


def pis(value):
    return Decimal(value) * 0.0165
'''}, "taxes.py", 5, "PF701", {"taxes.py": '''from decimal import Decimal


def pis(value):
    return Decimal(value) * Decimal("0.0165")
'''}),
        Example({"taxes.py": '''from decimal import Decimal


def icms(item):
    return round(float(item.amount), 2)
'''}, "taxes.py", 5, "PF701", None),
    ]
