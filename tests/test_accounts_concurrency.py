"""Pairing codes under concurrent use: one code links one parent, a child has one open code.

Real threads on PostgreSQL, each with its own connection; SQLite has no row locks.
"""

import pytest

from myApp.accounts.models import ChildPrivacySettings, PairingCode
from myApp.accounts.services import family, pairing_code_create, pairing_code_redeem
from myApp.lib.exceptions import ServiceError
from tests.concurrency import Gate, hold_first_then_run, race
from tests.factories import ParentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_it_links_one_parent_when_two_enter_the_same_code_together(owner, monkeypatch):
    _, code = pairing_code_create(child=owner)
    mum, dad = ParentFactory(username="mum"), ParentFactory(username="dad")
    # Mum's redemption reads the code and stops there, uncommitted; only then does dad's start. Without
    # the row lock and the conditional update both would link; with the lock, dad's waits for mum's to
    # commit (PostgreSQL shows it waiting before mum's goes on) and then finds the code used.
    gate = Gate()
    lock = family._pairing_code_lock

    def read_then_hold(**kwargs):
        pairing = lock(**kwargs)
        gate()
        return pairing

    monkeypatch.setattr(family, "_pairing_code_lock", read_then_hold)

    run = hold_first_then_run(
        lambda: pairing_code_redeem(parent=mum, code=code),
        lambda: pairing_code_redeem(parent=dad, code=code),
        gate=gate,
    )

    assert run.second_waited_on, "dad's redemption did not wait for mum's"
    assert isinstance(run.first, ChildPrivacySettings) and run.first.parent == mum
    assert isinstance(run.second, ServiceError) and run.second.errors == {"code": [family.CODE_UNUSABLE]}
    assert ChildPrivacySettings.objects.filter(child=owner).count() == 1


def test_it_keeps_one_open_code_when_a_child_makes_several_at_once(owner):
    results = race(*[lambda: pairing_code_create(child=owner)] * 6)

    assert all(isinstance(result, tuple) for result in results)
    assert PairingCode.objects.filter(child=owner, used_at__isnull=True).count() == 1
