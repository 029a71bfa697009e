"""Text is text: control characters are refused where requests come in.

A NUL cannot be stored by PostgreSQL, and no control character belongs in an address, a
name or a title. So:

- the path and the query parameters (names and values) may hold none of U+0000–U+001F,
  U+007F–U+009F: 400 naming the parameter (`check_address`, before every view);
- form fields (and uploaded files' names) may hold tabs and line ends, nothing else of
  those: 422 naming the field, as soon as anything reads the form (`FormGuard`, mixed
  into the app's request class);
- `check_text` is the same rule for the command line and the import path.
"""

from __future__ import annotations

from flask import Request, abort, request
from werkzeug.exceptions import UnprocessableEntity

__all__ = ["CONTROL", "LINE_BREAKS", "FormGuard", "check_address", "check_text",
           "first_control"]

#: C0 controls, DEL and C1 controls
CONTROL = frozenset(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)))
#: what a text field may hold beside printable text: tabs and line ends
LINE_BREAKS = frozenset("\t\n\r")


def first_control(text: str, allowed: frozenset[str] = frozenset()) -> str | None:
    """The first control character in `text` that is not in `allowed`, or None."""
    if text.isprintable():  # the common case, in C
        return None
    for char in text:
        if char in CONTROL and char not in allowed:
            return char
    return None


def _named(char: str) -> str:
    return f"U+{ord(char):04X}"


def check_text(text: str, what: str, *, lines: bool = False) -> str:
    """`text`, or ValueError naming `what` and the character when it holds a control
    character (tabs and line ends are let through when `lines`)."""
    char = first_control(text, LINE_BREAKS if lines else frozenset())
    if char is not None:
        raise ValueError(f"{what} holds a control character ({_named(char)}); "
                         "give plain text")
    return text


def check_address() -> None:
    """Refuse (400) a request whose path or query parameters hold a control character."""
    char = first_control(request.path)
    if char is not None:
        abort(400, description=f"The address holds a control character ({_named(char)}), "
                               "which no page of this site has. Check the link.")
    for name, values in request.args.lists():
        for value in (name, *values):
            char = first_control(value)
            if char is not None:
                abort(400, description=(
                    f"The parameter “{name.encode('unicode_escape').decode()[:40]}” holds a "
                    f"control character ({_named(char)}); give plain text."))


class FormGuard(Request):
    """A request (mixed into the app's request class) whose form fields and file names
    are checked as soon as the form is read: a control character other than a tab or a
    line end is a 422 naming the field."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        for name, values in self.form.lists():
            for value in (name, *values):
                _refuse_field(name, value, LINE_BREAKS)
        for name, upload in self.files.items(multi=True):
            _refuse_field(name, upload.filename or "", frozenset())


def _refuse_field(name: str, value: str, allowed: frozenset[str]) -> None:
    char = first_control(value, allowed)
    if char is not None:
        shown = name.encode("unicode_escape").decode()[:40]
        raise UnprocessableEntity(
            f"The field “{shown}” holds a control character ({_named(char)}); only "
            "printable text, tabs and line ends are taken. Nothing was stored.")
