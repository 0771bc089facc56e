"""GIN full-text indexes on PostgreSQL only; SQLite uses the portable search path."""

from django.db import migrations

from myApp.curriculum.search import COURSE_FIELDS, KNOWLEDGE_BLOCK_FIELDS, search_index

INDEXES = [
    ("KnowledgeBlock", KNOWLEDGE_BLOCK_FIELDS, "curriculum_kb_search"),
    ("Course", COURSE_FIELDS, "curriculum_course_search"),
]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, fields, name in INDEXES:
        schema_editor.add_index(apps.get_model("curriculum", model_name), search_index(fields, name))


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, fields, name in INDEXES:
        schema_editor.remove_index(apps.get_model("curriculum", model_name), search_index(fields, name))


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0001_initial")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
