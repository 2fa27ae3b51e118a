"""advisories: which restrictions are in force where your people are going.

The library API: `load_rules` reads a rule tree, `evaluate` answers a question about it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["days_query", "evaluate", "instant_query", "load_rules"]

if TYPE_CHECKING:
    from advisories.evaluate import days_query, evaluate, instant_query
    from advisories.tree import load_rules


def __getattr__(name: str) -> Any:
    # Imported on first use so that `import advisories.models` stays light.
    if name in ("evaluate", "days_query", "instant_query"):
        from advisories import evaluate as module

        return getattr(module, name)
    if name == "load_rules":
        from advisories.tree import load_rules

        return load_rules
    raise AttributeError(name)
