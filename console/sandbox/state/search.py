"""Stripe's search query language: parsed, checked against a resource's fields, compiled to SQL.

A query is up to ten clauses, ``field<op>value``, joined by spaces or ``AND``
(all must match) or by ``OR`` (any may match), never both, with no parentheses.
``-`` in front of a clause negates it. Operators: ``:`` exact match, ``~``
substring (at least 3 characters), ``>`` ``<`` ``>=`` ``<=`` on numeric
fields. ``metadata['key']`` names a metadata key; ``null`` matches an absent or
empty value. String values must be quoted (``'`` or ``"``, ``\\`` escapes);
numbers, ``true``/``false`` and ``null`` may go bare.

Field types follow Stripe's documentation:

- *token*: exact match only, case-insensitive (``status``, ``currency``, ``metadata``);
- *string*: exact match and substring, case-insensitive (``email``, ``phone``, ``url``);
- *text*: a string whose exact match is a phrase match, as Stripe documents for
  ``name``/``description``: ``name:'jane'`` matches "Jane Doe" (the words of the
  value, in order, among the space-separated words of the field);
- *numeric*: exact match and comparisons (``created``, ``total``, ``amount``);
- *boolean*: a token that is ``true`` or ``false`` (``active``, ``shippable``);
- *id*: an object id (``customer``, ``product``, ``subscription``): exact and
  case-sensitive, because ids are. Where the id is the row's owner (an invoice's
  customer, a price's product) the clause reads the indexed ``parent`` column.

Everything the user wrote is bound as an SQL parameter; the SQL text holds only
constants of this module (JSON paths, column names), which lets SQLite use
expression indexes such as ``lower(json_extract(data, '$.email'))``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Any

from console.sandbox.facts.errors import StripeError

MAX_CLAUSES = 10
MIN_SUBSTRING = 3
_OPERATORS = (">=", "<=", ":", "~", ">", "<")
_BARE_STOP = set(" \t\r\n'\"()")


@dataclass(frozen=True, slots=True)
class Field:
    """A searchable field: its type and where its value lives (a column or a JSON path)."""

    kind: str  # token | string | text | numeric | boolean | id | metadata
    path: str = ""
    column: str = ""
    # An expression index (the store's customers_by_email_nocase) serves exact matches: the
    # search then orders the few matches itself instead of walking the created-ordered index.
    indexed: bool = False

    def sql(self) -> str:
        return self.column or f"json_extract(data, '{self.path}')"


def _j(kind: str, path: str) -> Field:
    return Field(kind, path=path)


SEARCHABLE: dict[str, dict[str, Field]] = {
    "customer": {
        "created": Field("numeric", column="created"),
        "email": Field("string", path="$.email", indexed=True),
        "metadata": Field("metadata"),
        "name": _j("text", "$.name"),
        "phone": _j("string", "$.phone"),
    },
    "subscription": {
        "created": Field("numeric", column="created"),
        "metadata": Field("metadata"),
        "status": _j("token", "$.status"),
    },
    "invoice": {
        "created": Field("numeric", column="created"),
        "currency": _j("token", "$.currency"),
        "customer": Field("id", column="parent"),
        "last_finalization_error_code": _j("string", "$.last_finalization_error.code"),
        "last_finalization_error_type": _j("string", "$.last_finalization_error.type"),
        "metadata": Field("metadata"),
        "number": _j("string", "$.number"),
        "receipt_number": _j("string", "$.receipt_number"),
        "status": _j("string", "$.status"),
        "subscription": _j("id", "$.parent.subscription_details.subscription"),
        "total": _j("numeric", "$.total"),
    },
    "product": {
        "active": _j("boolean", "$.active"),
        "created": Field("numeric", column="created"),
        "description": _j("text", "$.description"),
        "metadata": Field("metadata"),
        "name": _j("text", "$.name"),
        "shippable": _j("boolean", "$.shippable"),
        "url": _j("string", "$.url"),
    },
    "price": {
        "active": _j("boolean", "$.active"),
        "created": Field("numeric", column="created"),
        "currency": _j("token", "$.currency"),
        "lookup_key": _j("string", "$.lookup_key"),
        "metadata": Field("metadata"),
        "product": Field("id", column="parent"),
        "type": _j("token", "$.type"),
    },
    "payment_intent": {
        "amount": _j("numeric", "$.amount"),
        "created": Field("numeric", column="created"),
        "currency": _j("token", "$.currency"),
        "customer": _j("id", "$.customer"),
        "metadata": Field("metadata"),
        "status": _j("token", "$.status"),
    },
}

# Expression indexes the exact-match SQL above is written to use; the store's schema owns them.

_PLURAL = {
    "customer": "customers",
    "subscription": "subscriptions",
    "invoice": "invoices",
    "product": "products",
    "price": "prices",
    "payment_intent": "payment intents",
}


@dataclass(frozen=True, slots=True)
class Clause:
    field: str
    key: str | None  # the metadata key, for ``metadata['key']``
    op: str
    value: str | None  # None is ``null``
    quoted: bool
    negated: bool
    text: str  # the clause as written, for error messages


@dataclass(frozen=True, slots=True)
class Query:
    clauses: tuple[Clause, ...]
    joiner: str  # "AND" or "OR"


def query_error(message: str) -> StripeError:
    return StripeError(message, param="query")


# -- parsing ----------------------------------------------------------------------


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def skip_space(self) -> bool:
        start = self.pos
        while not self.at_end() and self.text[self.pos].isspace():
            self.pos += 1
        return self.pos > start

    def fail(self, problem: str, at: int | None = None) -> StripeError:
        where = self.pos if at is None else at
        shown = self.text[where : where + 20] or "end of query"
        return query_error(
            f"Invalid query: {problem} (at character {where + 1}: {shown!r}). See "
            "https://stripe.com/docs/search#search-query-language."
        )

    def quoted(self) -> str:
        quote = self.text[self.pos]
        start = self.pos
        self.pos += 1
        out: list[str] = []
        while not self.at_end():
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                out.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            if char == quote:
                self.pos += 1
                return "".join(out)
            out.append(char)
            self.pos += 1
        raise self.fail(f"the quoted value has no closing {quote}", start)

    def name(self) -> str:
        start = self.pos
        while not self.at_end() and (self.text[self.pos].isalnum() or self.text[self.pos] in "_."):
            self.pos += 1
        return self.text[start : self.pos]


def parse(text: str) -> Query:
    """The query's clauses and how they combine; Stripe's 400 (``param=query``) if malformed."""
    if not text.strip():
        raise query_error("Invalid query: the query is empty; give at least one clause.")
    reader = _Reader(text)
    for position, char in enumerate(text):
        if char in "()" and not _inside_quotes(text, position):
            raise reader.fail(
                "parentheses are not supported; combine clauses with AND or with OR", position
            )
    clauses: list[Clause] = []
    joiners: set[str] = set()
    reader.skip_space()
    while True:
        clauses.append(_clause(reader))
        spaced = reader.skip_space()
        if reader.at_end():
            break
        if not spaced:
            raise reader.fail("expected a space, AND or OR between clauses")
        word = reader.peek(4)
        if word[:3].upper() == "AND" and (len(word) < 4 or word[3].isspace()):
            joiners.add("AND")
            reader.pos += 3
        elif word[:2].upper() == "OR" and (len(word) < 3 or word[2].isspace()):
            joiners.add("OR")
            reader.pos += 2
        else:
            joiners.add("AND")  # clauses separated by a space are ANDed
            continue
        if not reader.skip_space() or reader.at_end():
            raise reader.fail("a clause must follow AND / OR")
    if len(joiners) > 1:
        raise query_error(
            "Invalid query: AND and OR cannot be combined in one query; use only one of them."
        )
    if len(clauses) > MAX_CLAUSES:
        raise query_error(
            f"Invalid query: it has {len(clauses)} clauses; a query may have at most {MAX_CLAUSES}."
        )
    return Query(tuple(clauses), joiners.pop() if joiners else "AND")


def _inside_quotes(text: str, position: int) -> bool:
    quote: str | None = None
    index = 0
    while index < position:
        char = text[index]
        if quote is not None and char == "\\":
            index += 2
            continue
        if quote is None and char in "'\"":
            quote = char
        elif char == quote:
            quote = None
        index += 1
    return quote is not None


def _clause(reader: _Reader) -> Clause:
    start = reader.pos
    negated = reader.peek() == "-"
    if negated:
        reader.pos += 1
    field_at = reader.pos
    field = reader.name()
    if not field:
        raise reader.fail("expected a field name")
    key: str | None = None
    if reader.peek() == "[":
        reader.pos += 1
        if reader.peek() not in ("'", '"'):
            raise reader.fail("a metadata key must be quoted, as in metadata['key']")
        key = reader.quoted()
        if reader.peek() != "]":
            raise reader.fail("expected ] after the metadata key")
        reader.pos += 1
        if field != "metadata":
            raise reader.fail(f"only metadata takes a key in brackets, not {field}", field_at)
    reader.skip_space()
    op = next((o for o in _OPERATORS if reader.peek(len(o)) == o), None)
    if op is None:
        if reader.peek() == "=":
            raise reader.fail("use : for an exact match (= is not an operator)")
        raise reader.fail(f"expected an operator (: ~ > < >= <=) after {field}")
    reader.pos += len(op)
    reader.skip_space()
    if reader.at_end():
        raise reader.fail(f"expected a value after {field}{op}")
    value: str | None
    quoted = reader.peek() in ("'", '"')
    if quoted:
        value = reader.quoted()
    else:
        value_at = reader.pos
        while not reader.at_end() and reader.text[reader.pos] not in _BARE_STOP:
            reader.pos += 1
        value = reader.text[value_at : reader.pos]
        if not value:
            raise reader.fail(f"expected a value after {field}{op}")
        if value.lower() == "null":
            value = None
        elif not _is_number(value) and value.lower() not in ("true", "false"):
            raise reader.fail(
                f"the value {value!r} must be quoted (string values need quotation marks)",
                value_at,
            )
    return Clause(field, key, op, value, quoted, negated, reader.text[start : reader.pos])


def _is_number(value: str) -> bool:
    try:
        int(value)
    except ValueError:
        try:
            float(value)
        except ValueError:
            return False
    return True


# -- compiling ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Compiled:
    """An SQL condition over the ``objects`` table with its bound arguments."""

    sql: str
    args: tuple[Any, ...]
    # True when an AND-ed exact match on an indexed field narrows the search to a few rows.
    selective: bool = False


def compile_query(query: Query, object_type: str) -> Compiled:
    fields = SEARCHABLE[object_type]
    parts: list[str] = []
    args: list[Any] = []
    selective = False
    for clause in query.clauses:
        field = fields.get(clause.field)
        if field is None:
            raise query_error(
                f"Invalid query: {clause.field} is not a searchable field for "
                f"{_PLURAL[object_type]} (in {clause.text!r}). Searchable fields: "
                f"{', '.join(sorted(fields))}."
            )
        sql, clause_args = _condition(clause, field)
        if field.indexed and clause.op == ":" and clause.value is not None and not clause.negated:
            selective = selective or query.joiner == "AND"
        if clause.negated:
            sql = f"NOT IFNULL({sql}, 0)"
        parts.append(f"({sql})")
        args.extend(clause_args)
    return Compiled(f" {query.joiner} ".join(parts), tuple(args), selective)


def _condition(clause: Clause, field: Field) -> tuple[str, list[Any]]:
    op, value = clause.op, clause.value
    if field.kind == "metadata":
        return _metadata(clause)
    if clause.key is not None:
        raise _clause_error(clause, f"{clause.field} does not take a key in brackets")
    column = field.sql()
    if op in (">", "<", ">=", "<="):
        if field.kind != "numeric":
            raise _clause_error(
                clause,
                f"{clause.field} is a {_type_name(field)} field; {op} works only on numeric fields",
            )
        return f"{column} {op} ?", [_number(clause)]
    if op == "~":
        if field.kind not in ("string", "text", "id"):
            raise _clause_error(
                clause,
                f"{clause.field} is a {_type_name(field)} field; substring matching (~) works "
                "only on string fields",
            )
        if value is None:
            raise _clause_error(clause, "substring matching (~) needs a value, not null")
        if len(value) < MIN_SUBSTRING:
            raise _clause_error(
                clause,
                f"substring matching (~) needs at least {MIN_SUBSTRING} characters, got "
                f"{len(value)}",
            )
        return f"{column} LIKE ? ESCAPE '\\'", [f"%{_like_escape(value)}%"]
    if value is None:
        if field.kind in ("string", "text", "token"):
            return f"({column} IS NULL OR {column} = '')", []
        return f"{column} IS NULL", []
    if field.kind == "numeric":
        return f"{column} = ?", [_number(clause)]
    if field.kind == "boolean":
        if value.lower() not in ("true", "false"):
            raise _clause_error(clause, f"{clause.field} accepts only true or false")
        return f"{column} = ?", [1 if value.lower() == "true" else 0]
    if field.kind == "id":
        return f"{column} = ?", [value]
    if field.kind == "text":
        phrase = " ".join(value.split())
        # Runs of spaces in the stored value count as one separator (up to four in a row).
        spaced = f"replace(replace(' ' || {column} || ' ', '  ', ' '), '  ', ' ')"
        return f"{spaced} LIKE ? ESCAPE '\\'", [f"% {_like_escape(phrase)} %"]
    return f"lower({column}) = lower(?)", [value]


def _metadata(clause: Clause) -> tuple[str, list[Any]]:
    if clause.key is None:
        raise _clause_error(clause, "search metadata by key, as in metadata['key']:'value'")
    if clause.op != ":":
        raise _clause_error(
            clause, f"metadata is a token field; only : (exact match) works, not {clause.op}"
        )
    # The key is user text: json_each binds it as a value instead of splicing it into a path.
    if clause.value is None:
        return (
            "NOT EXISTS (SELECT 1 FROM json_each(data, '$.metadata') AS m WHERE m.key = ?)",
            [clause.key],
        )
    return (
        "EXISTS (SELECT 1 FROM json_each(data, '$.metadata') AS m"
        " WHERE m.key = ? AND lower(m.value) = lower(?))",
        [clause.key, clause.value],
    )


def _number(clause: Clause) -> int | float:
    value = clause.value
    if value is None:
        raise _clause_error(clause, f"{clause.op} needs a number, not null")
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            raise _clause_error(
                clause, f"{clause.field} is numeric; {value!r} is not a number"
            ) from None


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _type_name(field: Field) -> str:
    return {"text": "string", "id": "string", "boolean": "token"}.get(field.kind, field.kind)


def _clause_error(clause: Clause, problem: str) -> StripeError:
    return query_error(f"Invalid query: {problem} (in {clause.text!r}).")


def select_sql(object_type: str, compiled: Compiled, *, paged: bool) -> str:
    """One page of matches, newest first. Parameters: account, the query's arguments, then
    (created, seq) of the previous page's last row when ``paged``, then the row limit."""
    if object_type not in SEARCHABLE:  # the type is written into the SQL: never user input
        raise ValueError(object_type)
    # "created + 0" keeps SQLite from walking the created-ordered index when an expression
    # index finds the few matching rows directly; otherwise that walk is what makes LIMIT cheap.
    created = "created + 0" if compiled.selective else "created"
    after = f" AND ({created}, seq) < (?, ?)" if paged else ""
    return (
        f"SELECT data, created, seq FROM objects WHERE account = ? AND type = '{object_type}'"
        f" AND ({compiled.sql}){after} ORDER BY {created} DESC, seq DESC LIMIT ?"
    )


