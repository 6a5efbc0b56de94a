"""Dates as the window and the command line write them: one style, in the user's language.

A day is Babel's medium date ("Dec 6, 2026", "06.12.2026"); a moment adds the time and says UTC,
since Stripe's timestamps are UTC and the console's users sit in many time zones. Machine output
(``--json``, CSV) keeps timestamps or ISO dates: this is for people.
"""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date, format_time, get_date_format

from console.i18n import _, formatting_locale

NO_DATE = "—"


def format_day(moment: int | dt.date | None, locale: str | None = None) -> str:
    """The day of ``moment`` (a Unix timestamp, read in UTC, or a date)."""
    if moment is None:
        return NO_DATE
    day = moment if isinstance(moment, dt.date) else _utc(moment).date()
    return format_date(day, format="medium", locale=locale or formatting_locale())


def format_moment(moment: int | None, locale: str | None = None) -> str:
    """The day and time of the Unix timestamp ``moment``, in UTC: "Dec 6, 2026, 19:40 UTC"."""
    if moment is None:
        return NO_DATE
    shown = _utc(moment)
    chosen = locale or formatting_locale()
    return _("%(day)s, %(time)s UTC") % {
        "day": format_date(shown.date(), format="medium", locale=chosen),
        "time": format_time(shown.time(), format="short", locale=chosen),
    }


def day_pattern(locale: str | None = None) -> str:
    """``format_day``'s pattern in Qt's notation, for date fields ("MMM d, yyyy", "dd.MM.yyyy")."""
    pattern = get_date_format("medium", locale=locale or formatting_locale()).pattern
    # Babel's (CLDR's) "y" is the year in full; Qt needs "yyyy" for that.
    return re.sub(r"(?<!y)y(?!y)", "yyyy", pattern)


def _utc(moment: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(moment, dt.UTC)
