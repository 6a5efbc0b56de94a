"""The sandbox's portal pages: server time per page, and time to a loaded page in Chromium.

The sandbox runs as its own process with its demo data; a portal session is made for a
demo customer with an active subscription and an invoice (through the stripe library, as
the console does). Server time is measured from loopback with httpx (a kept-alive
connection, the session cookie set): it is the sandbox's request handling plus a little
client overhead. The browser time is headless Debian Chromium through Playwright: the
Navigation Timing of each page, from navigation start to the load event.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import stripe

from bench.report import Part, Row, latency_spread, ms
from bench.servers import Server, start_sandbox
from bench.stats import Summary

stripe.enable_telemetry = False

TARGET_SERVER_P50_MS = 10.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def portal_pages(server: Server) -> tuple[str, dict[str, str]]:
    """A session's address and its pages (name -> path) for a demo customer with a lot to show."""
    client = stripe.StripeClient(
        server.api_key, base_addresses={"api": server.url}, max_network_retries=0
    )
    for subscription in client.v1.subscriptions.list(
        params={"status": "active", "limit": 100}
    ).auto_paging_iter():
        customer = str(subscription.customer)
        invoices = client.v1.invoices.list(params={"customer": customer, "limit": 1}).data
        if invoices:
            break
    else:
        raise RuntimeError("the demo data has no active subscription with an invoice")
    session = client.v1.billing_portal.sessions.create(
        params={"customer": customer, "return_url": "https://example.com/account"}
    )
    base = session.url.rstrip("/")
    pages = {
        "home": "",
        "subscription": f"/subscriptions/{subscription.id}",
        "change plan": f"/subscriptions/{subscription.id}/update",
        "cancel": f"/subscriptions/{subscription.id}/cancel",
        "invoice": f"/invoices/{invoices[0].id}",
        "customer details": "/customer",
        "add card": "/payment-methods/new",
    }
    return base, pages


def server_times(base: str, pages: dict[str, str], reps: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    with httpx.Client(follow_redirects=False, timeout=30) as http:
        http.get(base)  # sets the session cookie, as the first visit does
        for name, path in pages.items():
            answer = http.get(base + path)
            if answer.status_code != 200:
                print(f"  portal page {name!r}: HTTP {answer.status_code}, left out", flush=True)
                continue
            samples = []
            for _ in range(reps):
                started = time.perf_counter()
                answer = http.get(base + path)
                samples.append((time.perf_counter() - started) * 1000)
                answer.raise_for_status()
            times[name] = samples
    return times


NAVIGATION = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  return {load: n.loadEventEnd - n.startTime, response: n.responseEnd - n.startTime,
          dom: n.domContentLoadedEventEnd - n.startTime};
}"""


def browser_times(base: str, pages: dict[str, str], reps: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415  # the browser stack loads only when the page benchmark runs

    loads: dict[str, list[float]] = {}
    first: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context().new_page()
            for rep in range(reps + 1):
                for name, path in pages.items():
                    page.goto(base + path, wait_until="load")
                    timing = page.evaluate(NAVIGATION)
                    if rep == 0 and name == next(iter(pages)):
                        first[name] = timing["load"]  # cold: fonts, css, the session cookie
                    if rep:
                        loads.setdefault(name, []).append(timing["load"])
        finally:
            browser.close()
    return {"loads": loads, "first": first}


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reps", type=int, default=200, help="server requests per page")
    parser.add_argument("--browser-reps", type=int, default=10, help="browser loads per page")
    args = parser.parse_args(argv)
    part = Part("portal", "Portal pages (sandbox with demo data)")
    part.settings = {"requests per page": args.reps, "browser loads per page": args.browser_reps}
    with (
        tempfile.TemporaryDirectory(prefix="bench-portal-") as folder,
        start_sandbox(Path(folder) / "portal.sqlite3", seed="demo") as sandbox,
    ):
        base, pages = portal_pages(sandbox)
        times = server_times(base, pages, args.reps)
        pages = {name: path for name, path in pages.items() if name in times}
        browser = browser_times(base, pages, args.browser_reps) if shutil.which(CHROMIUM) else None
    everything = Summary.of([t for samples in times.values() for t in samples])
    part.add(
        Row(
            what="server time, every page",
            value=f"p50 {ms(everything.median)}, p99 {ms(everything.p99)}",
            spread=latency_spread(everything),
            reps=f"{everything.n} requests ({len(times)} pages)",
            target=f"p50 < {TARGET_SERVER_P50_MS:.0f} ms",
            met=everything.median < TARGET_SERVER_P50_MS,
            data=everything.as_json(),
        )
    )
    for name, samples in times.items():
        summary = Summary.of(samples)
        part.add(
            Row(
                what=f"server time, {name}",
                value=f"p50 {ms(summary.median)}, p99 {ms(summary.p99)}",
                spread=latency_spread(summary),
                reps=f"{summary.n} requests",
                target=f"p50 < {TARGET_SERVER_P50_MS:.0f} ms",
                met=summary.median < TARGET_SERVER_P50_MS,
                data=summary.as_json(),
            )
        )
    if browser is None:
        part.notes.append(f"No Chromium at {CHROMIUM}: browser times not measured.")
    else:
        for name, samples in browser["loads"].items():
            summary = Summary.of(samples)
            part.add(
                Row(
                    what=f"loaded in headless Chromium, {name}",
                    value=f"p50 {ms(summary.median)}",
                    spread=f"min {ms(summary.min)}, max {ms(summary.max)}",
                    reps=f"{summary.n} loads",
                    data=summary.as_json(),
                )
            )
        for name, value in browser["first"].items():
            part.notes.append(
                f"First load in a fresh browser ({name}, nothing cached): {ms(value)}."
            )
        part.raw["browser"] = browser
    part.raw["server_ms"] = times
    part.raw["pages"] = json.loads(json.dumps(list(pages)))
    path = part.finish()
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main()
