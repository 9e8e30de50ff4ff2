"""Who may see what: each page's audience, and the view of the facts each build renders.

Two rules, both failing closed:

- A page's audience comes from one place, `page_audience`: a page under `content/staff/` is
  staff-only whatever its front matter says; elsewhere front matter may say `audience: public`
  or `audience: staff`, spelt exactly so. Anything else is an error, never a guess.
- The public build never holds a staff-only fact: `view(facts, PUBLIC)` is a copy of the
  fact base with every staff-only entity, figure and note taken out. The staff build gets a
  copy with everything. Both are read-only (`FactGroup`, `FactList`).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Mapping
from typing import Any

from carekb.model.facts import (GROUPS, PUBLIC, STAFF, Facts, ModelPrintError, Node, ReadOnlyError,
                                StaffOnlyError)

STAFF_DIR = "staff"  # content/staff/: every page and file in it is staff-only
AUDIENCES = (PUBLIC, STAFF)


class AudienceError(ValueError):
    """A page's front matter says something about its audience that is not allowed."""


def in_staff_dir(src_uri: str) -> bool:
    """True for anything under content/staff/ (any spelling of the folder's case)."""
    return src_uri.replace("\\", "/").split("/", 1)[0].casefold() == STAFF_DIR


def page_audience(src_uri: str, meta: Mapping[str, Any], text: str = "",
                  name: str | None = None) -> str:
    """PUBLIC or STAFF for the page `src_uri` (a path under content/) with front matter `meta`.

    Raises AudienceError naming the page (`name`, else content/<src_uri>) and the line of
    the `audience` key in `text`.
    """
    where = name or f"content/{src_uri}"
    keys = [k for k in meta if isinstance(k, str) and k.strip().casefold() == "audience"]
    wrong_keys = [k for k in keys if k != "audience"]
    if wrong_keys:
        raise AudienceError(f"{where}:{_line(text, wrong_keys[0])}: front matter key "
                            f"`{wrong_keys[0]}` is not `audience`. Fix: write `audience: "
                            f"{STAFF}` (lower case) or `audience: {PUBLIC}`.")
    staff_dir = in_staff_dir(src_uri)
    if "audience" not in meta:
        if _AUDIENCE_KEY.search(_front_matter(text)):
            raise AudienceError(f"{where}:{_line(text, 'audience')}: the front matter names an "
                                "audience but could not be read as YAML. Fix: write it as "
                                "`audience: staff` between two `---` lines, each on its own line.")
        return STAFF if staff_dir else PUBLIC
    value = meta["audience"]
    if value not in AUDIENCES or not isinstance(value, str):
        raise AudienceError(f"{where}:{_line(text, 'audience')}: audience: {_shown(value)} is "
                            f"not `{PUBLIC}` or `{STAFF}`. Fix: did you mean "
                            f"`{_closest(value)}`? Write it exactly so, in lower case.")
    if staff_dir and value == PUBLIC:
        raise AudienceError(f"{where}:{_line(text, 'audience')}: audience: public, but every "
                            "page under content/staff/ is staff-only. Fix: write `audience: "
                            "staff`, or move the page out of content/staff/ to publish it.")
    return value


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else f"{value!r} ({type(value).__name__})"


def _closest(value: Any) -> str:
    text = " ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    found = difflib.get_close_matches(text.strip().casefold(), AUDIENCES, n=1, cutoff=0.0)
    return found[0] if found else STAFF


_AUDIENCE_KEY = re.compile(r"^[ \t]*['\"]?audience['\"]?[ \t]*:", re.I | re.M)


def _front_matter(text: str) -> str:
    """The front-matter block at the top of a page (YAML between `---` lines), or ""."""
    if not text.startswith("---"):
        return ""
    end = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[3:], re.M)
    return text[3:3 + end.start()] if end else text


