"""Domain functions of the hændelseslog: each one transaction, each change on the timeline."""


class IncidentError(Exception):
    """A change that is not allowed (e.g. a transition the state machine does not have)."""
