"""The Stripe API versions the sandbox speaks, and what differs between them.

Stripe answers each request in the version its ``Stripe-Version`` header names (else the
account's default), and refuses a value that is no version with 400 ``invalid_request_error``
"Invalid Stripe API version: <value>" (the message Stripe's libraries report; whether Stripe
also sets a ``code`` is not documented, so none is set here).

The sandbox is built for one version, the pinned one of its OpenAPI subset. It speaks a second,
older one because merchants' integrations and Stripe's own samples still pin it (Stripe's
checkout-single-subscription sample sends ``2020-08-27``); for that version the differences below
are applied to every response, and only these: everything else is answered as the pinned
version would answer it. Any other well-formed version is refused with a message that names the
versions spoken, rather than answered in a shape the caller did not ask for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from console.sandbox.facts.spec import API_VERSION

LEGACY_VERSION = "2020-08-27"
MAX_SHOWN = 64

_WELL_FORMED = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:\.([a-z]+))?")


@dataclass(frozen=True)
class ApiVersion:
    name: str
    # What a caller of this version gets that differs from the pinned version, in words; the
    # code that makes each difference is console/sandbox/http/versions.py.
    differences: tuple[str, ...]

    @property
    def is_pinned(self) -> bool:
        return self.name == API_VERSION


PINNED = ApiVersion(API_VERSION, ())
LEGACY = ApiVersion(
    LEGACY_VERSION,
    (
        # Stripe's changelog, 2025-03-31.basil: "Removes current_period_start and
        # current_period_end from subscriptions" (they moved to subscription items).
        "subscriptions carry current_period_start and current_period_end (from their first item)",
        # 2025-03-31.basil: "Removes the subscription field from invoices" (now
        # parent.subscription_details.subscription) and "Removes paid from invoices".
        "invoices carry subscription (from parent.subscription_details) and paid (status is paid)",
        "events are still rendered in the pinned version, as for an account whose default "
        "version is the pinned one",
        "parameters removed by later versions are refused as the pinned version refuses them",
    ),
)
SPOKEN: dict[str, ApiVersion] = {PINNED.name: PINNED, LEGACY.name: LEGACY}


class UnknownApiVersionError(ValueError):
    """A ``Stripe-Version`` the sandbox does not speak; ``str()`` is the message to answer."""


def api_version(header: str | None) -> ApiVersion:
    """The version a request asked for (the pinned one when it names none)."""
    if header is None or not header.strip():
        return PINNED
    value = header.strip()
    spoken = SPOKEN.get(value)
    if spoken is not None:
        return spoken
    if not _is_well_formed(value):
        # A header of any length comes back in the message: a bounded part of it is enough.
        shown = value if len(value) <= MAX_SHOWN else value[:MAX_SHOWN] + "…"
        raise UnknownApiVersionError(f"Invalid Stripe API version: {shown}")
    names = " and ".join(SPOKEN)
    raise UnknownApiVersionError(
        f"This sandbox does not speak Stripe API version {value}: it speaks {names} "
        f"({API_VERSION} is its own). Send one of these in Stripe-Version, or none for "
        f"{API_VERSION}; GET /v1/test_helpers/sandbox_api_versions lists what differs."
    )


def _is_well_formed(value: str) -> bool:
    matched = _WELL_FORMED.fullmatch(value)
    if matched is None:
        return False
    year, month, day, _ = matched.groups()
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True
