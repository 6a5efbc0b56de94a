"""The embedded sandbox: a local, stateful server that speaks Stripe's REST API.

It stands in for Stripe, so it imports nothing else from :mod:`console` and
shares none of the console's rules: tests that compare the two prove something
only because they were written apart.
"""

from console.sandbox.database_file import DatabaseUnusableError
from console.sandbox.network import STRIPE_LIVE, STRIPE_TEST, NetworkProfile
from console.sandbox.server import Sandbox

__all__ = ["STRIPE_LIVE", "STRIPE_TEST", "DatabaseUnusableError", "NetworkProfile", "Sandbox"]
