"""Give ``ExerciseAttempt`` and ``LessonSessionContext`` their seed 002 roles.

Nothing wrote either table before (only hand-made rows could exist), and their old shapes
cannot hold the new rules (an attempt belongs to a venue visit or an amphitheatre
recording; a context belongs to a module, not a lesson), so both are recreated empty.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import myApp.lib.json_input


class Migration(migrations.Migration):
    dependencies = [
        ("curriculum", "0006_derive_module_status_and_venue_unlocks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.DeleteModel(name="ExerciseAttempt"),
        migrations.DeleteModel(name="LessonSessionContext"),
        migrations.CreateModel(
            name="ExerciseAttempt",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("exercise_key", models.CharField(max_length=64)),
                ("score", models.PositiveSmallIntegerField(validators=[django.core.validators.MaxValueValidator(100)])),
                (
                    "notes",
                    models.TextField(
                        blank=True, help_text="What the learner noted about the attempt.", max_length=2000
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "amphitheatre_record",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attempt",
                        to="curriculum.amphitheatreexerciserecord",
                    ),
                ),
                (
                    "module",
                    models.ForeignKey(
                        blank=True,
                        help_text="The venue's module; empty for the amphitheatre, which belongs to no module.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="exercise_attempts",
                        to="curriculum.module",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="exercise_attempts",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "venue_entry",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attempts",
                        to="curriculum.venueentry",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "indexes": [models.Index(fields=["user", "-created_at"], name="curriculum_attempt_user_time")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("score__lte", 100)), name="curriculum_attempt_score_lte_100"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("amphitheatre_record__isnull", True), ("venue_entry__isnull", False)),
                            models.Q(("amphitheatre_record__isnull", False), ("venue_entry__isnull", True)),
                            _connector="OR",
                        ),
                        name="curriculum_attempt_one_place",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="LessonSessionContext",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "scenario",
                    models.CharField(help_text="The learner's own situation the lessons rehearse now.", max_length=200),
                ),
                ("cooldown_until", models.DateTimeField(help_text="The scenario stays in play until then.")),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "module",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lesson_contexts",
                        to="curriculum.module",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lesson_contexts",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("user", "module"), name="curriculum_lesson_context_unique")
                ],
            },
        ),
        migrations.AlterField(
            model_name="stakesmap",
            name="scenarios",
            field=models.JSONField(
                blank=True,
                default=list,
                validators=[myApp.lib.json_input.JSONDocumentValidator(kind=list, max_bytes=4096)],
            ),
        ),
    ]
