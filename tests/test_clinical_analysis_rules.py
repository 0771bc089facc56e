"""The session insights of the transcript analysis: the cognitive-distortion rules (each with sentences it
must and must not flag), the risk rules it borrows from the chat safety layer, and how evidence,
confidence, severity and priority are made. Only the client's speech counts."""

import csv
from pathlib import Path

import pytest

from myApp.sessions.clinical.analysis import analyse_session, insights
from myApp.sessions.clinical.analysis.distortion_rules import RULES, RULES_BY_KEY
from myApp.sessions.clinical.scales import client_speakers

ROUTES_CSV = Path(__file__).parent / "data" / "assistant_routes.csv"

POSITIVE = {
    "all_or_nothing": [
        "I am a complete failure at this job.",
        "The whole evening was ruined because I said one wrong thing.",
        "If it's not perfect, it's worthless.",
        "I totally blew it.",
    ],
    "catastrophising": [
        "If I stumble in the meeting it will be a disaster.",
        "Something terrible is going to happen, I can feel it.",
        "What if I lose my job and end up with nothing?",
        "My whole career is over.",
    ],
    "should_statements": [
        "I should be able to cope with this by now.",
        "I should have known better than to trust him.",
        "I must never cry in front of other people.",
        "People should always know what I need without asking.",
    ],
    "mind_reading": [
        "Everyone in the room thinks I am boring.",
        "I just know my boss hates me.",
        "They were all laughing at me.",
        "My sister probably thinks I'm lazy.",
    ],
    "labelling": [
        "I'm such an idiot.",
        "I am worthless.",
        "What a loser I am.",
        "My father is a monster.",
    ],
    "overgeneralisation": [
        "I always mess things up.",
        "This always happens to me.",
        "Nobody ever listens to me.",
        "Every single time I try something new it goes wrong.",
    ],
}
NEGATIVE = {
    "all_or_nothing": [
        "Part of the talk went well and part of it didn't.",
        "I am not a complete failure, I got some things right.",
        "I ate the whole cake.",
    ],
    "catastrophising": [
        "The meeting will be on Tuesday at ten.",
        "It's not the end of the world if it goes badly.",
        "I don't think something terrible is going to happen.",
    ],
    "should_statements": [
        "Should I bring the worksheet next time?",
        "I should go to the dentist this week.",
        "I don't think I should be able to do everything.",
    ],
    "mind_reading": [
        "My boss told me she thinks I am doing well.",
        "I don't think everyone in the room thinks I am boring.",
        "I wonder what they think about the plan.",
    ],
    "labelling": [
        "I am not an idiot.",
        "I'm tired today.",
        "I used to think I am worthless.",
    ],
    "overgeneralisation": [
        "I always drink coffee in the morning.",
        "It's not true that nobody listens to me.",
        "Sometimes the bus is late.",
    ],
}


def rules_found(*lines: str, speaker: str = "client") -> set[str]:
    rows = [{"sequence_number": number, "speaker": speaker, "text": text} for number, text in enumerate(lines)]
    return {insight.rule for insight in analyse_session(rows).insights}


def test_it_declares_the_six_rules_once_each():
    assert [rule.key for rule in RULES] == list(POSITIVE) == list(NEGATIVE)
    for rule in RULES:
        assert rule.strong and rule.therapeutic_method and rule.recommendations


@pytest.mark.parametrize(("rule", "text"), [(rule, text) for rule, texts in POSITIVE.items() for text in texts])
def test_it_flags_a_distortion_in_the_clients_words(rule, text):
    assert rule in rules_found(text)


@pytest.mark.parametrize(("rule", "text"), [(rule, text) for rule, texts in NEGATIVE.items() for text in texts])
def test_it_does_not_flag_ordinary_negated_or_distanced_wording(rule, text):
    assert rule not in rules_found(text)


@pytest.mark.parametrize("rule", list(POSITIVE))
def test_it_ignores_the_clinicians_speech(rule):
    assert rules_found(*POSITIVE[rule], speaker="therapist") == set()


def test_it_reads_the_client_from_the_speakers_given():
    rows = [
        {"sequence_number": 0, "speaker": "speaker_1", "text": "I always mess things up."},
        {"sequence_number": 1, "speaker": "speaker_2", "text": "I am worthless."},
    ]
    found = analyse_session(rows, client_speakers=["Speaker_2"]).insights
    assert [insight.rule for insight in found] == ["labelling"]
    assert [item.sequence_number for item in found[0].evidence_items] == [1]


def test_it_reads_a_client_labelled_by_their_first_name_as_the_client():
    """A transcript labelling "Jordan Ash"'s lines "Jordan" was read as nobody's: no distortion insight, no trend."""
    rows = [
        {"sequence_number": 0, "speaker": "Therapist", "text": "How did the week go?"},
        {"sequence_number": 1, "speaker": "JORDAN", "text": "I am worthless."},
    ]
    found = analyse_session(rows, client_speakers=client_speakers("Jordan Ash")).insights
    assert [(insight.rule, [item.sequence_number for item in insight.evidence_items]) for insight in found] == [
        ("labelling", [1])
    ]
    assert "jordan" in client_speakers("Sam Lee", former_names=["Jordan Ash"])  # a former name's too


