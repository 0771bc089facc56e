"""Shared building blocks: abstract models, API base classes, errors, seeding."""
