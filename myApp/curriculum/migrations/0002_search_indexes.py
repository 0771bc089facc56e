"""GIN full-text indexes on PostgreSQL only; SQLite uses the portable search path.

The index expressions are frozen here rather than imported from ``myApp.curriculum.search``:
a migration must build the same index whatever the app code says later. They match
``search.search_document`` (``to_tsvector('english', ...)`` over the same fields); if that
function changes, a new migration replaces these indexes.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

SEARCH_CONFIG = "english"
INDEXES = [
    ("KnowledgeBlock", ("title", "summary", "body"), "curriculum_kb_search"),
    ("Course", ("title", "description"), "curriculum_course_search"),
]


def _index(fields: tuple[str, ...], name: str) -> GinIndex:
    return GinIndex(SearchVector(*fields, config=SEARCH_CONFIG), name=name)


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, fields, name in INDEXES:
        schema_editor.add_index(apps.get_model("curriculum", model_name), _index(fields, name))


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, fields, name in INDEXES:
        schema_editor.remove_index(apps.get_model("curriculum", model_name), _index(fields, name))


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0001_initial")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
