"""Requests checked against botocore's Lightsail model, as the service checks them, and
handed on normalised.

botocore checks required members, types and minimums on the client; maximums, patterns
and enums reach the service unchecked, and so do requests sent by other means. One walker
does it: a checker is compiled once per shape from the model (a table keyed by shape type
picks each), walks the whole input, collects every problem with the dotted path of the
field it concerns, and raises one ``InvalidInputException``.

What passes is what the handlers get, normalised, so that a handler can trust the type of
every member it reads (the walker returns the value it checked):

- JSON ``null`` for a member of a structure, at any depth, is the member absent: it is
  left out, and the handler applies the absent member's default. A null *required* member
  is "a value is required". A null item of a list or value of a map is refused: an item
  cannot be absent.
- An ``integer``/``long`` member given an integral float (``3.0``) is that integer; a
  float with a fraction is refused.
- ``double``/``float`` and ``timestamp`` members are Python floats (finite).
- A value of an enum the service reads in any case (``schema/differences.py``, e.g. a
  port's ``protocol``: ``TCP``) is the model's spelling (``tcp``).

Where the real service is laxer than the model, the service wins: resource names may
contain ``.`` (the model's pattern ``\\w[\\w\\-]*\\w`` says otherwise); the real message is
"custom gitlab is not a valid resource name. Resource names must be at least 2 characters
long and contain only alphanumerics, -, _, and ." (terraform-provider-aws pull 8647,
quoted in docs/service-reference.md §2.2).

The same walker checks *responses* against output shapes (``output_problems``): the test
suite runs it over every body the mock produces. There a null member is a problem (a
response leaves absent members out) and nothing is converted: an integer member must
already be an ``int``.
"""

from __future__ import annotations

import functools
import math
import re
import string
from collections.abc import Callable
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from lightmock.core.exceptions import InvalidInputException, SerializationException
from lightmock.core.quoting import quoted

# The model as the service enforces it: botocore's, with the documented differences applied.
from lightmock.schema.differences import any_case_enums
from lightmock.schema.differences import served_operation_model as operation_model

Problems = list[str]
#: Checks a value at a path, adds any problems, and returns the value normalised (what it
#: returns for a value with a problem is never used: the request is refused).
Checker = Callable[[Any, str, Problems], Any]

#: A message lists at most this many problems, then says how many more there were.
MAX_PROBLEMS = 50

RESOURCE_NAME_SHAPE = "ResourceName"
_RESOURCE_NAME_CHARACTERS = string.ascii_letters + string.digits + "_.-"
_RESOURCE_NAME_RULE = (
    "is not a valid resource name. Resource names must be at least 2 characters long and "
    "contain only alphanumerics, -, _, and ."
)


def _is_resource_name(value: str) -> bool:
    """2 to 255 of letters, digits, ``_``, ``.`` and ``-``: what is left once they are
    stripped from both ends is nothing (a string method: no regular expression on the path
    of every call that names a resource)."""
    return 2 <= len(value) <= 255 and not value.strip(_RESOURCE_NAME_CHARACTERS)


def resource_name_problem(value: str, path: str) -> str | None:
    """The problem with a resource name, as the service words it, or None when it is valid.

    Public because some members hold names in shapes the model does not mark as names
    (``CreateInstances.instanceNames`` is a plain string list).
    """
    return None if _is_resource_name(value) else _resource_name_message(value, path)


def _resource_name_message(value: str, path: str) -> str:
    return f"{path}: {quoted(value, bare=True)} {_RESOURCE_NAME_RULE}"


_NULL_MEMBER = ": is null (absent members must be left out)"


def _join(path: str, member: str) -> str:
    return f"{path}.{member}" if path else member


def _type_problem(path: str, value: Any) -> str:
    return f"{path}: expected a string, got {type(value).__name__}"


def _any_case_spelling(shape: Shape, output: bool) -> dict[str, str]:
    """A request may spell some enums in any case (schema/differences.py); the handler gets
    the model's spelling. A response keeps to the model's."""
    if output or not shape.enum or shape.name not in any_case_enums():
        return {}
    return {value.casefold(): value for value in shape.enum}


def _plain_enum(shape: Shape, output: bool) -> frozenset[str] | None:
    """The values of a string shape that is an enum and nothing more (no other spelling,
    length or pattern to check), or None: such a value, spelled as the model spells it,
    passes every check at once."""
    if shape.type_name != "string" or not shape.enum or _any_case_spelling(shape, output):
        return None
    if any(shape.metadata.get(rule) is not None for rule in ("min", "max", "pattern")):
        return None
    return frozenset(shape.enum)


