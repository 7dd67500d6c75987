"""The base of the rules a static scan reports, and the example models several rules' examples share. Each example is
a source file (or {path: source} for several modules); the positive ones must be flagged by the rule, the negative ones must not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import Rule

if TYPE_CHECKING:  # the registry needs no pydantic: the hook looks rules up on every edit
    from ..models import Finding

DJANGO_MODELS = '''
from django.db import models

class Client(models.Model):
    name = models.CharField(max_length=100)
    state = models.CharField(max_length=2)

class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    total = models.DecimalField(max_digits=12, decimal_places=2)

class InvoiceItem(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="items")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
'''

SQLA_MODELS = '''
from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

class Base(DeclarativeBase):
    pass

class Client(Base):
    __tablename__ = "clients"
    id: Mapped[int] = mapped_column(primary_key=True)
    invoices: Mapped[list["Invoice"]] = relationship(back_populates="client")

class Invoice(Base):
    __tablename__ = "invoices"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    client: Mapped["Client"] = relationship(back_populates="invoices")
    items: Mapped[list["Item"]] = relationship(lazy="selectin")
'''


# the first line of an example's file written in Python 2 on purpose: the parser refuses it (analysis/unparsed.py)
PYTHON2 = "# Python 2\n"


class StaticRule(Rule):
    example_lang = "python"
    @classmethod
    def run_example(cls, example: Any) -> list[Finding]:
        from ..analysis.scan import scan_sources

        files = example if isinstance(example, dict) else {"app.py": example}
        report = scan_sources(files)  # every rule, as a scan runs: what another rule reports at the line is not this one's
        # an example that does not parse is a broken test, unless it says it is Python 2 on purpose
        broken = [p for p in report.errors if not files.get(p.input, "").startswith(PYTHON2)]
        assert not broken, broken
        return [f for f in report.findings if f.rule == cls.id]
