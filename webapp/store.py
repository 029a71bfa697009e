"""The store: recordings, their sentences and set-aside blocks, and alignment jobs.

SQLAlchemy 2 Core, so the same code runs on SQLite now and PostgreSQL later; what
differs between the two (full-text search) lives in `webapp.fulltext`. Times are integer
milliseconds, as everywhere inside the program.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)

from alignment.syncmap import Sentence, SetAside, SyncMap
from webapp import fulltext

__all__ = ["Job", "Recording", "RecordingInfo", "RecordingSummary", "Store", "metadata"]

metadata = MetaData()

recordings = Table(
    "recordings",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("language", String(16), nullable=False),
    # queued -> aligning -> ready, or failed (inputs kept; a new job retries)
    Column("status", String(16), nullable=False),
    Column("transcript", Text, nullable=False),  # exactly as given
    Column("audio_name", String(80), nullable=False),  # <sha256>.<ext> under media/
    Column("audio_sha256", String(64), nullable=False),
    Column("rendition_name", String(80), nullable=False),  # the seek-safe copy the page plays
    Column("duration_ms", Integer, nullable=False, default=0),
    Column("note", Text, nullable=False, default=""),  # shown on the page, e.g. "synthesised"
    Column("error", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("aligned_at", DateTime(timezone=True)),
    # the aligner's warnings about its result (SyncMap.warnings), one per line
    Column("warnings", Text, nullable=False, default="", server_default=""),
    # the page the transcript and audio were fetched from (import-url), credited on the page
    Column("source_url", Text, nullable=True),
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
    Index("ix_jobs_recording", "recording_id"),
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


@dataclass(frozen=True)
class RecordingInfo:
    """A recording row but its transcript: where its media are and how far it got.

    What the library and the status poll need; the transcript can be long and is read
    only where it is used (`Recording`).
    """

    id: str
    title: str
    language: str
    status: str
    audio_name: str
    audio_sha256: str
    rendition_name: str
    duration_ms: int
    note: str
    error: str
    created_at: datetime
    aligned_at: datetime | None
    warnings: str  # the aligner's, one per line
    source_url: str | None  # the page it was fetched from, if it was

    @property
    def warning_list(self) -> tuple[str, ...]:
        """The aligner's warnings about the stored alignment."""
        return tuple(w for w in self.warnings.splitlines() if w)


@dataclass(frozen=True)
class Recording(RecordingInfo):
    """A whole recording row: the above and the transcript exactly as given."""

    transcript: str


#: the columns of a RecordingInfo: every one but the transcript
_INFO_COLUMNS = tuple(c for c in recordings.c if c.name != "transcript")


@dataclass(frozen=True)
class RecordingSummary:
    """What the library lists for a recording."""

    recording: RecordingInfo
    sentence_count: int
    speakers: tuple[str, ...]


@dataclass(frozen=True)
class Job:
    """One alignment attempt and how far it got."""

    id: int
    recording_id: str
    status: str
    stage: str
    percent: float
    error: str
    created_at: datetime
    updated_at: datetime


def _now() -> datetime:
    return datetime.now(UTC)


def _sentence(row) -> Sentence:  # type: ignore[no-untyped-def]
    """A row of the sentences table as a Sentence."""
    return Sentence(
        index=row["idx"], text=row["text"], speaker=row["speaker"], begin=row["begin_ms"],
        end=row["end_ms"], confidence=row["confidence"], aligned=row["aligned"],
        paragraph=row["paragraph"], id=row["sid"],
    )


def slug(title: str, length: int = 40) -> str:
    """Lower-case ASCII words joined by hyphens, for readable recording ids."""
    decomposed = unicodedata.normalize("NFKD", title)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    out = ""
    for word in re.findall(r"[a-z0-9]+", folded.lower()):  # anything else separates words
        if out and len(out) + 1 + len(word) > length:
            break
        out = f"{out}-{word}" if out else word[:length]
    return out or "recording"


def new_recording_id(title: str) -> str:
    """A readable, unguessable-enough id: the title's slug and five random characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return slug(title) + "-" + "".join(secrets.choice(alphabet) for _ in range(5))


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - driver hook
    cur = dbapi_conn.cursor()
    # the wait first: switching a new database to WAL takes a lock another process may hold
    cur.execute("PRAGMA busy_timeout = 10000")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.close()


class _Superseded(Exception):
    """Rolls back a save whose job is no longer the recording's latest."""


