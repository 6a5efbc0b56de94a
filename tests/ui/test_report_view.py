"""The Cancellation report view on a real sandbox: chart, comments, offers, cancel, CSV, empty.

The data is made the way customers make it: subscriptions cancelled with a reason and a
comment through the portal pages' own forms (session link, cookie, CSRF token), a retention
coupon accepted and one declined there, and one subscription cancelled through the API
without a reason. The sandbox clock spreads them over three days in two weeks. The sandbox
starts empty (seed "none") so the expected counts are exactly the ones made here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import stripe
from PySide6.QtCharts import QChart, QStackedBarSeries
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFileDialog

from console.errors import ValidationError
from console.i18n import use_language
from console.index import sync
from console.report.cancellations import Bucket
from console.sandbox_launcher import EmbeddedSandbox, start_embedded_sandbox
from tests import builders
from tests.ui.conftest import save_screenshot
from ui.context import AccountContext
from ui.report.chart import MAX_AXIS_LABELS, ReasonsChart, bucket_label
from ui.report.view import CancellationReportView

DAY = 86400
ALL_REASONS = [
    "too_expensive",
    "missing_features",
    "switched_service",
    "unused",
    "customer_service",
    "too_complex",
    "low_quality",
    "other",
]


@dataclass
class Shop:
    sandbox: EmbeddedSandbox
    first_day: date  # a Monday: two cancellations; the Tuesday after: offers; next Monday: two
    subscriptions: dict[str, str]  # role -> subscription id
    customers: dict[str, str]  # role -> customer id
    configuration: str


def _client(sandbox: EmbeddedSandbox) -> stripe.StripeClient:
    return stripe.StripeClient(
        sandbox.api_key, base_addresses={"api": sandbox.url}, max_network_retries=0
    )


class Portal:
    """A customer's browser on one portal session: its cookie and CSRF token."""

    def __init__(self, client: stripe.StripeClient, customer: str, **session: Any) -> None:
        params: Any = {"customer": customer, **session}
        made = client.v1.billing_portal.sessions.create(params=params)
        self.url = made.url
        self.http = httpx.Client(follow_redirects=False, timeout=10)
        assert self.http.get(self.url).status_code in (200, 303)

    def cancel_page_token(self, subscription: str) -> str:
        page = self.http.get(f"{self.url}/subscriptions/{subscription}/cancel")
        assert page.status_code == 200, page.text[-1000:]
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found, "the cancel page has a form"
        return found.group(1)

    def post(self, subscription: str, action: str, **form: str) -> None:
        token = self.cancel_page_token(subscription)
        answer = self.http.post(
            f"{self.url}/subscriptions/{subscription}/{action}",
            data={"csrf_token": token, **form},
        )
        assert answer.status_code in (200, 303), answer.text[-1000:]

    def close(self) -> None:
        self.http.close()


def _cancel_in_portal(
    client: stripe.StripeClient,
    configuration: str,
    customer: str,
    subscription: str,
    reason: str,
    comment: str = "",
    offer: str | None = None,
) -> None:
    session: dict[str, Any] = {"configuration": configuration}
    if offer:
        session["flow_data"] = {
            "type": "subscription_cancel",
            "subscription_cancel": {
                "subscription": subscription,
                "retention": {"type": "coupon_offer", "coupon_offer": {"coupon": offer}},
            },
        }
    portal = Portal(client, customer, **session)
    try:
        portal.post(subscription, "cancel", reason=reason, comment=comment)
    finally:
        portal.close()


def _accept_offer_in_portal(
    client: stripe.StripeClient, configuration: str, customer: str, subscription: str, offer: str
) -> None:
    flow = {
        "type": "subscription_cancel",
        "subscription_cancel": {
            "subscription": subscription,
            "retention": {"type": "coupon_offer", "coupon_offer": {"coupon": offer}},
        },
    }
    portal = Portal(client, customer, configuration=configuration, flow_data=flow)
    try:
        portal.post(subscription, "retention")
    finally:
        portal.close()


