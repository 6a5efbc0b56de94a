"""The ``quick-view`` verb: the URL of a portal session opened as a customer, test mode only.

``console/cli/main.py`` parses the account and opens its gateway; :func:`quick_view` does the
work and returns the exit code (0 ok, 1 refused or invalid). The URL goes to ``out``, messages to
``err``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TextIO

from console.cli.errors import report_error
from console.errors import ConsoleError, LiveModeRefused, ValidationError, ValidationProblem
from console.gateway.client import Gateway
from console.i18n import _
from console.portal_session import quick_view as qv

FLOW_TYPES = (
    "payment_method_update",
    "customer_update",
    "subscription_cancel",
    "subscription_pause",
    "subscription_update",
)


def add_quick_view_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("customer", help="cus_… id")
    parser.add_argument("--configuration", help="bpc_… id (default: the default configuration)")
    parser.add_argument("--locale", help="portal language, e.g. de, fr-CA, auto")
    parser.add_argument(
        "--flow",
        help="deep link: payment_method_update, customer_update, or "
        "subscription_cancel|subscription_pause|subscription_update:sub_…",
    )


def parse_flow(text: str | None) -> qv.Flow | None:
    """``TYPE`` or ``TYPE:SUBSCRIPTION`` as a flow; raises ``ValidationError`` otherwise."""
    if not text:
        return None
    kind, _colon, subscription = text.partition(":")
    builders: dict[str, Callable[[str], qv.Flow]] = {
        "subscription_cancel": qv.subscription_cancel_flow,
        "subscription_pause": qv.subscription_pause_flow,
        "subscription_update": qv.subscription_update_flow,
    }
    if kind == "payment_method_update" and not subscription:
        return qv.payment_method_update_flow()
    if kind == "customer_update" and not subscription:
        return qv.customer_update_flow()
    if kind in builders and subscription.startswith("sub_"):
        return builders[kind](subscription)
    raise ValidationError(
        (
            ValidationProblem(
                "flow",
                "value_unknown",
                _(
                    "%(text)s is not a flow: use one of %(flow_types)s (the subscription ones "
                    "as TYPE:sub_…)."
                )
                % {"text": repr(text), "flow_types": ", ".join(FLOW_TYPES)},
            ),
        )
    )


async def quick_view(
    gateway: Gateway,
    customer_id: str,
    *,
    configuration: str | None = None,
    locale: str | None = None,
    flow: str | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Prints the URL of a portal session for the customer; refused (exit 1) in live mode.

    A cancel flow offers the configuration's retention coupon, if it names one."""
    try:
        qv.refuse_live_mode(gateway)
        deep_link = parse_flow(flow)
        if deep_link is not None and deep_link.type == "subscription_cancel":
            # The configuration's retention offer (kept in its metadata by the editor), as the
            # window's cancel links make it.
            coupon = await qv.configured_retention_coupon(gateway, configuration)
            deep_link = qv.subscription_cancel_flow(
                deep_link.details["subscription"], retention_coupon=coupon
            )
        session = await qv.open_portal_as_customer(
            gateway,
            customer_id,
            configuration=configuration,
            locale=locale,
            flow=deep_link,
        )
    except LiveModeRefused as error:
        print(f"refused: {error}", file=err)
        return 1
    except ConsoleError as error:
        return report_error(error, err)
    print(session.url, file=out)
    return 0
