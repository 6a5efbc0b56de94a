"""The stacked bar chart of cancellation reasons per day, week or month.

One ``QBarSet`` per reason that occurs in the period (a legend of nine entries, most of them
empty, would hide the few that matter), stacked per bucket. The chart follows the widget's
palette: a dark theme on a dark palette, so axis labels and the legend stay readable.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QDate, QEvent, QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QWidget

from console.dates import format_day
from console.report.cancellations import Bucket
from console.report.period import Grouping
from ui.cancellation_reasons import ordered, reason_colour, reason_label

# More category labels than this overlap on a normal window width; the others stay blank.
MAX_AXIS_LABELS = 16


def bucket_label(start: int, grouping: Grouping, locale: QLocale) -> str:
    """A bucket's name in the user's locale: a date, "Week of" a date, or a month."""
    day = datetime.fromtimestamp(start, UTC).date()
    qdate = QDate(day.year, day.month, day.day)
    if grouping == "month":
        return locale.toString(qdate, "MMM yyyy")
    short = format_day(day)
    if grouping == "week":
        return QCoreApplication.translate("ReasonsChart", "Week of {date}").format(date=short)
    return short


def _axis_categories(labels: Sequence[str]) -> list[str]:
    """Every n-th label, the rest blank; blanks differ (zero-width spaces) because the axis
    merges equal categories into one."""
    step = max(1, -(-len(labels) // MAX_AXIS_LABELS))
    return [label if i % step == 0 else "\u200b" * (i + 1) for i, label in enumerate(labels)]


class ReasonsChart(QChartView):
    """Cancellations per bucket, stacked by reason; ``show_buckets`` replaces what it shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(160)  # 800x600 leaves the chart about this much
        chart = QChart()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.setChart(chart)
        self._buckets: tuple[Bucket, ...] = ()
        self._grouping: Grouping = "day"
        self._labels: list[str] = []
        self._apply_theme()

    def _apply_theme(self) -> None:
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        self.chart().setTheme(
            QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight
        )
        # The theme sets its own background; the view's own palette keeps the chart in place.
        self.chart().setBackgroundBrush(self.palette().color(QPalette.ColorRole.Base))
        text = self.palette().color(QPalette.ColorRole.Text)
        self.chart().legend().setLabelColor(text)
        self.chart().setTitleBrush(text)

    def show_buckets(
        self, buckets: Sequence[Bucket], grouping: Grouping, labels: Sequence[str]
    ) -> None:
        """Draws ``buckets`` with one category label each (formatted by the caller's locale)."""
        self._buckets, self._grouping, self._labels = tuple(buckets), grouping, list(labels)
        self._draw()

    def _draw(self) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        buckets = self._buckets
        reasons = ordered({r for b in buckets for r, n in b.by_feedback.items() if n})
        series = QStackedBarSeries()
        outline = QPen(self.palette().color(QPalette.ColorRole.Base))
        outline.setWidthF(0.5)
        for reason in reasons:
            bar_set = QBarSet(reason_label(reason))
            bar_set.setProperty("reason", reason)
            bar_set.setColor(reason_colour(reason))
            bar_set.setPen(outline)
            bar_set.append([float(b.by_feedback.get(reason, 0)) for b in buckets])
            series.append(bar_set)
        series.setBarWidth(0.8)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(_axis_categories(self._labels))
        categories.setLabelsAngle(-45 if len(self._labels) > 8 else 0)
        # Qt elides each label to its bar's width; the thinned-out labels have room to spare.
        categories.setTruncateLabels(False)
        categories.setGridLineVisible(len(self._labels) <= MAX_AXIS_LABELS)
        counts = QValueAxis()
        highest = max((b.cancellations for b in buckets), default=0)
        counts.setRange(0, max(highest, 1))
        counts.setTickCount(min(max(highest, 1), 5) + 1)
        counts.setLabelFormat("%d")
        counts.setTitleText(QCoreApplication.translate("ReasonsChart", "Cancellations"))
        text = self.palette().color(QPalette.ColorRole.Text)
        for axis in (categories, counts):
            axis.setLabelsColor(text)
            axis.setTitleBrush(text)
            axis.setGridLineColor(QColor(text.red(), text.green(), text.blue(), 40))
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(counts)
        chart.legend().setVisible(bool(reasons))

    def series_counts(self) -> dict[str, list[int]]:
        """What the chart holds, reason key -> count per bucket (for checks and tests)."""
        found: dict[str, list[int]] = {}
        for series in self.chart().series():
            if isinstance(series, QStackedBarSeries):
                for bar_set in series.barSets():
                    reason = str(bar_set.property("reason"))
                    found[reason] = [int(bar_set.at(i)) for i in range(bar_set.count())]
        return found

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_theme()
            if self._labels:
                self._draw()
