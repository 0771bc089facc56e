"""The text behind ``seed_data.py module_a_sample``: Level 1 of the public-speaking curriculum.

Plain data only (dicts and lists), written for this project; ``myApp.curriculum.seeds``
loads it. Split by domain so each file stays readable:

- ``lessons``: the level, its four modules and their step-by-step lessons;
- ``knowledge``: the knowledge blocks the lessons and the assistant draw on;
- ``world``: districts, venues with their task sheets, and the course catalogue.
"""

from myApp.curriculum.seed_content.knowledge import KNOWLEDGE_BLOCKS
from myApp.curriculum.seed_content.lessons import LEVEL, MODULES
from myApp.curriculum.seed_content.world import COURSES, DISTRICTS

__all__ = ["COURSES", "DISTRICTS", "KNOWLEDGE_BLOCKS", "LEVEL", "MODULES"]
