"""The shape of facts.yaml's `self_check:` section: its questions and answers, and the situations
answers describe (each located field by field, for the rules of meaning' messages).
"""

from __future__ import annotations

import yaml

from . import model as m
from .facts_shared import REVIEWED_COMPUTED, REVIEWED_FIELDS, reviewed_args, source_field
from .problems import Problem
from .spec import ID_PATTERN, INVALID, Ctx, Enum, Field, IdMap, Line, ListOf, Number, Obj, Ref, Refs, Spec, Text, read_mapping

class _Located(Obj):
    """A block whose model object also learns where each of its fields (and sub-fields) is written."""

    def read(self, node, path, ctx, id=None, loc=None):
        value = super().read(node, path, ctx, id=id, loc=loc)
        if value is not INVALID and isinstance(node, yaml.MappingNode):
            for key, sub in node.value:
                value.field_locs[key.value] = ctx.loc(sub)
                if isinstance(sub, yaml.MappingNode):
                    value.field_locs.update({f"{key.value}.{k.value}": ctx.loc(v) for k, v in sub.value})
        return value


class _LineMap(Spec):
    """`{op: 2, iop: 1}`: a level id and the number of a line (1 = first) in one of its lists."""

    def __init__(self, doc: str) -> None:
        self.doc = doc
        self.number = Number(integer=True, minimum=1, maximum=100)

    def read(self, node, path, ctx):
        if not isinstance(node, yaml.MappingNode):
            return ctx.error(node, path, "should be a block of `level: line number` pairs, like {op: 2}.")
        out = {}
        for key, (key_node, value_node) in read_mapping(node, path, ctx, None, "").items():
            ctx.refs.append(("levels", key, f"{path}.{key}", key_node))
            out[key] = self.number.read(value_node, f"{path}.{key}", ctx)
        return INVALID if INVALID in out.values() else out

    def json(self):
        return self._schema(type="object", propertyNames={"pattern": ID_PATTERN},
                            additionalProperties={"type": "integer", "minimum": 1, "maximum": 100})


def _field_node(node: yaml.MappingNode, name: str) -> yaml.Node:
    """The value node of field `name` in a block (the block itself if the field is not there)."""
    return next((v for k, v in node.value if getattr(k, "value", None) == name), node)


def _check_answer(v: dict, node: yaml.Node, path: str, ctx: Ctx) -> None:
    """The ranking fields of one answer must not contradict each other."""
    suggests, rules_out, first, down = (set(v[k] or ()) for k in ("suggests", "rules_out", "first", "moves_down"))
    for lv in [x for x in v["first"] or () if x not in suggests]:
        ctx.error(_field_node(node, "first"), f"{path}.first", f"`{lv}` is put first but not in `suggests`.",
                  f"add `{lv}` to `suggests:` too, or remove it from `first:`.")
    for name, other in (("rules_out", rules_out), ("moves_down", down)):
        for lv in sorted(suggests & other):
            ctx.error(_field_node(node, name), f"{path}.{name}", f"`{lv}` is both in `suggests` and in `{name}`.",
                      f"keep it in one of the two lists.")
    for lv in sorted(rules_out & down):
        ctx.error(_field_node(node, "moves_down"), f"{path}.moves_down",
                  f"`{lv}` is ruled out, so it cannot also be moved down.", "keep it in one of the two lists.")
    if v["if_outweighed"] and not (rules_out or down):
        ctx.error(_field_node(node, "if_outweighed"), f"{path}.if_outweighed", "is never shown: this answer "
                  "rules out and moves down no level, so no other answer can outweigh it.",
                  "remove `if_outweighed:`, or add `moves_down:` or `rules_out:`.")


def _answer(v, path, loc, _id):
    return m.Answer(path=path, loc=loc, label=v["label"], suggests=list(v["suggests"] or ()),
                    rules_out=list(v["rules_out"] or ()), because=v["because"], priority=v["priority"] or "need",
                    first=list(v["first"] or ()), moves_down=list(v["moves_down"] or ()),
                    means=list(v["means"] or ()), if_outweighed=v["if_outweighed"])


def _levels(doc: str) -> Field:
    return Field(Refs("levels", doc, single_ok=False), default=())


ANSWER = _Located({
    "label": Field(Line('the answer as shown, in quotes: "Yes"'), required=True),
    "priority": Field(Enum(list(m.PRIORITIES), "how much this answer weighs: safety (a danger) outweighs need, "
                           "which outweighs preference (a wish); need if not given", "priorities"), default=None),
    "means": Field(Refs("situations", "the situations (under self_check.situations) this answer describes",
                        single_ok=False), default=()),
    "suggests": _levels("levels worth discussing after this answer"),
    "first": _levels("levels this answer puts at the top of the list, in this order (also in suggests)"),
    "rules_out": _levels("levels this answer makes unlikely"),
    "moves_down": _levels("levels this answer moves to the end of the list, without ruling them out"),
    "because": Field(Text("the reason, in plain words"), required=True),
    "if_outweighed": Field(Text("said when a more urgent answer keeps a level this answer moves down or rules out"),
                           default=None),
}, _answer, check=_check_answer)


def _check_question(v: dict, node: yaml.Node, path: str, ctx: Ctx) -> None:
    """Two answers with one label could not be told apart on the page."""
    seen: set[str] = set()
    for i, answer in enumerate(v["answers"] or (), 1):
        if answer.label in seen:
            loc = answer.at("label")
            ctx.problems.append(Problem(loc.file, loc.line, loc.column, f"{path}.answers[{i}].label",
                                        f'the label "{answer.label}" is used by two answers of this question.',
                                        "give each answer its own label."))
        seen.add(answer.label)


def _question(v, path, loc, id):
    return m.Question(path=path, loc=loc, id=id, ask=v["ask"], answers=v["answers"])


QUESTION = Obj({
    "ask": Field(Text("the question, in plain words"), required=True),
    "answers": Field(ListOf(ANSWER, min_items=2), required=True),
}, _question, check=_check_question)


def _situation(v, path, loc, id):
    """Build a `Situation` from its checked fields."""
    return m.Situation(path=path, loc=loc, id=id, says=v["says"], fits=v["fits"] or {},
                       not_a_fit=v["not_a_fit"] or {}, opposite=v["opposite"])


SITUATION = _Located({
    "says": Field(Text("the situation, in plain words"), required=True),
    "fits": Field(_LineMap("levels whose `fits` list says this situation fits, with the line number"), default={}),
    "not_a_fit": Field(_LineMap("levels whose `not_a_fit` list says this situation does not fit, with the line "
                                "number"), default={}),
    "opposite": Field(Ref("situations", "the situation that says the opposite, if any"), default=None),
}, _situation)


def _self_check(v, path, loc, _id):
    return m.SelfCheck(**reviewed_args(v, path, loc), intro=v["intro"], questions=list(v["questions"].values()),
                       sources=v["source"], situations=v["situations"] or {})


SELF_CHECK = _Located({
    "intro": Field(Text(), required=True),
    "situations": Field(IdMap("situations", SITUATION, "what answers can say about a person, and the lines of "
                              "the levels' lists that say the same", "situations"), default={}),
    "questions": Field(IdMap("questions", QUESTION, what="questions"), required=True),
    "source": source_field(),
    **REVIEWED_FIELDS,
}, _self_check, computed=REVIEWED_COMPUTED)
