"""The configuration model: Stripe's JSON in and out unchanged, and minimal update params."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from console.configurations.model import (
    AdjustableQuantity,
    PauseInterval,
    PortalConfiguration,
    UpdatableProduct,
    configuration_from_stripe,
    configuration_to_stripe,
    create_params,
    edit,
    update_params,
    with_metadata,
    with_product,
    without_product,
)
from console.gateway.models import PriceId, ProductId

FULL: dict[str, Any] = {
    "id": "bpc_123",
    "object": "billing_portal.configuration",
    "active": True,
    "application": None,
    "business_profile": {
        "headline": "Acme: manage your plan",
        "privacy_policy_url": "https://acme.example/privacy",
        "terms_of_service_url": "https://acme.example/terms",
    },
    "created": 1700000000,
    "default_return_url": "https://acme.example/account",
    "features": {
        "customer_update": {"allowed_updates": ["email", "address", "tax_id"], "enabled": True},
        "invoice_history": {"enabled": True},
        "payment_method_update": {"enabled": True, "payment_method_configuration": "pmc_1"},
        "subscription_cancel": {
            "cancellation_reason": {
                "enabled": True,
                "feedback_options": ["bfo_1"],
                "options": ["too_expensive", "unused", "other"],
            },
            "enabled": True,
            "mode": "immediately",
            "proration_behavior": "create_prorations",
        },
        "subscription_pause": {
            "duration": {
                "interval_options": [
                    {"interval": "month", "interval_count": 1},
                    {"interval": "week", "interval_count": 2},
                ],
                "type": "interval_options",
            },
            "enabled": True,
        },
        "subscription_update": {
            "billing_cycle_anchor": "now",
            "default_allowed_updates": ["price", "quantity", "promotion_code"],
            "enabled": True,
            "products": [
                {
                    "adjustable_quantity": {"enabled": True, "maximum": 10, "minimum": 1},
                    "prices": ["price_m", "price_y"],
                    "product": "prod_basic",
                },
                {
                    "adjustable_quantity": {"enabled": False, "maximum": None, "minimum": 1},
                    "prices": ["price_pro"],
                    "product": "prod_pro",
                },
            ],
            "proration_behavior": "always_invoice",
            "schedule_at_period_end": {
                "conditions": [{"type": "decreasing_item_amount"}, {"type": "shortening_interval"}]
            },
            "trial_update_behavior": "continue_trial",
        },
    },
    "is_default": True,
    "livemode": False,
    "login_page": {"enabled": True, "url": "https://billing.stripe.com/p/login/test_x"},
    "metadata": {"segment": "smb", "owner": "ops"},
    "name": "Small business",
    "updated": 1700000500,
}


def model() -> PortalConfiguration:
    return configuration_from_stripe(copy.deepcopy(FULL))


def test_a_full_configuration_round_trips_to_the_same_json() -> None:
    assert configuration_to_stripe(model()) == FULL


def test_fields_land_in_the_typed_model() -> None:
    config = model()
    update = config.features.subscription_update
    assert update.products is not None
    assert update.products[0] == UpdatableProduct(
        ProductId("prod_basic"),
        (PriceId("price_m"), PriceId("price_y")),
        AdjustableQuantity(True, 1, 10),
    )
    assert update.schedule_at_period_end == ("decreasing_item_amount", "shortening_interval")
    assert config.features.subscription_pause.duration.interval_options[1] == PauseInterval(
        "week", 2
    )
    assert config.features.subscription_cancel.cancellation_reason.feedback_options == ("bfo_1",)
    assert config.metadata == {"segment": "smb", "owner": "ops"}


def test_an_older_answer_without_pause_or_products_still_parses() -> None:
    raw = copy.deepcopy(FULL)
    del raw["features"]["subscription_pause"]
    del raw["features"]["subscription_update"]["products"]
    config = configuration_from_stripe(raw)
    assert config.features.subscription_update.products is None
    assert config.features.subscription_pause.enabled is False


def test_no_edit_means_no_update() -> None:
    assert update_params(model(), model()) == {}


def test_reordering_an_enum_list_is_no_change() -> None:
    edited = edit(
        model(), "features.customer_update.allowed_updates", ("tax_id", "email", "address")
    )
    assert update_params(model(), edited) == {}


def test_one_field_changed_sends_only_that_field() -> None:
    edited = edit(model(), "business_profile.headline", "New headline")
    assert update_params(model(), edited) == {"business_profile": {"headline": "New headline"}}
    edited = edit(model(), "features.subscription_cancel.mode", "at_period_end")
    assert update_params(model(), edited) == {
        "features": {"subscription_cancel": {"mode": "at_period_end"}}
    }


def test_cleared_values_are_unset_with_empty_strings() -> None:
    edited = dataclasses.replace(model(), name=None, default_return_url=None)
    edited = edit(edited, "business_profile.privacy_policy_url", None)
    edited = edit(edited, "features.customer_update.allowed_updates", ())
    assert update_params(model(), edited) == {
        "name": "",
        "default_return_url": "",
        "business_profile": {"privacy_policy_url": ""},
        "features": {"customer_update": {"allowed_updates": ""}},
    }


def test_metadata_sends_changed_keys_and_empties_removed_ones() -> None:
    edited = with_metadata(with_metadata(model(), "owner", None), "tier", "gold")
    assert update_params(model(), edited) == {"metadata": {"owner": "", "tier": "gold"}}


def test_objects_whose_enabled_stripe_requires_carry_it() -> None:
    edited = edit(model(), "features.payment_method_update.payment_method_configuration", None)
    edited = edit(edited, "features.subscription_cancel.cancellation_reason.options", ("other",))
    assert update_params(model(), edited) == {
        "features": {
            "payment_method_update": {"enabled": True, "payment_method_configuration": ""},
            "subscription_cancel": {"cancellation_reason": {"enabled": True, "options": ["other"]}},
        }
    }


def test_a_product_change_sends_the_whole_product_list() -> None:
    edited = without_product(model(), "prod_pro")
    assert update_params(model(), edited) == {
        "features": {
            "subscription_update": {
                "products": [
                    {
                        "product": "prod_basic",
                        "prices": ["price_m", "price_y"],
                        "adjustable_quantity": {"enabled": True, "minimum": 1, "maximum": 10},
                    }
                ]
            }
        }
    }
    emptied = edit(model(), "features.subscription_update.products", ())
    assert update_params(model(), emptied)["features"]["subscription_update"] == {"products": ""}


def test_with_product_replaces_the_same_product_in_place() -> None:
    replacement = UpdatableProduct(ProductId("prod_basic"), (PriceId("price_m"),))
    edited = with_product(model(), replacement)
    products = edited.features.subscription_update.products
    assert products is not None
    assert [p.product for p in products] == ["prod_basic", "prod_pro"]
    assert products[0].prices == ("price_m",)


def test_pause_duration_changes_send_the_duration_whole() -> None:
    edited = edit(
        model(), "features.subscription_pause.duration.interval_options", (PauseInterval("year"),)
    )
    assert update_params(model(), edited) == {
        "features": {
            "subscription_pause": {
                "duration": {
                    "type": "interval_options",
                    "interval_options": [{"interval": "year", "interval_count": 1}],
                }
            }
        }
    }


def test_create_params_leave_out_what_stripe_cannot_take_empty_on_create() -> None:
    params = create_params(PortalConfiguration())
    assert "business_profile" not in params
    assert "metadata" not in params
    assert params["features"]["subscription_update"] == {
        "enabled": False,
        "proration_behavior": "none",
        "trial_update_behavior": "end_trial",
    }
    assert params["features"]["customer_update"] == {"enabled": False, "allowed_updates": ""}


def test_create_params_of_a_full_configuration_carry_every_setting() -> None:
    params = create_params(model())
    assert params["business_profile"]["privacy_policy_url"] == "https://acme.example/privacy"
    assert params["features"]["subscription_update"]["products"][1] == {
        "product": "prod_pro",
        "prices": ["price_pro"],
        "adjustable_quantity": {"enabled": False},
    }
    assert params["features"]["subscription_cancel"]["cancellation_reason"] == {
        "enabled": True,
        "options": ["too_expensive", "unused", "other"],
        "feedback_options": ["bfo_1"],
    }
    assert params["metadata"] == {"segment": "smb", "owner": "ops"}
    assert params["login_page"] == {"enabled": True}
