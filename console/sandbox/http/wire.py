"""Stripe's wire format: form-encoded nested keys in, JSON out.

``items[0][price]=p&metadata[k]=v&expand[]=customer`` becomes
``{"items": {"0": {"price": "p"}}, "metadata": {"k": "v"}, "expand": ["customer"]}``.
Indexed lists stay dicts keyed by the index until validation, which knows from
the schema whether a list is wanted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from console.sandbox.facts.errors import invalid

_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
MAX_BODY_BYTES = 1_000_000
MAX_DEPTH = 12


def split_key(key: str) -> list[str]:
    head, bracket, _rest = key.partition("[")
    if not bracket:
        return [key]
    tail = key[len(head) :]
    parts = _SEGMENT.findall(tail)
    if "".join(f"[{p}]" for p in parts) != tail or not head:
        raise invalid(f"Invalid parameter name: {key}", param=key)
    return [head, *parts]


def _insert(root: dict[str, Any], key: str, segments: list[str], value: str) -> None:
    node: Any = root
    for position, segment in enumerate(segments):
        last = position == len(segments) - 1
        if segment == "":
            if not isinstance(node, list):
                raise invalid(f"Invalid array parameter: {key}", param=key)
            if last:
                node.append(value)
                return
            child: Any = [] if segments[position + 1] == "" else {}
            node.append(child)
            node = child
            continue
        if isinstance(node, list):
            raise invalid(f"Invalid array parameter: {key}", param=key)
        if last:
            if segment in node and isinstance(node[segment], dict | list):
                raise invalid(f"Invalid parameter: {key} is both a value and a hash", param=key)
            node[segment] = value
            return
        nxt = segments[position + 1]
        existing = node.get(segment)
        if existing is None:
            existing = [] if nxt == "" else {}
            node[segment] = existing
        elif isinstance(existing, str):
            raise invalid(f"Invalid parameter: {key} is both a value and a hash", param=key)
        node = existing


def parse_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for key, value in pairs:
        segments = split_key(key)
        if len(segments) > MAX_DEPTH:
            raise invalid(f"Parameter nested too deeply: {key}", param=segments[0])
        _insert(root, key, segments, value)
    return root


def parse_form(raw: bytes | str) -> dict[str, Any]:
    if isinstance(raw, bytes):
        if len(raw) > MAX_BODY_BYTES:
            raise invalid("Request body too large.")
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise invalid("Request body is not valid UTF-8.") from exc
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=False, max_num_fields=10_000)
    except ValueError as exc:
        raise invalid(f"Could not parse the request: {exc}") from exc
    return parse_pairs(pairs)


def bracket(path: list[str]) -> str:
    """``["features", "customer_update", "enabled"]`` -> ``features[customer_update][enabled]``."""
    if not path:
        return ""
    return path[0] + "".join(f"[{p}]" for p in path[1:])
