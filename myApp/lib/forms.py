"""A service's refusal shown on a page form, next to the field it names.

Services name fields by dotted path (``scores.clarity``, ``completed_steps.0``,
``completion_data.mood``); a page form has flat fields. One mapping for every page.
"""

from django import forms

from myApp.lib.exceptions import ServiceError


def field_for_error(form: forms.Form, path: str) -> str | None:
    """The form field a dotted path names: its longest leading part that is a field ("completed_steps.0" →
    "completed_steps"), else its last part ("scores.clarity" → "clarity"), else None (a form-wide error)."""
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in form.fields:
            return ".".join(parts[:end])
    return parts[-1] if parts[-1] in form.fields else None


def add_service_errors(form: forms.Form, error: ServiceError, *, prefix: str = "") -> None:
    """Add ``error``'s messages to ``form``; a form may map paths itself with a ``field_for_error(path)`` method.
    A refusal that names no field shows its detail above the form."""
    locate = getattr(form, "field_for_error", None) or (lambda path: field_for_error(form, path))
    for name, messages in error.errors.items():
        field = locate(name.removeprefix(prefix))
        for message in messages:
            form.add_error(field, message)
    if not error.errors:
        form.add_error(None, error.detail)