def _line(text: str, key: str) -> int:
    """The 1-based line of front-matter key `key` in the page's text (1 if not found)."""
    found = re.search(rf"^[ \t]*['\"]?{re.escape(key)}['\"]?[ \t]*:", text, re.M)
    return text.count("\n", 0, found.start()) + 1 if found else 1


class PageAudiences:
    """Each page's audience, decided once per build (front matter parsed once per page)."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    def of(self, src_uri: str, text: str, parse: Callable[[str], Mapping[str, Any]],
           name: str | None = None) -> str:
        """The audience of page `src_uri`; `parse(text)` gives its front matter, once."""
        found = self._known.get(src_uri)
        if found is None:
            found = self._known[src_uri] = page_audience(src_uri, parse(text), text, name)
        return found


# -- the read-only views of the facts -------------------------------------------------------
def _refuse(self: Any, *_: Any, **__: Any) -> None:
    raise ReadOnlyError(f"{getattr(self, 'path', 'the facts')} cannot be changed by a page; "
                        "change facts.yaml instead")


class FactList(list):  # type: ignore[type-arg]
    """A list in the fact base that refuses every change: pages read the facts, never write."""

    def __init__(self, path: str, items: Any = ()) -> None:
        super().__init__(items)
        self.path = path

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse  # type: ignore[assignment]
    append = extend = insert = pop = remove = _refuse  # type: ignore[assignment]
    clear = sort = reverse = _refuse  # type: ignore[assignment]

    def __str__(self) -> str:
        if any(isinstance(v, (Node, StaffOnly, dict, list)) for v in self):
            raise ModelPrintError(self.path, self)
        return list.__repr__(self)

    __html__ = __str__


class FactGroup(dict):  # type: ignore[type-arg]
    """A named group of facts (`levels`, `billing_codes`, `hours_per_week`...), read-only.

    In the public view a staff-only entry is absent: iteration, `in`, `len`, `keys()`,
    `values()`, `items()` and `get()` never show it, nor its id. Reading it by name gives a
    `StaffOnly` placeholder that holds only its path, so the page is told it is staff-only.
    """

    def __init__(self, path: str, items: Any = (), hidden: Mapping[str, str] | None = None) -> None:
        super().__init__(items)
        self.path = path
        self._hidden = dict(hidden or {})  # id -> path of a staff-only entry left out

    def __missing__(self, key: Any) -> StaffOnly:
        if isinstance(key, str) and key in self._hidden:
            return StaffOnly(self._hidden[key])
        raise KeyError(key)

    def hidden_path(self, key: str) -> str | None:
        """The path of the staff-only entry `key` left out of this (public) group, if any."""
        return self._hidden.get(key)

    __setitem__ = __delitem__ = __ior__ = _refuse  # type: ignore[assignment]
    pop = popitem = clear = update = setdefault = _refuse  # type: ignore[assignment]

    def __str__(self) -> str:
        raise ModelPrintError(self.path, self)

    __html__ = __repr__ = __str__  # type: ignore[assignment]


class StaffOnly:
    """Stands in for a staff-only fact in the public view: it holds only the fact's path, and
    any use of it fails. It is falsy, so `{% if %}` can skip it without showing it."""

    __slots__ = ("_path",)

    def __init__(self, path: str) -> None:
        object.__setattr__(self, "_path", path)

    def __bool__(self) -> bool:
        return False

    def _refuse(self, *_: Any, **__: Any) -> Any:
        raise StaffOnlyError(self._path)

    __str__ = __html__ = __repr__ = __format__ = __iter__ = __len__ = _refuse
    __getitem__ = __contains__ = __setattr__ = __call__ = _refuse

    def __getattr__(self, name: str) -> Any:
        raise StaffOnlyError(self._path)


def refuse(value: Any) -> None:
    """Raise StaffOnlyError naming the fact when `value` stands in for a staff-only one.

    Code asks here; printing or using the placeholder in a template fails the same way."""
    if isinstance(value, StaffOnly):
        raise StaffOnlyError(object.__getattribute__(value, "_path"))


# Id lists that name entities of another group: in the public view they name visible ones only.
_ID_LISTS = {"modality_ids": "modalities", "format_ids": "formats", "level_ids": "levels",
             "steps_down_to_ids": "levels", "steps_up_to_ids": "levels",
             "suggests": "levels", "rules_out": "levels"}
_KEEP = {"path", "loc", "owner"}


def view(facts: Facts, audience: str) -> Facts:
    """The read-only fact base a build of `audience` renders from.

    PUBLIC: no staff-only node at all, and no way back to one: a figure's or note's `owner` is
    the view's copy of its entity, never the entity of the full fact base. Staff-only entries
    of the named groups leave only their path behind (`FactGroup` placeholders); staff-only
    figures and notes in lists are removed;
    a staff-only single figure or note becomes None, its path kept in the owner's
    `_hidden_fields` (see `hidden`) so a page naming it is told it is staff-only; id lists name
    only public entities. STAFF: everything. A view of a view is itself.
    """
    if audience not in (PUBLIC, STAFF):
        raise ValueError(f"audience must be {PUBLIC!r} or {STAFF!r}, not {audience!r}")
    if getattr(facts, "_view_of", None) == audience:
        return facts
    public = audience == PUBLIC
    left_out = {g: {k: e.path for k, e in getattr(facts, g).items() if public and e.staff_only}
              for g in GROUPS}

    def shown(value: Any) -> bool:
        return not (public and isinstance(value, Node) and getattr(value, "staff_only", False))

    def copy(value: Any, path: str, name: str = "") -> Any:
        if isinstance(value, Node):
            changes, gone = {}, {}
            for f in dataclasses.fields(value):
                if not f.init or f.name in _KEEP:
                    continue
                inner = getattr(value, f.name)
                if shown(inner):
                    changes[f.name] = copy(inner, f"{value.path}.{f.name}", f.name)
                else:  # a staff-only figure or note: absent (None), its path kept for messages
                    changes[f.name], gone[f.name] = None, inner.path
            out = dataclasses.replace(value, **changes)
            if gone:
                out._hidden_fields = gone
            _own(out, value)
            return out
        if isinstance(value, list):
            group = _ID_LISTS.get(name)
            if group is not None:
                return FactList(path, [i for i in value if i not in left_out[group]])
            return FactList(path, [copy(v, path) for v in value if shown(v)])
        if isinstance(value, dict):
            return FactGroup(path, {k: copy(v, f"{path}.{k}")
                                    for k, v in value.items() if shown(v)},
                             {k: v.path for k, v in value.items() if not shown(v)})
        return value

    groups = {g: FactGroup(g, {k: copy(e, e.path) for k, e in getattr(facts, g).items()
                               if k not in left_out[g]}, left_out[g]) for g in GROUPS}
    check = facts.self_check
    keep_check = check is not None and shown(check)
    out = dataclasses.replace(facts, **groups,
                              self_check=copy(check, check.path) if keep_check else None)
    out._view_of = audience  # type: ignore[attr-defined]
    if check is not None and not shown(check):
        out._hidden_fields = {"self_check": check.path}  # type: ignore[attr-defined]
    return out


def _own(copy: Any, original: Any) -> None:
    """Point the figures and notes of `copy` that belonged to `original` at `copy`: in the view,
    `owner` never leads back to the unfiltered entry (its staff-only notes and all)."""
    for f in dataclasses.fields(copy):
        if f.name in _KEEP:
            continue
        inner = getattr(copy, f.name)
        for item in (inner.values() if isinstance(inner, dict) else
                     inner if isinstance(inner, list) else (inner,)):
            if getattr(item, "owner", None) is original:
                item.owner = copy


def hidden(obj: Any, name: str) -> StaffOnly | None:
    """A placeholder for field `name` of a view object if the public view took it out."""
    path = getattr(obj, "_hidden_fields", {}).get(name)
    return StaffOnly(path) if path else None
