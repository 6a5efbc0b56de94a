"""Data a new sandbox starts with: the platform account always; demo or scale data on request."""

from __future__ import annotations

from collections.abc import Callable

from console.sandbox.http.app import Api

Progress = Callable[[str], None]


def bootstrap(api: Api) -> None:
    from console.sandbox.resources.accounts import ensure_platform

    ctx = api._context(api.platform, None, None)
    with api.store.transaction():
        ensure_platform(ctx)


def apply(api: Api, seed: str, progress: Progress | None = None) -> None:
    """``none``, ``demo`` or ``scale:N``; a database is seeded once, never twice."""
    if seed == "none" or api.store.meta("seeded") is not None:
        return
    if seed == "demo":
        from console.sandbox.seed.demo import seed_demo

        seed_demo(api, progress)
    elif seed.startswith("scale:"):
        from console.sandbox.seed.scale import seed_scale

        seed_scale(api, int(seed.partition(":")[2]), progress)
    else:
        raise ValueError(f"unknown seed {seed!r}: use none, demo or scale:N")
    api.store.set_meta("seeded", seed)
