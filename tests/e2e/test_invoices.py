"""Invoices through the stripe library: states, numbers, totals, payment, pages, previews."""

from __future__ import annotations

import io
import re
from typing import Any

import httpx
import pypdf
import pytest
import stripe

from console.sandbox import Sandbox

DAY = 86400


# -- helpers --------------------------------------------------------------------------------------


def _card(client: stripe.StripeClient, number: str) -> stripe.PaymentMethod:
    return client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": number, "exp_month": 12, "exp_year": 2040, "cvc": "123"},
        }
    )


def _customer(
    client: stripe.StripeClient, card: str | None = "4242424242424242", **fields: Any
) -> stripe.Customer:
    params: Any = {"name": "Ada Lovelace", **fields}
    customer = client.v1.customers.create(params=params)
    if card is not None:
        pm = _card(client, card)
        client.v1.payment_methods.attach(pm.id, params={"customer": customer.id})
        customer = client.v1.customers.update(
            customer.id, params={"invoice_settings": {"default_payment_method": pm.id}}
        )
    return customer


def _draft(
    client: stripe.StripeClient, customer: str, *amounts: int, **params: Any
) -> stripe.Invoice:
    for amount in amounts:
        client.v1.invoice_items.create(
            params={"customer": customer, "amount": amount, "currency": "usd"}
        )
    create: Any = {"customer": customer, "pending_invoice_items_behavior": "include", **params}
    return client.v1.invoices.create(params=create)


def _events(client: stripe.StripeClient, object_id: str) -> list[str]:
    """Types of the events about ``object_id``, oldest first."""
    found = client.v1.events.list(params={"limit": 100})
    return [e.type for e in reversed(found.data) if e.data.object.to_dict().get("id") == object_id]


def _advance(client: stripe.StripeClient, seconds: int) -> int:
    """Move the sandbox clock on (due work runs before it answers); returns the new now."""
    response = client.raw_request("post", "/v1/test_helpers/sandbox_clock/advance", seconds=seconds)
    return int(client.deserialize(response, api_mode="V1")["now"])


# -- drafts, numbers, totals ----------------------------------------------------------------------


def test_draft_has_no_number_or_urls_until_finalized(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None)
    draft = _draft(client, customer.id, 1200)
    assert draft.status == "draft"
    assert draft.number is None
    assert draft.hosted_invoice_url is None and draft.invoice_pdf is None
    assert draft.auto_advance is False
    assert draft.collection_method == "charge_automatically"
    assert draft.total == 1200 and draft.amount_due == 1200
    assert draft.lines.data[0].parent is not None
    assert draft.lines.data[0].parent.type == "invoice_item_details"
    assert draft.status_transitions.finalized_at is None
    assert _events(client, draft.id) == ["invoice.created"]


def test_finalize_numbers_from_prefix_and_sequence(
    sandbox: Sandbox, client: stripe.StripeClient
) -> None:
    customer = _customer(client, card=None, invoice_prefix="ACME42", next_invoice_sequence=7)
    first = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 500).id)
    second = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 700).id)
    assert first.number == "ACME42-0007"
    assert second.number == "ACME42-0008"
    assert client.v1.customers.retrieve(customer.id).next_invoice_sequence == 9
    assert first.status == "open"
    assert first.status_transitions.finalized_at is not None
    assert first.hosted_invoice_url is not None and first.invoice_pdf is not None
    assert first.hosted_invoice_url.startswith(f"{sandbox.url}/i/")
    token = first.hosted_invoice_url.rsplit("/", 1)[1]
    assert len(token) >= 22  # at least 128 random bits in URL-safe base64
    assert first.invoice_pdf == f"{first.hosted_invoice_url}/pdf"
    assert second.hosted_invoice_url != first.hosted_invoice_url
    assert "invoice.finalized" in _events(client, first.id)


