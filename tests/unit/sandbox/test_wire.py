"""Form decoding with Stripe's nested keys."""

from __future__ import annotations

import pytest

from console.sandbox.facts.errors import StripeError
from console.sandbox.http.wire import bracket, parse_form, split_key


def test_nested_and_indexed_keys_build_a_tree() -> None:
    parsed = parse_form(b"items[0][price]=p1&items[1][price]=p2&items[1][quantity]=3&metadata[k]=")
    assert parsed == {
        "items": {"0": {"price": "p1"}, "1": {"price": "p2", "quantity": "3"}},
        "metadata": {"k": ""},
    }


def test_unindexed_arrays_append_in_order() -> None:
    assert parse_form("expand[]=a&expand[]=b.c") == {"expand": ["a", "b.c"]}


def test_percent_encoded_brackets_decode() -> None:
    assert parse_form("address%5Bcity%5D=Z%C3%BCrich") == {"address": {"city": "Zürich"}}


@pytest.mark.parametrize("body", ["a=1&a[b]=2", "a[b]=2&a=1", "a[]=1&a[x]=2", "a[b=1", "[x]=1"])
def test_conflicting_or_malformed_keys_are_refused(body: str) -> None:
    with pytest.raises(StripeError) as raised:
        parse_form(body)
    assert raised.value.status == 400
    assert raised.value.param


def test_bracket_and_split_are_inverse() -> None:
    key = "features[subscription_update][products][0][prices]"
    assert bracket(split_key(key)) == key
