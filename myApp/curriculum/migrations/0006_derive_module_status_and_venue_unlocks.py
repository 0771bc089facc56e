"""Derive, don't store: a module's status and which venues are open.

- ``UserProgress.status`` and ``rewarded_at`` go: ``completed_at`` is the one record of
  completion (it and ``rewarded_at`` were always set together, by the one UPDATE that pays
  the rewards) and "in progress" is derived from submissions. A row whose status said
  completed without a ``completed_at`` keeps that fact as ``completed_at = rewarded_at``, or
  ``updated_at`` when even that is missing.
- ``UserVenueUnlock`` goes: a venue is open exactly when its module is (derived), so a venue
  added to a module later is open at once. Undoing this migration rebuilds the rows from
  progress.
- Fields nothing wrote go: ``UserProgress.loop_state``, ``checkpoints``,
  ``current_knowledge_block`` and ``ExerciseSubmission.scores``.

Self-contained: no app code is imported.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def fill_completed_at(apps, schema_editor):
    UserProgress = apps.get_model("curriculum", "UserProgress")
    UserProgress.objects.filter(completed_at__isnull=True, rewarded_at__isnull=False).update(
        completed_at=F("rewarded_at")
    )
    UserProgress.objects.filter(completed_at__isnull=True, status="completed").update(completed_at=F("updated_at"))


def restore_status(apps, schema_editor):
    UserProgress = apps.get_model("curriculum", "UserProgress")
    ExerciseSubmission = apps.get_model("curriculum", "ExerciseSubmission")
    UserProgress.objects.filter(completed_at__isnull=False).update(status="completed", rewarded_at=F("completed_at"))
    for user_id, module_id in ExerciseSubmission.objects.order_by().values_list("user_id", "module_id").distinct():
        UserProgress.objects.filter(user_id=user_id, module_id=module_id, completed_at__isnull=True).update(
            status="in_progress"
        )


def rebuild_venue_unlocks(apps, schema_editor):
    UserProgress = apps.get_model("curriculum", "UserProgress")
    Venue = apps.get_model("curriculum", "Venue")
    UserVenueUnlock = apps.get_model("curriculum", "UserVenueUnlock")
    venues_by_module: dict[int, list[int]] = {}
    for venue_id, module_id in Venue.objects.values_list("pk", "module_id"):
        venues_by_module.setdefault(module_id, []).append(venue_id)
    rows = [
        UserVenueUnlock(user_id=user_id, venue_id=venue_id)
        for user_id, module_id in UserProgress.objects.values_list("user_id", "module_id")
        for venue_id in venues_by_module.get(module_id, [])
    ]
    UserVenueUnlock.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("curriculum", "0005_json_document_bounds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(fill_completed_at, restore_status),
        migrations.RemoveConstraint(model_name="userprogress", name="curriculum_progress_status"),
        migrations.RemoveIndex(model_name="userprogress", name="curr_progress_user_status"),
        migrations.RemoveField(model_name="userprogress", name="status"),
        migrations.RemoveField(model_name="userprogress", name="rewarded_at"),
        migrations.RemoveField(model_name="userprogress", name="loop_state"),
        migrations.RemoveField(model_name="userprogress", name="checkpoints"),
        migrations.RemoveField(model_name="userprogress", name="current_knowledge_block"),
        migrations.RemoveField(model_name="exercisesubmission", name="scores"),
        migrations.RunPython(migrations.RunPython.noop, rebuild_venue_unlocks),
        migrations.RemoveConstraint(model_name="uservenueunlock", name="curriculum_venue_unlock_unique"),
        migrations.DeleteModel(name="UserVenueUnlock"),
    ]
