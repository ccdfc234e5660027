"""Domain functions of the shared core: each change in one transaction, with its timeline event."""
