"""Account pages: sign-up, log-in, onboarding and home (``users``), and the Family links page (``family``)."""
