"""The console's only door to Stripe: ``Gateway`` (async) and the values it returns (``models``)."""
