"""Keys never shown whole: ``sk_test_…a1b2``, in text and in every log record.

``redact_key`` is how the console shows a key; ``redact_keys`` cleans any text; and
``KeyRedactingFilter`` on the root handlers is the second net behind "never log a key".
"""

from __future__ import annotations

import logging
import re

# Stripe secret, restricted and publishable keys, and webhook secrets.
_KEY_PATTERN = re.compile(r"\b((?:sk|rk|pk)_(?:test|live)_|whsec_)([A-Za-z0-9]{4,})")


def redact_key(key: str) -> str:
    """``sk_test_…a1b2``: the prefix tells the kind and mode, the tail tells keys apart."""
    match = _KEY_PATTERN.match(key)
    if not match:
        return "…" + key[-4:] if len(key) > 8 else "…"
    return f"{match.group(1)}…{match.group(2)[-4:]}"


def redact_keys(text: str) -> str:
    """The text with every key-shaped word replaced by its redacted form."""
    return _KEY_PATTERN.sub(lambda m: f"{m.group(1)}…{m.group(2)[-4:]}", text)


def looks_like_key(text: str) -> bool:
    return _KEY_PATTERN.search(text) is not None


class KeyRedactingFilter(logging.Filter):
    """Rewrites a record's message (with its arguments) when it holds anything key-shaped."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed format: leave it to the handler to report
            return True
        if looks_like_key(message):
            record.msg = redact_keys(message)
            record.args = None
        if record.exc_info and not record.exc_text:
            # Formatters fill exc_text only after the filters ran: format it here, so the
            # trace that gets written is the redacted one (formatters reuse exc_text).
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and looks_like_key(record.exc_text):
            record.exc_text = redact_keys(record.exc_text)
        if record.stack_info and looks_like_key(record.stack_info):
            record.stack_info = redact_keys(record.stack_info)
        return True


def install_key_redaction(logger: logging.Logger | None = None) -> KeyRedactingFilter:
    """Adds the filter to every handler of ``logger`` (the root by default) and returns it."""
    target = logger or logging.getLogger()
    redacting = KeyRedactingFilter()
    for handler in target.handlers:
        handler.addFilter(redacting)
    target.addFilter(redacting)
    return redacting
