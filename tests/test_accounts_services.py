"""Users, profiles and the economy through the accounts services."""

import pytest
from django.db import IntegrityError
from django.db.models import F

from myApp.accounts import services
from myApp.accounts.models import Profile, Role, User
from myApp.lib.exceptions import InsufficientBalance
from tests.concurrency import race
from tests.factories import PASSWORD, UserFactory


def test_it_creates_a_profile_with_every_user(db):
    user = services.user_create(username="ada", password=PASSWORD, email="ADA@Example.COM")
    profile = Profile.objects.get(user=user)
    assert (profile.xp, profile.coins, profile.tickets, profile.onboarding_completed) == (0, 0, 0, False)
    assert user.email == "ADA@example.com"
    assert user.check_password(PASSWORD)


def test_it_creates_a_profile_for_createsuperuser(db):
    admin = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    assert admin.is_staff and admin.is_superuser
    assert admin.role == Role.STAFF
    assert Profile.objects.filter(user=admin).exists()


def test_it_rejects_negative_coins_at_the_database(owner):
    with pytest.raises(IntegrityError, match="accounts_profile_coins_non_negative"):
        Profile.objects.filter(user=owner).update(coins=F("coins") - 1)


def test_it_adds_and_spends_balances_atomically(owner):
    profile = services.profile_adjust_balance(user=owner, xp=50, coins=20, tickets=3)
    assert (profile.xp, profile.coins, profile.tickets) == (50, 20, 3)
    profile = services.profile_adjust_balance(user=owner, coins=-20, tickets=-1)
    assert (profile.xp, profile.coins, profile.tickets) == (50, 0, 2)


def test_it_refuses_an_overdraft_and_keeps_the_balance(owner):
    services.profile_adjust_balance(user=owner, coins=5, tickets=1)
    with pytest.raises(InsufficientBalance) as refused:
        services.profile_adjust_balance(user=owner, coins=-6, tickets=-1)
    assert refused.value.status_code == 409
    assert set(refused.value.errors) == {"coins", "tickets"}
    profile = Profile.objects.get(user=owner)
    assert (profile.coins, profile.tickets) == (5, 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_never_overdraws_under_concurrent_spending():
    spender = UserFactory(username="spender")
    services.profile_adjust_balance(user=spender, tickets=5)
    results = race(*[lambda: services.profile_adjust_balance(user=spender, tickets=-1)] * 10)
    assert sorted(type(result).__name__ for result in results) == ["InsufficientBalance"] * 5 + ["Profile"] * 5
    assert Profile.objects.get(user=spender).tickets == 0


def test_it_assigns_the_ab_variant_once(owner):
    profile = services.profile_assign_ab_variant(profile=owner.profile)
    assert profile.ab_variant in {"A", "B"}
    Profile.objects.filter(pk=profile.pk).update(ab_variant="A" if profile.ab_variant == "B" else "B")
    changed = Profile.objects.get(pk=profile.pk)
    assert services.profile_assign_ab_variant(profile=changed).ab_variant == changed.ab_variant


def test_it_completes_onboarding_with_the_persona(owner):
    services.profile_complete_onboarding(
        user=owner, persona={"role": "Engineer", "main_goal": "Give a conference talk", "comfort_large_audience": 2}
    )
    profile = Profile.objects.get(user=owner)
    assert profile.onboarding_completed
    assert (profile.role, profile.main_goal, profile.comfort_large_audience) == (
        "Engineer",
        "Give a conference talk",
        2,
    )
    assert owner.analytics_events.filter(event_type="onboarding_completed").exists()


def test_it_ensures_a_profile_for_users_made_elsewhere(db):
    bare = User.objects.bulk_create([User(username="bare")])[0]
    assert not Profile.objects.filter(user=bare).exists()
    assert services.profile_ensure(user=bare).user_id == bare.pk
