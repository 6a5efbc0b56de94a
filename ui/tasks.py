"""Named asyncio tasks for a widget: a newer request replaces (cancels) an older one of its name.

Widgets start their network and disk work here instead of awaiting on the event loop;
errors the console expects (``ConsoleError``) go to ``on_error`` (the window's error bar),
anything else is a bug: logged with its trace, and reported as an internal error.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QCoreApplication

from console.errors import ConsoleError

log = logging.getLogger(__name__)


class NamedTasks:
    def __init__(self, on_error: Callable[[ConsoleError], None]) -> None:
        self._on_error = on_error
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._work: dict[asyncio.Task[None], Coroutine[Any, Any, None]] = {}

    def run(self, name: str, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Runs ``work`` as the one task called ``name``, cancelling an older one."""
        self.cancel(name)
        task = asyncio.get_running_loop().create_task(self._reporting(name, work))
        self._tasks[name] = task
        self._work[task] = work
        task.add_done_callback(lambda done: self._forget(name, done, work))
        return task

    def __contains__(self, name: object) -> bool:
        return name in self._tasks

    def get(self, name: str) -> asyncio.Task[None] | None:
        return self._tasks.get(name)

    def busy(self) -> bool:
        return bool(self._tasks)

    def cancel(self, name: str) -> None:
        older = self._tasks.pop(name, None)
        if older is not None:
            self._cancel(older)

    def cancel_all(self) -> None:
        for task in self._tasks.values():
            self._cancel(task)
        self._tasks.clear()

    def _cancel(self, task: asyncio.Task[None]) -> None:
        task.cancel()
        work = self._work.pop(task, None)
        if work is not None and inspect.getcoroutinestate(work) == inspect.CORO_CREATED:
            # Not started: close it now. A widget cancels its tasks as it closes, and if the
            # loop stops before the task runs again its done-callback never comes, so Python
            # would warn at collection that the work was never awaited.
            work.close()

    def _forget(self, name: str, task: asyncio.Task[None], work: Coroutine[Any, Any, None]) -> None:
        if self._tasks.get(name) is task:
            del self._tasks[name]
        self._work.pop(task, None)
        # A task cancelled before its first step never started ``work``: closing it keeps
        # Python from warning that it was never awaited.
        work.close()

    async def _reporting(self, name: str, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except ConsoleError as error:
            log.info("%s: %s", name, error.message)
            self._on_error(error)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            # A bug, not a Stripe or input problem: the trace goes to the log (keys redacted),
            # the user still learns that the action did not happen.
            log.exception("Task %s failed", name)
            self._on_error(
                ConsoleError(
                    QCoreApplication.translate(
                        "NamedTasks",
                        "Something went wrong ({error}); the action did not finish. "
                        "Details are in the log.",
                    ).format(error=type(error).__name__),
                    code="internal_error",
                )
            )
