"""The curriculum admin: every model registered, one module per domain (content, world, learner state).

Importing the modules registers their ModelAdmins with the default admin site.
"""

from myApp.curriculum.admin import content, learner, recordings, reviews, world

__all__ = ["content", "learner", "recordings", "reviews", "world"]
