"""The published OpenAPI schema documents the request body each endpoint really takes.

A documented body is only worth something if it is the one the view validates: when two nested
``Input`` serializers shared one component name, ``/api/docs/`` showed the conflict-of-interest
body for planning targets, moves, re-plans and programmes. This test reads each write handler's
source to find the serializer it validates ``request.data`` with, and compares that serializer's
writable fields and required flags with the component the schema documents.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Any

import pytest
from django.core.management import call_command
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from rest_framework import serializers

WRITE_METHODS = ("POST", "PUT", "PATCH")


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _write_endpoints() -> list[tuple[str, str, type]]:
    endpoints = []
    for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints():
        if method in WRITE_METHODS:
            endpoints.append((path, method, callback.cls))
    return endpoints


def _serializers_validating_request_data(
    view: type, function: Any, depth: int = 0
) -> list[type[serializers.BaseSerializer]]:
    """The serializer classes a handler instantiates with ``data=...`` (``self.Input(data=...)``,
    a module-level ``OperationInput(data=...)``), or, when it validates none itself, those of the
    module's helpers it hands the body to (the officers' API validates in ``_ingest``)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    found, helpers = [], []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        candidate = None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
            candidate = getattr(view, func.attr, None)
        elif isinstance(func, ast.Name):
            candidate = function.__globals__.get(func.id)
        if isinstance(candidate, type) and issubclass(candidate, serializers.BaseSerializer):
            if any(k.arg == "data" for k in node.keywords):
                found.append(candidate)
        elif inspect.isfunction(candidate) and candidate.__module__ == function.__module__:
            helpers.append(candidate)
    if not found and depth < 2:
        for helper in helpers:
            found += _serializers_validating_request_data(view, helper, depth + 1)
    return found


def _reads_request_data(view: type, method: str) -> bool:
    source = inspect.getsource(getattr(view, method.lower()))
    return "request.data" in source


def _component(schema: dict[str, Any], ref_or_schema: dict[str, Any]) -> dict[str, Any]:
    ref = ref_or_schema.get("$ref")
    if ref is None:
        return ref_or_schema
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def _differences(
    schema: dict[str, Any], documented: dict[str, Any], serializer: serializers.Serializer, where: str
) -> list[str]:
    """What differs between a documented object schema and a serializer: field names, required
    flags, and the same for nested serializers, recursively."""
    component = _component(schema, documented)
    properties = {
        name: prop for name, prop in component.get("properties", {}).items() if not prop.get("readOnly")
    }
    required = set(component.get("required", ())) & set(properties)
    fields = {name: field for name, field in serializer.fields.items() if not field.read_only}
    problems = []
    if set(properties) != set(fields):
        problems.append(
            f"{where}: documented fields {sorted(properties)} but the view takes {sorted(fields)}"
        )
        return problems
    really_required = {name for name, field in fields.items() if field.required}
    if required != really_required:
        problems.append(
            f"{where}: documented required {sorted(required)} but really {sorted(really_required)}"
        )
    for name, field in fields.items():
        nested = field.child if isinstance(field, serializers.ListSerializer) else field
        if isinstance(nested, serializers.Serializer):
            prop = properties[name]
            prop = prop.get("items", prop) if isinstance(field, serializers.ListSerializer) else prop
            prop = next((p for p in prop.get("allOf", ()) if "$ref" in p), prop)
            problems += _differences(schema, prop, nested, f"{where}.{name}")
    return problems


@pytest.mark.parametrize(
    ("path", "method", "view"), _write_endpoints(), ids=lambda v: getattr(v, "__name__", v)
)
def test_documented_request_body_is_the_one_the_view_validates(schema, path, method, view):
    operation = schema["paths"][path][method.lower()]
    used = _serializers_validating_request_data(view, getattr(view, method.lower()))
    body = operation.get("requestBody")
    json_body = (body or {}).get("content", {}).get("application/json")
    if not used:
        # A handler that validates no serializer must take no JSON body (an upload is binary).
        assert json_body is None, f"{method} {path} documents a JSON body but validates none"
        assert body is None or not _reads_request_data(view, method), (
            f"{method} {path} reads request.data without a serializer"
        )
        return
    assert len(used) == 1, f"{method} {path} validates several serializers: {used}"
    assert json_body is not None, f"{method} {path} validates {used[0].__name__} but documents no JSON body"
    problems = _differences(schema, json_body["schema"], used[0](), f"{method} {path}")
    assert not problems, "\n".join(problems)


def test_no_component_is_a_bare_input_or_output(schema):
    """Nested serializers are named after their API (``OperationTargetsInput``); a bare ``Input``
    means two APIs' bodies share, and overwrite, one component."""
    names = set(schema["components"]["schemas"])
    assert not names & {"Input", "Output"}


def test_schema_generation_emits_no_warning_or_error(tmp_path):
    # --fail-on-warn raises on any warning or error ("unable to guess serializer", clashing
    # component names); --validate checks the result against the OpenAPI specification.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
