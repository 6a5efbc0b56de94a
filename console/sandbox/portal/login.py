"""The no-code login link (``/p/login/{token}``): an email, then a one-time code, then a portal.

Stripe's login page asks for an email and sends a one-time passcode to it; it never says
whether a customer matched, and with several customers on one email it picks the most
recently created one that has an active subscription; a portal opened this way cannot
change the customer's email
(https://docs.stripe.com/customer-management/activate-no-code-customer-portal).

The sandbox sends no email, so the code page shows the code it would have sent in a marked
test-mode panel. Every email gets the same page and a code; for an email no customer has,
no code is ever accepted. A code lives :data:`CODE_TTL` seconds of real time (the sandbox
clock may be far ahead) and survives :data:`MAX_TRIES` wrong guesses, after which a new
code replaces it. Codes live in memory only, bound to the browser's login cookie.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from console.sandbox.facts import ids
from console.sandbox.facts.errors import StripeError
from console.sandbox.facts.spec import JSON
from console.sandbox.http.hosted_urls import rebased
from console.sandbox.portal.app import redirect, route
from console.sandbox.portal.double_submit import FIELD, DoubleSubmit
from console.sandbox.portal.memory import PerStore, Recent
from console.sandbox.portal.render import render
from console.sandbox.portal.session import api_of, brand_for, closing, read_form
from console.sandbox.resources.portal_configurations import resolve_login_token

LOGIN_COOKIE = "portal_login_csrf"
# The login cookie is the forms' double-submit token and names the browser a code belongs to.
LOGIN_CSRF = DoubleSubmit(LOGIN_COOKIE, path="/p/login/")
# Stripe documents neither its passcode's lifetime nor how many guesses it allows: ten
# minutes and five guesses are the usual choices for emailed codes.
CODE_TTL = 600.0
MAX_TRIES = 5
MAX_PENDING = 1000  # codes waiting per sandbox; the oldest go first
CODE_DIGITS = 6
# Subscriptions that make a customer the one a shared email signs in as. Stripe says "an
# active subscription"; whether a trial counts is not documented (we count it).
CURRENT_SUBSCRIPTIONS = ("active", "trialing")
EMAIL_LIMIT = 512

Guess = Literal["right", "wrong", "renewed"]


@dataclass(slots=True)
class LoginCode:
    """One email's pending sign-in: the code, whose browser asked, whom it opens (if anyone)."""

    id: str
    configuration: str
    customer: str | None
    email: str
    browser: str  # the login cookie of the browser that asked
    code: str
    expires_at: float
    tries_left: int


class LoginCodes(Recent[LoginCode]):
    """The pending codes of one sandbox, in memory, oldest first."""

    def __init__(self) -> None:
        super().__init__(MAX_PENDING)

    def start(
        self, configuration: str, customer: str | None, email: str, browser: str
    ) -> LoginCode:
        pending = LoginCode(
            id=ids.new_token(24),
            configuration=configuration,
            customer=customer,
            email=email,
            browser=browser,
            code=_new_code(),
            expires_at=time.monotonic() + CODE_TTL,
            tries_left=MAX_TRIES,
        )
        self.add(pending.id, pending)
        return pending

    def find(self, code_id: str, configuration: str, browser: str) -> LoginCode | None:
        """The live code ``code_id`` of this login page, asked for by this browser."""
        found = self.get(code_id)
        if found is None:
            return None
        if time.monotonic() >= found.expires_at:
            self.pop(code_id)
            return None
        if found.configuration != configuration or not hmac.compare_digest(
            found.browser.encode(), browser.encode()
        ):
            return None
        return found

    def guess(self, pending: LoginCode, code: str) -> Guess:
        """``right`` uses ``pending`` up; a miss costs a try, and the last one a new code."""
        right = hmac.compare_digest(pending.code.encode(), code.encode())
        if right and pending.customer is not None:
            self.pop(pending.id)
            return "right"
        with self.lock:
            pending.tries_left -= 1
            if pending.tries_left > 0:
                return "wrong"
            pending.code = _new_code()
            pending.tries_left = MAX_TRIES
            pending.expires_at = time.monotonic() + CODE_TTL
            return "renewed"


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


codes_of = PerStore(LoginCodes)


# -- the page ------------------------------------------------------------------------------------


