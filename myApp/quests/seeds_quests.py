"""The therapeutic-quest part of the ``demo`` seed target.

demo_parent wrote quests for doing something together with a child, across psychological modules and
age ranges. demo_psychologist reviewed them: most approved, one rejected with concerns, one reviewed and
awaiting the decision; one more waits for its review. demo_learner and demo_child played some to the
end; demo_learner rated them (the children do not: ratings come from outside the creator's family).
demo_child shares quest progress with demo_parent; demo_child_quiet is linked to demo_parent and has not
consented.

Everything goes through the services, so every graph is validated and its YAML generated there. Each
part checks what is already there first: a second run adds nothing.
"""

import os
import secrets

from rich.console import Console

from myApp.accounts import services as account_services
from myApp.accounts.models import ChildPrivacySettings, Role, User
from myApp.lib.seeding import seed_target
from myApp.quests import services
from myApp.quests.models import ModerationStatus, Quest, QuestProgress, QuestRating
from myApp.quests.seed_quest_texts import DEMO_QUESTS, DemoQuest

PSYCHOLOGIST = "demo_psychologist"
QUIET_CHILD = "demo_child_quiet"
# (player, quest title, the edges they follow, their rating or None, what they wrote)
DEMO_PLAYS = (
    ("demo_child", "The council of helpers", ("e1", "e3", "e5"), None, ""),
    ("demo_child", "The listening garden", ("e1", "e3"), None, ""),
    ("demo_learner", "The council of helpers", ("e2", "e4", "e6"), 4, "Gentle, and the ending surprised me."),
    ("demo_learner", "The thought detective", ("e1", "e3", "e5"), 5, "I use the three questions at school now."),
    ("demo_learner", "Riding the wave", ("e1", "e3"), 4, ""),
    ("demo_learner", "The compass walk", ("e1", "e3"), 5, "We talked for an hour after the walk."),
    ("demo_learner", "The listening garden", ("e2", "e4"), 5, "We sat outside and just listened."),
    ("demo_child_quiet", "The listening garden", ("e2", "e4"), None, ""),
)


def _user(console: Console, username: str, role: str) -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    password = os.environ.get("SEED_DEMO_PASSWORD") or None
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    user = account_services.user_create(username=username, password=password, role=role)
    shown = f"generated password [bold]{password}[/bold] (shown once)" if generated else "password from the environment"
    console.print(f"  [green]{username}: created[/green], {shown}")
    return user


def _quiet_child(console: Console, parent: User) -> None:
    child = _user(console, QUIET_CHILD, Role.LEARNER)
    if ChildPrivacySettings.objects.filter(parent=parent, child=child).exists():
        return
    _, code = account_services.pairing_code_create(child=child)
    account_services.pairing_code_redeem(parent=parent, code=code)
    console.print(f"  [green]demo_parent → {QUIET_CHILD}: linked, no consent to share[/green]")


def _reviewed(quest: Quest, demo: DemoQuest, psychologist: User) -> None:
    services.quest_submit_for_review(quest=quest, by=quest.creator)
    if demo.verdict == "waiting":
        return
    review = services.review_submit(
        quest=quest,
        reviewer=psychologist,
        scores=dict(demo.scores),
        strengths=demo.strengths,
        concerns=demo.concerns,
        recommendations=demo.recommendations,
    )
    if demo.verdict == "approved":
        services.review_approve(review=review, by=psychologist)
    elif demo.verdict == "rejected":
        services.review_reject(review=review, by=psychologist)


def _quest(console: Console, parent: User, psychologist: User, demo: DemoQuest) -> None:
    if Quest.objects.filter(creator=parent, title=demo.title).exists():
        return
    quest = services.quest_create(
        creator=parent,
        title=demo.title,
        graph_structure=demo.graph,
        psychological_module=demo.module,
        age_range=demo.age_range,
        location=demo.location,
        is_public=True,
    )
    _reviewed(quest, demo, psychologist)
    console.print(f"  [green]quest “{demo.title}” ({demo.module}, {demo.age_range}): {demo.verdict}[/green]")


def _play(console: Console, username: str, title: str, path: tuple[str, ...], rating: int | None, text: str) -> None:
    player = User.objects.filter(username=username).first()
    quest = Quest.objects.filter(
        title=title, creator__username="demo_parent", moderation_status=ModerationStatus.APPROVED
    ).first()
    if player is None or quest is None or QuestProgress.objects.filter(user=player, quest=quest).exists():
        return
    services.quest_play_start(user=player, quest=quest)
    for edge in path:
        services.quest_play_advance(user=player, quest=quest, edge_id=edge)
    if rating is None:
        console.print(f"  [green]{username} played “{title}”[/green]")
        return
    if not QuestRating.objects.filter(user=player, quest=quest).exists():
        services.quest_rate(user=player, quest=quest, rating=rating, review_text=text)
    console.print(f"  [green]{username} played “{title}” and rated it {rating}[/green]")


@seed_target("demo", order=50)
def demo_quests(console: Console) -> None:
    parent = User.objects.filter(username="demo_parent").first()
    if parent is None:
        console.print("  [yellow]demo_parent missing: run the accounts demo step first[/yellow]")
        return
    psychologist = _user(console, PSYCHOLOGIST, Role.PSYCHOLOGIST)
    _quiet_child(console, parent)
    before = Quest.objects.filter(creator=parent).count()
    for demo in DEMO_QUESTS:
        _quest(console, parent, psychologist, demo)
    for play in DEMO_PLAYS:
        _play(console, *play)
    if Quest.objects.filter(creator=parent).count() == before:
        console.print("  [dim]demo quests: already there[/dim]")
