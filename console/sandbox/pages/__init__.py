"""Hosted pages other than the portal: the hosted invoice page and its PDF, the hosted checkout
page, the payment link page and the 3-D Secure test page.

Importing the package registers the pages' routes (``state.registry.PAGE_ROUTES``).
"""

from console.sandbox.pages import checkout, invoice, payment_link, three_d_secure

__all__ = ["checkout", "invoice", "payment_link", "three_d_secure"]
