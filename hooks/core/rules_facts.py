"""Rules of meaning about levels, figures, costs and sources (see hooks/core/meaning.py)."""

from __future__ import annotations

from .meaning import problem, rule  # noqa: F401 - the tools every rule here uses
