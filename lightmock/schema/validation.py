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
quoted in docs/service-reference.md §2.2).

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

from lightmock.core.exceptions import InvalidInputException

# The model as the service enforces it: botocore's, with the documented differences applied.
from lightmock.schema.differences import served_operation_model as operation_model

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


_NULL_MEMBER = ": is null (absent members must be left out)"


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


#: Integers of smaller magnitude convert to a finite float; the fast path accepts them.
_FLOAT_SAFE_INT = 2**1023


def _finite(value: int | float) -> bool:
    """Whether a JSON number is a finite double: NaN, ±inf and integers too large for a
    double (``10**400``, which JSON allows) are not."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _check_finite_number(value: Any, path: str, problems: Problems) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{path}: expected a number, got {_show(value)}")
    elif not _finite(value):
        problems.append(f"{path}: expected a finite number, got {_show(value)}")


def _check_boolean(value: Any, path: str, problems: Problems) -> None:
    if not isinstance(value, bool):
        problems.append(f"{path}: expected a boolean, got {_show(value)}")


def _check_timestamp(value: Any, path: str, problems: Problems) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{path}: expected a timestamp in epoch seconds, got {_show(value)}")
    elif not _finite(value):
        problems.append(f"{path}: expected a finite timestamp, got {_show(value)}")


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

    def check_structure(value: Any, path: str, problems: Problems) -> None:
        if not isinstance(value, dict):
            problems.append(f"{path or 'body'}: expected an object, got {type(value).__name__}")
            return
        for name in required:
            if value.get(name) is None:  # JSON null is absent, as AWS JSON services read it
                problems.append(f"{_join(path, name)}: a value is required")
        for name, item in value.items():
            checker = members.get(name)
            if checker is None:
                if name not in member_shapes:
                    problems.append(f"{_join(path, name)}: is not a member of {shape.name}")
                    continue
                checker = members[name] = _compile(member_shapes[name], output)
            if item is None:
                if output:
                    problems.append(_join(path, name) + _NULL_MEMBER)
            else:
                checker(item, _join(path, name), problems)

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


class _FastPath:
    """Writes the checker of a whole input or output as Python source, run through ``exec``.

    The closures above say what is wrong; they cost a call per member and a path string
    per level. The generated code asks only "is this valid?", inline, one expression per
    scalar member (``isinstance(v, str) and v in ENUM``), and builds no path unless a
    member fails, when it hands that member (or the whole container) to its closure,
    which words the problem. So valid input, the usual case on every call, costs a few
    dictionary lookups and comparisons. Each expression accepts only what its closure
    accepts; the tests compare the two on generated requests.
    """

    def __init__(self, output: bool) -> None:
        self.output = output
        self.namespace: dict[str, Any] = {"_join": _join, "isinstance": isinstance, "len": len, "math": math}
        self.functions: dict[str, str] = {}
        self.pending: list[tuple[Shape, str]] = []
        self.source: list[str] = []

    def constant(self, value: Any) -> str:
        name = f"K{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def function(self, shape: Shape) -> str:
        name = self.functions.get(shape.name)
        if name is None:
            name = self.functions[shape.name] = f"check_{len(self.functions)}"
            self.pending.append((shape, name))
        return name

    def build(self, shape: Shape) -> Checker:
        entry = self.function(shape)
        while self.pending:
            self.source.extend(self.define(*self.pending.pop()))
        exec(compile("\n".join(self.source), f"<lightmock checker of {shape.name}>", "exec"), self.namespace)
        checker: Checker = self.namespace[entry]
        return checker

    def valid(self, shape: Shape, v: str) -> str | None:
        """An expression true only where ``_compile(shape)`` finds nothing wrong; None if
        there is none (containers, which get a function of their own)."""
        kind = shape.type_name
        if kind == "string":
            if shape.name == RESOURCE_NAME_SHAPE:
                return f"isinstance({v}, str) and {self.constant(_RESOURCE_NAME.fullmatch)}({v}) is not None"
            if shape.enum:
                return f"isinstance({v}, str) and {v} in {self.constant(frozenset(shape.enum))}"
            tests = [f"isinstance({v}, str)"]
            if shape.metadata.get("min") is not None:
                tests.append(f"len({v}) >= {int(shape.metadata['min'])}")
            if shape.metadata.get("max") is not None:
                tests.append(f"len({v}) <= {int(shape.metadata['max'])}")
            if shape.metadata.get("pattern"):
                fullmatch = re.compile(shape.metadata["pattern"], re.ASCII).fullmatch
                tests.append(f"{self.constant(fullmatch)}({v}) is not None")
            return " and ".join(tests)
        if kind in ("integer", "long"):
            tests = [f"{v}.__class__ is int"]
            if shape.metadata.get("min") is not None:
                tests.append(f"{v} >= {int(shape.metadata['min'])}")
            if shape.metadata.get("max") is not None:
                tests.append(f"{v} <= {int(shape.metadata['max'])}")
            return " and ".join(tests)
        limit = self.constant(_FLOAT_SAFE_INT)
        finite = f"({v}.__class__ is float and math.isfinite({v}) or {v}.__class__ is int and -{limit} < {v} < {limit})"
        if kind in ("double", "float"):
            return f"({v}.__class__ is float or {v}.__class__ is int)" if self.output else finite
        if kind == "boolean":
            return f"{v}.__class__ is bool"
        if kind == "timestamp":
            return finite
        if kind == "blob":
            return f"isinstance({v}, str)"
        return None

    def member(self, shape: Shape, v: str, path: str, indent: str) -> list[str]:
        """Lines checking expression ``v``; ``path`` is evaluated only when needed."""
        if shape.type_name in ("structure", "list"):
            return [f"{indent}{self.function(shape)}({v}, {path}, problems)"]
        words = self.constant(_compile(shape, self.output))
        test = self.valid(shape, v)
        if test is None:  # a map: rare enough to leave to its closure
            return [f"{indent}{words}({v}, {path}, problems)"]
        return [f"{indent}if not ({test}):", f"{indent}    {words}({v}, {path}, problems)"]

    def define(self, shape: Shape, name: str) -> list[str]:
        words = self.constant(_compile(shape, self.output))
        lines = [f"def {name}(value, path, problems):"]
        if isinstance(shape, ListShape):
            limits = []
            if shape.metadata.get("min") is not None:
                limits.append(f"len(value) < {int(shape.metadata['min'])}")
            if shape.metadata.get("max") is not None:
                limits.append(f"len(value) > {int(shape.metadata['max'])}")
            lines += [
                f"    if value.__class__ is not list{''.join(' or ' + limit for limit in limits)}:",
                f"        {words}(value, path, problems)",
                "        return",
                "    for index, item in enumerate(value):",
            ]
            lines += self.member(shape.member, "item", 'f"{path}[{index}]"', "        ")
            return lines
        assert isinstance(shape, StructureShape)
        members = dict(shape.members)
        lines += [
            "    if value.__class__ is not dict:",
            f"        {words}(value, path, problems)",
            "        return",
        ]
        # Members in the model's order, then any the shape does not have; one lookup per
        # member. The messages are the closure's (check_structure), word for word.
        required = set() if self.output else set(shape.required_members)
        absent = self.constant(object())
        lines.append("    seen = 0")
        for index, (member_name, member_shape) in enumerate(members.items()):
            v = f"v{index}"
            missing = f"problems.append(_join(path, {member_name!r}) + ': a value is required')"
            lines.append(f"    {v} = value.get({member_name!r}, {absent})")
            if member_name in required:  # absent or null (JSON null is absent in a request)
                lines += [f"    if {v} is {absent}:", f"        {missing}", "    else:"]
            else:
                lines.append(f"    if {v} is not {absent}:")
            lines += ["        seen += 1", f"        if {v} is None:"]
            if self.output:  # a response must leave an absent member out, not send null
                lines.append(f"            problems.append(_join(path, {member_name!r}) + {_NULL_MEMBER!r})")
            else:
                lines.append(f"            {missing}" if member_name in required else "            pass")
            lines.append("        else:")
            lines += self.member(member_shape, v, f"_join(path, {member_name!r})", "            ")
        known = self.constant(frozenset(members))
        lines += [
            "    if seen != len(value):",
            "        for name in value:",
            f"            if name not in {known}:",
            f"                problems.append(_join(path, name) + {': is not a member of ' + shape.name!r})",
        ]
        return lines


@functools.cache
def input_checker(operation: str) -> Checker:
    """The compiled checker of an operation's input (built once per operation)."""
    shape = operation_model(operation).input_shape
    if shape is None:
        return _check_empty
    return _FastPath(output=False).build(shape)


@functools.cache
def output_checker(operation: str) -> Checker:
    shape = operation_model(operation).output_shape
    if shape is None:
        return _check_empty
    return _FastPath(output=True).build(shape)


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
