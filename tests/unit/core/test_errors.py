from __future__ import annotations

from console.errors import (
    ConsoleError,
    LiveModeRefused,
    NetworkError,
    StripeApiError,
    ValidationError,
    ValidationProblem,
)

KEY = "sk_test_51AbCdEfGhIjKlMnOpQrStUvWxYz0123a1b2"


def test_stripe_api_error_keeps_stripes_fields_and_never_the_key() -> None:
    error = StripeApiError(
        f"Invalid API Key provided: {KEY}",
        type="invalid_request_error",
        code="api_key_invalid",
        param=None,
        request_id="req_123",
        http_status=401,
    )
    assert KEY not in str(error)
    assert KEY not in repr(error)
    assert "sk_test_…a1b2" in str(error)
    assert (error.type, error.code, error.request_id, error.http_status) == (
        "invalid_request_error",
        "api_key_invalid",
        "req_123",
        401,
    )
    assert "req_123" in str(error)


def test_network_error_says_what_to_do() -> None:
    error = NetworkError("connection refused")
    assert isinstance(error, ConsoleError)
    assert "try again" in str(error)
    assert error.type == "network_error"


def test_live_mode_refused_has_its_code() -> None:
    assert LiveModeRefused("Quick view is for test mode").code == "livemode_refused"


def test_validation_error_reports_every_problem() -> None:
    problems = (
        ValidationProblem("features[subscription_update][products]", "too_many", "At most 10"),
        ValidationProblem("business_profile[privacy_policy_url]", "url_invalid", "Not a URL"),
    )
    error = ValidationError(problems)
    assert error.problems == problems
    assert error.param == "features[subscription_update][products]"
    assert "At most 10" in str(error) and "Not a URL" in str(error)
