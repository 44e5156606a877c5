"""Working days and office hours as a table, so that a million due times are a few lookups.

Every day of the span gets its working-day count (from `check.timeliness.is_working_day`:
weekends and Vietnamese public holidays). A moment in time maps to an office ordinal, the
office minutes elapsed since the start of the span; "N working days later" and "N office hours
later" are then additions, and the ordinal maps back to a date and a time of day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

import polars as pl

from generator.check.timeliness import is_working_day
from generator.dossiers.spec import Params


@dataclass(frozen=True, slots=True)
class Calendar:
    start: date
    working: pl.Series  # Boolean, one per day from `start`
    upto: pl.Series  # Int64: working days from `start` up to and including each day
    workdays: pl.Series  # Date: the k-th working day of the span (0-based)
    params: Params

    @classmethod
    def spanning(cls, first: date, last: date, workdays_after: int, params: Params) -> Calendar:
        """Every day from before `first` to at least `last` and `workdays_after` working days more.

        The span starts a month early so that "one working day before" never falls off it.
        """
        start = first - timedelta(days=31)
        flags: list[bool] = []
        day, after = start, 0
        while day <= last or after < workdays_after:
            working = is_working_day(day)
            flags.append(working)
            after += working and day > last
            day += timedelta(days=1)
        working_days = [start + timedelta(days=i) for i, w in enumerate(flags) if w]
        series = pl.Series("working", flags, dtype=pl.Boolean)
        return cls(start, series, series.cast(pl.Int64).cum_sum(),
                   pl.Series("workday", working_days, dtype=pl.Date), params)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=len(self.working) - 1)

    def index(self, day: pl.Expr) -> pl.Expr:
        """Position of a date (pl.Date expression) in the span."""
        return (day - pl.lit(self.start)).dt.total_days()

    def is_working(self, day: pl.Expr) -> pl.Expr:
        return pl.lit(self.working).gather(self.index(day))

    def working_upto(self, day: pl.Expr) -> pl.Expr:
        """Working days of the span up to and including `day`."""
        return pl.lit(self.upto).gather(self.index(day))

    def workday(self, k: pl.Expr) -> pl.Expr:
        """The k-th working day of the span (0-based)."""
        return pl.lit(self.workdays).gather(k)

    @property
    def day_minutes(self) -> int:
        return self.params.office_minutes

    def ordinal(self, moment: pl.Expr) -> pl.Expr:
        """Office minutes elapsed from the start of the span to `moment` (a Datetime)."""
        day = moment.dt.date()
        minute = moment.dt.hour().cast(pl.Int64) * 60 + moment.dt.minute().cast(pl.Int64)
        within = pl.sum_horizontal((minute - start).clip(0, end - start)
                                   for start, end in self.params.office_hours)
        working = self.is_working(day).cast(pl.Int64)
        return (self.working_upto(day) - working) * self.day_minutes + working * within

    def moment(self, ordinal: pl.Expr) -> pl.Expr:
        """The time an office ordinal stands for; a whole day ends at the close, not next morning."""
        k = (ordinal - 1) // self.day_minutes
        rest = ordinal - k * self.day_minutes  # 1 … day_minutes
        periods = self.params.office_hours
        minute = pl.lit(periods[0][0]) + rest
        before = 0
        for (start, end), (next_start, _) in pairwise(periods):
            before += end - start
            minute = pl.when(rest > before).then(pl.lit(next_start - before) + rest).otherwise(minute)
        return at_minute(self.workday(k), minute)

    def end_of_day(self, day: pl.Expr) -> pl.Expr:
        return at_minute(day, pl.lit(self.params.day_end))


def at_minute(day: pl.Expr, minute: pl.Expr) -> pl.Expr:
    return day.cast(pl.Datetime("us")) + pl.duration(minutes=minute)
