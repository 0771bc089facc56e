"""The admin shows API devices and pairing codes without any key or code, and revokes devices."""

import re

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin
from django.urls import reverse
from knox.models import AuthToken

from myApp.accounts import services
from myApp.accounts.models import DeviceToken, PairingCode, User

USER_CHANGE = "admin:accounts_user_change"
DEVICES = reverse("admin:accounts_devicetoken_changelist")
CODES = reverse("admin:accounts_pairingcode_changelist")


def _secrets_of(device: DeviceToken, key: str) -> list[str]:
    return [key, device.digest, device.token_key, key[:8]]


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_it_lists_a_users_devices_on_the_user_page_without_key_material(staff_client, owner):
    device, key = services.device_token_create(user=owner, name="Owner's phone")

    page = staff_client.get(reverse(USER_CHANGE, args=[owner.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Owner&#x27;s phone" in html
    for secret in _secrets_of(device, key):
        assert secret not in html
    assert reverse("admin:accounts_devicetoken_change", args=[device.pk]) in _hrefs(html)


def test_it_shows_devices_without_key_material_in_lists_pages_and_urls(staff_client, owner):
    device, key = services.device_token_create(user=owner, name="Laptop")
    pages = [
        staff_client.get(DEVICES),
        staff_client.get(DEVICES, {"q": "owner"}),
        staff_client.get(reverse("admin:accounts_devicetoken_change", args=[device.pk])),
        staff_client.get(reverse("admin:accounts_devicetoken_delete", args=[device.pk])),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert "Laptop" in html
        for secret in _secrets_of(device, key):
            assert secret not in html
            assert not [href for href in _hrefs(html) if secret in href]
    assert list(pages[1].context["cl"].result_list) == [device]


def test_it_revokes_selected_devices_from_the_admin(staff_client, owner, api_as):
    kept, revoked = api_as(owner), api_as(owner)
    target = DeviceToken.objects.filter(user=owner).order_by("-id").first()

    response = staff_client.post(DEVICES, {"action": "revoke_devices", "_selected_action": [target.pk]})

    assert response.status_code == 302
    assert revoked.get("/api/v1/me/").status_code == 401
    assert kept.get("/api/v1/me/").status_code == 200


def test_it_revokes_a_device_from_its_delete_page(staff_client, owner, api_as):
    client = api_as(owner)
    device = DeviceToken.objects.get(user=owner)

    response = staff_client.post(reverse("admin:accounts_devicetoken_delete", args=[device.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert client.get("/api/v1/me/").status_code == 401


def test_it_logs_selected_users_out_of_every_device(staff_client, owner, outsider, api_as):
    owner_clients, outsider_client = [api_as(owner), api_as(owner)], api_as(outsider)

    response = staff_client.post(
        reverse("admin:accounts_user_changelist"), {"action": "revoke_api_tokens", "_selected_action": [owner.pk]}
    )

    assert response.status_code == 302
    assert not DeviceToken.objects.filter(user=owner).exists()
    assert [client.get("/api/v1/me/").status_code for client in owner_clients] == [401, 401]
    assert outsider_client.get("/api/v1/me/").status_code == 200


def test_it_shows_pairing_codes_without_the_code(staff_client, owner):
    pairing, code = services.pairing_code_create(child=owner)

    for url in (CODES, reverse("admin:accounts_pairingcode_change", args=[pairing.pk])):
        response = staff_client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "owner" in html
        for secret in (code, code.replace("-", ""), pairing.digest):
            assert secret not in html


def test_it_keeps_knox_and_the_disabled_axes_logs_out_of_the_admin():
    for model in (AuthToken, AccessLog, AccessFailureLog):
        assert not admin.site.is_registered(model)
    assert admin.site.is_registered(DeviceToken) and admin.site.is_registered(PairingCode)


def test_it_erases_a_user_with_devices_and_codes(staff_client, owner, member):
    """Accounts are erased, not deleted (``test_data_rights_erasure``): the devices go with the erasure."""
    services.device_token_create(user=owner, name="Tablet")
    data = {"action": "erase_accounts", "_selected_action": [owner.pk], "confirm": "yes"}
    response = staff_client.post(reverse("admin:accounts_user_changelist"), data)
    assert response.status_code == 302
    assert not User.objects.get(pk=owner.pk).is_active
    assert not DeviceToken.objects.filter(user_id=owner.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/devicetoken/?digest__startswith=a",
        "/admin/accounts/devicetoken/?token_key__startswith=1",
        "/admin/accounts/devicetoken/?user__id__exact=1&token_key__startswith=1",
        "/admin/accounts/pairingcode/?digest__startswith=a",
        "/admin/accounts/user/?auth_token_set__digest__startswith=a",
        "/admin/accounts/user/?password__startswith=md5",
    ],
)
def test_it_refuses_admin_filters_that_would_reveal_secrets(staff_client, owner, api_as, url):
    api_as(owner)  # a device, so a leaking filter would have a row to count

    response = staff_client.get(url)

    assert response.status_code == 400
    assert "result" not in response.content.decode()
