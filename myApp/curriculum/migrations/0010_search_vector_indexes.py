"""GIN indexes on the stored search vectors of migration 0009, on PostgreSQL only (issue 9).

They replace migration 0002's expression indexes, which ranking never used (it parsed every matching
row again). The new indexes are built without GIN's pending list (``fastupdate=off``): these rows are
written rarely and searched on every chat turn, and a search would otherwise scan every entry of a bulk
load's pending list until the next vacuum.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

OLD_INDEXES = [  # as migration 0002 built them
    ("KnowledgeBlock", ("title", "summary", "body"), "curriculum_kb_search"),
    ("Course", ("title", "description"), "curriculum_course_search"),
]
NEW_INDEXES = [
    ("KnowledgeBlock", "search_vector", "curriculum_kb_vector"),
    ("KnowledgeBlock", "search_title", "curriculum_kb_title"),
    ("Course", "search_vector", "curriculum_course_vector"),
    ("Course", "search_title", "curriculum_course_title"),
]


def _old(fields: tuple[str, ...], name: str) -> GinIndex:
    return GinIndex(SearchVector(*fields, config="english"), name=name)


def _new(field: str, name: str) -> GinIndex:
    return GinIndex(fields=[field], name=name, fastupdate=False)


def use_stored_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, fields, name in OLD_INDEXES:
        schema_editor.remove_index(apps.get_model("curriculum", model_name), _old(fields, name))
    for model_name, field, name in NEW_INDEXES:
        schema_editor.add_index(apps.get_model("curriculum", model_name), _new(field, name))


def use_expression_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, field, name in NEW_INDEXES:
        schema_editor.remove_index(apps.get_model("curriculum", model_name), _new(field, name))
    for model_name, fields, name in OLD_INDEXES:
        schema_editor.add_index(apps.get_model("curriculum", model_name), _old(fields, name))


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0009_stored_search_vectors")]

    operations = [migrations.RunPython(use_stored_vectors, use_expression_indexes)]
