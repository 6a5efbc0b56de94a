"""The 3-D Secure test page driven over HTTP, as a customer's browser would."""

from __future__ import annotations

import re

import httpx


def authenticate(url: str, outcome: str, *, http: httpx.Client | None = None) -> httpx.Response:
    """Open the challenge at ``url`` and press its "Complete" or "Fail" button (``outcome``);
    the answer to the button (a 303 to the return URL, or a page)."""
    browser = http or httpx.Client()
    try:
        page = browser.get(url)
        assert page.status_code == 200, page.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        action = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert token is not None and action is not None, "the page has no form"
        target = httpx.URL(url).join(action.group(1).replace("&amp;", "&"))
        return browser.post(target, data={"csrf_token": token.group(1), "outcome": outcome})
    finally:
        if http is None:
            browser.close()
