"""The parsed expressions of a checklist version as JSON trees, shipped to phones with the version.

A phone evaluates these trees and never parses expression text itself, so there is one parser
(the engine's) and the phone cannot read an expression differently from the server. Numbers
travel as strings so that no digit is lost to a phone's floating point: ``["int", "12"]``,
``["dec", "0.5"]``.

Tree nodes (JSON arrays):
``["lit", true|false|null|"text"]``, ``["int", "12"]``, ``["dec", "0.5"]``, ``["ref", key]``,
``["cur"]`` (the answer a constraint checks), ``["list", [node, ...]]``, ``["not", node]``,
``["neg", node]``, ``["bin", op, left, right]`` (op: or and = != < <= > >= in "not in" + - * /),
``["call", name, [node, ...]]``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from backend.checklists.engine import Definition, Expression
from backend.checklists.engine.expressions import (
    Binary,
    Call,
    Current,
    ListLiteral,
    Literal,
    Node,
    Ref,
    Unary,
)

LOGIC_FORMAT = 1


def expression_tree(node: Node) -> list[Any]:
    if isinstance(node, Literal):
        value = node.value
        if isinstance(value, bool) or value is None or isinstance(value, str):
            return ["lit", value]
        if isinstance(value, Decimal):
            return ["dec", format(value, "f")]
        return ["int", str(value)]
    if isinstance(node, Ref):
        return ["ref", node.name]
    if isinstance(node, Current):
        return ["cur"]
    if isinstance(node, ListLiteral):
        return ["list", [expression_tree(item) for item in node.items]]
    if isinstance(node, Unary):
        return ["not" if node.op == "not" else "neg", expression_tree(node.operand)]
    if isinstance(node, Binary):
        return ["bin", node.op, expression_tree(node.left), expression_tree(node.right)]
    if isinstance(node, Call):
        return ["call", node.name, [expression_tree(arg) for arg in node.args]]
    raise TypeError(f"not an expression node: {node!r}")


def _tree(expression: Expression | None) -> list[Any] | None:
    return None if expression is None else expression_tree(expression.node)


def definition_logic(definition: Definition) -> dict[str, Any]:
    """Every visibility, requirement and constraint of ``definition``, as trees, by key."""
    sections = {
        s.key: {"visible_if": _tree(s.visible_if)} for s in definition.sections if s.visible_if is not None
    }
    questions: dict[str, dict[str, Any]] = {}
    for q in definition.iter_questions():
        trees = {
            name: _tree(getattr(q, name))
            for name in ("visible_if", "required_if", "constraint")
            if getattr(q, name) is not None
        }
        if trees:
            questions[q.key] = trees
    return {"format": LOGIC_FORMAT, "sections": sections, "questions": questions}
