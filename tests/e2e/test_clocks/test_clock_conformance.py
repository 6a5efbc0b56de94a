"""The test-clock operations answer with bodies that fit Stripe's schemas exactly.

``/v1/test_helpers/test_clocks`` is not among the subset's paths (the sandbox serves it as an
extra), but the subset has the object's schema, ``test_helpers.test_clock``; the list and the
deleted stub are written here from the ``stripe`` library's types
(``stripe/test_helpers/_test_clock.py``: ``deleted: Optional[Literal[True]]``, and the list
shape every ``ListObject`` has). Each answer is checked as strictly as the conformance test
checks the subset's operations (``tests/e2e/test_conformance.py``: nullable as null, no field
the schema does not declare).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from jsonschema import Draft4Validator
from referencing import Registry

from console.sandbox import Sandbox
from tests.e2e.test_conformance import SPEC_URI, strict_registry

CLOCK: dict[str, Any] = {"$ref": f"{SPEC_URI}#/components/schemas/test_helpers.test_clock"}
CLOCK_LIST: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["object", "data", "has_more", "url"],
    "properties": {
        "object": {"enum": ["list"]},
        "data": {"type": "array", "items": CLOCK},
        "has_more": {"type": "boolean"},
        "url": {"enum": ["/v1/test_helpers/test_clocks"]},
    },
}
DELETED_CLOCK: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "object", "deleted"],
    "properties": {
        "id": {"type": "string"},
        "object": {"enum": ["test_helpers.test_clock"]},
        "deleted": {"enum": [True]},
    },
}
T0 = 1_767_225_600


@pytest.fixture(scope="module")
def registry() -> Registry[Any]:
    return strict_registry()


def _problems(body: Any, schema: dict[str, Any], registry: Registry[Any]) -> list[str]:
    validator = Draft4Validator(schema, registry=registry)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(top)'}: {error.message[:200]}"
        for error in validator.iter_errors(body)
    ]


def test_every_test_clock_operation_fits_stripes_schema(registry: Registry[Any]) -> None:
    problems: list[str] = []
    with (
        Sandbox(":memory:") as sandbox,
        httpx.Client(
            base_url=sandbox.url, headers={"Authorization": f"Bearer {sandbox.api_key}"}, timeout=30
        ) as http,
    ):

        def check(method: str, path: str, schema: dict[str, Any], **params: Any) -> Any:
            if method == "POST":
                response = http.post(path, data=params)
            else:
                response = http.request(method, path, params=params)
            assert response.status_code == 200, f"{method} {path}: {response.text}"
            body = response.json()
            problems.extend(f"{method} {path}: {p}" for p in _problems(body, schema, registry))
            return body

        made = check("POST", "/v1/test_helpers/test_clocks", CLOCK, frozen_time=T0, name="Run")
        clock_path = f"/v1/test_helpers/test_clocks/{made['id']}"
        http.post("/v1/customers", data={"test_clock": made["id"]}).raise_for_status()
        check("GET", clock_path, CLOCK)
        check("GET", "/v1/test_helpers/test_clocks", CLOCK_LIST, limit=3)
        advancing = check("POST", f"{clock_path}/advance", CLOCK, frozen_time=T0 + 86_400)
        assert advancing["status_details"] == {"advancing": {"target_frozen_time": T0 + 86_400}}
        check("DELETE", clock_path, DELETED_CLOCK)
    assert not problems, "\n".join(problems)
