"""The sentences' GIN indexes also key each sentence by its session (``btree_gin``), on PostgreSQL only.

A clinician searches one client's transcripts. With ``idx_keywords`` on ``keywords`` alone, a term many sentences
hold was read through the client's sessions instead (the session index, each sentence's keywords tested
one by one), and the GIN index answered only rare terms. Keyed by ``(session_id, keywords)`` and
``(session_id, search_vector)``, one index lookup per session finds the session's sentences holding the term or
the words, however common. A GIN index over several columns answers a condition on any of them, so seed 003's
containment over every sentence (``keywords @> ...`` alone) still uses it. The names are seed 003's.
``btree_gin`` ships with PostgreSQL and is a trusted extension (PostgreSQL 13+): the database's owner may
create it.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations

INDEXES = [("keywords", "idx_keywords"), ("search_vector", "idx_text_search")]  # (field, seed 003's name)


def _gin(fields: list[str], name: str) -> GinIndex:
    return GinIndex(fields=fields, name=name, fastupdate=False)


def _swap(apps, schema_editor, *, old_fields, new_fields) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("usersessions", "SessionSentence")
    for field, name in INDEXES:
        schema_editor.remove_index(model, _gin(old_fields(field), name))
        schema_editor.add_index(model, _gin(new_fields(field), name))


def key_by_session(apps, schema_editor):
    _swap(apps, schema_editor, old_fields=lambda field: [field], new_fields=lambda field: ["session", field])


def key_alone(apps, schema_editor):
    _swap(apps, schema_editor, old_fields=lambda field: ["session", field], new_fields=lambda field: [field])


class KeptBtreeGinExtension(BtreeGinExtension):
    """Created when missing; left in place when the migration is reversed. Django's operation drops it on the way
    back, even where it was installed before this migration or other objects of the database use it."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        return None


class Migration(migrations.Migration):
    dependencies = [("usersessions", "0011_insight_therapeutic_method_longer")]

    operations = [KeptBtreeGinExtension(), migrations.RunPython(key_by_session, key_alone)]
