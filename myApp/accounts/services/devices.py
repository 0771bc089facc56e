"""API devices: every sign-in gets its own hashed django-rest-knox token with a sliding expiry."""

import re
from datetime import timedelta

from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from knox.settings import knox_settings

from myApp.accounts.models import DeviceToken, User
from myApp.accounts.services.users import login_record, logout_record

# Past this many live devices, signing in again retires the least recently used one, so a
# script that logs in in a loop cannot grow the table without bound.
MAX_DEVICES_PER_USER = 20
# Last use and the sliding expiry are written at most this often per device (one UPDATE).
TOUCH_INTERVAL = timedelta(seconds=knox_settings.MIN_REFRESH_INTERVAL)
DEVICE_NAME_LENGTH = DeviceToken._meta.get_field("name").max_length

# (pattern, name) pairs, first match wins: the most specific browsers and apps first.
_CLIENTS = [
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/", "Chrome"),
    (r"Safari/", "Safari"),
    (r"okhttp/", "Android app"),
    (r"CFNetwork/|Darwin/", "iOS app"),
    (r"^curl/", "curl"),
    (r"python-requests/|python-httpx/|aiohttp/", "Python script"),
]
_SYSTEMS = [
    (r"iPhone", "iPhone"),
    (r"iPad", "iPad"),
    (r"Android", "Android"),
    (r"Windows", "Windows"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"CrOS", "ChromeOS"),
    (r"Linux", "Linux"),
]


def device_name_from_user_agent(user_agent: str) -> str:
    """A name a person recognises in their device list ("Firefox on Linux"), from the User-Agent."""
    client = next((name for pattern, name in _CLIENTS if re.search(pattern, user_agent)), "")
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, user_agent)), "")
    if client and system:
        return f"{client} on {system}"
    return client or system or "Unknown device"


def _device_name(name: str, user_agent: str) -> str:
    cleaned = " ".join(name.split())[:DEVICE_NAME_LENGTH]
    return cleaned or device_name_from_user_agent(user_agent)


@transaction.atomic
def device_token_create(*, user: User, name: str = "", user_agent: str = "") -> tuple[DeviceToken, str]:
    """Sign a device in. Returns the row and the key, which exists only in this return value:
    the database keeps knox's SHA-512 digest and a lookup prefix."""
    now = timezone.now()
    DeviceToken.objects.filter(user=user, expiry__lte=now).delete()
    retired = list(
        DeviceToken.objects.filter(user=user)
        .order_by(Coalesce("last_used_at", "created").desc(), "-id")
        .values_list("pk", flat=True)[MAX_DEVICES_PER_USER - 1 :]
    )
    if retired:
        DeviceToken.objects.filter(pk__in=retired).delete()
    device, key = DeviceToken.objects.create(
        user=user, expiry=knox_settings.TOKEN_TTL, name=_device_name(name, user_agent), last_used_at=now
    )
    login_record(user=user, source="api")
    return device, key


def device_token_touch(*, device: DeviceToken) -> DeviceToken:
    """Record that a device was used and slide its expiry (``API_TOKEN_TTL_DAYS`` from now), never
    past ``API_TOKEN_MAX_AGE_DAYS`` after sign-in. Writes at most once per ``TOUCH_INTERVAL``."""
    now = timezone.now()
    if device.last_used_at is not None and now - device.last_used_at < TOUCH_INTERVAL:
        return device
    expiry = min(now + knox_settings.TOKEN_TTL, device.created + knox_settings.AUTO_REFRESH_MAX_TTL)
    expiry = max(expiry, device.expiry)  # refreshing never shortens a device's life
    DeviceToken.objects.filter(pk=device.pk).update(last_used_at=now, expiry=expiry)
    device.last_used_at, device.expiry = now, expiry
    return device


@transaction.atomic
def device_token_revoke(*, device: DeviceToken) -> None:
    """Log one device out; its key stops working at once (logged once: a device already gone logs nothing)."""
    deleted, _ = DeviceToken.objects.filter(pk=device.pk).delete()
    if deleted:
        logout_record(user=device.user, source="api", scope="device")


@transaction.atomic
def device_tokens_revoke_all(*, user: User) -> int:
    """Log out everywhere: every API device of the user. Returns how many were revoked."""
    count, _ = DeviceToken.objects.filter(user=user).delete()
    logout_record(user=user, source="api", scope="everywhere", devices=count)
    return count
