"""The exceptions tdi raises; the CLI turns every `TdiError` into a one-line message.

Example
-------
>>> issubclass(QueryNotFound, LookupError)
True
"""


class TdiError(Exception):
    """Base of every error that is the user's to fix (bad input, missing database…)."""


class ConnectionFailed(TdiError):
    """The graph database cannot be opened or reached."""


class DatabaseLocked(ConnectionFailed):
    """The embedded database is open for writing in another process."""


class SchemaError(TdiError):
    """An unknown kind, relationship type or property, or a relationship between kinds the schema does not allow."""


class PeriodConflict(SchemaError):
    """A node or relationship whose period would end before it starts once merged with what the graph holds;
    ``item`` is (label, key) for a node, (type, from label, from key, to label, to key) for a relationship."""

    def __init__(self, message: str, item: tuple[str, ...]) -> None:
        super().__init__(message)
        self.item = item


class InvalidKey(SchemaError, ValueError):
    """A key that does not have its kind's format (SIREN, INSEE code, slug…)."""


class ActorNotFound(TdiError, LookupError):
    """No actor has that id, or a name matches none or several."""


class LoaderError(TdiError):
    """A file that cannot be loaded; the message names the file, line and field."""


class QueryNotFound(TdiError, LookupError):
    """No named query has that name."""


class QueryParameterError(TdiError, ValueError):
    """A named query's parameter is missing, unknown or of the wrong type."""


class QueryFailed(TdiError):
    """The database rejected a Cypher statement."""


class ReadOnlyViolation(QueryFailed):
    """A statement tried to write through a read-only command."""


class InvalidName(TdiError, ValueError):
    """A name given to look an actor up is empty or too long to be a name."""


class WriteFailed(TdiError):
    """A write could not be completed (disk full, engine failure); the previous graph was kept."""


class PoolFull(WriteFailed):
    """The embedded engine's page memory (buffer pool) was too small for a write; none of it was kept."""


class InvalidGraph(TdiError):
    """A file given as a graph (a backup to restore) is not one the engine can open, or not a tdi graph."""


class Discard(Exception):
    """Raised inside a transaction to drop its writes on purpose (a dry run); it never reaches the user."""
