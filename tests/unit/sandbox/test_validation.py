"""Parameters checked against schemas: every failure names its parameter in bracket form."""

from __future__ import annotations

from typing import Any

import pytest

from console.sandbox.facts.errors import StripeError
from console.sandbox.http.validation import validate_params

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["features"],
    "properties": {
        "features": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "enabled": {"type": "boolean"},
                "mode": {"type": "string", "enum": ["at_period_end", "immediately"]},
                "products": {
                    "anyOf": [
                        {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["product", "prices"],
                                "properties": {
                                    "product": {"type": "string", "maxLength": 10},
                                    "prices": {"type": "array", "items": {"type": "string"}},
                                },
                            },
                        },
                        {"type": "string", "enum": [""]},
                    ]
                },
            },
        },
        "limit": {"type": "integer"},
        "metadata": {
            "anyOf": [
                {"type": "object", "additionalProperties": {"type": "string"}},
                {"type": "string", "enum": [""]},
            ]
        },
    },
}


def _error(params: dict[str, Any]) -> StripeError:
    with pytest.raises(StripeError) as raised:
        validate_params(params, SCHEMA)
    return raised.value


def test_values_are_typed_from_strings() -> None:
    checked = validate_params(
        {
            "features": {
                "enabled": "true",
                "products": {"0": {"product": "prod_1", "prices": {"0": "a", "1": "b"}}},
            },
            "limit": "5",
        },
        SCHEMA,
    )
    assert checked == {
        "features": {"enabled": True, "products": [{"product": "prod_1", "prices": ["a", "b"]}]},
        "limit": 5,
    }


def test_empty_string_unsets_only_where_allowed() -> None:
    assert validate_params({"features": {"products": ""}, "metadata": ""}, SCHEMA)["metadata"] == ""
    error = _error({"features": {"mode": ""}})
    assert (error.code, error.param) == ("parameter_invalid_empty", "features[mode]")


@pytest.mark.parametrize(
    ("params", "code", "param"),
    [
        ({}, "parameter_missing", "features"),
        (
            {"features": {"products": {"0": {"product": "p"}}}},
            "parameter_missing",
            "features[products][0][prices]",
        ),
        ({"features": {"colour": "red"}}, "parameter_unknown", "features[colour]"),
        ({"features": {}, "limit": "x"}, "parameter_invalid_integer", "limit"),
        ({"features": {"enabled": "yes"}}, None, "features[enabled]"),
        ({"features": {"mode": "later"}}, None, "features[mode]"),
        (
            {"features": {"products": {"0": {"product": "p" * 11, "prices": ["x"]}}}},
            None,
            "features[products][0][product]",
        ),
        ({"features": {"products": {"x": {}}}}, None, "features[products]"),
        ({"features": "on"}, None, "features"),
    ],
)
def test_each_problem_names_its_parameter(
    params: dict[str, Any], code: str | None, param: str
) -> None:
    error = _error(params)
    assert error.status == 400
    assert error.code == code
    assert error.param == param


def test_enum_error_lists_the_allowed_values() -> None:
    error = _error({"features": {"mode": "later"}})
    assert "at_period_end, or immediately" in error.message
