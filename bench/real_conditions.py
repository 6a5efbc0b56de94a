"""The console under Stripe's real conditions: the sandbox's Stripe-like network profile.

The sandbox runs as ``portal-console sandbox --network stripe-test --latency-ms N
--latency-per-item-ms 0``: every answer, a page of 100 as a retrieve, takes about N ms
(lognormal), and Stripe's rate limits answer 429 past 25 requests a second for the account and
per endpoint. Through it, the console's own code:

- full sync of N customers (the parallel ``created``-range sync, and beside it the same sync
  with one worker, which is one cursor walk as before): customers a second, and that as a
  fraction of what the console's background share of the limits allows (half of 25 requests a
  second x 100 a page = 1,250 customers a second); 429s seen;
- time to open a customer (``load_customer_detail``: the customer, subscriptions, invoices,
  payment methods and tax IDs, as the Customers view does);
- time to save a portal configuration (one update, as Save does).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from pathlib import Path

from bench.report import CACHE, Part, Row, ms
from bench.servers import seeded_db, start_sandbox
from bench.stats import Summary
from console.customers.detail import load_customer_detail
from console.gateway.budget import TEST_MODE_LIMITS
from console.gateway.client import Gateway
from console.index.store import IndexStore
from console.index.sync import DEFAULT_WORKERS, PAGE_SIZE, full_sync

# What the console's background work may use of a test-mode account: its share of the tighter
# of the account's and the list endpoint's limit, 100 customers a page.
BACKGROUND_SHARE = 0.5
ALLOWED_RATE = min(TEST_MODE_LIMITS.account, TEST_MODE_LIMITS.endpoint) * BACKGROUND_SHARE
ALLOWED_CUSTOMERS_PER_S = ALLOWED_RATE * PAGE_SIZE
TARGET_FRACTION = 0.8


async def _sync(url: str, key: str, path: Path, workers: int) -> tuple[float, int, int]:
    for old in path.parent.glob(path.name + "*"):
        old.unlink()
    store = IndexStore(path)
    try:
        async with Gateway(key, base_url=url, background_share=BACKGROUND_SHARE) as gateway:
            started = time.perf_counter()
            count = await full_sync(store, gateway, restart=True, workers=workers)
            return time.perf_counter() - started, count, gateway.budget.throttled_count
    finally:
        store.close()


async def _interactive(url: str, key: str, opens: int) -> tuple[list[float], list[float]]:
    """Seconds to open ``opens`` customers, and to save a configuration five times."""
    async with Gateway(key, base_url=url) as gateway:
        customers = (await gateway.list_customers(limit=100)).data
        picked = random.Random(17).sample(list(customers), min(opens, len(customers)))
        opened = []
        for customer in picked:
            started = time.perf_counter()
            await load_customer_detail(gateway, customer.id)
            opened.append(time.perf_counter() - started)
        configurations = (await gateway.list_portal_configurations()).data
        if configurations:
            target_id = configurations[0].id
        else:  # the scale seed makes none: one as a merchant's first would be
            made = await gateway.create_portal_configuration(
                {"features": {"invoice_history": {"enabled": True}}}
            )
            target_id = made.id
        saved = []
        for n in range(5):
            started = time.perf_counter()
            await gateway.update_portal_configuration(
                target_id, {"metadata": {"bench_save": str(n)}}
            )
            saved.append(time.perf_counter() - started)
        return opened, saved


def measure(part: Part, count: int, latency_ms: int, sequential: bool) -> None:
    db = seeded_db(count)
    path = CACHE / f"index-network-{count}.sqlite3"
    label = f"{count:,} customers at {latency_ms} ms"
    args = ["--network", "stripe-test", "--latency-ms", str(latency_ms)]
    args += ["--latency-per-item-ms", "0"]
    with start_sandbox(db, extra_args=args) as sandbox:
        for workers in (DEFAULT_WORKERS, 1) if sequential else (DEFAULT_WORKERS,):
            took, synced, throttled = asyncio.run(
                _sync(sandbox.url, sandbox.api_key, path, workers)
            )
            if synced != count:
                raise RuntimeError(f"synced {synced} customers, the sandbox has {count}")
            rate = count / took
            fraction = rate / ALLOWED_CUSTOMERS_PER_S
            how = (
                f"parallel ranges, {workers} workers" if workers > 1 else "one cursor walk (before)"
            )
            print(f"  {label}: {how}: {took:.1f} s = {rate:,.0f}/s", flush=True)
            part.add(
                Row(
                    what=f"{label}: full sync ({how})",
                    value=f"{took:,.1f} s = {rate:,.0f} customers/s",
                    spread=(
                        f"{fraction:.0%} of the allowed {ALLOWED_CUSTOMERS_PER_S:,.0f}/s; "
                        f"{throttled} answers 429"
                    ),
                    reps="1 sync",
                    target=f">= {TARGET_FRACTION:.0%} of allowed" if workers > 1 else "",
                    met=fraction >= TARGET_FRACTION if workers > 1 else None,
                    data={
                        "customers": count,
                        "latency_ms": latency_ms,
                        "workers": workers,
                        "seconds": took,
                        "rate": rate,
                        "fraction_of_allowed": fraction,
                        "throttled": throttled,
                    },
                )
            )
        opened, saved = asyncio.run(_interactive(sandbox.url, sandbox.api_key, 10))
    for what, samples in (("open a customer", opened), ("save a configuration", saved)):
        if not samples:
            continue
        summary = Summary.of([s * 1000 for s in samples])
        part.add(
            Row(
                what=f"{label}: {what}",
                value=f"p50 {ms(summary.median)}",
                spread=f"min {ms(summary.min)}, max {ms(summary.max)}",
                reps=f"{len(samples)}",
                data={"latency_ms": latency_ms} | summary.as_json(),
            )
        )


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="10k only")
    parser.add_argument("--sizes", type=int, nargs="*", default=None)
    parser.add_argument("--latencies", type=int, nargs="*", default=[0, 300, 800])
    parser.add_argument(
        "--latencies-1m",
        type=int,
        nargs="*",
        default=[300],
        help="latencies for 1M customers and more (each sync takes ~15 minutes)",
    )
    args = parser.parse_args(argv)
    sizes = args.sizes or ([10_000] if args.quick else [10_000, 100_000, 1_000_000])
    part = Part("network", "Under Stripe's conditions: latency and rate limits")
    part.settings = {
        "sandbox": "--network stripe-test (25 requests/s per account and per endpoint)",
        "latencies": ", ".join(f"{n} ms" for n in args.latencies),
        "sizes": ", ".join(f"{n:,}" for n in sizes),
        "background share": f"{BACKGROUND_SHARE:.0%}",
    }
    for count in sizes:
        for latency in args.latencies_1m if count >= 1_000_000 else args.latencies:
            # The one-walk comparison at the smallest size only: at 100k it takes minutes.
            measure(part, count, latency, sequential=count == min(sizes))
    part.notes.append(
        "The console may use half of Stripe's limits for background work (the rest stays for "
        f"the merchant's own traffic): {ALLOWED_RATE:g} list requests a second x {PAGE_SIZE} "
        f"= {ALLOWED_CUSTOMERS_PER_S:,.0f} customers a second at most. One cursor walk is "
        "bound by latency instead: one page per round trip."
    )
    path = part.finish()
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main()
