"""The triage rules: regular expressions over ``text.normalise``'s output (lower case, contractions
expanded, punctuation as separate tokens: "i am not anxious , just curious ?").

Risk rules name the person's own intent, a plan or a means ("kill myself", "better off without me",
"he hits me"), never a word alone, so idioms ("I could kill for a coffee", "this talk will kill me",
"killing it on stage") do not match. Where a phrase is also an everyday one ("hurt myself playing
football", "a talk on suicide prevention") the everyday reading is written out as an exception.
When unsure, a rule errs towards risk: a calm crisis answer to someone who is fine costs little.
"""

import re


def _compile(patterns: list[str]) -> list[re.Pattern]:
    return [re.compile(pattern) for pattern in patterns]


# Where a clause ends: punctuation or the end of the message (the normal form keeps spaces before marks).
END = r"(?= [.!?,;:]|$| but\b| and\b| so\b)"
ANYMORE = r"(?: any ?more| any longer| like this)"
# Who may be hurting the person: a pronoun, a relative, someone named by "my ...".
SUBJECT = (
    r"(?:he|she|they|someone|somebody|people|kids|my (?:[a-z]+ )?[a-z]+|mum|mom|dad|father|mother|stepdad|stepmum|"
    r"stepmom|partner|boyfriend|girlfriend|husband|wife|uncle|aunt|brother|sister|teacher|coach|boss|ex)"
)
# Who is hurt: the person, or the person together with someone else ("my little sister and me").
OBJECT = r"(?:me|my (?:[a-z]+ )?[a-z]+ and me|me and my (?:[a-z]+ )?[a-z]+)"
ADVERB = r"(?: (?:always|often|sometimes|still|usually|regularly|again|also|even|just|really|constantly|keeps|keep))?"

