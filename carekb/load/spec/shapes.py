"""A small field-spec language: each spec reads a YAML node into a Python value, reporting
located problems in plain words, and describes itself as JSON Schema.

One description serves both the build's validation and the editor's schema, so the two
cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import yaml

from carekb.model.facts import Loc
from carekb.load.plaintext import shown_text
from carekb.load.spec.core import INVALID, Ctx, Field, Spec, join, kind_of, misspelled, read_mapping
from carekb.load.spec.scalars import ID_MAX, ID_PATTERN, ListOf

_ID = re.compile(ID_PATTERN[1:-1])  # always with fullmatch: `$` would let a trailing newline through


Builder = Callable[[dict[str, Any], str, Loc, "str | None"], Any]


class Obj(Spec):
    """A block of named fields. Catches duplicate, unknown and missing fields.

    Besides its fields' `feeds`, a block declares what its builder makes of them, for the impact
    report: `computed`, model attributes worked out from several fields (`label` from `name` and
    `abbr`); `derives`, for a field listing ids of another section, (that section, the attribute
    of each entry named that lists this entry back); `whole`, that a page citing its sources
    shows it whole (a figure: its numbers, unit and note are formatted together).
    """

    def __init__(self, fields: dict[str, Field], build: Builder, doc: str = "",
                 check: Callable[[dict[str, Any], yaml.Node, str, Ctx], None] | None = None,
                 schema_extra: dict[str, Any] | None = None, *,
                 computed: dict[str, tuple[str, ...]] | None = None,
                 derives: dict[str, tuple[str, str]] | None = None, whole: bool = False) -> None:
        self.fields, self.build, self.doc, self.check = fields, build, doc, check
        self.schema_extra = schema_extra or {}  # JSON Schema for what `check` checks across fields
        self.computed, self.derives, self.whole = computed or {}, derives or {}, whole
        self.names = {alias: name for name, f in fields.items() for alias in (name, *f.aliases)}
        # Read once per block of a big fact base: each field's reader, and the defaults, looked up once here.
        self._readers = [(name, f.spec.read, f.required) for name, f in fields.items()]
        self._defaults = {name: f.default for name, f in fields.items()}

    def read(self, node, path, ctx, id: str | None = None, loc: Loc | None = None):
        if not isinstance(node, yaml.MappingNode):
            return ctx.error(node, path, f"should be a block of fields (`name: value` lines), not {kind_of(node)}.")
        before = ctx.errors_count()
        nodes = read_mapping(node, path, ctx, self.names, "fields allowed here", self._inner)
        values = self._defaults.copy()
        locs = ctx.locs
        prefix = f"{path}." if path else ""
        ctx.blocks.append((self.names, node))
        for name, read, required in self._readers:
            if (written := nodes.get(name)) is not None:
                key_node, value_node = written
                locs[field_path := prefix + name] = value_node
                written = field_path if key_node.value == name else prefix + key_node.value  # an alias
                values[name] = read(value_node, written, ctx)
            elif required and not misspelled(name, node, self.names) \
                    and (node, name) not in ctx.moved:
                del values[name]
                self._missing(name, node, path, ctx)
        ctx.blocks.pop()
        if self.check and ctx.errors_count() == before:
            self.check(values, node, path, ctx)
        if ctx.errors_count() != before:
            return INVALID
        return self.build(values, path, loc or ctx.loc(node), id)

    def _inner(self, name: str) -> dict[str, str]:
        """The field names the block of field `name` allows (its items', for a list of blocks)."""
        spec = self.fields[self.names[name]].spec if name in self.names else None
        spec = spec.item if isinstance(spec, ListOf) else spec
        return spec.names if isinstance(spec, Obj) else {}

    def _missing(self, name: str, node: yaml.Node, path: str, ctx: Ctx) -> None:
        """Report the required field `name` missing from the block `node`."""
        f = self.fields[name]
        hint = f.missing_hint or (f"add `{name}:`" + (f" ({f.spec.doc})." if f.spec.doc else "."))
        if callable(hint):
            hint = hint(ctx)
        ctx.error(node, join(path, name), f"`{name}` is missing.", hint)

    def json(self):
        props = {}
        for name, f in self.fields.items():
            props[name] = f.spec.json()
            for alias in f.aliases:
                props[alias] = f.spec.json()
        required = [n for n, f in self.fields.items() if f.required and not f.aliases]
        kw: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
        if required:
            kw["required"] = required
        aliased = [[n, *f.aliases] for n, f in self.fields.items() if f.required and f.aliases]
        if aliased:
            kw["allOf"] = [{"anyOf": [{"required": [a]} for a in names]} for names in aliased]
        for key, value in self.schema_extra.items():
            kw[key] = kw.get(key, []) + value if key == "allOf" else value
        return self._schema(**kw)


class IdMap(Spec):
    """`id: {…}` entries of one kind (levels, modalities, sources…). Registers the ids."""

    def __init__(self, kind: str, item: Obj, doc: str = "", what: str | None = None) -> None:
        self.kind, self.item, self.doc, self.what = kind, item, doc, what or kind

    def read(self, node, path, ctx):
        registry = ctx.ids.setdefault(self.kind, {})
        if not isinstance(node, yaml.MappingNode):
            return ctx.error(node, path, f"should be a block of {self.what}, each under its id, not {kind_of(node)}.")
        entries = read_mapping(node, path, ctx, None, "")
        out = {}
        for key, (key_node, value_node) in entries.items():
            if not _ID.fullmatch(key):
                fixed = re.sub(r"[^a-z0-9_]+", "_", key.lower()).strip("_")[:ID_MAX] or "name"
                if not fixed[0].isalpha():
                    fixed = ("id_" + fixed)[:ID_MAX]
                shown = shown_text(key)
                why = (f"is longer than {ID_MAX} characters" if len(key) > ID_MAX and _ID.fullmatch(key[:ID_MAX])
                       else "is not a valid id")
                ctx.error(key_node, join(path, shown), f"`{shown!s}` {why}.",
                          f"ids use lowercase letters, digits and _, at most {ID_MAX} characters, "
                          f"for example `{fixed}`.")
                continue
            registry[key] = loc = ctx.loc(key_node)
            value = self.item.read(value_node, join(path, key), ctx, id=key, loc=loc)
            if value is not INVALID:
                out[key] = value
        return out

    def json(self):
        return self._schema(type="object", propertyNames={"pattern": ID_PATTERN},
                            additionalProperties=self.item.json())


def Schema(root: Obj, title: str) -> dict:
    """The JSON Schema document for a root spec."""
    doc = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **root.json()}
    return _fix_not(doc)


