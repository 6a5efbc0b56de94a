"""The hosted customer portal: the pages a ``billing_portal.session`` link opens.

Importing this package mounts every portal page at ``/p`` (one entry in
``console.sandbox.state.registry.PAGE_ROUTES``) and imports each module of the package,
so a page module registers its routes just by existing here.

For page modules (the subscription pages use exactly this):

- ``app.session_route(subpath, handler, methods=("GET",))`` serves
  ``/p/session/{token}<subpath>`` with ``handler(request, portal) -> Response``
  (synchronous). Before the handler runs, the session is opened
  (``session.open_portal``): an unknown link answers 404, a lapsed one 410
  (sandbox clock: 5 min unused, 1 h idle), each request counts as activity, the
  first visit sets the session's ``portal_session_<id>`` cookie, and a POST must carry that
  cookie and the CSRF token (form field ``csrf_token``; templates write
  ``<input type="hidden" name="{{ csrf_field }}" value="{{ csrf_token }}">``).
  The posted form is ``portal.form`` (a ``dict[str, str]``).
- ``session.Portal``: ``portal.call(operation_id, params, **path)`` runs an API
  operation in the session's account (validation, events); ``portal.session``
  (the stored session with its hidden fields), ``portal.configuration``,
  ``portal.customer``, ``portal.brand`` (name, headline, colours, links,
  return_url), ``portal.locale`` (``PageLocale``: ``code``, ``cldr``, ``babel``),
  ``portal.feature(name)`` / ``portal.enabled(name)``, ``portal.flow`` /
  ``portal.flow_pending``, ``portal.base`` and ``portal.url(*parts)`` for links.
- ``session.PortalExit(response)``: raise it to answer at once;
  ``pages.refuse(request, portal)`` makes the 403 for an action the
  configuration doesn't allow (``raise pages.refuse(...)``), ``pages.require``
  checks a feature.
- ``render.render(request, template, context, status=200)`` renders a template
  of ``resources/portal/templates`` in the page's language, with
  ``render.portal_context(request)`` merged in: ``portal``, ``session``,
  ``configuration``, ``features``, ``customer``, ``brand``, ``csrf_token``,
  ``csrf_field``, ``locale``, ``base``. Templates extend ``base.html`` (header,
  notices), use ``_()`` / ``{% trans %}`` for every visible string and the
  filters ``money(currency)``, ``date``, ``datetime`` (CLDR via Babel);
  ``render.gettext(locale, message, **vars)`` translates outside templates and
  ``render.money/date`` format outside them.
- ``pages.finish_flow(request, portal, notice=None) -> Response``: call it when
  an action completes. In a deep-link session it applies ``after_completion``
  (``redirect``, ``hosted_confirmation`` page, ``portal_homepage``) once;
  otherwise it returns to the home page with the notice (a key of
  ``pages.NOTICES``).
- ``pages.FLOW_ENTRIES[flow_type] = lambda portal: url``: where a deep link of
  that ``flow_data.type`` opens (the home page redirects there while the flow is
  pending). ``payment_method_update`` and ``customer_update`` are built in.

Every response under ``/p/`` carries ``X-Frame-Options: DENY``, a CSP with
``frame-ancestors 'none'`` and ``default-src 'self'`` (so no inline scripts or
styles: styles live in ``/p/static/portal.css``, brand colours come from
``/p/brand.css``), and ``Referrer-Policy: no-referrer``; an exception renders the
error page, never a stack trace.
"""

from __future__ import annotations

import importlib
import pkgutil

from console.sandbox.portal.app import mount
from console.sandbox.state.registry import PAGE_ROUTES


def _load_pages() -> None:
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        importlib.import_module(f"{__name__}.{module}")


_load_pages()
PAGE_ROUTES.append(mount())
