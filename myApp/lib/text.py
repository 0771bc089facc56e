"""Characters that make stored text read differently from what it says, shared by every app that checks text."""

# Unicode's explicit direction controls (embeddings, overrides, isolates): "\u202e" shows the rest of a line
# backwards, so a quest title or a transcript sentence can read as something else than it says ("Trojan Source").
# Right-to-left text needs none of them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
