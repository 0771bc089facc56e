"""Knowledge blocks for Level 1, keyed by module code.

Each block is a self-contained teaching chunk (the assistant retrieves them by full-text
search): a title, a one-line summary, a body of roughly 150-230 words, tags, exercise seeds
the lessons and venues can turn into practice, and citations to the general sources the
advice draws on, described in words.
"""


def _cite(source: str, note: str) -> dict:
    return {"source": source, "note": note}


PRESENCE_AND_NERVES = [
    {
        "order": 1,
        "title": "Why nerves happen, and why they can help",
        "summary": (
            "Speaking anxiety is the body's normal stress response; relabelling it as excitement works "
            "better than trying to calm down."
        ),
        "body": (
            "Before a talk the body releases adrenaline: the heart beats faster, breathing becomes shallow, "
            "hands may shake and the mouth goes dry. It is the same arousal that prepares an athlete for a race, "
            "and almost every speaker feels it, experienced ones included. The aim is not to make it disappear "
            "but to keep it in a useful range. Research on performance anxiety suggests that telling yourself "
            "'I am excited' helps more than 'I am calm': both are high-energy states, so relabelling the feeling "
            "as excitement is a smaller and more believable step than trying to switch it off. It also turns "
            "your attention outward, towards the audience and the message, instead of inward at the symptoms. "
            "Remember that listeners see far less of your nervousness than you feel. Psychologists call the "
            "belief that others can read our inner state the illusion of transparency, and simply learning "
            "about it has been shown to lower speakers' anxiety and improve how their talks are rated. Finally, "
            "nerves fade with exposure. Every short, successful attempt teaches your body that speaking is safe, "
            "which is why this course asks you to practise often and in small doses rather than waiting for one "
            "big performance."
        ),
        "tags": ["anxiety", "mindset", "reappraisal", "stage fright"],
        "exercise_seeds": [
            "Before your next practice, say 'I am excited' out loud three times and notice how it feels.",
            "Rate your nerves from 1 to 5 before and after a two-minute talk, then note what actually happened.",
        ],
        "citations": [
            _cite(
                "Alison Wood Brooks, 'Get excited: reappraising pre-performance anxiety as excitement', "
                "Journal of Experimental Psychology: General (2014)",
                "Speakers who said 'I am excited' gave talks rated as more persuasive and confident.",
            ),
            _cite(
                "Kenneth Savitsky and Thomas Gilovich, 'The illusion of transparency and the alleviation of "
                "speech anxiety', Journal of Experimental Social Psychology (2003)",
                "Speakers overestimate how visible their nerves are; learning this improved their speeches.",
            ),
        ],
    },
    {
        "order": 2,
        "title": "Breathing and grounding before you speak",
        "summary": "Slow exhales and a stable stance settle the body and support the voice in under a minute.",
        "body": (
            "Anxiety moves breathing up into the chest and speeds it up, which feeds the sense of panic and "
            "makes the voice thin. Slowing the breath, and especially lengthening the exhale, engages the "
            "body's calming parasympathetic system and lowers the heart rate within a few cycles. A simple "
            "routine: breathe in through the nose for about four counts, then out through slightly pursed lips "
            "for six to eight counts, five times. A variant studied in recent research is the cyclic sigh: two "
            "inhales through the nose, the second topping up the lungs, followed by one long, slow exhale. "
            "Pair the breath with grounding. Stand with your feet about hip-width apart, weight spread evenly, "
            "knees unlocked, and feel the floor under your heels. Let your shoulders drop and rest your hands "
            "at your sides or lightly together at waist height. This stance is stable, so you are less likely "
            "to sway or pace, and it frees the belly to move so your voice has support. Do the routine at your "
            "seat or backstage, not in front of the audience, then take one more slow breath after you arrive "
            "at the front and before your first word."
        ),
        "tags": ["breathing", "body", "grounding", "anxiety"],
        "exercise_seeds": [
            "Do five breaths of four counts in and eight counts out, then read your opening sentence aloud.",
            "Record yourself speaking before and after one minute of cyclic sighing and compare the steadiness.",
        ],
        "citations": [
            _cite(
                "Melis Yilmaz Balban and colleagues, 'Brief structured respiration practices enhance mood and "
                "reduce physiological arousal', Cell Reports Medicine (2023)",
                "Five minutes a day of exhale-focused cyclic sighing improved mood and lowered breathing rate.",
            ),
            _cite(
                "Cicely Berry, Voice and the Actor (1973)",
                "A classic voice-training text on breath support, posture and releasing tension.",
            ),
        ],
    },
    {
        "order": 3,
        "title": "The first thirty seconds",
        "summary": (
            "A prepared opening, such as a question, a striking fact or a story, carries you and the audience "
            "through the hardest moment."
        ),
        "body": (
            "Nerves peak in the first minute, and that is also when the audience decides whether to listen. So "
            "learn your opening word for word, even if you speak the rest from notes. Strong openings do one of "
            "three things: ask a question the audience genuinely wonders about, state a surprising fact that "
            "matters to them, or begin a very short story in the middle of the action. Avoid throat-clearing: "
            "apologising for being a poor speaker, thanking a long list of people, or reading the title slide. "
            "Arrive at your spot, plant your feet, find one friendly face and pause for a breath; a moment of "
            "silence at the start signals confidence, not hesitation. Deliver the first sentence to that person "
            "and move your eyes to someone else for the next thought. Tell listeners early why the topic matters "
            "to them: a single sentence such as 'By the end you will know how to...' gives them a reason to "
            "stay with you. Once the opening is behind them, most speakers feel their nerves drop sharply, which "
            "is why rehearsing the first thirty seconds again and again pays off more than any other practice."
        ),
        "tags": ["openings", "attention", "eye contact", "rehearsal"],
        "exercise_seeds": [
            "Write three openings for the same talk (a question, a fact, a story) and test each on a friend.",
            "Rehearse only your first thirty seconds five times in a row, out loud and standing up.",
        ],
        "citations": [
            _cite(
                "Chris Anderson, TED Talks: The Official TED Guide to Public Speaking (2016)",
                "Advice on earning attention early and avoiding slow, self-focused openings.",
            ),
            _cite(
                "Dale Carnegie, The Quick and Easy Way to Effective Speaking (1962)",
                "Practical guidance on preparation, openings and building confidence through practice.",
            ),
        ],
    },
]

