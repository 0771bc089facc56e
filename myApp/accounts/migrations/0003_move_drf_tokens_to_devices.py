"""Move DRF's plain-text API tokens (rest_framework.authtoken) into hashed device tokens, then drop them.

Each existing key becomes one device whose row keeps only knox's digest and lookup prefix, so a
client that sends ``Authorization: Token <old key>`` keeps working until the device expires.
The ``authtoken_token`` table (keys in clear) is dropped with DRF's migration records, so the
app can be removed from INSTALLED_APPS. Not reversible: the plain-text keys are gone.
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from knox.crypto import hash_token
from knox.settings import CONSTANTS

DRF_TOKEN_TABLE = "authtoken_token"


def move_drf_tokens(apps, schema_editor) -> int:
    connection = schema_editor.connection
    if DRF_TOKEN_TABLE not in connection.introspection.table_names():
        return 0
    DeviceToken = apps.get_model("accounts", "DeviceToken")
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(DRF_TOKEN_TABLE)
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id, created FROM {table}")
        rows = cursor.fetchall()
    now = timezone.now()
    expiry = now + timedelta(days=settings.API_TOKEN_TTL_DAYS)
    DeviceToken.objects.using(connection.alias).bulk_create(
        DeviceToken(
            digest=hash_token(key),
            token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
            user_id=user_id,
            created=now,  # the device's life (and its max-age cap) counts from this move
            expiry=expiry,
            last_used_at=None,
            name=f"Signed in before {str(created)[:10]}" if created else "Signed in earlier",
        )
        for key, user_id, created in rows
    )
    schema_editor.execute(f"DROP TABLE {connection.ops.quote_name(DRF_TOKEN_TABLE)}")
    MigrationRecorder(connection).migration_qs.filter(app="authtoken").delete()
    # DRF's content types and their permissions would otherwise linger in the admin.
    apps.get_model("contenttypes", "ContentType").objects.using(connection.alias).filter(app_label="authtoken").delete()
    return len(rows)


def forwards(apps, schema_editor) -> None:
    move_drf_tokens(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_device_tokens_and_pairing_codes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
    ]
