"""Requests generated from Stripe's OpenAPI subset, written apart from the sandbox's validator.

The sandbox's own ``validation.py`` decides what it accepts; these tests must not ask it. This
module reads ``console/sandbox/facts/spec/openapi-subset.json`` itself and derives, for every
operation, (a) well-typed parameter sets and (b) requests that are wrong in one known place, so
the test can say which ``param`` a Stripe-shaped error has to name.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

JSON = dict[str, Any]

SPEC = (
    Path(__file__).resolve().parents[2]
    / "console"
    / "sandbox"
    / "facts"
    / "spec"
    / "openapi-subset.json"
)

# A scalar no schema in the subset accepts unless it takes free text (or lists it in an enum).
NOT_A_VALUE = "zz_not_a_valid_value"


@dataclass(frozen=True)
class SpecOperation:
    method: str
    path: str
    operation_id: str
    # Request parameters (body for POST, query otherwise), as one object schema.
    params: JSON = field(hash=False, compare=False)

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(p[1:-1] for p in self.path.split("/") if p.startswith("{"))

    @property
    def properties(self) -> JSON:
        props: JSON = self.params.get("properties", {})
        return props

    @property
    def required(self) -> frozenset[str]:
        return frozenset(self.params.get("required", []))


@cache
def _document() -> JSON:
    loaded: JSON = json.loads(SPEC.read_text(encoding="utf-8"))
    return loaded


def resolve(schema: JSON) -> JSON:
    ref = schema.get("$ref")
    if not ref:
        return schema
    node: Any = _document()
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    resolved: JSON = node
    return resolved


@cache
def operations() -> tuple[SpecOperation, ...]:
    found: list[SpecOperation] = []
    for path, methods in _document()["paths"].items():
        for method, op in methods.items():
            if method not in ("get", "post", "delete"):
                continue
            if method == "post":
                content = op.get("requestBody", {}).get("content", {})
                form = content.get("application/x-www-form-urlencoded") or {}
                params = resolve(form.get("schema") or {"type": "object", "properties": {}})
            else:
                params = {
                    "type": "object",
                    "properties": {
                        p["name"]: resolve(p["schema"])
                        for p in op.get("parameters", [])
                        if p.get("in") == "query"
                    },
                    "required": [
                        p["name"]
                        for p in op.get("parameters", [])
                        if p.get("in") == "query" and p.get("required")
                    ],
                }
            found.append(SpecOperation(method.upper(), path, op["operationId"], params))
    return tuple(found)


# -- what a schema accepts ------------------------------------------------------------------


def kinds(schema: JSON) -> set[str]:
    """The shapes a value may take: object, array, integer, number, boolean, enum, string, empty."""
    schema = resolve(schema)
    if "anyOf" in schema:
        result: set[str] = set()
        for branch in schema["anyOf"]:
            result |= kinds(branch)
        return result
    if schema.get("enum") == [""]:
        return {"empty"}
    kind = schema.get("type")
    if kind == "object" or (kind is None and "properties" in schema):
        return {"object"}
    if kind in ("array", "integer", "number", "boolean"):
        return {kind}
    if "enum" in schema:
        return {"enum"}
    return {"string"}


def enum_values(schema: JSON) -> set[str]:
    schema = resolve(schema)
    values = {str(v) for v in schema.get("enum", [])}
    for branch in schema.get("anyOf", []):
        values |= enum_values(branch)
    return values


def max_length(schema: JSON) -> int | None:
    schema = resolve(schema)
    if schema.get("type") == "string" and "maxLength" in schema and "enum" not in schema:
        length: int = schema["maxLength"]
        return length
    for branch in schema.get("anyOf", []):
        found = max_length(branch)
        if found is not None:
            return found
    return None


def closed_object(schema: JSON) -> JSON | None:
    """The object branch when it lists its properties and admits no others (not a map)."""
    schema = resolve(schema)
    for branch in [schema, *[resolve(b) for b in schema.get("anyOf", [])]]:
        closed = branch.get("additionalProperties", False) is False
        if branch.get("type") == "object" and branch.get("properties") and closed:
            return branch
    return None


# -- invalid requests, each wrong in one named place ----------------------------------------


@dataclass(frozen=True)
class BadRequest:
    """Form pairs plus the parameter a correct refusal names (bracket form)."""

    how: str
    pairs: tuple[tuple[str, str], ...]
    param: str


def _unknown_name(taken: set[str]) -> st.SearchStrategy[str]:
    return st.from_regex(r"\Azz[a-z_]{1,24}\Z").filter(lambda n: n not in taken)


def _valued(how: str, name: str, samples: list[str]) -> st.SearchStrategy[BadRequest]:
    return st.sampled_from(samples).map(lambda v: BadRequest(how, ((name, v),), name))


def _unknown_under(parent: str, taken: set[str]) -> st.SearchStrategy[BadRequest]:
    return _unknown_name(taken).map(
        lambda n: BadRequest("unknown nested", ((f"{parent}[{n}]", "1"),), f"{parent}[{n}]")
    )


def bad_requests(op: SpecOperation) -> st.SearchStrategy[BadRequest]:
    """One wrong parameter per request: unknown, mistyped, empty, oversized, hash for scalar."""
    props = op.properties
    choices: list[st.SearchStrategy[BadRequest]] = [
        _unknown_name(set(props)).map(lambda n: BadRequest("unknown", ((n, "1"),), n))
    ]
    for name, schema in sorted(props.items()):
        k = kinds(schema)
        if "string" not in k and NOT_A_VALUE not in enum_values(schema):
            choices.append(st.just(BadRequest("wrong type", ((name, NOT_A_VALUE),), name)))
        if "empty" not in k:
            choices.append(st.just(BadRequest("empty", ((name, ""),), name)))
        if not k & {"object", "array"}:
            choices.append(st.just(BadRequest("hash for scalar", ((f"{name}[a]", "1"),), name)))
        limit = max_length(schema)
        if limit is not None:
            choices.append(st.just(BadRequest("oversized", ((name, "x" * (limit + 1)),), name)))
        nested = closed_object(schema)
        if nested is not None:
            choices.append(_unknown_under(name, set(nested["properties"])))
        if "integer" in k and not k & {"string", "number"}:
            # Unicode digits and a trailing newline pass Python's int() but not Stripe.
            samples = ["1.5", "1e3", "0x10", "9" * 30, "9" * 5000, " 7", "7\n", "\uff17"]
            choices.append(_valued("bad integer", name, samples))
        if "number" in k and "string" not in k:
            choices.append(_valued("bad number", name, ["1e999", "nan", "inf", "1,5", "\u0663"]))
        if k == {"boolean"}:
            choices.append(_valued("bad boolean", name, ["yes", "1", "TRUE", "on"]))
    return st.one_of(choices)


# -- garbage: any bytes a client might send -------------------------------------------------

_KEY_ALPHABET = string.ascii_letters + string.digits + "_[]%&=.- \u00e9\u4e2d\x00"


def _join_pairs(pairs: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{k}={v}" for k, v in pairs).encode("utf-8", "surrogatepass")


garbage_bodies: st.SearchStrategy[bytes] = st.one_of(
    st.binary(max_size=300),
    st.lists(st.tuples(st.text(_KEY_ALPHABET, max_size=30), st.text(max_size=40)), max_size=8).map(
        _join_pairs
    ),
    st.sampled_from(
        [
            b"a[[]]=1",
            b"a[=1",
            b"a]=1",
            b"[]=1",
            b"expand[][]=x",
            b"metadata[a]=1&metadata=2",
            b"metadata=2&metadata[a]=1",
            b"expand[]=a&expand[0]=b",
            b"a" + b"[x]" * 40 + b"=1",
            b"%ff%fe=1",
            b"limit=" + b"9" * 5000,
        ]
    ),
)


# -- well-typed values, for handlers to choke on if they would --------------------------------


def _scalar_text() -> st.SearchStrategy[str]:
    return st.text(
        st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
        min_size=1,
        max_size=30,
    )


def values(schema: JSON, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values the schema's types allow (not necessarily ones Stripe's rules accept)."""
    schema = resolve(schema)
    if "anyOf" in schema:
        return st.one_of([values(b, depth) for b in schema["anyOf"]])
    if schema.get("enum") == [""]:
        return st.just("")
    kind = schema.get("type")
    if kind == "object" or (kind is None and "properties" in schema):
        if depth > 3:
            return st.just({})
        props = schema.get("properties") or {}
        if not props:
            return st.dictionaries(
                st.from_regex(r"\A[a-z]{1,8}\Z"), st.from_regex(r"\A[a-z0-9]{1,8}\Z"), max_size=3
            )
        return st.fixed_dictionaries(
            {}, optional={k: values(v, depth + 1) for k, v in props.items()}
        )
    if kind == "array":
        return st.lists(values(schema.get("items", {}), depth + 1), min_size=1, max_size=2)
    if kind == "integer":
        return st.one_of(st.integers(-5, 5), st.integers(-(2**40), 2**40))
    if kind == "number":
        return st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 4))
    if kind == "boolean":
        return st.booleans()
    if "enum" in schema:
        return st.sampled_from([str(v) for v in schema["enum"]])
    return _scalar_text()


def well_typed_params(op: SpecOperation) -> st.SearchStrategy[JSON]:
    props = {k: v for k, v in op.properties.items() if k != "expand"}
    return st.fixed_dictionaries({}, optional={k: values(v) for k, v in props.items()})


def form_pairs(params: JSON) -> list[tuple[str, str]]:
    """Stripe's wire form: nested keys in brackets, lists indexed, booleans as true/false."""
    pairs: list[tuple[str, str]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}[{key}]" if prefix else key, item)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(f"{prefix}[{index}]", item)
        elif isinstance(value, bool):
            pairs.append((prefix, "true" if value else "false"))
        else:
            pairs.append((prefix, str(value)))

    walk("", params)
    return pairs