class Store:
    """All reads and writes of the program's data go through here."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)

    def create_all(self) -> None:
        """Create the tables and the search index where missing.

        Safe when several processes open a new data folder at once (ten first imports):
        each checks and creates under one lock, so none finds a table half made by
        another ("table recordings already exists").
        """
        with self._schema_lock():
            self._create_all()

    @contextmanager
    def _schema_lock(self) -> Iterator[None]:
        """An exclusive lock on `<database>.lock` beside an SQLite file (flock: released
        by the kernel even when the holder is killed); nothing for other databases."""
        database = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not database or database == ":memory:":
            yield
            return
        import fcntl

        with open(f"{database}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _create_all(self) -> None:
        metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            fulltext.create(conn)
            # a data folder made before the column existed gains it, keeping its rows
            have = {c["name"] for c in inspect(conn).get_columns("recordings")}
            if "warnings" not in have:
                conn.execute(text("ALTER TABLE recordings ADD COLUMN warnings TEXT "
                                  "NOT NULL DEFAULT ''"))
            if "source_url" not in have:
                conn.execute(text("ALTER TABLE recordings ADD COLUMN source_url TEXT"))

    def dispose(self) -> None:
        """Close pooled connections (tests, forks)."""
        self.engine.dispose()

    # -- recordings ------------------------------------------------------------------

    def add_recording(
        self,
        *,
        title: str,
        language: str,
        transcript: str,
        audio_name: str,
        audio_sha256: str,
        rendition_name: str,
        duration_ms: int,
        note: str = "",
        source_url: str | None = None,
    ) -> str:
        """Store a new recording (status queued) and return its id."""
        rid = new_recording_id(title)
        with self.engine.begin() as conn:
            conn.execute(
                insert(recordings).values(
                    id=rid, title=title, language=language, status="queued",
                    transcript=transcript, audio_name=audio_name, audio_sha256=audio_sha256,
                    rendition_name=rendition_name, duration_ms=duration_ms, note=note,
                    error="", created_at=_now(), aligned_at=None, source_url=source_url,
                )
            )
        return rid

    def get_recording(self, recording_id: str) -> Recording | None:
        """The recording with this id, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(recordings).where(recordings.c.id == recording_id)
            ).mappings().first()
        return Recording(**row) if row else None

    def get_recording_info(self, recording_id: str) -> RecordingInfo | None:
        """The recording with this id without its transcript, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(*_INFO_COLUMNS).where(recordings.c.id == recording_id)
            ).mappings().first()
        return RecordingInfo(**row) if row else None

    def find_recordings(self, *, audio_sha256: str, title: str) -> list[Recording]:
        """Recordings of this audio under this title (the demo imports only once)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(recordings).where(
                    recordings.c.audio_sha256 == audio_sha256, recordings.c.title == title
                ).order_by(recordings.c.created_at)
            ).mappings().all()
        return [Recording(**r) for r in rows]

    def media_in_use(self, name: str) -> bool:
        """True when a recording plays or keeps the media file called `name`, or an
        import has claimed it."""
        with self.engine.connect() as conn:
            return self._media_in_use(conn, name)

    @staticmethod
    def _media_in_use(conn: Connection, name: str) -> bool:
        row = conn.execute(
            select(recordings.c.id).where(
                (recordings.c.audio_name == name) | (recordings.c.rendition_name == name)
            ).limit(1)
        ).first()
        if row is not None:
            return True
        claim = conn.execute(
            select(media_claims.c.id).where(media_claims.c.name == name).limit(1)
        ).first()
        return claim is not None

    def claim_media(self, token: str, name: str) -> None:
        """Name `name` as in use by the import `token`, before that import writes it.

        Taken in the same lock as `release_media`'s check, so a file another import is
        about to write, or has written, is never removed under it.
        """
        with self.engine.begin() as conn:
            conn.execute(insert(media_claims).values(name=name, token=token, created_at=_now()))

    def release_media(
        self, token: str, remove: Callable[[str], None] | None = None,
        older_than: datetime | None = None,
    ) -> None:
        """Drop the claims of the import `token` (every import's claims older than
        `older_than` when it is given); `remove(name)` is called for each file they named
        that nothing uses any more.

        The claims go first, so the transaction holds the write lock, and the check and
        the removal happen under it: a claim by another import waits for the commit and
        then writes the file afresh.
        """
        with self.engine.begin() as conn:
            where = (media_claims.c.created_at < older_than if older_than is not None
                     else media_claims.c.token == token)
            names = conn.execute(select(media_claims.c.name).where(where)).scalars().all()
            conn.execute(delete(media_claims).where(where))
            if remove is None:
                return
            for name in dict.fromkeys(names):
                if not self._media_in_use(conn, name):
                    remove(name)

    def delete_recording(self, recording_id: str, remove: Callable[[str], None]) -> bool:
        """Delete a recording with its sentences, jobs and search index; `remove(name)` is
        called for each of its media files that no other recording uses or an import
        claims (under the same lock as `release_media`). False when there is no such
        recording."""
        with self.engine.begin() as conn:
            row = conn.execute(
                select(recordings.c.audio_name, recordings.c.rendition_name)
                .where(recordings.c.id == recording_id)
            ).first()
            if row is None:
                return False
            fulltext.delete(conn, recording_id)
            for table in (sentences, set_aside, jobs):
                conn.execute(delete(table).where(table.c.recording_id == recording_id))
            conn.execute(delete(recordings).where(recordings.c.id == recording_id))
            for name in dict.fromkeys(row):
                if not self._media_in_use(conn, name):
                    remove(name)
        return True

    def list_recordings(self) -> list[RecordingSummary]:
        """Every recording, newest first, with its sentence count and speakers."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(*_INFO_COLUMNS).order_by(recordings.c.created_at.desc())
            ).mappings().all()
            counts = dict(
                conn.execute(
                    select(sentences.c.recording_id, func.count()).group_by(
                        sentences.c.recording_id
                    )
                ).all()
            )
            first = func.min(sentences.c.idx)
            speaker_rows = conn.execute(
                select(sentences.c.recording_id, sentences.c.speaker, first)
                .where(sentences.c.speaker.is_not(None))
                .group_by(sentences.c.recording_id, sentences.c.speaker)
                .order_by(sentences.c.recording_id, first)
            ).all()
        speakers: dict[str, list[str]] = {}
        for rid, speaker, _ in speaker_rows:
            speakers.setdefault(rid, []).append(speaker)
        return [
            RecordingSummary(
                recording=RecordingInfo(**r),
                sentence_count=int(counts.get(r["id"], 0)),
                speakers=tuple(speakers.get(r["id"], ())),
            )
            for r in rows
        ]

    def set_inputs(
        self, recording_id: str, *, language: str | None = None, transcript: str | None = None
    ) -> None:
        """Change what a recording is aligned from (before a retry); the audio stays."""
        values = {k: v for k, v in (("language", language), ("transcript", transcript))
                  if v is not None}
        if values:
            with self.engine.begin() as conn:
                conn.execute(
                    update(recordings).where(recordings.c.id == recording_id).values(**values)
                )

    def set_status(self, recording_id: str, status: str, error: str = "") -> None:
        """Mark a recording queued, aligning or failed (ready is set by save_alignment)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(recordings)
                .where(recordings.c.id == recording_id)
                .values(status=status, error=error)
            )

    # -- alignment -------------------------------------------------------------------

    def save_alignment(
        self, recording_id: str, syncmap: SyncMap, *, job_id: int | None = None
    ) -> bool:
        """Write sentences, set-aside blocks and the search index in one transaction.

        What was there before (an earlier alignment) is replaced; on any error nothing
        changes. The recording becomes ready and, given `job_id`, that job done.

        With `job_id`, nothing is written and False is returned when a newer job on the
        recording exists (it will write its own result): the check and the writes are
        one transaction, so two jobs on one recording never overwrite each other.
        """
        syncmap = syncmap.with_ids()
        try:
            with self.engine.begin() as conn:
                if job_id is not None:
                    # a write first, so the transaction holds the lock the check relies on
                    conn.execute(
                        update(jobs).where(jobs.c.id == job_id).values(
                            status="done", stage="done", percent=100.0, updated_at=_now()
                        )
                    )
                    latest = conn.execute(
                        select(func.max(jobs.c.id)).where(jobs.c.recording_id == recording_id)
                    ).scalar_one()
                    if latest != job_id:
                        raise _Superseded
                self._write_alignment(conn, recording_id, syncmap)
        except _Superseded:
            return False
        return True

    @staticmethod
    def _write_alignment(conn: Connection, recording_id: str, syncmap: SyncMap) -> None:
        conn.execute(delete(sentences).where(sentences.c.recording_id == recording_id))
        conn.execute(delete(set_aside).where(set_aside.c.recording_id == recording_id))
        if syncmap.sentences:
            conn.execute(
                insert(sentences),
                [
                    {
                        "recording_id": recording_id, "idx": s.index, "sid": s.id,
                        "text": s.text, "speaker": s.speaker, "begin_ms": int(s.begin),
                        "end_ms": int(s.end), "confidence": float(s.confidence),
                        "aligned": bool(s.aligned), "paragraph": s.paragraph,
                    }
                    for s in syncmap.sentences
                ],
            )
        if syncmap.set_aside:
            conn.execute(
                insert(set_aside),
                [
                    {
                        "recording_id": recording_id, "ordinal": n, "kind": b.kind,
                        "text": b.text, "after": b.after,
                    }
                    for n, b in enumerate(syncmap.set_aside)
                ],
            )
        fulltext.replace(conn, recording_id, ((s.index, s.text) for s in syncmap.sentences))
        values: dict = {"status": "ready", "error": "", "aligned_at": _now(),
                        "warnings": "\n".join(syncmap.warnings)}
        if syncmap.duration:
            values["duration_ms"] = int(syncmap.duration)
        conn.execute(
            update(recordings).where(recordings.c.id == recording_id).values(**values)
        )

    def load_syncmap(self, rec: RecordingInfo) -> SyncMap:
        """The stored alignment of a recording (no sentences when it is not aligned yet)."""
        with self.engine.connect() as conn:
            srows = conn.execute(
                select(sentences)
                .where(sentences.c.recording_id == rec.id)
                .order_by(sentences.c.idx)
            ).mappings().all()
            brows = conn.execute(
                select(set_aside)
                .where(set_aside.c.recording_id == rec.id)
                .order_by(set_aside.c.ordinal)
            ).mappings().all()
        return SyncMap(
            sentences=tuple(_sentence(r) for r in srows),
            set_aside=tuple(
                SetAside(kind=r["kind"], text=r["text"], after=r["after"]) for r in brows
            ),
            language=rec.language,
            duration=rec.duration_ms,
            sha256=rec.audio_sha256,
            warnings=rec.warning_list,
        )

    def search(
        self, query: str, recording_id: str | None = None, limit: int = 50
    ) -> tuple[list[fulltext.Hit], int]:
        """Sentences matching a person's query; see `webapp.fulltext`."""
        with self.engine.connect() as conn:
            return fulltext.search(conn, query, recording_id=recording_id, limit=limit)

    # -- jobs ------------------------------------------------------------------------

    def add_job(self, recording_id: str) -> int:
        """Record a new alignment attempt (queued) and mark the recording queued."""
        now = _now()
        with self.engine.begin() as conn:
            job_id = conn.execute(
                insert(jobs).values(
                    recording_id=recording_id, status="queued", stage="", percent=0.0,
                    error="", created_at=now, updated_at=now,
                )
            ).inserted_primary_key[0]
            conn.execute(
                update(recordings)
                .where(recordings.c.id == recording_id)
                .values(status="queued", error="")
            )
        return int(job_id)

    def update_job(
        self,
        job_id: int,
        *,
        status: str | None = None,
        stage: str | None = None,
        percent: float | None = None,
        error: str | None = None,
    ) -> None:
        """Record a job's progress or outcome."""
        values: dict = {"updated_at": _now()}
        for key, val in (("status", status), ("stage", stage), ("percent", percent),
                         ("error", error)):
            if val is not None:
                values[key] = val
        with self.engine.begin() as conn:
            conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))

    def get_job(self, job_id: int) -> Job | None:
        """The job with this id, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(jobs).where(jobs.c.id == job_id)).mappings().first()
        return Job(**row) if row else None

    def latest_job(self, recording_id: str) -> Job | None:
        """The most recent job for a recording, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(jobs)
                .where(jobs.c.recording_id == recording_id)
                .order_by(jobs.c.id.desc())
            ).mappings().first()
        return Job(**row) if row else None
