"""The embedded sandbox: a local, stateful server that speaks Stripe's REST API.

It stands in for Stripe, so it imports nothing else from :mod:`console` and
shares none of the console's rules: tests that compare the two prove something
only because they were written apart.
"""

from console.sandbox.network import STRIPE_LIVE, STRIPE_TEST, NetworkProfile
from console.sandbox.serving.server import Sandbox
from console.sandbox.state.database_file import DatabaseUnusableError

__all__ = ["STRIPE_LIVE", "STRIPE_TEST", "DatabaseUnusableError", "NetworkProfile", "Sandbox"]