def test_totals_with_coupon_promotion_code_and_customer_credit(
    client: stripe.StripeClient,
) -> None:
    customer = _customer(client, card=None, balance=-1000)
    percent = client.v1.coupons.create(params={"percent_off": 10, "duration": "once"})
    fixed = client.v1.coupons.create(
        params={"amount_off": 300, "currency": "usd", "duration": "once"}
    )
    code = client.v1.promotion_codes.create(
        params={"promotion": {"type": "coupon", "coupon": fixed.id}, "code": "TAKE3OFF"}
    )
    draft = _draft(
        client,
        customer.id,
        2000,
        500,
        discounts=[{"coupon": percent.id}, {"promotion_code": code.id}],
    )
    subtotal = 2000 + 500
    after_percent = subtotal - subtotal * 10 // 100
    total = after_percent - 300
    assert draft.subtotal == subtotal
    assert draft.total == total
    assert sorted(d.amount for d in draft.total_discount_amounts or []) == [250, 300]
    assert len(draft.discounts) == 2
    assert sum(a.amount for line in draft.lines.data for a in line.discount_amounts or []) == (
        subtotal - total
    )
    assert draft.total_taxes == []
    assert client.v1.promotion_codes.retrieve(code.id).times_redeemed == 1

    final = client.v1.invoices.finalize_invoice(draft.id)
    assert final.starting_balance == -1000
    assert final.amount_due == total - 1000
    assert final.ending_balance == 0
    assert client.v1.customers.retrieve(customer.id).balance == 0


def test_credit_larger_than_total_pays_the_invoice_at_once(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None, balance=-5000)
    final = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 1200).id)
    assert final.amount_due == 0
    assert final.status == "paid"
    assert final.ending_balance == -3800
    assert client.v1.customers.retrieve(customer.id).balance == -3800
    assert _events(client, final.id)[-2:] == ["invoice.paid", "invoice.payment_succeeded"]

    # Voiding an invoice gives back the credit it used; this one is paid, so it is refused.
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.void_invoice(final.id)
    assert raised.value.code == "invoice_not_editable"


def test_void_returns_the_balance_the_invoice_used(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None, balance=-300)
    final = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 1000).id)
    assert final.amount_due == 700
    assert client.v1.customers.retrieve(customer.id).balance == 0
    voided = client.v1.invoices.void_invoice(final.id)
    assert voided.status == "void"
    assert voided.status_transitions.voided_at is not None
    assert client.v1.customers.retrieve(customer.id).balance == -300
    assert "invoice.voided" in _events(client, final.id)


# -- paying ---------------------------------------------------------------------------------------


def test_pay_with_the_customers_default_payment_method(client: stripe.StripeClient) -> None:
    customer = _customer(client)
    final = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 4200).id)
    paid = client.v1.invoices.pay(final.id)
    assert paid.status == "paid"
    assert paid.amount_paid == 4200 and paid.amount_remaining == 0
    assert paid.attempted is True and paid.attempt_count == 1
    assert paid.status_transitions.paid_at is not None
    with_payments = client.v1.invoices.retrieve(final.id, params={"expand": ["payments"]})
    assert with_payments.payments is not None
    payment = with_payments.payments.data[0]
    assert payment.status == "paid" and payment.amount_paid == 4200
    intent = client.v1.payment_intents.retrieve(str(payment.payment.payment_intent))
    assert intent.status == "succeeded" and intent.amount == 4200
    events = _events(client, final.id)
    assert "invoice.paid" in events and "invoice.payment_succeeded" in events
    recent = client.v1.events.list(params={"type": "invoice_payment.paid", "limit": 5})
    assert payment.id in [e.data.object.to_dict().get("id") for e in recent.data]

    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.pay(final.id)
    assert raised.value.code == "invoice_not_editable"
    assert "already paid" in str(raised.value.user_message)


def test_decline_is_a_card_error_and_the_attempt_is_kept(client: stripe.StripeClient) -> None:
    customer = _customer(client)
    final = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 900).id)
    poor = _card(client, "4000000000009995")
    with pytest.raises(stripe.CardError) as raised:
        client.v1.invoices.pay(final.id, params={"payment_method": poor.id})
    assert raised.value.code == "card_declined"
    assert raised.value.error is not None
    assert raised.value.error.decline_code == "insufficient_funds"
    assert "insufficient funds" in str(raised.value.user_message)
    after = client.v1.invoices.retrieve(final.id)
    assert after.status == "open"
    assert after.attempt_count == 1 and after.attempted is True
    assert after.amount_paid == 0 and after.amount_remaining == 900
    assert "invoice.payment_failed" in _events(client, final.id)

    paid = client.v1.invoices.pay(final.id)
    assert paid.status == "paid" and paid.attempt_count == 2


