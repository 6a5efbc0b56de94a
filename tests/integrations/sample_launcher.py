"""Runs Stripe's checkout-single-subscription sample server, unmodified, against the sandbox.

``python -u -m tests.integrations.sample_launcher SERVER_PY`` with the sample's environment
(``STRIPE_SECRET_KEY``, ``BASIC_PRICE_ID``, ``PRO_PRICE_ID``, ``STATIC_DIR``,
``STRIPE_WEBHOOK_SECRET``) and ``SANDBOX_API_BASE``. It does what a merchant pointing the
sample at another Stripe would do, and no more:

- ``stripe.api_base`` is the sandbox's address (the sample sets only the key and version);
- the sample's module is run with ``runpy`` under a name other than ``__main__`` (so its
  ``app.run(port=4242)`` does not run) and its Flask ``app`` is served on a free loopback
  port, whose address becomes ``DOMAIN``; the first line printed is ``listening PORT``;
- Flask is taught to write a ``StripeObject`` as JSON: the sample pins stripe 14.2.0, whose
  objects were dicts, and its ``/checkout-session`` route hands one to ``jsonify``; under the
  stripe 16 here they are not (``TypeError``), which is the library's change, not the API's.
"""

from __future__ import annotations

import os
import runpy
import sys
from typing import Any

import stripe
from flask import Flask
from werkzeug.serving import make_server


def _json_default(value: Any) -> Any:
    if isinstance(value, stripe.StripeObject):
        return value.to_dict()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def main(server_py: str) -> None:
    stripe.api_base = os.environ["SANDBOX_API_BASE"]
    stripe.enable_telemetry = False
    namespace = runpy.run_path(server_py, run_name="checkout_sample_server")
    app: Flask = namespace["app"]
    app.json.default = _json_default  # type: ignore[attr-defined]  # DefaultJSONProvider's hook
    server = make_server("127.0.0.1", 0, app, threaded=True)
    os.environ["DOMAIN"] = f"http://127.0.0.1:{server.server_port}"
    print(f"listening {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
