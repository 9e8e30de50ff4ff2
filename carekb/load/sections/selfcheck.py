"""The shape of facts.yaml's `self_check:` section: its questions and answers, the situations
answers describe, the steps and pages a result points to, and answers that count together
(each located field by field, for the rules of meaning' messages).
"""

from __future__ import annotations

import re

import yaml

from carekb.model import facts as m
from carekb.model import selfcheck as sc
from carekb.load.sections.shared import REVIEWED_COMPUTED, REVIEWED_FIELDS, reviewed_args, source_field
from carekb.base.problems import Problem
from carekb.load.spec.core import INVALID, Ctx, Field, Spec, read_mapping
from carekb.load.spec.scalars import ID_PATTERN, Enum, Flag, Line, ListOf, Number, Ref, Refs, Text
from carekb.load.spec.shapes import IdMap, Obj

_PAGE = re.compile(r"[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*\.md")


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


class _When(Spec):
    """`{pregnant: "Yes", opioids: ["Yes"]}`: a question id and the answer label(s) it needs."""

    doc = "each question and the answer label (or list of labels) that counts, like {pregnant: \"Yes\"}"

    def __init__(self) -> None:
        self.label = Line()

    def read(self, node, path, ctx):
        if not isinstance(node, yaml.MappingNode) or not node.value:
            return ctx.error(node, path, "should be a block of `question: answer label` pairs, like "
                             '{pregnant: "Yes", opioids: "Yes"}.')
        out = {}
        for key, (key_node, value_node) in read_mapping(node, path, ctx, None, "").items():
            ctx.refs.append(("questions", key, f"{path}.{key}", key_node))
            items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            if not items:
                return ctx.error(value_node, f"{path}.{key}", "names no answer.", 'write the label, like "Yes".')
            out[key] = [self.label.read(item, f"{path}.{key}", ctx) for item in items]
        return INVALID if any(INVALID in v for v in out.values()) else out

    def json(self):
        label = {"type": "string", "minLength": 1}
        return self._schema(type="object", minProperties=1, propertyNames={"pattern": ID_PATTERN},
                            additionalProperties={"anyOf": [label, {"type": "array", "items": label, "minItems": 1}]})


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
                      "keep it in one of the two lists.")
    for lv in sorted(rules_out & down):
        ctx.error(_field_node(node, "moves_down"), f"{path}.moves_down",
                  f"`{lv}` is ruled out, so it cannot also be moved down.", "keep it in one of the two lists.")
    for text in ("if_outweighed", "if_outweighed_them"):
        if v[text] and not (rules_out or down):
            ctx.error(_field_node(node, text), f"{path}.{text}", "is never shown: this answer "
                      "rules out and moves down no level, so no other answer can outweigh it.",
                      f"remove `{text}:`, or add `moves_down:` or `rules_out:`.")
    if v["not_sure"] and (rules_out or down):
        name = "rules_out" if rules_out else "moves_down"
        ctx.error(_field_node(node, name), f"{path}.{name}", "a \"not sure\" answer may not rule out or move "
                  "down a level: not knowing is never a reason to narrow the list.",
                  f"remove `{name}:`, or remove `not_sure: true` if the answer is not a \"not sure\".")


def _answer_args(v: dict) -> dict:
    return dict(suggests=list(v["suggests"] or ()), rules_out=list(v["rules_out"] or ()), because=v["because"],
                priority=v["priority"] or "need", first=list(v["first"] or ()), moves_down=list(v["moves_down"] or ()),
                means=list(v["means"] or ()), if_outweighed=v["if_outweighed"], because_them=v["because_them"],
                if_outweighed_them=v["if_outweighed_them"], steps=list(v["steps"] or ()),
                pages=list(v["pages"] or ()), not_sure=bool(v["not_sure"]))


def _answer(v, path, loc, _id):
    return sc.Answer(path=path, loc=loc, label=v["label"], who=v["who"], **_answer_args(v))


def _together(v, path, loc, id):
    return sc.Together(path=path, loc=loc, id=id, label=id, when=v["when"], **_answer_args(v))


