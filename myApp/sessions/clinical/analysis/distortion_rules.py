"""The cognitive-distortion rules, all in one place: each a small declared set of regular expressions over
the normal form (``text.normal_form``: lower case, contractions expanded, punctuation as separate tokens:
"i always ruin everything .").

A ``strong`` pattern is wording that is itself the distortion ("i am a complete failure"); a ``weak`` one
is wording that often is and often is not ("i should"). A sentence that matches one of a rule's
``exceptions`` does not count for that rule (the thought is reported as someone's actual words, or as a
past belief); ``DISTANCING`` does the same for every rule. A match with a negator in the three words
before it, in its clause, does not count either ("i do not think everyone hates me").

The patterns are a transparent screen, not a diagnosis: they name wording a clinician may want to look at,
and every insight they raise is a draft the clinician approves or rejects.
"""

import re
from dataclasses import dataclass

STRONG = 0.6  # how much one sentence with a strong pattern counts towards an insight's confidence
WEAK = 0.35

# Who the thought is about, when it is someone else: a pronoun, "people", or someone named by "my ...".
OTHERS = r"(?:they|he|she|everyone|everybody|people|all of them|my (?:[a-z]+ )?[a-z]+|the others|my family)"
NEGATIVE_SELF = (
    r"(?:failure|loser|idiot|moron|disappointment|disgrace|joke|fraud|waste of space|worthless|useless|pathetic|"
    r"stupid|hopeless|unlovable|broken|weak|coward|bad person|terrible person|awful person|horrible person|"
    r"bad mother|bad father|bad parent|bad friend|mess|wreck|nobody|nothing|incompetent|unlikeable|failure at)"
)
PLACE = r"(?: (?:in|at|on) (?:(?:the|my|this|that) )?[a-z]+)?"  # "everyone in the room", "people at work"
BAD_OUTCOME = r"(?:disaster|catastrophe|catastrophic|the end|a nightmare|unbearable|horrible|awful|terrible|hell)"

# A sentence that reports the thought as past or as someone's actual words is not the distortion now.
DISTANCING = [
    re.compile(r"\b(?:i|we) used to (?:think|believe|feel|tell myself)\b"),
    re.compile(r"\b(?:no longer|do not any more|do not anymore) (?:think|believe|feel)\b"),
]


def _compile(patterns: list[str]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(pattern) for pattern in patterns)


@dataclass(frozen=True)
class Rule:
    key: str
    title: str
    description: str
    therapeutic_method: str
    recommendations: tuple[str, ...]
    strong: tuple[re.Pattern, ...]
    weak: tuple[re.Pattern, ...] = ()
    exceptions: tuple[re.Pattern, ...] = ()


