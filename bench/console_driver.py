"""Runs the real desktop console (``ui.app.main``) and reports what a user would feel.

Started by ``bench/console_app.py`` as a process of its own, offscreen, inside a keyring
session. It changes nothing in the app: a 5 ms timer watches for the main window to be
shown with the Customers search enabled (that moment is "interactive"), then, as asked,
an event-loop probe records how late a 5 ms callback runs (the longest stall) while the
index syncs and while keystrokes are fed into the search box with human spacing. Each
result goes to stdout as a line ``BENCH <json>``; the peak resident memory comes last.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import threading
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The app embeds Qt WebEngine (portal previews); as root, Chromium runs only without its sandbox.
if os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")


def process_age() -> float:
    """Seconds since this process started (the kernel's clock, 10 ms resolution)."""
    with open("/proc/self/stat") as stat:
        started_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as uptime:
        now = float(uptime.read().split()[0])
    return now - started_ticks / os.sysconf("SC_CLK_TCK")


AT_START = process_age()

from PySide6.QtCore import QTimer  # noqa: E402  (after the clock is read)
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget  # noqa: E402

PROBE_MS = 5
ROOT = Path(__file__).resolve().parent.parent
PROJECT = (f"{ROOT}/console/", f"{ROOT}/ui/")


def emit(kind: str, **data: Any) -> None:
    print("BENCH " + json.dumps({"kind": kind} | data), flush=True)


class StallSampler:
    """Where the loop's thread is while the loop is late: a poor man's sampling profiler.

    A thread looks at the main thread's stack every 2 ms whenever the probe is over
    ``SAMPLE_AFTER_MS`` late, and counts the innermost frames of our code and of the
    libraries they called (what costs the time in a stall).
    """

    SAMPLE_AFTER_MS = 20.0

    def __init__(self, probe: LoopProbe) -> None:
        self.probe = probe
        self.counts: Counter[str] = Counter()
        self.samples = 0
        self._main = threading.main_thread().ident
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> list[tuple[str, int]]:
        self._stop.set()
        self._thread.join()
        return self.counts.most_common(16)

    def _run(self) -> None:
        while not self._stop.wait(0.002):
            late = (time.perf_counter() - self.probe.due) * 1000
            if late < self.SAMPLE_AFTER_MS:
                continue
            frames = sys._current_frames()
            frame = frames.get(self._main or 0)
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)
            self.samples += 1
            self.counts["loop thread in " + _where(stack)] += 1
            for elsewhere in _busy_elsewhere(frames, self._main):
                self.counts["meanwhile another thread in " + elsewhere] += 1


def _name(frame: traceback.FrameSummary) -> str:
    return f"{Path(frame.filename).name}:{frame.lineno} {frame.name}"


def _is_ours(filename: str) -> bool:
    return filename.startswith(PROJECT) and "/site-packages/" not in filename


def _where(stack: traceback.StackSummary) -> str:
    """The innermost frame of the project's code, and the innermost library frame below it."""
    ours = next((f for f in reversed(stack) if _is_ours(f.filename)), None)
    library = next((f for f in reversed(stack) if "/site-packages/" in f.filename), None)
    if ours is None:
        return "?"
    if library is None or stack.index(library) < stack.index(ours):
        return _name(ours) if ours is not stack[-1] else _name(ours) + " (itself)"
    return f"{_name(ours)} -> {_name(library)}"


IDLE = ("wait", "select", "poll", "_worker", "acquire", "run_forever", "accept")


def _busy_elsewhere(frames: dict[int, Any], main: int | None) -> list[str]:
    """Other threads running Python (not parked in a wait): they may hold the GIL."""
    busy = []
    for ident, frame in frames.items():
        if ident in (main, threading.get_ident()):
            continue
        stack = traceback.extract_stack(frame)
        if stack and not any(word in stack[-1].name for word in IDLE):
            busy.append(_where(stack))
    return busy