STRUCTURE = [
    {
        "order": 1,
        "title": "One talk, one message",
        "summary": "Decide the single idea you want people to remember and make every part of the talk serve it.",
        "body": (
            "Audiences remember far less than speakers expect, often one or two ideas from a whole presentation. "
            "If you do not choose which idea that will be, they will pick something at random, or nothing at "
            "all. Before you write a single slide, complete this sentence: 'If they remember only one thing, it "
            "should be...'. Keep the answer under fifteen words and make it a claim, not a topic. 'Remote teams "
            "need written decisions' is a message; 'remote work' is a topic. TED's curator Chris Anderson calls "
            "this the throughline, the thread that connects every part of a talk. Then test each story, number "
            "and slide against it: does this help the audience believe or act on the message? If not, cut it, "
            "however interesting it is. Barbara Minto's pyramid principle offers the same discipline for "
            "business talks: lead with the conclusion, then give the few grouped reasons that support it, then "
            "the detail. State the message near the start, come back to it after each main point, and repeat it "
            "at the end. Repetition that feels excessive to you usually feels like clarity to listeners, who "
            "hear the talk once and cannot scroll back."
        ),
        "tags": ["message", "clarity", "throughline", "planning"],
        "exercise_seeds": [
            "Write your talk's message in fifteen words, then in ten, then in six.",
            "Go through your slides and mark each one 'supports the message' or 'cut'.",
        ],
        "citations": [
            _cite(
                "Chris Anderson, TED Talks: The Official TED Guide to Public Speaking (2016)",
                "The 'throughline': every element of a talk should connect to one central idea.",
            ),
            _cite(
                "Barbara Minto, The Pyramid Principle (1987)",
                "Lead with the conclusion, then the grouped supporting arguments, then the detail.",
            ),
        ],
    },
    {
        "order": 2,
        "title": "Open, body, close: a frame that always works",
        "summary": (
            "Say where you are going, take listeners there in about three steps, and close by returning to the "
            "message with a clear next step."
        ),
        "body": (
            "A simple structure frees your attention for the audience instead of the order of your ideas. The "
            "opening earns attention and states the message. The body carries two to four main points, and three "
            "is often ideal: few enough to remember, enough to feel complete. The close sums up and tells people "
            "what to do, think or feel next. Connect the parts with signposts, short sentences that tell "
            "listeners where they are: 'That is the problem; now let us look at what causes it' or 'The second "
            "reason is simpler.' Written text has headings and paragraphs; speech needs signposts to do that job. "
            "Within each main point, use the pattern point, example, point: state it, make it concrete with an "
            "example or a number, then restate it in a line. Plan your last sentence as carefully as your first "
            "and never end on 'So, yeah, that is it.' Finish with your message or a clear request, pause, and "
            "only then say thank you. If there is time for questions, take them before a short final summary, so "
            "the talk ends on your words rather than on the last question from the floor."
        ),
        "tags": ["structure", "signposting", "closing", "outline"],
        "exercise_seeds": [
            "Outline a three-minute talk as: opening line, three points with one example each, closing line.",
            "Write a signpost sentence for every transition in your outline and read only those aloud.",
        ],
        "citations": [
            _cite(
                "Aristotle, Rhetoric, Book III",
                "The classical treatment of arrangement: introduction, statement, proof and epilogue.",
            ),
            _cite(
                "Toastmasters International, Competent Communication manual, project 'Organize Your Speech'",
                "Openings, bodies and conclusions joined by clear transitions.",
            ),
        ],
    },
    {
        "order": 3,
        "title": "Patterns for persuasive and informative talks",
        "summary": (
            "Problem-solution-benefit and Monroe's motivated sequence lead listeners from concern to action; "
            "other patterns suit explaining."
        ),
        "body": (
            "When you want people to change something, order your points the way minds change. The simplest "
            "pattern is problem, solution, benefit: show a problem the audience recognises, propose your "
            "solution, then describe what life looks like once it is solved. Spend longer on the problem than "
            "feels natural, because people do not value a solution until they feel the problem. Alan Monroe's "
            "motivated sequence, taught in speech courses since the 1930s, stretches this into five steps: "
            "attention (a hook), need (the problem and its cost), satisfaction (your solution and how it works), "
            "visualisation (a vivid picture of the future with and without the change) and action (one specific "
            "next step). Talks that explain rather than persuade suit other patterns: chronological for "
            "processes and histories, spatial for places and layouts, and compare-and-contrast for choosing "
            "between options. Whatever the pattern, announce it briefly so the audience can follow: 'I will "
            "describe the problem, what we tried, and what I recommend.' Choose the pattern that fits your goal, "
            "not the order in which you happened to learn the material."
        ),
        "tags": ["persuasion", "structure", "motivated sequence", "call to action"],
        "exercise_seeds": [
            "Turn a complaint you have heard at work or school into a one-minute problem-solution-benefit pitch.",
            "Draft the visualisation step: describe the same Monday morning with and without your proposal.",
        ],
        "citations": [
            _cite(
                "Alan H. Monroe, Principles and Types of Speech (1935)",
                "The motivated sequence: attention, need, satisfaction, visualisation, action.",
            ),
            _cite(
                "Aristotle, Rhetoric",
                "Persuasion through character (ethos), emotion (pathos) and reasoning (logos).",
            ),
        ],
    },
]

