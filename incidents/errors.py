"""One root error for the incident domain, with small documented subclasses."""


class IncidentError(Exception):
    """Root of every error the incident domain raises."""


class InvalidEvent(IncidentError):
    """A security event does not match the event schema; the message says which field and why."""


class IncidentNotFound(IncidentError):
    """No incident has the given id."""


class ConcurrentUpdate(IncidentError):
    """The incident changed since it was read (version check failed); reload and retry."""
