"""Scale data (``--seed scale:N``): N customers, each with a subscription and a few invoices.

A million customers through the API would take hours, so the sandbox's own
rules make a handful of *templates* (a customer with a card, a subscription on
a plan, its first invoice and payment, all through :meth:`Api.call`), and
every other customer is a copy of one of them: the stored JSON with new ids,
names, emails, invoice numbers and times, written in large transactions.

Copies stay consistent: ids are rewritten everywhere they appear (the
``parent`` column, ``latest_invoice``, line items, client secrets), each
customer's subscription started at its own ``created`` moment (spread over the
past two years, ascending with the rows' order) and is in the billing period
that contains now, with its first invoice and the latest renewals, paid. The
``due`` column (the next renewal) is in the future, so the clock's sweep finds
nothing to do until a period really ends.
"""

from __future__ import annotations

import json
import queue
import random
import re
import secrets
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from console.sandbox.billing import periods as billing_periods
from console.sandbox.facts.spec import JSON
from console.sandbox.http.app import Api

Progress = Callable[[str], None]

SEED = 1_000_003
SPAN = 730 * 86_400  # customers were created over the past two years
BATCH = 10_000  # customers per transaction: ~250 MB of rows in memory at a time
REPORT_EVERY = 50_000

FIRST_NAMES = (
    "Aaliyah", "Aaron", "Abigail", "Adam", "Adrian", "Aiden", "Aisha", "Alejandro", "Alexander",
    "Alice", "Amara", "Amelia", "Amir", "Ana", "Andrea", "Andrew", "Angela", "Anna", "Anthony",
    "Arjun", "Aria", "Ava", "Benjamin", "Bianca", "Brandon", "Caleb", "Camila", "Carlos",
    "Caroline", "Charlotte", "Chloe", "Christopher", "Claire", "Daniel", "David", "Diana",
    "Diego", "Dmitri", "Elena", "Eli", "Elijah", "Elizabeth", "Ella", "Emily", "Emma", "Ethan",
    "Eva", "Fatima", "Felix", "Fiona", "Gabriel", "Grace", "Hana", "Hannah", "Harper", "Henry",
    "Hiroshi", "Hugo", "Ibrahim", "Isabella", "Isaac", "Ivan", "Jack", "Jacob", "James",
    "Jasmine", "Javier", "Jennifer", "Jessica", "Jin", "John", "Jonas", "Jose", "Joseph", "Julia",
    "Kai", "Karen", "Kevin", "Kofi", "Laura", "Layla", "Leah", "Leo", "Liam", "Lily", "Lucas",
    "Lucia", "Luis", "Maya", "Mei", "Mia", "Michael", "Mohammed", "Nadia", "Naomi", "Nathan",
    "Nina", "Noah", "Nora", "Olivia", "Omar", "Oscar", "Paul", "Priya", "Rachel", "Rafael",
    "Ravi", "Rebecca", "Riya", "Robert", "Rosa", "Ruby", "Ryan", "Samuel", "Sara", "Sebastian",
    "Sofia", "Sophie", "Stella", "Thomas", "Valentina", "Victor", "Wei", "William", "Yara",
    "Yusuf", "Zara", "Zoe"
)  # fmt: skip
LAST_NAMES = (
    "Abbott", "Acosta", "Adams", "Afolabi", "Ahmed", "Ali", "Alvarez", "Anderson", "Andersson",
    "Baker", "Banerjee", "Barnes", "Becker", "Bennett", "Berg", "Bianchi", "Brown", "Bruno",
    "Campbell", "Carter", "Castro", "Chen", "Clark", "Collins", "Cooper", "Costa", "Cruz", "Dang",
    "Davies", "Davis", "Diaz", "Dubois", "Edwards", "Evans", "Fernandez", "Fischer", "Flores",
    "Fontaine", "Garcia", "Gomez", "Gonzalez", "Gupta", "Hall", "Hansen", "Harris", "Hernandez",
    "Hoffmann", "Hughes", "Ito", "Jackson", "Jansen", "Johnson", "Jones", "Kaur", "Khan", "Kim",
    "King", "Kowalski", "Kumar", "Lambert", "Larsen", "Lee", "Lewis", "Li", "Lopez", "Martin",
    "Martinez", "Meyer", "Miller", "Mitchell", "Moore", "Morales", "Moreau", "Muller", "Murphy",
    "Nakamura", "Nguyen", "Nielsen", "Novak", "Okafor", "Olsen", "Ortiz", "Park", "Patel",
    "Perez", "Peters", "Petrov", "Phillips", "Popescu", "Ramos", "Reyes", "Richter", "Rivera",
    "Roberts", "Robinson", "Rodriguez", "Romano", "Rossi", "Russo", "Sanchez", "Santos", "Sato",
    "Schmidt", "Schneider", "Scott", "Shah", "Silva", "Singh", "Smith", "Suzuki", "Tanaka",
    "Taylor", "Thomas", "Thompson", "Torres", "Tran", "Turner", "Walker", "Wang", "Weber",
    "Williams", "Wilson", "Wong", "Wright", "Yamamoto", "Young", "Zhang"
)  # fmt: skip
DOMAINS = ("example.com", "example.org", "example.net", "mail.example", "inbox.example",
           "corp.example", "studio.example", "cloud.example")  # fmt: skip

