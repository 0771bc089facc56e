"""The client's address: REMOTE_ADDR unless the operator trusts a number of proxies."""

import itertools

import pytest
from django.test import RequestFactory

from myApp.lib.client import client_ip

REGISTER = "/api/v1/auth/register/"
STRONG = "a-long-and-unusual-passphrase"


def _request(remote: str = "203.0.113.9", forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_it_ignores_x_forwarded_for_by_default(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(forwarded="1.2.3.4")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client wrote 6.6.6.6; our proxy appended the rest
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "198.51.100.7"),  # fewer hops than proxies: the leftmost one
        (1, "", "203.0.113.9"),
        (1, "not-an-address", "203.0.113.9"),
    ],
)
def test_it_takes_the_address_the_outermost_trusted_proxy_saw(settings, trusted, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = trusted
    assert client_ip(_request(forwarded=forwarded)) == expected


def test_it_throttles_sign_ups_however_the_forwarded_header_rotates(anon_api, db, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    addresses = (f"10.9.{n // 250}.{n % 250}" for n in itertools.count(1))
    statuses = [
        anon_api.post(
            REGISTER, {"username": f"rotating{n}", "password": STRONG}, HTTP_X_FORWARDED_FOR=next(addresses)
        ).status_code
        for n in range(12)
    ]
    assert statuses == [201] * 10 + [429] * 2


def test_it_counts_each_client_separately_behind_a_trusted_proxy(anon_api, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        assert (
            anon_api.post(
                REGISTER, {"username": f"first{n}", "password": STRONG}, HTTP_X_FORWARDED_FOR="198.51.100.1"
            ).status_code
            == 201
        )
    assert (
        anon_api.post(
            REGISTER, {"username": "first-x", "password": STRONG}, HTTP_X_FORWARDED_FOR="198.51.100.1"
        ).status_code
        == 429
    )
    other = anon_api.post(REGISTER, {"username": "second", "password": STRONG}, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 201
