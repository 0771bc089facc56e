"""The daily quests on the home page and the streak page, through real URLs, without JavaScript."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from myApp.accounts import services as account_services
from myApp.accounts.models import Profile
from myApp.quests import daily_rules
from myApp.quests.daily_rules import QUEST_TYPES
from myApp.quests.models import StreakFreeze, Vacation
from myApp.quests.services import daily

pytestmark = pytest.mark.django_db

HOME = reverse("accounts:home")
STREAK = reverse("daily_quests:streak")
FREEZE = reverse("daily_quests:freeze_buy")
VACATION = reverse("daily_quests:vacation")


def _play_days(user, backs) -> None:
    now = timezone.now()
    for back in backs:
        moment = now - datetime.timedelta(days=back)
        quest_type = daily_rules.offered_types(user_id=user.pk, day=moment.date())[0]
        for _ in range(QUEST_TYPES[quest_type].target):
            daily.record(user=user, event_type=quest_type, at=moment)


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def test_it_shows_todays_quests_with_progress_bars_and_the_streak_on_home(signed_in, owner):
    _play_days(owner, [2, 1, 0])

    html = signed_in.get(HOME).content.decode()

    for quest_type in daily_rules.offered_types(user_id=owner.pk, day=timezone.now().date()):
        assert f'data-testid="daily-quest-{quest_type}"' in html
    assert html.count("<progress ") == 3
    assert re.search(r'data-testid="streak-current">3 days<', html)
    assert html.count('data-state="completed"') == 3
    assert html.count("<tr>") == daily_rules.CALENDAR_WEEKS + 1  # the weekday header and the weeks
    assert f'href="{STREAK}"' in html


def test_it_renders_home_in_queries_that_do_not_grow_with_the_days_played(
    signed_in, owner, django_assert_max_num_queries
):
    _play_days(owner, [0])
    with django_assert_max_num_queries(40) as few:
        signed_in.get(HOME)
    _play_days(owner, range(1, 20))
    with django_assert_max_num_queries(len(few.captured_queries)):
        signed_in.get(HOME)


def test_it_marks_a_frozen_day_in_the_calendar(signed_in, owner):
    _play_days(owner, [4, 3])
    account_services.profile_adjust_balance(user=owner, coins=daily_rules.FREEZE_PRICE_COINS)
    daily.streak_freeze_buy(user=owner, now=timezone.now() - datetime.timedelta(days=3))
    _play_days(owner, [1])

    html = signed_in.get(STREAK).content.decode()

    assert html.count('data-state="frozen"') == 1
    assert re.search(r'data-testid="streak-current">3 days<', html)


def _calendar_state(html: str, day: datetime.date) -> str:
    return re.search(rf'data-date="{day:%Y-%m-%d}" data-state="(\w+)"', html).group(1)


def test_a_day_completed_before_a_vacation_started_stays_completed_in_the_calendar(signed_in, owner):
    _play_days(owner, [1, 0])  # today's quest done, then the vacation starts
    signed_in.post(VACATION, {"on": "on"})
    assert Vacation.objects.filter(user=owner, ends_on__isnull=True).exists()

    html = signed_in.get(STREAK).content.decode()

    today = timezone.now().date()
    assert _calendar_state(html, today) == "completed"
    assert _calendar_state(html, today - datetime.timedelta(days=1)) == "completed"
    assert re.search(r'data-testid="streak-current">2 days<', html)


def test_a_vacation_day_without_a_completed_quest_shows_as_vacation(signed_in, owner):
    today = timezone.now().date()
    signed_in.post(VACATION, {"on": "on"})  # nothing completed yet, ever

    html = signed_in.get(STREAK).content.decode()

    assert _calendar_state(html, today) == "vacation"
    assert _calendar_state(html, today - datetime.timedelta(days=1)) == "before"


def test_it_buys_a_freeze_from_the_streak_page(signed_in, owner):
    account_services.profile_adjust_balance(user=owner, coins=15)

    response = signed_in.post(FREEZE, follow=True)

    assert response.redirect_chain == [(STREAK, 302)]
    assert "Streak freeze bought" in response.content.decode()
    assert Profile.objects.get(user=owner).coins == 5
    assert StreakFreeze.objects.filter(user=owner).count() == 1


def test_it_says_why_a_freeze_cannot_be_bought(signed_in, owner):
    response = signed_in.post(FREEZE)

    assert response.status_code == 409
    assert "costs 10 coins and you have 0" in response.content.decode()
    assert not StreakFreeze.objects.exists()


def test_it_says_beside_the_disabled_button_why_no_freeze_can_be_bought(signed_in, owner):
    page = signed_in.get(STREAK).content.decode()
    assert "A freeze costs 10 coins; you have 0." in page
    account_services.profile_adjust_balance(user=owner, coins=100)
    for _ in range(daily_rules.FREEZES_HELD_MAX):
        daily.streak_freeze_buy(user=owner)

    page = signed_in.get(STREAK).content.decode()

    assert f"You already hold {daily_rules.FREEZES_HELD_MAX} freezes, the most you may hold." in page
    assert re.search(r'data-testid="buy-freeze" disabled', page)


def test_it_starts_and_ends_a_vacation_from_the_streak_page(signed_in, owner):
    started = signed_in.post(VACATION, {"on": "on"}, follow=True)
    html = started.content.decode()

    assert 'data-testid="vacation"' in html and "<progress " not in html
    assert "End my vacation" in html
    assert Vacation.objects.get(user=owner).ends_on is None

    ended = signed_in.post(VACATION, {"on": "off"}, follow=True)

    assert "<progress " in ended.content.decode()
    assert Vacation.objects.get(user=owner).ends_on == timezone.now().date()


def test_it_refuses_a_bad_vacation_form_and_a_second_start(signed_in, owner):
    assert signed_in.post(VACATION, {"on": "sometimes"}).status_code == 400
    signed_in.post(VACATION, {"on": "on"})
    assert signed_in.post(VACATION, {"on": "on"}).status_code == 409
    assert Vacation.objects.count() == 1


def test_it_sends_anonymous_visitors_to_log_in_and_refuses_gets_on_actions(client, signed_in):
    from django.test import Client

    anonymous = Client()
    for url in (STREAK, FREEZE, VACATION):
        assert anonymous.get(url).status_code == 302
    assert signed_in.get(FREEZE).status_code == 405
    assert signed_in.get(VACATION).status_code == 405


def test_it_lets_the_learner_choose_their_time_zone_in_the_profile(signed_in, owner):
    form = signed_in.get(reverse("accounts:onboarding")).content.decode()
    assert '<option value="Europe/Berlin">' in form

    response = signed_in.post(
        reverse("accounts:onboarding"), {"role": "Student", "mode": "educational", "time_zone": "Europe/Berlin"}
    )
    refused = signed_in.post(
        reverse("accounts:onboarding"), {"role": "Student", "mode": "educational", "time_zone": "Mars/Base"}
    )

    assert response.status_code == 302 and refused.status_code == 400
    assert Profile.objects.get(user=owner).time_zone == "Europe/Berlin"
