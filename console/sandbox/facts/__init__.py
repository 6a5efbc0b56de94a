"""Stripe's facts: errors, the OpenAPI subset, ids, test cards, tax-ID formats, portal rules."""