@pytest.fixture(scope="module")
def shop() -> Iterator[Shop]:
    sandbox = start_embedded_sandbox(None, seed="none")
    client = _client(sandbox)
    now = builders.now(client)
    today = datetime.fromtimestamp(now, UTC).date()
    monday = today + timedelta(days=7 - today.weekday())  # next Monday, always in the future
    nine = int(datetime(monday.year, monday.month, monday.day, 9, tzinfo=UTC).timestamp())
    builders.advance_to(client, nine)

    product = builders.product(client, name="Team plan")
    price = builders.price(client, 1500, product=product.id, interval="month")
    coupon = client.v1.coupons.create(params={"percent_off": 20, "duration": "forever"})
    configuration = client.v1.billing_portal.configurations.create(
        params={
            "name": "Self-service",
            "default_return_url": "https://merchant.example/account",
            "features": {
                "subscription_cancel": {
                    "enabled": True,
                    "mode": "at_period_end",
                    "cancellation_reason": {"enabled": True, "options": ALL_REASONS},
                },
            },
        }
    ).id
    customers: dict[str, str] = {}
    subscriptions: dict[str, str] = {}
    for role in ("pricey", "sso", "declined", "stayed", "api", "idle"):
        customer = builders.customer(
            client, name=f"Customer {role}", payment_method="pm_card_visa"
        ).id
        customers[role] = customer
        subscriptions[role] = builders.subscribe(client, customer, price.id).id

    def cancel(role: str, reason: str, comment: str = "", offer: str | None = None) -> None:
        _cancel_in_portal(
            client, configuration, customers[role], subscriptions[role], reason, comment, offer
        )

    # Monday
    cancel("pricey", "too_expensive", "Too pricey for a team of three")
    builders.advance_to(client, nine + 60)  # a minute apart, so their order is certain
    cancel("sso", "missing_features", "We need single sign-on")
    # Tuesday: two customers are offered 20 % off; one declines and leaves, one stays.
    builders.advance_to(client, nine + DAY)
    cancel("declined", "too_expensive", offer=coupon.id)
    builders.advance_to(client, nine + DAY + 60)
    _accept_offer_in_portal(
        client, configuration, customers["stayed"], subscriptions["stayed"], coupon.id
    )
    # The next Monday: one cancelled by staff through the API (no reason), one in the portal.
    builders.advance_to(client, nine + 7 * DAY)
    client.v1.subscriptions.cancel(subscriptions["api"])
    builders.advance_to(client, nine + 7 * DAY + 60)
    cancel("idle", "unused", "Never found the time to use it")

    yield Shop(sandbox, monday, subscriptions, customers, configuration)
    sandbox.stop()


@pytest.fixture
def view(qtbot: Any, qloop: Any) -> Iterator[CancellationReportView]:
    shown = CancellationReportView()
    qtbot.addWidget(shown)
    shown.resize(1100, 760)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown.shutdown()


def _load(qtbot: Any, view: CancellationReportView, expect: str = "done") -> None:
    with qtbot.waitSignal(view.load_finished, timeout=20_000) as finished:
        view.load_button.click()
    assert finished.args == [expect], view.status.text()


def _table(view_table: Any) -> list[list[str]]:
    return [
        [view_table.item(r, c).text() for c in range(view_table.columnCount())]
        for r in range(view_table.rowCount())
    ]


