"""Stored search vectors for knowledge blocks and courses, GIN-indexed on PostgreSQL (issue 9).

``search_vector`` (every searchable field, weighted) and ``search_title`` (the title alone) are
generated columns: PostgreSQL computes them on every INSERT, UPDATE and COPY, so admin, services, seeds
and bulk loads all keep them current. Off PostgreSQL they are NULL (the portable search reads the
fields). The GIN indexes on them replace migration 0002's expression indexes, which ranking never used
(it parsed every matching row again); both index steps run on PostgreSQL only. The new indexes are
built without GIN's pending list (``fastupdate=off``): these rows are written rarely and searched on
every chat turn, and a search would otherwise scan every entry of a bulk load's pending list until the
next vacuum.
"""

import django.contrib.postgres.search
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

import myApp.curriculum.search

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


def _vector(*weighted_fields: tuple[str, str]) -> models.GeneratedField:
    return models.GeneratedField(
        db_persist=True,
        expression=myApp.curriculum.search.StoredSearchVector(*weighted_fields),
        null=True,
        output_field=django.contrib.postgres.search.SearchVectorField(),
    )


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0008_learner_list_indexes")]

    operations = [
        migrations.AddField(model_name="course", name="search_title", field=_vector(("title", "A"))),
        migrations.AddField(
            model_name="course", name="search_vector", field=_vector(("title", "A"), ("description", "B"))
        ),
        migrations.AddField(
            model_name="knowledgeblock", name="search_title", field=_vector(("title", "A"))
        ),
        migrations.AddField(
            model_name="knowledgeblock",
            name="search_vector",
            field=_vector(("title", "A"), ("summary", "B"), ("body", "")),
        ),
        migrations.RunPython(use_stored_vectors, use_expression_indexes),
    ]
