"""Fuzzing the expression parser: any text either parses or raises ExpressionError."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.checklists.engine import ExpressionError, parse_expression, to_source
from backend.checklists.engine.expressions import FUNCTIONS, MappingScope, evaluate

TOKENS = [
    "(", ")", "[", "]", ",", ".", "=", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/",
    "and", "or", "not", "in", "true", "false", "null", "0", "1", "2.5", "10", "'a'", "'b c'", '"d"',
    "x", "y", "workers", "age", *FUNCTIONS, "'x < 1'", "#", "'", "\\", "1.", "é",
]  # fmt: skip

token_soup = st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join)
tight_soup = st.lists(st.sampled_from(TOKENS), max_size=25).map("".join)

SCOPE = MappingScope(
    {"x": 3, "y": Decimal("2.5"), "workers": [{"age": 15}, {"age": 40}, {}], "age": "text"}, current=7
)


def parse_or_error(source):
    try:
        return parse_expression(source)
    except ExpressionError as exc:
        assert 0 <= exc.position <= max(len(source), 4000)
        return None


@settings(max_examples=600, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_parses_or_raises_expression_error(source):
    parse_or_error(source)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(token_soup, tight_soup))
def test_token_soup_parses_or_raises_expression_error_and_round_trips(source):
    node = parse_or_error(source)
    if node is None:
        return
    printed = to_source(node)
    assert parse_expression(printed) == node
    assert to_source(parse_expression(printed)) == printed
    evaluate(node, SCOPE)  # evaluation never raises either


def expressions(depth=3):
    leaf = st.one_of(
        st.integers(0, 10**6).map(str),
        st.decimals(0, 10**6, places=3, allow_nan=False, allow_infinity=False).map(lambda d: format(d, "f")),
        st.text(max_size=5).map(lambda s: "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"),
        st.sampled_from(["true", "false", "null", "x", "y", "."]),
    )

    def extend(inner):
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "=", "<", "and", "or", "in"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            inner.map(lambda e: f"not ({e})"),
            inner.map(lambda e: f"-({e})"),
            st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
            st.lists(inner, min_size=1, max_size=3).map(lambda a: "count_true(" + ", ".join(a) + ")"),
            inner.map(lambda e: f"any(workers, {e})"),
        )

    return st.recursive(leaf, extend, max_leaves=10)


EXPRESSIONS = expressions()


@settings(max_examples=500, deadline=None)
@given(EXPRESSIONS)
def test_generated_expressions_round_trip_through_the_printer_and_evaluate(source):
    # Mostly well-formed; a quoted aggregate body such as any(workers, '') or a too deep tree is not.
    node = parse_or_error(source)
    if node is None:
        return
    assert parse_expression(to_source(node)) == node
    evaluate(node, SCOPE)


def test_an_aggregate_body_that_is_a_string_prints_back_to_itself():
    # Found by the round-trip fuzz: a quoted body holding a string literal printed as
    # any(workers, '') and was read back as an empty expression in quotes.
    for source in ("any(workers, '\\'\\'')", "all(workers, '\\'a\\'')"):
        node = parse_expression(source)
        assert parse_expression(to_source(node)) == node
