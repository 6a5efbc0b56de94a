"""Stripe facts the console uses in several places are kept once (resources/stripe/) and agree
with Stripe's own API description (the OpenAPI subset the sandbox serves)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

from console.configurations.model import CancellationReasonOption
from resources import load_json
from ui.cancellation_reasons import REASONS, STRIPE_REASONS, reason_label

SPEC = (
    Path(__file__).resolve().parents[2]
    / "console"
    / "sandbox"
    / "facts"
    / "spec"
    / "openapi-subset.json"
)


def _enum_at(schema: Any, *path: str) -> list[str]:
    for key in path:
        schema = schema[key]
    found: list[str] = schema["enum"]
    return found


def test_stripes_cancellation_reasons_are_listed_once_and_match_the_api() -> None:
    reasons = load_json("stripe", "cancellation-reasons.json")["cancellation_reasons"]
    assert len(reasons) == len(set(reasons))
    # The core's type of a configuration's options is the same set.
    assert set(get_args(CancellationReasonOption)) == set(reasons)
    spec = json.loads(SPEC.read_text("utf-8"))
    details = spec["components"]["schemas"]["subscription"]["properties"]["cancellation_details"]
    feedback = _enum_at(details, "properties", "feedback")
    assert set(reasons) == {value for value in feedback if value}


def test_the_window_names_every_reason_once() -> None:
    assert (
        tuple(load_json("stripe", "cancellation-reasons.json")["cancellation_reasons"])
        == STRIPE_REASONS
    )
    labels = [reason_label(reason) for reason in REASONS]
    assert len(set(labels)) == len(labels)
    assert all(label != reason for label, reason in zip(labels, REASONS, strict=True))
