"""Data rights: a person's export of everything held about them, and the erasure of their account.

Both walk the one registry (``myApp.lib.data_rights``, declared in ``data_rights_rules``); nothing here knows a
model by name except the account itself and the chat history cache.
"""

import datetime
import json
from collections.abc import Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from myApp.accounts.models import ErasureRecord, User
from myApp.lib import data_rights
from myApp.lib.access import is_staff_operator
from myApp.lib.exceptions import NotAllowed, ServiceError

EXPORT_FORMAT = "speakpro-export/1"
WRONG_PASSWORD = "That is not your password; your account was not erased."

_encoder = DjangoJSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _json(value: Any) -> str:
    return _encoder.encode(value)


def export_filename(*, user: User, now: datetime.datetime | None = None) -> str:
    day = (now or timezone.now()).date().isoformat()
    return f"speakpro-export-{user.pk}-{day}.json"


def export_stream(*, user: User) -> Iterator[bytes]:
    """The user's whole export as one JSON document, written piece by piece.

    ``{"format", "exported_at", "user_id", "data": {"app.Model": [row, ...], ...}}``: every registered model,
    its rows as column -> value (foreign keys as ids, secrets left out), fetched in chunks, one query per model
    whatever the number of rows. Yields bytes of a few rows each, so the response never holds the document.
    """
    head = {"format": EXPORT_FORMAT, "exported_at": timezone.now(), "user_id": user.pk}
    yield (_json(head)[:-1] + ',"data":{').encode()
    for index, rule in enumerate(data_rights.rules()):
        parts = [("," if index else "") + _json(rule.model) + ":["]
        size = 0
        for count, row in enumerate(data_rights.export_rows(rule, user)):
            parts.append(("," if count else "") + _json(row))
            size += 1
            if size >= 200:
                yield "".join(parts).encode()
                parts, size = [], 0
        parts.append("]")
        yield "".join(parts).encode()
    yield b"}}"


def _erase_step(step: data_rights.Erase, model: type[Model], user: User) -> int:
    if step.action == data_rights.KEEP:
        return 0
    if step.action == data_rights.CUSTOM:
        return step.run(user)
    rows = model._default_manager.filter(**{step.path: data_rights.user_value(step.path, user)})
    if step.action == data_rights.DELETE:
        deleted, _ = rows.delete()
        return deleted
    if step.action == data_rights.SET_NULL:
        return rows.update(**{step.path: None})
    values = step.values(user) if callable(step.values) else dict(step.values or {})
    return rows.update(**values)


def account_erase(*, user: User, by: User, password: str | None = None) -> ErasureRecord:
    """Erase ``user``'s account, asked by ``by``: the user themself (with their ``password``) or staff.

    One transaction walks the registry: personal rows deleted, links others need set to NULL, kept rows
    attached to the anonymised account (the decisions are in ``data_rights_rules``). Devices (API tokens) and
    page sessions are revoked in it; the chat history cache is dropped once it commits. The record of the
    erasure (who, whom, how many rows) stays, with ids and counts only.
    """
    by_staff = by.pk != user.pk
    if by_staff and not is_staff_operator(by):
        raise NotAllowed("Only the account's owner or staff may erase it.")
    if not by_staff and not user.check_password(password or ""):
        raise ServiceError(WRONG_PASSWORD, errors={"password": [WRONG_PASSWORD]})
    if by_staff and user.is_superuser and not by.is_superuser:
        raise NotAllowed("Only a superuser may erase a superuser.")

    from myApp.sessions import history_cache
    from myApp.sessions.models import Conversation

    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        conversation_ids = list(Conversation.objects.filter(user=locked).values_list("pk", flat=True))
        counts: dict[str, int] = {}
        for rule in data_rights.rules():
            model = rule.model_class
            for step in rule.erase:
                changed = _erase_step(step, model, locked)
                if changed:
                    key = f"{rule.model}.{step.path}:{step.action}"
                    counts[key] = counts.get(key, 0) + changed
        record = ErasureRecord.objects.create(
            erased_user_id=locked.pk, erased_by=None if by.pk == locked.pk else by, by_staff=by_staff, rows=counts
        )
        transaction.on_commit(lambda: history_cache.forget(*conversation_ids))
    user.refresh_from_db()
    return record


def export_document(*, user: User) -> dict:
    """The export parsed back (tests and the benchmark compare it; the endpoint streams)."""
    return json.loads(b"".join(export_stream(user=user)))
