"""``Gateway``: the console's async client for one Stripe account (or one connected account).

It is the only place that touches the ``stripe`` library. Every call goes through
``_send``, which paces requests (the account's RequestBudget: by endpoint, interactive before
background), retries what is safe to retry
(429, 5xx, lost connections; ``Retry-After`` honoured; the same ``Idempotency-Key``
on every attempt of a POST), and turns stripe's exceptions into ``console.errors``.
Answers come back as the frozen values of ``console.gateway.models``.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

import httpx
import stripe

from console.errors import ConsoleError, NetworkError, StripeApiError
from console.gateway import models
from console.gateway.budget import (
    LIVE_MODE_LIMITS,
    TEST_MODE_LIMITS,
    Priority,
    RequestBudget,
    StripeLimits,
    endpoint_of,
)
from console.gateway.catalogue import CatalogueCalls
from console.gateway.models import (
    Account,
    BrandImage,
    ConnectedAccount,
    Customer,
    Event,
    Invoice,
    Page,
    PaymentMethod,
    PortalConfigurationRecord,
    PortalSession,
    Subscription,
    TaxId,
)
from console.gateway.pacing import RetryPolicy
from console.i18n import _
from console.redaction import redact_key, redact_keys

Options = stripe.RequestOptions

# stripe 16 otherwise writes ~/.config/stripe/telemetry_id and sends it along.
stripe.enable_telemetry = False
# Its debug output holds whole response bodies (customer data).
logging.getLogger("stripe").setLevel(logging.WARNING)

log = logging.getLogger(__name__)

T = TypeVar("T")

STRIPE_API_ORIGIN = ("https", "api.stripe.com", 443)
STRIPE_FILES_ORIGIN = ("https", "files.stripe.com", 443)
BRAND_IMAGE_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
}
MAX_BRAND_IMAGE_BYTES = 512 * 1024  # Stripe's limit for business_icon / business_logo uploads

SUBSCRIPTION_EXPANDS = [
    "data.items.data.price.product",
    "data.default_payment_method",
    "data.discounts",
]


class _HasToDict(Protocol):
    def to_dict(self, recursive: bool = True, for_json: bool = False) -> dict[str, Any]: ...


def _untyped(params: dict[str, Any]) -> Any:
    """Stripe types each operation's params as its own TypedDict; ours are built at run time."""
    return params


def _json(obj: _HasToDict) -> dict[str, Any]:
    return obj.to_dict()


def is_live_key(api_key: str) -> bool:
    return api_key.startswith(("sk_live_", "rk_live_"))