VOICE_AND_PACE = [
    {
        "order": 1,
        "title": "Pace and the power of the pause",
        "summary": (
            "Aim for a conversational pace of roughly 130-160 words a minute and use pauses to frame your most "
            "important ideas."
        ),
        "body": (
            "Nervous speakers tend to rush, and fast speech is hard to follow, especially for people listening in "
            "a second language or over a video call. A comfortable pace for presentations is roughly 130 to 160 "
            "words a minute, but the right speed depends on the material: slow down for new, complex or "
            "emotional content, and speed up a little for stories and familiar background. The most underused "
            "tool is the pause. A pause before a key point builds anticipation; a pause after it gives the "
            "audience time to take it in. Pauses also replace filler words: when you feel an 'um' coming, close "
            "your mouth and breathe instead. Toastmasters clubs even appoint a member to count fillers, because "
            "simply noticing them is the first step to dropping them. Two seconds of silence feels long to the "
            "speaker but natural to listeners. To practise, record yourself reading for one minute and count the "
            "words, then mark your script with a slash wherever you will pause and read it again. Pausing at the "
            "end of each sentence often slows your overall rate more effectively than trying to talk slowly, "
            "because the words keep their natural rhythm."
        ),
        "tags": ["pace", "pauses", "filler words", "delivery"],
        "exercise_seeds": [
            "Read a news article aloud for sixty seconds, count the words, and repeat until you land near 150.",
            "Tell a one-minute story and replace every 'um' with a silent breath.",
        ],
        "citations": [
            _cite(
                "Toastmasters International, Competent Communication manual, project 'Vocal Variety'",
                "Rate, pauses and variety as tools of meaning; the meeting role that counts filler words.",
            ),
            _cite(
                "Chris Anderson, TED Talks: The Official TED Guide to Public Speaking (2016)",
                "Speaking conversationally, at a pace listeners can follow, with room to think.",
            ),
        ],
    },
    {
        "order": 2,
        "title": "Volume, pitch and emphasis",
        "summary": (
            "Project to the back row, let statements end on a falling pitch, and stress the words that carry meaning."
        ),
        "body": (
            "A voice that is easy to hear and full of variety holds attention without any slides. Start with "
            "volume: speak to the person farthest away, supported by breath from the belly rather than by "
            "pushing from the throat. With a microphone, keep it at a steady distance and use a normal "
            "conversational volume. Next, pitch. In English a pitch that falls at the end of a sentence signals "
            "certainty, while a rising pitch sounds like a question; nervous speakers often let statements "
            "rise, which makes confident claims sound tentative. Practise saying your key message with a clear "
            "downward finish. Then emphasis. Say 'I didn't say she stole the money' seven times, stressing a "
            "different word each time, and listen to the meaning change. In a talk, stress the words that carry "
            "new information and contrasts, not every word. Match delivery to content: lower and slower for "
            "serious points, brighter and quicker for stories and humour. A monotone rarely comes from a poor "
            "voice; it usually comes from reading, so speak from key words rather than full sentences. Warm up "
            "for two minutes before you speak: hum, do a few yawn-sighs and read a passage aloud."
        ),
        "tags": ["voice", "projection", "pitch", "emphasis", "warm-up"],
        "exercise_seeds": [
            "Record your key message twice, once with a rising and once with a falling ending, and compare.",
            "Speak a short paragraph to a friend at the far end of a room without raising your shoulders.",
        ],
        "citations": [
            _cite(
                "Kristin Linklater, Freeing the Natural Voice (1976)",
                "Exercises for breath, release of tension and a voice that carries without strain.",
            ),
            _cite(
                "Cicely Berry, Voice and the Actor (1973)",
                "Practical work on projection, resonance and making words carry meaning.",
            ),
        ],
    },
]

