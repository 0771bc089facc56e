"""The staff dashboard page's date-range filter."""

import datetime

from django import forms
from django.utils import timezone

from myApp.analytics.dashboard_range import DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS, DayRange, default_range

EARLIEST = datetime.date(2000, 1, 1)


class DashboardRangeForm(forms.Form):
    """From and to dates, both included, in the site's time zone. Left empty, a field takes its end of the default
    range (the last ``DEFAULT_RANGE_DAYS`` days); a reversed range or one over ``MAX_RANGE_DAYS`` days is refused
    with a message on the field, since a year of days is as much as a chart can show and a query should scan."""

    first = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        today = timezone.localdate()
        # The product's figures start long after 2000 and none lie in the future; the bounds also keep the
        # calendar's arithmetic (a day before 0001-01-01, after 9999-12-31) away from the ends of the calendar.
        earliest, latest = EARLIEST, today + datetime.timedelta(days=MAX_RANGE_DAYS)
        for name in ("first", "last"):
            value = data.get(name)
            if value is not None and not earliest <= value <= latest:
                self.add_error(name, f"Choose a date from {earliest:%d %b %Y} to {latest:%d %b %Y}.")
        if self.errors:
            return data
        last = data.get("last") or today
        first = data.get("first") or last - datetime.timedelta(days=DEFAULT_RANGE_DAYS - 1)
        if first > last:
            self.add_error("last", "The end date must be on or after the start date.")
        elif (last - first).days + 1 > MAX_RANGE_DAYS:
            self.add_error("last", f"Choose a range of at most {MAX_RANGE_DAYS} days.")
        data["first"], data["last"] = first, last
        return data

    def day_range(self) -> DayRange:
        """The range asked for, or the default one while the form has errors (the page still shows figures)."""
        if self.is_valid():
            return DayRange(self.cleaned_data["first"], self.cleaned_data["last"])
        return default_range()
