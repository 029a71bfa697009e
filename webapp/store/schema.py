"""The tables, every one of them, on one `metadata`.

The schema itself is made and changed by Alembic (`webapp/migrations/`); these Table
objects are what the code reads and writes through. A new table or column goes here *and*
in a new migration: see docs/many-machines.md. `tests/store/test_schema.py` checks that
the migrations make exactly these tables (the full-text index aside, `webapp.store.fulltext`).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = ["edit_history", "jobs", "login_failures", "media_claims", "metadata", "recordings",
           "sentence_redirects", "sentences", "set_aside", "users"]

metadata = MetaData()

recordings = Table(
    "recordings",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("language", String(16), nullable=False),
    Column("transcript", Text, nullable=False),  # exactly as given
    Column("audio_name", String(80), nullable=False),  # <sha256>.<ext> under media/
    Column("audio_sha256", String(64), nullable=False),
    Column("rendition_name", String(80), nullable=False),  # the seek-safe copy the page plays
    Column("duration_ms", Integer, nullable=False, default=0),
    Column("note", Text, nullable=False, default=""),  # shown on the page, e.g. "synthesised"
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("aligned_at", DateTime(timezone=True)),
    # the aligner's warnings about its result (SyncMap.warnings), one per line
    Column("warnings", Text, nullable=False, default="", server_default=""),
    # speech the transcript does not hold (SyncMap.untranscribed), JSON [[begin, end] ms]
    Column("untranscribed", Text, nullable=False, default="", server_default=""),
    # the page the transcript and audio were fetched from (import-url), credited on the page
    Column("source_url", Text, nullable=True),
    # no status here: a recording's status is its latest job's (webapp.store.recordings)
)

sentences = Table(
    "sentences",
    metadata,
    Column("recording_id", ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("sid", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("speaker", Text),
    Column("begin_ms", Integer, nullable=False),
    Column("end_ms", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("aligned", Boolean, nullable=False),
    Column("paragraph", Integer, nullable=False),
    # its words' times (webapp.words.stored: compact JSON; "" when it has none)
    Column("words", Text, nullable=False, default="", server_default=""),
    Index("ix_sentences_sid", "recording_id", "sid"),
)

set_aside = Table(
    "set_aside",
    metadata,
    Column("recording_id", ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True),
    Column("ordinal", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("after", Integer, nullable=False),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("recording_id", ForeignKey("recordings.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(16), nullable=False),  # queued, running, done, failed
    Column("stage", String(32), nullable=False, default=""),
    Column("percent", Float, nullable=False, default=0.0),
    Column("error", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # the lease: which worker runs it (one name per claim) and until when; renewed while
    # it runs, taken back by any worker once it has run out (webapp.store.jobs)
    Column("worker", String(128), nullable=True),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    # results written by this job (0 or 1): the proof that none is written twice
    Column("saves", Integer, nullable=False, default=0, server_default="0"),
    Index("ix_jobs_recording", "recording_id"),
    Index("ix_jobs_status", "status"),
)

# A media file an import is writing, named before it is written: the file is in use from
# the claim until the claim is dropped, so no other import's cleanup can take it away
# in between. An import that is killed leaves its claim; `webapp.litter` drops claims
# older than an hour (the file then goes only if no recording plays it).
media_claims = Table(
    "media_claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False),  # <sha256>.<ext> under media/
    Column("token", String(64), nullable=False),  # the import that holds it
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_media_claims_name", "name"),
    Index("ix_media_claims_token", "token"),
)

# -- editing (webapp.history): every change to a recording's sentences, and the ids an edit
# gave up (migration 0004)

edit_history = Table(
    "edit_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("recording_id", ForeignKey("recordings.id", ondelete="CASCADE"), nullable=False),
    # text, speaker, rename, timing, undo
    Column("kind", String(16), nullable=False),
    Column("editor", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("summary", Text, nullable=False),
    # the sentence rows the change touched, as JSON lists of ROW_FIELDS dicts
    # (webapp.store.edits)
    Column("before", Text, nullable=False),
    Column("after", Text, nullable=False),
    Column("undoes", Integer, nullable=True),  # the change this one undid
    Column("undone_by", Integer, nullable=True),  # the change that undid this one
    Index("ix_edit_history_recording", "recording_id", "id"),
)

# an edited sentence's former id, leading to its id now (one hop, never a chain)
sentence_redirects = Table(
    "sentence_redirects",
    metadata,
    Column("recording_id", ForeignKey("recordings.id", ondelete="CASCADE"),
           primary_key=True),
    Column("old_sid", String(32), primary_key=True),
    Column("new_sid", String(32), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# -- who may edit (webapp.store.users, webapp.store.logins): migrations 0003 and 0005

users = Table(
    "users",
    metadata,
    Column("name", String(64), primary_key=True),
    # salted scrypt (webapp.auth.hash_password), never the password
    Column("password_hash", String(255), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # moved on by a logout or a new password: sessions made under an older one end
    Column("session_version", Integer, nullable=False, server_default="0"),
)

# failed logins per editor name and per client address (keys are hashes), and the wait
# they earned; rows of the store, so every process on one database shares them
login_failures = Table(
    "login_failures",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failure", Float, nullable=False),
    Column("blocked_until", Float, nullable=False),
)