def _levels(doc: str) -> Field:
    return Field(Refs("levels", doc, single_ok=False), default=())


def _them(doc: str) -> Field:
    return Field(Text(f"{doc}, for someone else: the same words with they, them and their"), default=None)


RANKING = {
    "priority": Field(Enum(list(m.PRIORITIES), "how much this answer weighs: safety (a danger) outweighs need, "
                           "which outweighs preference (a wish); need if not given", "priorities"), default=None),
    "means": Field(Refs("situations", "the situations (under self_check.situations) this answer describes",
                        single_ok=False), default=()),
    "suggests": _levels("levels worth discussing after this answer"),
    "first": _levels("levels this answer puts at the top of the list, in this order (also in suggests)"),
    "rules_out": _levels("levels this answer makes unlikely"),
    "moves_down": _levels("levels this answer moves to the end of the list, without ruling them out"),
    "steps": Field(Refs("steps", "steps (under self_check.steps) the result shows before the levels",
                        single_ok=False), default=()),
    "pages": Field(Refs("pages", "pages (under self_check.pages) the result offers", single_ok=False), default=()),
    "not_sure": Field(Flag("true for a \"not sure\" answer: it never rules out or moves down a level"), default=False),
    "because": Field(Text("the reason, in plain words"), required=True),
    "because_them": _them("the reason"),
    "if_outweighed": Field(Text("said when a more urgent answer keeps a level this answer moves down or rules out"),
                           default=None),
    "if_outweighed_them": _them("what `if_outweighed` says"),
}

ANSWER = _Located({
    "label": Field(Line('the answer as shown, in quotes: "Yes"'), required=True),
    "who": Field(Enum(list(sc.WHO), "who the person answers for (only in the question about that): self, teen "
                      "or other", "choices"), default=None),
    **RANKING,
}, _answer, check=_check_answer)

TOGETHER = _Located({
    "when": Field(_When(), required=True),
    **RANKING,
}, _together, check=_check_answer)


def _check_question(v: dict, node: yaml.Node, path: str, ctx: Ctx) -> None:
    """Two answers with one label could not be told apart on the page; `who` is all or nothing."""
    seen: set[str] = set()
    answers = v["answers"] or ()
    for i, answer in enumerate(answers, 1):
        if answer.label in seen:
            loc = answer.at("label")
            ctx.problems.append(Problem(loc.file, loc.line, loc.column, f"{path}.answers[{i}].label",
                                        f'the label "{answer.label}" is used by two answers of this question.',
                                        "give each answer its own label."))
        seen.add(answer.label)
    if any(a.who for a in answers):
        for i, answer in enumerate(answers, 1):
            if not answer.who:
                ctx.problems.append(Problem(answer.loc.file, answer.loc.line, answer.loc.column,
                                            f"{path}.answers[{i}].who", "this question asks who the person answers "
                                            "for, but this answer does not say `who:`.",
                                            "add `who: self`, `who: teen` or `who: other`."))


def _question(v, path, loc, id):
    return sc.Question(path=path, loc=loc, id=id, ask=v["ask"], answers=v["answers"], ask_them=v["ask_them"],
                       hint=v["hint"], hint_them=v["hint_them"])


QUESTION = _Located({
    "ask": Field(Text("the question, in plain words"), required=True),
    "ask_them": _them("the question"),
    "hint": Field(Text("a line under the question, such as examples"), default=None),
    "hint_them": _them("the hint"),
    "answers": Field(ListOf(ANSWER, min_items=2), required=True),
}, _question, check=_check_question)


def _situation(v, path, loc, id):
    """Build a `Situation` from its checked fields."""
    return sc.Situation(path=path, loc=loc, id=id, says=v["says"], fits=v["fits"] or {},
                        not_a_fit=v["not_a_fit"] or {}, opposite=v["opposite"],
                        around_the_clock=bool(v["around_the_clock"]),
                        danger=bool(v["danger"] or v["around_the_clock"]), steps=list(v["steps"] or ()))