def _string_checker(shape: Shape, output: bool) -> Checker:
    if shape.name == RESOURCE_NAME_SHAPE:

        def check_resource_name(value: Any, path: str, problems: Problems) -> Any:
            if type(value) is str and _is_resource_name(value):
                return value
            if not isinstance(value, str):
                problems.append(_type_problem(path, value))
            elif not _is_resource_name(value):
                problems.append(_resource_name_message(value, path))
            return value

        return check_resource_name

    enum = tuple(shape.enum) if shape.enum else ()
    enum_set = frozenset(enum)
    spelling = _any_case_spelling(shape, output)
    minimum = shape.metadata.get("min")
    maximum = shape.metadata.get("max")
    pattern_text = shape.metadata.get("pattern")
    pattern = re.compile(pattern_text, re.ASCII) if pattern_text else None
    plain_enum = _plain_enum(shape, output) is not None

    def check_string(value: Any, path: str, problems: Problems) -> Any:
        if plain_enum and type(value) is str and value in enum_set:
            return value
        if not isinstance(value, str):
            problems.append(_type_problem(path, value))
            return value
        if spelling and value.casefold() in spelling:
            return spelling[value.casefold()]
        if enum_set and value not in enum_set:
            problems.append(f"{path}: {quoted(value)} is not a valid value; valid values are: {', '.join(enum)}")
            return value
        if minimum is not None and len(value) < minimum:
            problems.append(f"{path}: length {len(value)} is below the minimum length {minimum}")
        if maximum is not None and len(value) > maximum:
            problems.append(f"{path}: length {len(value)} is above the maximum length {maximum}")
        if pattern is not None and not pattern.fullmatch(value):
            problems.append(f"{path}: {quoted(value)} does not match the pattern {pattern_text}")
        return value

    return check_string


def _integer_checker(shape: Shape, output: bool) -> Checker:
    minimum = shape.metadata.get("min")
    maximum = shape.metadata.get("max")

    def check_integer(value: Any, path: str, problems: Problems) -> Any:
        if type(value) is not int:  # (a bool is not an int here)
            if isinstance(value, float) and not output and value.is_integer():
                value = int(value)  # 3.0 is 3; a response must send the int itself
            if not isinstance(value, int) or isinstance(value, bool):  # a fraction, NaN, text...
                problems.append(f"{path}: expected an integer, got {quoted(value)}")
                return value
        if minimum is not None and value < minimum:
            problems.append(f"{path}: {quoted(value)} is below the minimum value {minimum}")
        if maximum is not None and value > maximum:
            problems.append(f"{path}: {quoted(value)} is above the maximum value {maximum}")
        return value

    return check_integer