PLANS = (("Starter", 900, "month"), ("Team", 2900, "month"), ("Business", 79000, "year"))

# Row types that belong to the customer (one copy each); every other row the template made
# belongs to an invoice and is copied once per invoice.
CUSTOMER_TYPES = frozenset({"customer", "payment_method", "subscription", "subscription_item",
                            "tax_id"})  # fmt: skip
# Keys whose moment is the start of the current period rather than the object's creation.
START_KEYS = frozenset({"current_period_start", "period_start", "start"})

_ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase
_UPPER = string.digits + string.ascii_uppercase
_STAMP = re.compile(r'"(\w+)":(\d{10})(?=[,}\]])')
_EMBEDDED_ID = re.compile(r'"id":"([a-z]+_[A-Za-z0-9]{8,})"')


def _encode(number: int, width: int, alphabet: str = _ALPHABET) -> str:
    digits = []
    while number:
        number, rest = divmod(number, len(alphabet))
        digits.append(alphabet[rest])
    return "".join(reversed(digits)).rjust(width, "0")


class _Ids:
    """Unique ids of a template id's shape without a random draw per character (a million
    customers' ids then cost seconds, not minutes): a counter, then a slice of one random
    string. The counter leads, so ids grow in creation order (as Stripe's roughly do) and
    every index on them is appended to rather than split at random places."""

    WIDTH = 5
    FIRST = 7 * 62**4  # so the first ids do not start with a run of zeros

    def __init__(self) -> None:
        self.noise = "".join(secrets.choice(_ALPHABET) for _ in range(4096))
        self.counter = self.FIRST

    def like(self, template_id: str) -> str:
        prefix, _, tail = template_id.rpartition("_")
        self.counter += 1
        unique = _encode(self.counter, self.WIDTH)
        rest = max(len(tail) - self.WIDTH, 8)
        at = self.counter * 7919 % (len(self.noise) - rest)
        return f"{prefix}_{unique}{self.noise[at : at + rest]}"


@dataclass
class _Row:
    """One template row as a %-format string and the slot each ``%s`` takes."""

    type: str
    account: str
    group: str  # "customer" or "invoice"
    id_slot: str
    created_slot: str
    parent_slot: str | None
    due_slot: str | None
    fmt: str
    slots: tuple[str, ...]


@dataclass
class _Template:
    rows: list[_Row]
    interval: str
    count: int
    ids: dict[str, str]  # template id -> "customer" / "invoice"
    lookups: list[tuple[str, str, str]]  # (kind, template value, template object id)


class ScaleError(RuntimeError):
    """Making the template failed: the message says which call and why."""


def _call(api: Api, what: str, operation_id: str, params: JSON, **path: str) -> JSON:
    from console.sandbox.facts.errors import StripeError

    try:
        return api.call(operation_id, params, **path)
    except StripeError as error:
        raise ScaleError(
            f"scale seed, {what}: {operation_id} was refused: {error.message}"
        ) from error


