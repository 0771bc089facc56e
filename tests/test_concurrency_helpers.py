"""The thread helpers the race tests rely on: a crash is never read as a result, a forced interleaving is real."""

import pytest
from django.db import transaction

from myApp.accounts.models import Profile
from myApp.accounts.services import profile_adjust_balance
from myApp.lib.exceptions import ServiceError
from tests.concurrency import Gate, hold_first_then_run, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_it_re_raises_an_unexpected_error_from_a_racing_call():
    def crash():
        raise KeyError("boom")

    with pytest.raises(KeyError, match="boom"):
        race(lambda: 1, crash, lambda: 2)


def test_it_returns_a_service_refusal_as_a_result():
    refusal = ServiceError("No.")

    def refuse():
        raise refusal

    assert race(lambda: 1, refuse) == [1, refusal]


def test_it_shows_the_second_call_waiting_on_the_first_calls_lock(owner):
    gate = Gate()

    def lock_then_hold():
        with transaction.atomic():
            Profile.objects.select_for_update().get(user=owner)
            gate()
            return "first"

    run = hold_first_then_run(lock_then_hold, lambda: profile_adjust_balance(user=owner, coins=3).coins, gate=gate)
    assert (run.first, run.second) == ("first", 3)
    assert "accounts_profile" in run.second_waited_on


def test_it_reports_no_wait_when_the_second_call_takes_no_lock_the_first_holds(owner, outsider):
    gate = Gate()

    def lock_then_hold():
        with transaction.atomic():
            Profile.objects.select_for_update().get(user=owner)
            gate()

    run = hold_first_then_run(lock_then_hold, lambda: profile_adjust_balance(user=outsider, coins=1).coins, gate=gate)
    assert run.second == 1 and run.second_waited_on is None
