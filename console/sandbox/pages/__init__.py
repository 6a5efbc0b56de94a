"""Hosted pages other than the portal: the hosted invoice page and its PDF.

Importing the package registers the pages' routes (``state.registry.PAGE_ROUTES``).
"""

from console.sandbox.pages import invoice

__all__ = ["invoice"]
