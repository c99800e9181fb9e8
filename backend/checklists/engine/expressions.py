"""The checklist expression language: tokenizer, parser, printer and evaluator.

User text is never handed to ``eval``/``exec``: it is tokenized, parsed by recursive descent
into the frozen AST nodes below, and walked by :func:`evaluate`. The grammar, lowest
precedence first::

    expr       := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := additive [("=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in") additive]
    additive   := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := "-" unary | primary
    primary    := NUMBER | STRING | "true" | "false" | "null" | "." | NAME
                | NAME "(" [expr ("," expr)*] ")" | "[" [expr ("," expr)*] "]" | "(" expr ")"

Comparisons do not chain (``a < b < c`` is an error). Evaluation never raises: see
:func:`evaluate` for the null semantics.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

__all__ = [
    "AGGREGATE_FUNCTIONS",
    "FUNCTIONS",
    "Binary",
    "Call",
    "Current",
    "ExpressionError",
    "ListLiteral",
    "Literal",
    "Node",
    "Ref",
    "Scope",
    "Unary",
    "evaluate",
    "is_true",
    "parse_expression",
    "to_source",
]

MAX_LENGTH = 4000
MAX_DEPTH = 60

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "null"})

# name -> (min args, max args or None for variadic)
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "selected": (2, 2),
    "count_selected": (1, 1),
    "count": (1, 1),
    "len": (1, 1),
    "is_empty": (1, 1),
    "count_true": (1, None),
    "coalesce": (1, None),
    "any": (2, 2),
    "all": (2, 2),
    "count_where": (2, 2),
    "sum": (2, 2),
}
# Functions whose second argument is evaluated once per entry of the repeat group named by the first.
AGGREGATE_FUNCTIONS = frozenset({"any", "all", "count_where", "sum"})
BOOLEAN_FUNCTIONS = frozenset({"selected", "is_empty", "any", "all"})


class ExpressionError(ValueError):
    """A malformed expression; ``position`` is the 0-based character offset of the problem."""

    def __init__(self, message: str, position: int, source: str = "") -> None:
        self.message = message
        self.position = position
        self.source = source
        super().__init__(f"{message} at position {position}")


# --------------------------------------------------------------------------- AST


@dataclass(frozen=True)
class Literal:
    value: bool | int | Decimal | str | None
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Ref:
    name: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Current:
    """``.``: the value of the question a constraint belongs to."""

    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class ListLiteral:
    items: tuple[Node, ...]
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Unary:
    op: str  # "not" or "-"
    operand: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Binary:
    op: str  # or and = != < <= > >= in "not in" + - * /
    left: Node
    right: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]
    pos: int = field(default=0, compare=False)


Node = Literal | Ref | Current | ListLiteral | Unary | Binary | Call


def _literal_equal(a: Literal, b: Literal) -> bool:
    # True == 1 in Python; keep booleans and numbers apart when comparing ASTs.
    return type(a.value) is type(b.value) and a.value == b.value


def walk(node: Node) -> list[Node]:
    """Every node of the tree, parents before children."""
    out: list[Node] = [node]
    if isinstance(node, ListLiteral):
        for item in node.items:
            out.extend(walk(item))
    elif isinstance(node, Unary):
        out.extend(walk(node.operand))
    elif isinstance(node, Binary):
        out.extend(walk(node.left))
        out.extend(walk(node.right))
    elif isinstance(node, Call):
        for arg in node.args:
            out.extend(walk(arg))
    return out


# --------------------------------------------------------------------------- tokenizer


@dataclass(frozen=True)
class Token:
    kind: str  # NUMBER STRING NAME OP EOF
    text: str
    pos: int
    value: Any = None


_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = ("==", "!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",", ".")
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "t": "\t"}


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch in " \t\r\n":
            i += 1
            continue
        if ch.isascii() and ch.isdigit():
            m = _NUMBER.match(source, i)
            assert m is not None
            text = m.group()
            if m.end() < n and (
                source[m.end()] == "." or source[m.end()].isalnum() or source[m.end()] == "_"
            ):
                raise ExpressionError(f"malformed number {source[i : m.end() + 1]!r}", i, source)
            value: int | Decimal = Decimal(text) if "." in text else int(text)
            tokens.append(Token("NUMBER", text, i, value))
            i = m.end()
            continue
        if ch in "'\"":
            start, quote, i = i, ch, i + 1
            chars: list[str] = []
            while True:
                if i >= n:
                    raise ExpressionError("unterminated string", start, source)
                c = source[i]
                if c == quote:
                    i += 1
                    break
                if c == "\\":
                    if i + 1 >= n or source[i + 1] not in _ESCAPES:
                        raise ExpressionError("bad escape in string", i, source)
                    chars.append(_ESCAPES[source[i + 1]])
                    i += 2
                    continue
                chars.append(c)
                i += 1
            tokens.append(Token("STRING", source[start:i], start, "".join(chars)))
            continue
        m = _NAME.match(source, i)
        if m:
            tokens.append(Token("NAME", m.group(), i))
            i = m.end()
            continue
        for op in _OPERATORS:
            if source.startswith(op, i):
                tokens.append(Token("OP", op, i))
                i += len(op)
                break
        else:
            raise ExpressionError(f"unexpected character {ch!r}", i, source)
    tokens.append(Token("EOF", "", n))
    return tokens


# --------------------------------------------------------------------------- parser

_COMPARISON_OPS = {"=", "==", "!=", "<", "<=", ">", ">="}


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.i = 0
        self.depth = 0

    # helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def error(self, message: str, tok: Token | None = None) -> ExpressionError:
        tok = tok or self.tok
        return ExpressionError(message, tok.pos, self.source)

    def at(self, kind: str, text: str | None = None) -> bool:
        tok = self.tok
        return tok.kind == kind and (text is None or tok.text == text)

    def at_keyword(self, word: str) -> bool:
        return self.at("NAME", word)

    def expect_op(self, text: str) -> Token:
        if not self.at("OP", text):
            found = "end of expression" if self.tok.kind == "EOF" else repr(self.tok.text)
            raise self.error(f"expected {text!r}, found {found}")
        tok = self.tok
        self.i += 1
        return tok

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error("expression nested too deeply")

    def leave(self) -> None:
        self.depth -= 1

    # grammar
    def parse(self) -> Node:
        if self.tok.kind == "EOF":
            raise self.error("empty expression")
        node = self.parse_or()
        if self.tok.kind != "EOF":
            raise self.error(f"unexpected {self.tok.text!r}")
        if _depth(node) > MAX_DEPTH:
            raise ExpressionError("expression nested too deeply", 0, self.source)
        return node

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.at_keyword("or"):
            tok = self.tok
            self.i += 1
            node = Binary("or", node, self.parse_and(), tok.pos)
        return node

    def parse_and(self) -> Node:
        node = self.parse_not()
        while self.at_keyword("and"):
            tok = self.tok
            self.i += 1
            node = Binary("and", node, self.parse_not(), tok.pos)
        return node

    def parse_not(self) -> Node:
        if self.at_keyword("not"):
            tok = self.tok
            self.i += 1
            self.enter()
            operand = self.parse_not()
            self.leave()
            return Unary("not", operand, tok.pos)
        return self.parse_comparison()

    def _comparison_op(self) -> tuple[str, Token] | None:
        tok = self.tok
        if tok.kind == "OP" and tok.text in _COMPARISON_OPS:
            self.i += 1
            return ("=" if tok.text == "==" else tok.text), tok
        if self.at_keyword("in"):
            self.i += 1
            return "in", tok
        if (
            self.at_keyword("not")
            and self.tokens[self.i + 1].kind == "NAME"
            and self.tokens[self.i + 1].text == "in"
        ):
            self.i += 2
            return "not in", tok
        return None

    def parse_comparison(self) -> Node:
        node = self.parse_additive()
        found = self._comparison_op()
        if found is None:
            return node
        op, tok = found
        node = Binary(op, node, self.parse_additive(), tok.pos)
        if self._comparison_op() is not None:
            raise self.error("comparisons cannot be chained; use 'and'", self.tokens[self.i - 1])
        return node

    def parse_additive(self) -> Node:
        node = self.parse_term()
        while self.at("OP", "+") or self.at("OP", "-"):
            tok = self.tok
            self.i += 1
            node = Binary(tok.text, node, self.parse_term(), tok.pos)
        return node

    def parse_term(self) -> Node:
        node = self.parse_unary()
        while self.at("OP", "*") or self.at("OP", "/"):
            tok = self.tok
            self.i += 1
            node = Binary(tok.text, node, self.parse_unary(), tok.pos)
        return node

    def parse_unary(self) -> Node:
        if self.at("OP", "-"):
            tok = self.tok
            self.i += 1
            self.enter()
            operand = self.parse_unary()
            self.leave()
            return Unary("-", operand, tok.pos)
        return self.parse_primary()

    def parse_primary(self) -> Node:
        tok = self.tok
        if tok.kind == "NUMBER":
            self.i += 1
            return Literal(tok.value, tok.pos)
        if tok.kind == "STRING":
            self.i += 1
            return Literal(tok.value, tok.pos)
        if tok.kind == "NAME":
            word = tok.text
            if word == "true":
                self.i += 1
                return Literal(True, tok.pos)
            if word == "false":
                self.i += 1
                return Literal(False, tok.pos)
            if word == "null":
                self.i += 1
                return Literal(None, tok.pos)
            if word in KEYWORDS:
                raise self.error(f"unexpected keyword {word!r}")
            self.i += 1
            if self.at("OP", "("):
                return self.parse_call(tok)
            return Ref(word, tok.pos)
        if tok.kind == "OP":
            if tok.text == ".":
                self.i += 1
                return Current(tok.pos)
            if tok.text == "(":
                self.i += 1
                self.enter()
                node = self.parse_or()
                self.leave()
                self.expect_op(")")
                return node
            if tok.text == "[":
                self.i += 1
                self.enter()
                items = self.parse_list_items("]")
                self.leave()
                return ListLiteral(tuple(items), tok.pos)
        if tok.kind == "EOF":
            raise self.error("unexpected end of expression")
        raise self.error(f"unexpected {tok.text!r}")

    def parse_list_items(self, closing: str) -> list[Node]:
        items: list[Node] = []
        if self.at("OP", closing):
            self.i += 1
            return items
        while True:
            items.append(self.parse_or())
            if self.at("OP", ","):
                self.i += 1
                continue
            self.expect_op(closing)
            return items

    def parse_call(self, name_tok: Token) -> Node:
        name = name_tok.text
        if name not in FUNCTIONS:
            raise self.error(f"unknown function {name!r}", name_tok)
        self.expect_op("(")
        self.enter()
        args = self.parse_list_items(")")
        self.leave()
        low, high = FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            expected = (
                str(low) if high == low else (f"at least {low}" if high is None else f"{low} to {high}")
            )
            raise self.error(f"{name}() takes {expected} argument(s), got {len(args)}", name_tok)
        if name in AGGREGATE_FUNCTIONS:
            if not isinstance(args[0], Ref):
                raise self.error(f"first argument of {name}() must be a repeat group key", name_tok)
            second = args[1]
            # The issue text writes the per-entry expression as a string; accept that form too.
            if isinstance(second, Literal) and isinstance(second.value, str):
                try:
                    inner = _Parser(second.value).parse()
                except ExpressionError as exc:
                    raise ExpressionError(
                        f"in the quoted expression of {name}(): {exc.message}",
                        second.pos + 1 + exc.position,
                        self.source,
                    ) from None
                args = [args[0], _shift(inner, second.pos + 1)]
        if name in ("selected", "count_selected", "count") and not isinstance(args[0], Ref | Current):
            raise self.error(f"first argument of {name}() must be a question key", name_tok)
        if name == "selected" and not (isinstance(args[1], Literal) and isinstance(args[1].value, str)):
            raise self.error("second argument of selected() must be an option code in quotes", name_tok)
        return Call(name, tuple(args), name_tok.pos)


def _shift(node: Node, offset: int) -> Node:
    """Move positions of a sub-expression parsed out of a string literal into the outer source."""
    if isinstance(node, Literal):
        return Literal(node.value, node.pos + offset)
    if isinstance(node, Ref):
        return Ref(node.name, node.pos + offset)
    if isinstance(node, Current):
        return Current(node.pos + offset)
    if isinstance(node, ListLiteral):
        return ListLiteral(tuple(_shift(i, offset) for i in node.items), node.pos + offset)
    if isinstance(node, Unary):
        return Unary(node.op, _shift(node.operand, offset), node.pos + offset)
    if isinstance(node, Binary):
        return Binary(node.op, _shift(node.left, offset), _shift(node.right, offset), node.pos + offset)
    return Call(node.name, tuple(_shift(a, offset) for a in node.args), node.pos + offset)


def _depth(node: Node) -> int:
    # Iterative, so that a long flat chain such as 1+1+...+1 cannot exhaust the Python stack here.
    best = 0
    stack: list[tuple[Node, int]] = [(node, 1)]
    while stack:
        current, d = stack.pop()
        best = max(best, d)
        if isinstance(current, ListLiteral):
            stack.extend((i, d + 1) for i in current.items)
        elif isinstance(current, Unary):
            stack.append((current.operand, d + 1))
        elif isinstance(current, Binary):
            stack.append((current.left, d + 1))
            stack.append((current.right, d + 1))
        elif isinstance(current, Call):
            stack.extend((a, d + 1) for a in current.args)
    return best


def parse_expression(source: str) -> Node:
    """Parse ``source`` into an AST, or raise :class:`ExpressionError` with the offending position."""
    if not isinstance(source, str):
        raise ExpressionError("expression must be a string", 0, repr(source))
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters", MAX_LENGTH, source)
    return _Parser(source).parse()


def is_boolean(node: Node) -> bool:
    """Whether the expression syntactically yields a boolean (used to refuse e.g. ``visible_if: "x + 1"``)."""
    if isinstance(node, Literal):
        return node.value is None or isinstance(node.value, bool)
    if isinstance(node, Unary):
        return node.op == "not"
    if isinstance(node, Binary):
        return node.op not in ("+", "-", "*", "/")
    if isinstance(node, Call):
        if node.name == "coalesce":
            return all(is_boolean(a) or isinstance(a, Ref | Current) for a in node.args)
        return node.name in BOOLEAN_FUNCTIONS
    # A reference may name a yes/no question; the schema checks that.
    return isinstance(node, Ref | Current)


# --------------------------------------------------------------------------- printer

_PRECEDENCE = {
    "or": 1,
    "and": 2,
    "not": 3,
    "=": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "in": 4, "not in": 4,
    "+": 5, "-": 5,
    "*": 6, "/": 6,
}  # fmt: skip
_UNARY_MINUS = 7
_ATOM = 8


def _precedence(node: Node) -> int:
    if isinstance(node, Binary):
        return _PRECEDENCE[node.op]
    if isinstance(node, Unary):
        return _PRECEDENCE["not"] if node.op == "not" else _UNARY_MINUS
    if (
        isinstance(node, Literal)
        and isinstance(node.value, int | Decimal)
        and not isinstance(node.value, bool)
    ):
        return _ATOM if node.value >= 0 else _UNARY_MINUS
    return _ATOM


def _quote(text: str) -> str:
    body = text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\t", "\\t")
    return f"'{body}'"


def _number_source(value: int | Decimal) -> str:
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")
    if "." not in text:
        text += ".0"  # keep it a decimal literal so the round trip gives the same type
    return text


def to_source(node: Node) -> str:
    """Print an AST back to source; ``parse_expression(to_source(n)) == n``."""
    if isinstance(node, Literal):
        v = node.value
        if v is None:
            return "null"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return _quote(v)
        text = _number_source(abs(v))
        return f"-{text}" if v < 0 else text
    if isinstance(node, Ref):
        return node.name
    if isinstance(node, Current):
        return "."
    if isinstance(node, ListLiteral):
        return "[" + ", ".join(to_source(i) for i in node.items) + "]"
    if isinstance(node, Call):
        args = [to_source(a) for a in node.args]
        if node.name in AGGREGATE_FUNCTIONS and len(args) > 1:
            body = node.args[1]
            if isinstance(body, Literal) and isinstance(body.value, str):
                # A quoted string here is read back as an expression in quotes: a body that is
                # itself a string is written inside quotes of its own ("any(workers, '\'a\'')").
                args[1] = _quote(args[1])
        return f"{node.name}(" + ", ".join(args) + ")"
    if isinstance(node, Unary):
        mine = _precedence(node)
        inner = to_source(node.operand)
        if _precedence(node.operand) < mine:
            inner = f"({inner})"
        return f"not {inner}" if node.op == "not" else f"-{inner}"
    mine = _PRECEDENCE[node.op]
    left, right = to_source(node.left), to_source(node.right)
    # Left-associative: a left child of equal precedence needs no parentheses, a right one does.
    # Comparisons do not associate at all, so both sides are wrapped when they are comparisons.
    lp, rp = _precedence(node.left), _precedence(node.right)
    if lp < mine or (mine == 4 and lp == 4):
        left = f"({left})"
    if rp <= mine:
        right = f"({right})"
    return f"{left} {node.op} {right}"


# --------------------------------------------------------------------------- evaluator

Value = Any  # None | bool | int | Decimal | str | list | dict


class Scope(Protocol):
    """What the evaluator needs from its caller: answer values by key, and repeat entries."""

    def lookup(self, name: str) -> Value: ...

    def current(self) -> Value: ...

    def entries(self, group: str) -> Sequence[Scope]: ...


def _is_number(v: Value) -> bool:
    return isinstance(v, int | Decimal) and not isinstance(v, bool)


def is_true(v: Value) -> bool:
    """Conditions hold only when they evaluate to exactly ``true``; null and other values do not."""
    return v is True


def _equal(a: Value, b: Value) -> bool:
    if _is_number(a) and _is_number(b):
        return bool(a == b)
    if type(a) is not type(b):
        return False
    return bool(a == b)


def _truth(v: Value) -> bool | None:
    return v if isinstance(v, bool) else None


def _arith(op: str, a: Value, b: Value) -> Value:
    if not (_is_number(a) and _is_number(b)):
        return None
    try:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if b == 0:
            return None
        return Decimal(a) / Decimal(b)
    except (ArithmeticError, InvalidOperation):
        return None


def _order(op: str, a: Value, b: Value) -> bool | None:
    if not ((_is_number(a) and _is_number(b)) or (isinstance(a, str) and isinstance(b, str))):
        return None
    try:
        if op == "<":
            return bool(a < b)
        if op == "<=":
            return bool(a <= b)
        if op == ">":
            return bool(a > b)
        return bool(a >= b)
    except (ArithmeticError, InvalidOperation):
        return None


def _size(v: Value) -> int:
    if isinstance(v, str | list | dict):
        return len(v)
    return 0


def _empty(v: Value) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, list | dict) and not v)


def _call(node: Call, scope: Scope) -> Value:
    name, args = node.name, node.args
    if name in AGGREGATE_FUNCTIONS:
        group = args[0]
        assert isinstance(group, Ref)
        results = [evaluate(args[1], entry) for entry in scope.entries(group.name)]
        if name == "any":
            return any(r is True for r in results)
        if name == "all":
            return all(r is True for r in results)
        if name == "count_where":
            return sum(1 for r in results if r is True)
        total: int | Decimal = 0
        for r in results:
            if _is_number(r):
                total = total + r
        return total
    values = [evaluate(a, scope) for a in args]
    if name == "selected":
        v, code = values
        if isinstance(v, str):
            return v == code
        if isinstance(v, list):
            return code in v
        return False
    if name == "count_selected":
        v = values[0]
        return len(v) if isinstance(v, list) else (1 if isinstance(v, str) and v else 0)
    if name in ("count", "len"):
        return _size(values[0])
    if name == "is_empty":
        return _empty(values[0])
    if name == "count_true":
        return sum(1 for v in values if v is True)
    if name == "coalesce":
        return next((v for v in values if v is not None), None)
    raise AssertionError(f"unhandled function {name}")  # parse_expression refuses unknown names


def evaluate(node: Node, scope: Scope) -> Value:
    """Evaluate an AST against answers. Never raises for any answer values.

    Null semantics: a missing, hidden or invalid answer is ``null``. Arithmetic and ordering
    with ``null`` or with mismatched types (``'a' < 3``, ``true + 1``) give ``null``, as does
    division by zero. ``=``/``!=`` never give null: values of different types are unequal and
    ``null = null`` is true. ``and``/``or``/``not`` use three-valued logic with null as unknown
    (``false and null`` is false, ``true or null`` is true); non-boolean operands count as null.
    """
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Ref):
        return scope.lookup(node.name)
    if isinstance(node, Current):
        return scope.current()
    if isinstance(node, Binary):
        op = node.op
        if op == "and":
            left = _truth(evaluate(node.left, scope))
            if left is False:
                return False
            right = _truth(evaluate(node.right, scope))
            if right is False:
                return False
            return True if (left and right) else None
        if op == "or":
            left = _truth(evaluate(node.left, scope))
            if left is True:
                return True
            right = _truth(evaluate(node.right, scope))
            if right is True:
                return True
            return False if (left is False and right is False) else None
        a = evaluate(node.left, scope)
        b = evaluate(node.right, scope)
        if op == "=":
            return _equal(a, b)
        if op == "!=":
            return not _equal(a, b)
        if op in ("in", "not in"):
            if not isinstance(b, list):
                return None
            found = any(_equal(a, item) for item in b)
            return found if op == "in" else not found
        if op in ("<", "<=", ">", ">="):
            return _order(op, a, b)
        return _arith(op, a, b)
    if isinstance(node, Unary):
        v = evaluate(node.operand, scope)
        if node.op == "not":
            t = _truth(v)
            return None if t is None else not t
        return -v if _is_number(v) else None
    if isinstance(node, ListLiteral):
        return [evaluate(i, scope) for i in node.items]
    return _call(node, scope)


class MappingScope:
    """A simple scope over plain dicts, for tests and tools: repeat groups are lists of dicts."""

    def __init__(self, values: dict[str, Value], current: Value = None, parent: MappingScope | None = None):
        self.values = values
        self._current = current
        self.parent = parent

    def lookup(self, name: str) -> Value:
        scope: MappingScope | None = self
        while scope is not None:
            if name in scope.values:
                return _normalise(scope.values[name])
            scope = scope.parent
        return None

    def current(self) -> Value:
        return _normalise(self._current)

    def entries(self, group: str) -> list[MappingScope]:
        rows = self.lookup(group)
        if not isinstance(rows, list):
            return []
        return [MappingScope(r if isinstance(r, dict) else {}, None, self) for r in rows]


def _normalise(v: Value) -> Value:
    if isinstance(v, float):
        try:
            return Decimal(repr(v))
        except InvalidOperation:
            return None
    return v
