"""Reads for accounts that are more than one ORM call."""

import re
from functools import cache
from hmac import compare_digest
from typing import Any

from django.db import connection, connections, router
from django.db.models import Expression, IntegerField, Model, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from knox.crypto import hash_token
from knox.settings import CONSTANTS as KNOX

from myApp.accounts.models import ChildPrivacySettings, DeviceToken, PairingCode, Profile, User
from myApp.lib import access

# A link is both people's own: the parent's and the child's.
CHILD_LINK_OWNERS = ("parent", "child")


def child_links() -> QuerySet[ChildPrivacySettings]:
    return ChildPrivacySettings.objects.select_related("parent", "child", "consent_changed_by").order_by(
        "-created_at", "-pk"
    )


def child_links_owned_by(*, user: User) -> QuerySet[ChildPrivacySettings]:
    """The links the user is a party to, as parent or as child."""
    return access.owned_by(child_links(), user=user, owner_fields=CHILD_LINK_OWNERS)


def profile_for(*, user: User) -> Profile:
    """The user's profile, read only: every user gets one from ``services.user_create``. A user
    made around it (a raw insert) has none; pages then show an empty, unsaved profile."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


def user_with_profile(*, user: User) -> User:
    """The user with their profile joined; a read, so it never writes.

    Every user gets a profile when created (``services.user_create``, which ``createsuperuser`` uses too, and
    the admin's add form), and migration 0007 made the missing ones of older accounts. An account inserted
    around those paths (a raw ``bulk_create``) reads as the default profile until its first write creates it.
    """
    found = User.objects.select_related("profile").get(pk=user.pk)
    if not hasattr(found, "profile"):
        found.profile = Profile(user=found)  # unsaved: the defaults a new profile would have
    return found


def device_tokens_live(*, user: User) -> QuerySet[DeviceToken]:
    """The user's signed-in API devices, most recently used first; expired ones are not listed."""
    return DeviceToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-last_used_at", "-id")


_TOKEN_CHARACTERS = re.compile(r"[0-9A-Za-z_-]+")  # knox's hex keys, and a prefix of letters


def device_token_for_key(*, key: str, extras: dict[str, Expression] | None = None) -> DeviceToken | None:
    """The live device whose key this is (with its user), or None. Rows are found by the key's
    prefix and confirmed by comparing digests in constant time.

    ``extras`` are annotations the same statement carries for the request (``OuterRef("user_id")`` is the
    device's user): a view's hot read that needs one row of the caller's costs no query of its own
    (``DeviceTokenAuthentication``)."""
    if not key or len(key) > 2 * KNOX.DIGEST_LENGTH or not _TOKEN_CHARACTERS.fullmatch(key):
        return None  # not a key this app issues (a NUL byte, say): no query
    digest = hash_token(key)
    prefix, now = key[: KNOX.TOKEN_KEY_LENGTH], timezone.now()
    if all(isinstance(extra, RawSQL) for extra in (extras or {}).values()):
        candidates = _device_token_rows(prefix=prefix, now=now, extras=extras or {})
    else:
        # Unordered: the digest picks the one row, so sorting the candidates would only cost the statement a sort.
        candidates = (
            DeviceToken.objects.select_related("user").filter(token_key=prefix, expiry__gt=now).order_by()
        ).annotate(**extras)
    return next((device for device in candidates if compare_digest(device.digest, digest)), None)


def _device_token_rows(*, prefix: str, now, extras: dict[str, RawSQL]) -> list[DeviceToken]:
    """What ``DeviceToken.objects.select_related("user").filter(token_key=prefix, expiry__gt=now).annotate(**extras)``
    returns, without compiling the ORM query on every request (the compilation cost an API request about as much
    Python as the rest of authentication): one statement written once from the models' metadata, the same
    statement the ORM writes, read into instances with ``from_db``. Routed as the ORM routes it."""
    alias = router.db_for_read(DeviceToken)
    database = connections[alias]
    base = _device_token_select(database)
    selected = "".join(f", ({extra.sql})" for extra in extras.values())
    sql = base.format(extras=selected)
    params: list[Any] = []
    for extra in extras.values():
        params.extend(extra.params)
    params += [prefix, DeviceToken._meta.get_field("expiry").get_db_prep_value(now, database)]
    device_fields, user_fields = DeviceToken._meta.concrete_fields, User._meta.concrete_fields
    with database.cursor() as cursor:
        if hasattr(database, "execute_prepared"):  # PostgreSQL (myApp.lib.postgresql): planned once per connection
            database.execute_prepared(cursor, sql, params)
        else:
            cursor.execute(sql, params)
        rows = cursor.fetchall()
    devices = []
    for row in rows:
        extras_end = len(device_fields) + len(extras)
        device = DeviceToken.from_db(
            alias, _attnames(device_fields), _converted(database, device_fields, row[: len(device_fields)])
        )
        user = User.from_db(alias, _attnames(user_fields), _converted(database, user_fields, row[extras_end:]))
        DeviceToken._meta.get_field("user").set_cached_value(device, user)
        for name, value in zip(extras, row[len(device_fields) : extras_end], strict=True):
            setattr(device, name, value)
        devices.append(device)
    return devices


def _attnames(fields) -> list[str]:
    model = fields[0].model
    if model not in _ATTNAMES:
        _ATTNAMES[model] = [field.attname for field in fields]
    return _ATTNAMES[model]


_ATTNAMES: dict[type[Model], list[str]] = {}


def _converted(database, fields, values) -> list[Any]:
    """The row's values as the ORM's compiler hands them to ``from_db``: through the backend's and the fields'
    converters (SQLite's datetimes, for one)."""
    converted = list(values)
    for index, expression, functions in _converters(database, fields):
        for function in functions:
            converted[index] = function(converted[index], expression, database)
    return converted


_CONVERTERS: dict[tuple[str, type[Model]], list[tuple[int, Any, list]]] = {}


def _converters(database, fields) -> list[tuple[int, Any, list]]:
    cache_key = (database.alias, fields[0].model)
    if cache_key not in _CONVERTERS:
        found = []
        for index, field in enumerate(fields):
            expression = field.get_col(field.model._meta.db_table)
            functions = database.ops.get_db_converters(expression) + expression.get_db_converters(database)
            if functions:
                found.append((index, expression, functions))
        _CONVERTERS[cache_key] = found
    return _CONVERTERS[cache_key]


_SELECTS: dict[str, str] = {}


def _device_token_select(database) -> str:
    """The lookup's statement for this database, with ``{extras}`` where the extras' columns go (cached)."""
    cached = _SELECTS.get(database.alias)
    if cached is not None:
        return cached
    quote = database.ops.quote_name
    token, user = DeviceToken._meta.db_table, User._meta.db_table

    def columns(model, table):
        return ", ".join(f"{quote(table)}.{quote(field.column)}" for field in model._meta.concrete_fields)

    user_column, key_column, expiry_column = (
        DeviceToken._meta.get_field(name).column for name in ("user", "token_key", "expiry")
    )
    user_pk = quote(User._meta.pk.column)
    sql = (
        f"SELECT {columns(DeviceToken, token)}{{extras}}, {columns(User, user)} FROM {quote(token)} "
        f"INNER JOIN {quote(user)} ON ({quote(token)}.{quote(user_column)} = {quote(user)}.{user_pk}) "
        f"WHERE ({quote(token)}.{quote(key_column)} = %s AND {quote(token)}.{quote(expiry_column)} > %s)"
    )
    _SELECTS[database.alias] = sql.replace("{", "{{").replace("}", "}}").replace("{{extras}}", "{extras}")
    return _SELECTS[database.alias]


def caller_row_value(model: type[Model], column: str, *, owner_field: str = "user", **unique: Any) -> RawSQL:
    """For ``device_token_for_key(extras=...)``: ``column`` of the caller's row of ``model`` that ``unique`` names
    (a unique lookup), NULL when the caller has none. Written as SQL from the models' metadata: a correlated
    subselect that costs the statement next to nothing to compile (an ORM ``Subquery`` costs a request about a
    millisecond of Python, more than the subselect costs the database)."""
    sql, fields = _caller_row_sql(model, column, owner_field, tuple(unique), connection.vendor)
    params = [field.get_db_prep_value(value, connection) for field, value in zip(fields, unique.values(), strict=True)]
    return RawSQL(sql, params, output_field=_INTEGER)


_INTEGER = IntegerField()


@cache
def _caller_row_sql(model: type[Model], column: str, owner_field: str, names: tuple[str, ...], vendor: str):
    """``caller_row_value``'s statement and the fields its parameters are for, written once per shape (a request
    then only binds the values)."""
    quote = connection.ops.quote_name
    caller = f"{quote(DeviceToken._meta.db_table)}.{quote(DeviceToken._meta.get_field('user').column)}"
    meta = model._meta
    fields = tuple(meta.get_field(name) for name in names)
    where = [f"{quote(meta.get_field(owner_field).column)} = {caller}"]
    where += [f"{quote(field.column)} = %s" for field in fields]
    sql = f"SELECT {quote(meta.get_field(column).column)} FROM {quote(meta.db_table)} WHERE {' AND '.join(where)}"
    return sql, fields


def pairing_codes() -> QuerySet[PairingCode]:
    return PairingCode.objects.select_related("child", "used_by").order_by("-created_at", "-pk")


def pairing_code_open(*, child: User) -> PairingCode | None:
    """The child's code that can still be used, if any."""
    return PairingCode.objects.filter(child=child, used_at__isnull=True, expires_at__gt=timezone.now()).first()


def family_links(*, user: User) -> tuple[list[ChildPrivacySettings], list[ChildPrivacySettings]]:
    """The user's links as a child (their parents) and as a parent (their children), in one query."""
    links = list(child_links().filter(parent=user) | child_links().filter(child=user))
    return [link for link in links if link.child_id == user.pk], [link for link in links if link.parent_id == user.pk]
