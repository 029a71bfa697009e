"""Errors that name the problem and the fix; the CLI and web app show `str(err)` as is."""


class AlignmentError(ValueError):
    """Base class: bad input or a failed alignment, with a one-line message for the user."""


class AudioError(AlignmentError):
    """The audio is missing, unreadable or empty."""


class TranscriptError(AlignmentError):
    """The transcript is empty or not text."""


class TooManySentences(TranscriptError):
    """The transcript has more sentences than the reader was allowed to read
    (`read_transcript(..., max_sentences=N)`); reading stopped at the first one over."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the transcript has more than {limit:,} sentences")


class LanguageError(AlignmentError):
    """The language is not one the synthesiser knows."""
