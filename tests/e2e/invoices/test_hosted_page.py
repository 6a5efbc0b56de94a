"""The hosted invoice page and its PDF."""

from __future__ import annotations

import io
import re

import httpx
import pypdf
import stripe

from console.sandbox import Sandbox
from tests.e2e.invoices import builders

# -- hosted page and PDF --------------------------------------------------------------------------


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_hosted_page_shows_the_invoice_and_escapes_input(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, card=None, name="<b>Eve</b>")
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
    customer = builders.customer(client, card=None)
    final = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 2100).id)
    assert final.hosted_invoice_url is not None
    url = final.hosted_invoice_url
    with httpx.Client() as browser:
        csrf = _csrf(browser.get(url).text)
        forged = httpx.post(f"{url}/pay", data={"csrf_token": csrf, "number": "4242424242424242",
                                                "expiry": "12/40"})  # fmt: skip
        assert forged.status_code == 403
        assert client.v1.invoices.retrieve(final.id).status == "open"

        declined = browser.post(
            f"{url}/pay",
            data={
                "csrf_token": csrf,
                "number": "4000 0000 0000 0002",
                "expiry": "12/40",
                "cvc": "123",
            },
        )
        assert declined.status_code == 402
        assert "Your card was declined." in declined.text
        after = client.v1.invoices.retrieve(final.id)
        assert after.status == "open" and after.attempt_count == 1

        paid = browser.post(
            f"{url}/pay",
            data={
                "csrf_token": _csrf(declined.text),
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
    customer = builders.customer(client, card=None)
    final = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 1234, 66).id)
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
    final = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 500).id)
    assert final.invoice_pdf is not None
    text = _pdf_text(httpx.get(final.invoice_pdf).content)
    assert "Elza Bērziņa" in text or "Elza Berzina" in text  # accents kept where a font has them
    assert "?" not in text
