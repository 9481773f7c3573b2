"""How an error message shows a value the user sent: bounded, whatever its size.

Every message that quotes user input goes through :func:`quoted`, so a 10 MB name or a
list of a million items costs a message of about a hundred characters, not a copy of the
request: the message travels back over the wire, into logs and into pytest's report.
"""

from __future__ import annotations

import reprlib

#: At most this many characters of a value appear in a message.
QUOTE_LIMIT = 100

_REPR = reprlib.Repr()
_REPR.maxstring = QUOTE_LIMIT
_REPR.maxother = QUOTE_LIMIT
_REPR.maxlevel = 3


def quoted(value: object, limit: int = QUOTE_LIMIT, *, bare: bool = False) -> str:
    """``value`` as a message shows it: its ``repr`` (``'Foo'``), or with ``bare=True`` a
    string as it is (``web 1``, as the service words some messages), cut to ``limit``
    characters; a cut string says how long it was."""
    if isinstance(value, str):
        head = value[:limit]
        shown = head if bare else repr(head)
        return shown if len(value) <= limit else f"{shown}... ({len(value)} characters)"
    try:
        text = _REPR.repr(value)
    except ValueError:  # an integer too long to convert to decimal text
        return f"a {type(value).__name__} too large to show"
    return text if len(text) <= limit else text[:limit] + "..."