class Gateway(CatalogueCalls):
    """One Stripe account (``stripe_account`` set: one of its connected accounts).

    Use ``async with Gateway(key) as gateway`` or call ``aclose()``. Cancelling a call
    cancels its HTTP request; the client stays usable.
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        stripe_account: str | None = None,
        retry: RetryPolicy | None = None,
        requests_per_second: float | None = None,
        budget: RequestBudget | None = None,
        background_share: float = 0.5,
        timeout: float = 30.0,
    ) -> None:
        self.livemode = is_live_key(api_key)
        self.key_hint = redact_key(api_key)
        # For the one request the stripe library cannot make: a file's contents (see
        # download_file). Never in repr, logs or errors; only key_hint is shown.
        self._api_key = api_key
        self._timeout = timeout
        self.base_url = base_url
        self.stripe_account = stripe_account
        self.retry = retry or RetryPolicy()
        self._http = stripe.HTTPXClient(timeout=timeout)
        self._stripe = stripe.StripeClient(
            api_key,
            base_addresses={"api": base_url, "files": base_url} if base_url else {},
            http_client=self._http,
            max_network_retries=0,  # we retry ourselves, with pacing and our own keys
        )
        if budget is not None:
            self.budget = budget
        elif requests_per_second is not None:
            # A flat pace for every endpoint and priority (tests, benchmarks, local sandboxes).
            flat = StripeLimits(
                requests_per_second, requests_per_second, requests_per_second, requests_per_second
            )
            self.budget = RequestBudget(flat, background_share=1.0)
        else:
            limits = LIVE_MODE_LIMITS if self.livemode else TEST_MODE_LIMITS
            self.budget = RequestBudget(limits, background_share=background_share)
        # Interactive: someone waits for the answer. The index sync works on a background()
        # copy, which gets at most its share of the limits and goes after interactive requests.
        self.priority: Priority = "interactive"
        self._owns_http = True
        # The key of a change whose outcome is unknown (every answer lost, or 5xx/429 to the
        # end), by what the change was: asking for the same change again reuses it, so Stripe
        # applies it at most once even when the user retries after a network error.
        self._unsettled_keys: dict[str, str] = {}
        self.attempts = 0  # HTTP attempts made, retries included (for tests and diagnostics)

    def __repr__(self) -> str:
        on_behalf = f", stripe_account={self.stripe_account!r}" if self.stripe_account else ""
        where = f", base_url={self.base_url!r}" if self.base_url else ""
        return f"Gateway({self.key_hint}{where}{on_behalf})"

    async def __aenter__(self) -> Gateway:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.close_async()  # type: ignore[no-untyped-call]  # untyped in stripe

    def background(self) -> Gateway:
        """The same connection and budget, for work nobody waits on (the index sync): it takes
        at most the background share of Stripe's limits and yields to interactive requests."""
        other = copy.copy(self)
        other.priority = "background"
        other._owns_http = False
        return other

    def for_connected_account(self, account_id: str | None) -> Gateway:
        """The same connection and pacing, acting on behalf of a connected account."""
        other = copy.copy(self)
        other.stripe_account = account_id
        other._owns_http = False
        return other

    # --- the one way out ---------------------------------------------------------------------

    def _options(self, *, connected: bool = True) -> Options:
        options: Options = {}
        if connected and self.stripe_account:
            options["stripe_account"] = self.stripe_account
        return options

    async def _send(
        self,
        call: Callable[[Options], Awaitable[T]],
        *,
        endpoint: str,
        post: bool = False,
        connected: bool = True,
        change: tuple[object, ...] = (),
    ) -> T:
        """``endpoint`` (``GET /v1/customers/{id}``) is what Stripe's per-endpoint limit counts;
        ``change`` (for a POST) says what is changed: operation, ids and parameters."""
        options = self._options(connected=connected)
        unsettled = key = ""
        if post:
            # One key for every attempt: Stripe then applies the change at most once.
            unsettled = _fingerprint(self.stripe_account if connected else None, change)
            key = self._unsettled_keys.pop(unsettled, "") or str(uuid.uuid4())
            options["idempotency_key"] = key
        retries = 0
        while True:
            await self.budget.acquire(endpoint, self.priority)
            self.attempts += 1
            try:
                return await call(options)
            except stripe.StripeError as error:
                if error.http_status == 429:
                    self.budget.throttled(endpoint, self.priority)
                wait = self._retry_wait(error, retries)
                if wait is None:
                    if post and change and _outcome_unknown(error):
                        self._unsettled_keys[unsettled] = key
                    raise _console_error(error, retries) from None
            retries += 1
            log.info("Retrying a Stripe request in %.2f s (retry %d)", wait, retries)
            await asyncio.sleep(wait)

    def _retry_wait(self, error: stripe.StripeError, retries_done: int) -> float | None:
        """Seconds to wait before trying again, or None when this error is final."""
        status = error.http_status or 0
        patient = status == 429 and self.priority == "background"
        limit = self.retry.max_throttled_background_retries if patient else self.retry.max_retries
        if retries_done >= limit:
            return None
        headers = {k.lower(): v for k, v in (error.headers or {}).items()}
        should_retry = headers.get("stripe-should-retry")
        if should_retry == "false":
            return None
        retryable = (
            isinstance(error, stripe.APIConnectionError)
            or status == 429
            or status >= 500
            or should_retry == "true"
        )
        if not retryable:
            return None
        return self.retry.delay(retries_done + 1, headers.get("retry-after"))

    async def _list_json(self, path: str, params: dict[str, Any]) -> Mapping[str, Any]:
        """``GET path`` (a list) as Stripe sent it: decoded JSON, no StripeObjects.

        For the lists the index sync reads by the hundred: turning a page of 100 customers
        (or customer events) into StripeObjects and back into dicts is ~15 ms of pure Python
        on the event loop's thread, a stall the user feels while a full sync walks a million
        customers. The request, its errors and so ``_send``'s retries and pacing are those of
        the typed ``list_async`` calls; stripe decodes the JSON (under a millisecond a page).
        """
        response = await self._send(
            lambda o: self._stripe.raw_request_async("get", path, **params, **o),
            endpoint=endpoint_of("GET", path),
        )
        listed: Mapping[str, Any] = response.data
        return listed

    # --- account and Connect -----------------------------------------------------------------

    async def retrieve_account(self) -> Account:
        account = await self._send(
            lambda o: self._stripe.v1.accounts.retrieve_current_async(options=o),
            endpoint="GET /v1/account",
        )
        return models.account_from_json(_json(account))

    async def probe_livemode(self) -> bool | None:
        """Whether Stripe says this key is live, from the ``livemode`` of an object it answers.

        The account object itself carries no ``livemode``; a customer, an event or a portal
        configuration does. None when the account has none of them yet (or the key may not
        read them).
        """
        probes: tuple[tuple[str, Callable[[Options], Awaitable[Any]]], ...] = (
            (
                "GET /v1/customers",
                lambda o: self._stripe.v1.customers.list_async(params={"limit": 1}, options=o),
            ),
            (
                "GET /v1/events",
                lambda o: self._stripe.v1.events.list_async(params={"limit": 1}, options=o),
            ),
            (
                "GET /v1/billing_portal/configurations",
                lambda o: self._stripe.v1.billing_portal.configurations.list_async(
                    params={"limit": 1}, options=o
                ),
            ),
        )
        for endpoint, probe in probes:
            try:
                page = await self._send(probe, endpoint=endpoint)
            except StripeApiError as error:
                if error.type == "permission_error" or error.http_status == 403:
                    continue  # a restricted key without this permission
                raise
            if page.data:
                return bool(page.data[0].livemode)
        return None

    async def list_connected_accounts(
        self, *, limit: int = 100, starting_after: str | None = None
    ) -> Page[ConnectedAccount]:
        params: dict[str, Any] = {"limit": limit}
        if starting_after:
            params["starting_after"] = starting_after
        page = await self._send(
            lambda o: self._stripe.v1.accounts.list_async(params=_untyped(params), options=o),
            connected=False,
            endpoint="GET /v1/accounts",
        )
        return Page(
            tuple(models.connected_account_from_json(_json(a)) for a in page.data), page.has_more
        )

    # --- branding: the account as Stripe sent it, and its image files ------------------------

    async def retrieve_account_json(self) -> dict[str, Any]:
        """``GET /v1/account`` as Stripe sent it (``settings.branding``, ``business_profile``)."""
        account = await self._send(
            lambda o: self._stripe.v1.accounts.retrieve_current_async(options=o),
            endpoint="GET /v1/account",
        )
        return _json(account)

    async def download_file(self, file_id: str) -> BrandImage | None:
        """The image file ``file_id`` (a branding icon or logo), or None when there is no such
        file or it is not a PNG, JPEG or GIF.

        The File object comes through the stripe library (with ``Stripe-Account`` on Connect);
        its contents from the file's ``url`` (files.stripe.com at Stripe, which wants the key;
        the sandbox's own address there), at most ``MAX_BRAND_IMAGE_BYTES``.
        """
        try:
            found = await self._send(
                lambda o: self._stripe.v1.files.retrieve_async(file_id, options=o),
                endpoint="GET /v1/files/{id}",
            )
        except StripeApiError as error:
            if error.http_status == 404:
                return None  # deleted or expired: the page then shows no image
            raise
        described = _json(found)
        media_type = BRAND_IMAGE_TYPES.get(str(described.get("type") or "").lower())
        url = described.get("url")
        if media_type is None or not isinstance(url, str) or not url:
            return None
        return BrandImage(media_type, await self._download_contents(file_id, url))

    async def _download_contents(self, file_id: str, url: str) -> bytes:
        # A url on another origin is fetched WITHOUT the key rather than refused: the key is
        # what must not travel, and an image someone made public elsewhere (a CDN) is still
        # worth showing. Redirects are not followed, so the key cannot be led off its origin.
        headers = {"User-Agent": "PortalConsole"}
        if key_may_go_to(url, self.base_url):
            headers["Authorization"] = f"Bearer {self._api_key}"
            if self.stripe_account:
                headers["Stripe-Account"] = self.stripe_account
        await self.budget.acquire("GET /v1/files/{id}/contents", self.priority)
        self.attempts += 1
        try:
            async with (
                httpx.AsyncClient(timeout=self._timeout, follow_redirects=False) as http,
                http.stream("GET", url, headers=headers) as response,
            ):
                if response.status_code != 200:
                    body = await response.aread()
                    raise _download_error(file_id, response.status_code, response.headers, body)
                data = bytearray()
                async for chunk in response.aiter_bytes():
                    data += chunk
                    if len(data) > MAX_BRAND_IMAGE_BYTES:
                        raise ConsoleError(
                            f"The file {file_id} is larger than "
                            f"{MAX_BRAND_IMAGE_BYTES // 1024} KB, Stripe's limit for branding "
                            "images; it is left out.",
                            code="file_too_large",
                        )
        except httpx.HTTPError as error:
            raise NetworkError(type(error).__name__) from None
        return bytes(data)

    # --- customers ---------------------------------------------------------------------------

    async def list_customers(
        self,
        *,
        limit: int = 100,
        starting_after: str | None = None,
        email: str | None = None,
        created_gte: int | None = None,
        created_lt: int | None = None,
    ) -> Page[Customer]:
        """Newest first, like Stripe; pass the page's ``next_cursor`` to get the next one.

        ``created_gte``/``created_lt`` keep to customers created in that range (Unix seconds).
        """
        params: dict[str, Any] = {"limit": limit}
        if starting_after:
            params["starting_after"] = starting_after
        if email:
            params["email"] = email
        params.update(_created_filter(created_gte, created_lt))
        listed = await self._list_json("/v1/customers", params)
        return await asyncio.to_thread(_customer_page, listed)

    async def retrieve_customer(self, customer_id: str) -> Customer:
        customer = await self._send(
            lambda o: self._stripe.v1.customers.retrieve_async(customer_id, options=o),
            endpoint="GET /v1/customers/{id}",
        )
        return models.customer_from_json(_json(customer))

    async def search_customers(self, query: str, *, limit: int = 20) -> tuple[Customer, ...]:
        """Stripe's search (``email:'x'``, ``name~'x'``): may lag writes by a minute on Stripe."""
        params: dict[str, Any] = {"query": query, "limit": limit}
        found = await self._send(
            lambda o: self._stripe.v1.customers.search_async(params=_untyped(params), options=o),
            endpoint="GET /v1/customers/search",
        )
        return tuple(models.customer_from_json(_json(c)) for c in found.data)

    async def estimate_customer_count(self) -> int | None:
        """How many customers there are, from search's ``total_count`` (None if unavailable)."""
        return await self._estimate_count(
            lambda params, o: self._stripe.v1.customers.search_async(params=params, options=o),
            "GET /v1/customers/search",
        )

    async def _estimate_count(
        self, search: Callable[[Any, Options], Awaitable[_HasToDict]], endpoint: str
    ) -> int | None:
        """Search's ``total_count`` over everything (``created>0``); None if unavailable."""
        params: dict[str, Any] = {"query": "created>0", "limit": 1, "expand": ["total_count"]}
        try:
            found = await self._send(lambda o: search(_untyped(params), o), endpoint=endpoint)
        except StripeApiError:
            return None  # search is not offered everywhere (e.g. some regions, restricted keys)
        total = _json(found).get("total_count")
        return int(total) if total is not None else None

    async def _customer_with_default_payment_method(self, customer_id: str) -> dict[str, Any]:
        params: dict[str, Any] = {"expand": ["invoice_settings.default_payment_method"]}
        customer = await self._send(
            lambda o: self._stripe.v1.customers.retrieve_async(
                customer_id, params=_untyped(params), options=o
            ),
            endpoint="GET /v1/customers/{id}",
        )
        return _json(customer)

    # --- a customer's billing ----------------------------------------------------------------

    async def list_subscriptions(self, customer_id: str) -> tuple[Subscription, ...]:
        """Every subscription of the customer (any status), with prices, products and PMs."""
        params: dict[str, Any] = {
            "customer": customer_id,
            "status": "all",
            "limit": 100,
            "expand": SUBSCRIPTION_EXPANDS,
        }
        subscriptions_call = self._send(
            lambda o: self._stripe.v1.subscriptions.list_async(params=_untyped(params), options=o),
            endpoint="GET /v1/subscriptions",
        )
        page, customer = await asyncio.gather(
            subscriptions_call, self._customer_with_default_payment_method(customer_id)
        )
        default_pm = (customer.get("invoice_settings") or {}).get("default_payment_method")
        default_type = default_pm.get("type") if isinstance(default_pm, Mapping) else None
        return tuple(models.subscription_from_json(_json(s), default_type) for s in page.data)

    async def list_subscriptions_page(
        self,
        *,
        limit: int = 100,
        starting_after: str | None = None,
        created_gte: int | None = None,
        created_lt: int | None = None,
    ) -> Page[Subscription]:
        """Every customer's subscriptions (any status), newest first, a page at a time, for the
        subscriptions index: prices as listed (product ids, no names), and the default payment
        method's type, the subscription's own or else its customer's (expanded: four levels,
        Stripe's most)."""
        params: dict[str, Any] = {
            "limit": limit,
            "status": "all",
            "expand": [
                "data.default_payment_method",
                "data.customer.invoice_settings.default_payment_method",
            ],
        }
        if starting_after:
            params["starting_after"] = starting_after
        params.update(_created_filter(created_gte, created_lt))
        listed = await self._list_json("/v1/subscriptions", params)
        return await asyncio.to_thread(_subscription_page, listed)

    async def estimate_subscription_count(self) -> int | None:
        """How many subscriptions there are (search's ``total_count``; None if unavailable)."""
        return await self._estimate_count(
            lambda params, o: self._stripe.v1.subscriptions.search_async(params=params, options=o),
            "GET /v1/subscriptions/search",
        )

    async def list_invoices(
        self, customer_id: str, *, limit: int = 100, starting_after: str | None = None
    ) -> Page[Invoice]:
        params: dict[str, Any] = {"customer": customer_id, "limit": limit}
        if starting_after:
            params["starting_after"] = starting_after
        page = await self._send(
            lambda o: self._stripe.v1.invoices.list_async(params=_untyped(params), options=o),
            endpoint="GET /v1/invoices",
        )
        return Page(tuple(models.invoice_from_json(_json(i)) for i in page.data), page.has_more)

    async def list_payment_methods(self, customer_id: str) -> tuple[PaymentMethod, ...]:
        """The customer's payment methods; ``is_default`` marks the invoice default."""
        params: dict[str, Any] = {"limit": 100}
        methods_call = self._send(
            lambda o: self._stripe.v1.customers.payment_methods.list_async(
                customer_id,
                params=_untyped(params),
                options=o,
            ),
            endpoint="GET /v1/customers/{id}/payment_methods",
        )
        retrieve_call = self._send(
            lambda o: self._stripe.v1.customers.retrieve_async(customer_id, options=o),
            endpoint="GET /v1/customers/{id}",
        )
        page, customer = await asyncio.gather(methods_call, retrieve_call)
        default_id = models.customer_from_json(_json(customer)).default_payment_method_id
        return tuple(models.payment_method_from_json(_json(pm), default_id) for pm in page.data)

    async def list_tax_ids(self, customer_id: str) -> tuple[TaxId, ...]:
        params: dict[str, Any] = {"limit": 100}
        page = await self._send(
            lambda o: self._stripe.v1.customers.tax_ids.list_async(
                customer_id,
                params=_untyped(params),
                options=o,
            ),
            endpoint="GET /v1/customers/{id}/tax_ids",
        )
        return tuple(models.tax_id_from_json(_json(t)) for t in page.data)

    # --- the customer portal -----------------------------------------------------------------

    async def list_portal_configurations(
        self, *, limit: int = 100, starting_after: str | None = None
    ) -> Page[PortalConfigurationRecord]:
        params: dict[str, Any] = {"limit": limit}
        if starting_after:
            params["starting_after"] = starting_after
        page = await self._send(
            lambda o: self._stripe.v1.billing_portal.configurations.list_async(
                params=_untyped(params),
                options=o,
            ),
            endpoint="GET /v1/billing_portal/configurations",
        )
        return Page(
            tuple(models.portal_configuration_from_json(_json(c)) for c in page.data),
            page.has_more,
        )

    async def retrieve_portal_configuration(
        self, configuration_id: str
    ) -> PortalConfigurationRecord:
        found = await self._send(
            lambda o: self._stripe.v1.billing_portal.configurations.retrieve_async(
                configuration_id,
                options=o,
            ),
            endpoint="GET /v1/billing_portal/configurations/{id}",
        )
        return models.portal_configuration_from_json(_json(found))

    async def create_portal_configuration(
        self, params: Mapping[str, Any]
    ) -> PortalConfigurationRecord:
        sent = dict(params)
        made = await self._send(
            lambda o: self._stripe.v1.billing_portal.configurations.create_async(
                params=_untyped(sent),
                options=o,
            ),
            post=True,
            change=("create_portal_configuration", sent),
            endpoint="POST /v1/billing_portal/configurations",
        )
        return models.portal_configuration_from_json(_json(made))

    async def update_portal_configuration(
        self, configuration_id: str, params: Mapping[str, Any]
    ) -> PortalConfigurationRecord:
        sent = dict(params)
        updated = await self._send(
            lambda o: self._stripe.v1.billing_portal.configurations.update_async(
                configuration_id,
                params=_untyped(sent),
                options=o,
            ),
            post=True,
            change=("update_portal_configuration", configuration_id, sent),
            endpoint="POST /v1/billing_portal/configurations/{id}",
        )
        return models.portal_configuration_from_json(_json(updated))

    async def create_portal_session(self, params: Mapping[str, Any]) -> PortalSession:
        """A session URL is a credential: the returned value's repr leaves it out."""
        sent = dict(params)
        made = await self._send(
            lambda o: self._stripe.v1.billing_portal.sessions.create_async(
                params=_untyped(sent),
                options=o,
            ),
            post=True,
            change=("create_portal_session", sent),
            endpoint="POST /v1/billing_portal/sessions",
        )
        return models.portal_session_from_json(_json(made))

    # --- events ------------------------------------------------------------------------------

    async def list_events(
        self,
        *,
        types: Sequence[str] = (),
        created_gte: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        limit: int = 100,
    ) -> Page[Event]:
        """Newest first. ``ending_before`` pages towards newer events, ``starting_after`` older."""
        params: dict[str, Any] = {"limit": limit}
        if types:
            params["types"] = list(types)
        if created_gte is not None:
            params["created"] = {"gte": created_gte}
        if starting_after:
            params["starting_after"] = starting_after
        if ending_before:
            params["ending_before"] = ending_before
        listed = await self._list_json("/v1/events", params)
        return await asyncio.to_thread(_event_page, listed)


