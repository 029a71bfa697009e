"""Language codes: the program names languages as aeneas does (ISO 639-3); sentence
rules and HTML want the two-letter ISO 639-1 code where there is one."""

from __future__ import annotations

# ISO 639-3 (with the bibliographic variants aeneas accepts) -> ISO 639-1.
_TWO_LETTER = {
    "eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "ita": "it",
    "spa": "es", "por": "pt", "nld": "nl", "dut": "nl", "dan": "da", "rus": "ru",
    "pol": "pl", "swe": "sv", "fin": "fi", "nor": "no", "ces": "cs", "cze": "cs",
    "ell": "el", "gre": "el", "tur": "tr", "bul": "bg", "fas": "fa", "per": "fa",
    "urd": "ur", "hin": "hi", "mar": "mr", "zho": "zh", "chi": "zh", "cmn": "zh",
    "jpn": "ja", "amh": "am", "ara": "ar", "heb": "he", "hye": "hy", "arm": "hy",
    "mya": "my", "bur": "my", "kaz": "kk", "slk": "sk", "slo": "sk", "ukr": "uk",
    "ron": "ro", "rum": "ro", "hun": "hu", "cat": "ca", "lat": "la", "eus": "eu",
    "baq": "eu", "glg": "gl", "isl": "is", "ice": "is",
}


def two_letter(code: str) -> str | None:
    """The ISO 639-1 code for an ISO 639-3 (or 639-1, or regional "eng-GBR") code."""
    base = (code or "").strip().lower().replace("_", "-").split("-")[0]
    if len(base) == 2:
        return base
    return _TWO_LETTER.get(base)