@pytest.mark.parametrize(
    ("name", "not_a_label"),
    [
        ("Ms Ash", "ms"),
        ("Dr Patel", "dr"),
        ("Therapist Jones", "therapist"),
        ("J. Ash", "j."),
        ("Client Ash", "client"),
    ],
)
def test_a_title_or_initial_is_not_taken_for_a_first_name(name, not_a_label):
    """A "Therapist" label made the client's would read the clinician's questions as the client's words."""
    labels = client_speakers(name)
    assert not_a_label not in labels - {"client", "patient"}
    assert name.lower() in labels


def test_it_gives_each_insight_its_evidence_with_the_clinicians_turn_before_it():
    rows = [
        {"sequence_number": 10, "speaker": "therapist", "text": "How was the presentation?"},
        {"sequence_number": 11, "speaker": "client", "text": "I always ruin everything."},
        {"sequence_number": 12, "speaker": "client", "text": "Nobody ever listens to me."},
    ]
    (insight,) = analyse_session(rows).insights
    first, second = insight.evidence_items
    assert (first.sequence_number, first.text) == (11, "I always ruin everything.")
    assert first.context == {"sequence_number": 10, "speaker": "therapist", "text": "How was the presentation?"}
    assert second.context is None  # the turn before it was the client's own
    assert insight.evidence == "#11: I always ruin everything.\n#12: Nobody ever listens to me."
    assert insight.as_fields() == {
        "insight_type": "cognitive_distortion",
        "confidence": 0.84,
        "severity": "high",  # 2 of 2 client sentences: at least 10 %
        "title": "Overgeneralisation",
        "description": insight.description,
        "evidence": insight.evidence,
        "recommendations": {
            "rule": "overgeneralisation",
            "actions": list(RULES_BY_KEY["overgeneralisation"].recommendations),
        },
        "therapeutic_method": "CBT: examining the evidence (counting exceptions)",
        "intervention_priority": "high",
    }
    assert "2 of the client's 2 sentences" in insight.description


def test_it_computes_confidence_severity_and_priority_from_the_count_of_sentences():
    neutral = [{"sequence_number": n, "speaker": "client", "text": "We talked about the garden."} for n in range(40)]

    def insight_for(count: int):
        lines = [{"sequence_number": 100 + n, "speaker": "client", "text": "I always mess up."} for n in range(count)]
        (found,) = analyse_session(neutral + lines).insights
        return found.confidence, found.severity, found.intervention_priority

    assert insight_for(1) == (0.6, "low", "low")
    assert insight_for(2) == (0.84, "moderate", "medium")
    assert insight_for(3) == (0.94, "moderate", "medium")
    assert insight_for(4) == (0.95, "high", "high")  # capped at MAX_CONFIDENCE


def test_a_weak_pattern_counts_less_than_a_strong_one_and_alone_raises_nothing():
    one = [{"sequence_number": 0, "speaker": "client", "text": "I should exercise more."}]
    assert analyse_session(one).insights == []  # 0.35 < MIN_CONFIDENCE
    two = [*one, {"sequence_number": 1, "speaker": "client", "text": "I really should eat better."}]
    (weak,) = analyse_session(two).insights
    assert (weak.rule, weak.confidence) == ("should_statements", 0.58)
    assert insights.combined_confidence([0.6, 0.35]) == 0.74


def test_it_keeps_at_most_five_evidence_sentences_but_counts_all():
    rows = [{"sequence_number": n, "speaker": "client", "text": "I always mess up."} for n in range(8)]
    (insight,) = analyse_session(rows).insights
    assert [item.sequence_number for item in insight.evidence_items] == [0, 1, 2, 3, 4]
    assert "8 of the client's 8 sentences" in insight.description


# --- Risk: the chat safety layer's rules ----------------------------------------------------------------


def test_risk_in_the_clients_words_is_an_urgent_insight_listed_first():
    rows = [
        {"sequence_number": 1, "speaker": "therapist", "text": "How have the nights been?"},
        {"sequence_number": 2, "speaker": "client", "text": "I always mess things up."},
        {"sequence_number": 3, "speaker": "client", "text": "Honestly I want to kill myself some nights."},
    ]
    result = analyse_session(rows)
    risk = result.insights[0]
    assert (risk.insight_type, risk.rule, risk.severity, risk.intervention_priority) == (
        "risk",
        "self_harm",
        "critical",
        "urgent",
    )
    assert risk.therapeutic_method == insights.RISK_METHOD
    assert risk.evidence == "#3: Honestly I want to kill myself some nights."
    assert risk.confidence == insights.RISK_WEIGHT
    assert result.urgent == [risk]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Everyone would be better off without me.", "self_harm"),
        ("I've been saving up my pills.", "self_harm"),
        ("He hits me when he's drunk.", "abuse"),
    ],
)
def test_it_names_the_kind_of_risk(text, kind):
    (risk,) = [i for i in analyse_session([{"sequence_number": 0, "speaker": "client", "text": text}]).insights]
    assert (risk.insight_type, risk.rule) == ("risk", kind)


