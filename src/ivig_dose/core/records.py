"""Frozen records: what ``@dataclass(frozen=True)`` makes, at a fifth of its cost to create.

On Python 3.11 ``dataclass(frozen=True)`` compiles six methods from source for every class
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``): about
4 million instructions a class, and a plain ``plan`` creates some forty classes before it prints
anything. :func:`frozen` lets ``dataclasses`` do the bookkeeping (fields, defaults, ``fields()``,
``replace()``, ``asdict()``), compiles only ``__init__``, and gives every record the same five
other methods, which read the fields through one ``operator.attrgetter``. Instances behave as a
frozen dataclass's: the same constructor, equality, hash, repr and
:class:`dataclasses.FrozenInstanceError` (tests/test_records.py holds them to it). Only
``default`` and ``default_factory`` of :func:`dataclasses.field` are supported, which is all the
package uses.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def frozen(cls: type[T]) -> type[T]:
    """A frozen record of ``cls``'s annotated fields, as ``@dataclass(frozen=True)`` makes it."""
    record = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    fields = dataclasses.fields(record)  # type: ignore[arg-type]
    names = tuple(field.name for field in fields)
    values = _values(names)
    methods = {"__init__": _init(record, fields), "__eq__": _eq(values), "__hash__": lambda self: hash(values(self)),
               "__repr__": _repr(names), "__setattr__": _refuse, "__delattr__": _refuse_delete}
    for name, method in methods.items():
        setattr(record, name, method)
    return record


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields' values as a tuple, as a dataclass compares and hashes them."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda record: (one(record),)
    return lambda record: ()


def _eq(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    return __repr__


def _refuse(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_delete(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    """The one compiled method: every field set at once, as the instance's dictionary (one call,
    where a frozen dataclass makes one a field: cheaper to compile, and to call for each record)."""
    scope: dict[str, Any] = {"_set": object.__setattr__, "_none": dataclasses.MISSING}
    parameters, values = [], []
    for field in fields:
        name = field.name
        if field.default is not dataclasses.MISSING:
            scope[f"_default_{name}"] = field.default
            parameters.append(f"{name}=_default_{name}")
            values.append(f"{name!r}: {name}")
        elif field.default_factory is not dataclasses.MISSING:
            scope[f"_factory_{name}"] = field.default_factory
            parameters.append(f"{name}=_none")
            values.append(f"{name!r}: _factory_{name}() if {name} is _none else {name}")
        else:
            parameters.append(name)
            values.append(f"{name!r}: {name}")
    source = f"def __init__(self, {', '.join(parameters)}):\n _set(self, '__dict__', {{{', '.join(values)}}})\n"
    exec(source, scope)
    init: Callable[..., None] = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init
