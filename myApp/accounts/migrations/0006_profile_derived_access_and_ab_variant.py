"""Derive, don't store: a profile no longer keeps ``district_full_access`` (derived from module
progress) nor ``learning_profile`` (nothing wrote or read it). Profiles that never had an
A/B variant (it used to be drawn on the first visit to the home page) get one now, the way
new profiles get one when they are created. Self-contained: no app code is imported.
"""

import random

from django.db import migrations


def assign_ab_variants(apps, schema_editor):
    Profile = apps.get_model("accounts", "Profile")
    for pk in Profile.objects.filter(ab_variant="").values_list("pk", flat=True).iterator():
        Profile.objects.filter(pk=pk, ab_variant="").update(ab_variant=random.choice(["A", "B"]))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_access_records")]

    operations = [
        migrations.RunPython(assign_ab_variants, migrations.RunPython.noop),
        migrations.RemoveField(model_name="profile", name="district_full_access"),
        migrations.RemoveField(model_name="profile", name="learning_profile"),
    ]
