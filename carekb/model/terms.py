"""The Spanish glossary of term choices (facts.yaml `terms_es:`): one Spanish term for each
English term of the public site, with the Spanish pages of federal sites that use it.

Plain dataclasses, no mkdocs import. `carekb.model.facts` re-exports the main classes; the rules of
meaning that keep the Spanish texts to these terms are in carekb/meaning/terms.py and
carekb/i18n/spanish_terms.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from carekb.model.base import Node, Reviewed


@dataclass(eq=False)
class TermSource(Node):
    """A Spanish page of a federal (or, said so, state or other) site whose words we follow."""

    id: str = ""
    title: str = ""
    url: str | None = None  # None: seen as a stored copy, its address not checked
    says: str = ""  # the terms it uses, as it writes them


@dataclass(eq=False)
class TermChoice(Node):
    """One English term and the one Spanish term used for it everywhere."""

    id: str = ""
    en: str = ""
    es: str = ""
    fact: str | None = None  # the fact it names (levels.iop), whose name must be this term
    plural: str | None = None
    abbr: str | None = None  # an English abbreviation kept in Spanish (IOP)
    first_use: str | None = None  # how a page writes it the first time
    source: str = "none"  # a TermSource id, or "none" (then `why` says why this term)
    why: str | None = None
    note: str | None = None
    same_as: str | None = None  # the term whose Spanish this one shares (MOUD and its long name)
    avoid: tuple[str, ...] = ()  # other Spanish words for it, never used in Spanish texts


@dataclass(eq=False)
class SpanishTerms(Reviewed):
    """facts.yaml `terms_es:`: the term choices and their sources."""

    sources: dict[str, TermSource] = field(default_factory=dict)
    terms: dict[str, TermChoice] = field(default_factory=dict)
