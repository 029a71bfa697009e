"""A job's progress as the pages show it: its stage in words, and whether it went silent.

The player page, the status JSON (`webapp.api`) and Retry (`webapp.upload`) all show a
job the same way; `_job_status.html` is the partial that renders it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app

from webapp.store import Job, RecordingInfo

__all__ = ["STAGE_WORDS", "job_status"]


#: the aligner's stages (`alignment.align`'s progress) in words, for the job's page and
#: status.json
STAGE_WORDS = {"reading": "reading the transcript", "decoding": "decoding the audio",
               "aligning": "finding each sentence", "refining": "refining the boundaries",
               "done": "done",
               # only when probes doubt the warp: part of finding each sentence's step
               "listening": "listening for the transcript's words"}
_STEP_OF = {"listening": "aligning"}


def job_status(rec: RecordingInfo, job: Job | None) -> dict[str, Any]:
    """What `_job_status.html` needs: the job, its stage in words, and since when a
    running one is silent.

    A running job whose row has not moved for `JOB_STALE_SECONDS` has most likely lost
    its worker (killed, machine gone): the partial says so and stops polling.
    """
    stale_since = None
    if job is not None and job.status == "running":
        updated = job.updated_at
        if updated.tzinfo is None:  # SQLite gives back naive UTC
            updated = updated.replace(tzinfo=UTC)
        limit = timedelta(seconds=current_app.config["JOB_STALE_SECONDS"])
        if datetime.now(UTC) - updated > limit:
            stale_since = updated.strftime("%Y-%m-%d %H:%M UTC")
    stage = job.stage if job is not None else ""
    steps = list(STAGE_WORDS)[:4]
    return {"rec": rec, "job": job, "stale_since": stale_since,
            "stage_words": STAGE_WORDS.get(stage, stage),
            "stage_step": f"step {steps.index(_STEP_OF.get(stage, stage)) + 1} of {len(steps)}"
            if _STEP_OF.get(stage, stage) in steps else ""}