STORIES_AND_AUDIENCE = [
    {
        "order": 1,
        "title": "Know your audience",
        "summary": "Adapt content, language and examples to what listeners already know, need and care about.",
        "body": (
            "A talk succeeds in the listener's head, not in the speaker's notes, so start preparing with the "
            "audience. Ask three questions. What do they already know? What do they need from this talk? What "
            "might make them resist? Experts want precision and new findings; newcomers need context, fewer terms "
            "and more examples. The curse of knowledge, a bias first described by economists and popularised by "
            "Chip and Dan Heath, means that once you know something it is hard to imagine not knowing it, so you "
            "will underestimate how much explanation others need. Test your draft on someone outside your field "
            "and note where they frown. Replace jargon with plain words, and make abstract points concrete with "
            "comparisons from the audience's world: a teacher, an engineer and a parent may each need a "
            "different example for the same idea. Say 'you' more often than 'I', and connect your message to "
            "their goals. Keep reading the room while you speak: folded arms or people checking their phones may "
            "mean you need an example, a question or a change of pace. Finally, anticipate the three most likely "
            "questions, prepare short answers, and consider answering the hardest one in the talk itself."
        ),
        "tags": ["audience", "adaptation", "jargon", "questions"],
        "exercise_seeds": [
            "Explain one idea from your field to an imaginary ten-year-old, then to a colleague, in one minute each.",
            "List the three questions your audience is most likely to ask and answer each in two sentences.",
        ],
        "citations": [
            _cite(
                "Chip Heath and Dan Heath, Made to Stick (2007)",
                "The curse of knowledge, and why concrete language makes ideas understood and remembered.",
            ),
            _cite(
                "Colin Camerer, George Loewenstein and Martin Weber, 'The curse of knowledge in economic "
                "settings', Journal of Political Economy (1989)",
                "Better-informed people struggle to predict what less-informed people know.",
            ),
        ],
    },
    {
        "order": 2,
        "title": "Stories that make a point",
        "summary": ("A short personal story with a clear arc and one concrete detail makes a message stick."),
        "body": (
            "People remember stories far better than lists of facts, because a story gives information a "
            "sequence, a person to care about and a reason to wait for the end. In a talk a story should be "
            "short, usually under two minutes, and it must serve your message. Use a simple arc: the situation "
            "(who, where, what was normal), the complication (what went wrong or changed), the turning point "
            "(what you did or realised) and the resolution, followed by the point in one sentence. Start close "
            "to the action: 'The projector died three minutes into my first conference talk' beats a long "
            "introduction. Include one or two specific sensory details, such as the sound of a room going quiet, "
            "because concrete images let listeners see the scene. Show a real struggle; a story in which "
            "everything goes well teaches nothing. Use a line or two of dialogue to bring key moments to life. "
            "Then link the story back to the audience: 'You may face a moment like that when...'. Nancy Duarte's "
            "study of memorable talks shows speakers moving back and forth between what is and what could be; a "
            "good story is often the bridge between the two."
        ),
        "tags": ["storytelling", "narrative", "memory", "engagement"],
        "exercise_seeds": [
            "Tell a ninety-second story about a mistake you learned from, using the four-part arc.",
            "Retell the turning point of your story with one thing you saw, one you heard and one you felt.",
        ],
        "citations": [
            _cite(
                "Nancy Duarte, Resonate: Present Visual Stories that Transform Audiences (2010)",
                "Great talks contrast 'what is' with 'what could be' and use stories to move between them.",
            ),
            _cite(
                "Chip Heath and Dan Heath, Made to Stick (2007)",
                "Stories act as mental simulations and make ideas memorable.",
            ),
        ],
    },
]

KNOWLEDGE_BLOCKS = {
    "A": PRESENCE_AND_NERVES,
    "B": STRUCTURE,
    "C": VOICE_AND_PACE,
    "D": STORIES_AND_AUDIENCE,
}
