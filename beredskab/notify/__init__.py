"""Notifications: the outbox, the SMS and e-mail channels, pacing and the workers."""
