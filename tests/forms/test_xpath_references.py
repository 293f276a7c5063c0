"""What an expression depends on, and expressions rejected when a form is loaded."""

from __future__ import annotations

import pytest

from fieldsurvey.errors import FormError
from fieldsurvey.forms.xpath import XPathSyntaxError, compile_expression, reference_matches


@pytest.mark.parametrize(
    ("expression", "context", "expected"),
    [
        ("/data/age >= 18", "/data/q", {"/data/age"}),
        (". > 0 and . < /data/max", "/data/grp/q", {"/data/grp/q", "/data/max"}),
        ("../sibling + ../../top", "/data/grp/q", {"/data/grp/sibling", "/data/top"}),
        ("./a", "/data/grp", {"/data/grp/a"}),
        ("current()/../b", "/data/rep/a", {"/data/rep/b"}),
        ("/data/orx:meta/orx:instanceID", "/data/q", {"/data/meta/instanceID"}),
        ("/data/rep[2]/q", "/data/x", {"/data/rep/q"}),
        ("count(/data/rep)", "/data/n", {"/data/rep"}),
        ("sum(/data/rep[age > 18]/pets)", "/data/n", {"/data/rep/age", "/data/rep/pets"}),
        ("position(..)", "/data/rep/q", {"/data/rep"}),
        (
            "indexed-repeat(/data/rep/name, /data/rep, ../idx)",
            "/data/grp/q",
            {"/data/rep/name", "/data/rep", "/data/grp/idx"},
        ),
        (
            "instance('cities')/root/item[country = current()/../country]/label",
            "/data/city",
            {"/data/country"},
        ),
        (
            "instance('cities')/root/item[country = /data/country and name != ../x]",
            "/data/g/city",
            {"/data/country"},
        ),
        ("pulldata('fruits', 'price', 'name', /data/fruit)", "/data/p", {"/data/fruit"}),
        ("string-length()", "/data/name", {"/data/name"}),
        ("once(random())", "/data/r", {"/data/r"}),
        ("if(selected(/data/s, 'a'), /data/x, /data/y)", "/data/z",
         {"/data/s", "/data/x", "/data/y"}),
        ("today() + 1", "/data/d", set()),
        ("/data/a | /data/b", "/data/c", {"/data/a", "/data/b"}),
        ("count(//member)", "/data/n", {"//member"}),
        ("/data/grp/*", "/data/n", {"/data/grp/*"}),
        ("count(/data/rep[position() = last()])", "/data/n", {"/data/rep"}),
        ("/data/rep[3]/q", "/data/rep/x", {"/data/rep/q"}),
    ],
)
def test_references(expression, context, expected):
    assert compile_expression(expression).references(context) == expected


def test_references_take_indexed_context_paths():
    expr = compile_expression("../b")
    assert expr.references("/data/rep[2]/a") == {"/data/rep/b"}


def test_reference_patterns_cover_their_matches():
    assert reference_matches("/data/grp", "/data/grp")
    assert reference_matches("/data/grp", "/data/grp/q")  # a group's value is its descendants'
    assert not reference_matches("/data/grp", "/data/grp2")
    assert reference_matches("//member", "/data/hh/member")
    assert reference_matches("/data/grp/*", "/data/grp/q")
    assert not reference_matches("/data/grp/*", "/data/other/q")


@pytest.mark.parametrize(
    "expression",
    ["concatx(/data/a, 'b')", "today(", "1 +", "/data/a = = 2", "if(1, 2)", "selected(/data/a)",
     "round(1, 2, 3)", "random(1)", "substr('abc')", "indexed-repeat(/data/a, /data/r, 1, /data/s)",
     "weighted-checklist(1, 2, 3)", "$var", "preceding-sibling::q", "'unclosed", "lower-case('A')",
     "The age of the child"],
)
def test_bad_expressions_are_rejected_when_compiled(expression):
    with pytest.raises(XPathSyntaxError) as caught:
        compile_expression(expression)
    error = caught.value
    assert isinstance(error, FormError)
    assert expression in error.english()
    assert error.expression == expression


def test_unknown_function_names_the_function():
    with pytest.raises(XPathSyntaxError) as caught:
        compile_expression("concatx(/data/a, 'b')")
    assert caught.value.function == "concatx"
    assert caught.value.code == "xpath_unknown_function"
    assert "concatx()" in caught.value.english()


def test_compiled_expressions_are_shared():
    assert compile_expression("/data/a + 1") is compile_expression("/data/a + 1")
    assert compile_expression("/data/a + 1").text == "/data/a + 1"


def test_function_prefixes():
    compile_expression("jr:choice-name(/data/a, '/data/a')")
    with pytest.raises(XPathSyntaxError):
        compile_expression("odk:pulldata('x', 'a', 'b', 'c')")