RISK_SELF_HARM = _compile(
    [
        r"\b(?:kill|killing|killed|hang|hanging|starve|starving|poison|poisoning|drown|drowning|shoot|stab|strangle|"
        r"suffocate|off) myself\b",
        r"\b(?:hurt|hurting|harm|harming|cut|cutting|burn|burning|punish|punishing|injure|injuring) myself\b",
        r"\bsuicid(?:e|al|ally)\b",
        r"\bself harm(?:ing|ed)?\b",
        r"\bself injur(?:y|e|ing|ed)\b",
        r"\b(?:end|ending|take|taking|took) (?:my|my own) life\b",
        r"\bend (?:it all|everything|my existence)\b",
        r"\b(?:want|going|ready|decided|plan|planning) to end (?:it|things)(?: for good| forever| now| tonight| today)?"
        + END,
        r"\b(?:want|wanted|wanting|going|ready|deserve|deserved) to (?:just )?die\b",
        r"\bi (?:just )?want (?:to )?die\b",
        r"\b(?:wish|hope) i (?:could|would|will) (?:just )?die\b",
        r"\bi should (?:just )?die\b",
        r"\b(?:rather|prefer to) (?:be dead|die|not exist|not be alive)\b",
        r"\bwish (?:that )?i (?:was|were|had) (?:dead|gone|never been born|never born|not (?:alive|here|born)|not been "
        r"born)\b",
        r"\b(?:ways?|how) to (?:end it|end my life|die|kill myself|not wake up)\b",
        r"\b(?:painless|easiest|quickest|fastest|best|surest) (?:way|method) to (?:die|go|end it)\b",
        r"\bhow many (?:\w+ )?(?:pills|tablets|paracetamol|ibuprofen|aspirin|painkillers)\b",
        r"\bhow many \w+ (?:would|will|does it take to|to) kill (?:me|you|a person|someone)\b",
        r"\b(?:saving|saved|stockpiling|stockpiled|hoarding|collecting) (?:up )?(?:my |the |some )?(?:pills|tablets|meds)\b",
        r"\b(?:pills|tablets|meds) saved up\b",
        r"\b(?:going to|about to|want to|ready to) jump" + END,
        r"\b(?:standing|sitting|i am) on (?:the|a) (?:roof|ledge|edge|bridge|railing)\b",
        r"\bgoodbye (?:everyone|everybody|world|forever|cruel world)\b|\bthis is (?:my )?goodbye\b",
        r"\b(?:want|need) (?:it all|everything|the pain|this pain|all of this|life) to (?:stop|end)" + END,
        r"\bno point (?:in )?(?:trying|going on|anything|living|fighting)" + ANYMORE,
        r"\bwish i (?:could )?(?:just )?(?:stop existing|not exist)\b",
        r"\bwish i (?:could )?(?:just )?(?:disappear|vanish)(?: forever| for good| and never come back|" + END + ")",
        r"\b(?:sleep|go to sleep) (?:forever|and not wake up)\b",
        r"\bnothing matters any ?more\b",
        r"\bfeel like (?:dying|i want to die|i am dying inside|i should die)\b",
        r"\b(?:not sure|do not know) (?:if |that |whether )?i (?:want|want to|still want to) (?:live|be alive|be here|go on|"
        r"keep going|keep living)\b",
        r"\b(?:hope|wish) i (?:do not|never|would not|will not) wake up\b",
        r"\b(?:go to sleep|fall asleep|sleep) and (?:never|not) (?:wake up|have to|come back)\b",
        r"\b(?:my|my own) (?:funeral|death|grave)\b",
        r"\b" + SUBJECT + ADVERB + r" (?:hits|hurts|abuses|beats) us\b(?! (?:at|in|by|on|to)\b)",
        r"\b(?:when|after|once) i am (?:dead|gone)\b|\bafter i die\b",
        r"\bif i (?:died|disappeared|was gone|were gone|was dead|were dead|killed myself|was not (?:around|here)|"
        r"were not (?:around|here)|did not wake up)\b",
        r"\b(?:live|living|go on|going on|carry on) like this\b",
        r"\b(?:can not|no way i can|unable to|do not know how to|how can i|how do i) (?:keep|go on|carry on) "
        r"(?:living|going)" + ANYMORE,
        r"\bbetter off (?:dead|without me|if i (?:was|were|am) (?:gone|dead|not here|not around))\b",
        r"\b(?:be|are) (?:better|happier|better off|happier off) without me\b",
        r"\b(?:no|any|what) (?:reason|point) (?:to|in|of) (?:live|living|being alive|be alive|going on|carry on|"
        r"carrying on|life|existing|exist|me being here|waking up)\b",
        r"\bno reason to (?:live|go on|keep going|be here|stay)\b",
        r"\b(?:do not|can not|no longer|not) see (?:the|any) point(?: (?:in|of) (?:anything|living|life|going on|"
        r"it all|trying|being (?:here|alive)|me|existing|carrying on|waking up)|" + ANYMORE + "|" + END + ")",
        r"\bwhat is the point(?: (?:of|in) (?:living|life|anything|going on|it all|trying|being (?:here|alive)|"
        r"existing|me|waking up)|" + ANYMORE + ")",
        r"\b(?:do not|no longer|not|never) want to (?:live|be alive|exist|wake up|keep living|be around)\b"
        r"(?! (?:with|on|there|near|at|abroad|together|alone|somewhere|by|without|next|far|close|in (?!this world|pain|"
        r"fear)))",
        r"\b(?:do not|no longer) want to (?:be here|go on|keep going|carry on)(?:" + ANYMORE + "|" + END + ")",
        r"\b(?:tired|sick|exhausted) of (?:living|life|being alive|existing)\b",
        r"\blife (?:is not|is no longer) worth (?:living|it)\b",
        r"\bnot worth living\b",
        r"\b(?:nobody|no one|no body) (?:would|will|is going to) (?:even )?(?:miss me|care if i (?:died|was gone|were gone|"
        r"disappeared)|notice if i (?:died|was gone|were gone|disappeared))\b",
        r"\b(?:i am|i feel like|feel like i am|i am just|i am such) (?:a |such a |just a )?burden\b",
        r"\b(?:plan|plans|planning|planned) (?:to|my|on) (?:kill|end|suicide|die|dying|death|ending)\b",
        r"\bhow (?:to|do i|can i|would i) (?:kill myself|end my life|overdose|die)\b",
        r"\bhow many (?:pills|tablets)\b",
        r"\b(?:take|took|swallow|swallowed|taking) (?:all|a bunch of|a lot of|loads of|too many|the whole "
        r"(?:bottle|box|pack) of|every one of) (?:my |the |those |these )?(?:pills|tablets|meds|medication|"
        r"sleeping pills|paracetamol)\b",
        r"\boverdos(?:e|ed|es|ing)\b",
        r"\b(?:take|took|taking|swallow|swallowed|swallowing|down|downed) (?:all|a bunch|a lot|loads|a handful|too many|"
        r"the whole|every)\b(?: \S+){0,3} (?:pills|tablets|meds|medication|paracetamol|painkillers)\b",
        r"\b(?:jump|jumping) (?:off|from|in front of) (?:a|the|this|that) (?:bridge|building|roof|cliff|balcony|"
        r"train|window|tower|car|bus)\b",
        r"\b(?:slit|cut|cutting|slash|slashing|scratch|scratching) (?:my|my own) (?:wrists?|arms?|legs?|thighs?|skin)\b",
        r"\b(?:wrote|written|writing|write|left) (?:a|my) (?:suicide|goodbye|farewell) (?:note|letter)\b",
        r"\bgiving away (?:all )?my (?:stuff|things|belongings|possessions)\b",
        r"\b(?:giving|gave|give) (?:all )?my (?:stuff|things|belongings|possessions) away\b",
        r"\b(?:disappear|vanish) (?:forever|for good)\b",
        r"\bcan not (?:go on|carry on|keep going|do this|take (?:it|this|this pain|the pain|much more)|cope|handle "
        r"(?:it|this|life))" + ANYMORE,
        r"\bcan not (?:go on|carry on|keep going)" + END,
        r"\bno way out\b",
        r"\b(?:thinking|thought|think|thoughts) (?:about|of) (?:dying|death|ending it|ending my life|not being (?:here|"
        r"alive|around)|not waking up|hurting myself|disappearing forever)\b",
        r"\b(?:kill|killed|killing|hurt|hurting|harm|harming|cut|cutting) (?:himself|herself|themselves|themself)\b",
        r"\bdo something (?:stupid|drastic) to myself\b",
        r"\bgoing to do something (?:stupid|drastic)" + END,
        r"\bwant (?:it|everything|the pain|it all) to (?:end|stop) (?:forever|for good|permanently)\b",
        r"\b(?:i am|i feel) (?:so |just |completely |totally |really )?(?:done|finished) with (?:life|living|"
        r"everything|it all)\b",
        r"\bnot (?:be|being) (?:here|around|alive) (?:tomorrow|next week|much longer|anymore|any more)\b",
        # families rather than phrases (after held-out round 2): not being alive or around for long,
        # stopping existing, getting a means, a method, feeling done
        r"\b(?:not|never|no longer|can not see myself|do not see myself)(?: [a-z']+){0,3} (?:be |being |still )?alive"
        r"\b(?: [a-z']+){0,2} (?:much longer|for long|next (?:year|month|week)|by (?:then|next)|tomorrow|any ?more|in a "
        r"(?:year|month|week)|at (?:all|the end))",
        r"\b(?:not|never|no longer)(?: [a-z']+){0,3} (?:be|being|still be) (?:around|here) (?:much longer|for long|"
        r"any ?more|any longer)\b",
        r"\b(?:i will|i am going to|i will soon) be gone (?:soon|by|before|forever|for good)\b",
        r"\b(?:stop|stopped|quit|cease) (?:existing|to exist|living|being alive)\b|\bnot (?:want to |wanna )?exist\b",
        r"\b(?:bought|buy|buying|got|get|getting|found|ordered|have|looking for) (?:a |some |the )?(?:rope|noose|gun)\b",
        r"\b(?:drive|driving|drove|crash|crashing|steer|steering) (?:my car |the car )?(?:into|off) (?:a|the) "
        r"(?:wall|tree|bridge|cliff|traffic|lorry|truck|river)\b",
        r"\bstep(?:ping)? (?:out )?in front of (?:a|the) (?:train|bus|car|lorry|truck)\b",
        r"\b(?:until|till) (?:it|they|i) (?:bleed|bleeds|bled|bruise|bruises)\b",
        r"\bfeel like i am (?:so |just |completely )?done" + END,
        r"\bcan not keep pretending (?:i am|everything is|to be) (?:ok|okay|fine|alright|happy)\b",
        r"\bcan not keep pretending" + END,
        # after held-out round 3
        r"\b(?:tonight|today|tomorrow) is the (?:night|day)\b|\bi have (?:made up my mind|decided)" + END,
        r"\b(?:do|doing|deal with|dealing with|face|facing) (?:life|living|anything|it all)" + ANYMORE,
        r"\b(?:use|using|used) (?:it|them|that|a knife|a blade|the knife|the blade|a razor) on myself\b",
        r"\b(?:being|become|becoming) a burden\b|\bburden (?:to|on) (?:everyone|everybody|my|them|you|people|others)\b",
        r"\b(?:walk|walking|walked|swim|swimming|drive|driving|go|going|went) (?:\S+ ){0,4}and (?:not|never) "
        r"(?:coming|come) back\b",
        r"\b(?:walk|walking|swim|swimming) (?:out )?into (?:the )?(?:sea|ocean|river|lake|traffic)\b",
        r"\b(?:can not be bothered|no energy|no will|no desire|no reason|do not want) (?:to )?(?:keep )?(?:living|live|"
        r"being alive|existing)\b",
        r"\b(?:better|easier) (?:for everyone |for everybody |for them )?if i (?:was not (?:here|around|alive|born)|"
        r"were not (?:here|around|alive|born)|was gone|were gone|never (?:woke up|existed|was born)|did not exist)\b",
        r"\bif i (?:never|did not) (?:woke|wake) up\b",
        # after held-out round 4
        r"\b(?:nothing|no one|nobody|not much) (?:left )?to live for\b|\b(?:do not|did not) deserve to (?:live|be alive|"
        r"exist|be here)\b",
        r"\bgiving up on (?:everything|life|living)\b|\beven living\b",
        r"\b(?:hitting|punching|hurting|scratching|biting|starving|burning) myself\b",
        r"\bplanning (?:how|when|where) (?:i would|i will|i am going to|to) do it\b",
        r"\b(?:the world|everyone|nobody|no one|my family) (?:does not|would not|will not) (?:need|want|miss) me\b",
        r"\b(?:fall asleep|sleep|go to sleep) and never wake\b|\bnever wake up again\b",
    ]
)

