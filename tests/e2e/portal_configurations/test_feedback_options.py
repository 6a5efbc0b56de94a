"""Cancellation feedback options through the official stripe library, against the sandbox."""

from __future__ import annotations

import pytest
import stripe


def test_feedback_options_lifecycle(fresh_client: stripe.StripeClient) -> None:
    options = fresh_client.v1.billing.feedback_options
    first = options.create(params={"description": "Switching to a competitor"})
    second = options.create(params={"description": "Only needed it once"})
    assert first.status == "active"
    assert first.status_transitions.deactivated_at is None
    assert options.retrieve(first.id).description == "Switching to a competitor"
    renamed = options.update(first.id, params={"description": "Found a cheaper tool"})
    assert renamed.description == "Found a cheaper tool"
    gone = options.deactivate(second.id)
    assert gone.status == "inactive"
    assert isinstance(gone.status_transitions.deactivated_at, int)
    assert [o.id for o in options.list().data] == [second.id, first.id]
    assert [o.id for o in options.list(params={"status": "active"}).data] == [first.id]
    assert [o.id for o in options.list(params={"status": "inactive"}).data] == [second.id]

    with pytest.raises(stripe.InvalidRequestError) as too_long:
        options.create(params={"description": "x" * 101})
    assert too_long.value.param == "description"
    with pytest.raises(stripe.InvalidRequestError) as missing:
        options.create(params={})  # type: ignore[typeddict-item]
    assert missing.value.code == "parameter_missing"
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        options.retrieve("bfo_missing")
    assert unknown.value.http_status == 404
    assert len(options.list().data) == 2