def test_chart_holds_each_reason_per_day_and_week_with_comments_and_offers(
    qtbot: Any,
    view: CancellationReportView,
    shop: Shop,
    make_context: Callable[[EmbeddedSandbox], AccountContext],
    run: Callable[..., Any],
) -> None:
    context = make_context(shop.sandbox)
    run(sync(context.index, context.gateway))  # names come from the local customer index
    view.attach(context)
    view.choose_custom_period(shop.first_day, shop.first_day + timedelta(days=7), "day")
    _load(qtbot, view)

    # Eight days; the reasons in Stripe's order, the one without a reason last.
    assert view.chart.series_counts() == {
        "too_expensive": [1, 1, 0, 0, 0, 0, 0, 0],
        "missing_features": [1, 0, 0, 0, 0, 0, 0, 0],
        "unused": [0, 0, 0, 0, 0, 0, 0, 1],
        "none": [0, 0, 0, 0, 0, 0, 0, 1],
    }
    (series,) = view.chart.chart().series()
    assert isinstance(series, QStackedBarSeries)
    assert [s.label() for s in series.barSets()] == [
        "Too expensive",
        "Missing features",
        "Not used enough",
        "No reason given",
    ]
    legend = [m.label() for m in view.chart.chart().legend().markers()]
    assert legend == [s.label() for s in series.barSets()]
    axis = view.chart.chart().axes()[0]
    first = shop.first_day
    first_label = f"{first.strftime('%b')} {first.day}, {first.year}"  # "Dec 7, 2026" in English
    assert axis.categories()[0] == first_label  # type: ignore[attr-defined]

    assert "Cancellations: 5 ·" in view.summary.text()
    assert "Retention offers shown: 2, accepted: 1" in view.summary.text()
    comments = _table(view.comments_table)
    named = {role: f"Customer {role} ({cus})" for role, cus in shop.customers.items()}
    assert [(row[1], row[2], row[3]) for row in comments] == [
        (named["pricey"], "Too expensive", "Too pricey for a team of three"),
        (named["sso"], "Missing features", "We need single sign-on"),
        (named["idle"], "Not used enough", "Never found the time to use it"),
    ]
    assert view.details.tabText(1) == "Comments (3)"
    offers = {(row[1], row[2]): row[4] for row in _table(view.offers_table)}
    assert offers == {
        (named["stayed"], shop.subscriptions["stayed"]): "Accepted",
        (named["declined"], shop.subscriptions["declined"]): "Declined (cancelled)",
    }
    reasons = {row[0]: row[1] for row in _table(view.reason_table)}
    assert reasons == {
        "Too expensive": "2",
        "Missing features": "1",
        "Not used enough": "1",
        "No reason given": "1",
    }
    configurations = {row[0]: row[1] for row in _table(view.configuration_table)}
    assert configurations == {
        f"Self-service ({shop.configuration})": "4",
        "Not through the portal (or no session seen)": "1",
    }
    save_screenshot(view, "report_view_by_day")
    view.details.setCurrentIndex(1)
    save_screenshot(view, "report_view_comments")

    view.grouping_choice.setCurrentIndex(view.grouping_choice.findData("week"))
    _load(qtbot, view)
    assert view.chart.series_counts() == {
        "too_expensive": [2, 0],
        "missing_features": [1, 0],
        "unused": [0, 1],
        "none": [0, 1],
    }
    assert view.chart.chart().axes()[0].categories()[0].startswith("Week of ")  # type: ignore[attr-defined]

    view.grouping_choice.setCurrentIndex(view.grouping_choice.findData("month"))
    _load(qtbot, view)
    days = [shop.first_day + timedelta(days=n) for n in range(8)]
    months = sorted({(d.year, d.month) for d in days})

    def per_month(*offsets: int) -> list[int]:
        return [sum(1 for n in offsets if (days[n].year, days[n].month) == m) for m in months]

    assert view.chart.series_counts() == {
        "too_expensive": per_month(0, 1),
        "missing_features": per_month(0),
        "unused": per_month(7),
        "none": per_month(7),
    }
    first_month = QDate(months[0][0], months[0][1], 1)
    assert view.chart.chart().axes()[0].categories()[0] == view.locale().toString(  # type: ignore[attr-defined]
        first_month, "MMM yyyy"
    )


def test_cancel_while_loading_stops_it_and_says_so(
    qtbot: Any,
    view: CancellationReportView,
    shop: Shop,
    make_context: Callable[[EmbeddedSandbox], AccountContext],
) -> None:
    view.attach(make_context(shop.sandbox))
    view.choose_custom_period(shop.first_day, shop.first_day + timedelta(days=7), "day")
    view.page_size = 1  # one event a page: a load of many pages, to cancel in the middle
    pages_seen: list[int] = []

    def press_cancel_on_second_page(pages: int, _events: int) -> None:
        pages_seen.append(pages)
        if pages == 2:
            assert view.cancel_button.isVisible()
            view.cancel_button.click()

    view.progressed.connect(press_cancel_on_second_page)
    with qtbot.waitSignal(view.load_finished, timeout=20_000) as finished:
        view.load_button.click()
        assert view.progress_bar.isVisible()
    assert finished.args == ["cancelled"]
    assert pages_seen == [1, 2]
    assert "Loading cancelled (pages fetched: 2, events: 2)" in view.status.text()
    assert view.loaded is None and not view.export_button.isEnabled()
    assert not view.progress_bar.isVisible() and not view.cancel_button.isVisible()
    assert not view.busy()

    # Esc right after Load: cancelled before the first page arrived.
    view.progressed.disconnect(press_cancel_on_second_page)
    with qtbot.waitSignal(view.load_finished, timeout=20_000) as finished:
        view.load_button.click()
        assert view.close_panel()
    assert finished.args == ["cancelled"]
    assert "Loading cancelled (pages fetched: 0, events: 0)" in view.status.text()
    assert not view.close_panel()  # nothing left to close

    # Loading to the end with the same small pages gives the whole report.
    _load(qtbot, view)
    assert sum(sum(counts) for counts in view.chart.series_counts().values()) == 5
    # This account's index was never synced: customers are shown by id.
    assert _table(view.comments_table)[0][1] == shop.customers["pricey"]
    # 5 portal sessions, 5 subscriptions set to end or discounted, 1 deleted: one a page.
    assert "Loaded 11 events (pages fetched: 11)" in view.status.text()


