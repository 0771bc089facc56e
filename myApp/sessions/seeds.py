"""The chat half of the ``demo`` seed target: demo_learner has talked to the assistant and done each
guided wellbeing module once, all through the chat services (so the history cache, counters and
analytics events are what real use would leave). A learner with any module completion is left alone."""

from rich.console import Console

from myApp.accounts.models import User
from myApp.lib.seeding import seed_target
from myApp.sessions import clinical_load as _clinical_load  # noqa: F401  (the clinical steps of ``load``)
from myApp.sessions import clinical_seeds as _clinical_seeds  # noqa: F401  (the clinical step of ``demo``)
from myApp.sessions import load as _load  # noqa: F401  (registers the chat steps of ``load``)
from myApp.sessions import services
from myApp.sessions.models import ModuleCompletion

DEMO_CHAT = (
    "Hi, my name is Maya",
    "How do I calm my nerves before a presentation?",
    "I feel anxious about my thesis defence on Friday",
    "What is my name?",
)
DEMO_COMPLETIONS = {
    "breathing_exercise": {
        "completed_steps": ["breathing", "emotion_naming", "body_scan"],
        "emotion": "Anxious",
        "intensity": 60,
        "timings": {"inhale": 4, "hold": 4, "exhale": 6, "hold_after": 2},
    },
    "emotion_labeling": {"mood": "Calm", "note": "Less shaky after the breathing. Practising the opening twice."},
    "inner_doodling": {
        "sketch_data": {
            "has_drawing": True,
            "width": 400,
            "height": 300,
            "strokes": [[[40, 150], [120, 90], [200, 150]]],
        }
    },
    "quick_assessment": {
        "answers": {"0": 2, "1": 3, "2": 3, "3": 4, "4": 2, "5": 3, "6": 3, "7": 4, "8": 4, "9": 3},
        "total_questions": 10,
    },
}


@seed_target("demo", order=30)
def demo_conversation(console: Console) -> None:
    """After the accounts (10) and curriculum (20) steps, so the assistant can answer from the lessons."""
    learner = User.objects.filter(username="demo_learner").first()
    if learner is None:
        console.print("  [yellow]demo_learner missing: run the accounts demo step first[/yellow]")
        return
    if ModuleCompletion.objects.filter(user=learner).exists():
        console.print("  [dim]demo_learner: chat and guided modules already done[/dim]")
        return
    for message in DEMO_CHAT:
        result = services.chat_send(user=learner, message=message, user_agent="seed_data.py")
    for module_id, completion_data in DEMO_COMPLETIONS.items():
        services.conversation_module_complete(
            conversation=result.conversation, user=learner, module_id=module_id, completion_data=completion_data
        )
    console.print(
        f"  [green]demo_learner: {len(DEMO_CHAT)} chat turns and {len(DEMO_COMPLETIONS)} guided modules "
        f"in conversation {result.conversation.session_id}[/green]"
    )
