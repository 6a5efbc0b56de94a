"""The sandbox's opened state never shows its secret key when printed (tracebacks, logs)."""

from __future__ import annotations

from console.sandbox.state.opening import open_state


def test_a_printed_state_names_its_platform_but_not_its_key() -> None:
    state = open_state(":memory:")
    try:
        shown = repr(state)
        assert state.api_key.startswith("sk_test_")
        assert state.api_key not in shown
        assert state.platform in shown
    finally:
        state.store.close()
