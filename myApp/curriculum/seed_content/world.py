"""The practice world (districts, venues and their task sheets) and the course catalogue.

A venue names the module (by code, in Level 1) whose unlocking opens it. Each venue has
one task sheet: an ordered list of exercises ``{"key", "title", "instructions", "duration_s"}``.
"""

from decimal import Decimal


def _exercise(key: str, title: str, instructions: str, duration_s: int) -> dict:
    return {"key": key, "title": title, "instructions": instructions, "duration_s": duration_s}


OLD_TOWN = {
    "slug": "old-town",
    "name": "Old Town",
    "order": 1,
    "description": "Cosy, low-stakes places to speak to a few friendly people. Start here.",
    "overview_media": {"kind": "illustration", "alt": "Cobbled streets around a small square with a café"},
    "venues": [
        {
            "slug": "corner-cafe",
            "name": "Corner Café",
            "module": "A",
            "order": 1,
            "ticket_cost": 1,
            "xp_reward": 20,
            "coin_reward": 5,
            "description": "A table of three strangers over coffee: introduce yourself and keep a chat going.",
            "task_sheet": {
                "title": "Small talk warm-up",
                "exercises": [
                    _exercise(
                        "intro_30s",
                        "Thirty-second introduction",
                        "Introduce yourself to the table: your name, what you do, and one thing you are curious "
                        "about this week. Stop at thirty seconds.",
                        30,
                    ),
                    _exercise(
                        "ask_and_follow_up",
                        "Ask, listen, follow up",
                        "Ask one open question, listen to the whole answer, then ask a follow-up that uses a word "
                        "from the reply.",
                        60,
                    ),
                    _exercise(
                        "breath_reset",
                        "Breath reset",
                        "Before your next turn, take two slow breaths with long exhales, then say your first "
                        "sentence at half your usual speed.",
                        30,
                    ),
                ],
            },
        },
        {
            "slug": "community-library",
            "name": "Community Library",
            "module": "A",
            "order": 2,
            "ticket_cost": 1,
            "xp_reward": 20,
            "coin_reward": 5,
            "description": "The Thursday reading circle: read aloud, look up, and sum up for the group.",
            "task_sheet": {
                "title": "Reading circle",
                "exercises": [
                    _exercise(
                        "read_aloud",
                        "Read a paragraph aloud",
                        "Read a short paragraph to the circle, pausing at every full stop.",
                        60,
                    ),
                    _exercise(
                        "look_up",
                        "Look up to land the line",
                        "Read again, and look up from the page to say the last few words of each sentence to one "
                        "listener.",
                        60,
                    ),
                    _exercise(
                        "summarise",
                        "Three-sentence summary",
                        "Close the book and sum up what you read in three sentences, without notes.",
                        45,
                    ),
                ],
            },
        },
        {
            "slug": "town-hall",
            "name": "Town Hall",
            "module": "B",
            "order": 3,
            "ticket_cost": 2,
            "xp_reward": 30,
            "coin_reward": 8,
            "description": "A neighbourhood meeting: propose one change and win the room's support.",
            "task_sheet": {
                "title": "Make your case",
                "exercises": [
                    _exercise(
                        "one_message",
                        "One-sentence proposal",
                        "State your proposal in one sentence of fifteen words or fewer.",
                        20,
                    ),
                    _exercise(
                        "three_points",
                        "Three signposted reasons",
                        "Give three reasons for your proposal, signposting each: 'First...', 'Second...', "
                        "'Finally...'.",
                        90,
                    ),
                    _exercise(
                        "call_to_action",
                        "Close with a request",
                        "Repeat your proposal and ask the room for one concrete action.",
                        30,
                    ),
                    _exercise(
                        "sceptical_question",
                        "Handle a sceptic",
                        "Answer a sceptical question in under 45 seconds: restate it, answer it, bridge back to "
                        "your message.",
                        45,
                    ),
                ],
            },
        },
    ],
}