def test_pay_without_any_payment_method_is_refused(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None)
    final = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 900).id)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.pay(final.id)
    assert raised.value.param == "payment_method"
    assert "no attached payment source or default payment method" in str(raised.value.user_message)
    after = client.v1.invoices.retrieve(final.id)
    assert after.status == "open" and after.attempt_count == 0


def test_paid_out_of_band_marks_paid_without_charging(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None)
    final = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 1500).id)
    paid = client.v1.invoices.pay(final.id, params={"paid_out_of_band": True})
    assert paid.status == "paid"
    assert paid.amount_paid == 1500 and paid.amount_paid_off_stripe == 1500
    assert paid.attempt_count == 0
    events = _events(client, final.id)
    assert "invoice.paid" in events and "invoice.payment_succeeded" not in events
    expanded = client.v1.invoices.retrieve(final.id, params={"expand": ["payments"]})
    assert expanded.payments is not None and expanded.payments.data == []


# -- collection methods and the state machine -----------------------------------------------------


def test_send_invoice_needs_days_until_due_and_is_sent(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.create(
            params={"customer": customer.id, "collection_method": "send_invoice"}
        )
    assert raised.value.param == "days_until_due"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.create(params={"customer": customer.id, "days_until_due": 10})
    assert raised.value.param == "days_until_due"

    draft = _draft(client, customer.id, 3000, collection_method="send_invoice", days_until_due=30)
    assert draft.due_date == draft.created + 30 * DAY
    final = client.v1.invoices.finalize_invoice(draft.id)
    assert final.status == "open" and final.due_date == draft.created + 30 * DAY
    sent = client.v1.invoices.send_invoice(final.id)
    assert sent.status == "open"
    assert "invoice.sent" in _events(client, final.id)

    automatic = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 100).id)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.send_invoice(automatic.id)
    assert raised.value.code == "invoice_not_editable"


def test_uncollectible_can_still_be_paid_or_voided(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None)
    one = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 800).id)
    marked = client.v1.invoices.mark_uncollectible(one.id)
    assert marked.status == "uncollectible"
    assert marked.status_transitions.marked_uncollectible_at is not None
    assert "invoice.marked_uncollectible" in _events(client, one.id)
    paid = client.v1.invoices.pay(one.id, params={"paid_out_of_band": True})
    assert paid.status == "paid"

    two = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 800).id)
    client.v1.invoices.mark_uncollectible(two.id)
    assert client.v1.invoices.void_invoice(two.id).status == "void"


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("draft", "void_invoice"),
        ("draft", "mark_uncollectible"),
        ("open", "finalize_invoice"),
        ("void", "pay"),
        ("void", "mark_uncollectible"),
        ("paid", "void_invoice"),
        ("paid", "mark_uncollectible"),
    ],
)
def test_refused_transitions_change_nothing(
    client: stripe.StripeClient, state: str, action: str
) -> None:
    customer = _customer(client, card=None)
    invoice = _draft(client, customer.id, 600)
    if state != "draft":
        invoice = client.v1.invoices.finalize_invoice(invoice.id)
    if state == "void":
        invoice = client.v1.invoices.void_invoice(invoice.id)
    if state == "paid":
        invoice = client.v1.invoices.pay(invoice.id, params={"paid_out_of_band": True})
    with pytest.raises(stripe.InvalidRequestError) as raised:
        getattr(client.v1.invoices, action)(invoice.id)
    assert raised.value.code == "invoice_not_editable"
    assert raised.value.http_status == 400
    after = client.v1.invoices.retrieve(invoice.id)
    assert after.status == state
    assert after.to_dict() == invoice.to_dict()