def _login_config(request: Request) -> JSON | None:
    token = request.path_params["token"]
    if not token or len(token) > 128:
        return None
    return resolve_login_token(api_of(request).store, token)


def _login_page(request: Request, config: JSON, *, status: int = 200, **context: Any) -> Response:
    # The value stays while the cookie lives, so several tabs keep working.
    browser = LOGIN_CSRF.token(request, keep=True)
    api = api_of(request)
    account = api.store.owner(config["id"]) or api.platform
    response = render(
        request,
        "login.html",
        {"login_csrf": browser, "brand": brand_for(api, account, config), **context},
        status=status,
    )
    return LOGIN_CSRF.set(response, browser)


def _code_page(
    request: Request, config: JSON, pending: LoginCode, *, status: int = 200, **context: Any
) -> Response:
    return _login_page(
        request,
        config,
        status=status,
        step="code",
        attempt=pending.id,
        email=pending.email,
        test_code=pending.code,
        **context,
    )


async def login(request: Request) -> Response:
    config = _login_config(request)
    if config is None:
        unknown = render(request, "expired.html", {"reason": "unknown"}, status=404)
        return closing(unknown) if request.method == "POST" else unknown
    if request.method == "GET":
        return _login_page(request, config)
    form = await read_form(request)
    if form is None:
        return closing(_login_page(request, config, status=413, refused=True))
    if not LOGIN_CSRF.accepts(request, form.get(FIELD, "")):
        return _login_page(request, config, status=403, refused=True)
    cookie = request.cookies[LOGIN_COOKIE]
    if "attempt" in form:
        return _check_code(request, config, form, cookie)
    email = form.get("email", "").strip()
    if not email or "@" not in email or len(email) > EMAIL_LIMIT:
        return _login_page(request, config, status=400, email_error=True, email=email)
    customer = _customer_for(request, config, email)
    pending = codes_of(api_of(request).store).start(config["id"], customer, email, cookie)
    return _code_page(request, config, pending)


def _check_code(request: Request, config: JSON, form: dict[str, str], browser: str) -> Response:
    codes = codes_of(api_of(request).store)
    pending = codes.find(form.get("attempt", ""), config["id"], browser)
    if pending is None:
        return _login_page(request, config, status=400, code_expired=True)
    code = "".join(form.get("code", "").split())
    guess = codes.guess(pending, code)
    if guess != "right":
        return _code_page(
            request,
            config,
            pending,
            status=400,
            code_wrong=guess == "wrong",
            code_renewed=guess == "renewed",
        )
    assert pending.customer is not None  # guess() accepts no code without a customer
    url = _open_session(request, config, pending.customer)
    if url is None:
        return _login_page(request, config, status=400, code_expired=True)
    return redirect(url)


def _customer_for(request: Request, config: JSON, email: str) -> str | None:
    """The customer this email signs in as: the newest with a current subscription, else the
    newest with the email (Stripe's docs don't say what happens when none has one)."""
    api = api_of(request)
    account = api.store.owner(config["id"]) or api.platform
    found = api.call("GetCustomers", {"email": email, "limit": 100}, scope=account)["data"]
    for customer in found:  # newest first
        for status in CURRENT_SUBSCRIPTIONS:
            subscriptions = api.call(
                "GetSubscriptions",
                {"customer": customer["id"], "status": status, "limit": 1},
                scope=account,
            )
            if subscriptions["data"]:
                return str(customer["id"])
    return str(found[0]["id"]) if found else None


def _open_session(request: Request, config: JSON, customer: str) -> str | None:
    """A new session for ``customer``, marked as opened by login; its path, or None if it can't."""
    api = api_of(request)
    account = api.store.owner(config["id"]) or api.platform
    params: JSON = {"customer": customer, "configuration": config["id"]}
    if not config.get("default_return_url"):
        params["return_url"] = rebased(config["login_page"]["url"], api.base_url)
    try:
        session = api.call("PostBillingPortalSessions", params, scope=account)
    except StripeError:
        return None
    with api.store.transaction():
        stored = api.store.get(str(session["id"]))
        if stored is None:
            return None
        # Read by the customer page: a login session can't change the email it signed in with.
        stored["_opened_by_login"] = True
        api.store.save(stored)
    # A path, not the URL: the browser stays on whichever address it reached us by.
    return urlsplit(str(session["url"])).path


route("/login/{token}", login, methods=["GET", "POST"])
