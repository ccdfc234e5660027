"""The escalation engine: runs a chain's snapshot step by step (see engine.py)."""
