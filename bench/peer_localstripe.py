"""Runs localstripe (the open-source Stripe fake, the peer we compare with) on loopback.

Its own ``localstripe`` command listens on every interface and logs each request to
stderr; the benchmark serves the same aiohttp application on 127.0.0.1 without the
access log, so neither the network nor a terminal slows it. Everything else is as it
ships, including its persistence (the whole store pickled to /tmp after every write).

Installed only into the benchmark environment (``scripts/bench.sh``), never a dependency.
"""

from __future__ import annotations

import argparse

from aiohttp import web
from localstripe.server import app  # type: ignore[import-not-found,unused-ignore]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    ready = f"localstripe listening on http://127.0.0.1:{args.port}"
    web.run_app(
        app,
        host="127.0.0.1",
        port=args.port,
        access_log=None,
        print=lambda *_: print(ready, flush=True),
    )


if __name__ == "__main__":
    main()
