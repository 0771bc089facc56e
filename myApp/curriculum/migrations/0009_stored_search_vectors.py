"""Stored search vectors for knowledge blocks and courses (issue 9).

``search_vector`` (every searchable field, weighted) and ``search_title`` (the title alone) are
generated columns: PostgreSQL computes them on every INSERT, UPDATE and COPY, so admin, services, seeds
and bulk loads all keep them current. Off PostgreSQL they are NULL (the portable search reads the
fields). Migration 0010 indexes them.
"""

import django.contrib.postgres.search
from django.db import migrations, models

import myApp.curriculum.search


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
    ]
