"""Adding a row once per creation key: a form drawn with a key (or an app's retry with the key it drew) that is
sent twice adds one row; the second sending finds it. A unique constraint on the key (scoped to its owner) holds
when two sendings arrive at once: the loser's insert fails, and it answers with the winner's row.

The key is drawn where the form is shown (``CreationKeyField`` on a page form, a UUID the client draws on the API);
a sending without a usable key simply adds a row."""

import uuid
from collections.abc import Callable

from django import forms
from django.db import IntegrityError, transaction


def create_once[T](*, find: Callable[[], T | None], create: Callable[[], T]) -> tuple[T, bool]:
    """The row ``find`` finds, or a new one from ``create``; and whether this call added it. ``create`` must
    write a row that a unique constraint keeps to one per key; ``find`` looks it up by that key."""
    found = find()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        found = find()
        if found is None:
            raise
        return found, False


class CreationKeyField(forms.Field):
    """A UUID, or None when the form came without a usable one (it is then simply added). Never an error: nobody
    can see or change the hidden field, so a refusal there (a CharField's length or NUL check, attack review) was a
    form that could never be sent."""

    widget = forms.HiddenInput

    def to_python(self, value) -> uuid.UUID | None:
        try:
            return uuid.UUID(value) if isinstance(value, str) else None
        except ValueError:
            return None


class CreationKeyForm(forms.Form):
    """A page form's hidden ``creation_key``: drawn anew each time the empty form is shown, kept when it comes back
    with errors. ``cleaned_data["creation_key"]`` is the key, or None (``CreationKeyField``)."""

    creation_key = CreationKeyField(initial=uuid.uuid4, required=False)
