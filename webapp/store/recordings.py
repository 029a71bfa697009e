"""Recordings: their rows, readable ids, and their status, which is their latest job's.

A recording has no status column of its own (it would repeat the job's): `queued` while
its latest job waits, `aligning` while it runs, `ready` once it is done, `failed` with
the job's message when it failed. A recording that never had a job is `ready` when an
alignment was stored for it, else `queued`.
"""

from __future__ import annotations

import json
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, delete, func, insert, select, update

from webapp.store import fulltext
from webapp.store.claims import lock_media, media_in_use
from webapp.store.database import Database, now
from webapp.store.schema import jobs, recordings, sentences, set_aside

__all__ = ["Recording", "RecordingInfo", "RecordingStore", "RecordingSummary",
           "new_recording_id", "slug"]

#: a job's status -> its recording's
RECORDING_STATUS = {"queued": "queued", "running": "aligning", "done": "ready",
                    "failed": "failed"}


@dataclass(frozen=True)
class RecordingInfo:
    """A recording row but its transcript: where its media are and how far it got.

    What the library and the status poll need; the transcript can be long and is read
    only where it is used (`Recording`). `status` and `error` are its latest job's.
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
    untranscribed: str  # JSON [[begin, end] ms] of speech the transcript lacks

    @property
    def warning_list(self) -> tuple[str, ...]:
        """The aligner's warnings about the stored alignment."""
        return tuple(w for w in self.warnings.splitlines() if w)

    @property
    def untranscribed_list(self) -> tuple[tuple[int, int], ...]:
        """Stretches (ms) of speech the transcript does not hold."""
        return tuple((int(a), int(b)) for a, b in json.loads(self.untranscribed or "[]"))


@dataclass(frozen=True)
class Recording(RecordingInfo):
    """A whole recording row: the above and the transcript exactly as given."""

    transcript: str


@dataclass(frozen=True)
class RecordingSummary:
    """What the library lists for a recording."""

    recording: RecordingInfo
    sentence_count: int
    speakers: tuple[str, ...]


#: the columns of a RecordingInfo read from the recordings table: all but the transcript
_INFO_COLUMNS = tuple(c for c in recordings.c if c.name != "transcript")


def _with_status(*columns) -> Select:  # type: ignore[no-untyped-def]
    """SELECT `columns` of recordings with the status and error of each one's latest job."""
    latest = (select(jobs.c.recording_id, func.max(jobs.c.id).label("job_id"))
              .group_by(jobs.c.recording_id).subquery("latest"))
    job = jobs.alias("latest_job")
    return (select(*columns, job.c.status.label("job_status"), job.c.error.label("job_error"))
            .select_from(recordings.outerjoin(latest, latest.c.recording_id == recordings.c.id)
                         .outerjoin(job, job.c.id == latest.c.job_id)))


def _info_fields(row) -> dict:  # type: ignore[no-untyped-def]
    fields = dict(row)
    job_status, job_error = fields.pop("job_status"), fields.pop("job_error")
    if job_status is None:
        fields["status"] = "ready" if fields["aligned_at"] is not None else "queued"
        fields["error"] = ""
    else:
        fields["status"] = RECORDING_STATUS.get(job_status, "failed")
        fields["error"] = (job_error or "") if job_status == "failed" else ""
    return fields


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


class RecordingStore(Database):
    """Reads and writes of recording rows."""

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
        """Store a new recording (queued until a job or an alignment says otherwise) and
        return its id."""
        rid = new_recording_id(title)
        with self.engine.begin() as conn:
            conn.execute(
                insert(recordings).values(
                    id=rid, title=title, language=language, transcript=transcript,
                    audio_name=audio_name, audio_sha256=audio_sha256,
                    rendition_name=rendition_name, duration_ms=duration_ms, note=note,
                    created_at=now(), aligned_at=None, source_url=source_url,
                )
            )
        return rid

    def get_recording(self, recording_id: str) -> Recording | None:
        """The recording with this id, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(
                _with_status(*recordings.c).where(recordings.c.id == recording_id)
            ).mappings().first()
        return Recording(**_info_fields(row)) if row else None

    def get_recording_info(self, recording_id: str) -> RecordingInfo | None:
        """The recording with this id without its transcript, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(
                _with_status(*_INFO_COLUMNS).where(recordings.c.id == recording_id)
            ).mappings().first()
        return RecordingInfo(**_info_fields(row)) if row else None

    def find_recordings(self, *, audio_sha256: str, title: str) -> list[Recording]:
        """Recordings of this audio under this title (the demo imports only once)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                _with_status(*recordings.c).where(
                    recordings.c.audio_sha256 == audio_sha256, recordings.c.title == title
                ).order_by(recordings.c.created_at)
            ).mappings().all()
        return [Recording(**_info_fields(r)) for r in rows]

    def list_recordings(self) -> list[RecordingSummary]:
        """Every recording, newest first, with its sentence count and speakers."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                _with_status(*_INFO_COLUMNS).order_by(recordings.c.created_at.desc())
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
                recording=RecordingInfo(**_info_fields(r)),
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

    def delete_recording(self, recording_id: str, remove: Callable[[str], None]) -> bool:
        """Delete a recording with its sentences, jobs and search index; `remove(name)` is
        called for each of its media files that no other recording uses or an import
        claims (under the same lock as `release_media`). False when there is no such
        recording."""
        with self.engine.begin() as conn:
            lock_media(conn)
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
                if not media_in_use(conn, name):
                    remove(name)
        return True