RISK_ABUSE = _compile(
    [
        r"\b" + SUBJECT + ADVERB + r" (?:hits|hit|beats|beat|punches|punched|kicks|kicked|slaps|slapped|chokes|choked|"
        r"strangles|strangled|burns|burned|burnt|abuses|abused|rapes|raped|molests|molested|assaults|assaulted|"
        r"hurts|attacks|attacked|shoves|shoved|whips|whipped|bites|bit) " + OBJECT + r"\b(?! (?:up\b|at |in |to |by |on |"
        r"off |out\b|with ))",
        # someone at home being hurt in front of the person: "he hits my mum", "she beats my little brother"
        r"\b" + SUBJECT + ADVERB + r" (?:hits|beats|punches|kicks|slaps|chokes|strangles|abuses|hurts) my (?:little |"
        r"baby |younger |older |big )?(?:mum|mom|mother|sister|brother|kids|children|son|daughter|siblings?)\b",
        r"\b(?:beat|beats|beating|beaten) me up\b",
        r"\b(?:hit|hits|hitting|beat|beats|punched|punches|slapped|slaps|kicked|kicks|choked|chokes) me (?:once|again|"
        r"last (?:night|week)|yesterday|today|every|when|because|if|so hard|hard|until|and|with (?:a|his|her|their) "
        r"(?:belt|fist|hand|stick|ruler|shoe))\b",
        r"\b(?:is|are|was|were|been|keeps|keep|kept|started|starts) (?:hitting|beating|hurting|abusing|choking|"
        r"strangling|slapping|punching|kicking|touching|molesting|raping|threatening|attacking|stalking) me\b",
        r"\b(?:i am|i was|i have been|i get|i got|i keep getting|being|been|am being) (?:abused|beaten(?: up)?|hit "
        r"(?!by an? )|raped|molested|assaulted|sexually assaulted|attacked|strangled|choked|trafficked|groomed)",
        r"\bdomestic (?:violence|abuse)\b",
        r"\bsexual(?:ly)? (?:abuse|abused|assault|assaulted)\b",
        r"\b(?:afraid|scared|terrified|frightened) (?:to go home|of going home|of (?:him|her|them|my (?:dad|father|mum|"
        r"mom|mother|stepdad|stepmum|stepmom|partner|husband|wife|boyfriend|girlfriend|uncle|brother|sister|ex)))\b",
        r"\b(?:not|never) (?:feel )?safe (?:at home|in my (?:house|home|own home))\b",
        r"\b(?:threatened|threatens|threatening|threaten) to (?:kill|hurt|hit|beat|stab|shoot) me\b",
        r"\b(?:said|says|told me|threatened) (?:he|she|they) (?:would|will|is going to|was going to) (?:kill|hurt|hit|"
        r"beat) me\b",
        r"\b(?:kill|hurt|hit|beat) me if i (?:tell|told|say|said anything|leave|left|talk)(?: (?:anyone|someone|"
        r"somebody|the police|a teacher|you|mum|mom|dad))?\b",
        r"\b(?:locks|locked|lock) me (?:in|up)\b(?! (?:a )?(?:meeting|call))",
        r"\b(?:touches|touched|touching) me (?:where|when|in (?:ways|places)|inappropriately|at night|and i|without|"
        r"there)\b",
        r"\b(?:makes|made|forces|forced) me (?:to )?(?:have sex|do sexual|touch him|touch her|watch porn)\b",
        r"\bforc(?:es|ed|ing) (?:himself|herself|themselves) on me\b",
        r"\b(?:forced|forces|made|makes|pressured|pressures) me (?:to )?do (?:stuff|things|something) i (?:did not|do "
        r"not) want(?: to)?\b",
        r"\b(?:scared|afraid|terrified|frightened|worried) (?:that )?" + SUBJECT + r" (?:will|is going to|might|would) "
        r"(?:kill|hurt|hit|beat) me\b",
        r"\b(?:threw|throws|throwing|thrown) (?:a |an |the |his |her |my |some )?(?:chair|bottle|glass|plate|knife|shoe|"
        r"phone|things|stuff|a punch|punches|something|cup|mug|remote|book|it) at me\b",
        r"\bhiding from (?:him|her|them|my (?:[a-z]+ )?[a-z]+)\b",
        r"\b(?:grabs|grabbed|grabbing|holds|held|pins|pinned|pushes|pushed|throws|threw|drags|dragged|shakes|shook) me "
        r"(?:by the (?:throat|neck|hair|arm|arms)|down|against (?:the|a) wall|to the (?:floor|ground)|up against|so hard)\b",
        r"\b(?:comes|came|sneaks|sneaked|gets|got|keeps coming) into my (?:room|bed)(?: \S+){0,3} (?:at night|when i am "
        r"(?:asleep|sleeping)|while i (?:sleep|am asleep))\b",
        r"\b" + SUBJECT + r" (?:is|was|has been|keeps) (?:abusive|violent)(?: to me| towards me| with me)?\b",
        r"\b(?:someone|somebody|he|she) (?:is|has been|was) (?:hurting|abusing) me\b",
    ]
)

