"""Serving the sandbox: the ASGI server, its Host check and body limits."""
