"""Stripe's search query language: parsing, checking and evaluation, without a server.

Evaluation runs the compiled SQL over a real (in-memory) sandbox store, so these
tests prove what a query selects, not just how it was parsed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from console.sandbox.facts.errors import StripeError
from console.sandbox.state.search import (
    Clause,
    compile_query,
    count_sql,
    fingerprint,
    page_token,
    parse,
    read_page_token,
    select_sql,
)
from console.sandbox.state.store import Store

ACCOUNT = "acct_test"


def customer(n: int, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": f"cus_{n}",
        "object": "customer",
        "created": 1_700_000_000 + n,
        "email": None,
        "name": None,
        "phone": None,
        "metadata": {},
    }
    base.update(fields)
    return base


@pytest.fixture
def store() -> Iterator[Store]:
    db = Store(":memory:")
    rows = [
        customer(1, email="Amy@RocketRides.io", name="Amy Tan", metadata={"tier": "Gold"}),
        customer(2, email="bob@example.com", name="Bob  Stone", phone="+15550001"),
        customer(3, email="zed_x%@example.com", name="one two three four"),
        customer(4, name="Amy", metadata={"tier": "silver", "odd key\"'": "v"}),
        customer(5),
    ]
    for row in rows:
        db.insert(row, account=ACCOUNT)
    db.insert(customer(6, email="amy@rocketrides.io"), account="acct_other")
    for n, (active, shippable) in enumerate([(True, False), (False, True)], start=1):
        db.insert(
            {
                "id": f"prod_{n}",
                "object": "product",
                "created": 1_700_000_100 + n,
                "active": active,
                "shippable": shippable,
                "name": f"Plan {n}",
                "description": None,
                "url": "https://x.test/dinosaur_swag" if n == 1 else None,
                "metadata": {},
            },
            account=ACCOUNT,
        )
    db.insert(
        {
            "id": "in_1",
            "object": "invoice",
            "created": 1_700_000_200,
            "total": 1500,
            "currency": "usd",
            "status": "open",
            "number": "ABC-0001",
            "receipt_number": None,
            "last_finalization_error": {"code": "tax_id_invalid", "type": "invalid_request_error"},
            "parent": {"subscription_details": {"subscription": "sub_9"}},
            "metadata": {},
        },
        account=ACCOUNT,
        parent="cus_1",
    )
    yield db
    db.close()


def ids(store: Store, text: str, object_type: str = "customer") -> list[str]:
    compiled = compile_query(parse(text), object_type)
    rows = store.query(
        f"SELECT id FROM objects WHERE account = ? AND type = '{object_type}'"
        f" AND ({compiled.sql}) ORDER BY created DESC, seq DESC",
        [ACCOUNT, *compiled.args],
    )
    return [row[0] for row in rows]


def refused(text: str, object_type: str = "customer") -> StripeError:
    with pytest.raises(StripeError) as caught:
        compile_query(parse(text), object_type)
    assert caught.value.param == "query"
    assert caught.value.status == 400
    assert caught.value.type == "invalid_request_error"
    return caught.value


# -- parsing ------------------------------------------------------------------------


def test_clause_parts_with_either_quote() -> None:
    query = parse("email:'a@b.co' AND name:\"Jane Doe\"")
    assert query.joiner == "AND"
    assert query.clauses[0] == Clause("email", None, ":", "a@b.co", True, False, "email:'a@b.co'")
    assert query.clauses[1].value == "Jane Doe"


def test_escaped_quotes_inside_a_value() -> None:
    query = parse(r'name:"the story called \"The Sky\"" OR name:' + r"'it\'s'")
    assert [c.value for c in query.clauses] == ['the story called "The Sky"', "it's"]
    assert query.joiner == "OR"


def test_negation_null_numbers_and_metadata() -> None:
    query = parse("-email:null created>=1700000000 metadata[\"k\"]:'v' metadata['j']:null")
    negated, created, meta, meta_null = query.clauses
    assert (negated.field, negated.value, negated.negated) == ("email", None, True)
    assert (created.op, created.value, created.quoted) == (">=", "1700000000", False)
    assert (meta.field, meta.key, meta.value) == ("metadata", "k", "v")
    assert (meta_null.key, meta_null.value) == ("j", None)
    assert query.joiner == "AND"


def test_keywords_are_case_insensitive() -> None:
    assert parse("email:'a' and name:'b'").joiner == "AND"
    assert parse("email:'a' or name:'b'").joiner == "OR"


def test_operators() -> None:
    ops = [
        c.op
        for c in parse("created>1 created<2 created>=3 created<=4 name~'abc' email:'x'").clauses
    ]
    assert ops == [">", "<", ">=", "<=", "~", ":"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("email:'a' AND name:'b' OR phone:'c'", "AND and OR cannot be combined"),
        ("email:'a' name:'b' OR phone:'c'", "AND and OR cannot be combined"),
        ("(email:'a' OR name:'b')", "parentheses are not supported"),
        ("email:'a' AND (name:'b')", "parentheses are not supported"),
        (" AND ".join(f"created>{n}" for n in range(11)), "at most 10"),
        ("email:'unterminated", "no closing '"),
        ("email='a'", "= is not an operator"),
        ("email 'a'", "expected an operator"),
        ("email:", "expected a value"),
        ("email:amy", "must be quoted"),
        ("email:'a'name:'b'", "expected a space, AND or OR"),
        ("email:'a' AND", "a clause must follow AND / OR"),
        ("email:'a' AND AND name:'b'", "expected an operator"),
        (":'a'", "expected a field name"),
        ("metadata[key]:'v'", "metadata key must be quoted"),
        ("metadata['key':'v'", "expected ] after the metadata key"),
        ("email['key']:'v'", "only metadata takes a key"),
    ],
)
def test_syntax_errors_name_the_problem(text: str, problem: str) -> None:
    error = refused(text)
    assert problem in error.message
    assert error.message.startswith("Invalid query")


def test_ten_clauses_are_allowed() -> None:
    assert len(parse(" AND ".join(f"created>{n}" for n in range(10))).clauses) == 10


def test_parentheses_inside_quotes_are_text() -> None:
    assert parse("name:'Acme (EU)'").clauses[0].value == "Acme (EU)"


# -- checking against a resource's fields -------------------------------------------


@pytest.mark.parametrize(
    ("text", "object_type", "problem"),
    [
        ("foo:'x'", "customer", "foo is not a searchable field for customers"),
        ("status:'active'", "customer", "Searchable fields: created, email, metadata, name"),
        ("email:'x'", "subscription", "not a searchable field for subscriptions"),
        ("amount>5", "invoice", "not a searchable field for invoices"),
        ("email>5", "customer", "works only on numeric fields"),
        ("status~'act'", "subscription", "works only on string fields"),
        ("created~'170'", "customer", "works only on string fields"),
        ("name~'ab'", "customer", "at least 3 characters"),
        ("name~null", "customer", "needs a value, not null"),
        ("created>'soon'", "customer", "not a number"),
        ("created>null", "customer", "needs a number"),
        ("metadata:'x'", "customer", "metadata['key']"),
        ("metadata['k']~'abc'", "customer", "only : (exact match)"),
        ("active:'maybe'", "product", "only true or false"),
    ],
)
def test_semantic_errors_name_the_problem(text: str, object_type: str, problem: str) -> None:
    assert problem in refused(text, object_type).message


def test_every_documented_field_compiles() -> None:
    documented = {
        "customer": "created email metadata name phone",
        "subscription": "created metadata status",
        "invoice": "created currency customer last_finalization_error_code "
        "last_finalization_error_type metadata number receipt_number status subscription total",
        "product": "active created description metadata name shippable url",
        "price": "active created currency lookup_key metadata product type",
        "payment_intent": "amount created currency customer metadata status",
    }
    for object_type, names in documented.items():
        for name in names.split():
            if name == "metadata":
                text = "metadata['k']:'v'"
            elif name in ("created", "total", "amount"):
                text = f"{name}>1"
            elif name in ("active", "shippable"):
                text = f"{name}:'true'"
            else:
                text = f"{name}:'x'"
            assert compile_query(parse(text), object_type).sql


# -- evaluation -------------------------------------------------------------------------


def test_exact_match_is_case_insensitive_and_scoped_to_the_account(store: Store) -> None:
    assert ids(store, "email:'amy@rocketrides.io'") == ["cus_1"]
    assert ids(store, 'email:"AMY@ROCKETRIDES.IO"') == ["cus_1"]
    assert ids(store, "email:'amy'") == []


def test_name_exact_match_is_a_phrase_match(store: Store) -> None:
    assert ids(store, "name:'one two three'") == ["cus_3"]
    assert ids(store, "name:'two three four'") == ["cus_3"]
    assert ids(store, "name:'one three'") == []
    assert ids(store, "name:'amy'") == ["cus_4", "cus_1"]
    assert ids(store, "name:'bob stone'") == ["cus_2"]


def test_substring_match_escapes_like_wildcards(store: Store) -> None:
    assert ids(store, "email~'rocket'") == ["cus_1"]
    assert ids(store, "email~'ROCKET'") == ["cus_1"]
    assert ids(store, "email~'x%@'") == ["cus_3"]
    assert ids(store, "email~'d_x'") == ["cus_3"]
    assert ids(store, "email~'e_x'") == []  # _ is a character, not LIKE's wildcard
    assert ids(store, "email~'%%%'") == []


def test_negation_includes_records_without_the_field(store: Store) -> None:
    assert ids(store, "-email:'bob@example.com'") == ["cus_5", "cus_4", "cus_3", "cus_1"]
    assert ids(store, "-name~'amy'") == ["cus_5", "cus_3", "cus_2"]


def test_null_matches_absent_values(store: Store) -> None:
    assert ids(store, "email:null") == ["cus_5", "cus_4"]
    assert ids(store, "-email:null") == ["cus_3", "cus_2", "cus_1"]
    assert ids(store, "phone:NULL") == ["cus_5", "cus_4", "cus_3", "cus_1"]


def test_numeric_comparisons_on_created(store: Store) -> None:
    assert ids(store, "created>1700000003") == ["cus_5", "cus_4"]
    assert ids(store, "created>=1700000003") == ["cus_5", "cus_4", "cus_3"]
    assert ids(store, "created<1700000002") == ["cus_1"]
    assert ids(store, "created<='1700000002'") == ["cus_2", "cus_1"]
    assert ids(store, "created:1700000004") == ["cus_4"]


def test_metadata_by_key_value_and_presence(store: Store) -> None:
    assert ids(store, "metadata['tier']:'gold'") == ["cus_1"]
    assert ids(store, 'metadata["tier"]:"SILVER"') == ["cus_4"]
    assert ids(store, "-metadata['tier']:null") == ["cus_4", "cus_1"]
    assert ids(store, "metadata['tier']:null") == ["cus_5", "cus_3", "cus_2"]
    assert ids(store, "metadata['odd key\\\"\\'']:'v'") == ["cus_4"]


def test_and_or(store: Store) -> None:
    assert ids(store, "name:'amy' AND metadata['tier']:'gold'") == ["cus_1"]
    assert ids(store, "name:'amy' metadata['tier']:'silver'") == ["cus_4"]
    assert ids(store, "email:'bob@example.com' OR metadata['tier']:'gold'") == ["cus_2", "cus_1"]


def test_booleans_and_urls(store: Store) -> None:
    assert ids(store, "active:'true'", "product") == ["prod_1"]
    assert ids(store, "active:false", "product") == ["prod_2"]
    assert ids(store, "shippable:'TRUE'", "product") == ["prod_2"]
    assert ids(store, "url~'/dinosaur_swag'", "product") == ["prod_1"]
    assert ids(store, "url:null", "product") == ["prod_2"]


def test_invoice_fields(store: Store) -> None:
    for text in (
        "customer:'cus_1'",
        "subscription:'sub_9'",
        "total>1000",
        "total:1500",
        "currency:'USD'",
        "status:'open'",
        "number:'abc-0001'",
        "last_finalization_error_code:'tax_id_invalid'",
        "last_finalization_error_type:'invalid_request_error'",
        "receipt_number:null",
    ):
        assert ids(store, text, "invoice") == ["in_1"], text
    assert ids(store, "customer:'cus_2'", "invoice") == []
    assert ids(store, "total<1000", "invoice") == []


# -- the SQL a search runs ------------------------------------------------------------


def plan(store: Store, text: str) -> str:
    compiled = compile_query(parse(text), "customer")
    rows = store.query(
        "EXPLAIN QUERY PLAN " + select_sql("customer", compiled, paged=True),
        [ACCOUNT, *compiled.args, 1_800_000_000, 10**9, 11],
    )
    return " ".join(str(row[3]) for row in rows)


def test_exact_email_uses_the_expression_index(store: Store) -> None:
    assert "customers_by_email_nocase" in plan(store, "email:'amy@rocketrides.io'")
    assert "customers_by_email_nocase" in plan(store, "email:'a@b.co' AND name~'amy'")
    # Substring and OR queries cannot use it: they walk the created-ordered index instead.
    assert "objects_by_type" in plan(store, "email~'rocket'")
    assert "objects_by_type" in plan(store, "email:'a@b.co' OR name:'amy'")


def test_keyset_pages_and_counts(store: Store) -> None:
    compiled = compile_query(parse("-email:null"), "customer")
    first = store.query(select_sql("customer", compiled, paged=False), [ACCOUNT, *compiled.args, 2])
    assert [json.loads(r[0])["id"] for r in first] == ["cus_3", "cus_2"]
    created, seq = first[-1][1], first[-1][2]
    rest = store.query(
        select_sql("customer", compiled, paged=True), [ACCOUNT, *compiled.args, created, seq, 2]
    )
    assert [json.loads(r[0])["id"] for r in rest] == ["cus_1"]
    count = store.query(count_sql("customer", compiled), [ACCOUNT, *compiled.args])
    assert count[0][0] == 3
    with pytest.raises(ValueError):
        select_sql("customer'; DROP TABLE objects; --", compiled, paged=False)


# -- page tokens ----------------------------------------------------------------------


def test_page_token_round_trip_and_refusals() -> None:
    mark = fingerprint("email:'x'", "customer", ACCOUNT)
    token = page_token(1_700_000_000, 42, mark)
    assert token.startswith("page_")
    assert read_page_token(token, mark) == (1_700_000_000, 42)
    other = fingerprint("email:'y'", "customer", ACCOUNT)
    for bad, expected in ((token, other), ("page_!!", mark), ("nope", mark), ("page_YQ", mark)):
        with pytest.raises(StripeError) as caught:
            read_page_token(bad, expected)
        assert caught.value.param == "page"
