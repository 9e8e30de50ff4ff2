"""Rules of meaning about the self-check (see hooks/core/meaning.py)."""

from __future__ import annotations

from .meaning import problem, rule  # noqa: F401 - the tools every rule here uses
