"""``seed_data.py``: the target list, exit codes, and idempotent targets run against the test database."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

import seed_data
from myApp.accounts.models import ChildPrivacySettings, Profile, Role, User
from myApp.analytics.models import AnalyticsEvent

REPO_ROOT = Path(__file__).resolve().parent.parent
GENERATED_PASSWORD = re.compile(r"generated password (\S+)")


def _run_script(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "myProject.settings_test")
    return subprocess.run(
        [sys.executable, "seed_data.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _listed_targets(output: str) -> set[str]:
    return set(re.findall(r"^\W*(\w+)\s+│", output, flags=re.MULTILINE))


def test_it_lists_the_targets():
    result = _run_script("--list")

    assert result.returncode == 0, result.stderr
    assert {"users", "demo"} <= _listed_targets(result.stdout)


def test_it_refuses_an_unknown_target_and_prints_the_list():
    result = _run_script("no-such-target")

    assert result.returncode == 2, result.stderr
    assert "no-such-target" in result.stdout
    assert {"users", "demo"} <= _listed_targets(result.stdout)


def test_it_refuses_to_run_without_a_target():
    result = _run_script()

    assert result.returncode == 2, result.stderr
    assert {"users", "demo"} <= _listed_targets(result.stdout)


@pytest.fixture
def seed_env(monkeypatch):
    """A clean seeding environment: nothing from the developer's shell leaks in."""
    for name in ("SEED_STAFF_USERNAME", "SEED_STAFF_EMAIL", "SEED_STAFF_PASSWORD", "SEED_DEMO_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _logs_in(client, username: str, password: str) -> bool:
    """Through the login page, as a person would (the lockout backend needs a real request)."""
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code == 302 and SESSION_KEY in client.session


def test_it_creates_the_staff_user_from_the_environment(db, seed_env, client):
    seed_env.setenv("SEED_STAFF_USERNAME", "ops")
    seed_env.setenv("SEED_STAFF_EMAIL", "ops@example.com")
    seed_env.setenv("SEED_STAFF_PASSWORD", "seeded-staff-pass-2024")

    assert seed_data.main(["users"]) == 0

    staff = User.objects.get(is_superuser=True)
    assert (staff.username, staff.email, staff.role) == ("ops", "ops@example.com", Role.STAFF)
    assert staff.is_staff
    assert Profile.objects.filter(user=staff).exists()
    assert _logs_in(client, "ops", "seeded-staff-pass-2024")


def test_it_generates_a_staff_password_and_prints_it_once(db, seed_env, capsys, client):
    assert seed_data.main(["users"]) == 0
    first_output = capsys.readouterr().out
    passwords = GENERATED_PASSWORD.findall(first_output)
    assert len(passwords) == 1, first_output
    staff = User.objects.get(username="admin", is_superuser=True)
    assert _logs_in(client, "admin", passwords[0])

    assert seed_data.main(["users"]) == 0
    second_output = capsys.readouterr().out

    assert "generated password" not in second_output
    assert passwords[0] not in second_output
    assert User.objects.get(pk=staff.pk).password == staff.password
    assert User.objects.filter(is_superuser=True).count() == 1


def _row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (User, Profile, ChildPrivacySettings, AnalyticsEvent)}


def test_it_loads_demo_data_idempotently(db, seed_env):
    assert seed_data.main(["demo"]) == 0
    after_once = _row_counts()

    assert seed_data.main(["demo"]) == 0

    assert _row_counts() == after_once
    assert after_once["User"] == after_once["Profile"] >= 4  # admin, learner, child, parent
    assert after_once["ChildPrivacySettings"] == 2  # demo_child (consenting) and demo_child_quiet (not)


def test_it_links_the_demo_parent_and_child_with_consent(db, seed_env):
    assert seed_data.main(["demo"]) == 0

    link = ChildPrivacySettings.objects.get(parent__username="demo_parent", child__username="demo_child")
    assert link.share_quest_progress
    assert Profile.objects.get(user__username="demo_learner").onboarding_completed
