"""Rules of meaning about the Spanish glossary of term choices (facts.yaml `terms_es:`; see
carekb/meaning/registry.py): every level, session format, therapy, condition and crisis service has its
Spanish term, each names a real fact, and one English term has one Spanish term.

The rule that keeps the Spanish texts to these terms reads facts.es.yaml and content/es/ too, so
it runs with the translations (carekb/i18n/spanish_terms.py), not here.
"""

from __future__ import annotations

from collections.abc import Iterator

from carekb.meaning.registry import problem, rule
from carekb.model.facts import Facts
from carekb.base.problems import Problem

NAMED = ("levels", "formats", "modalities", "conditions", "crisis")  # groups whose entries need a term


@rule("spanish-terms-name-facts",
      "Every level, session format, therapy, condition and crisis service has one Spanish term in "
      "`terms_es:` (its `fact:`), and every `fact:` there names a fact that exists.")
def spanish_terms_name_facts(facts: Facts) -> Iterator[Problem]:
    terms = facts.terms_es
    if terms is None:
        return
    named: dict[str, str] = {}
    for term in terms.terms.values():
        if not term.fact:
            continue
        group, _, key = term.fact.partition(".")
        if key not in getattr(facts, group, {}) or not isinstance(getattr(facts, group, None), dict):
            yield problem(term.loc, f"{term.path}.fact", f"`{term.fact}` is not a fact of this file.",
                          "name a level, format, therapy, condition, crisis service or glossary "
                          "term, like levels.iop.")
        elif term.fact in named:
            yield problem(term.loc, f"{term.path}.fact", f"{term.fact} already has its Spanish term "
                          f"in terms_es.terms.{named[term.fact]}.", "keep one term per fact.")
        named.setdefault(term.fact, term.id)
    for group in NAMED:
        for key, entity in getattr(facts, group).items():
            if f"{group}.{key}" not in named and not getattr(entity, "staff_only", False):
                yield problem(entity.loc, entity.path, "has no Spanish term in `terms_es:`, so the "
                              "Spanish site could call it two things.",
                              f"add a term with `fact: {group}.{key}` to terms_es.terms.")


@rule("one-english-term-one-spanish-term",
      "One English term has one Spanish term: no two terms of `terms_es:` share a Spanish term "
      "(unless one says `same_as:` the other), each term's `source:` is a listed Spanish source or "
      "`none`, and no term lists its own Spanish term under `avoid:`.")
def one_english_term_one_spanish_term(facts: Facts) -> Iterator[Problem]:
    terms = facts.terms_es
    if terms is None:
        return
    seen: dict[str, str] = {}
    for term in terms.terms.values():
        if term.source != "none" and term.source not in terms.sources:
            yield problem(term.loc, f"{term.path}.source", f"`{term.source}` is not one of the "
                          "sources under terms_es.sources.", "name one of them, or write `none` "
                          "with a `why:`.")
        if term.same_as:
            other = terms.terms.get(term.same_as)
            if other is None:
                yield problem(term.loc, f"{term.path}.same_as", f"`{term.same_as}` is not a term.")
            elif other.es.casefold() != term.es.casefold():
                yield problem(term.loc, f"{term.path}.es", f"is {term.es!r}, but it is the same as "
                              f"{other.path}, whose Spanish is {other.es!r}.", "use the same words.")
            continue
        key = term.es.casefold()
        if key != term.en.casefold() and key in seen:
            yield problem(term.loc, f"{term.path}.es", f"{term.es!r} is also the Spanish of "
                          f"terms_es.terms.{seen[key]}: one Spanish term would mean two things.",
                          "choose another Spanish term, or say `same_as:` if they are one thing.")
        seen.setdefault(key, term.id)
        if any(word.casefold() == key for word in term.avoid):
            yield problem(term.loc, f"{term.path}.avoid", f"lists the term itself ({term.es!r}).",
                          "list only the other words to avoid.")