RISK_HARM_OTHERS = _compile(
    [
        r"\b(?:want|going|about|planning|plan|urge|urges) to (?:kill|hurt|stab|shoot|attack) (?:someone|somebody|people|"
        r"everyone|them all|a lot of people|random people)\b",
        r"\b(?:thoughts|urges|thinking) (?:of|about) (?:hurting|killing|stabbing|shooting) (?:someone|somebody|people|"
        r"others|other people)\b",
        r"\bmight (?:hurt|kill) (?:someone|somebody)\b",
    ]
)

# Everyday readings of risk phrases: removed before the risk rules run (the rest of the message is still read).
RISK_EXCEPTIONS = _compile(
    [
        # accidents: "I hurt myself playing football", "she cut herself shaving"
        r"\b(?:hurt|hurting|cut|cutting|burn|burning|burned|burnt|injure|injured|injuring) (?:myself|himself|herself|"
        r"themselves) (?:while|when|playing|shaving|cooking|chopping|at (?:the )?(?:gym|practice|football|training|work)|"
        r"during|by accident|on (?:the|a) (?:oven|stove|knife|paper|glass|pan|iron))\b",
        r"\baccidentally (?:hurt|cut|burned|burnt|injured) (?:myself|himself|herself)\b",
        # overwork and laughter: "killing myself trying to finish these slides", "nearly killed myself laughing"
        r"\bkill(?:ing|ed)? myself (?:laughing|trying|working|to (?:get|finish|make|meet|learn|prepare|keep)|over (?:this|"
        r"these|that|the|my) (?:presentation|talk|speech|slides|project|essay|exam|work|deadline)|with work)\b",
        # a topic, not a plan: "a talk on suicide prevention", "my speech about domestic violence"
        r"\b(?:a|an|my|the|this|our|their|his|her) (?:speech|talk|presentation|essay|lecture|campaign|workshop|webinar|"
        r"research|article|paper|class|lesson|fundraiser|event|story|podcast|project) (?:about|on|for|raising awareness "
        r"(?:of|about)) (?:suicide|self harm|domestic (?:violence|abuse)|abuse|bullying|sexual assault)"
        r"(?: (?:prevention|awareness|statistics|survivors|support))?\b",
        r"\b(?:suicide|self harm|domestic (?:violence|abuse)|overdose) (?:prevention|awareness|statistics|hotline|charity"
        r"|research|rates?)\b",
        # hyperbole about speaking: "I'd rather die than give this speech", "I wanted to die of embarrassment"
        r"\b(?:rather|prefer to) die than (?:give|do|speak|present|talk|go on stage|stand up|make|sing|read)\b",
        r"\b(?:want|wanted|going) to (?:just )?die (?:of|from) (?:embarrassment|shame|laughter|laughing|boredom|cringe|"
        r"nerves|stress|fright|heat|hunger)\b",
        r"\bdie laughing\b",
    ]
)

