"""A total summed on first use and kept: ``functools.cached_property`` without its lock.

Before Python 3.12, ``cached_property`` takes a lock on every first access, which costs several
times the sum it guards; a batch of 10,000 patients asks for tens of thousands of day and course
totals. The values it keeps belong to frozen dataclasses, whose parts cannot change, and two
threads computing the same total at once would both get the same number, so no lock is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class computed_once(Generic[T]):
    """Computes ``func(instance)`` once and stores it in the instance's ``__dict__``, where it is
    found before this (non-data) descriptor on every later access."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> computed_once[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | computed_once[T]:
        if instance is None:
            return self
        value: T = self.func(instance)
        instance.__dict__[self.name] = value
        return value
