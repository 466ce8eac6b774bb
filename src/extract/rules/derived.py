"""Values derived from loaded rules, built once per rules object.

``derived(build, *sources)`` returns ``build(*sources)``, built the first
time and kept with the objects it was built from: the entry is keyed by
their identities, and holding them keeps those identities theirs while the
entry lives. For what the stages derive from the rules on their hot paths
(a lookup table, a joined pattern) and that the rules cache does not hold."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
MOST = 256  # entries kept; more rule sets than this in one process start the table again
MEMO_MOST = 65_536  # entries of a memo of texts or values (``kept``)

_DERIVED: dict[tuple, tuple[tuple, object]] = {}


def derived(build: Callable[..., T], *sources: object) -> T:
    """``build(*sources)``, once per ``build`` and identical ``sources``.
    (The entry holds the sources, so no other object takes their ids while
    it lives: the ids alone tell an entry.)"""
    key = (build, id(sources[0])) if len(sources) == 1 else (build, *map(id, sources))
    got = _DERIVED.get(key)
    if got is None:
        if len(_DERIVED) >= MOST:
            _DERIVED.clear()
        got = _DERIVED[key] = (sources, build(*sources))
    return got[1]  # type: ignore[return-value]


def kept(memo: dict, key: object, value: T, most: int = MEMO_MOST) -> T:
    """``value`` stored in ``memo`` under ``key`` and returned: the store of
    a bounded memo of a hot path (a text, a value → what a stage read of
    it), emptied at once when it already holds ``most`` entries."""
    if len(memo) >= most:
        memo.clear()
    memo[key] = value
    return value
