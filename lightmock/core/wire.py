"""How records go onto the wire: the JSON value type, ARNs, tags and timestamps."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from typing import Any

from lightmock.core.exceptions import InvalidInputException
from lightmock.core.quoting import quoted

Wire = dict[str, Any]

#: "Each resource can have a maximum of 50 tags. Each tag consists of a key and an optional
#: value. Tag keys must be unique per resource." (TagResource,
#: https://docs.aws.amazon.com/cli/v1/reference/lightsail/tag-resource.html)
MAX_TAGS = 50
#: "Tag keys accept a maximum of 128 letters, numbers, spaces in UTF-8, or the following
#: characters: + - = . _ : / @"; values "a maximum of 256" of the same (model ``Tag``,
#: https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/API_Tag.html).
MAX_TAG_KEY = 128
MAX_TAG_VALUE = 256
TAG_PUNCTUATION = frozenset("+-=._:/@")
_TAG_RULE = "letters, numbers, spaces and + - = . _ : / @"


def arn(region: str, account_id: str, resource_type: str, resource_id: str) -> str:
    return f"arn:aws:lightsail:{region}:{account_id}:{resource_type}/{resource_id}"


def _allowed(char: str) -> bool:
    """A letter, a number, a space (any Unicode separator of category Zs) or ``+ - = . _ : / @``."""
    return char in TAG_PUNCTUATION or unicodedata.category(char)[0] in "LN" or unicodedata.category(char) == "Zs"


def _text_problem(text: str, longest: int) -> str | None:
    if len(text) > longest:
        return f"is {len(text)} characters long; at most {longest} are allowed"
    bad = sorted({char for char in text if not _allowed(char)})
    if bad:
        return f"has characters other than {_TAG_RULE}: {', '.join(repr(char) for char in bad[:10])}"
    return None


def tag_problems(tags: Iterable[Wire]) -> list[str]:
    """Every way ``tags`` break the ``Tag`` rules: each needs a key of 1 to 128 characters,
    and a value (optional) of at most 256, both of letters, numbers, spaces and ``+ - = . _ : / @``."""
    problems = []
    for index, tag in enumerate(tags):
        key, value = tag.get("key"), tag.get("value")
        if not key:
            problems.append(f"tags[{index}].key: a tag needs a key")
        else:
            problem = _text_problem(key, MAX_TAG_KEY)
            if problem is not None:
                problems.append(f"tags[{index}].key {quoted(key)} {problem}")
        if value:
            problem = _text_problem(value, MAX_TAG_VALUE)
            if problem is not None:
                problems.append(f"tags[{index}].value {quoted(value)} {problem}")
    return problems


def check_tags(existing: Iterable[Wire], new: Iterable[Wire]) -> list[Wire]:
    """The tags of a resource after ``new`` are added to its ``existing`` ones, or
    ``InvalidInputException`` if a new tag breaks the ``Tag`` rules (``tag_problems``) or
    the result has more than ``MAX_TAGS``; nothing is changed.

    The one tag rule, for creates and for TagResource alike: keys are unique per resource,
    so a new tag replaces the value of an existing tag of its key (and of an earlier tag of
    the same key in ``new``); the result keeps the order in which keys first appeared. The
    tags are copies: a record never shares the caller's dicts.
    """
    new = list(new)
    problems = tag_problems(new)
    if problems:
        raise InvalidInputException("; ".join(problems), code="ValidationError")
    merged: dict[Any, Wire] = {tag["key"]: dict(tag) for tag in existing}
    for tag in new:
        merged[tag["key"]] = dict(tag)
    if len(merged) > MAX_TAGS:
        raise InvalidInputException(
            f"tags: a resource can have at most {MAX_TAGS} tags; this request would give it {len(merged)}",
            code="TagLimitExceeded",
        )
    return list(merged.values())


def request_tags(params: dict[str, Any]) -> list[Wire]:
    """The ``tags`` of a create request, as ``check_tags`` allows them on a new resource
    (none at once where it names none, as most requests do)."""
    tags = params.get("tags")
    return check_tags((), tags) if tags else []


def wire_time(epoch: float) -> float:
    """A timestamp as Lightsail sends it: epoch seconds with a millisecond fraction.

    The nearest millisecond (ties up), by arithmetic rather than ``round(epoch, 3)``,
    whose correctly rounded decimal conversion costs several times as much on every call.
    """
    return math.floor(epoch * 1000.0 + 0.5) / 1000.0