def count_sql(object_type: str, compiled: Compiled) -> str:
    """How many objects match (``total_count``). Parameters: account, the query's arguments."""
    if object_type not in SEARCHABLE:
        raise ValueError(object_type)
    return (
        f"SELECT COUNT(*) FROM objects WHERE account = ? AND type = '{object_type}'"
        f" AND ({compiled.sql})"
    )


# -- page tokens ------------------------------------------------------------------------


def fingerprint(query_text: str, object_type: str, account: str) -> str:
    """Ties a page token to the search it came from."""
    digest = hashlib.sha256(f"{account}\n{object_type}\n{query_text}".encode()).hexdigest()
    return digest[:12]


def page_token(created: int, seq: int, print_: str) -> str:
    raw = f"{created}:{seq}:{print_}".encode()
    return "page_" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def read_page_token(token: str, print_: str) -> tuple[int, int]:
    """(created, seq) of the last object of the previous page, or Stripe's 400 naming ``page``."""
    bad = StripeError(
        f"Invalid page: {token!r} is not a page cursor of this search. Pass the next_page "
        "value of the previous response, with the same query.",
        param="page",
    )
    if not token.startswith("page_"):
        raise bad
    body = token[5:]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
        created, seq, found_print = raw.split(":")
        cursor = (int(created), int(seq))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad from None
    if found_print != print_:
        raise bad
    return cursor