def _person(rng: random.Random, index: int) -> tuple[str, str]:
    first = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    domain = DOMAINS[index % len(DOMAINS)]
    return f"{first} {last}", f"{first.lower()}.{last.lower()}{index}@{domain}"


def _make_template(api: Api, plan: tuple[str, int, str], name: str, email: str) -> _Template:
    store = api.store
    title, amount, interval = plan
    product = _call(api, f"{title} product", "PostProducts", {"name": title})
    price = _call(
        api,
        f"{title} price",
        "PostPrices",
        {
            "product": product["id"],
            "currency": "usd",
            "unit_amount": amount,
            "recurring": {"interval": interval},
            "tax_behavior": "exclusive",
            "lookup_key": f"scale_{title.lower()}_{interval}ly",
        },
    )
    first_seq = int(store.query("SELECT COALESCE(MAX(seq), 0) FROM objects")[0][0])
    customer = _call(api, "template customer", "PostCustomers", {"name": name, "email": email})
    pm = _call(
        api,
        "template card",
        "PostPaymentMethods",
        {"type": "card", "card": {"token": "tok_visa"}, "billing_details": {"name": name}},
    )
    _call(
        api,
        "template card",
        "PostPaymentMethodsPaymentMethodAttach",
        {"customer": customer["id"]},
        payment_method=pm["id"],
    )
    _call(
        api,
        "template customer",
        "PostCustomersCustomer",
        {"invoice_settings": {"default_payment_method": pm["id"]}},
        customer=customer["id"],
    )
    _call(
        api,
        "template subscription",
        "PostSubscriptions",
        {"customer": customer["id"], "items": [{"price": price["id"]}]},
    )
    raw = store.query(
        "SELECT id, account, type, created, parent, due, data FROM objects"
        " WHERE seq > ? AND type != 'event' ORDER BY seq",
        (first_seq,),
    )
    template_ids = [str(r[0]) for r in raw]
    marks = ",".join("?" * len(template_ids))
    lookups = store.query(f"SELECT kind, value, id FROM lookup WHERE id IN ({marks})", template_ids)
    groups: dict[str, str] = {}
    for object_id, _account, type_, *_rest in raw:
        groups[str(object_id)] = "customer" if type_ in CUSTOMER_TYPES else "invoice"
    for _id, _account, type_, _c, _p, _d, data in raw:
        for embedded in _EMBEDDED_ID.findall(data):
            # Objects stored before the template (its product and price) are shared; ids that
            # name no stored object (invoice lines) are copied with what embeds them.
            if embedded not in groups and store.get(embedded) is None:
                groups[embedded] = "customer" if type_ in CUSTOMER_TYPES else "invoice"
    return _compile(
        raw, groups, customer, interval, [(str(k), str(v), str(i)) for k, v, i in lookups]
    )


