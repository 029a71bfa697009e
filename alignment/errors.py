"""Errors that name the problem and the fix; the CLI and web app show `str(err)` as is."""


class AlignmentError(ValueError):
    """Base class: bad input or a failed alignment, with a one-line message for the user."""


class AudioError(AlignmentError):
    """The audio is missing, unreadable or empty."""


class TranscriptError(AlignmentError):
    """The transcript is empty or not text."""


class LanguageError(AlignmentError):
    """The language is not one the synthesiser knows."""
