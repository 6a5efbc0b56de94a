"""``portal-console customers show CUS_ID``: the support card on the command line.

``console/cli/main.py`` parses the account and opens its gateway; :func:`customers_show` loads
the customer as the window's detail does (``load_customer_view``), under the account's default
configuration or the one named, and prints the card as text for a person at the desk or, with
``--json``, in a stable shape for scripts (:func:`card_json`). A customer or configuration that
does not exist is one line on ``err`` and exit status 1.
"""

from __future__ import annotations

import json
import sys
import textwrap
from typing import Any, TextIO

from console.cli.errors import report_error
from console.customers.support_card import (
    ACTION_WORDS,
    CustomerCard,
    SubscriptionCard,
    no_configuration,
    plan_words,
    support_card,
)
from console.customers.support_view import load_customer_view
from console.errors import ConsoleError
from console.gateway.client import Gateway
from console.i18n import _

WIDTH = 100


async def customers_show(
    gateway: Gateway,
    customer_id: str,
    *,
    configuration: str | None = None,
    as_json: bool = False,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Prints what the portal lets the customer do with each subscription; returns the status."""
    try:
        view = await load_customer_view(gateway, customer_id, configuration_id=configuration)
    except ConsoleError as error:
        return report_error(error, err)
    card = support_card(view)
    if as_json:
        print(json.dumps(card_json(card), indent=2, ensure_ascii=False), file=out)
        if card.configuration_id is None:
            print(no_configuration(), file=err)
    else:
        print(card_text(card), file=out)
    return 0


def card_json(card: CustomerCard) -> dict[str, Any]:
    """``{"customer", "configuration", "subscriptions": [{"id", "status", "product", "portal",
    "reasons"}]}``: the shape scripts rely on; its keys never change."""
    customer = card.customer
    return {
        "customer": {"id": customer.id, "name": customer.name, "email": customer.email},
        "configuration": card.configuration_id,
        "subscriptions": [
            {
                "id": sub.subscription.id,
                "status": sub.subscription.status,
                "product": sub.product,
                "portal": {verdict.action: verdict.allowed for verdict in sub.verdicts},
                "reasons": list(sub.reasons),
            }
            for sub in card.subscriptions
        ],
    }


def card_text(card: CustomerCard) -> str:
    """The card for a person: who, under which configuration, then each subscription."""
    customer = card.customer
    name = customer.name or _("(no name)")
    email = f" <{customer.email}>" if customer.email else ""
    lines = [f"{name}{email}  {customer.id}"]
    if customer.deleted:
        lines.append(_("This customer was deleted."))
    if card.configuration_id is None:
        lines.append(_("Portal configuration: none. %(why)s") % {"why": no_configuration()})
    else:
        template = (
            _("Portal configuration: %(name)s (%(id)s, the default)")
            if card.configuration_is_default
            else _("Portal configuration: %(name)s (%(id)s)")
        )
        named = template % {"name": card.configuration_name or "", "id": card.configuration_id}
        lines.append(named.replace(":  (", ": ("))
    if not card.subscriptions:
        lines += ["", _("No subscriptions.")]
    for sub in card.subscriptions:
        lines += ["", *_subscription_lines(sub, configured=card.configuration_id is not None)]
    return "\n".join(lines)


def _subscription_lines(sub: SubscriptionCard, *, configured: bool) -> list[str]:
    lines = [
        f"{sub.product}  ({sub.subscription.id})",
        "  " + _("Status: %(status)s") % {"status": sub.status},
        "  " + _("Plan: %(plan)s") % {"plan": plan_words(sub.subscription)},
    ]
    if not configured:
        return lines
    lines.append("  " + _("In the portal:"))
    words = {verdict.action: _(ACTION_WORDS[verdict.action]) for verdict in sub.verdicts}
    width = max(len(w) for w in words.values()) + 2
    yes, no = _("yes"), _("no")
    previous: tuple[str, ...] = ()
    for verdict in sub.verdicts:
        answer = yes if verdict.allowed else no
        label = f"    {words[verdict.action]:<{width}}{answer:<{max(len(yes), len(no)) + 2}}"
        if not verdict.reasons:
            lines.append(label.rstrip())
        elif verdict.reasons == previous:
            lines.append(label + _("(as above)"))
        else:
            indent = " " * len(label)
            for index, reason in enumerate(verdict.reasons):
                first = label if index == 0 else indent
                lines += textwrap.wrap(
                    reason, WIDTH, initial_indent=first, subsequent_indent=indent
                )
        previous = verdict.reasons
    shown = {reason for verdict in sub.verdicts for reason in verdict.reasons}
    also, note = "  " + _("Also:") + " ", "  " + _("Note:") + " "
    for reason in sub.reasons:
        if reason not in shown:
            lines += textwrap.wrap(reason, WIDTH, initial_indent=also, subsequent_indent="        ")
    for warning in sub.notes:
        lines += textwrap.wrap(warning, WIDTH, initial_indent=note, subsequent_indent="        ")
    return lines