HARBOUR_QUARTER = {
    "slug": "harbour-quarter",
    "name": "Harbour Quarter",
    "order": 2,
    "description": "Bigger rooms and live microphones: practise voice, audience and story.",
    "overview_media": {"kind": "illustration", "alt": "A harbour front with a radio mast and an open-air stage"},
    "venues": [
        {
            "slug": "radio-studio",
            "name": "Harbour Radio Studio",
            "module": "C",
            "order": 1,
            "ticket_cost": 2,
            "xp_reward": 30,
            "coin_reward": 8,
            "description": "A live news slot: the studio clock shows your pace as you read.",
            "task_sheet": {
                "title": "On air",
                "exercises": [
                    _exercise(
                        "pace_check",
                        "Read at broadcast pace",
                        "Read the bulletin at 140 to 160 words a minute; check the clock and adjust.",
                        60,
                    ),
                    _exercise(
                        "pause_marks",
                        "Frame the headline",
                        "Read the script again, pausing for two seconds before and after the headline.",
                        60,
                    ),
                    _exercise(
                        "emphasis",
                        "Shift the stress",
                        "Read one sentence three times, stressing a different word each time, and say how the "
                        "meaning changed.",
                        45,
                    ),
                ],
            },
        },
        {
            "slug": "lecture-hall",
            "name": "University Lecture Hall",
            "module": "D",
            "order": 2,
            "ticket_cost": 3,
            "xp_reward": 40,
            "coin_reward": 10,
            "description": "A guest slot for first-year students: teach one idea from your field.",
            "task_sheet": {
                "title": "Teach a concept",
                "exercises": [
                    _exercise(
                        "audience_map",
                        "Map the room",
                        "Say in one minute who you think the audience is and what they already know about your topic.",
                        60,
                    ),
                    _exercise(
                        "analogy",
                        "Explain with an everyday comparison",
                        "Explain one concept from your field using a comparison from daily life.",
                        90,
                    ),
                    _exercise(
                        "check_understanding",
                        "Check they followed",
                        "Ask the audience one question that shows whether they understood, then adjust your "
                        "explanation.",
                        45,
                    ),
                ],
            },
        },
        {
            "slug": "open-air-stage",
            "name": "Open-Air Stage",
            "module": "D",
            "order": 3,
            "ticket_cost": 3,
            "xp_reward": 40,
            "coin_reward": 10,
            "description": "Story night by the water: a crowd, a microphone and ninety seconds.",
            "task_sheet": {
                "title": "Story night",
                "exercises": [
                    _exercise(
                        "project_opening",
                        "Reach the back row",
                        "Deliver your first line so the back row hears it without you shouting.",
                        20,
                    ),
                    _exercise(
                        "story_arc",
                        "Ninety-second story",
                        "Tell a personal story: situation, complication, turning point, resolution.",
                        90,
                    ),
                    _exercise(
                        "sensory_detail",
                        "Make it vivid",
                        "Retell the turning point with one specific thing you saw, heard or felt.",
                        45,
                    ),
                    _exercise(
                        "land_the_point",
                        "Land the point",
                        "End with the one-sentence point of your story, then hold a two-second pause.",
                        20,
                    ),
                ],
            },
        },
    ],
}

DISTRICTS = [OLD_TOWN, HARBOUR_QUARTER]

COURSES = [
    {
        "course_number": 101,
        "course_order": 1,
        "title": "Public Speaking Essentials",
        "description": "Four weeks from first nerves to a confident three-minute talk, with weekly practice prompts.",
        "level": "Beginner",
        "country": "India",
        "price": Decimal("0.00"),
        "currency": "INR",
        "file_metadata": {"format": "self-paced", "weeks": 4, "materials": ["workbook", "practice prompts"]},
    },
    {
        "course_number": 102,
        "course_order": 2,
        "title": "Confident Presentations at Work",
        "description": "Structure updates, pitches and reviews so busy colleagues get the point in the first minute.",
        "level": "Intermediate",
        "country": "United Kingdom",
        "price": Decimal("49.00"),
        "currency": "GBP",
        "file_metadata": {"format": "cohort", "weeks": 6, "materials": ["slide templates", "feedback rubric"]},
    },
    {
        "course_number": 103,
        "course_order": 3,
        "title": "Storytelling for Leaders",
        "description": "Use stories to explain change, share a vision and handle tough questions from a team.",
        "level": "Advanced",
        "country": "United States",
        "price": Decimal("79.00"),
        "currency": "USD",
        "file_metadata": {"format": "cohort", "weeks": 5, "materials": ["story bank", "video examples"]},
    },
    {
        "course_number": 104,
        "course_order": 4,
        "title": "Speaking Up in Meetings",
        "description": "Short, practical drills for making your point in a meeting and being heard the first time.",
        "level": "Beginner",
        "country": "Canada",
        "price": Decimal("0.00"),
        "currency": "CAD",
        "file_metadata": {"format": "self-paced", "weeks": 2, "materials": ["checklists"]},
    },
    {
        "course_number": 105,
        "course_order": 5,
        "title": "Academic Presentations and Thesis Defence",
        "description": "Present research clearly to a committee, design honest slides and answer hard questions.",
        "level": "Intermediate",
        "country": "Germany",
        "price": Decimal("29.00"),
        "currency": "EUR",
        "file_metadata": {"format": "self-paced", "weeks": 3, "materials": ["defence question bank"]},
    },
]
