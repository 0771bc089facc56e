"""Quest pages."""
