"""Every operation the sandbox serves answers with a body that fits Stripe's response schema.

One scenario walks through the API with representative requests (raw HTTP, so
that nothing in a client library smooths over a wrong shape), then the reads the
console makes for a connected account go again with ``Stripe-Account``. Each answer is
validated against its operation's 200 schema in the spec subset, made strict:
``nullable`` becomes JSON Schema's null, and objects may not carry fields the
schema does not declare. The test fails for any served operation the scenario
does not reach, and prints which operations of the subset are not served yet.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from console.sandbox import Sandbox
from console.sandbox.facts.spec import load_document
from console.sandbox.state.registry import EXTRA_OPERATIONS, HANDLERS
from tests.e2e.conformance_scenario import AS_CONNECTED_ACCOUNT, SCENARIO, Step

SPEC_URI = "urn:stripe-spec"


def _strict(node: Any) -> Any:
    """OpenAPI 3.0 ``nullable`` as JSON Schema null; declared properties only."""
    if isinstance(node, list):
        return [_strict(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _strict(v) for k, v in node.items() if k != "nullable"}
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        elif "anyOf" in out:
            out["anyOf"] = [*out["anyOf"], {"type": "null"}]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def _operations() -> list[tuple[str, str, re.Pattern[str], str]]:
    """(operation id, method, path pattern, JSON pointer to its 200 response schema)."""
    found = []
    for path, item in load_document()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
        for method in ("get", "post", "delete"):
            if method in item:
                schema = _pointer(
                    "paths",
                    path,
                    method,
                    "responses",
                    "200",
                    "content",
                    "application/json",
                    "schema",
                )
                found.append((item[method]["operationId"], method.upper(), pattern, schema))
    return found


def _fill(template: str, saved: dict[str, Any]) -> str | None:
    def value(match: re.Match[str]) -> str:
        name, *path = match.group(1).split(".")
        node: Any = saved[name]
        for part in path:
            node = node[int(part)] if isinstance(node, list) else node[part]
        return str(node)

    try:
        return re.sub(r"\{([^}]+)\}", value, template)
    except (KeyError, IndexError, TypeError):
        return None


def _is_extra(method: str, path: str) -> bool:
    """Whether the sandbox serves this request as one of its own extra operations."""
    for extra in EXTRA_OPERATIONS:
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", extra.path) + "$"
        if extra.method.upper() == method and re.match(pattern, path):
            return True
    return False


def strict_registry() -> Registry[Any]:
    """The spec subset, made strict, as a registry to resolve ``{SPEC_URI}#/...`` references in
    (the test-clock extras' conformance test uses it too)."""
    document = _strict(load_document())
    registry: Registry[Any] = Registry().with_resource(
        SPEC_URI, Resource.from_contents(document, default_specification=DRAFT4)
    )
    return registry


@pytest.fixture(scope="module")
def registry() -> Registry[Any]:
    return strict_registry()


def test_every_served_operation_fits_its_response_schema(registry: Registry[Any]) -> None:
    operations = _operations()
    saved: dict[str, Any] = {}
    problems: list[str] = []
    exercised: set[str] = set()
    unserved: set[str] = set()
    with (
        Sandbox(":memory:") as sandbox,
        httpx.Client(
            base_url=sandbox.url, headers={"Authorization": f"Bearer {sandbox.api_key}"}, timeout=30
        ) as http,
    ):
        steps: list[tuple[Step, str | None]] = [(step, None) for step in SCENARIO]
        steps += [(step, "{connected.id}") for step in AS_CONNECTED_ACCOUNT]
        for (name, method, template, params), acting_for in steps:
            path = _fill(template, saved)
            account = _fill(acting_for, saved) if acting_for else None
            headers: dict[str, str] = {"Stripe-Account": account} if account else {}
            uploads = {k: ("upload.png", v) for k, v in params.items() if isinstance(v, bytes)}
            filled = {
                k: _fill(str(v), saved) for k, v in params.items() if not isinstance(v, bytes)
            }
            if path is None or None in filled.values():
                problems.append(f"{method} {template}: skipped, an earlier step failed")
                continue
            op = next((o for o in operations if o[1] == method and o[2].match(path)), None)
            if op is None:
                # A sandbox helper outside the subset (Stripe's test helpers) that a later
                # operation needs, such as funding a cash balance: it must answer, but the
                # subset has no schema to hold it to.
                assert _is_extra(method, path), f"{method} {template} is in neither the subset"
                helped = http.post(path, data=filled, headers=headers)
                assert helped.status_code == 200, f"{template}: {helped.text[:300]}"
                if name is not None:
                    saved[name] = helped.json()
                continue
            op_id, _m, _p, schema_pointer = op
            if method == "POST":
                response = http.post(path, data=filled, files=uploads or None, headers=headers)
            else:
                response = http.request(method, path, params=filled, headers=headers)
            body = response.json()
            if response.status_code == 404 and "Unrecognized request URL" in str(body):
                unserved.add(op_id)
                continue
            if response.status_code != 200:
                problems.append(f"{op_id} {path}: HTTP {response.status_code} {body['error']}")
                continue
            exercised.add(op_id)
            validator = Draft4Validator(
                {"$ref": f"{SPEC_URI}#/{schema_pointer}"}, registry=registry
            )
            for error in validator.iter_errors(body):
                where = "/".join(str(p) for p in error.absolute_path)
                problems.append(f"{op_id}: {where or '(top)'}: {error.message[:200]}")
            if name is not None:
                saved[name] = body
    all_ops = {o[0] for o in operations}
    served = set(HANDLERS) & all_ops
    for op_id in sorted(served - exercised):
        problems.append(f"{op_id}: served, but the scenario does not exercise it")
    print(
        f"\nexercised {len(exercised)} of the subset's {len(all_ops)} operations; "
        f"not served ({len(all_ops - served)}): {', '.join(sorted(all_ops - served))}"
    )
    assert not problems, "\n".join(problems)