class LoopProbe:
    """A callback every 5 ms on the running loop; how late each ran is the loop's stall."""

    def __init__(self) -> None:
        self.lateness_ms: list[float] = []
        self._running = False
        self.due = float("inf")
        self.sampler = StallSampler(self)

    def start(self) -> None:
        self.lateness_ms = []
        self._running = True
        self._schedule()
        self.sampler.start()

    def stop(self) -> list[float]:
        self._running = False
        self.due = float("inf")
        self.stalls = self.sampler.stop()
        return self.lateness_ms

    def _schedule(self) -> None:
        due = time.perf_counter() + PROBE_MS / 1000
        self.due = due
        asyncio.get_running_loop().call_later(PROBE_MS / 1000, self._tick, due)

    def _tick(self, due: float) -> None:
        if not self._running:
            return
        self.lateness_ms.append(max(0.0, (time.perf_counter() - due) * 1000))
        self._schedule()


def customers_view() -> QWidget | None:
    """The shown main window's Customers view, once its search box is enabled."""
    from ui.customers.view import CustomersView  # noqa: PLC0415  # Qt loads only in the driver's own process

    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            for view in widget.findChildren(CustomersView):
                if view.search.isEnabled():
                    return view
    return None


async def type_queries(view: Any, queries: list[str], spacing_ms: float) -> None:
    """Types each query key by key, waits for its results, clears the box."""
    probe = LoopProbe()
    search: QLineEdit = view.search
    felt: list[float] = []
    probe.start()
    for query in queries:
        search.setFocus()
        for char in query:
            QTest.keyClicks(search, char)
            await asyncio.sleep(spacing_ms / 1000)
        typed_at = time.perf_counter()
        while query not in view.results_label.text():
            if time.perf_counter() - typed_at > 30:
                raise TimeoutError(f"no results shown for {query!r}")
            await asyncio.sleep(0.001)
        # The pause after the last key already lasted spacing_ms; add it back.
        felt.append((time.perf_counter() - typed_at) * 1000 + spacing_ms)
        search.clear()
        await asyncio.sleep(0.3)
    emit(
        "typing",
        lateness_ms=probe.stop(),
        stalled_in=probe.stalls,
        results_after_last_key_ms=felt,
        keystrokes=sum(len(q) for q in queries),
    )


async def watch_sync(view: Any, seconds: float) -> None:
    probe = LoopProbe()
    probe.start()
    started = time.perf_counter()
    done: list[int] = []
    view.sync_progressed.connect(lambda n, _total: done.append(int(n)))
    while time.perf_counter() - started < seconds:
        await asyncio.sleep(0.1)
    emit(
        "sync",
        lateness_ms=probe.stop(),
        stalled_in=probe.stalls,
        seconds=time.perf_counter() - started,
        customers_synced=max(done, default=0),
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--type", nargs="*", default=[], help="queries to type, in order")
    parser.add_argument("--spacing-ms", type=float, default=120.0)
    parser.add_argument("--watch-sync", type=float, default=0.0, help="seconds")
    args = parser.parse_args()

    application = QApplication.instance() or QApplication(["portal-console"])
    started = time.perf_counter()
    tasks: list[asyncio.Task[None]] = []
    phases: dict[str, float] = {}

    async def scenario(view: Any) -> None:
        try:
            if args.watch_sync:
                await watch_sync(view, args.watch_sync)
            if args.type:
                await type_queries(view, args.type, args.spacing_ms)
        except Exception as error:
            emit("error", message=repr(error))
        finally:
            for widget in QApplication.topLevelWidgets():
                widget.close()

    def poll() -> None:
        view = customers_view()
        if view is None:
            return
        watcher.stop()
        age = process_age()
        phases["app.main to search enabled"] = age - sum(phases.values())
        emit("ready", seconds_in_process=time.perf_counter() - started, age=age, phases=phases)
        tasks.append(asyncio.get_running_loop().create_task(scenario(view)))

    watcher = QTimer()
    watcher.setInterval(5)
    watcher.timeout.connect(poll)
    watcher.start()

    qt_ready = process_age()
    from ui import app  # noqa: PLC0415  # Qt loads only in the driver's own process

    phases["interpreter and driver started"] = AT_START
    phases["Qt imported, QApplication made"] = qt_ready - AT_START
    phases["the app's modules imported"] = process_age() - qt_ready
    code = app.main(["--data-dir", args.data_dir])
    del application
    emit("memory", max_rss_kib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return code


if __name__ == "__main__":
    sys.exit(main())
