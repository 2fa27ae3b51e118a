# The loader's quick path in C (_quickyaml.c): a document's values and its entries' places.
from collections.abc import Callable
from typing import Any

def document(
    text: str,
    scalar: Callable[[str | None, str, bool, bool], Any],
    needs_care: type[Exception],
    firsts: str | None,
    max_depth: int,
) -> tuple[dict[str, Any], dict[tuple[str | int, ...], tuple[int, int]]]: ...