# Someone saying they are not at risk ("I'm not suicidal"): noted, and answered as a wellbeing message.
RISK_DENIALS = _compile(
    [
        r"\bnot (?:feeling )?suicidal\b",
        r"\bnever been suicidal\b",
        r"\b(?:would|will) never (?:hurt|harm|kill) myself\b",
        r"\bnot (?:going|planning|about) to (?:hurt|harm|kill) myself\b",
        r"\bno (?:thoughts|intention|intentions|plans?) (?:of|to|about) (?:hurting|harming|killing|ending) "
        r"(?:myself|my life)\b",
        r"\b(?:not|never) (?:thinking|thought) (?:about|of) (?:suicide|killing myself|hurting myself|self harm)\b",
    ]
)

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
        (r"\b(?:hands?|voice|legs|knees|body) (?:keeps? |starts? )?(?P<w>shak(?:e|es|ing)|trembl(?:e|es|ing))\b", "anxious"),
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
            r"listens to me|talks to me|wants to be my friend|wants me around)|no friends|do not have (?:any )?friends|have no friends|need someone to "
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
            r"(?:do not know|not sure) (?:how i feel|how to explain how i feel|how to describe (?:it|how i feel)|what i "
            r"am feeling|what i feel|how i am feeling)|mixed (?:up )?feelings|mixed emotions|confused about (?:my "
            r"feelings|how i feel)|racing thoughts|thoughts (?:are |keep )?racing|mind (?:is |keeps )?racing|restless|"
            r"head is (?:a mess|spinning|full|all over the place)|all over the place|can not switch off|can not stop "
            r"thinking)\b",
            "wordless",
        ),
        (
            r"\b(?P<w>how am i doing|how have i been(?: doing)?|check (?:in )?on (?:myself|me|my (?:mood|wellbeing|mental"
            r" health|week))|check in with (?:myself|me)|self check|wellbeing check|mental health check|am i (?:okay|ok|"
            r"alright)|how is my (?:mood|wellbeing|mental health)|how my week (?:has been|went|was))\b",
            "check_in",
        ),
        (r"\b(?:do|start|try|take|have) (?:a |the |my )?(?:quick )?(?P<w>check in|self check)\b", "check_in"),
        (r"^(?:please )?(?P<w>help(?: me)?|i need (?:some )?help|please help(?: me)?|can (?:you|someone) help me)(?: "
         r"please)?(?: [.!?])*$", "support"),
        (r"\b(?P<w>i need (?:some )?(?:help|support)|i need someone)(?:" + END + ")", "support"),
        (r"\b(?P<w>can we talk|can i talk to you|i (?:want|need) to talk)(?:" + END + ")", "support"),
    ]
]
# Feelings that are fine: "I feel great", "my talk went well". Shared good news is small talk.
POSITIVE = _compile(
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
CLAUSE_BREAK = frozenset([".", "!", "?", ",", ";", ":", "but", "though", "although", "however", "yet"])

# --- Skills, the platform, small talk, memory ---------------------------------------------------
SKILL = re.compile(
    r"\b(?:"
    # speaking and its occasions
    r"speak|speaking|speaker|speakers|spoke|speech|speeches|public speaking|presentations?|presenter|presenting|"
    r"present (?:to|in front|at|my|a|the|our|this|it|them|findings|results|research|ideas?)|(?:i|to|we|you) present\b|"
    r"(?:a|my|the|this|that|your|next|our|his|her|their|first|big|short|long|ted|keynote|lightning|conference|team|"
    r"school|class|whole|entire|good|great|bad|boring) talks?|talking (?:in|to) (?:public|an audience|a (?:crowd"
    r"|group|room|class))|talking points|"
    r"audience|audiences|crowd|listeners|hecklers?|(?:on|the) stage|stage fright|stage presence|podium|lectern|microphone|mic|"
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
    r"concepts)|clarity|concise|engag\w* (?:the|an|my|your) audience|rehears\w*|memori[sz]\w*|warm ?up|diaphragm|exhale|inhale|"
    r"breath|breathe|breathing|nerves|confidence|charisma|silences?|practi[cs](?:e|ed|ing)|mind (?:goes|went) blank|go blank|forget (?:my|the) "
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
    r"you are (?:so |really |very |the )?(?:funny|great|helpful|smart|awesome|useless|stupid|amazing|the best|kind|nice|cool)|"
    r"tell me a joke|say something funny|who (?:made|built|created) you|my name is|call me|nice one|good job|well done|how about you|and you|"
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

# --- The last risk check: death spoken of near the person themselves ------------------------------
# A word about dying within five words of "I", "me", "my" in the same clause ("the thought of dying is
# the only thing that calms me") is treated as risk even when no phrase above matched: new wording
# reaches the crisis response rather than a lesson. Its everyday uses are removed first.
DEATH_WORDS = frozenset(["die", "dying", "death", "suicide", "suicidal", "overdose", "alive", "noose"])
SELF_WORDS = frozenset(["i", "me", "myself", "my", "mine"])
DEATH_IDIOMS = re.compile(
    r"\b(?:dying to|to die for|(?:die|dying|died|dies) (?:of|from|on stage|laughing|inside|out|down|off|away)|(?:feel|felt|feeling|come|"
    r"came|comes|keep|keeps|stay|stays|bring|brings) (?:so |really |more |truly )?alive|alive and well|"
    r"(?:speech|talk|presentation|essay|lecture|eulogy|story|poem|article|podcast) (?:about|on) (?:death|dying|"
    r"grief|loss|suicide)|(?:my|a|the) [a-z]+'s death|death of (?:my|a|the) [a-z]+|near death experience|"
    r"(?:is|was|are|were) (?:dying|dead)|not (?:suicidal|going to die))\b"
)
