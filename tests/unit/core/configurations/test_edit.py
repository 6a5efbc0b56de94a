"""Field diffs and problem placement for the configuration editor."""

from __future__ import annotations

import dataclasses

from console.configurations.edit import (
    FieldChange,
    diff,
    display_value,
    field_values,
    owning_field,
    parent_params,
    problems_by_field,
)
from console.configurations.model import (
    PortalConfiguration,
    UpdatableProduct,
    edit,
    with_metadata,
    with_product,
)
from console.errors import ValidationProblem
from console.gateway.models import PortalConfigurationId, PriceId, ProductId

SAVED = dataclasses.replace(
    PortalConfiguration(),
    id=PortalConfigurationId("bpc_1"),
    name="Default",
    is_default=True,
    created=1700000000,
    default_return_url="https://acme.example/account",
)


def test_field_values_name_fields_in_bracket_form_and_leave_out_read_only_facts() -> None:
    values = field_values(with_metadata(SAVED, "team", "billing"))
    assert values["default_return_url"] == "https://acme.example/account"
    assert values["features[subscription_cancel][mode]"] == "at_period_end"
    assert values["features[customer_update][allowed_updates]"] == []
    assert values["metadata[team]"] == "billing"
    for read_only in ("id", "created", "is_default", "login_page[url]", "livemode"):
        assert read_only not in values


def test_no_edit_no_diff() -> None:
    assert diff(SAVED, SAVED) == ()


def test_diff_lists_each_changed_field_with_both_values() -> None:
    after = edit(SAVED, "default_return_url", "https://acme.example/billing")
    after = edit(after, "features.subscription_cancel.mode", "immediately")
    assert diff(SAVED, after) == (
        FieldChange(
            "default_return_url", "https://acme.example/account", "https://acme.example/billing"
        ),
        FieldChange("features[subscription_cancel][mode]", "at_period_end", "immediately"),
    )


def test_reordering_enum_values_is_no_change_but_products_order_is() -> None:
    before = edit(SAVED, "features.customer_update.allowed_updates", ("email", "address"))
    after = edit(before, "features.customer_update.allowed_updates", ("address", "email"))
    assert diff(before, after) == ()
    one = UpdatableProduct(ProductId("prod_a"), (PriceId("price_a"),))
    two = UpdatableProduct(ProductId("prod_b"), (PriceId("price_b"),))
    first = with_product(with_product(SAVED, one), two)
    swapped = edit(first, "features.subscription_update.products", (two, one))
    assert [c.param for c in diff(first, swapped)] == ["features[subscription_update][products]"]


def test_metadata_keys_added_and_removed_are_changes_of_their_own() -> None:
    before = with_metadata(SAVED, "old", "1")
    after = with_metadata(with_metadata(before, "old", None), "new", "2")
    assert diff(before, after) == (
        FieldChange("metadata[new]", None, "2"),
        FieldChange("metadata[old]", "1", None),
    )


def test_never_set_and_emptied_look_the_same() -> None:
    never = edit(SAVED, "features.subscription_update.products", None)
    emptied = edit(SAVED, "features.subscription_update.products", ())
    assert diff(never, emptied) == ()
    assert diff(SAVED, with_metadata(with_metadata(SAVED, "k", "v"), "k", None)) == ()


def test_a_new_configuration_differs_from_the_defaults_only() -> None:
    new = edit(PortalConfiguration(), "features.invoice_history.enabled", True)
    assert [c.param for c in diff(None, new)] == ["features[invoice_history][enabled]"]


def test_parent_params_go_from_precise_to_whole() -> None:
    assert list(parent_params("features[subscription_update][products][0][prices]")) == [
        "features[subscription_update][products][0][prices]",
        "features[subscription_update][products][0]",
        "features[subscription_update][products]",
        "features[subscription_update]",
        "features",
    ]
    assert list(parent_params("name")) == ["name"]


def test_a_problem_goes_to_the_field_it_sits_in() -> None:
    fields = ["default_return_url", "features[subscription_update][products]", "metadata"]
    assert owning_field("default_return_url", fields) == "default_return_url"
    assert (
        owning_field("features[subscription_update][products][1][prices][0]", fields)
        == "features[subscription_update][products]"
    )
    assert owning_field("metadata[plan]", fields) == "metadata"
    assert owning_field("features[subscription_cancel][mode]", fields) is None


def test_problems_of_no_field_go_to_the_fallback() -> None:
    problems = [
        ValidationProblem("default_return_url", "url_invalid", "bad"),
        ValidationProblem("", "api_error", "the server failed"),
        ValidationProblem("default_return_url", "x", "again"),
    ]
    grouped = problems_by_field(problems, ["default_return_url"], fallback="")
    assert [p.message for p in grouped["default_return_url"]] == ["bad", "again"]
    assert [p.code for p in grouped[""]] == ["api_error"]


def test_display_values_are_one_line() -> None:
    assert display_value(None) == "—"
    assert display_value([]) == "—"
    assert display_value(["email", "name"]) == "email, name"
    assert display_value([{"product": "prod_a"}]) == '[{"product": "prod_a"}]'
    assert display_value("https://a.example") == "https://a.example"
