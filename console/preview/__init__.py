"""The branding preview (``branding``): the portal page a customer would see, rendered by the
built-in sandbox for a made-up customer, with any account's branding."""