def _compile(
    raw: list[tuple[Any, ...]],
    groups: dict[str, str],
    customer: JSON,
    interval: str,
    lookups: list[tuple[str, str, str]],
) -> _Template:
    created = sorted({int(r[3]) for r in raw})
    first, last = created[0], created[-1]
    subscription = next(json_row for json_row in raw if json_row[2] == "subscription")
    period_end = int(_first_int(subscription[6], "current_period_end"))
    prefix = str(customer["invoice_prefix"])
    literals: dict[str, str] = {f"id:{i}": i for i in groups}
    literals["name"] = _json_text(str(customer["name"]))
    literals["email"] = _json_text(str(customer["email"]))
    for _kind, value, _owner in lookups:
        literals[f"token:{value}"] = value
    number = re.search(rf'"number":"({re.escape(prefix)}-\d+)"', "".join(r[6] for r in raw))
    if number:
        literals["number"] = number.group(1)
    literals["prefix"] = prefix
    literals["reason"] = '"billing_reason":"subscription_create"'
    literals["pi_description"] = '"description":"Subscription creation"'
    literals["next_sequence"] = '"next_invoice_sequence":2'
    by_text = {text: slot for slot, text in literals.items()}
    pattern = re.compile(
        "|".join(re.escape(t) for t in sorted(by_text, key=len, reverse=True))
        + r'|"(\w+)":(\d{10})(?=[,}\]])'
    )

    def time_slot(key: str, value: int) -> str | None:
        if first <= value <= last:
            return "start" if key in START_KEYS else "created"
        if value == period_end:
            return "end"
        return None

    rows: list[_Row] = []
    for object_id, account, type_, _c, parent, due, data in raw:
        parts: list[str] = []
        slots: list[str] = []
        position = 0
        for match in pattern.finditer(data):
            if match.group(1) is not None:
                slot = time_slot(match.group(1), int(match.group(2)))
                if slot is None or _owner_is_shared(data, match.start(), groups):
                    continue
                parts.append(data[position : match.start(2)].replace("%", "%%"))
                position = match.end(2)
            else:
                slot = by_text[match.group(0)]
                parts.append(data[position : match.start()].replace("%", "%%"))
                position = match.end()
            parts.append("%s")
            slots.append(slot)
        parts.append(data[position:].replace("%", "%%"))
        due_slot = None if due is None else time_slot("due", int(due)) or "end"
        rows.append(
            _Row(
                type=str(type_),
                account=str(account),
                group=groups[str(object_id)],
                id_slot=f"id:{object_id}",
                created_slot="created",
                parent_slot=f"id:{parent}" if parent in groups else None,
                due_slot=due_slot,
                fmt="".join(parts),
                slots=tuple(slots),
            )
        )
    return _Template(rows=rows, interval=interval, count=1, ids=groups, lookups=lookups)


def _owner_is_shared(data: str, at: int, groups: dict[str, str]) -> bool:
    """Whether the moment at ``at`` belongs to an embedded shared object (the price inside a
    subscription item keeps its own ``created``): the nearest id before it says whose it is."""
    start = data.rfind('"id":"', 0, at)
    if start < 0:
        return False
    owner = data[start + 6 : data.index('"', start + 6)]
    return owner not in groups


def _first_int(data: str, key: str) -> int:
    match = re.search(rf'"{key}":(\d+)', data)
    if match is None:
        raise ScaleError(f"scale seed: the template subscription has no {key}")
    return int(match.group(1))


def _json_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1]


# -- copies ------------------------------------------------------------------------------------


RowValues = tuple[str, str, str, int, str | None, int | None, str]
LookupValues = tuple[str, str, str, str]


def _copies(
    template: _Template,
    index: int,
    created: int,
    now: int,
    name: str,
    email: str,
    ids: _Ids,
    rng: random.Random,
    rows: list[RowValues],
    lookups: list[LookupValues],
) -> None:
    """Append one copied customer's rows, (id, account, type, created, parent, due, data),
    and its lookup keys, (account, kind, value, id)."""
    interval, count = template.interval, template.count
    latest = _latest_period(created, interval, count, now)
    start = billing_periods.boundary(created, interval, count, latest)
    end = billing_periods.boundary(created, interval, count, latest + 1)
    periods = [0]
    if latest >= 2 and rng.random() < 0.4:
        periods.append(latest - 1)
    if latest >= 1:
        periods.append(latest)
    # Scrambled so neighbours differ, as Stripe's random prefixes do; unique (a bijection).
    prefix = _encode(index * 0x5DEECE66D % 36**8, 8, _UPPER)
    common = {
        "name": _json_text(name),
        "email": _json_text(email),
        "prefix": prefix,
        "next_sequence": f'"next_invoice_sequence":{len(periods) + 1}',
    }
    customer_ids = {
        f"id:{i}": ids.like(i) for i, group in template.ids.items() if group == "customer"
    }
    invoice_slots: list[dict[str, str]] = []
    for position, period in enumerate(periods):
        period_start = billing_periods.boundary(created, interval, count, period)
        period_end = billing_periods.boundary(created, interval, count, period + 1)
        values = dict(common)
        values.update(customer_ids)
        values.update(
            {f"id:{i}": ids.like(i) for i, group in template.ids.items() if group == "invoice"}
        )
        values["created"] = values["start"] = str(period_start)
        values["end"] = str(period_end)
        values["number"] = f"{prefix}-{position + 1:04d}"
        values["reason"] = (
            '"billing_reason":"subscription_create"'
            if period == 0
            else '"billing_reason":"subscription_cycle"'
        )
        values["pi_description"] = (
            '"description":"Subscription creation"'
            if period == 0
            else '"description":"Subscription update"'
        )
        for kind, value, owner in template.lookups:
            token = secrets.token_urlsafe(24)
            values[f"token:{value}"] = token
            lookups.append((template.rows[0].account, kind, token, values[f"id:{owner}"]))
        invoice_slots.append(values)
    customer_slots = dict(invoice_slots[-1])  # latest_invoice names the newest invoice
    customer_slots.update({"created": str(created), "start": str(start), "end": str(end)})
    for row in template.rows:
        for values in [customer_slots] if row.group == "customer" else invoice_slots:
            data = row.fmt % tuple(values[s] for s in row.slots)
            rows.append(
                (
                    values[row.id_slot],
                    row.account,
                    row.type,
                    int(values[row.created_slot]),
                    values[row.parent_slot] if row.parent_slot else None,
                    int(values[row.due_slot]) if row.due_slot else None,
                    data,
                )
            )


