"""Erasure (issue 12): the audit of erasures, and the one change the append-only audit log now allows.

The trigger of 0005 refused every UPDATE of an access record. Erasure must remove an erased person's
username from the rows that copied it, so the function now lets an UPDATE through only when nothing but
``viewer_username`` / ``subject_username`` changes, and each changed one becomes ``erased-<that person's id>``.
A DELETE passes only as 0011 allows it (retention: a row older than the cutoff its transaction declared).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

PSEUDONYMISE_ONLY = """
CREATE OR REPLACE FUNCTION accounts_accessrecord_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND OLD.created_at < NULLIF(current_setting('speakpro.audit_purge_before', true), '')::timestamptz THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE'
        AND NEW.id = OLD.id
        AND NEW.viewer_id IS NOT DISTINCT FROM OLD.viewer_id
        AND NEW.subject_id IS NOT DISTINCT FROM OLD.subject_id
        AND NEW.what = OLD.what AND NEW.through = OLD.through AND NEW."where" = OLD."where"
        AND NEW.created_at = OLD.created_at
        AND (NEW.viewer_username = OLD.viewer_username OR NEW.viewer_username = 'erased-' || OLD.viewer_id)
        AND (NEW.subject_username = OLD.subject_username OR NEW.subject_username = 'erased-' || OLD.subject_id)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'accounts_accessrecord is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
# Back to 0011's function: retention's DELETE only.
RETENTION_ONLY = """
CREATE OR REPLACE FUNCTION accounts_accessrecord_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND OLD.created_at < NULLIF(current_setting('speakpro.audit_purge_before', true), '')::timestamptz THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'accounts_accessrecord is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def allow_pseudonymise(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PSEUDONYMISE_ONLY, params=None)


def retention_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RETENTION_ONLY, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_access_record_retention"),
    ]

    operations = [
        migrations.CreateModel(
            name="ErasureRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("erased_user_id", models.BigIntegerField(db_index=True)),
                ("by_staff", models.BooleanField(default=False)),
                ("rows", models.JSONField(blank=True, default=dict)),
                ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                (
                    "erased_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["-created_at", "-pk"]},
        ),
        migrations.RunPython(allow_pseudonymise, retention_only),
    ]
