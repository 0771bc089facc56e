"""The triage rules for everything but risk: feelings (wellbeing), good news, negations, speaking and
course vocabulary, requests, small talk and questions about the conversation. Like ``triage_rules``,
they read ``text.normalise``'s output."""

import re

from myApp.sessions.assistant.triage_rules import END, compile_all

# --- Feelings (wellbeing) ------------------------------------------------------------------
# Each rule: (pattern with a ``w`` group naming the feeling, the feeling's group). The groups decide
# the reflection and the guided module (``safety.GROUP_MODULE``).
_FEEL = r"(?:feel|feeling|felt|am feeling|been feeling|i am|i have been|i was|am)"
_SOFTLY = r"(?:so |really |very |pretty |quite |a bit |a little |kind of |just |super |totally |completely )*"
FEELINGS: list[tuple[re.Pattern, str]] = [
    (re.compile(p), group)
    for p, group in [
        (r"\b(?P<w>panic attacks?|panicking|panicked|panicky|panic|hyperventilating|can not breathe)\b", "panic"),
        (r"\bheart (?:is |keeps |starts )?(?P<w>racing|pounding)\b", "panic"),
        (
            r"\b(?P<w>anxious|anxiety|nervous|nervousness|worried|worrying|worries|worry|scared|frightened|terrified|"
            r"fearful|fear|dreading|dread|uneasy|on edge|jittery|jumpy|apprehensive|freaking out|shaky|shaking|"
            r"trembling|butterflies|bundle of nerves|nerves are (?:shot|bad|terrible|a mess))\b",
            "anxious",
        ),
        (r"\b(?P<w>afraid)\b(?! (?:i|that|so|not)\b)", "anxious"),
        (r"(?<!past )(?<!present )(?<!future )\b(?P<w>tense)\b", "anxious"),
        (
            r"\b(?P<w>stressed|stressful|stressing|stress)\b(?! (?:the|a|key|important|words?|syllables?|on|that)\b)",
            "stressed",
        ),
        (
            r"\b(?P<w>overwhelmed|overwhelming|swamped|frazzled|under (?:so much |a lot of |too much )?pressure|"
            r"at (?:my|the) limit|at breaking point|too much (?:going on|on my plate|to handle)|can not cope|"
            r"not coping|struggling to cope)\b",
            "stressed",
        ),
        (r"\b(?:feels|is|it is all|is all|everything is|everything feels) (?P<w>too much)\b", "stressed"),
        (r"\bfeel like i am (?P<w>drowning|sinking|suffocating|falling apart)\b", "stressed"),
        (r"\b(?:is |are |keeps |keep )?(?P<w>getting (?:on top of|to) me)\b", "stressed"),
        # hyperbole that still says something about the person: "this deadline is killing me"
        (
            r"(?<!feet )(?<!back )(?<!legs )(?<!head )(?<!knees )(?<!shoes )(?<!teeth )(?<!neck )"
            r"\b(?P<w>(?:is|are|will|going to|is going to) (?:be the death of|kill|killing) me)\b",
            "stressed",
        ),
        (r"\b(?P<w>rather die than) (?:give|do|speak|present|talk|go on stage|stand up|make|sing|read)\b", "anxious"),
        (
            r"\b(?P<w>can not sleep|could not sleep|can not fall asleep|can not get to sleep|can not stay asleep|"
            r"unable to sleep|not (?:been )?sleeping(?: well)?|(?:have|had) not slept|not slept|no sleep|barely slept|"
            r"barely sleeping|hardly slept|hardly sleeping|insomnia|sleepless|trouble sleeping|struggl(?:e|ing) to "
            r"sleep|lying awake|lie awake|awake all night|sleeping badly|sleep badly|sleep (?:so )?poorly|slept badly|"
            r"slept poorly|nightmares|bad dreams|keep waking up|wake up (?:at|in the middle|every))\b",
            "sleep",
        ),
        (
            r"\b(?P<w>exhausted|shattered|drained|worn out|burnt out|burned out|burnout|no energy|fatigued|knackered|"
            r"running on empty|tired all the time|always tired)\b",
            "tired",
        ),
        (r"\b" + _FEEL + " " + _SOFTLY + r"(?P<w>tired|sleepy)\b", "tired"),
        (
            r"\b(?P<w>sad|sadness|depressed|depression|unhappy|miserable|hopeless|heartbroken|devastated|grieving|"
            r"grief|tearful|worthless|gutted|hate myself|hate my life|mental health|therapy|therapist|counsell?or|"
            r"dead inside|why am i like this|insecure|self conscious|not good enough|inadequate)\b",
            "low",
        ),
        (
            r"\b(?:my|our) (?!(?:laptop|phone|battery|computer|car|pc|tablet|mic|microphone|headphones|charger|"
            r"speaker|printer|tv|console|bike|watch|plant|plants)\b)(?:[a-z]+ )?[a-z]+ (?P<w>died|passed away)\b",
            "grief",
        ),
        (
            r"\b(?P<w>lost) my (?:mum|mom|dad|mother|father|grandma|grandmother|grandpa|grandfather|nan|gran|brother|"
            r"sister|friend|best friend|dog|cat|pet)\b",
            "grief",
        ),
        (
            r"\b(?:hands?|voice|legs|knees|body) (?:keeps? |starts? )?(?P<w>shak(?:e|es|ing)|trembl(?:e|es|ing))\b",
            "anxious",
        ),
        (r"\bdie (?:of|from) (?P<w>embarrassment|shame)\b", "angry"),
        (
            r"\b" + _FEEL + " " + _SOFTLY + r"(?P<w>bad|awful|terrible|horrible|rubbish|crap|like crap|like shit|"
            r"like garbage|like a failure|a failure|useless|empty|numb|lost|off|weird|strange|broken|small|stupid|"
            r"invisible|blue|flat|meh|down|low|hurt|sick of everything)\b(?! (?:the|a|my|your|to|on|in|of|at|for)\b)",
            "low",
        ),
        (r"\b(?:keep|been|can not stop|started|i|always|i am) (?P<w>crying|cry)\b", "low"),
        (
            r"\b(?P<w>not in (?:a|the) (?:good|great|right|healthy) (?:place|headspace|space))\b",
            "low",
        ),
        (
            r"\b(?:i am|i have been|been|i am just) (?P<w>not (?:okay|ok|alright|fine|great|good|well|doing (?:well|"
            r"great|good|ok|okay)|feeling (?:good|great|well|ok|okay|myself|like myself|right|happy)))\b",
            "low",
        ),
        (
            r"\b(?P<w>bad day|rough day|rough week|hard day|hard week|tough day|tough week|rough time|hard time|"
            r"tough time|difficult time|going through a lot|nothing goes right|nothing ever goes right)\b",
            "low",
        ),
        (
            r"\b(?P<w>struggling)(?:" + END + r"| so much| a lot| lately| right now| mentally| emotionally| with "
            r"(?:life|everything|my mental health|my mood|my feelings))",
            "low",
        ),
        (r"\b(?P<w>lonely|loneliness|isolated|left out|homesick|disconnected|excluded)\b", "lonely"),
        (r"\b(?:feel|feeling|so|all|completely|totally|very|really|i am) (?P<w>alone)\b", "lonely"),
        (
            r"\b(?P<w>(?:no one|nobody|no body)(?: [a-z]+){0,3} (?:to talk to|understands me|cares about me|likes me|"
            r"listens to me|talks to me|wants to be my friend|wants me around)|no friends|"
            r"do not have (?:any )?friends|have no friends|need someone to "
            r"talk to|need to talk to someone)\b",
            "lonely",
        ),
        (r"\bmiss (?:my )?(?P<w>home|family|friends)\b", "lonely"),
        (r"\b(?:since|after|when) (?:he|she|they|my (?:[a-z]+ )?[a-z]+) (?P<w>died|passed away|passed)\b", "grief"),
        (r"\b[a-z]+'s (?P<w>death|passing)\b", "grief"),
        (
            r"\b(?P<w>angry|anger|furious|livid|mad at|pissed off|pissed|frustrated|frustrating|frustration|irritated|"
            r"irritable|annoyed|fed up|resentful|jealous|ashamed|shame|embarrassed|humiliated|guilty|guilt|upset)\b",
            "angry",
        ),
        (
            r"\b(?P<w>can not put (?:it|this|that|my feelings|how i feel|it all) into words|hard to put into words|"
            r"(?:do not know|not sure) (?:how i feel|how to explain how i feel|how to describe (?:it|how i feel)|"
            r"what i "
            r"am feeling|what i feel|how i am feeling)|mixed (?:up )?feelings|mixed emotions|confused about (?:my "
            r"feelings|how i feel)|racing thoughts|thoughts (?:are |keep )?racing|mind (?:is |keeps )?racing|restless|"
            r"head is (?:a mess|spinning|full|all over the place)|all over the place|can not switch off|can not stop "
            r"thinking)\b",
            "wordless",
        ),
        (
            r"\b(?P<w>how am i doing|how have i been(?: doing)?|check (?:in )?on (?:myself|me|my (?:mood|wellbeing|"
            r"mental"
            r" health|week))|check in with (?:myself|me)|self check|wellbeing check|mental health check|am i (?:okay|"
            r"ok|"
            r"alright)|how is my (?:mood|wellbeing|mental health)|how my week (?:has been|went|was))\b",
            "check_in",
        ),
        (r"\b(?:do|start|try|take|have) (?:a |the |my )?(?:quick )?(?P<w>check in|self check)\b", "check_in"),
        (
            r"^(?:please )?(?P<w>help(?: me)?|i need (?:some )?help|please help(?: me)?|can (?:you|"
            r"someone) help me)(?: "
            r"please)?(?: [.!?])*$",
            "support",
        ),
        (r"\b(?P<w>i need (?:some )?(?:help|support)|i need someone)(?:" + END + ")", "support"),
        (r"\b(?P<w>can we talk|can i talk to you|i (?:want|need) to talk)(?:" + END + ")", "support"),
    ]
]
# Feelings that are fine: "I feel great", "my talk went well". Shared good news is small talk.
POSITIVE = compile_all(
    [
        r"\b" + _FEEL + " " + _SOFTLY + r"(?:much |a lot |lots |way )?(?:good|great|fine|happy|happier|better|calm|"
        r"calmer|relaxed|proud|excited|confident|amazing|awesome|okay|ok|alright|well|grateful|glad|thrilled|"
        r"less (?:anxious|nervous|stressed|worried|scared))\b",
        r"\b(?:went|going|go) (?:really |so |very )?(?:well|great|fine|brilliantly|amazingly|smoothly|perfectly)\b",
        r"\b(?:i|we) (?:did it|nailed it|smashed it|killed it|aced it)\b",
        r"\b(?:had|having) (?:a|such a) (?:really |very |so )?(?:lovely|great|good|nice|wonderful|fun|brilliant) "
        r"(?:day|time|weekend|week|evening)\b",
        r"\bkilling it\b",
    ]
)
# Words that undo a feeling named within the next few words ("I'm not anxious about it").
NEGATORS = frozenset(["not", "never", "no", "without", "hardly", "nor", "less"])
# ...unless they start one of these ("can't stop worrying", "not sure", "not gonna lie", "never felt so").
NOT_NEGATING = re.compile(
    r"^(?:not|never|no) (?:stop|help|shake|seem|sure|going to lie|just|only|get rid|(?:felt|been) (?:so|this|more|as))"
)

