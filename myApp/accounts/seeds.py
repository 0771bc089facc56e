"""Seed targets for accounts: the staff user and a few demo people.

No password lives in code: each comes from the environment or is generated
and printed once, when the user is first created.
"""

import os
import secrets

from rich.console import Console

from myApp.accounts import load as _load  # noqa: F401  (registers the accounts steps of ``load``)
from myApp.accounts import services
from myApp.accounts.models import ChildPrivacySettings, Role, User
from myApp.lib.seeding import seed_target


def ensure_user(console: Console, *, username: str, password: str | None, **fields) -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        services.profile_ensure(user=existing)
        console.print(f"  [dim]{username}: exists, left unchanged[/dim]")
        return existing
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    user = services.user_create(username=username, password=password, **fields)
    shown = f"generated password [bold]{password}[/bold] (shown once)" if generated else "password from the environment"
    console.print(f"  [green]{username}: created[/green], {shown}")
    return user


@seed_target("users", help="A staff user from SEED_STAFF_USERNAME / SEED_STAFF_EMAIL / SEED_STAFF_PASSWORD.", order=10)
def staff_user(console: Console) -> None:
    ensure_user(
        console,
        username=os.environ.get("SEED_STAFF_USERNAME") or "admin",
        email=os.environ.get("SEED_STAFF_EMAIL") or "",
        password=os.environ.get("SEED_STAFF_PASSWORD") or None,
        role=Role.STAFF,
        is_staff=True,
        is_superuser=True,
    )


@seed_target("demo", help="Demo data for a lived-in app: the staff user, learners and a parent.", order=10)
def demo_people(console: Console) -> None:
    staff_user(console)
    password = os.environ.get("SEED_DEMO_PASSWORD") or None
    learner = ensure_user(console, username="demo_learner", password=password, role=Role.LEARNER)
    child = ensure_user(console, username="demo_child", password=password, role=Role.LEARNER)
    parent = ensure_user(console, username="demo_parent", password=password, role=Role.PARENT)
    # Teaches the demo learner's free course (the curriculum step assigns it): reviews shared milestone attempts.
    ensure_user(console, username="demo_teacher", password=password, role=Role.TEACHER)
    if not learner.profile.onboarding_completed:
        services.profile_complete_onboarding(
            user=learner,
            persona={"role": "Student", "main_goal": "Present my thesis calmly", "audience": "Classmates"},
        )
    if not ChildPrivacySettings.objects.filter(parent=parent, child=child).exists():
        # The real flow: the child makes a pairing code, the parent enters it.
        _, code = services.pairing_code_create(child=child)
        link = services.pairing_code_redeem(parent=parent, code=code)
        services.child_consent_set(link=link, by=child, share=True)
        console.print("  [green]demo_parent → demo_child: linked, consent granted[/green]")
