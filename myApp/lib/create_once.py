"""Adding a row once per creation key: a form drawn with a key (or an app's retry with the key it drew) that is
sent twice adds one row; the second sending finds it. A unique constraint on the key (scoped to its owner) holds
when two sendings arrive at once: the loser's insert fails, and it answers with the winner's row.

The key is drawn where the form is shown (``CreationKeyField`` on a page form, a UUID the client draws on the API);
a sending without a usable key simply adds a row."""

import uuid
from collections.abc import Callable

from django import forms
from django.db import IntegrityError, transaction


def create_once[T](
    *, find: Callable[[], T | None], create: Callable[[bool], T], is_resend: Callable[[T], bool] = lambda row: True
) -> tuple[T, bool]:
    """The row ``find`` finds, or a new one from ``create``; and whether this call added it. ``create(True)`` must
    write the key, which a unique constraint keeps to one row; ``find`` looks the row up by it. A row found that
    ``is_resend`` says this sending did not make (a form brought back with Back and filled in for someone else:
    attack review) is left alone, and ``create(False)`` adds the new row without the key."""
    found = find()
    if found is None:
        try:
            with transaction.atomic():
                return create(True), True
        except IntegrityError:
            found = find()
            if found is None:
                raise
    if is_resend(found):
        return found, False
    return create(False), True


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
