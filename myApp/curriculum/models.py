"""Curriculum models arrive with the curriculum issue."""
