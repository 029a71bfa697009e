"""The store: every read and write of the program's data, on SQLite or PostgreSQL.

SQLAlchemy 2 Core, one store for both databases; what differs between them (full-text
search) lives in `webapp.store.fulltext`, and schema changes go through Alembic
(`webapp.store.migrations`). Times are integer milliseconds, as everywhere inside the
program. One module per part:

    schema       the tables, on one `metadata`
    database     the engine, the schema brought up to date, the lock around that
    recordings   recording rows; their status, which is their latest job's
    claims       media files claimed by imports, removed only when nothing uses them
    alignments   sentences and set-aside blocks (the sync map), and search
    fulltext     the search index and its queries: the one place that knows each
                 database's search dialect
    edits        editors' writes to sentences, their history and the ids they gave up
                 (the rules are webapp.history's)
    jobs         alignment jobs, their progress and their workers' leases
    users        the editors (`Users`)
    logins       failed logins' counts (`LoginFailureCounts`; the rules are
                 webapp.logins's)
    transfer     a library copied to another database, or to and from a backup folder

`Store` is the data's parts over one engine; `Users` and `LoginFailureCounts` are made
over the same engine (`Store.engine`) by `webapp.auth`. No module outside this package
imports SQLAlchemy (an import-linter contract checks it).
"""

from __future__ import annotations

from webapp.store.alignments import AlignmentStore
from webapp.store.claims import ClaimStore
from webapp.store.edits import EditStore
from webapp.store.jobs import Job, JobStore
from webapp.store.recordings import (
    Recording,
    RecordingInfo,
    RecordingStore,
    RecordingSummary,
    new_recording_id,
    slug,
)
from webapp.store.schema import metadata

__all__ = ["Job", "Recording", "RecordingInfo", "RecordingSummary", "Store", "metadata",
           "new_recording_id", "slug"]


class Store(RecordingStore, ClaimStore, AlignmentStore, JobStore, EditStore):
    """All reads and writes of the program's data go through here."""
