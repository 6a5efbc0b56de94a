"""Links to the sandbox's own pages keep working when a saved database reopens on a new port."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from console.sandbox import Sandbox
from tests import builders
from tests.conftest import make_client
from tests.e2e.test_portal_http import configuration, path_of, session_for


def test_invoice_and_login_links_follow_the_sandbox_to_its_new_port(tmp_path: Path) -> None:
    db = str(tmp_path / "sandbox.sqlite3")
    with Sandbox(db) as first:
        client = make_client(first)
        customer = client.v1.customers.create(params={"name": "Ada", "email": "ada@example.com"})
        invoice = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 1500).id)
        config = configuration(client, login_page={"enabled": True})
        old_origin = first.url
    assert invoice.hosted_invoice_url and invoice.hosted_invoice_url.startswith(old_origin)

    with Sandbox(db) as second:
        assert second.url != old_origin
        client = make_client(second)
        again: Any = client.v1.invoices.retrieve(invoice.id)
        listed = client.v1.invoices.list(params={"customer": customer.id}).data
        login = client.v1.billing_portal.configurations.retrieve(config.id).login_page.url
        links = [again.hosted_invoice_url, again.invoice_pdf, listed[0].invoice_pdf, login]
        assert all(str(link).startswith(second.url + "/") for link in links), links
        assert path_of(again.hosted_invoice_url) == path_of(invoice.hosted_invoice_url)
        with httpx.Client(trust_env=False) as http:
            assert http.get(again.hosted_invoice_url).status_code == 200
            pdf = http.get(again.invoice_pdf)
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
            assert http.get(str(login)).status_code == 200
            home = http.get(session_for(client, customer.id, config.id).url)
        assert home.status_code == 200
        assert f'href="{second.url}/i/' in home.text
        assert old_origin not in home.text
