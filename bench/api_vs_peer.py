"""The sandbox's API against localstripe's: the same workload through the official stripe library.

Both servers run as processes of their own on loopback, one after the other, each fresh.
The client is stripe==16.1.0 (the project's pin) with its default synchronous HTTP client;
one client first, then 8 concurrent clients (threads, a client each). Per operation:
throughput (calls a second of wall time), p50 and p99 latency, and sandbox/peer ratios.

localstripe has no Prices API: its subscriptions are created on a Plan (Stripe's older
name for a recurring price, ``items[0][plan]``); the sandbox's on a Price. Both ignore
nothing else the workload sends. stripe 16.1.0 sends API version 2026-10-28.endive to
both; localstripe does not check it.
"""

from __future__ import annotations

import argparse
import http.server
import itertools
import random
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import stripe

from bench.report import Part, Row, latency_spread, ms
from bench.servers import Server, start_localstripe, start_sandbox
from bench.stats import Summary, ratio

stripe.enable_telemetry = False

OPERATIONS = (
    "create customer",
    "retrieve customer",
    "list 100 customers",
    "create subscription",
    "update subscription",
)
CONCURRENCY = 8
TARGET_RATIO = 3.0
TARGET_RETRIEVE_P50_MS = 2.0


def client_for(server: Server) -> stripe.StripeClient:
    return stripe.StripeClient(
        server.api_key, base_addresses={"api": server.url}, max_network_retries=0
    )


@dataclass
class Workload:
    """What one server is asked, and what it has made so far (customers, subscriptions)."""

    server: Server
    plan_param: str = "price"  # "plan" for localstripe
    recurring: str = ""
    customers: list[str] = field(default_factory=list)
    subscriptions: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counter: itertools.count[int] = field(default_factory=itertools.count)

    def setup(self, client: stripe.StripeClient) -> None:
        product = client.v1.products.create(params={"name": "Bench plan"})
        if self.plan_param == "plan":
            self.recurring = client.v1.plans.create(
                params={
                    "product": product.id,
                    "amount": 1500,
                    "currency": "usd",
                    "interval": "month",
                }
            ).id
        else:
            self.recurring = client.v1.prices.create(
                params={
                    "product": product.id,
                    "unit_amount": 1500,
                    "currency": "usd",
                    "recurring": {"interval": "month"},
                }
            ).id
        for n in range(100):  # so that a list of 100 is full from the start
            client.v1.customers.create(params={"email": f"base{n}@example.com"})

    def call(self, operation: str, client: stripe.StripeClient, rng: random.Random) -> None:
        n = next(self.counter)
        if operation == "create customer":
            made = client.v1.customers.create(
                params={"email": f"bench{n}@example.com", "name": f"Bench Customer {n}"}
            )
            with self.lock:
                self.customers.append(made.id)
        elif operation == "retrieve customer":
            client.v1.customers.retrieve(rng.choice(self.customers))
        elif operation == "list 100 customers":
            page = client.v1.customers.list(params={"limit": 100})
            if len(page.data) != 100:
                raise RuntimeError(f"{self.server.name} listed {len(page.data)}, not 100")
        elif operation == "create subscription":
            with self.lock:
                customer = self.customers.pop()
            # "plan" is the legacy key localstripe needs; stripe's types know "price" only.
            params: Any = {
                "customer": customer,
                "items": [{self.plan_param: self.recurring}],
                "trial_period_days": 14,
            }
            subscription = client.v1.subscriptions.create(params=params)
            with self.lock:
                self.subscriptions.append(subscription.id)
        elif operation == "update subscription":
            client.v1.subscriptions.update(
                rng.choice(self.subscriptions), params={"metadata": {"bench": str(n)}}
            )
        else:
            raise ValueError(operation)


@dataclass(frozen=True)
class Measured:
    latencies_ms: list[float]
    wall_s: float

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.wall_s

    @property
    def summary(self) -> Summary:
        return Summary.of(self.latencies_ms)


