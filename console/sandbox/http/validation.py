"""Request parameters checked and typed against the operation's schema, as Stripe does.

Form values arrive as strings; the schema says what each should be. The first
problem found becomes a Stripe-shaped error naming the parameter in bracket
form (``features[subscription_update][products][0][prices]``). An empty string
is kept as ``""``: it means "unset", and only where the schema allows it.
"""

from __future__ import annotations

import math
import re
from typing import Any

from console.sandbox.facts.errors import StripeError, invalid, missing_param, unknown_param
from console.sandbox.facts.removed_params import REMOVED_KEY
from console.sandbox.facts.spec import JSON, resolve
from console.sandbox.http.wire import bracket

# ASCII digits only, and \Z not $: "\d" takes any script's digits (fullwidth "7") and "$" a trailing
# newline, both of which int() would then accept where Stripe refuses them.
_INTEGER = re.compile(r"\A-?[0-9]{1,19}\Z")
_NUMBER = re.compile(r"\A-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        if value and all(k.isdigit() for k in value):
            return "array-or-object"
        return "object"
    if isinstance(value, list):
        return "array"
    return "scalar"


def _is_empty_branch(schema: JSON) -> bool:
    return schema.get("enum") == [""]


def _branch_fits(schema: JSON, value: Any) -> bool:
    kind = _kind(value)
    wanted = schema.get("type")
    if wanted == "object":
        return kind in ("object", "array-or-object")
    if wanted == "array":
        return kind in ("array", "array-or-object")
    return kind == "scalar"


def _empty(path: list[str]) -> StripeError:
    name = bracket(path)
    return StripeError(
        f"You passed an empty string for '{name}'. We assume empty values are an attempt to "
        f"unset a parameter; however '{name}' cannot be unset. You should remove '{name}' "
        "from your request or supply a non-empty value.",
        param=name,
        code="parameter_invalid_empty",
    )


def validate(value: Any, schema: JSON, path: list[str]) -> Any:
    schema = resolve(schema)
    branches = schema.get("anyOf")
    if branches is not None:
        return _validate_any_of(value, [resolve(b) for b in branches], path)
    if "enum" in schema and schema.get("type", "string") == "string" and schema["enum"] == [""]:
        if value == "":
            return ""
        raise invalid(f"Invalid {bracket(path)}: must be an empty string", param=bracket(path))
    kind = schema.get("type")
    if kind == "object" or (kind is None and "properties" in schema):
        return _validate_object(value, schema, path)
    if kind == "array":
        return _validate_array(value, schema, path)
    return _validate_scalar(value, schema, path)


def _validate_any_of(value: Any, branches: list[JSON], path: list[str]) -> Any:
    if value == "":
        if any(_is_empty_branch(b) for b in branches):
            return ""
        raise _empty(path)
    candidates = [b for b in branches if not _is_empty_branch(b)]
    fitting = [b for b in candidates if _branch_fits(b, value)] or candidates
    first_error: StripeError | None = None
    for branch in fitting:
        try:
            return validate(value, branch, path)
        except StripeError as error:
            if first_error is None:
                first_error = error
    if first_error is None:
        raise invalid(f"Invalid value for {bracket(path)}.", param=bracket(path))
    raise first_error


def _validate_object(value: Any, schema: JSON, path: list[str]) -> JSON:
    if value == "":
        raise _empty(path)
    if not isinstance(value, dict):
        raise invalid(
            f"Invalid object: {bracket(path)} must be a hash (e.g. {bracket([*path, 'key'])}=...)",
            param=bracket(path),
        )
    properties: JSON = schema.get("properties", {})
    extra = schema.get("additionalProperties", not properties)
    result: JSON = {}
    for key, item in value.items():
        child = [*path, key]
        if key in properties:
            result[key] = validate(item, properties[key], child)
        elif isinstance(extra, dict):
            # In a map (metadata) an empty value deletes that key, so "" is always allowed.
            result[key] = "" if item == "" else validate(item, extra, child)
        elif extra is True and not properties:
            result[key] = item
        elif key in schema.get(REMOVED_KEY, {}):
            removed = schema[REMOVED_KEY][key]
            raise invalid(removed["message"], param=bracket(child), code=removed["code"])
        else:
            raise unknown_param(bracket(child))
    for key in schema.get("required", []):
        if key not in value:
            raise missing_param(bracket([*path, key]))
    return result


def _validate_array(value: Any, schema: JSON, path: list[str]) -> list[Any]:
    if value == "":
        raise _empty(path)
    if isinstance(value, dict):
        if not all(k.isdigit() for k in value):
            raise invalid(
                f"Invalid array: {bracket(path)} must be a list (e.g. {bracket([*path, '0'])}=...)",
                param=bracket(path),
            )
        ordered = [value[k] for k in sorted(value, key=int)]
    elif isinstance(value, list):
        ordered = value
    else:
        raise invalid(
            f"Invalid array: {bracket(path)} must be a list (e.g. {bracket([*path, '0'])}=...)",
            param=bracket(path),
        )
    items_schema = schema.get("items", {})
    max_items = schema.get("maxItems")
    if max_items is not None and len(ordered) > max_items:
        raise invalid(
            f"Invalid array: {bracket(path)} can have at most {max_items} items.",
            param=bracket(path),
        )
    return [validate(item, items_schema, [*path, str(i)]) for i, item in enumerate(ordered)]


def _validate_scalar(value: Any, schema: JSON, path: list[str]) -> Any:
    name = bracket(path)
    if isinstance(value, dict | list):
        raise invalid(f"Invalid {name}: expected a single value, not a hash or list", param=name)
    if not isinstance(value, str):
        return value
    kind = schema.get("type", "string")
    if value == "" and kind != "string":
        raise _empty(path)
    if kind == "integer":
        if not _INTEGER.match(value):
            raise invalid(f"Invalid integer: {value}", param=name, code="parameter_invalid_integer")
        number = int(value)
        if abs(number) > 2**63 - 1:
            raise invalid(f"Invalid integer: {value}", param=name, code="parameter_invalid_integer")
        return number
    if kind == "number":
        if not _NUMBER.match(value) or not math.isfinite(float(value)):
            raise invalid(f"Invalid decimal: {value}", param=name)
        return float(value)
    if kind == "boolean":
        if value not in ("true", "false"):
            raise invalid(f"Invalid boolean: {value}", param=name)
        return value == "true"
    if value == "":
        raise _empty(path)
    if schema.get("format") == "decimal" and not _NUMBER.match(value):
        raise invalid(f"Invalid decimal: {value}", param=name)
    enum = schema.get("enum")
    if enum is not None and value not in enum:
        raise invalid(f"Invalid {name}: must be one of {_one_of(enum)}", param=name)
    max_length = schema.get("maxLength")
    if max_length is not None and len(value) > max_length:
        raise _too_long(value, max_length, name)
    return value


def _too_long(value: str, max_length: int, name: str) -> StripeError:
    """Stripe's words for a string past its cap, e.g. ``Invalid string: Lottery Re...iting line;
    must be at most 40 characters`` (the value's first and last ten characters).

    Stripe sends no ``code`` with it: its published list of error codes has none for a string
    that is too long (no ``parameter_invalid_string_too_long``), so none is invented here.
    """
    shown = value if len(value) <= 20 else f"{value[:10]}...{value[-10:]}"
    return invalid(f"Invalid string: {shown}; must be at most {max_length} characters", param=name)


def _one_of(values: list[Any]) -> str:
    shown = [str(v) for v in values]
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + f", or {shown[-1]}"


def validate_params(params: JSON, schema: JSON) -> JSON:
    result = validate(params, schema, [])
    assert isinstance(result, dict)
    return result
