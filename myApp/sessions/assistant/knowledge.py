"""What the platform knows about a question, for either backend: the best knowledge blocks and courses
(curriculum full-text search), the ``sources`` a reply cites, the local answer built from them in whole
sentences, and the bounded context a model server is given."""

import re
from dataclasses import dataclass

from myApp.curriculum.models import Course, KnowledgeBlock
from myApp.curriculum.search import query_words
from myApp.curriculum.selectors import course_search, knowledge_block_search
from myApp.sessions.assistant.text import first_sentences, sentences

BLOCKS = 3
COURSES = 2
SNIPPET_CHARS = 220
# The local answer: the best block's summary and its most relevant sentences, then related titles.
ANSWER_CHARS = 900
MAX_ANSWER_CHARS = ANSWER_CHARS + 250  # with the "See also" line
SUMMARY_CHARS = 320
_WORDS = re.compile(r"[^\W_]+")


@dataclass
class Knowledge:
    query: str
    blocks: list[KnowledgeBlock]
    courses: list[Course]

    def __bool__(self) -> bool:
        return bool(self.blocks or self.courses)


def knowledge_for(message: str) -> Knowledge:
    return Knowledge(message, knowledge_block_search(message, limit=BLOCKS), course_search(message, limit=COURSES))


def block_source(block: KnowledgeBlock) -> dict:
    return {
        "type": "knowledge_block",
        "id": block.pk,
        "title": block.title,
        "snippet": first_sentences(block.summary or block.body, SNIPPET_CHARS),
        "rank": round(float(block.rank), 4),
    }


def course_source(course: Course) -> dict:
    return {
        "type": "course",
        "id": course.pk,
        "title": course.title,
        "snippet": first_sentences(course.description, SNIPPET_CHARS),
        "rank": round(float(course.rank), 4),
    }


def sources_of(knowledge: Knowledge) -> list[dict]:
    return [block_source(b) for b in knowledge.blocks] + [course_source(c) for c in knowledge.courses]


def confidence(sources: list[dict]) -> float:
    """Map the best search rank (ts_rank on PostgreSQL, matched-word share elsewhere) to 0.3-0.95."""
    rank = max((source["rank"] for source in sources), default=0.0)
    return round(min(0.95, 0.3 + 0.65 * (rank / (rank + 0.1))), 2)


def _stems(text: str) -> set[str]:
    return {word.lower()[:5] for word in _WORDS.findall(text) if len(word) > 2}


def relevant_sentences(text: str, query: str, budget: int) -> str:
    """The sentences of ``text`` that share most words with ``query``, in their original order, whole,
    within ``budget`` characters (the opening sentences when none shares a word)."""
    wanted = {word[:5] for word in query_words(query)}
    candidates = sentences(text)
    scored = sorted(
        ((len(wanted & _stems(sentence)), index) for index, sentence in enumerate(candidates)),
        key=lambda pair: (-pair[0], pair[1]),
    )
    chosen: list[int] = []
    used = 0
    for score, index in scored:
        if score == 0:
            break
        length = len(candidates[index]) + 1
        if used + length <= budget:
            chosen.append(index)
            used += length
    if not chosen:
        return first_sentences(text, budget) if text.strip() else ""
    return " ".join(candidates[index] for index in sorted(chosen))


def _course_line(course: Course) -> str:
    return f"{course.title} ({course.level}, {course.country or 'online'})"


def local_answer(knowledge: Knowledge) -> str:
    """A bounded answer in whole sentences: the best block's summary, the body sentences that fit the
    question, then the titles of the other blocks and courses that cover it."""
    if not knowledge.blocks:
        return "These courses cover it: " + "; ".join(map(_course_line, knowledge.courses)) + "."
    top, others = knowledge.blocks[0], knowledge.blocks[1:]
    summary = first_sentences(top.summary, SUMMARY_CHARS) if top.summary else ""
    answer = f"{top.title}: {summary}".rstrip() if summary else f"{top.title}:"
    body = relevant_sentences(top.body, knowledge.query, ANSWER_CHARS - len(answer) - 1)
    if body and body not in answer:
        answer = f"{answer}\n\n{body}" if summary else f"{answer} {body}"
    further = [f"“{block.title}”" for block in others] + [_course_line(course) for course in knowledge.courses]
    if further:
        line = "See also: " + "; ".join(further) + "."
        if len(answer) + len(line) + 2 <= MAX_ANSWER_CHARS:
            answer = f"{answer}\n\n{line}"
    return answer


def model_context(knowledge: Knowledge, budget: int) -> tuple[str, list[dict]]:
    """The lessons and courses a model server is given, within ``budget`` characters, and the sources
    that made it in (best first; a block's body is cut at a sentence to fit, never mid-sentence)."""
    parts: list[str] = []
    sources: list[dict] = []
    used = 0
    for block in knowledge.blocks:
        head = (
            f"[{len(parts) + 1}] Lesson notes: {block.title}\n{first_sentences(block.summary, SUMMARY_CHARS)}".rstrip()
        )
        room = budget - used - len(head) - 2
        if room < 0:
            break
        body = relevant_sentences(block.body, knowledge.query, room) if room > 40 else ""
        part = f"{head}\n{body}".rstrip()
        parts.append(part)
        sources.append(block_source(block))
        used += len(part) + 2
    for course in knowledge.courses:
        part = f"[{len(parts) + 1}] Course: {_course_line(course)}: {first_sentences(course.description, 300)}"
        if used + len(part) + 2 > budget:
            break
        parts.append(part)
        sources.append(course_source(course))
        used += len(part) + 2
    return "\n\n".join(parts), sources