@pytest.mark.parametrize(
    ("speaker", "text"),
    [
        ("therapist", "Have you had any thoughts of suicide or of hurting yourself?"),
        ("therapist", "Some clients tell me they want to kill themselves."),
        ("Dr. Lee", "Have you had any thoughts of suicide?"),
        ("Counsellor", "Do you ever want to kill yourself?"),
        ("client", "I'm not suicidal, just exhausted."),
        ("client", "This presentation is killing me."),
    ],
)
def test_it_raises_no_risk_for_the_clinicians_questions_denials_or_idioms(speaker, text):
    found = analyse_session([{"sequence_number": 0, "speaker": speaker, "text": text}]).insights
    assert [insight for insight in found if insight.insight_type == "risk"] == []


@pytest.mark.parametrize("speaker", ["Tom", "Speaker 2", "Mother", "unknown", ""])
def test_the_risk_screen_reads_every_line_not_labelled_as_the_clinicians(speaker):
    """Safety first: a client labelled by a first name ("Tom" for the client "Tom B."), a diarised "Speaker 2" or
    a family member was never screened, and the analysis came out "completed" with no alert. Distortions still
    read only the client's lines."""
    rows = [
        {"sequence_number": 0, "speaker": "Therapist", "text": "How have the nights been?"},
        {
            "sequence_number": 1,
            "speaker": speaker,
            "text": "Some nights I think everyone would be better off without me.",
        },
        {"sequence_number": 2, "speaker": speaker, "text": "I always mess everything up, I never get anything right."},
    ]
    found = analyse_session(rows).insights

    (risk,) = [insight for insight in found if insight.insight_type == "risk"]
    assert (risk.rule, risk.intervention_priority) == ("self_harm", "urgent")
    assert "1 of the 2 sentences not labelled as the clinician's" in risk.description
    assert risk.evidence_items[0].context["speaker"] == "Therapist"  # the question before it
    assert [insight for insight in found if insight.insight_type == "cognitive_distortion"] == []


def test_the_risk_rules_are_the_safety_layers_own():
    """The analysis has no risk list of its own: every risk message the chat triage is held to is risk here,
    and changing the triage's answer changes the analysis's."""
    with ROUTES_CSV.open(newline="", encoding="utf-8") as handle:
        rows = [row["message"] for row in csv.DictReader(handle) if row["split"] == "dev" and row["label"] == "risk"]
    assert len(rows) > 50
    assert [text for text in rows if insights.risk_in(text) is None] == []


def test_the_risk_rules_come_from_triage_classify(monkeypatch):
    from myApp.sessions.assistant.triage import Label, Risk, Triage

    monkeypatch.setattr(insights, "classify", lambda text: Triage(Label.RISK, risk=Risk.HARM_TO_OTHERS))
    (risk,) = analyse_session([{"sequence_number": 0, "speaker": "client", "text": "We went for a walk."}]).insights
    assert risk.rule == "harm_to_others"


@pytest.mark.parametrize(
    ("client_name", "speaker"),
    [("Dr Patel", "Dr Patel"), ("Dr Patel", "DR. PATEL"), ("Therapist", "therapist"), ("Tom B.", "Therapist/Client")],
)
def test_a_client_whose_name_reads_as_a_clinicians_label_is_still_screened(client_name, speaker):
    """A client named "Dr Patel" (transcripts may label the client's lines with their name) began "Dr ", the
    clinician rule, so their risk lines were skipped: 'analysis completed', no alert. The client's label wins."""
    rows = [
        {"sequence_number": 0, "speaker": "Therapist", "text": "How have the nights been?"},
        {
            "sequence_number": 1,
            "speaker": speaker,
            "text": "Some nights I think everyone would be better off without me.",
        },
    ]
    found = analyse_session(rows, client_speakers=client_speakers(client_name)).insights

    assert [(insight.rule, insight.intervention_priority) for insight in found] == [("self_harm", "urgent")]


@pytest.mark.parametrize(
    "speaker",
    ["Therapist 1", "Therapist (Anna)", "Counsellor Jane", "therapist:", "Dr.Lee", "\uff34herapist", "Therapist\u2060"],
)
def test_a_clinicians_title_with_a_number_name_or_odd_characters_is_the_clinicians(speaker):
    """A clinician's screening question ("Are you having thoughts of suicide?") labelled "Therapist 1",
    "Counsellor Jane", "therapist:" or with a fullwidth or invisible character raised an urgent alert (and its
    email) for the clinician's own words; only the bare title and "Dr " were read as the clinician's."""
    rows = [{"sequence_number": 0, "speaker": speaker, "text": "Are you having thoughts of suicide?"}]
    assert analyse_session(rows).insights == []
    assert analyse_session([{**rows[0], "speaker": "Speaker 1"}]).insights != []  # any other label is screened
