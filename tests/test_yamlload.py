"""Reading facts.yaml without PyYAML's tag guessing still knows what YAML 1.1 would have read each value as; build sessions stay out of the garbage collector's way without leaking."""

from __future__ import annotations

import yaml

from carekb.load.yamlload import PLAIN, Loader, implicit_tag

SCALARS = ["no", "No", "off", "yes", "true", "False", "~", "null", "Null", "", "988", "-3", "+1.5", "1:30",
           "0x1F", "0o17", "1_000", ".5", ".inf", "-.Inf", ".nan", "2026-11-01", "2026-11-01 10:00:00", "<<",
           "=", "Nobody", "Often", "Yesterday", "text with: colon", "3 days", "2026-1-1x"]


def tags(text: str, loader: type) -> list[str]:
    root = yaml.compose(text, Loader=loader)
    return [implicit_tag(item) for item in root.value]


def test_plain_values_get_the_tag_the_safe_loader_gives() -> None:
    """Booleans, numbers, times, dates, nulls and merge keys are recognised exactly as yaml.SafeLoader does."""
    text = "".join(f"- {s}\n" if s else "- \n" for s in SCALARS)
    assert tags(text, Loader) == tags(text, yaml.SafeLoader)


def test_quoted_and_explicitly_tagged_values_keep_their_tag() -> None:
    """A quoted `no` is text; `!!str no` is text; `!!int 5` stays an int; only plain values are left to guess."""
    root = yaml.compose('- "no"\n- !!str no\n- !!int 5\n- no\n', Loader=Loader)
    assert [n.tag for n in root.value] == ["tag:yaml.org,2002:str", "tag:yaml.org,2002:str",
                                          "tag:yaml.org,2002:int", PLAIN]
    assert [implicit_tag(n) for n in root.value][-1] == "tag:yaml.org,2002:bool"


def test_a_new_build_session_lets_the_last_one_be_collected() -> None:
    """Each session is frozen out of the collector's way, yet the next one releases it (no leak across rebuilds)."""
    import gc
    import weakref
    from pathlib import Path

    from carekb.base import collector

    from carekb.build import session
    from carekb.load.facts_yaml import load_facts

    facts_file = Path(__file__).resolve().parent.parent / "facts.yaml"
    try:
        first = session.start(load_facts(facts_file)[0])
        assert gc.get_freeze_count() > 0
        gone = weakref.ref(first.facts)
        del first
        session.start(load_facts(facts_file)[0])
        gc.collect()
        assert gone() is None
    finally:
        collector.release()