def _latest_period(anchor: int, interval: str, count: int, now: int) -> int:
    """The index of the period (counted from ``anchor``) that holds ``now``."""
    length = count * (billing_periods.INTERVAL_MONTHS.get(interval, 0) * 30 * 86_400 or 86_400)
    n = max((now - anchor) // length - 1, 0)
    while billing_periods.boundary(anchor, interval, count, n + 1) <= now:
        n += 1
    return n


def seed_scale(api: Api, n: int, progress: Progress | None = None) -> None:
    """``n`` customers with a subscription each (templates made through the API, the rest
    copied in bulk); reports progress every :data:`REPORT_EVERY` customers."""
    report = progress or (lambda _msg: None)
    if n <= 0:
        return
    started = time.monotonic()
    rng = random.Random(SEED)
    people = [_person(rng, i) for i in range(min(n, len(PLANS)))]
    templates = [_make_template(api, PLANS[i], *people[i]) for i in range(min(n, len(PLANS)))]
    copies = n - len(templates)
    now = api.clock.now()
    store = api.store
    # Building rows is Python, inserting them is mostly SQLite (which lets go of the GIL):
    # one thread builds the next batch while this one writes the last.
    batches: queue.Queue[tuple[list[RowValues], list[LookupValues]] | BaseException | None]
    batches = queue.Queue(maxsize=1)
    builder = threading.Thread(
        target=_build,
        args=(templates, copies, len(templates), now, rng, batches),
        name="scale-seed-builder",
        daemon=True,
    )
    builder.start()
    done = 0
    while True:
        item = batches.get()
        if item is None:
            break
        if isinstance(item, BaseException):
            raise item
        rows, lookups = item
        with store.transaction():
            store.insert_serialized(rows, lookups)
        before = done
        done += _customers_in(rows)
        if done // REPORT_EVERY > before // REPORT_EVERY or done == copies:
            elapsed = time.monotonic() - started
            report(f"scale: {done + len(templates):,} of {n:,} customers ({elapsed:.0f} s)")
    builder.join()


def _customers_in(rows: list[RowValues]) -> int:
    return sum(1 for row in rows if row[2] == "customer")


def _build(
    templates: list[_Template],
    copies: int,
    first_person: int,
    now: int,
    rng: random.Random,
    out: queue.Queue[tuple[list[RowValues], list[LookupValues]] | BaseException | None],
) -> None:
    try:
        ids = _Ids()
        oldest = now - SPAN
        step = (SPAN - 86_400) // max(copies, 1)
        for done in range(0, copies, BATCH):
            rows: list[RowValues] = []
            lookups: list[LookupValues] = []
            for index in range(done, min(done + BATCH, copies)):
                # Ascending in time with the insertion order, so seq and created agree.
                created = oldest + step * index + rng.randrange(max(step, 1))
                template = templates[index % len(templates)]
                name, email = _person(rng, index + first_person)
                _copies(template, index, created, now, name, email, ids, rng, rows, lookups)
            out.put((rows, lookups))
        out.put(None)
    except BaseException as error:  # handed to the writing thread, which raises it
        out.put(error)