def _fix_not(obj: Any) -> Any:
    # `not` is a Python keyword, so specs spell it `not_`.
    if isinstance(obj, dict):
        return {("not" if k == "not_" else k): _fix_not(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_fix_not(v) for v in obj]
    return obj


# -- what the builders make of the fields (for the impact report) ------------------------------

@dataclass(frozen=True)
class Derived:
    """A field listing ids of another section, and what the model derives from it there: each entry
    of `section` whose `field` (model attribute `attribute`) names an entry of `target` is listed
    back in that entry's `target_attribute`."""

    section: str
    field: str
    attribute: str
    target: str
    target_attribute: str


def blocks(spec: Spec, path: str = "") -> Iterator[tuple[str, Obj]]:
    """Every block under `spec`, with the pattern of its fact paths (ids as `[^.]+`, items as `[n]`)."""
    if isinstance(spec, Obj):
        yield path, spec
        for name, f in spec.fields.items():
            yield from blocks(f.spec, f"{path}\\.{re.escape(name)}" if path else re.escape(name))
    elif isinstance(spec, IdMap):
        yield from blocks(spec.item, f"{path}\\.[^.\\[]+")
    elif isinstance(spec, ListOf):
        yield from blocks(spec.item, f"{path}\\[\\d+\\]")


def model_fields(root: Spec) -> dict[str, tuple[str, ...]]:
    """Model attribute -> the fields (with their aliases) it is made from, for every attribute a
    block under `root` names differently from its field or works out from several."""
    out: dict[str, dict[str, None]] = {}
    for _, block in blocks(root):
        for name, f in block.fields.items():
            if f.feeds:
                out.setdefault(f.feeds, {}).update(dict.fromkeys((name, *f.aliases)))
        for attribute, names in block.computed.items():
            out.setdefault(attribute, {}).update(dict.fromkeys(names))
    return {attribute: tuple(names) for attribute, names in out.items()}


def derived_fields(root: Obj) -> list[Derived]:
    """Every field whose ids the model lists back in another section (see `Obj.derives`)."""
    out = []
    for section, f in root.fields.items():
        if isinstance(f.spec, IdMap):
            block = f.spec.item
            out += [Derived(section, name, block.fields[name].feeds or name, target, attribute)
                    for name, (target, attribute) in block.derives.items()]
    return out


def whole_paths(root: Spec) -> re.Pattern[str]:
    """The fact paths of blocks a page citing their sources shows whole (`Obj.whole`)."""
    return re.compile("|".join(f"^{pattern}$" for pattern, block in blocks(root) if block.whole) or "(?!)")