def test_finalized_invoice_refuses_money_changes(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None)
    final = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 600).id)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.update(final.id, params={"collection_method": "send_invoice"})
    assert raised.value.code == "invoice_not_editable"
    assert raised.value.param == "collection_method"
    updated = client.v1.invoices.update(final.id, params={"metadata": {"order": "42"}})
    assert updated.metadata is not None and updated.metadata.to_dict() == {"order": "42"}
    assert _events(client, final.id)[-1] == "invoice.updated"


def test_only_drafts_can_be_deleted(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None)
    draft = _draft(client, customer.id, 100)
    deleted = client.v1.invoices.delete(draft.id)
    assert deleted.deleted is True and deleted.id == draft.id
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.retrieve(draft.id)
    assert raised.value.http_status == 404 and raised.value.param == "invoice"

    final = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 100).id)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.delete(final.id)
    assert raised.value.code == "invoice_not_editable"
    assert client.v1.invoices.retrieve(final.id).status == "open"


def test_list_filters_by_customer_and_status(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None)
    draft = _draft(client, customer.id, 100)
    final = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 200).id)
    every = client.v1.invoices.list(params={"customer": customer.id})
    assert [i.id for i in every.data] == [final.id, draft.id]
    opened = client.v1.invoices.list(params={"customer": customer.id, "status": "open"})
    assert [i.id for i in opened.data] == [final.id]


# -- the clock: auto-advance and retries ----------------------------------------------------------


def test_auto_advance_finalizes_after_an_hour_and_collects(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client)
    draft = _draft(client, customer.id, 2500, auto_advance=True)
    assert draft.automatically_finalizes_at == draft.created + 3600
    _advance(client, 1800)
    assert client.v1.invoices.retrieve(draft.id).status == "draft"
    _advance(client, 1801)
    after = client.v1.invoices.retrieve(draft.id)
    assert after.status == "paid"
    assert after.number is not None
    assert after.amount_paid == 2500
    events = _events(client, draft.id)
    assert events.index("invoice.finalized") < events.index("invoice.paid")


def test_failed_automatic_payments_retry_on_schedule_then_stay_open(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client, card="4000000000000341")
    draft = _draft(client, customer.id, 1000, auto_advance=True)
    now = _advance(client, 3601)
    invoice = client.v1.invoices.retrieve(draft.id)
    assert invoice.status == "open" and invoice.attempt_count == 1
    assert invoice.next_payment_attempt is not None
    assert now <= invoice.next_payment_attempt <= now + 3 * DAY + 5
    for attempts, days in ((2, 3), (3, 5), (4, 7)):
        now = _advance(client, days * DAY + 1)
        invoice = client.v1.invoices.retrieve(draft.id)
        assert invoice.attempt_count == attempts
    assert invoice.status == "open"
    assert invoice.next_payment_attempt is None
    assert _events(client, draft.id).count("invoice.payment_failed") == 4
    _advance(client, 30 * DAY)
    assert client.v1.invoices.retrieve(draft.id).attempt_count == 4


def test_a_retry_succeeds_once_the_card_is_replaced(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client, card="4000000000000341")
    draft = _draft(client, customer.id, 1000, auto_advance=True)
    _advance(client, 3601)
    good = _card(client, "4242424242424242")
    client.v1.payment_methods.attach(good.id, params={"customer": customer.id})
    client.v1.customers.update(
        customer.id, params={"invoice_settings": {"default_payment_method": good.id}}
    )
    _advance(client, 3 * DAY + 1)
    invoice = client.v1.invoices.retrieve(draft.id)
    assert invoice.status == "paid" and invoice.attempt_count == 2


# -- lines ----------------------------------------------------------------------------------------


def test_lines_embed_ten_and_page_through_the_rest(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None)
    draft = _draft(client, customer.id, *range(100, 1300, 100))
    assert len(draft.lines.data) == 10 and draft.lines.has_more is True
    assert draft.total == sum(range(100, 1300, 100))
    every = list(
        client.v1.invoices.line_items.list(draft.id, params={"limit": 5}).auto_paging_iter()
    )
    assert [line.amount for line in every] == list(range(100, 1300, 100))
    rest = client.v1.invoices.line_items.list(
        draft.id, params={"starting_after": every[9].id, "limit": 5}
    )
    assert [line.id for line in rest.data] == [every[10].id, every[11].id]
    assert rest.has_more is False


