"""The hosted invoice page and its PDF."""

from __future__ import annotations

import io
import re
from typing import Any

import httpx
import pypdf
import stripe

from console.sandbox import Sandbox
from tests import builders

# -- hosted page and PDF --------------------------------------------------------------------------


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_hosted_page_shows_the_invoice_and_escapes_input(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="<b>Eve</b>")
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
    customer = builders.customer(client, name="Ada Lovelace")
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
    customer = builders.customer(client, name="Ada Lovelace")
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


# -- language, branding and the form's token -------------------------------------------------------

NBSP = "\xa0"


def _euro_invoice(client: stripe.StripeClient, **customer: Any) -> stripe.Invoice:
    return builders.open_invoice(client, 123456, "eur", **customer)


def test_pdf_speaks_the_customers_language_as_the_page_does(client: stripe.StripeClient) -> None:
    """The PDF a German customer downloads from their page (or a script from invoice_pdf) is
    in German too, with euros written the German way."""
    final = _euro_invoice(client, preferred_locales=["de"])
    assert final.invoice_pdf is not None and final.number is not None
    text = _pdf_text(httpx.get(final.invoice_pdf).content)
    for label in (f"Rechnung {final.number}", "Beschreibung", "Gesamt", "Fälliger Betrag"):
        assert label in text, label
    assert "1.234,56" in text and "€" in text
    assert "Amount due" not in text and "Description" not in text


def test_page_speaks_the_customers_preferred_language(client: stripe.StripeClient) -> None:
    final = _euro_invoice(client, preferred_locales=["de"])
    assert final.hosted_invoice_url is not None
    # The customer's language wins over the browser's.
    page = httpx.get(final.hosted_invoice_url, headers={"Accept-Language": "fr-FR"})
    assert page.status_code == 200
    assert 'lang="de-DE"' in page.text
    assert f"1.234,56{NBSP}€" in page.text
    for label in ("Rechnung", "Fälliger Betrag", "Kartennummer", f"1.234,56{NBSP}€ bezahlen"):
        assert label in page.text, label
    assert "Amount due" not in page.text and "Card number" not in page.text


def test_page_falls_back_to_the_browsers_language(client: stripe.StripeClient) -> None:
    final = _euro_invoice(client)
    assert final.hosted_invoice_url is not None
    french = httpx.get(final.hosted_invoice_url, headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert 'lang="fr-FR"' in french.text and "Montant dû" in french.text
    english = httpx.get(final.hosted_invoice_url)
    assert 'lang="en-US"' in english.text and "€1,234.56" in english.text


def test_a_declined_card_is_explained_in_the_customers_language(
    client: stripe.StripeClient,
) -> None:
    final = _euro_invoice(client, preferred_locales=["de"])
    assert final.hosted_invoice_url is not None
    url = final.hosted_invoice_url
    with httpx.Client() as browser:
        csrf = _csrf(browser.get(url).text)
        card = {"number": "4000000000000002", "expiry": "12/40", "cvc": "123"}
        declined = browser.post(f"{url}/pay", data={"csrf_token": csrf, **card})
    assert declined.status_code == 402
    assert "Ihre Karte wurde abgelehnt." in declined.text


def test_page_shows_the_merchants_name_icon_and_colours(fresh_client: stripe.StripeClient) -> None:
    platform = fresh_client.v1.accounts.retrieve_current()
    fresh_client.v1.accounts.update(
        platform.id,
        params={
            "business_profile": {"name": "Northwind <script>alert(1)</script>"},
            "settings": {"branding": {"primary_color": "#0b7a5c", "secondary_color": "#eaf4f0"}},
        },
    )
    final = _euro_invoice(fresh_client)
    assert final.hosted_invoice_url is not None
    page = httpx.get(final.hosted_invoice_url)
    assert page.status_code == 200
    assert '<span class="business-name">Northwind &lt;script&gt;' in page.text
    assert "<script>" not in page.text
    # The colours arrive as the portal's brand stylesheet, from this origin only.
    assert 'href="/p/brand.css?primary=0b7a5c&amp;secondary=eaf4f0"' in page.text
    css = httpx.get(f"{final.hosted_invoice_url.split('/i/')[0]}/p/brand.css?primary=0b7a5c")
    assert "--brand-primary:#0b7a5c" in css.text
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"


def test_a_forged_or_missing_form_token_is_refused(client: stripe.StripeClient) -> None:
    final = client.v1.invoices.finalize_invoice(
        builders.draft(client, builders.customer(client, name="Ada Lovelace").id, 700).id
    )
    assert final.hosted_invoice_url is not None
    url = final.hosted_invoice_url
    card = {"number": "4242424242424242", "expiry": "12/40", "cvc": "123"}
    with httpx.Client() as browser:
        page = browser.get(url)
        cookie = page.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/i/" in cookie
        csrf = _csrf(page.text)
        forged = browser.post(f"{url}/pay", data={"csrf_token": csrf[::-1], **card})
        missing = browser.post(f"{url}/pay", data=card)
        old_name = browser.post(f"{url}/pay", data={"csrf": _csrf(missing.text), **card})
    for refused in (forged, missing, old_name):
        assert refused.status_code == 403
        assert "This form has expired." in refused.text
    assert client.v1.invoices.retrieve(final.id).status == "open"
