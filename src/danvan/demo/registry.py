"""Where every app plugs its demo data into `danvan demo-data`.

An app adds a module ``demo_data.py`` next to its ``models.py`` and registers generators::

    from danvan.demo.registry import DemoContext, register

    @register("cases.feedback", order=200)
    def feedback(ctx: DemoContext) -> dict[str, int]:
        ...  # create through the app's services, using ctx.rng only
        return {"cases": 123}

The command imports every installed app's ``demo_data`` module, then runs the generators
in (order, name) order inside one transaction. Rules for a generator:

- deterministic: draw only from ``ctx.rng`` (or ``ctx.rng_for(...)`` for a stream per
  object), never from the global ``random`` module or the clock;
- idempotent: look at what exists and create only what is missing, so a re-run with the
  same arguments creates nothing and is quick;
- bounded: honour ``ctx.scale`` and ``ctx.households_enabled`` / ``ctx.communes``;
- return the number of rows it created per kind, for the run summary and its audit entry.

Built-in generators (``danvan.demo.generators``) run first: villages (order 10),
households (20), officials (30). Later generators find the demo officials in
``ctx.officials`` and the communes that have them in ``ctx.focus_communes``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules

SCALES = ("small", "large")


@dataclass
class DemoContext:
    """Everything a generator may use; ``rng`` is private to the generator being run."""

    rng: random.Random
    seed: int
    scale: str
    # The named province, or None for "all".
    province: Any
    # Provinces whose communes get villages (one, or all 34).
    provinces: list[Any]
    # Communes that get villages, in code order (all of them unless the run was limited).
    communes: list[Any]
    # Communes that get demo officials (2-3 of the focus province).
    focus_communes: list[Any]
    # The province that gets demo officials: the named one, or the configured demo province.
    focus_province: Any
    actor: Any = None
    # Households are made only for a named province, so a national run stays bounded.
    households_enabled: bool = False
    # Demo officials by key ("province.leader", "commune.00004.intake_officer", …).
    officials: dict[str, Any] = field(default_factory=dict)
    # (username, full name, role label, unit name) rows for the credentials table.
    credentials: list[tuple[str, str, str, str]] = field(default_factory=list)

    def rng_for(self, *parts: object) -> random.Random:
        """A random stream of its own for one object (e.g. one commune), stable across runs.

        Seeding from a string is deterministic in CPython (it hashes with SHA-512, not the
        salted ``hash()``), and per-object streams keep a commune's villages the same
        whether the run covers one province, all of them, or a limited test subset.
        """
        return random.Random(":".join([str(self.seed), *(str(p) for p in parts)]))


Generator = Callable[[DemoContext], dict[str, int] | None]


@dataclass(frozen=True)
class Registered:
    name: str
    order: int
    func: Generator
    # Vietnamese labels (lazy) for the count keys the generator returns, for the summary.
    labels: dict[str, Any] = field(default_factory=dict)


_REGISTRY: dict[str, Registered] = {}


def register(name: str, *, order: int = 100,
             labels: dict[str, Any] | None = None) -> Callable[[Generator], Generator]:
    """Decorator: add a demo-data generator under a unique dotted ``name``.

    ``labels`` maps the keys of the counts it returns to Vietnamese labels (gettext_lazy),
    e.g. ``{"cases": _("phản ánh, kiến nghị")}``.
    """

    def decorate(func: Generator) -> Generator:
        existing = _REGISTRY.get(name)
        # Re-importing the same module (autoreload, tests) re-registers the same function;
        # two different functions under one name is a programming error.
        if existing is not None and (existing.func.__module__, existing.func.__qualname__) != (
                func.__module__, func.__qualname__):
            raise ValueError(f"demo generator {name!r} is already registered")
        _REGISTRY[name] = Registered(name=name, order=order, func=func, labels=dict(labels or {}))
        return func

    return decorate


def unregister(name: str) -> None:
    """Remove a generator (tests use this to clean up after registering one)."""
    _REGISTRY.pop(name, None)


def discover() -> None:
    """Import the built-in generators and every installed app's ``demo_data`` module."""
    from . import generators  # noqa: F401  (registers the built-ins on import)

    autodiscover_modules("demo_data")


def generators_in_order() -> list[Registered]:
    """All registered generators, in the order they run."""
    discover()
    return sorted(_REGISTRY.values(), key=lambda r: (r.order, r.name))