def _export_dialog_open(view: CancellationReportView) -> bool:
    return view.export_dialog is not None and view.export_dialog.isVisible()


def _export(
    qtbot: Any,
    view: CancellationReportView,
    typed: Path,
    name_filter: str | None = None,
    *,
    written_to: Path | None = None,
) -> list[dict[str, str]]:
    """Types ``typed`` into the export dialog and saves; the rows of the file written."""
    path = written_to or typed
    view.export_button.click()
    dialog = view.export_dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    if name_filter is not None:
        dialog.selectNameFilter(name_filter)
    dialog.selectFile(str(typed))
    with qtbot.waitSignal(view.exported, timeout=10_000) as written:
        dialog.accept()
    assert written.args == [str(path)]
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_csv_export_writes_the_reports_rows(
    qtbot: Any,
    view: CancellationReportView,
    shop: Shop,
    make_context: Callable[[EmbeddedSandbox], AccountContext],
    tmp_path: Path,
) -> None:
    view.attach(make_context(shop.sandbox))
    view.choose_custom_period(shop.first_day, shop.first_day + timedelta(days=7), "week")
    _load(qtbot, view)
    subs = shop.subscriptions

    view.export_button.click()
    dialog = view.export_dialog
    assert dialog is not None
    suggested = dialog.selectedFiles()[0]
    assert Path(suggested).name == (
        f"cancellations-{shop.first_day.isoformat()}-to-"
        f"{(shop.first_day + timedelta(days=7)).isoformat()}.csv"
    )
    assert view.close_panel() and view.export_dialog is None  # Esc closes the dialog

    # Ctrl+E opens it from the keyboard too.
    view.activateWindow()
    qtbot.waitActive(view)
    view.period_choice.setFocus()
    qtbot.keyClick(view.period_choice, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _export_dialog_open(view))
    assert view.close_panel() and not view.close_panel()

    rows = _export(qtbot, view, tmp_path / "every-cancellation.csv")
    got = [(r["kind"], r["subscription"], r["feedback"], r["comment"], r["outcome"]) for r in rows]
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)  # oldest first
    # (An offer and the cancellation that declines it may share a second: compared unordered.)
    assert sorted(got) == sorted(
        [
            ("cancellation", subs["pricey"], "too_expensive", "Too pricey for a team of three", ""),
            ("cancellation", subs["sso"], "missing_features", "We need single sign-on", ""),
            ("retention_offer", subs["declined"], "", "", "declined"),
            ("cancellation", subs["declined"], "too_expensive", "", ""),
            ("retention_offer", subs["stayed"], "", "", "accepted"),
            ("cancellation", subs["api"], "", "", ""),
            ("cancellation", subs["idle"], "unused", "Never found the time to use it", ""),
        ]
    )
    assert {r["configuration_name"] for r in rows if r["subscription"] != subs["api"]} == {
        "Self-service"
    }

    totals_filter = view._export_filters()[1]
    # Typed without ".csv": the dialog adds it.
    totals = _export(
        qtbot, view, tmp_path / "weekly", totals_filter, written_to=tmp_path / "weekly.csv"
    )
    assert [
        (r["start"], r["cancellations"], r["too_expensive"], r["none"], r["offers_accepted"])
        for r in totals
    ] == [
        (shop.first_day.isoformat(), "3", "2", "0", "1"),
        ((shop.first_day + timedelta(days=7)).isoformat(), "2", "0", "1", "0"),
    ]


def test_export_to_a_folder_that_does_not_exist_is_a_clear_error(
    qtbot: Any,
    view: CancellationReportView,
    shop: Shop,
    make_context: Callable[[EmbeddedSandbox], AccountContext],
    tmp_path: Path,
) -> None:
    view.attach(make_context(shop.sandbox))
    view.choose_custom_period(shop.first_day, shop.first_day, "day")
    _load(qtbot, view)
    with qtbot.waitSignal(view.failed, timeout=10_000) as failed:
        view._export_to(tmp_path / "missing" / "report.csv", view._export_filters()[0])
    (error,) = failed.args
    assert error.code == "file_not_written" and "could not be written" in error.message
    assert view.loaded is not None  # the report is still there to save elsewhere


