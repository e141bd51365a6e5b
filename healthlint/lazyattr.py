"""``lazy_attribute``: functools.cached_property without its lock.

Python 3.11's cached_property takes a lock the first time each instance reads each property.
The context of a claim (healthlint.context) makes a view per sentence with a dozen such facts,
most read once, and on text dense with claims the locking was a twentieth of the run. Linting
never shares a view between threads, so there is nothing to lock. (Python 3.12 dropped the lock;
there this is the same as cached_property.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class lazy_attribute(Generic[T]):  # noqa: N801 - used like the decorator it replaces
    """A method run on the first read of the attribute; its value then sits in the instance's
    ``__dict__``, where later reads find it without calling this descriptor at all."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> "lazy_attribute[T]": ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value
