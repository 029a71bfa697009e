"""Alignments: a recording's sentences and set-aside blocks, and the search behind them.

The sentence codec (rows <-> `alignment.SyncMap`) is here, its words' through
`webapp.words`; the search index is
`webapp.store.fulltext`'s, written in the same transaction as the sentences.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, delete, insert, select, update

from alignment import Sentence, SetAside, SyncMap
from webapp.store import fulltext
from webapp.store.database import Database, now
from webapp.store.jobs import finish_job, record_done_job
from webapp.store.recordings import RecordingInfo
from webapp.store.schema import recordings, sentences, set_aside
from webapp.words import from_stored, stored

__all__ = ["AlignmentStore"]


class _Rollback(Exception):
    """Rolls back a save whose job may no longer write (see `finish_job`)."""


def _sentence(row) -> Sentence:  # type: ignore[no-untyped-def]
    """A row of the sentences table as a Sentence."""
    return Sentence(
        index=row["idx"], text=row["text"], speaker=row["speaker"], begin=row["begin_ms"],
        end=row["end_ms"], confidence=row["confidence"], aligned=row["aligned"],
        paragraph=row["paragraph"], id=row["sid"],
        words=from_stored(row["words"], row["text"]),
    )


class AlignmentStore(Database):
    """Stored alignments and search."""

    def save_alignment(
        self, recording_id: str, syncmap: SyncMap, *, job_id: int | None = None,
        worker: str | None = None,
    ) -> bool:
        """Write sentences, set-aside blocks and the search index in one transaction.

        What was there before (an earlier alignment) is replaced; on any error nothing
        changes. Given `job_id`, that job becomes done in the same transaction, and
        nothing is written (False is returned) unless it is still the recording's latest
        job and, given `worker`, still leased to that worker: a job that lost its lease
        or was overtaken by a retry never writes over a newer result. Without `job_id`
        (an alignment made elsewhere, an edit) a done job records it, so the recording
        is ready and a job still running on it will not overwrite it.
        """
        syncmap = syncmap.with_ids()
        try:
            with self.engine.begin() as conn:
                if job_id is None:
                    record_done_job(conn, recording_id)
                elif not finish_job(conn, job_id, recording_id, worker):
                    raise _Rollback
                self._write_alignment(conn, recording_id, syncmap)
        except _Rollback:
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
                        "words": stored(s.words, s.text),
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
        values: dict = {"aligned_at": now(), "warnings": "\n".join(syncmap.warnings),
                        "untranscribed": json.dumps([list(u) for u in syncmap.untranscribed])}
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
            untranscribed=rec.untranscribed_list,
        )

    def search(
        self, query: str, recording_id: str | None = None, limit: int = 50
    ) -> tuple[list[fulltext.Hit], int]:
        """Sentences matching a person's query; see `webapp.store.fulltext`."""
        with self.engine.connect() as conn:
            return fulltext.search(conn, query, recording_id=recording_id, limit=limit)