def test_an_empty_period_is_explained_and_reversed_dates_are_refused(
    qtbot: Any, view: CancellationReportView, demo_context: AccountContext
) -> None:
    view.attach(demo_context)
    view.choose_custom_period(date(2020, 1, 1), date(2020, 1, 31), "week")
    _load(qtbot, view, expect="empty")
    assert view.pages.currentWidget() is view.empty_message
    assert "No cancellations in this period" in view.empty_message.text()
    assert "Cancellations: 0 ·" in view.summary.text()
    save_screenshot(view, "report_view_empty")

    view.choose_custom_period(date(2020, 2, 10), date(2020, 2, 1), "day")
    with qtbot.waitSignal(view.failed, timeout=5_000) as failed:
        view.load_button.click()
    (error,) = failed.args
    assert isinstance(error, ValidationError)
    assert (error.param, error.code) == ("until", "period_reversed")
    assert "before the start date" in view.status.text()
    # The user's dates stay as typed, to be corrected.
    assert view.first_day.date() == QDate(2020, 2, 10)
    assert view.last_day.date() == QDate(2020, 2, 1)
    assert not view.busy()


def test_presets_cover_today_and_suggest_a_readable_grouping(
    view: CancellationReportView,
) -> None:
    today = datetime.now(UTC).date()
    view.period_choice.setCurrentIndex(view.period_choice.findData(365))
    assert view.last_day.date() == QDate(today.year, today.month, today.day)
    assert not view.first_day.isEnabled()
    assert view.grouping_choice.currentData() == "month"
    assert view.chosen_period().days == 365
    view.period_choice.setCurrentIndex(view.period_choice.findData(30))
    assert view.grouping_choice.currentData() == "day"


def test_the_chart_follows_a_dark_palette(
    qtbot: Any,
    view: CancellationReportView,
    shop: Shop,
    make_context: Callable[[EmbeddedSandbox], AccountContext],
) -> None:
    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.Base, "#2b2c30"),
        (QPalette.ColorRole.AlternateBase, "#323338"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Button, "#303134"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
    ):
        dark.setColor(role, QColor(colour))
    view.setPalette(dark)
    view.attach(make_context(shop.sandbox))
    view.choose_custom_period(shop.first_day, shop.first_day + timedelta(days=7), "day")
    _load(qtbot, view)
    chart = view.chart.chart()
    assert chart.theme() == QChart.ChartTheme.ChartThemeDark
    assert chart.legend().labelColor().lightness() > 180
    assert chart.axes()[0].labelsColor().lightness() > 180
    save_screenshot(view, "report_view_dark")


def test_dates_and_numbers_follow_the_users_locale(
    qtbot: Any, shop: Shop, make_context: Callable[[EmbeddedSandbox], AccountContext]
) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    use_language("de")  # as install_translations does for a German system
    try:
        german = CancellationReportView()
        qtbot.addWidget(german)
        german.attach(make_context(shop.sandbox))
        german.choose_custom_period(shop.first_day, shop.first_day + timedelta(days=7), "day")
        _load(qtbot, german)
        day = shop.first_day
        expected = f"{day.day:02d}.{day.month:02d}.{day.year}"  # the app's one day style
        assert german.chart.chart().axes()[0].categories()[0] == expected  # type: ignore[attr-defined]
        shown = _table(german.comments_table)[0][0]
        assert shown == f"{expected}, 09:00 UTC"
        assert german.first_day.text() == expected
        assert _table(german.reason_table)[0][2] == "40 %"
        german.shutdown()
    finally:
        QLocale.setDefault(QLocale.c())


def test_a_long_period_by_day_keeps_axis_labels_apart(qtbot: Any, qloop: Any) -> None:
    chart = ReasonsChart()
    qtbot.addWidget(chart)
    chart.resize(1000, 360)
    start = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    buckets = [
        Bucket(
            start=start + i * DAY,
            end=start + (i + 1) * DAY,
            cancellations=i % 4,
            by_feedback={"too_complex": i % 4} if i % 4 else {},
            offers=0,
            offers_accepted=0,
        )
        for i in range(90)
    ]
    labels = [bucket_label(b.start, "day", QLocale.c()) for b in buckets]
    chart.show_buckets(buckets, "day", labels)
    categories = chart.chart().axes()[0].categories()  # type: ignore[attr-defined]
    assert len(categories) == len(set(categories)) == 90  # one bar per day, none merged
    visible = [c for c in categories if c.strip("\u200b")]
    assert len(visible) <= MAX_AXIS_LABELS and visible[0] == labels[0]
    assert chart.series_counts()["too_complex"] == [i % 4 for i in range(90)]
    save_screenshot(chart, "report_chart_90_days")
