"""PaymentMethods through the stripe library: every type, test cards and tokens, attach/detach."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from tests import builders

FUTURE_YEAR = 2040


def card(number: str, **extra: Any) -> Any:
    return {
        "type": "card",
        "card": {"number": number, "exp_month": 12, "exp_year": FUTURE_YEAR, "cvc": "123", **extra},
    }


def typed(params: dict[str, Any]) -> Any:
    """Parameters built at run time (the type is a parameter), past the SDK's TypedDicts."""
    return params


# -- cards ------------------------------------------------------------------------------


def test_card_from_number_has_stripes_card_fields(client: stripe.StripeClient) -> None:
    pm = client.v1.payment_methods.create(
        params=typed(
            {
                **card("4242 4242 4242 4242"),
                "billing_details": {"name": "Ada", "address": {"postal_code": "94103"}},
                "metadata": {"source": "test"},
            }
        )
    )
    assert pm.id.startswith("pm_") and pm.object == "payment_method" and pm.type == "card"
    assert pm.customer is None and pm.livemode is False and pm.allow_redisplay == "unspecified"
    assert pm.card is not None
    assert (pm.card.brand, pm.card.display_brand, pm.card.last4) == ("visa", "visa", "4242")
    assert (pm.card.exp_month, pm.card.exp_year) == (12, FUTURE_YEAR)
    assert (pm.card.funding, pm.card.country) == ("credit", "US")
    assert pm.card.networks is not None and pm.card.networks.available == ["visa"]
    assert pm.card.checks is not None and pm.card.checks.cvc_check == "unchecked"
    assert pm.card.checks.address_postal_code_check == "unchecked"
    assert pm.card.wallet is None
    assert pm.billing_details.name == "Ada"
    assert pm.billing_details.address is not None and pm.billing_details.address.city is None
    assert pm.metadata is not None and pm.metadata.to_dict() == {"source": "test"}
    again = client.v1.payment_methods.create(params=card("4242424242424242"))
    assert again.id != pm.id
    assert again.card is not None and again.card.fingerprint == pm.card.fingerprint
    other = client.v1.payment_methods.create(params=card("5555555555554444"))
    assert other.card is not None and other.card.fingerprint != pm.card.fingerprint


@pytest.mark.parametrize(
    ("number", "cvc", "brand", "display", "funding", "country"),
    [
        ("5555555555554444", "123", "mastercard", "mastercard", "credit", "US"),
        ("378282246310005", "1234", "amex", "american_express", "credit", "US"),
        ("4000056655665556", "123", "visa", "visa", "debit", "US"),
        ("5105105105105100", "123", "mastercard", "mastercard", "prepaid", "US"),
        ("6011111111111117", "123", "discover", "discover", "credit", "US"),
        ("3566002020360505", "123", "jcb", "jcb", "credit", "JP"),
    ],
)
def test_card_brands_follow_the_test_numbers(
    client: stripe.StripeClient,
    number: str,
    cvc: str,
    brand: str,
    display: str,
    funding: str,
    country: str,
) -> None:
    pm = client.v1.payment_methods.create(params=card(number, cvc=cvc))
    assert pm.card is not None
    assert (pm.card.brand, pm.card.display_brand) == (brand, display)
    assert (pm.card.funding, pm.card.country, pm.card.last4) == (funding, country, number[-4:])


@pytest.mark.parametrize(
    ("details", "code", "param"),
    [
        ({"number": "4242424242424241"}, "incorrect_number", "card[number]"),
        ({"number": "4242"}, "invalid_number", "card[number]"),
        ({"number": "4242abcd42424242"}, "invalid_number", "card[number]"),
        ({"exp_month": 13}, "invalid_expiry_month", "card[exp_month]"),
        ({"exp_year": 2001}, "invalid_expiry_year", "card[exp_year]"),
        ({"cvc": "12"}, "invalid_cvc", "card[cvc]"),
    ],
)
def test_bad_card_details_are_card_errors_and_create_nothing(
    fresh_client: stripe.StripeClient, details: dict[str, Any], code: str, param: str
) -> None:
    params = card("4242424242424242")
    params["card"].update(details)
    with pytest.raises(stripe.CardError) as raised:
        fresh_client.v1.payment_methods.create(params=params)
    assert raised.value.code == code
    assert raised.value.param == param
    assert fresh_client.v1.payment_methods.list().data == []


