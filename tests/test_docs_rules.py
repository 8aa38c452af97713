"""docs/model.md lists every impossible transition the rule book can report and every vocabulary's spellings."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from engine.core import _rules
from events import _kinds

ROOT = Path(__file__).parent.parent
MODEL_DOC = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")


def _template(node: ast.JoinedStr) -> str:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value))
        else:
            parts.append("{" + ast.unparse(value.value) + "}")  # type: ignore[attr-defined]
    return "".join(parts)


def rule_book_messages() -> list[str]:
    """Every message the rule book can produce: its f-string templates and the messages of its tables."""
    tree = ast.parse((ROOT / "engine" / "core" / "_rules.py").read_text(encoding="utf-8"))
    messages = [_template(node) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)]
    for refused, _after in _rules.RELATIONS_RULES.values():
        messages.extend(refused.values())
    messages.extend(rule for _allowed, _after, rule in _rules.AID_RULES.values())
    return sorted(set(messages))


def test_the_rule_book_has_messages_to_check():
    """The extraction finds the rules (a check that this test can fail)."""
    messages = rule_book_messages()
    assert "{event.actor} already recognises {event.target}" in messages
    assert "there is no restriction to waive" in messages
    assert len(messages) >= 20


@pytest.mark.parametrize("message", rule_book_messages())
def test_every_impossible_transition_is_documented(message):
    """A new rule without a line in docs/model.md's list of impossible transitions fails here."""
    assert f"`{message}`" in MODEL_DOC


@pytest.mark.parametrize(
    "vocabulary",
    [
        _kinds.RANKS,
        _kinds.POST_KINDS,
        _kinds.STATEMENT_TYPES,
        _kinds.GOVERNMENT_CHANGES,
        _kinds.CERTIFICATION_DECISIONS,
        _kinds.STANCES,
    ],
    ids=["rank", "post", "statement", "how", "decision", "stance"],
)
def test_every_spelling_is_documented(vocabulary):
    """Each accepted value of a fixed vocabulary appears, spelled as files spell it, in docs/model.md."""
    assert [value for value in vocabulary if f"`{value}`" not in MODEL_DOC] == []
