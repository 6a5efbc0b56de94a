"""What an editor of portal configurations needs beyond the model: field-level diffs and marks.

- ``field_values(config)``: every editable field of a configuration in Stripe's bracket form
  (``features[subscription_cancel][mode]``), lists kept whole. Read-only facts Stripe keeps
  (id, timestamps, ``is_default``, the login page's link) are left out: nobody can edit them.
- ``diff(before, after)``: the fields whose values differ, in field order, for "what will change"
  before a save and for marking changed fields. Lists of enum values are sets to Stripe's portal
  (``configuration.update_params`` sends nothing for a reordering), so a reordering is no change.
- ``owning_field(param, fields)``: the editor field a parameter belongs to. Problems name the
  most precise parameter (``…[products][0][prices][1]``); a form has one widget for the list.
- ``problems_by_field``: problems grouped by the field that should show them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from console.configurations.model import PortalConfiguration, configuration_to_stripe
from console.errors import ValidationProblem

# Facts of the configuration Stripe keeps and no request can change.
_READ_ONLY = frozenset(
    {
        "id",
        "object",
        "application",
        "created",
        "updated",
        "livemode",
        "is_default",
        "login_page[url]",
    }
)


def field_values(config: PortalConfiguration) -> dict[str, Any]:
    """Every editable field of ``config`` by its parameter name; lists and None kept as values."""
    values: dict[str, Any] = {}
    _flatten(configuration_to_stripe(config), "", values)
    # Stripe sends null for metadata never set; {} and null are the same to a person.
    if "metadata" in values and values["metadata"] is None:
        values["metadata"] = {}
    metadata = values.pop("metadata", {}) or {}
    for key, value in sorted(metadata.items()):
        values[f"metadata[{key}]"] = value
    return {name: value for name, value in values.items() if name not in _READ_ONLY}


def _flatten(value: Any, prefix: str, into: dict[str, Any]) -> None:
    if isinstance(value, Mapping) and prefix != "metadata":
        for key, inner in value.items():
            _flatten(inner, f"{prefix}[{key}]" if prefix else str(key), into)
    else:
        into[prefix] = value


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field a save would change; ``None`` before: the field is new (e.g. a metadata key)."""

    param: str
    before: Any
    after: Any


def _comparable(value: Any) -> Any:
    """Enum lists compare as sets; products (dicts) keep their order, as the portal shows it."""
    if value is None or value == []:
        return None  # an empty list and "never set" look the same in the portal
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return sorted(value)
    return value


def diff(before: PortalConfiguration | None, after: PortalConfiguration) -> tuple[FieldChange, ...]:
    """The fields that differ; ``before`` None (a new configuration) compares with the defaults."""
    old = field_values(before if before is not None else PortalConfiguration())
    new = field_values(after)
    changes = []
    for param in (*new, *(name for name in old if name not in new)):
        if _comparable(old.get(param)) != _comparable(new.get(param)):
            changes.append(FieldChange(param, old.get(param), new.get(param)))
    return tuple(changes)


def parent_params(param: str) -> Iterable[str]:
    """``param`` and each shorter parameter it sits in, most precise first.

    ``a[b][0][c]`` gives ``a[b][0][c]``, ``a[b][0]``, ``a[b]``, ``a``.
    """
    current = param
    while current:
        yield current
        cut = current.rfind("[")
        if cut <= 0:
            return
        current = current[:cut]


def owning_field(param: str, fields: Iterable[str]) -> str | None:
    """The most precise of ``fields`` that ``param`` is, or sits in; None if none."""
    known = set(fields)
    for candidate in parent_params(param):
        if candidate in known:
            return candidate
    return None


def problems_by_field(
    problems: Iterable[ValidationProblem], fields: Sequence[str], *, fallback: str
) -> dict[str, list[ValidationProblem]]:
    """Each problem under the field that shows it; those of no field go to ``fallback``."""
    grouped: dict[str, list[ValidationProblem]] = {}
    for problem in problems:
        owner = owning_field(problem.param, fields) or fallback
        grouped.setdefault(owner, []).append(problem)
    return grouped


def display_value(value: Any) -> str:
    """A field's value as one line of text for a diff: lists joined, unset shown as a dash.

    Booleans are left to the caller, which says "on"/"off" in the user's language.
    """
    if value is None or value in ([], ""):
        return "—"
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ", ".join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, sort_keys=True)
    return str(value)
