"""The shape of an imported configuration document, checked field by field before it is read.

A document comes from a file anyone may have edited, so nothing in it is trusted:
``configuration_from_stripe`` reads Stripe's own answers and would take ``"enabled": "false"``
as true (a non-empty string) or fail with a ``TypeError`` on a list where an object belongs.
``shape_problems`` walks the document against ``DOCUMENT`` and reports every field that is not
what Stripe sends, each naming its place in Stripe's bracket form (``features[customer_update]
[enabled]``, ``products[0][prices][1][id]``) and saying what was expected.

``read_document_bytes`` is the step before: a size cap (so ``/dev/zero`` or a huge file ends at
once), UTF-8 and JSON syntax, each with a clear message.

Unknown keys are left alone (a newer API version may add fields); wrong types never are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.errors import ValidationError, ValidationProblem
from console.i18n import N_, _, format_count

# A configuration with ten products of ten prices each exports to ~30 kB; a megabyte is far
# beyond any real document and small enough to read at once.
MAX_DOCUMENT_BYTES = 1_000_000

INVALID = "document_invalid"


@dataclass(frozen=True, slots=True)
class Scalar:
    """A JSON string, boolean or integer (``nullable``: ``null`` is fine too)."""

    kind: type
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class Obj:
    fields: Mapping[str, Shape]
    nullable: bool = False
    required: frozenset[str] = frozenset()  # fields without a default: left out is an error


@dataclass(frozen=True, slots=True)
class ListOf:
    item: Shape
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class IdOrObject:
    """An id, or the expanded object carrying it (Stripe sends either)."""

    nullable: bool = False


Shape = Scalar | Obj | ListOf | IdOrObject

STR = Scalar(str)
STR_OR_NULL = Scalar(str, nullable=True)
BOOL = Scalar(bool)
INT = Scalar(int)
INT_OR_NULL = Scalar(int, nullable=True)

_FEATURES = Obj(
    {
        "customer_update": Obj({"enabled": BOOL, "allowed_updates": ListOf(STR)}, nullable=True),
        "invoice_history": Obj({"enabled": BOOL}, nullable=True),
        "payment_method_update": Obj(
            {"enabled": BOOL, "payment_method_configuration": STR_OR_NULL}, nullable=True
        ),
        "subscription_cancel": Obj(
            {
                "enabled": BOOL,
                "mode": STR_OR_NULL,
                "proration_behavior": STR_OR_NULL,
                "cancellation_reason": Obj(
                    {
                        "enabled": BOOL,
                        "options": ListOf(STR, nullable=True),
                        "feedback_options": ListOf(IdOrObject(), nullable=True),
                    },
                    nullable=True,
                ),
            },
            nullable=True,
        ),
        "subscription_pause": Obj(
            {
                "enabled": BOOL,
                "duration": Obj(
                    {
                        "type": STR_OR_NULL,
                        "interval_options": ListOf(
                            Obj(
                                {"interval": STR, "interval_count": INT_OR_NULL},
                                required=frozenset({"interval"}),
                            ),
                            nullable=True,
                        ),
                    },
                    nullable=True,
                ),
            },
            nullable=True,
        ),
        "subscription_update": Obj(
            {
                "enabled": BOOL,
                "default_allowed_updates": ListOf(STR, nullable=True),
                "products": ListOf(
                    Obj(
                        {
                            "product": IdOrObject(),
                            "prices": ListOf(IdOrObject()),
                            "adjustable_quantity": Obj(
                                {"enabled": BOOL, "minimum": INT, "maximum": INT_OR_NULL},
                                nullable=True,
                            ),
                        },
                        required=frozenset({"product"}),
                    ),
                    nullable=True,
                ),
                "proration_behavior": STR_OR_NULL,
                "billing_cycle_anchor": STR_OR_NULL,
                "schedule_at_period_end": Obj(
                    {"conditions": ListOf(Obj({"type": STR}), nullable=True)}, nullable=True
                ),
                "trial_update_behavior": STR_OR_NULL,
            },
            nullable=True,
        ),
    }
)

CONFIGURATION = Obj(
    {
        "id": STR_OR_NULL,
        "name": STR_OR_NULL,
        "active": Scalar(bool, nullable=True),
        "is_default": Scalar(bool, nullable=True),
        "livemode": Scalar(bool, nullable=True),
        "created": INT_OR_NULL,
        "updated": INT_OR_NULL,
        "application": IdOrObject(nullable=True),
        "default_return_url": STR_OR_NULL,
        "business_profile": Obj(
            {
                "headline": STR_OR_NULL,
                "privacy_policy_url": STR_OR_NULL,
                "terms_of_service_url": STR_OR_NULL,
            },
            nullable=True,
        ),
        "features": _FEATURES,
        "login_page": Obj({"enabled": BOOL, "url": STR_OR_NULL}, nullable=True),
        # Checked apart: any key, string values (Stripe's metadata is strings only).
        "metadata": Obj({}, nullable=True),
    }
)

_PRICE_REFERENCE = Obj(
    {
        "id": STR,
        "lookup_key": STR_OR_NULL,
        "nickname": STR_OR_NULL,
        "currency": STR_OR_NULL,
        "unit_amount": INT_OR_NULL,
        "recurring": Obj({"interval": STR_OR_NULL, "interval_count": INT_OR_NULL}, nullable=True),
        "tax_behavior": STR_OR_NULL,
    },
    required=frozenset({"id"}),
)

PRODUCTS = ListOf(
    Obj(
        {"id": STR, "name": STR_OR_NULL, "prices": ListOf(_PRICE_REFERENCE)},
        required=frozenset({"id"}),
    )
)


def _describe(value: Any) -> str:
    """What was found, short enough for one line (``the string "false"``, ``a list``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return _("the string %(text)s") % {"text": json.dumps(shown, ensure_ascii=False)}
    if isinstance(value, int | float):
        return _("the number %(number)s") % {"number": repr(value)}
    if isinstance(value, list):
        return _("a list")
    return _("an object")


def _expected(shape: Shape) -> str:
    if isinstance(shape, Scalar):
        kinds = {str: N_("a string"), bool: N_("true or false"), int: N_("a whole number")}
        what = kinds[shape.kind]
    elif isinstance(shape, Obj):
        what = N_("an object")
    elif isinstance(shape, ListOf):
        what = N_("a list")
    else:
        what = N_("an id (a string) or an object with an id")
    if shape.nullable:
        return _("%(what)s or null") % {"what": _(what)}
    return _(what)


def _matches(shape: Scalar, value: Any) -> bool:
    if shape.kind is int:
        # JSON true/false are Python bools, which are ints: a count must not be ``true``.
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, shape.kind)


