"""Synthetic fact bases: the real `facts.yaml` scaled to N times its size.

Scaling keeps the real file and adds N-1 renamed copies of every source, level, format,
modality, condition, glossary term and billing code (`cbt` gets `cbt_2` … `cbt_N`). Each
copy points at the copies of its own set (`levels.iop_7` lists `cbt_7` and steps down to
`op_7`, its figures cite `asam3_7`), so every reference is valid, every page stays the same
size, and only the number of pages grows. Names and abbreviations get the copy's number so
titles, anchors and glossary entries stay distinct. Crisis resources and the self-check are
site-wide and are not copied.

    python -m benchmarks.synthetic 100 -o /tmp/facts-100x.yaml
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from carekb.meaning.terms import NAMED

ROOT = Path(__file__).resolve().parent.parent
REAL_FACTS = ROOT / "facts.yaml"

# Sections copied per set, and the reference fields inside an entry that point into them.
SCALED = ("sources", "levels", "formats", "modalities", "conditions", "glossary", "billing_codes")
REF_FIELDS = {"source", "sources", "modalities", "formats", "steps_down_to", "sets_apart"}


def copy_id(ident: str, k: int) -> str:
    return ident if k == 1 else f"{ident}_{k}"


def _renamed_refs(value: Any, k: int) -> Any:
    if isinstance(value, str):
        return copy_id(value, k)
    if isinstance(value, list):
        return [copy_id(v, k) for v in value]
    return value  # null / empty


def _rewrite(node: Any, k: int) -> Any:
    """A deep copy of one entry whose references point at set k."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in REF_FIELDS:
                out[key] = _renamed_refs(value, k)
            elif key == "supports" and isinstance(value, list):
                # A kind of claim may name one therapy (`modalities.cbt`): that of this set.
                out[key] = [f"modalities.{copy_id(v.split('.', 1)[1], k)}" if v.startswith("modalities.") else v
                            for v in value]
            else:
                out[key] = _rewrite(value, k)
        return out
    if isinstance(node, list):
        return [_rewrite(v, k) for v in node]
    return node


def _label(section: str, entry: dict, k: int) -> None:
    """Give copy k its own visible names (titles, nav entries and glossary terms stay unique)."""
    for key in ("name", "title"):
        if isinstance(entry.get(key), str):
            entry[key] = f"{entry[key]} (site {k})"
    if entry.get("abbr"):
        entry["abbr"] = f"{entry['abbr']}{k}"
    if section == "glossary":
        # An abbreviation stays one word (IOT7); a phrase gets the site like a name does.
        entry["term"] = f"{entry['term']}{k}" if entry.get("stands_for") else f"{entry['term']} (site {k})"


def scale(data: dict, factor: int) -> dict:
    """The fact base `data` (as read by yaml.safe_load) with `factor` sets of every scaled section."""
    if factor < 1:
        raise ValueError("factor must be 1 or more")
    out = dict(data)
    for section in SCALED:
        entries = data.get(section) or {}
        grown: dict[str, Any] = dict(entries)
        for k in range(2, factor + 1):
            for ident, entry in entries.items():
                new_id = copy_id(ident, k)
                if new_id in grown or new_id in entries:
                    raise ValueError(f"{section}.{new_id} would exist twice")
                clone = _rewrite(entry, k)
                _label(section, clone, k)
                if section == "levels":
                    # The self-check is site-wide and not copied: it offers the real levels only.
                    clone["in_self_check"] = False
                grown[new_id] = clone
        out[section] = grown
    _scale_spanish_terms(out, data, factor)
    return out


def _scale_spanish_terms(out: dict, data: dict, factor: int) -> None:
    """Each copied fact that needs a Spanish term gets its own (carekb/meaning/terms.py: one term
    per level, format, therapy, condition and crisis service)."""
    terms_es = data.get("terms_es")
    if not terms_es or factor < 2:
        return
    terms = dict(terms_es.get("terms") or {})
    for ident, term in (terms_es.get("terms") or {}).items():
        group, _, key = str(term.get("fact") or "").partition(".")
        if group not in SCALED or group not in NAMED:  # a copied fact the rule asks a term of
            continue
        for k in range(2, factor + 1):
            clone = dict(term, fact=f"{group}.{copy_id(key, k)}")
            for field in ("en", "es"):
                clone[field] = f"{term[field]} (site {k})"
            for field in ("abbr", "first_use", "plural", "avoid"):
                clone.pop(field, None)
            terms[copy_id(ident, k)] = clone
    out["terms_es"] = dict(terms_es, terms=terms)


def scaled_text(factor: int, source: Path = REAL_FACTS) -> str:
    """YAML text of the real fact base scaled `factor` times."""
    data = yaml.load(source.read_text(encoding="utf-8"), Loader=_LOADER)
    header = (f"# Synthetic fact base: {source.name} scaled {factor}x by benchmarks/synthetic.py. "
              "Do not edit.\n")
    return header + yaml.dump(scale(data, factor), Dumper=_Plain, **STYLE)


# How scaled_text writes YAML: keys in the fact base's order, accents as they are, lines of 120.
STYLE = {"sort_keys": False, "allow_unicode": True, "width": 120}


# libyaml's loader and emitter when PyYAML has them: the same data and the same text as the
# pure-Python ones (tests/test_bench_synthetic.py), about three times faster at 100x.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Plain(_DUMPER):  # type: ignore[valid-type,misc]
    """Writes a value used twice (a date copied into several entries) twice, as an editor
    does, instead of as an anchor and aliases (`&id001`, `*id001`), which facts.yaml never has."""

    def ignore_aliases(self, data):
        return True


def write_scaled(factor: int, dest: Path, source: Path = REAL_FACTS) -> Path:
    dest.write_text(scaled_text(factor, source), encoding="utf-8")
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("factor", type=int, help="how many times the real fact base (1, 10, 100 …)")
    parser.add_argument("-o", "--output", type=Path, help="where to write it (default: standard output)")
    parser.add_argument("--source", type=Path, default=REAL_FACTS, help="the fact base to scale")
    args = parser.parse_args(argv)
    text = scaled_text(args.factor, args.source)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
