import pytest

from backend.checklists.engine import ExpressionError, parse_expression, to_source
from backend.checklists.engine.expressions import Binary, Call, Current, ListLiteral, Literal, Ref, Unary


def test_multiplication_binds_tighter_than_addition():
    assert parse_expression("1 + 2 * 3") == Binary("+", Literal(1), Binary("*", Literal(2), Literal(3)))


def test_arithmetic_is_left_associative():
    assert parse_expression("8 - 4 - 2") == Binary("-", Binary("-", Literal(8), Literal(4)), Literal(2))
    assert parse_expression("8 / 4 / 2") == Binary("/", Binary("/", Literal(8), Literal(4)), Literal(2))


def test_and_binds_tighter_than_or():
    assert parse_expression("a or b and c") == Binary("or", Ref("a"), Binary("and", Ref("b"), Ref("c")))


def test_not_binds_looser_than_comparison():
    assert parse_expression("not a = 1") == Unary("not", Binary("=", Ref("a"), Literal(1)))


def test_comparison_binds_looser_than_arithmetic():
    assert parse_expression("fee > wage * 0.5") == Binary(
        ">", Ref("fee"), Binary("*", Ref("wage"), Literal(__import__("decimal").Decimal("0.5")))
    )


def test_parentheses_override_precedence():
    assert parse_expression("(1 + 2) * 3") == Binary("*", Binary("+", Literal(1), Literal(2)), Literal(3))


def test_unary_minus_and_double_equals():
    assert parse_expression("-x == 2") == Binary("=", Unary("-", Ref("x")), Literal(2))


def test_literals_and_current_value():
    assert parse_expression("true") == Literal(True)
    assert parse_expression("null") == Literal(None)
    assert parse_expression("'it\\'s'") == Literal("it's")
    assert parse_expression('"double"') == Literal("double")
    assert parse_expression(". >= 0") == Binary(">=", Current(), Literal(0))


def test_in_and_not_in_take_lists():
    assert parse_expression("x in ['a', 'b']") == Binary(
        "in", Ref("x"), ListLiteral((Literal("a"), Literal("b")))
    )
    assert parse_expression("x not in []") == Binary("not in", Ref("x"), ListLiteral(()))


def test_function_calls():
    assert parse_expression("selected(kinds, 'a')") == Call("selected", (Ref("kinds"), Literal("a")))
    assert parse_expression("count_true(a, b, c) >= 2").left == Call(
        "count_true", (Ref("a"), Ref("b"), Ref("c"))
    )


def test_aggregate_accepts_quoted_or_bare_expression():
    bare = parse_expression("any(workers, age < 18)")
    quoted = parse_expression("any(workers, 'age < 18')")
    assert bare == quoted == Call("any", (Ref("workers"), Binary("<", Ref("age"), Literal(18))))


@pytest.mark.parametrize(
    ("source", "position", "fragment"),
    [
        ("", 0, "empty"),
        ("1 +", 3, "unexpected end"),
        ("(1 + 2", 6, "expected ')'"),
        ("a = = b", 4, "unexpected '='"),
        ("a < b < c", 6, "chained"),
        ("'open", 0, "unterminated string"),
        ("a # b", 2, "unexpected character"),
        ("frobnicate(1)", 0, "unknown function"),
        ("selected(a)", 0, "takes 2 argument"),
        ("selected(a, b)", 0, "option code in quotes"),
        ("any('x', true)", 0, "repeat group key"),
        ("1.2.3", 0, "malformed number"),
        ("a b", 2, "unexpected 'b'"),
        ("and", 0, "unexpected keyword"),
        ("any(w, 'x <')", 11, "quoted expression"),
    ],
)
def test_parse_error_reports_position(source, position, fragment):
    with pytest.raises(ExpressionError) as caught:
        parse_expression(source)
    assert caught.value.position == position
    assert fragment in str(caught.value)
    assert f"at position {position}" in str(caught.value)


def test_too_deep_nesting_is_an_expression_error_not_a_recursion_error():
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_expression("(" * 500 + "1" + ")" * 500)
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_expression(" + ".join(["1"] * 500))


def test_overlong_expression_is_refused():
    with pytest.raises(ExpressionError, match="longer than"):
        parse_expression("a or " * 1000 + "a")


@pytest.mark.parametrize(
    "source",
    [
        "a or b and not c",
        "(a or b) and c",
        "not (a and b)",
        "1 - (2 - 3)",
        "-(1 + 2) * 3",
        "a - -b",
        "(a = b) = c",
        "x not in [1, 'two', null, true]",
        "sum(workers, wage * 0.5) > 100.25",
        "'quote \\' and backslash \\\\'",
    ],
)
def test_printer_round_trips(source):
    node = parse_expression(source)
    assert parse_expression(to_source(node)) == node