def _finite(value: int | float) -> bool:
    """Whether a JSON number is a finite double: NaN, ±inf and integers too large for a
    double (``10**400``, which JSON allows) are not."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _double_checker(shape: Shape, output: bool) -> Checker:
    def check_double(value: Any, path: str, problems: Problems) -> Any:
        if type(value) is float and value - value == 0.0:  # a finite float (inf - inf, NaN - NaN: NaN)
            return value
        if not _is_number(value):
            problems.append(f"{path}: expected a number, got {quoted(value)}")
            return value
        if output:
            return value
        if not _finite(value):
            problems.append(f"{path}: expected a finite number, got {quoted(value)}")
            return value
        return float(value)

    return check_double


def _timestamp_checker(shape: Shape, output: bool) -> Checker:
    def check_timestamp(value: Any, path: str, problems: Problems) -> Any:
        if not _is_number(value):
            problems.append(f"{path}: expected a timestamp in epoch seconds, got {quoted(value)}")
        elif not _finite(value):
            problems.append(f"{path}: expected a finite timestamp, got {quoted(value)}")
        elif not output:
            return float(value)
        return value

    return check_timestamp


def _boolean_checker(shape: Shape, output: bool) -> Checker:
    def check_boolean(value: Any, path: str, problems: Problems) -> Any:
        if not isinstance(value, bool):
            problems.append(f"{path}: expected a boolean, got {quoted(value)}")
        return value

    return check_boolean


def _blob_checker(shape: Shape, output: bool) -> Checker:
    def check_blob(value: Any, path: str, problems: Problems) -> Any:
        if not isinstance(value, str):
            problems.append(f"{path}: expected a base64 string, got {type(value).__name__}")
        return value

    return check_blob


def _list_checker(shape: Shape, output: bool) -> Checker:
    assert isinstance(shape, ListShape)
    member = _compile(shape.member, output)
    minimum = shape.metadata.get("min")
    maximum = shape.metadata.get("max")
    # A list of a plain enum whose every item is one of its values passes as a whole, with
    # no item checked (and no item's path written) one by one.
    plain_values = _plain_enum(shape.member, output)

    def check_list(value: Any, path: str, problems: Problems) -> Any:
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list, got {type(value).__name__}")
            return value
        if minimum is not None and len(value) < minimum:
            problems.append(f"{path}: {len(value)} items is below the minimum of {minimum}")
        if maximum is not None and len(value) > maximum:
            problems.append(f"{path}: {len(value)} items is above the maximum of {maximum}")
        if plain_values is not None:
            try:
                if plain_values.issuperset(value):
                    return list(value)
            except TypeError:  # an unhashable item: not a value, refused one by one below
                pass
        # A null item is checked like any other, and refused by its type: it cannot be absent.
        return [member(item, f"{path}[{index}]", problems) for index, item in enumerate(value)]

    return check_list


def _map_checker(shape: Shape, output: bool) -> Checker:
    assert isinstance(shape, MapShape)
    key_checker = _compile(shape.key, output)
    value_checker = _compile(shape.value, output)

    def check_map(value: Any, path: str, problems: Problems) -> Any:
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object, got {type(value).__name__}")
            return value
        result = {}
        for key, item in value.items():
            shown = quoted(key, bare=True)
            result[key_checker(key, f"{path}.<key>", problems)] = value_checker(item, f"{path}.{shown}", problems)
        return result

    return check_map


def _structure_checker(shape: Shape, output: bool) -> Checker:
    assert isinstance(shape, StructureShape)
    required = () if output else tuple(shape.required_members)
    required_keys = frozenset(required)
    members: dict[str, Checker] = {}
    # Members are compiled lazily on first use: the model has recursive shapes.
    member_shapes = dict(shape.members)
    unknown = f": is not a member of {shape.name}"

    def check_structure(value: Any, path: str, problems: Problems) -> Any:
        if not isinstance(value, dict):
            problems.append(f"{path or 'body'}: expected an object, got {type(value).__name__}")
            return value
        first_problem = len(problems)
        lacking = not required_keys <= value.keys()
        result = {}
        for name, item in value.items():
            checker = members.get(name)
            if checker is None:
                if name not in member_shapes:
                    problems.append(_join(path, quoted(name, bare=True)) + unknown)
                    continue
                checker = members[name] = _compile(member_shapes[name], output)
            if item is None:  # absent: left out, so the handler applies the member's default
                if output:
                    problems.append(_join(path, name) + _NULL_MEMBER)
                lacking = lacking or name in required_keys
                continue
            result[name] = checker(item, f"{path}.{name}" if path else name, problems)  # ``_join``, inline
        if lacking:
            # Named one by one, before the members' own problems, in the model's order; only
            # when one lacks: a member missing, or null (JSON null is absent, as AWS JSON
            # services read it).
            problems[first_problem:first_problem] = [
                f"{_join(path, name)}: a value is required" for name in required if value.get(name) is None
            ]
        return result

    return check_structure


#: How each type of shape is checked: the one table the walker is compiled from.
_CHECKERS: dict[str, Callable[[Shape, bool], Checker]] = {
    "structure": _structure_checker,
    "list": _list_checker,
    "map": _map_checker,
    "string": _string_checker,
    "integer": _integer_checker,
    "long": _integer_checker,
    "double": _double_checker,
    "float": _double_checker,
    "boolean": _boolean_checker,
    "timestamp": _timestamp_checker,
    "blob": _blob_checker,
}


def _compile(shape: Shape, output: bool = False) -> Checker:
    return _CHECKERS[shape.type_name](shape, output)


@functools.cache
def input_checker(operation: str) -> Checker:
    """The compiled checker of an operation's input (built once per operation)."""
    shape = operation_model(operation).input_shape
    if shape is None:
        return _check_empty
    return _compile(shape, output=False)


@functools.cache
def output_checker(operation: str) -> Checker:
    shape = operation_model(operation).output_shape
    if shape is None:
        return _check_empty
    return _compile(shape, output=True)


def _check_empty(value: Any, path: str, problems: Problems) -> Any:
    if value not in ({}, None):
        problems.append("body: this operation takes no input")
    return {}


@functools.cache
def _can_refuse_input(operation: str) -> bool:
    model = operation_model(operation)
    takes_nothing = model.input_shape is None or not model.input_shape.members
    return not takes_nothing or any(shape.name == "InvalidInputException" for shape in model.error_shapes)


def validate_input(operation: str, params: Any) -> dict[str, Any]:
    """``params`` normalised (see the module docstring), or one ``InvalidInputException``
    listing every problem (the first ``MAX_PROBLEMS`` of them, and how many more)."""
    problems: Problems = []
    normalised = input_checker(operation)(params, "", problems)
    if problems and not _can_refuse_input(operation):
        # An operation that takes no parameters and whose model lists no InvalidInputException
        # (GetContainerAPIMetadata): a member it cannot read is a body it cannot deserialise,
        # the protocol's own error.
        raise SerializationException("; ".join(problems[:MAX_PROBLEMS]))
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"and {len(problems) - MAX_PROBLEMS} more problems")
        raise InvalidInputException("; ".join(shown), code="ValidationError")
    assert isinstance(normalised, dict)
    return normalised


def output_problems(operation: str, body: Any) -> Problems:
    """Every way ``body`` departs from the operation's output shape (empty when valid)."""
    problems: Problems = []
    output_checker(operation)(body, "", problems)
    return problems
