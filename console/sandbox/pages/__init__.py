"""Hosted pages other than the portal: the hosted invoice page and its PDF, the hosted checkout
page and the payment link page.

Importing the package registers the pages' routes (``state.registry.PAGE_ROUTES``).
"""

from console.sandbox.pages import checkout, invoice, payment_link

__all__ = ["checkout", "invoice", "payment_link"]