def run_operation(
    workload: Workload, operation: str, calls: int, clients: list[stripe.StripeClient]
) -> Measured:
    """``calls`` calls of ``operation`` shared out among ``clients`` (a thread each)."""
    latencies: list[float] = []
    remaining = itertools.count()
    errors: list[BaseException] = []

    def worker(client: stripe.StripeClient, seed: int) -> None:
        rng = random.Random(seed)
        mine: list[float] = []
        try:
            while next(remaining) < calls:
                started = time.perf_counter()
                workload.call(operation, client, rng)
                mine.append((time.perf_counter() - started) * 1000)
        except BaseException as error:
            errors.append(error)
        latencies.extend(mine)

    threads = [
        threading.Thread(target=worker, args=(client, seed), daemon=True)
        for seed, client in enumerate(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{workload.server.name}, {operation}: {errors[0]!r}") from errors[0]
    return Measured(latencies, wall)


def measure_server(server: Server, plan_param: str, calls: int) -> dict[str, dict[int, Measured]]:
    """Every operation, with one client and then with CONCURRENCY clients."""
    workload = Workload(server, plan_param=plan_param)
    first = client_for(server)
    workload.setup(first)
    results: dict[str, dict[int, Measured]] = {op: {} for op in OPERATIONS}
    for clients in (1, CONCURRENCY):
        pool = [first] if clients == 1 else [client_for(server) for _ in range(clients)]
        # Warm the connections and both servers' caches; not measured.
        for client in pool:
            client.v1.customers.list(params={"limit": 1})
        for operation in OPERATIONS:
            results[operation][clients] = run_operation(workload, operation, calls, pool)
            print(
                f"  {server.name:11} {operation:20} {clients} client(s): "
                f"{results[operation][clients].throughput:8.0f}/s, "
                f"p50 {results[operation][clients].summary.median:.2f} ms",
                flush=True,
            )
    return results


Results = dict[str, dict[str, dict[int, Measured]]]


def table(part: Part, results: Results, calls: int) -> None:
    ours, peer = results["sandbox"], results["localstripe"]
    for operation in OPERATIONS:
        for clients in (1, CONCURRENCY):
            a, b = ours[operation][clients], peer[operation][clients]
            times = ratio(a.throughput, b.throughput)
            who = "1 client" if clients == 1 else f"{clients} clients"
            part.add(
                Row(
                    what=f"{operation}, {who}: throughput sandbox / localstripe",
                    value=f"{a.throughput:,.0f} / {b.throughput:,.0f} calls/s = {times:.1f}x",
                    spread=(
                        f"p50 {ms(a.summary.median)} / {ms(b.summary.median)}; "
                        f"p99 {ms(a.summary.p99)} / {ms(b.summary.p99)}"
                    ),
                    reps=f"{calls} calls each",
                    target=f">= {TARGET_RATIO:.0f}x the peer",
                    met=times is not None and times >= TARGET_RATIO,
                    data={
                        "operation": operation,
                        "clients": clients,
                        "sandbox": _json(a),
                        "localstripe": _json(b),
                        "ratio": times,
                    },
                )
            )
    retrieve = ours["retrieve customer"][1].summary
    part.add(
        Row(
            what="retrieve customer p50 latency, sandbox, 1 client",
            value=ms(retrieve.median),
            spread=latency_spread(retrieve),
            reps=f"{calls} calls",
            target=f"< {TARGET_RETRIEVE_P50_MS:.0f} ms",
            met=retrieve.median < TARGET_RETRIEVE_P50_MS,
            data=retrieve.as_json(),
        )
    )


def _json(measured: Measured) -> dict[str, Any]:
    return {"throughput": measured.throughput, "wall_s": measured.wall_s} | (
        measured.summary.as_json()
    )


def _client_floor(calls: int) -> Summary:
    """What the stripe library itself costs per call (a server that answers at once)."""
    body = b'{"id": "cus_x", "object": "customer"}'

    class Instant(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes: without this, delayed ACKs add 40 ms.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Instant)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = stripe.StripeClient(
            "sk_test_floor", base_addresses={"api": f"http://127.0.0.1:{server.server_port}"}
        )
        samples = []
        for _ in range(calls):
            started = time.perf_counter()
            client.v1.customers.retrieve("cus_x")
            samples.append((time.perf_counter() - started) * 1000)
    finally:
        server.shutdown()
    return Summary.of(samples)


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=500, help="calls per operation and setting")
    args = parser.parse_args(argv)
    part = Part("api", "Sandbox API vs localstripe (stripe 16.1.0 client, loopback)")
    part.settings = {"calls per operation": args.calls, "concurrent clients": CONCURRENCY}
    results: Results = {}
    with (
        tempfile.TemporaryDirectory(prefix="bench-api-") as folder,
        start_sandbox(Path(folder) / "api.sqlite3") as sandbox,
    ):
        results["sandbox"] = measure_server(sandbox, "price", args.calls)
    with start_localstripe() as peer:
        results["localstripe"] = measure_server(peer, "plan", args.calls)
    Path("/tmp/localstripe.pickle").unlink(missing_ok=True)  # the peer's store, ours to clean
    table(part, results, args.calls)
    floor = _client_floor(args.calls)
    part.raw["client_floor_ms"] = floor.as_json()
    part.notes += [
        "Client and server share the machine's cores; each call's latency includes the stripe "
        f"library's own work: against a server that answers at once, retrieve takes p50 "
        f"{ms(floor.median)} (the floor under every figure here).",
        "localstripe pickles its whole store to /tmp after every write, so its writes slow down "
        "as it fills; the sandbox commits each request to SQLite (WAL).",
        "localstripe subscriptions use a Plan (it has no Prices API), the sandbox's a Price.",
        f"Both servers start empty and get the same calls in the same order: each ends with "
        f"{100 + 2 * args.calls:,} customers and {2 * args.calls:,} subscriptions, so a peer "
        "whose work grows with its data (localstripe scans and pickles its whole store) falls "
        "further behind the more calls a run makes.",
    ]
    path = part.finish()
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main()