def _created_filter(created_gte: int | None, created_lt: int | None) -> dict[str, Any]:
    """A list's ``created`` range parameter, or nothing when neither bound is given."""
    created = {
        bound: value
        for bound, value in (("gte", created_gte), ("lt", created_lt))
        if value is not None
    }
    return {"created": created} if created else {}


def _customer_page(listed: Mapping[str, Any]) -> Page[Customer]:
    """A ``/v1/customers`` list answer (decoded JSON) as a page of customers."""
    customers = tuple(models.customer_from_json(c) for c in listed.get("data") or ())
    return Page(customers, bool(listed.get("has_more")))


def _subscription_page(listed: Mapping[str, Any]) -> Page[Subscription]:
    """A ``/v1/subscriptions`` list answer with the customers expanded, as a page."""
    found = []
    for data in listed.get("data") or ():
        customer = data.get("customer")
        settings = (customer.get("invoice_settings") or {}) if isinstance(customer, Mapping) else {}
        default_pm = settings.get("default_payment_method")
        default_type = default_pm.get("type") if isinstance(default_pm, Mapping) else None
        found.append(models.subscription_from_json(data, default_type))
    return Page(tuple(found), bool(listed.get("has_more")))


def _event_page(listed: Mapping[str, Any]) -> Page[Event]:
    """A ``/v1/events`` list answer (decoded JSON) as a page of events."""
    events = tuple(models.event_from_json(e) for e in listed.get("data") or ())
    return Page(events, bool(listed.get("has_more")))


