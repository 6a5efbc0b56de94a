"""The report's tables: totals per reason and per configuration, comments, retention offers.

Each table is filled from the core's ``Report`` with text already formatted for the user's
locale; times are UTC, like the chart's days, so a comment sits in the bar it belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from console.dates import format_moment
from console.report.cancellations import Report
from ui.cancellation_reasons import ordered, reason_label


def utc_time(moment: int) -> str:
    return format_moment(moment)


def make_table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def fill(table: QTableWidget, rows: Sequence[Sequence[str | int]], locale: QLocale) -> None:
    """Replaces the rows; numbers are formatted for ``locale`` and aligned right."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, int):
                item = QTableWidgetItem(locale.toString(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            else:
                item = QTableWidgetItem(value)
                item.setToolTip(value)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def reason_rows(report: Report, locale: QLocale) -> list[list[str | int]]:
    total = len(report.cancellations)
    counts = report.by_feedback
    rows: list[list[str | int]] = []
    for reason in ordered(set(counts)):
        share = locale.toString(100 * counts[reason] / total, "f", 0) if total else "0"
        rows.append(
            [
                reason_label(reason),
                counts[reason],
                QCoreApplication.translate("ReportTables", "{p} %").format(p=share),
            ]
        )
    return rows


def configuration_rows(report: Report) -> list[list[str | int]]:
    rows: list[list[str | int]] = []
    for configuration, count in report.by_configuration.most_common():
        if configuration == "unknown":
            name = QCoreApplication.translate(
                "ReportTables", "Not through the portal (or no session seen)"
            )
        else:
            name = report.configuration_names.get(configuration, configuration)
            if name != configuration:
                name = QCoreApplication.translate("ReportTables", "{name} ({id})").format(
                    name=name, id=configuration
                )
        rows.append([name, count])
    return rows


def customer(customer_id: str, names: Mapping[str, str]) -> str:
    """The name the index knows, with the id (what Stripe's dashboard searches for)."""
    name = names.get(customer_id)
    return (
        QCoreApplication.translate("ReportTables", "{name} ({id})").format(
            name=name, id=customer_id
        )
        if name
        else customer_id
    )


def comment_rows(
    report: Report, locale: QLocale, names: Mapping[str, str]
) -> list[list[str | int]]:
    return [
        [
            utc_time(c.at),
            customer(c.customer_id, names),
            reason_label(c.feedback or "none"),
            (c.comment or "").replace("\n", " "),
        ]
        for c in report.cancellations
        if c.comment
    ]


def offer_rows(report: Report, locale: QLocale, names: Mapping[str, str]) -> list[list[str | int]]:
    outcomes = {
        "accepted": QCoreApplication.translate("ReportTables", "Accepted"),
        "declined": QCoreApplication.translate("ReportTables", "Declined (cancelled)"),
        "unknown": QCoreApplication.translate("ReportTables", "No decision seen"),
    }
    return [
        [
            utc_time(o.at),
            customer(o.customer_id, names),
            o.subscription_id,
            o.coupon,
            outcomes[o.outcome],
        ]
        for o in report.offers
    ]
