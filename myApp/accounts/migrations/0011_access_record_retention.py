"""The audit log stays append-only, with one way out: retention (``myApp.lib.retention``, kind ``audit``).

A DELETE passes the trigger only for a row older than the cutoff its own transaction declared with
``set_config('speakpro.audit_purge_before', <timestamp>, true)``; without that declaration, or for a younger row,
the trigger refuses as before. UPDATE is always refused.
"""

from django.db import migrations

RETENTION_FUNCTION = """
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
APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION accounts_accessrecord_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'accounts_accessrecord is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def allow_retention(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RETENTION_FUNCTION, params=None)


def refuse_all(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_dashboard_indexes"),
    ]

    operations = [migrations.RunPython(allow_retention, refuse_all)]