# --- Skills, the platform, small talk, memory ---------------------------------------------------
SKILL = re.compile(
    r"\b(?:"
    # speaking and its occasions
    r"speak|speaking|speaker|speakers|spoke|speech|speeches|public speaking|presentations?|presenter|presenting|"
    r"present (?:to|in front|at|my|a|the|our|this|it|them|findings|results|research|ideas?)|(?:i|to|we|you) present\b|"
    r"(?:a|my|the|this|that|your|next|our|his|her|their|first|big|short|long|ted|keynote|lightning|conference|team|"
    r"school|class|whole|entire|good|great|bad|boring) talks?|talking (?:in|to) (?:public|an audience|a (?:crowd"
    r"|group|room|class))|talking points|(?:talk|talking) (?:too |so |really |very )?(?:fast|quickly|slowly|quietly|"
    r"loudly|softly)|slow(?:ing)? down when i (?:talk|speak)|"
    r"audience|audiences|crowd|listeners|hecklers?|(?:on|the) stage|stage fright|stage presence|podium|lectern|"
    r"microphone|mic|"
    r"slides?|slide deck|deck|powerpoint|keynote|prezi|visual aids?|handouts?|cue cards|script|teleprompter|notes|"
    r"lecture|seminar|webinar|conference|meetings?|stand ?up|interviews?|debate|debating|toast|wedding|best man|"
    r"maid of honou?r|eulogy|funeral|thesis|defen[cs]e|viva|pitch|pitching|elevator pitch|q and a|q ?& ?a|networking|"
    r"small talk (?:at|with|skills)|get better at small talk|conversation skills|communicat\w*|listening skills|"
    r"impromptu|improv\w*|podcast|radio|on air|on camera|video call|zoom|read(?:ing)? aloud|"
    # the craft
    r"voice|vocal|tone|pace|pacing|pauses?|pausing|volume|projection|project my voice|articulat\w*|diction|"
    r"pronunciation|pronounce|enunciat\w*|accent|mumbl\w*|stutter\w*|stammer\w*|filler(?: words)?|um+|uh+|ums|"
    r"monotone|eye contact|body language|gestures?|posture|stance|facial expressions?|hand gestures|"
    r"opening|open(?:ing)? line|hook|intro|introduction|conclusion|closing|structure|outline|transitions?|signpost"
    r"\w*|key message|main message|one message|takeaway|call to action|rule of three|story|stories|storytelling|"
    r"anecdotes?|narrative|humou?r|jokes? (?:in|into|for) (?:a|my|the) (?:talk|speech|presentation)|"
    r"persua\w+|convinc\w+|argument|rhetoric\w*|negotiat\w+|explain(?:ing)? (?:complex|technical|ideas|things|"
    r"concepts)|clarity|concise|engag\w* (?:the|an|my|your) audience|rehears\w*|memori[sz]\w*|warm ?up|diaphragm|"
    r"exhale|inhale|"
    r"breath|breathe|breathing|nerves|confidence|charisma|silences?|practi[cs](?:e|ed|ing)|mind (?:goes|went) blank|"
    r"go blank|forget (?:my|the) "
    r"(?:lines|words)|forgot (?:my|the) (?:lines|words)|"
    # the platform
    r"course|courses|lessons?|modules?|level (?:one|two|three|\d)|levels|quiz\w*|milestones?|venues?|district\w*|"
    r"topics?|panel(?: discussion)?s?|make my point|(?:point|points|message) (?:clear|clearer|across)|"
    r"answer(?:ing)? (?:questions|tough questions|hard questions)|robotic|sound (?:natural|confident)|"
    r"amphitheat\w+|tickets?|enrol\w*|certificate|teacher|task sheets?|exercises?|guided exercises?|mood check in|"
    r"doodle(?: pad)?|self check|guided modules?|wellbeing report"
    r")\b"
)
# Asking for something: a question, or words that ask for help, advice or an explanation.
REQUEST = re.compile(
    r"(?:^|[.!?,;] )(?:how|what|why|when|where|which|who|can|could|should|would|is|are|do|does|did|any|will|tips?)\b"
    r"|\?|\b(?:tips?|advice|help me|teach me|show me|explain|recommend|suggest\w*|tell me (?:about|how|what)|"
    r"i want to (?:learn|improve|get better|know|be)|i need (?:help|tips|advice|to (?:learn|improve|know))|"
    r"ways? to|how to|best way|get better at|work on|improve|any ideas)\b"
)
SMALL_TALK = re.compile(
    r"^(?:hi|hello|hey|hiya|heya|yo|howdy|greetings|good (?:morning|afternoon|evening|night|day)|morning|evening)\b"
    r"|\b(?:thanks|thank you|cheers|appreciate it|much appreciated|bye|goodbye|good night|see you|see ya|"
    r"talk (?:to you )?later|have a (?:good|nice|great) (?:day|night|evening|weekend)|nice to meet you|"
    r"how are you|how is it going|how are things|what is up|sup|wassup|"
    r"who are you|what are you|are you (?:a |an )?(?:bot|robot|human|real|ai|person|machine|chatgpt)|"
    r"what can you do|what do you do|how can you help|can you help me|what is your name|tell me about yourself|"
    r"you are (?:so |really |very |the )?(?:funny|great|helpful|smart|awesome|useless|stupid|amazing|the best|kind|"
    r"nice|cool)|"
    r"tell me a joke|say something funny|who (?:made|built|created) you|my name is|call me|nice one|good job|"
    r"well done|how about you|and you|"
    r"what about you|"
    r"hello again|i am back|long time no see)\b"
    r"|^(?:ok|okay|cool|great|nice|awesome|sure|yes|yeah|yep|yup|no|nope|nah|alright|got it|makes sense|i see|lol|"
    r"haha\w*|hmm+|wow|perfect|sounds good|fine|good|oh|ah|right|true|indeed|interesting|amazing|brilliant)"
    r"(?: (?:thanks|thank you|then|lol|haha|,|\.|!|\?|that|sounds good|makes sense|great|cool|i see|ok|okay|please|"
    r"nice|good|awesome))*"
    r"(?: [.!?])*$"
)
MEMORY = re.compile(
    r"\bwhat is my name\b|\bdo you (?:know|remember) (?:my name|who i am)\b"
    r"|\bdid i (?:tell|give) you my name\b|\bdid i (?:already )?(?:say|mention|tell you|ask)\b"
    r"|\bdid you (?:just |already )?(?:say|suggest|mention|recommend|tell me)\b"
    r"|\b(?:the )?(?:last|first|previous) thing (?:you|i) (?:told|said|asked|mentioned|suggested)\b"
    r"|\b(?:do|did|can) you (?:remember|recall)\b"
    r"|\bwhat (?:did|have) (?:i|we) (?:just )?(?:say|said|ask|asked|tell|told|talk|talked|discuss|discussed|mention|"
    r"mentioned|write|wrote)\b"
    r"|\bwhat (?:was|were) (?:my|the) (?:first|last|previous|earlier|original|other) (?:question|message|thing)"
    r"|\bwhat (?:did|was it) (?:you|that you) (?:just )?(?:say|said|tell me|told me|suggest|suggested|recommend|"
    r"recommended|mention|mentioned)\b"
    r"|\bremind me (?:what|of what|about what|of the|what the)\b"
    r"|\b(?:summari[sz]e|recap) (?:our|this|the) (?:conversation|chat|discussion)\b"
    r"|\bwhat have we (?:talked|been talking|discussed) about\b"
    r"|\b(?:repeat|say) (?:that|it|what you said|your last (?:answer|message|reply)) again\b"
    r"|\bcan you repeat (?:that|it|your last|what you said)\b"
    r"|\bgo back to what (?:you|i|we) (?:said|were saying)\b"
    r"|\b(?:which|what) (?:tip|tips|exercise|module|course|lesson|advice) did you (?:give|recommend|suggest|mention)\b"
    r"|\bwhat was (?:the|that) (?:tip|exercise|advice|thing) you (?:gave|mentioned|suggested|said)\b"
    r"|\b(?:earlier|before|previously|last time) (?:i|we) (?:said|asked|told you|talked|mentioned)\b.*\?"
)
