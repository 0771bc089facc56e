"""GIN indexes of the clinical tables, on PostgreSQL only (like the curriculum's search indexes, its migration 0010).

Sentences' ``keywords`` (seed 003's ``idx_keywords``: containment ``keywords @> '{"term": [...]}'``), their stored
``search_vector`` (seed 003's ``idx_text_search``: ranked full-text search) and profiles' ``needs_assessment``.
Built without GIN's pending list (``fastupdate=off``), so a bulk-inserted transcript is found through the index
at once instead of by scanning the pending list until the next vacuum.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

GIN_INDEXES = [  # (model, field, index name)
    ("SessionSentence", "keywords", "idx_keywords"),
    ("SessionSentence", "search_vector", "idx_text_search"),
    ("ClientProfile", "needs_assessment", "idx_needs_assessment"),
]


def _gin(field: str, name: str) -> GinIndex:
    return GinIndex(fields=[field], name=name, fastupdate=False)


def add_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, field, name in GIN_INDEXES:
        schema_editor.add_index(apps.get_model("usersessions", model_name), _gin(field, name))


def remove_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, field, name in GIN_INDEXES:
        schema_editor.remove_index(apps.get_model("usersessions", model_name), _gin(field, name))


class Migration(migrations.Migration):
    dependencies = [("usersessions", "0008_clinical_sessions")]

    operations = [migrations.RunPython(add_gin_indexes, remove_gin_indexes)]