def key_may_go_to(url: str, base_url: str | None) -> bool:
    """Whether the account's key may be sent to ``url``: only to the account's own API origin
    (``base_url``; without one, Stripe's API and files hosts). Scheme, host and port count."""
    target = _origin(url)
    allowed = {_origin(base_url)} if base_url else {STRIPE_API_ORIGIN, STRIPE_FILES_ORIGIN}
    return target is not None and target in allowed


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of ``url``; the host as parsed, so ``https://api.stripe.com@x``
    is x's origin."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80)


def _download_error(
    file_id: str, status: int, headers: Mapping[str, str], body: bytes
) -> ConsoleError:
    """A refused download, with Stripe's error fields when the answer carries them."""
    request_id = headers.get("request-id")
    try:
        error = json.loads(body)["error"]
        message = str(error.get("message") or "")
    except (ValueError, KeyError, TypeError, AttributeError):
        error, message = {}, ""
    return StripeApiError(
        message or f"The file {file_id} could not be downloaded (HTTP {status}).",
        type=str(error.get("type") or "api_error"),
        code=error.get("code"),
        param=error.get("param"),
        request_id=request_id,
        http_status=status,
    )


def _fingerprint(account: str | None, change: tuple[object, ...]) -> str:
    text = json.dumps([account, *change], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _outcome_unknown(error: stripe.StripeError) -> bool:
    """Whether Stripe may have applied the change although we got no success back (a 429 or
    a 4xx was refused before anything changed)."""
    status = error.http_status or 0
    return isinstance(error, stripe.APIConnectionError) or status >= 500


def _console_error(error: stripe.StripeError, retries: int) -> ConsoleError:
    """Our error for stripe's: Stripe's type, code, param, message and request id kept."""
    if isinstance(error, stripe.APIConnectionError):
        detail = error.user_message or _("the connection failed")
        if retries:
            detail = _("%(detail)s, after %(count)d attempts") % {
                "detail": detail,
                "count": retries + 1,
            }
        return NetworkError(detail)
    body = error.error
    status = error.http_status
    message = (body.message if body and body.message else None) or error.user_message or ""
    if not message:
        message = _("Stripe answered HTTP %(status)s") % {"status": status}
    if retries and (status == 429 or (status or 0) >= 500):
        message = _("%(message)s (gave up after %(count)d attempts)") % {
            "message": message,
            "count": retries + 1,
        }
    return StripeApiError(
        message,
        type=(body.type if body and body.type else None) or _type_of(error),
        code=(body.code if body else None) or error.code,
        # Stripe names a bad metadata key in ``param``: a key pasted there must not be shown.
        param=redact_keys(body.param) if body and body.param else None,
        request_id=error.request_id,
        http_status=status,
        decline_code=body.decline_code if body else None,
    )


_ERROR_TYPES: dict[type[stripe.StripeError], str] = {
    stripe.AuthenticationError: "authentication_error",
    stripe.PermissionError: "permission_error",
    stripe.RateLimitError: "rate_limit_error",
    stripe.CardError: "card_error",
    stripe.IdempotencyError: "idempotency_error",
    stripe.InvalidRequestError: "invalid_request_error",
}


def _type_of(error: stripe.StripeError) -> str:
    """Stripe's error type when the body did not say (an answer that was not JSON)."""
    return _ERROR_TYPES.get(type(error), "api_error")
