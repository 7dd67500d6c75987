"""Rule registry. Every rule documents itself (what, why, example, fix) and carries its own
positive and negative examples; tests/test_rules_examples.py runs every rule over its examples.

Rule modules register on import; RULE_MODULES lists them so the registry can be filled lazily
(the CLI's `rules` command and the SARIF renderer ask for it, most tools never do).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, ClassVar

from .. import findings as plain
from ..findings import Confidence, Severity

if TYPE_CHECKING:
    from ..models import Evidence, Finding, Location

# One module per rule family: the N+1 rules, then scan_performance's (the seed's proactive triggers beyond N+1),
# the runtime, SQL and SLA rules.
RULE_MODULES = tuple(f"mcp_server.rules.{name}" for name in (
    "query_loops", "relation_loads", "remote_calls", "queryset_reuse",
    "row_writes", "commits", "per_row_lookups", "whole_loads", "resources", "sql_formatting", "money", "async_code", "repeated_work",
    "runtime", "sql")) + ("mcp_server.sla.rules",)

_REGISTRY: dict[str, type[Rule]] = {}


class Examples:
    """A rule's examples, imported when first read: the hook looks rules up on every edit and never runs their
    examples, which are most of the registry's text (`positive = Examples("query_loops_examples", "NP101_POSITIVE")`)."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name

    def __get__(self, obj: object, owner: type) -> list[Any]:
        return getattr(importlib.import_module(f"{__name__}.{self.module}"), self.name)


class Rule:
    id: ClassVar[str]
    name: ClassVar[str]  # kebab-case slug, stable like the id
    title: ClassVar[str]
    severity: ClassVar[Severity]
    what: ClassVar[str]
    why: ClassVar[str]
    example: ClassVar[str]
    fix: ClassVar[str]
    example_lang: ClassVar[str] = ""  # the fence language of `example` in the generated docs
    # Inputs this rule must flag, and inputs it must leave alone; their shape is the rule family's own.
    positive: ClassVar[list[Any]] = []
    negative: ClassVar[list[Any]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "id" in cls.__dict__:
            if cls.id in _REGISTRY and _REGISTRY[cls.id] is not cls:
                raise RuntimeError(f"duplicate rule id {cls.id}")
            _REGISTRY[cls.id] = cls

    @classmethod
    def run_example(cls, example: Any) -> list[Finding]:
        """Run the rule's own family over one example and return the findings of this rule."""
        raise NotImplementedError

    @classmethod
    def help_markdown(cls) -> str:
        return (
            f"**What it does.** {cls.what}\n\n**Why it matters.** {cls.why}\n\n"
            f"**Example.**\n\n```{cls.example_lang}\n{cls.example.strip()}\n```\n\n**Fix.** {cls.fix}\n"
        )


_loaded = False


def all_rules() -> dict[str, type[Rule]]:
    global _loaded
    if not _loaded:  # import once: findings look their rule up one by one
        for module in RULE_MODULES:
            importlib.import_module(module)
        _loaded = True
    return dict(sorted(_REGISTRY.items()))


def get_rule(rule_id: str) -> type[Rule] | None:
    if not _loaded:
        all_rules()
    return _REGISTRY.get(rule_id)


def plain_finding(rule_id: str, message: str, confidence: str = "high", *, location: plain.Location | None = None,
                  evidence: list[plain.Evidence] | None = None, suggestion: str = "") -> plain.Finding:
    """A finding of a registered rule as the engine's plain data: its title, severity and default fix come from
    the rule, written once there."""
    rule = get_rule(rule_id)
    if rule is None:
        raise KeyError(f"no rule {rule_id} is registered")
    return plain.Finding(rule=rule_id, title=rule.title, severity=rule.severity, confidence=Confidence(confidence), message=message,
                         location=location, evidence=list(evidence or []), suggestion=suggestion or rule.fix)


def finding(rule_id: str, message: str, confidence: str = "high", *, location: Location | None = None,
            evidence: list[Evidence] | None = None, suggestion: str = "") -> Finding:
    """The same, as the shared result model the tools return."""
    from ..models import Finding

    return Finding.from_plain(plain_finding(rule_id, message, confidence, location=location, evidence=evidence, suggestion=suggestion))


def rules_markdown() -> str:
    """docs/rules.md's rule reference, generated from the rules themselves."""
    parts = []
    for rule in all_rules().values():
        parts.append(f"### {rule.id} `{rule.name}`: {rule.title}\n\nDefault severity: {rule.severity.value}.\n\n{rule.help_markdown()}")
    return "\n".join(parts)
