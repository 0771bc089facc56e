"""Conversation and therapy-session models arrive with their issues."""