def test_add_update_and_remove_lines(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None)
    product = client.v1.products.create(params={"name": "Widget"})
    draft = client.v1.invoices.create(params={"customer": customer.id})
    added = client.v1.invoices.add_lines(
        draft.id,
        params={
            "lines": [
                {
                    "price_data": {"product": product.id, "currency": "usd", "unit_amount": 250},
                    "quantity": 3,
                    "description": "Widgets",
                },
                {"amount": 999, "description": "Setup"},
            ]
        },
    )
    assert [line.amount for line in added.lines.data] == [750, 999]
    assert added.total == 1749
    widgets = added.lines.data[0]
    assert widgets.pricing is not None and widgets.pricing.price_details is not None
    assert widgets.pricing.price_details.product == product.id

    updated = client.v1.invoices.update_lines(
        draft.id, params={"lines": [{"id": widgets.id, "quantity": 4}]}
    )
    assert updated.lines.data[0].amount == 1000 and updated.total == 1999
    line = client.v1.invoices.line_items.update(
        draft.id, widgets.id, params={"description": "Four widgets"}
    )
    assert line.description == "Four widgets"

    setup = updated.lines.data[1]
    kept = client.v1.invoices.remove_lines(
        draft.id, params={"lines": [{"id": setup.id, "behavior": "unassign"}]}
    )
    assert [line.id for line in kept.lines.data] == [widgets.id]
    assert kept.total == 1000
    pending = client.v1.invoice_items.list(params={"customer": customer.id, "pending": True})
    assert [item.amount for item in pending.data] == [999]

    assert _events(client, draft.id).count("invoice.updated") == 3  # add, update, remove

    final = client.v1.invoices.finalize_invoice(draft.id)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.add_lines(final.id, params={"lines": [{"amount": 5}]})
    assert raised.value.code == "invoice_not_editable"


# -- hosted page and PDF --------------------------------------------------------------------------


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_hosted_page_shows_the_invoice_and_escapes_input(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None, name="<b>Eve</b>")
    client.v1.invoice_items.create(
        params={
            "customer": customer.id,
            "amount": 1950,
            "currency": "usd",
            "description": "<script>alert(1)</script>",
        }
    )
    draft = client.v1.invoices.create(
        params={"customer": customer.id, "pending_invoice_items_behavior": "include"}
    )
    final = client.v1.invoices.finalize_invoice(draft.id)
    assert final.hosted_invoice_url is not None and final.number is not None
    page = httpx.get(final.hosted_invoice_url)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert final.number in page.text
    assert "$19.50" in page.text
    assert "<script>" not in page.text and "&lt;script&gt;" in page.text
    assert "<b>Eve</b>" not in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert 'name="number"' in page.text  # an open invoice offers the card form


def test_unknown_page_token_is_a_404_page(sandbox: Sandbox) -> None:
    page = httpx.get(f"{sandbox.url}/i/not-a-real-token")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Invoice not found" in page.text
    assert "Traceback" not in page.text
    assert httpx.get(f"{sandbox.url}/i/not-a-real-token/pdf").status_code == 404


def test_hosted_page_pays_with_a_card_and_checks_csrf(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None)
    final = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 2100).id)
    assert final.hosted_invoice_url is not None
    url = final.hosted_invoice_url
    with httpx.Client() as browser:
        csrf = _csrf(browser.get(url).text)
        forged = httpx.post(f"{url}/pay", data={"csrf": csrf, "number": "4242424242424242",
                                                "expiry": "12/40"})  # fmt: skip
        assert forged.status_code == 403
        assert client.v1.invoices.retrieve(final.id).status == "open"

        declined = browser.post(
            f"{url}/pay",
            data={"csrf": csrf, "number": "4000 0000 0000 0002", "expiry": "12/40", "cvc": "123"},
        )
        assert declined.status_code == 402
        assert "Your card was declined." in declined.text
        after = client.v1.invoices.retrieve(final.id)
        assert after.status == "open" and after.attempt_count == 1

        paid = browser.post(
            f"{url}/pay",
            data={
                "csrf": _csrf(declined.text),
                "number": "4242 4242 4242 4242",
                "expiry": "12/40",
                "cvc": "123",
            },
            follow_redirects=True,
        )
        assert paid.status_code == 200
        assert "Payment received" in paid.text
    done = client.v1.invoices.retrieve(final.id)
    assert done.status == "paid" and done.amount_paid == 2100
    assert 'name="number"' not in httpx.get(url).text