def test_missing_expiry_is_a_missing_parameter(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.payment_methods.create(
            params={"type": "card", "card": {"number": "4242424242424242", "exp_year": 2040}}
        )
    assert raised.value.code == "parameter_missing"
    assert raised.value.param == "card[exp_month]"


def test_card_tokens_become_cards(client: stripe.StripeClient) -> None:
    visa = client.v1.payment_methods.create(params={"type": "card", "card": {"token": "tok_visa"}})
    assert visa.card is not None and (visa.card.brand, visa.card.last4) == ("visa", "4242")
    amex = client.v1.payment_methods.create(params={"type": "card", "card": {"token": "tok_amex"}})
    assert amex.card is not None and amex.card.brand == "amex"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.payment_methods.create(params={"type": "card", "card": {"token": "tok_nope"}})
    assert raised.value.param == "card[token]"
    assert raised.value.code == "resource_missing"


def test_details_for_another_type_are_refused(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.payment_methods.create(
            params=typed(
                {**card("4242424242424242"), "sepa_debit": {"iban": "DE89370400440532013000"}}
            )
        )
    assert raised.value.param == "sepa_debit"


# -- the other portal types ------------------------------------------------------------

NAME_EMAIL = {"name": "Jenny Rosen", "email": "jenny@example.com"}
GB_BILLING = {
    **NAME_EMAIL,
    "address": {"line1": "1 High St", "postal_code": "EC1A 1BB", "city": "London", "country": "GB"},
}
BR_BILLING = {
    **NAME_EMAIL,
    "address": {
        "line1": "Av. Paulista 1000",
        "city": "Sao Paulo",
        "state": "SP",
        "postal_code": "01310-100",
        "country": "BR",
    },
}

VALID: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    (
        "sepa_debit",
        {"iban": "DE89 3704 0044 0532 0130 00"},
        NAME_EMAIL,
        {"bank_code": "37040044", "country": "DE", "last4": "3000"},
    ),
    (
        "bacs_debit",
        {"sort_code": "10-88-00", "account_number": "00012345"},
        GB_BILLING,
        {"sort_code": "108800", "last4": "2345"},
    ),
    (
        "au_becs_debit",
        {"bsb_number": "000-000", "account_number": "000123456"},
        NAME_EMAIL,
        {"bsb_number": "000000", "last4": "3456"},
    ),
    (
        "acss_debit",
        {"institution_number": "000", "transit_number": "11000", "account_number": "000123456789"},
        NAME_EMAIL,
        {"institution_number": "000", "transit_number": "11000", "last4": "6789"},
    ),
    (
        "us_bank_account",
        {
            "routing_number": "110000000",
            "account_number": "000123456789",
            "account_holder_type": "company",
        },
        {"name": "Jenny Rosen"},
        {
            "routing_number": "110000000",
            "last4": "6789",
            "account_holder_type": "company",
            "account_type": "checking",
        },
    ),
    ("boleto", {"tax_id": "529.982.247-25"}, BR_BILLING, {"tax_id": "52998224725"}),
    (
        "nz_bank_account",
        {"bank_code": "11", "branch_code": "0000", "account_number": "0010016", "suffix": "000"},
        NAME_EMAIL,
        {"bank_code": "11", "branch_code": "0000", "last4": "0016", "suffix": "000"},
    ),
]


@pytest.mark.parametrize(("type_", "details", "billing", "expected"), VALID)
def test_each_debit_type_is_shaped_from_valid_details(
    client: stripe.StripeClient,
    type_: str,
    details: dict[str, Any],
    billing: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    pm = client.v1.payment_methods.create(
        params=typed({"type": type_, type_: details, "billing_details": billing})
    )
    assert pm.type == type_
    sub = pm[type_].to_dict()
    for key, value in expected.items():
        assert sub[key] == value, key
    if "fingerprint" in sub:
        assert sub["fingerprint"]


INVALID: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    ("sepa_debit", {"iban": "DE89370400440532013001"}, NAME_EMAIL, "sepa_debit[iban]"),
    ("sepa_debit", {"iban": "DE8937040044053201300"}, NAME_EMAIL, "sepa_debit[iban]"),
    ("sepa_debit", {"iban": "DE89370400440532013000"}, {"name": "J"}, "billing_details[email]"),
    (
        "bacs_debit",
        {"sort_code": "1088", "account_number": "00012345"},
        GB_BILLING,
        "bacs_debit[sort_code]",
    ),
    (
        "bacs_debit",
        {"sort_code": "108800", "account_number": "123"},
        GB_BILLING,
        "bacs_debit[account_number]",
    ),
    (
        "bacs_debit",
        {"sort_code": "108800", "account_number": "00012345"},
        NAME_EMAIL,
        "billing_details[address][line1]",
    ),
    (
        "au_becs_debit",
        {"bsb_number": "00000", "account_number": "000123456"},
        NAME_EMAIL,
        "au_becs_debit[bsb_number]",
    ),
    (
        "acss_debit",
        {"institution_number": "000", "transit_number": "1100", "account_number": "000123456789"},
        NAME_EMAIL,
        "acss_debit[transit_number]",
    ),
    (
        "us_bank_account",
        {"routing_number": "110000001", "account_number": "000123456789"},
        {"name": "J"},
        "us_bank_account[routing_number]",
    ),
    (
        "us_bank_account",
        {"routing_number": "110000000", "account_number": "12"},
        {"name": "J"},
        "us_bank_account[account_number]",
    ),
    (
        "us_bank_account",
        {"routing_number": "110000000", "account_number": "000123456789"},
        {},
        "billing_details[name]",
    ),
    ("boleto", {"tax_id": "123.456.789-00"}, BR_BILLING, "boleto[tax_id]"),
    ("boleto", {"tax_id": "529.982.247-25"}, NAME_EMAIL, "billing_details[address][line1]"),
    (
        "nz_bank_account",
        {"bank_code": "11", "branch_code": "00", "account_number": "0010016", "suffix": "000"},
        NAME_EMAIL,
        "nz_bank_account[branch_code]",
    ),
]


@pytest.mark.parametrize(("type_", "details", "billing", "param"), INVALID)
def test_invalid_debit_details_name_the_parameter(
    fresh_client: stripe.StripeClient,
    type_: str,
    details: dict[str, Any],
    billing: dict[str, Any],
    param: str,
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        fresh_client.v1.payment_methods.create(
            params=typed({"type": type_, type_: details, "billing_details": billing})
        )
    assert raised.value.param == param
    assert fresh_client.v1.payment_methods.list().data == []


@pytest.mark.parametrize("type_", ["amazon_pay", "cashapp", "paypal", "link"])
def test_wallet_types_need_no_details(client: stripe.StripeClient, type_: str) -> None:
    pm = client.v1.payment_methods.create(
        params=typed({"type": type_, "billing_details": {"email": "w@example.com"}})
    )
    assert pm.type == type_
    assert pm[type_] is not None
    if type_ == "link":
        assert pm[type_]["email"] == "w@example.com"


def test_other_types_are_accepted_generically(client: stripe.StripeClient) -> None:
    pm = client.v1.payment_methods.create(params={"type": "ideal", "ideal": {"bank": "ing"}})
    assert pm.type == "ideal"
    assert pm.ideal is not None and pm.ideal.bank == "ing"


# -- tokens, attach, detach ------------------------------------------------------------


def test_pm_tokens_make_a_fresh_payment_method_each_time(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="PM Tester")
    first = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    second = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    assert first.id not in (second.id, "pm_card_visa")
    assert first.card is not None and first.card.last4 == "4242"
    assert first.card.checks is not None and first.card.checks.cvc_check == "pass"
    amex = client.v1.payment_methods.attach("pm_card_amex", params={"customer": customer.id})
    assert amex.card is not None and amex.card.brand == "amex"
    debit = client.v1.payment_methods.attach("pm_card_visa_debit", params={"customer": customer.id})
    assert debit.card is not None and debit.card.funding == "debit"
    bank = client.v1.payment_methods.attach(
        "pm_usBankAccount_success", params={"customer": customer.id}
    )
    assert bank.type == "us_bank_account" and bank.us_bank_account is not None
    assert bank.us_bank_account.routing_number == "110000000"
    listed = client.v1.customers.payment_methods.list(customer.id, params={"limit": 100})
    assert {p.id for p in listed.data} == {first.id, second.id, amex.id, debit.id, bank.id}


def test_attach_and_detach_emit_events_and_move_the_payment_method(
    client: stripe.StripeClient,
) -> None:
    customer = builders.customer(client, name="PM Tester")
    pm = client.v1.payment_methods.create(params=card("4242424242424242"))
    attached = client.v1.payment_methods.attach(pm.id, params={"customer": customer.id})
    assert attached.customer == customer.id
    assert attached.card is not None and attached.card.checks is not None
    assert attached.card.checks.cvc_check == "pass"
    assert len(builders.events(client, "payment_method.attached", pm.id)) == 1
    again = client.v1.payment_methods.attach(pm.id, params={"customer": customer.id})
    assert again.customer == customer.id
    assert len(builders.events(client, "payment_method.attached", pm.id)) == 1

    other = builders.customer(client, name="PM Tester")
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.payment_methods.attach(pm.id, params={"customer": other.id})
    assert raised.value.param == "payment_method"
    assert client.v1.payment_methods.retrieve(pm.id).customer == customer.id

    detached = client.v1.payment_methods.detach(pm.id)
    assert detached.customer is None
    [event] = builders.events(client, "payment_method.detached", pm.id)
    assert event.data.previous_attributes is not None
    assert event.data.previous_attributes["customer"] == customer.id
    assert client.v1.customers.payment_methods.list(customer.id).data == []
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.payment_methods.detach(pm.id)
    with pytest.raises(stripe.InvalidRequestError) as reuse:
        client.v1.payment_methods.attach(pm.id, params={"customer": customer.id})
    assert "may not be used again" in str(reuse.value.user_message)


def test_attach_needs_an_existing_customer(client: stripe.StripeClient) -> None:
    pm = client.v1.payment_methods.create(params=card("4242424242424242"))
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.payment_methods.attach(pm.id, params={"customer": "cus_missing"})
    assert raised.value.code == "resource_missing" and raised.value.param == "customer"
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.payment_methods.attach(
            "pm_missing", params={"customer": builders.customer(client, name="PM Tester").id}
        )
    assert missing.value.code == "resource_missing"
    assert missing.value.param == "payment_method"


def test_detaching_the_default_clears_it_on_the_customer(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="PM Tester")
    pm = client.v1.payment_methods.attach("pm_card_mastercard", params={"customer": customer.id})
    client.v1.customers.update(
        customer.id, params={"invoice_settings": {"default_payment_method": pm.id}}
    )
    client.v1.payment_methods.detach(pm.id)
    after = client.v1.customers.retrieve(customer.id)
    assert after.invoice_settings is not None
    assert after.invoice_settings.default_payment_method is None
    updates = builders.events(client, "customer.updated", customer.id)
    cleared = [
        e
        for e in updates
        if e.data.previous_attributes is not None
        and e.data.previous_attributes.to_dict()
        .get("invoice_settings", {})
        .get("default_payment_method")
        == pm.id
    ]
    assert len(cleared) == 1


@pytest.mark.parametrize(
    ("token", "code", "decline_code"),
    [
        ("pm_card_chargeDeclined", "card_declined", "generic_decline"),
        ("pm_card_visa_chargeDeclined", "card_declined", "generic_decline"),
        ("pm_card_chargeDeclinedInsufficientFunds", "card_declined", "insufficient_funds"),
        ("pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card"),
        ("pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", "incorrect_cvc"),
    ],
)
def test_declining_cards_fail_at_attach(
    client: stripe.StripeClient, token: str, code: str, decline_code: str
) -> None:
    customer = builders.customer(client, name="PM Tester")
    with pytest.raises(stripe.CardError) as raised:
        client.v1.payment_methods.attach(token, params={"customer": customer.id})
    assert raised.value.code == code
    assert raised.value.error is not None and raised.value.error.decline_code == decline_code
    assert client.v1.customers.payment_methods.list(customer.id).data == []


def test_declining_card_number_is_created_but_refused_at_attach(
    client: stripe.StripeClient,
) -> None:
    pm = client.v1.payment_methods.create(params=card("4000000000000002"))
    customer = builders.customer(client, name="PM Tester")
    with pytest.raises(stripe.CardError) as raised:
        client.v1.payment_methods.attach(pm.id, params={"customer": customer.id})
    assert raised.value.user_message == "Your card was declined."
    assert client.v1.payment_methods.retrieve(pm.id).customer is None


def test_charge_customer_fail_card_attaches(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="PM Tester")
    pm = client.v1.payment_methods.attach(
        "pm_card_chargeCustomerFail", params={"customer": customer.id}
    )
    assert pm.customer == customer.id
    raw = client.v1.payment_methods.create(params=card("4000000000000341"))
    assert client.v1.payment_methods.attach(raw.id, params={"customer": customer.id}).customer


def test_customer_create_attaches_its_payment_method(fresh_client: stripe.StripeClient) -> None:
    customer = fresh_client.v1.customers.create(params={"payment_method": "pm_card_visa"})
    [pm] = fresh_client.v1.customers.payment_methods.list(customer.id).data
    assert pm.customer == customer.id
    with pytest.raises(stripe.CardError):
        fresh_client.v1.customers.create(
            params={"email": "declined@example.com", "payment_method": "pm_card_chargeDeclined"}
        )
    assert fresh_client.v1.customers.list(params={"email": "declined@example.com"}).data == []


# -- update and list -------------------------------------------------------------------


def test_update_needs_a_customer_then_changes_fields(client: stripe.StripeClient) -> None:
    pm = client.v1.payment_methods.create(params=card("4242424242424242"))
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.payment_methods.update(pm.id, params={"metadata": {"a": "1"}})
    customer = builders.customer(client, name="PM Tester")
    client.v1.payment_methods.attach(pm.id, params={"customer": customer.id})
    updated = client.v1.payment_methods.update(
        pm.id,
        params={
            "billing_details": {"name": "New Name", "address": {"country": "FR"}},
            "card": {"exp_month": 3, "exp_year": 2041},
            "metadata": {"a": "1"},
            "allow_redisplay": "always",
        },
    )
    assert updated.billing_details.name == "New Name"
    assert updated.billing_details.address is not None
    assert updated.billing_details.address.country == "FR"
    assert updated.card is not None and (updated.card.exp_month, updated.card.exp_year) == (
        3,
        2041,
    )
    assert updated.allow_redisplay == "always"
    [event] = builders.events(client, "payment_method.updated", pm.id)
    previous = event.data.previous_attributes
    assert previous is not None and previous["card"]["exp_year"] == FUTURE_YEAR
    with pytest.raises(stripe.CardError) as raised:
        client.v1.payment_methods.update(pm.id, params={"card": {"exp_year": 2001}})
    assert raised.value.code == "invalid_expiry_year"
    assert client.v1.payment_methods.retrieve(pm.id).card.exp_year == 2041  # type: ignore[union-attr]


def test_lists_filter_by_customer_type_and_expand_the_customer(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, name="PM Tester")
    visa = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    sepa = client.v1.payment_methods.create(
        params=typed(
            {
                "type": "sepa_debit",
                "sepa_debit": {"iban": "DE89370400440532013000"},
                "billing_details": NAME_EMAIL,
            }
        )
    )
    client.v1.payment_methods.attach(sepa.id, params={"customer": customer.id})
    loose = client.v1.payment_methods.create(params=card("5555555555554444"))

    cards = client.v1.payment_methods.list(params={"customer": customer.id, "type": "card"})
    assert [p.id for p in cards.data] == [visa.id]
    scoped = client.v1.customers.payment_methods.list(
        customer.id, params={"type": "sepa_debit", "expand": ["data.customer"]}
    )
    assert [p.id for p in scoped.data] == [sepa.id]
    assert scoped.data[0].customer.email is None  # type: ignore[union-attr]
    assert scoped.data[0].customer.id == customer.id  # type: ignore[union-attr]
    assert scoped.url == f"/v1/customers/{customer.id}/payment_methods"
    everything = client.v1.payment_methods.list()
    assert {p.id for p in everything.data} == {visa.id, sepa.id, loose.id}
    one = client.v1.customers.payment_methods.retrieve(customer.id, visa.id)
    assert one.id == visa.id
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.customers.payment_methods.retrieve(customer.id, loose.id)
    assert raised.value.code == "resource_missing"
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        client.v1.customers.payment_methods.list("cus_missing")
    assert unknown.value.param == "customer"