RULES = (
    Rule(
        key="all_or_nothing",
        title="All-or-nothing thinking",
        description="Experiences are described in absolute terms: total success or total failure, with nothing "
        "in between.",
        therapeutic_method="CBT: cognitive restructuring (continuum technique)",
        recommendations=(
            "Place the event on a 0-100 continuum together with the client instead of pass/fail.",
            "Look for partial successes in the evidence sentences.",
        ),
        strong=_compile(
            [
                r"\b(?:complete|total|utter|absolute|a complete|a total|an utter|an absolute) (?:failure|disaster|"
                r"waste|mess|loser|idiot)\b",
                r"\b(?:if|unless) (?:it is|i am|i am not|it is not|that is not|they are not) (?:not )?(?:perfect|"
                r"100 percent|the best)\b",
                r"\b(?:perfect|all|everything) or (?:nothing|a failure|worthless|useless|i have failed)\b",
                r"\b(?:everything|it all|the whole (?:thing|day|week|evening)|all of it) (?:is|was|went|goes|got) "
                r"(?:completely |totally |just )?(?:ruined|wrong|pointless|a disaster|a failure|a waste|bad|"
                r"terrible|wasted)\b",
                r"\b(?:ruined|wrecked|spoiled|messed up|failed at) (?:everything|it all|the whole thing)\b",
                r"\b(?:i|it|that) (?:completely|totally|utterly) (?:failed|ruined|blew it|messed up|wasted)\b",
                r"\b(?:nothing|not one thing|not a single thing) (?:i do |i did )?(?:is|was|ever) (?:good enough|"
                r"right|ok|okay)\b",
                r"\b(?:any|one) (?:mistake|error|slip) (?:means|meant|and) (?:i am|i have|it is|everything)\b",
            ]
        ),
        weak=_compile([r"\b(?:completely|totally) (?:useless|worthless|hopeless|pointless)\b"]),
    ),
    Rule(
        key="catastrophising",
        title="Catastrophising",
        description="The worst outcome is predicted as certain or unbearable.",
        therapeutic_method="CBT: decatastrophising (worst / best / most likely outcome)",
        recommendations=(
            "Ask for the worst, best and most likely outcome, and how the client would cope with each.",
            "Estimate the probability of the feared outcome from past experience.",
        ),
        strong=_compile(
            [
                r"\b(?:it|this|that|everything|the day|the meeting|the talk|tomorrow) (?:will|would|is going to) be "
                r"(?:a |an |absolutely |completely )?" + BAD_OUTCOME + r"\b",
                r"\b(?:the )?worst (?:possible |thing |case )?(?:will|is going to|is bound to) happen\b",
                r"\bsomething (?:terrible|awful|bad|horrible|dreadful) (?:will|is going to|is bound to) happen\b",
                r"\b(?:my (?:whole |entire )?(?:life|career|marriage|future)|everything|it all) "
                r"(?:will be|is|would be) (?:over|ruined|destroyed|finished)\b",
                r"\b(?:i will|i would|i am going to) (?:never|not) (?:recover|get over it|survive|cope)\b",
                r"\b(?:can not|could not) (?:cope|survive|handle it|bear it) if\b",
                r"\b(?:i will|i am going to|i am bound to) (?:lose everything|be fired|get fired|lose my job|end up "
                r"(?:alone|homeless|on the street|with nothing))\b",
                r"\b(?:everything|it all|my life) (?:is|will be|is going to be) falling apart\b",
                r"\bend of the world\b",
                r"\bwhat if\b[^.!?]{0,60}\b(?:die|dies|dying|fired|lose|lost|collapse|falls apart|fall apart|"
                r"never|worst|disaster|alone|ruin|ruined)\b",
            ]
        ),
        exceptions=_compile([r"\bit is not the end of the world\b"]),
    ),
    Rule(
        key="should_statements",
        title="Should statements",
        description="Rigid rules about how the client or others must behave, with guilt or anger when they are "
        "not met.",
        therapeutic_method="CBT: examining rules and assumptions (flexible preferences)",
        recommendations=(
            "Rephrase the rule as a preference ('I would like to ...') and notice the change in feeling.",
            "Ask where the rule came from and what it costs the client to keep it.",
        ),
        strong=_compile(
            [
                r"\bi (?:should|must|ought to) (?:always|never|not (?:feel|be|need|have|cry|make)|be (?:able|better|"
                r"stronger|over|coping|fine|perfect|happier|happy|grateful))\b",
                r"\bi (?:should|must|ought to) have (?:known|done|been|seen|stopped|noticed|said)\b",
                r"\b(?:should|must|ought to) (?:have )?(?:known|been|done) better\b",
                r"\bi (?:have to|must|need to) be perfect\b",
                r"\b" + OTHERS + r" (?:should|ought to|must) (?:always|never|know|understand|realise|realize)\b",
                r"\b(?:people|they|he|she) (?:should not|must not) (?:treat|talk to|speak to|ignore|leave) me\b",
            ]
        ),
        weak=_compile([r"\bi (?:really )?(?:should|must|ought to)\b(?! (?:go|call|book|ask|check|try|mention))"]),
    ),
    Rule(
        key="mind_reading",
        title="Mind reading",
        description="The client is sure they know what others think of them, without evidence.",
        therapeutic_method="CBT: examining the evidence (behavioural experiment)",
        recommendations=(
            "Ask what the evidence is for and against what the others are thought to think.",
            "Plan a behavioural experiment: check the belief with one of the people involved.",
        ),
        strong=_compile(
            [
                r"\b" + OTHERS + PLACE + r" (?:all |probably |must |definitely |obviously )?(?:think|thinks|thought|"
                r"believe|"
                r"believes|see|sees|saw) (?:that )?i (?:am|was|look|looked|sound|sounded)\b",
                r"\b(?:i know|i can tell|i could tell|i just know|i am sure|i am certain) (?:that )?"
                + OTHERS
                + r" (?:think|thinks|thought|hate|hates|dislike|dislikes|are judging|is judging|judge|judges|do not "
                r"like|does not like|are laughing|is laughing|were laughing|was laughing|want|wants)\b",
                r"\b" + OTHERS + r" (?:was|were|are|is) (?:all )?(?:judging|laughing at|staring at|talking about) me\b",
                r"\b" + OTHERS + r" (?:must|probably) (?:hate|dislike|despise|be judging|be laughing at) me\b",
            ]
        ),
        exceptions=_compile([r"\b(?:told me|said to me|said that|says that|wrote|texted me|asked me)\b"]),
    ),
    Rule(
        key="labelling",
        title="Labelling",
        description="A global, fixed label is put on the self (or another person) instead of describing a behaviour.",
        therapeutic_method="CBT: cognitive restructuring (defining the label, behaviour not identity)",
        recommendations=(
            "Ask the client to define the label and test it against their week's behaviour.",
            "Replace the label with a description of the specific behaviour.",
        ),
        strong=_compile(
            [
                r"\bi am (?:such |just |only |really |so |basically )?(?:a |an )?(?:complete |total |absolute |utter |"
                r"useless |stupid |pathetic |)?" + NEGATIVE_SELF + r"\b",
                r"\bwhat (?:a|an) (?:idiot|loser|failure|moron|joke) i am\b",
                r"\b(?:he|she|my (?:[a-z]+ )?[a-z]+) (?:is|was) (?:such |just |a |an |complete |total |absolute )*"
                r"(?:idiot|jerk|loser|monster|failure|selfish pig|narcissist|psycho|waste of space)\b",
            ]
        ),
        exceptions=_compile([r"\bi am (?:a |an )?(?:mess|wreck) (?:today|this week|at the moment|right now)\b"]),
    ),
    Rule(
        key="overgeneralisation",
        title="Overgeneralisation",
        description="One negative event is taken as a never-ending pattern ('always', 'never', 'every time', "
        "'nobody').",
        therapeutic_method="CBT: examining the evidence (counting exceptions)",
        recommendations=(
            "Ask for one exception to the 'always' or 'never' in the evidence sentences.",
            "Keep a week's log of times the pattern did not happen.",
        ),
        strong=_compile(
            [
                r"\bi (?:always|never|keep) (?:\w+ ){0,2}(?:fail|failing|mess|messing|ruin|ruining|screw|get it wrong|"
                r"get things wrong|say the wrong|make mistakes|get anything right|do anything right|get rejected|"
                r"let (?:\w+ )?(?:people |everyone |everybody )?down|end up alone|lose)\b",
                r"\b(?:this|it|that|bad things|stuff like this|things like this) (?:always|keeps|keep) happen(?:s|ing)?"
                r" to me\b",
                r"\b(?:every|each) (?:single )?time (?:i|something)\b[^.!?]{0,50}\b(?:goes wrong|go wrong|fail|fails|"
                r"mess|ruin|wrong|rejected|disaster|badly)\b",
                r"\b(?:nobody|no one|no body) (?:ever |really )?(?:likes|loves|listens to|cares about|wants|"
                r"understands|calls|helps|believes|notices) me\b",
                r"\b(?:everyone|everybody|people) (?:always )?(?:leaves|leave|abandons|abandon|lets me down|"
                r"let me down|hates me|hate me|rejects me|reject me|ignores me|ignore me|uses me|use me)\b",
                r"\bnothing (?:ever )?(?:works out|goes right|go right|changes|gets better|works) for me\b",
                r"\bi will never (?:be able to|get|find|have|be) (?:anything|anyone|a job|a partner|better|it right|"
                r"friends|happy|good enough|loved)\b",
            ]
        ),
    ),
)
RULES_BY_KEY = {rule.key: rule for rule in RULES}