def _join(path: str, key: str | int) -> str:
    return f"{path}[{key}]" if path else str(key)


def _walk(shape: Shape, value: Any, path: str, problems: list[ValidationProblem]) -> None:
    if value is None:
        if not shape.nullable:
            problems.append(
                ValidationProblem(
                    path,
                    INVALID,
                    _("must be %(expected)s, not null.") % {"expected": _expected(shape)},
                )
            )
        return
    wrong = ValidationProblem(
        path,
        INVALID,
        _("must be %(expected)s, not %(describe)s.")
        % {"expected": _expected(shape), "describe": _describe(value)},
    )
    if isinstance(shape, Scalar):
        if not _matches(shape, value):
            problems.append(wrong)
    elif isinstance(shape, IdOrObject):
        if isinstance(value, Mapping):
            _walk(STR, value.get("id"), _join(path, "id"), problems)
        elif not isinstance(value, str):
            problems.append(wrong)
    elif isinstance(shape, ListOf):
        if not isinstance(value, list):
            problems.append(wrong)
            return
        for index, item in enumerate(value):
            _walk(shape.item, item, _join(path, index), problems)
    elif not isinstance(value, Mapping):
        problems.append(wrong)
    else:
        for key, field_shape in shape.fields.items():
            # A field left out reads as its default; one given must have the right type.
            if key in value:
                _walk(field_shape, value[key], _join(path, key), problems)
            elif key in shape.required:
                problems.append(
                    ValidationProblem(
                        _join(path, key),
                        INVALID,
                        _("is missing: expected %(expected)s.")
                        % {"expected": _expected(field_shape)},
                    )
                )


def _metadata_problems(metadata: Any) -> list[ValidationProblem]:
    if not isinstance(metadata, Mapping):
        return []  # the walk reported it
    return [
        ValidationProblem(
            f"metadata[{key}]",
            INVALID,
            _("must be a string, not %(describe)s.") % {"describe": _describe(value)},
        )
        for key, value in metadata.items()
        if not isinstance(value, str)
    ]


def shape_problems(configuration: Any, products: Any) -> list[ValidationProblem]:
    """Every field of the document's ``configuration`` and ``products`` with the wrong type.

    Configuration fields are named as Stripe names its parameters (``features[...]``), so the
    form and Stripe's own errors name the same place; the document's ``products`` list keeps
    its own name.
    """
    problems: list[ValidationProblem] = []
    if not isinstance(configuration, Mapping):
        problems.append(
            ValidationProblem(
                "configuration",
                INVALID,
                _("must be an object, not %(describe)s.") % {"describe": _describe(configuration)},
            )
        )
    elif "features" not in configuration:
        problems.append(
            ValidationProblem("configuration", INVALID, _("The configuration has no features."))
        )
    if isinstance(configuration, Mapping):
        _walk(CONFIGURATION, configuration, "", problems)
        problems.extend(_metadata_problems(configuration.get("metadata")))
    _walk(PRODUCTS, products, "products", problems)
    return problems


def parse_document_bytes(data: bytes, name: str) -> Any:
    """The JSON value in ``data``, or ``ValidationError`` saying why there is none."""

    def refuse(message: str) -> ValidationError:
        return ValidationError((ValidationProblem("", INVALID, message),))

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise refuse(f"{name} is not UTF-8 text (byte {error.start}).") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise refuse(
            f"{name} is not JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from error
    except RecursionError as error:
        raise refuse(f"{name} nests lists or objects too deeply to be a configuration.") from error
    except ValueError as error:  # e.g. a number past Python's 4,300-digit conversion limit
        raise refuse(f"{name} is not a readable JSON document: {error}.") from error


def read_capped(path: Path) -> bytes:
    """The file's bytes, reading at most one byte past the cap (``/dev/zero`` ends at once);
    a ``ValidationError`` when there are more. ``OSError`` is left to the caller."""
    with path.open("rb") as file:
        data = file.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            (
                ValidationProblem(
                    "",
                    INVALID,
                    _(
                        "%(name)s is larger than %(max_document_bytes)s bytes; a configuration "
                        "document is a few kilobytes. Is it the right file?"
                    )
                    % {"name": path.name, "max_document_bytes": format_count(MAX_DOCUMENT_BYTES)},
                ),
            )
        )
    return data


def read_document_file(path: Path) -> Any:
    """The JSON value in the file at ``path``.

    ``OSError`` (missing, a folder, no permission) is left to the caller, which knows how to
    say it; everything about the content is a ``ValidationError``.
    """
    return parse_document_bytes(read_capped(path), path.name)
