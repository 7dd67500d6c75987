"""Every rule's own positive and negative examples are its tests (Fixit's habit)."""

import pytest

from mcp_server.rules import all_rules, rules_markdown

RULES = list(all_rules().values())


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_documents_itself(rule):
    for attr in ("name", "title", "what", "why", "example", "fix"):
        assert getattr(rule, attr).strip(), f"{rule.id} lacks {attr}"
    assert rule.positive and rule.negative, f"{rule.id} needs positive and negative examples"


@pytest.mark.parametrize("rule, example", [(r, e) for r in RULES for e in r.positive], ids=lambda x: getattr(x, "id", ""))
def test_positive_examples_are_flagged(rule, example):
    findings = rule.run_example(example)
    assert findings and all(f.rule == rule.id for f in findings)


@pytest.mark.parametrize("rule, example", [(r, e) for r in RULES for e in r.negative], ids=lambda x: getattr(x, "id", ""))
def test_negative_examples_are_not_flagged(rule, example):
    assert rule.run_example(example) == []


def test_rule_ids_and_names_are_unique():
    assert len({r.name for r in RULES}) == len(RULES)


def test_markdown_reference_covers_every_rule():
    text = rules_markdown()
    for r in RULES:
        assert f"### {r.id} `{r.name}`" in text
