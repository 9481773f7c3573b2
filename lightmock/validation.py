"""Requests checked against botocore's Lightsail model, as the service checks them.

botocore checks required members, types and minimums on the client; maximums, patterns
and enums reach the service unchecked, and so do requests sent by other means. The
validator is compiled once per operation from the model into a tree of small checker
functions (a table keyed by shape type picks each), walks the whole input, collects every
problem with the path of the field it concerns, and raises one ``InvalidInputException``.

Where the real service is laxer than the model, the service wins: resource names may
contain ``.`` (the model's pattern ``\\w[\\w\\-]*\\w`` says otherwise); the real message is
"custom gitlab is not a valid resource name. Resource names must be at least 2 characters
long and contain only alphanumerics, -, _, and ." (terraform-provider-aws pull 8647,
quoted in LIGHTSAIL_REFERENCE.md section 2.2).

The same compiler checks *responses* against output shapes (``check_output``): the test
suite runs it over every body the mock produces.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from lightmock.exceptions import InvalidInputException
from lightmock.model import operation_model

Problems = list[str]
Checker = Callable[[Any, str, Problems], None]

RESOURCE_NAME_SHAPE = "ResourceName"
_RESOURCE_NAME = re.compile(r"[A-Za-z0-9_.\-]{2,255}")
_RESOURCE_NAME_RULE = (
    "is not a valid resource name. Resource names must be at least 2 characters long and "
    "contain only alphanumerics, -, _, and ."
)


def resource_name_problem(value: str, path: str) -> str | None:
    """The problem with a resource name, as the service words it, or None when it is valid.

    Public because some members hold names in shapes the model does not mark as names
    (``CreateInstances.instanceNames`` is a plain string list).
    """
    if _RESOURCE_NAME.fullmatch(value):
        return None
    return f"{path}: {value} {_RESOURCE_NAME_RULE}"


def _join(path: str, member: str) -> str:
    return f"{path}.{member}" if path else member


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _string_checker(shape: Shape) -> Checker:
    if shape.name == RESOURCE_NAME_SHAPE:

        def check_resource_name(value: Any, path: str, problems: Problems) -> None:
            if not isinstance(value, str):
                problems.append(f"{path}: expected a string, got {type(value).__name__}")
            else:
                problem = resource_name_problem(value, path)
                if problem is not None:
                    problems.append(problem)

        return check_resource_name

    enum = tuple(shape.enum) if shape.enum else ()
    enum_set = frozenset(enum)
    minimum = shape.metadata.get("min")
    maximum = shape.metadata.get("max")
    pattern_text = shape.metadata.get("pattern")
    pattern = re.compile(pattern_text, re.ASCII) if pattern_text else None

    def check_string(value: Any, path: str, problems: Problems) -> None:
        if not isinstance(value, str):
            problems.append(f"{path}: expected a string, got {type(value).__name__}")
            return
        if enum_set and value not in enum_set:
            problems.append(f"{path}: {_show(value)} is not a valid value; valid values are: {', '.join(enum)}")
            return
        if minimum is not None and len(value) < minimum:
            problems.append(f"{path}: length {len(value)} is below the minimum length {minimum}")
        if maximum is not None and len(value) > maximum:
            problems.append(f"{path}: length {len(value)} is above the maximum length {maximum}")
        if pattern is not None and not pattern.fullmatch(value):
            problems.append(f"{path}: {_show(value)} does not match the pattern {pattern_text}")

    return check_string


def _integer_checker(shape: Shape) -> Checker:
    minimum = shape.metadata.get("min")
    maximum = shape.metadata.get("max")

    def check_integer(value: Any, path: str, problems: Problems) -> None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{path}: expected an integer, got {_show(value)}")
            return
        if minimum is not None and value < minimum:
            problems.append(f"{path}: {value} is below the minimum value {minimum}")
        if maximum is not None and value > maximum:
            problems.append(f"{path}: {value} is above the maximum value {maximum}")

    return check_integer


def _check_number(value: Any, path: str, problems: Problems) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{path}: expected a number, got {_show(value)}")


def _check_finite_number(value: Any, path: str, problems: Problems) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{path}: expected a number, got {_show(value)}")
    elif isinstance(value, float) and not math.isfinite(value):
        problems.append(f"{path}: expected a finite number, got {value}")


def _check_boolean(value: Any, path: str, problems: Problems) -> None:
    if not isinstance(value, bool):
        problems.append(f"{path}: expected a boolean, got {_show(value)}")


def _check_timestamp(value: Any, path: str, problems: Problems) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{path}: expected a timestamp in epoch seconds, got {_show(value)}")
    elif not math.isfinite(value):
        problems.append(f"{path}: expected a finite timestamp, got {value}")


def _check_blob(value: Any, path: str, problems: Problems) -> None:
    if not isinstance(value, str):
        problems.append(f"{path}: expected a base64 string, got {type(value).__name__}")


def _list_checker(shape: Shape, output: bool) -> Checker:
    assert isinstance(shape, ListShape)
    member = _compile(shape.member, output)
    minimum = shape.metadata.get("min")
    maximum = shape.metadata.get("max")

    def check_list(value: Any, path: str, problems: Problems) -> None:
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list, got {type(value).__name__}")
            return
        if minimum is not None and len(value) < minimum:
            problems.append(f"{path}: {len(value)} items is below the minimum of {minimum}")
        if maximum is not None and len(value) > maximum:
            problems.append(f"{path}: {len(value)} items is above the maximum of {maximum}")
        for index, item in enumerate(value):
            member(item, f"{path}[{index}]", problems)

    return check_list


def _map_checker(shape: Shape, output: bool) -> Checker:
    assert isinstance(shape, MapShape)
    key_checker = _compile(shape.key, output)
    value_checker = _compile(shape.value, output)

    def check_map(value: Any, path: str, problems: Problems) -> None:
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object, got {type(value).__name__}")
            return
        for key, item in value.items():
            key_checker(key, f"{path}.<key>", problems)
            value_checker(item, f"{path}.{key}", problems)

    return check_map


def _structure_checker(shape: Shape, output: bool) -> Checker:
    assert isinstance(shape, StructureShape)
    required = () if output else tuple(shape.required_members)
    members: dict[str, Checker] = {}
    # Members are compiled lazily on first use: the model has recursive shapes.
    member_shapes = dict(shape.members)

    def member_checker(name: str) -> Checker:
        checker = members.get(name)
        if checker is None:
            checker = members[name] = _compile(member_shapes[name], output)
        return checker

    def check_structure(value: Any, path: str, problems: Problems) -> None:
        if not isinstance(value, dict):
            problems.append(f"{path or 'body'}: expected an object, got {type(value).__name__}")
            return
        for name in required:
            if value.get(name) is None:  # JSON null is absent, as AWS JSON services read it
                problems.append(f"{_join(path, name)}: a value is required")
        for name, item in value.items():
            if name not in member_shapes:
                problems.append(f"{_join(path, name)}: is not a member of {shape.name}")
            elif item is None:
                if output:
                    problems.append(f"{_join(path, name)}: is null (absent members must be left out)")
            else:
                member_checker(name)(item, _join(path, name), problems)

    return check_structure


def _compile(shape: Shape, output: bool = False) -> Checker:
    kind = shape.type_name
    if kind == "structure":
        return _structure_checker(shape, output)
    if kind == "list":
        return _list_checker(shape, output)
    if kind == "map":
        return _map_checker(shape, output)
    if kind == "string":
        return _string_checker(shape)
    if kind in ("integer", "long"):
        return _integer_checker(shape)
    simple: dict[str, Checker] = {
        "double": _check_finite_number if not output else _check_number,
        "float": _check_finite_number if not output else _check_number,
        "boolean": _check_boolean,
        "timestamp": _check_timestamp,
        "blob": _check_blob,
    }
    return simple[kind]


@functools.cache
def input_checker(operation: str) -> Checker:
    """The compiled checker of an operation's input (built once per operation)."""
    shape = operation_model(operation).input_shape
    if shape is None:
        return _check_empty
    return _compile(shape)


@functools.cache
def output_checker(operation: str) -> Checker:
    shape = operation_model(operation).output_shape
    if shape is None:
        return _check_empty
    return _compile(shape, output=True)


def _check_empty(value: Any, path: str, problems: Problems) -> None:
    if value not in ({}, None):
        problems.append("body: this operation takes no input")


def validate_input(operation: str, params: Any) -> None:
    """Raise one ``InvalidInputException`` listing every problem of ``params``."""
    problems: Problems = []
    input_checker(operation)(params, "", problems)
    if problems:
        raise InvalidInputException("; ".join(problems), code="ValidationError")


def output_problems(operation: str, body: Any) -> Problems:
    """Every way ``body`` departs from the operation's output shape (empty when valid)."""
    problems: Problems = []
    output_checker(operation)(body, "", problems)
    return problems
