"""Output formats: each module has `render(report, **options) -> str`; FORMATS picks one by name."""

from __future__ import annotations

from collections.abc import Callable

from . import json, text

FORMATS: dict[str, Callable[..., str]] = {
    "text": text.render,
    "json": json.render,
}
