"""Every user has a profile: make the missing ones, for accounts created before the services made
them together (GET /api/v1/me/ used to create them on the fly, and no longer writes)."""

from django.db import migrations


def create_missing_profiles(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Profile = apps.get_model("accounts", "Profile")
    missing = User.objects.filter(profile__isnull=True).values_list("pk", flat=True)
    Profile.objects.bulk_create((Profile(user_id=pk) for pk in missing.iterator()), batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_profile_derived_access_and_ab_variant")]

    operations = [migrations.RunPython(create_missing_profiles, migrations.RunPython.noop, elidable=True)]
