"""Subscriptions index and portal coverage at scale: full sync, size, memory, impact in < 1 s.

For each size N the sandbox serves a database seeded with ``--seed scale:N`` (one subscription
per customer; the seed is cached like the customer index's, ``bench/servers.py``). The console's
own code reads every subscription into the index (``full_subscription_sync``, unpaced: what the
code can do) in a child process, whose peak memory is its ``ru_maxrss``. Then the impact of a
configuration change (plan switching off, then on for the seed's three products) is computed
from the index, in a child process of its own: the shape counts, both coverages and their
difference, five times (the first on a cold process).

The scale seed makes three shapes only (a card-paid subscription to one of three plans), so
the impact is also computed over a synthetic index of the same size whose rows are written
directly (``--synthetic``): statuses, collection methods, payment methods, cancel states,
schedules and pending updates drawn at random in an account's rough proportions, and one or two
items from 18 prices (a few plans popular, add-ons, metered usage), for thousands of shapes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bench.report import CACHE, Part, Row, ms
from bench.servers import seeded_db, start_sandbox
from bench.stats import Summary
from console.configurations.model import PortalConfiguration, configuration_from_stripe
from console.coverage.counts import coverage_of
from console.coverage.impact import impact_of
from console.gateway.client import Gateway
from console.gateway.models import Price, PriceId, ProductId
from console.index.subscription_sync import full_subscription_sync
from console.index.subscriptions_store import SubscriptionRow, SubscriptionStore

TARGET_S = 1.0
UNPACED = 1e9
COMPUTE_REPS = 5


def index_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- in a child process ------------------------------------------------------------------------


async def _sync(url: str, key: str, path: Path) -> dict[str, Any]:
    for old in path.parent.glob(path.name + "*"):
        old.unlink()
    store = SubscriptionStore(path)
    try:
        async with Gateway(key, base_url=url, requests_per_second=UNPACED) as gateway:
            started = time.perf_counter()
            count = await full_subscription_sync(store, gateway, restart=True)
            return {"seconds": time.perf_counter() - started, "count": count}
    finally:
        store.close()


def configurations(prices: Mapping[PriceId, Price]) -> tuple[PortalConfiguration, ...]:
    """Plan switching off, then on for every product with its recurring prices (at most 10
    products, the portal's limit), quantities and promotion codes too; cancel and pause on."""
    by_product: dict[ProductId, list[PriceId]] = {}
    for price in prices.values():
        if price.recurring_interval and price.usage_type != "metered":
            by_product.setdefault(price.product_id, []).append(price.id)
    products = [
        {"product": product, "prices": sorted(ids), "adjustable_quantity": {"enabled": True}}
        for product, ids in sorted(by_product.items())
    ][:10]
    base: dict[str, Any] = {
        "id": "bpc_bench",
        "features": {
            "subscription_cancel": {"enabled": True, "mode": "at_period_end"},
            "subscription_pause": {"enabled": True},
            "subscription_update": {"enabled": False},
        },
    }
    on = json.loads(json.dumps(base))
    on["features"]["subscription_update"] = {
        "enabled": True,
        "default_allowed_updates": ["price", "quantity", "promotion_code"],
        "products": products,
    }
    return configuration_from_stripe(base), configuration_from_stripe(on)


def _compute(path: Path) -> dict[str, Any]:
    """The impact of switching plan changes on, ``COMPUTE_REPS`` times, each phase timed."""
    store = SubscriptionStore(path)
    timings: dict[str, list[float]] = {"shapes": [], "coverage": [], "impact": [], "total": []}
    try:
        for _ in range(COMPUTE_REPS):
            started = time.perf_counter()
            shapes = store.shape_counts()
            counted = time.perf_counter()
            prices = store.prices()
            before_config, after_config = configurations(prices)
            before = coverage_of(shapes, before_config, prices)
            after = coverage_of(shapes, after_config, prices)
            covered = time.perf_counter()
            impact = impact_of(before, after)
            done = time.perf_counter()
            timings["shapes"].append(counted - started)
            timings["coverage"].append(covered - counted)
            timings["impact"].append(done - covered)
            timings["total"].append(done - started)
        return {
            "timings": timings,
            "shapes": len(shapes),
            "subscriptions": after.subscriptions + after.ended,
            "gained_switch_plan": impact.actions["switch_plan"].gained,
            "peak_rss_mib": _peak_rss_mib(),
        }
    finally:
        store.close()


# How often each value comes up in the synthetic index (an account's mix, roughly).
STATUSES = {"active": 80, "trialing": 8, "canceled": 6, "past_due": 3, "paused": 1,
            "unpaid": 1, "incomplete": 1}  # fmt: skip
METHODS = {"card": 85, "sepa_debit": 8, "us_bank_account": 3, "paypal": 2, None: 1,
           "wechat_pay": 1}  # fmt: skip


def _pick(rng: random.Random, weights: Mapping[Any, int]) -> Any:
    return rng.choices(list(weights), list(weights.values()))[0]


def _synthetic_prices() -> list[Price]:
    """18 prices: 6 products x (monthly, yearly, a third: another currency, tax, or metered)."""
    prices = []
    for n in range(6):
        product = ProductId(f"prod_bench{n}")
        for kind in ("month", "year", "odd"):
            currency, tax, usage, interval = "usd", "exclusive", "licensed", kind
            if kind == "odd":
                interval = "month"
                currency, tax, usage = [
                    ("eur", "exclusive", "licensed"),
                    ("usd", "inclusive", "licensed"),
                    ("usd", "exclusive", "metered"),
                    ("usd", "unspecified", "licensed"),
                ][n % 4]
            prices.append(
                Price(
                    PriceId(f"price_bench{n}{kind}"),
                    product,
                    None,
                    currency,
                    1000 * (n + 1),
                    "recurring",
                    interval,
                    1,
                    usage,
                    tax,
                    True,
                    None,
                    None,
                )
            )
    return prices


def _synthetic(path: Path, count: int, seed: int = 19) -> dict[str, Any]:
    """``count`` subscriptions of many shapes written straight into an index at ``path``."""
    for old in path.parent.glob(path.name + "*"):
        old.unlink()
    rng = random.Random(seed)
    prices = _synthetic_prices()
    store = SubscriptionStore(path)
    started = time.perf_counter()
    try:
        batch: list[SubscriptionRow] = []
        licensed = [p for p in prices if p.usage_type == "licensed"]
        metered = [p for p in prices if p.usage_type == "metered"]
        popularity = [1 / (rank + 1) for rank in range(len(licensed))]  # a few plans lead
        for n in range(count):
            main = rng.choices(licensed, popularity)[0]
            mix = rng.random()
            items = [main]
            if mix < 0.08:
                items.append(rng.choice(licensed[-2:]))  # an add-on
            elif mix < 0.12:
                items = [rng.choice(metered)]
            elif mix < 0.15:
                items.append(rng.choice(metered))
            shape = [
                _pick(rng, STATUSES),
                "send_invoice" if rng.random() < 0.05 else "charge_automatically",
                rng.random() < 0.06,
                False,
                rng.random() < 0.01,
                rng.random() < 0.005,
                _pick(rng, METHODS),
                [p.id for p in items],
            ]
            batch.append(
                SubscriptionRow(
                    id=f"sub_bench{n:08d}",
                    customer=f"cus_bench{n:08d}",
                    created=1_700_000_000 + n,
                    shape=json.dumps(shape, separators=(",", ":")),
                    schedule="sub_sched_bench" if shape[4] else None,
                    cancel_at=None,
                    trial_end=None,
                    quantities=",".join("1" for _ in items),
                    prices=tuple(items),
                )
            )
            if len(batch) == 10_000:
                store.apply(batch)
                batch = []
        store.apply(batch)
    finally:
        store.close()
    return {"seconds": time.perf_counter() - started}


def _child(argv: list[str]) -> Any:
    """Runs ``bench.subscription_coverage`` ``argv`` in a child process; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.subscription_coverage", *argv],
        capture_output=True,
        text=True,
        check=True,
        input="",
    )
    return json.loads(done.stdout.splitlines()[-1])


def _sync_child(url: str, key: str, path: Path) -> Any:
    done = subprocess.run(
        [sys.executable, "-m", "bench.subscription_coverage", "--sync", url, str(path)],
        input=key,  # not on the command line, where other processes can read it
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


# --- the benchmark ---------------------------------------------------------------------------


def _compute_rows(part: Part, label: str, result: Mapping[str, Any]) -> None:
    total = Summary.of(result["timings"]["total"])
    first = result["timings"]["total"][0]
    phases = ", ".join(
        f"{name} {ms(Summary.of(result['timings'][name]).median * 1000)}"
        for name in ("shapes", "coverage", "impact")
    )
    part.add(
        Row(
            what=f"{label}: impact of a configuration change (counts, both coverages, diff)",
            value=f"{ms(total.median * 1000)} ({result['shapes']:,} shapes)",
            spread=f"first (cold) {ms(first * 1000)}, max {ms(total.max * 1000)}; {phases}",
            reps=f"{COMPUTE_REPS} in one process",
            target=f"< {TARGET_S:.0f} s",
            met=total.max < TARGET_S,
            data=dict(result),
        )
    )
    part.add(
        Row(
            what=f"{label}: peak memory of the process computing the impact",
            value=f"{result['peak_rss_mib']:,.0f} MiB",
            reps="ru_maxrss",
            data={"peak_rss_mib": result["peak_rss_mib"]},
        )
    )


def measure(part: Part, count: int) -> None:
    label = f"{count:,} subscriptions"
    db = seeded_db(count)
    path = CACHE / f"subscriptions-{count}.sqlite3"
    with start_sandbox(db) as sandbox:
        synced = _sync_child(sandbox.url, sandbox.api_key, path)
    if synced["count"] != count:
        raise RuntimeError(f"synced {synced['count']} subscriptions, the sandbox has {count}")
    seconds = synced["seconds"]
    print(f"  {label}: full sync {seconds:.1f} s", flush=True)
    part.add(
        Row(
            what=f"{label} (scale seed): full sync into the subscriptions index (unpaced)",
            value=f"{seconds:,.1f} s = {count / seconds:,.0f} subscriptions/s",
            spread=f"peak memory of the syncing process {synced['peak_rss_mib']:,.0f} MiB",
            reps="1 sync",
            data=dict(synced),
        )
    )
    size = index_bytes(path)
    part.add(
        Row(
            what=f"{label}: subscriptions index size on disk",
            value=f"{size / 2**20:,.1f} MiB ({size / count:,.0f} bytes a subscription)",
            reps="after the sync",
            data={"bytes": size},
        )
    )
    _compute_rows(part, f"{label} (scale seed)", _child(["--compute", str(path)]))


def measure_synthetic(part: Part, count: int) -> None:
    label = f"{count:,} subscriptions (synthetic shapes)"
    path = CACHE / f"subscriptions-synthetic-{count}.sqlite3"
    written = _child(["--synthetic", str(count), str(path)])
    print(f"  {label}: written in {written['seconds']:.1f} s", flush=True)
    size = index_bytes(path)
    part.add(
        Row(
            what=f"{label}: index size on disk",
            value=f"{size / 2**20:,.1f} MiB ({size / count:,.0f} bytes a subscription)",
            reps="rows written directly",
            data={"bytes": size, "write_seconds": written["seconds"]},
        )
    )
    _compute_rows(part, label, _child(["--compute", str(path)]))


def main(argv: list[str] | None = None) -> Path | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--synthetic-sizes", type=int, nargs="*", default=None)
    parser.add_argument("--part", default="coverage", help="the part's name (file) to write")
    parser.add_argument("--sync", nargs=2, metavar=("URL", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--compute", metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument("--synthetic", nargs=2, metavar=("N", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.sync:
        result = asyncio.run(_sync(args.sync[0], sys.stdin.read().strip(), Path(args.sync[1])))
        print(json.dumps(result | {"peak_rss_mib": _peak_rss_mib()}))
        return None
    if args.compute:
        print(json.dumps(_compute(Path(args.compute))))
        return None
    if args.synthetic:
        print(json.dumps(_synthetic(Path(args.synthetic[1]), int(args.synthetic[0]))))
        return None
    part = Part(args.part, "Subscriptions index and portal coverage: sync, size, impact")
    synthetic = args.synthetic_sizes if args.synthetic_sizes is not None else args.sizes
    part.settings = {
        "sizes": ", ".join(f"{n:,}" for n in args.sizes),
        "synthetic sizes": ", ".join(f"{n:,}" for n in synthetic),
    }
    for count in synthetic:
        measure_synthetic(part, count)
    for count in args.sizes:
        measure(part, count)
    part.notes.append(
        "The impact is computed by shape: one evaluation of the portal's rules per distinct "
        "shape, then sums; its time is the shape count query (one pass over an index of the "
        "shape column) plus microseconds per shape."
    )
    path = part.finish()
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main()
