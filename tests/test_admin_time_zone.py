"""Staff changing a learner's time zone in the admin go through the profile service, which records the change (a
learner's day moves from their next day: ``quests.daily_rules``). Saved as a plain field, as before, the change had
no record: a move west reopened a day that was over for the learner, with its quests and its missed streak day."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from myApp.accounts import services
from myApp.accounts.models import Profile, User


def _change_form_data(response) -> dict:
    """What the browser posts back for the change form as it was shown (the main form and every inline)."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        for field in inline.formset.management_form:
            data[field.html_name] = field.value()
        forms += inline.formset.forms
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


@pytest.fixture
def learner(db):
    user = User.objects.create_user(username="zoe", password="x" * 20)
    services.profile_ensure(user=user)
    return user


def test_a_time_zone_changed_in_the_admin_is_recorded_as_a_change(staff_client, learner):
    url = reverse("admin:accounts_user_change", args=[learner.pk])
    data = _change_form_data(staff_client.get(url))
    assert data["profile-0-time_zone"] == "UTC"
    before = timezone.now()

    response = staff_client.post(url, {**data, "profile-0-time_zone": "Pacific/Honolulu", "first_name": "Zoe"})

    assert response.status_code == 302, response.context["errors"] if response.context else response
    profile = Profile.objects.get(user=learner)
    learner.refresh_from_db()
    assert learner.first_name == "Zoe"  # the rest of the form is saved as ever
    assert (profile.time_zone, profile.previous_time_zone) == ("Pacific/Honolulu", "UTC")
    assert profile.time_zone_changed_at >= before
    # The change day is the learner's day in the zone it began in (UTC): it is kept to its end.
    assert profile.time_zone_changed_on == before.astimezone(datetime.UTC).date()


def test_an_admin_save_that_leaves_the_zone_alone_records_no_change(staff_client, learner):
    url = reverse("admin:accounts_user_change", args=[learner.pk])
    data = _change_form_data(staff_client.get(url))

    assert staff_client.post(url, {**data, "first_name": "Zoe"}).status_code == 302

    profile = Profile.objects.get(user=learner)
    assert (profile.time_zone, profile.previous_time_zone, profile.time_zone_changed_at) == ("UTC", "", None)


def test_an_admin_save_keeps_a_balance_changed_while_the_save_was_under_way(staff_client, learner, monkeypatch):
    """The profile inline wrote the whole row as the admin had read it: coins a lesson paid between that read and
    the write were put back. The lesson is made to pay exactly then (while the inline's form is validated)."""
    from django.db.models import F

    url = reverse("admin:accounts_user_change", args=[learner.pk])
    data = _change_form_data(staff_client.get(url))
    validate = Profile.full_clean
    paid = []

    def full_clean_while_a_lesson_pays(profile, *args, **kwargs):
        if not paid:  # the inline's form validates the profile the admin read: the lesson pays now, once
            paid.append(Profile.objects.filter(user=learner).update(xp=F("xp") + 50, coins=F("coins") + 7))
        return validate(profile, *args, **kwargs)

    monkeypatch.setattr(Profile, "full_clean", full_clean_while_a_lesson_pays)

    response = staff_client.post(url, {**data, "profile-0-parent_name": "Sam", "profile-0-time_zone": "Asia/Tokyo"})

    assert response.status_code == 302
    profile = Profile.objects.get(user=learner)
    assert paid == [1]
    assert (profile.xp, profile.coins, profile.parent_name, profile.time_zone) == (50, 7, "Sam", "Asia/Tokyo")
