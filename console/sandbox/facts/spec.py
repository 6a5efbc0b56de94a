"""Stripe's OpenAPI subset: which operations exist and what their parameters look like.

The file is Stripe's schema for the API version the pinned ``stripe`` library
sends (see ``spec/LICENSE``). The sandbox validates every request against it,
the way Stripe's own mock server does, and adds state and rules on top.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from console.sandbox.facts.removed_params import with_removed_params
from console.sandbox.facts.string_limits import with_string_limits

JSON = dict[str, Any]

SPEC_FILE = "openapi-subset.json"


@dataclass(frozen=True, slots=True)
class Operation:
    """One HTTP method on one path, as the spec (or the sandbox's own extras) defines it."""

    operation_id: str
    method: str
    path: str
    segments: tuple[str, ...]
    params_schema: JSON
    response_schema: JSON = field(default_factory=dict)

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(s[1:-1] for s in self.segments if s.startswith("{"))

    def match(self, parts: list[str]) -> dict[str, str] | None:
        if len(parts) != len(self.segments):
            return None
        captured: dict[str, str] = {}
        for want, got in zip(self.segments, parts, strict=True):
            if want.startswith("{"):
                if not got:
                    return None
                captured[want[1:-1]] = got
            elif want != got:
                return None
        return captured

    @property
    def literal_count(self) -> int:
        return sum(1 for s in self.segments if not s.startswith("{"))


@cache
def load_document() -> JSON:
    text = resources.files("console.sandbox.facts").joinpath("spec", SPEC_FILE).read_text("utf-8")
    document: JSON = json.loads(text)
    return document


def resolve(schema: JSON, document: JSON | None = None) -> JSON:
    """Follow a ``$ref`` (one level) to the schema it names."""
    ref = schema.get("$ref")
    if ref is None:
        return schema
    doc = document or load_document()
    node: Any = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    resolved: JSON = node
    return resolved


def _query_schema(parameters: list[JSON]) -> JSON:
    properties: JSON = {}
    required: list[str] = []
    for parameter in parameters:
        if parameter.get("in") != "query":
            continue
        properties[parameter["name"]] = parameter.get("schema", {})
        if parameter.get("required"):
            required.append(parameter["name"])
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "required": required,
    }


def _body_schema(operation: JSON) -> JSON:
    content = operation.get("requestBody", {}).get("content", {})
    for media in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if media in content:
            schema: JSON = resolve(content[media].get("schema", {}))
            return schema
    return {"type": "object", "additionalProperties": False, "properties": {}}


def _split(path: str) -> tuple[str, ...]:
    return tuple(path.strip("/").split("/"))


@cache
def spec_operations() -> tuple[Operation, ...]:
    document = load_document()
    found: list[Operation] = []
    for path, item in document["paths"].items():
        for method in ("get", "post", "delete"):
            raw = item.get(method)
            if raw is None:
                continue
            if method == "post":
                params = _body_schema(raw)
            else:
                params = _query_schema(raw.get("parameters", []))
            response = raw.get("responses", {}).get("200", {})
            response_schema = (
                response.get("content", {}).get("application/json", {}).get("schema", {})
            )
            found.append(
                Operation(
                    operation_id=raw["operationId"],
                    method=method.upper(),
                    path=path,
                    segments=_split(path),
                    params_schema=with_removed_params(
                        raw["operationId"],
                        with_string_limits(raw["operationId"], params, resolve),
                    ),
                    response_schema=response_schema,
                )
            )
    return tuple(found)


def extra_operation(operation_id: str, method: str, path: str, params: JSON) -> Operation:
    """An operation the sandbox serves beyond the subset (its clock, feedback options)."""
    return Operation(
        operation_id=operation_id,
        method=method,
        path=path,
        segments=_split(path),
        params_schema={
            "type": "object",
            "additionalProperties": False,
            "properties": {"expand": {"type": "array", "items": {"type": "string"}}, **params},
        },
    )


ID_PATTERN = re.compile(r"^[A-Za-z0-9_.:\-]+$")