def _pdf_text(content: bytes) -> str:
    """The text a PDF reader extracts from every page."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_is_a_real_pdf_with_number_and_total(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None)
    final = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 1234, 66).id)
    assert final.invoice_pdf is not None and final.number is not None
    response = httpx.get(final.invoice_pdf)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")
    assert len(pypdf.PdfReader(io.BytesIO(content)).pages) == 1
    text = _pdf_text(content)
    assert final.number in text
    assert "13.00" in text  # the total, $13.00


def test_pdf_shows_names_in_any_script(client: stripe.StripeClient) -> None:
    customer = client.v1.customers.create(params={"name": "Elza Bērziņa", "email": "e@example.lv"})
    final = client.v1.invoices.finalize_invoice(_draft(client, customer.id, 500).id)
    assert final.invoice_pdf is not None
    text = _pdf_text(httpx.get(final.invoice_pdf).content)
    assert "Elza Bērziņa" in text or "Elza Berzina" in text  # accents kept where a font has them
    assert "?" not in text


# -- previews -------------------------------------------------------------------------------------


def _subscribed(client: stripe.StripeClient) -> tuple[stripe.Subscription, dict[str, str]]:
    customer = _customer(client)
    product = client.v1.products.create(params={"name": "Pro"})
    prices = {
        name: client.v1.prices.create(
            params={
                "product": product.id,
                "currency": "usd",
                "unit_amount": amount,
                "recurring": {"interval": interval},
            }
        ).id
        for name, amount, interval in (
            ("basic", 1000, "month"),
            ("plus", 3000, "month"),
            ("yearly", 10000, "year"),
        )
    }
    sub = client.v1.subscriptions.create(
        params={"customer": customer.id, "items": [{"price": prices["basic"]}]}
    )
    return sub, prices


def _counts(client: stripe.StripeClient, customer: str) -> tuple[int, int, int]:
    return (
        len(client.v1.invoices.list(params={"customer": customer, "limit": 100}).data),
        len(client.v1.invoice_items.list(params={"customer": customer, "limit": 100}).data),
        len(client.v1.events.list(params={"limit": 100}).data),
    )


def test_preview_of_the_next_renewal(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    sub, _prices = _subscribed(client)
    item = sub["items"].data[0]
    customer = str(sub.customer)
    before = _counts(client, customer)
    preview = client.v1.invoices.create_preview(params={"subscription": sub.id})
    assert preview.id.startswith("upcoming_in_")
    assert preview.status == "draft" and preview.number is None
    assert preview.total == 1000 and preview.amount_due == 1000
    assert preview.parent is not None and preview.parent.subscription_details is not None
    assert preview.parent.subscription_details.subscription == sub.id
    line = preview.lines.data[0]
    assert line.period.start == item.current_period_end
    assert line.description == "1 × Pro (at $10.00 / month)"  # noqa: RUF001 (Stripe's text)
    assert _counts(client, customer) == before


def test_preview_of_a_mid_period_upgrade_prorates(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    sub, prices = _subscribed(client)
    item = sub["items"].data[0]
    start, end = item.current_period_start, item.current_period_end
    moment = start + 10 * DAY
    _advance(client, 10 * DAY)
    before = _counts(client, str(sub.customer))
    details: Any = {"items": [{"id": item.id, "price": prices["plus"]}], "proration_date": moment}
    preview = client.v1.invoices.create_preview(
        params={"subscription": sub.id, "subscription_details": details}
    )
    share = (end - moment) / (end - start)
    credit, charge = -round(1000 * share), round(3000 * share)
    amounts = [line.amount for line in preview.lines.data]
    assert amounts == [credit, charge, 3000]
    assert preview.total == credit + charge + 3000
    assert preview.parent is not None and preview.parent.subscription_details is not None
    assert preview.parent.subscription_details.subscription_proration_date == moment
    flags = [
        line.parent.subscription_item_details.proration
        for line in preview.lines.data
        if line.parent and line.parent.subscription_item_details
    ]
    assert flags == [True, True, False]

    immediate: Any = {
        "subscription": sub.id,
        "subscription_details": {**details, "proration_behavior": "always_invoice"},
    }
    now = client.v1.invoices.create_preview(params=immediate)
    assert [line.amount for line in now.lines.data] == [credit, charge]
    assert _counts(client, str(sub.customer)) == before
    kept = client.v1.subscriptions.retrieve(sub.id)
    assert kept["items"].data[0].price.id == prices["basic"]


def test_preview_of_cancel_now_credits_unused_time(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    sub, _prices = _subscribed(client)
    _advance(client, 15 * DAY)
    preview = client.v1.invoices.create_preview(
        params={"subscription": sub.id, "subscription_details": {"cancel_now": True}}
    )
    assert preview.total < 0
    assert preview.amount_due == 0
    assert preview.ending_balance == preview.total
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"


def test_preview_of_a_new_subscription(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    sub, prices = _subscribed(client)
    before = _counts(client, str(sub.customer))
    preview = client.v1.invoices.create_preview(
        params={
            "customer": str(sub.customer),
            "subscription_details": {"items": [{"price": prices["plus"], "quantity": 2}]},
        }
    )
    assert preview.total == 6000
    assert preview.lines.data[0].quantity == 2
    assert _counts(client, str(sub.customer)) == before
    assert len(client.v1.subscriptions.list(params={"customer": str(sub.customer)}).data) == 1


def test_preview_errors_name_the_preview_parameter(client: stripe.StripeClient) -> None:
    sub, _prices = _subscribed(client)
    item = sub["items"].data[0]
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.create_preview(
            params={
                "subscription": sub.id,
                "subscription_details": {"items": [{"id": item.id, "price": "price_missing"}]},
            }
        )
    assert raised.value.param == "subscription_details[items][0][price]"
    lonely = _customer(client, card=None)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.create_preview(params={"customer": lonely.id})
    assert raised.value.code == "invoice_upcoming_none"


def test_preview_of_pending_items_and_extra_items(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None, balance=-200)
    client.v1.invoice_items.create(
        params={"customer": customer.id, "amount": 700, "currency": "usd"}
    )
    preview = client.v1.invoices.create_preview(
        params={
            "customer": customer.id,
            "invoice_items": [{"amount": 300, "currency": "usd", "description": "Extra"}],
        }
    )
    assert [line.amount for line in preview.lines.data] == [700, 300]
    assert preview.total == 1000 and preview.amount_due == 800
    assert preview.starting_balance == -200
    pending = client.v1.invoice_items.list(params={"customer": customer.id})
    assert [item.amount for item in pending.data] == [700]
    assert pending.data[0].invoice is None

    changed = client.v1.invoices.create_preview(
        params={
            "customer": customer.id,
            "invoice_items": [{"invoiceitem": pending.data[0].id, "amount": 900}],
        }
    )
    assert [line.amount for line in changed.lines.data] == [900]
    assert client.v1.invoice_items.retrieve(pending.data[0].id).amount == 700


def test_line_errors_name_the_line_parameter(client: stripe.StripeClient) -> None:
    customer = _customer(client, card=None)
    draft = _draft(client, customer.id, 500)
    line = draft.lines.data[0]
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.update_lines(
            draft.id, params={"lines": [{"id": line.id, "pricing": {"price": "price_gone"}}]}
        )
    assert raised.value.param == "lines[0][pricing][price]"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.line_items.update(
            draft.id, line.id, params={"pricing": {"price": "price_gone"}}
        )
    assert raised.value.param == "pricing[price]"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.update_lines(draft.id, params={"lines": [{"id": "il_unknown"}]})
    assert raised.value.param == "lines[0][id]"
    assert client.v1.invoices.retrieve(draft.id).total == 500