SITUATION = _Located({
    "says": Field(Text("the situation, in plain words"), required=True),
    "fits": Field(_LineMap("levels whose `fits` list says this situation fits, with the line number"), default={}),
    "not_a_fit": Field(_LineMap("levels whose `not_a_fit` list says this situation does not fit, with the line "
                                "number"), default={}),
    "opposite": Field(Ref("situations", "the situation that says the opposite, if any"), default=None),
    "danger": Field(Flag("true for a danger: every answer that means it must be a safety answer"), default=False),
    "around_the_clock": Field(Flag("true for a danger that needs care day and night"), default=False),
    "steps": Field(Refs("steps", "steps every answer that means this situation must show", single_ok=False),
                   default=()),
}, _situation)


def _step(v, path, loc, id):
    return sc.Step(path=path, loc=loc, id=id, text=v["text"], text_them=v["text_them"], page=v["page"],
                   crisis=list(v["crisis"] or ()))


STEP = _Located({
    "text": Field(Text("what to do first, in plain words"), required=True),
    "text_them": _them("the step"),
    "page": Field(Ref("pages", "the page (under self_check.pages) the step links to"), default=None),
    "crisis": Field(Refs("crisis", "crisis services (under crisis:) shown with their numbers", single_ok=False),
                    default=()),
}, _step)


def _check_page(v: dict, node: yaml.Node, path: str, ctx: Ctx) -> None:
    if not _PAGE.fullmatch(v["page"]):
        ctx.error(_field_node(node, "page"), f"{path}.page", f"`{v['page']}` is not the file name of a page.",
                  "write the page's file under content/, like families.md or levels/iop.md.")


def _page(v, path, loc, id):
    return sc.PageLink(path=path, loc=loc, id=id, page=v["page"], title=v["title"])


PAGE = _Located({
    "title": Field(Line("the words of the link, usually the page's title"), required=True),
    "page": Field(Line("the page's file under content/, like families.md"), required=True),
}, _page, check=_check_page)


def _check_self_check(v: dict, node: yaml.Node, path: str, ctx: Ctx) -> None:
    """Answers-together name real answers; one question at most asks who is answering."""
    questions = {q.id: q for q in (v["questions"] or {}).values()}
    for tid, together in (v["together"] or {}).items():
        for qid, labels in together.when.items():
            if qid not in questions:
                continue  # reported as an unknown question
            known = [a.label for a in questions[qid].answers]
            for label in labels:
                if label not in known:
                    loc = together.at(f"when.{qid}")
                    ctx.problems.append(Problem(loc.file, loc.line, loc.column, f"{path}.together.{tid}.when.{qid}",
                                                f'the question `{qid}` has no answer "{label}".',
                                                "use one of its labels: " + ", ".join(f'"{k}"' for k in known) + "."))
    who = [q for q in questions.values() if q.sets_who]
    for q in who[1:]:
        ctx.problems.append(Problem(q.loc.file, q.loc.line, q.loc.column, f"{path}.questions.{q.id}",
                                    f"two questions ask who the person answers for (`{who[0].id}` and `{q.id}`).",
                                    "keep `who:` on the answers of one question."))


def _self_check(v, path, loc, _id):
    return m.SelfCheck(**reviewed_args(v, path, loc), intro=v["intro"], questions=list(v["questions"].values()),
                       sources=v["source"], situations=v["situations"] or {}, steps=v["steps"] or {},
                       pages=v["pages"] or {}, together=v["together"] or {})


SELF_CHECK = _Located({
    "intro": Field(Text(), required=True),
    "pages": Field(IdMap("pages", PAGE, "pages of the site a result can offer", "pages"), default={}),
    "steps": Field(IdMap("steps", STEP, "first steps a result shows before the levels, in the order shown",
                         "steps"), default={}),
    "situations": Field(IdMap("situations", SITUATION, "what answers can say about a person, and the lines of "
                              "the levels' lists that say the same", "situations"), default={}),
    "questions": Field(IdMap("questions", QUESTION, what="questions"), required=True),
    "together": Field(IdMap("together", TOGETHER, "what two or more answers mean together", "answers together"),
                      default={}),
    "source": source_field(),
    **REVIEWED_FIELDS,
}, _self_check, check=_check_self_check, computed=REVIEWED_COMPUTED)
