"""The audit log of looks at someone else's data (written by ``myApp.lib.access``, never changed)."""

from myApp.accounts.models import AccessRecord, User

WHERE_MAX = AccessRecord._meta.get_field("where").max_length


def _record(viewer: User, subject: User, what: str, through: str, where: str) -> AccessRecord:
    return AccessRecord(
        viewer=viewer,
        viewer_username=viewer.username,
        subject=subject,
        subject_username=subject.username,
        what=what,
        through=through,
        where=where[:WHERE_MAX],
    )


def access_record_create(*, viewer: User, subject: User, what: str, through: str, where: str = "") -> AccessRecord:
    """Append one record: ``viewer`` saw ``subject``'s ``what`` through ``through`` at ``where``."""
    record = _record(viewer, subject, what, through, where)
    record.save(force_insert=True)
    return record


def access_records_create(looks: list[tuple[User, User, str]], *, what: str, where: str = "") -> list[AccessRecord]:
    """Append one record per ``(viewer, subject, through)`` in one INSERT (a page that shows several people's
    ``what`` at once)."""
    return AccessRecord.objects.bulk_create(
        [_record(viewer, subject, what, through, where) for viewer, subject, through in looks]
    )
