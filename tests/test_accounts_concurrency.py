"""Pairing codes under concurrent use: one code links one parent, a child has one open code.

Real threads on PostgreSQL, each with its own connection; SQLite has no row locks.
"""

import contextlib
import threading

import pytest

from myApp.accounts.models import ChildPrivacySettings, PairingCode
from myApp.accounts.services import family, pairing_code_create, pairing_code_redeem
from myApp.lib.exceptions import ServiceError
from tests.concurrency import race
from tests.factories import ParentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_it_links_one_parent_when_two_enter_the_same_code_together(owner, monkeypatch):
    _, code = pairing_code_create(child=owner)
    mum, dad = ParentFactory(username="mum"), ParentFactory(username="dad")
    # Hold each redemption just after it has read the code until the other has read it too (or a
    # second passes). Without the row lock and the conditional update both would link; with
    # them, the second waits for the first to commit and then finds the code used.
    both_read = threading.Barrier(2, timeout=1)
    lock = family._pairing_code_lock

    def read_together(**kwargs):
        pairing = lock(**kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()
        return pairing

    monkeypatch.setattr(family, "_pairing_code_lock", read_together)

    results = race(
        lambda: pairing_code_redeem(parent=mum, code=code),
        lambda: pairing_code_redeem(parent=dad, code=code),
    )

    assert sorted(type(result).__name__ for result in results) == ["ChildPrivacySettings", "ServiceError"]
    assert ChildPrivacySettings.objects.filter(child=owner).count() == 1
    refused = next(result for result in results if isinstance(result, ServiceError))
    assert refused.errors == {"code": [family.CODE_UNUSABLE]}


def test_it_keeps_one_open_code_when_a_child_makes_several_at_once(owner):
    results = race(*[lambda: pairing_code_create(child=owner)] * 6)

    assert all(isinstance(result, tuple) for result in results)
    assert PairingCode.objects.filter(child=owner, used_at__isnull=True).count() == 1
