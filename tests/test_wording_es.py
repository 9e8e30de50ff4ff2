"""Figures are never translated by hand (issue 22 point 2): the same code words every figure in
Spanish, with the same numbers (1,944 and 3.5, as US federal Spanish pages write them), and the
hand-typed-figure check reads Spanish phrases too. The self-check's answers-together follow their
answers' translated labels, so the one ranking runs on the Spanish page."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from carekb.model.audience import view
from carekb.load.facts_yaml import load_facts
from carekb.checks.handtyped import find
from carekb.model.facts import PUBLIC, Figure, Loc
from carekb.meaning.selfcheck_rank import by_labels, page_data, weigh, with_together
from carekb.i18n.spanish_view import spanish
from carekb.i18n.translations import parse_translations
from carekb.render.wording import figure_words, long_date

ROOT = Path(__file__).resolve().parent.parent
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def facts():
    return load_facts(ROOT / "facts.yaml")[0]


def fig(**values) -> Figure:
    return Figure(path="levels.x.cost[1]", loc=Loc("facts.yaml", 1, 1), **values)


@pytest.mark.parametrize("values,english,spanish", [
    ({"min": 9, "max": 19, "unit": "hours", "per": "week"}, "9 to 19 hours a week", "de 9 a 19 horas por semana"),
    ({"min": 20, "unit": "hours", "per": "week"}, "20 or more hours a week", "20 o más horas por semana"),
    ({"under": 9, "unit": "hours", "per": "week"}, "fewer than 9 hours a week", "menos de 9 horas por semana"),
    ({"about": 90, "unit": "days", "measures": "typical"}, "usually about 90 days", "por lo general, unos 90 días"),
    ({"about": 3, "unit": "hours"}, "about 3 hours", "unas 3 horas"),
    ({"median": 41, "unit": "days", "measures": "all_discharges", "data_year": 2004},
     "about half of everyone who left, finished or not, stayed 41 days or less (2004 data)",
     "alrededor de la mitad de todas las personas que salieron del tratamiento, lo terminaran o no, "
     "se quedaron 41 días o menos (datos de 2004)"),
    ({"median": 50, "unit": "days", "measures": "completed", "data_year": 2004},
     "about half of people who finished stayed 50 days or less (2004 data)",
     "alrededor de la mitad de las personas que terminaron el tratamiento se quedaron 50 días o menos "
     "(datos de 2004)"),
    ({"median": 41, "unit": "days", "per": "week", "measures": "all_discharges", "data_year": 2004},
     "a median of 41 days a week for everyone who left, finished or not (2004 data)",
     "una mediana de 41 días por semana para todos los que salieron, terminaran o no (datos de 2004)"),
    ({"min": 250, "max": 350, "unit": "dollars", "per": "day", "kind": "price", "as_of": 2024},
     "$250 to $350 a day (2024 prices)", "de $250 a $350 por día (precios de 2024)"),
    ({"min": 300, "max": 450, "unit": "dollars", "per": "day", "kind": "price", "read": dt.date(2026, 11, 1)},
     "$300 to $450 a day (undated price, read November 2026)",
     "de $300 a $450 por día (precio sin fecha, consultado en noviembre de 2026)"),
    ({"about": 1944, "unit": "dollars", "per": "episode", "kind": "economic_cost", "as_of": 2002},
     "about $1,944 an episode (what it cost programs in 2002, not a price)",
     "unos $1,944 por episodio de tratamiento (lo que les costó a los programas en 2002; no es un precio)"),
    ({"min": 2000, "max": 25000, "unit": "dollars", "per": "30 days", "kind": "price", "as_of": 2025},
     "$2,000 to $25,000 for 30 days (2025 prices)", "de $2,000 a $25,000 por 30 días (precios de 2025)"),
])
def test_a_figure_in_spanish_by_the_same_code(values, english, spanish):
    assert figure_words(fig(**values)) == english
    assert figure_words(fig(**values), language="es") == spanish


def test_every_figure_of_the_facts_has_the_same_numbers_in_both_languages(facts):
    for figure in facts.figures():
        en, es = figure_words(figure), figure_words(figure, language="es")
        assert _NUMBER.findall(en) == _NUMBER.findall(es), (figure.path, en, es)


def test_dates_the_spanish_way():
    assert long_date(dt.date(2026, 11, 1), "es") == "1 de noviembre de 2026"
    assert long_date(dt.date(2026, 11, 1)) == "November 1, 2026"


@pytest.mark.parametrize("typed,fact", [
    ("Reciben tratamiento de 9 a 19 horas por semana.", "levels.iop.hours_per_week.adults"),
    ("Suele ser de 20 o más horas.", "levels.php.hours_per_week.adults"),
    ("Cuesta $250 a $350 por día.", "levels.iop.cost[1]"),
    ("Dura unos 90 días.", "levels.iop.length_of_stay[4]"),
    ("Llame al 988.", "crisis.lifeline.call"),
])
def test_a_figure_typed_by_hand_in_spanish_names_its_fact(facts, typed, fact):
    found = find(typed, facts, language="es")
    assert [f.fact for f in found] == [fact], found
    assert found[0].message("content/es/x.md").startswith("content/es/x.md:1: '")


def test_the_self_check_ranks_the_same_with_translated_labels(facts):
    english = page_data(facts)
    text = "".join(f"self_check.questions.{q.id}.answers[{i}].label:\n  en: {json.dumps(a.label)}\n"
                   f"  es: {json.dumps(a.label + ' (es)')}\n"
                   for q in facts.self_check.questions for i, a in enumerate(q.answers, 1))
    entries, problems = parse_translations(text)
    assert not problems
    shown = view(facts, PUBLIC)
    spanish(shown, entries)
    data = page_data(shown)
    together = data["together"][0]
    assert all(label.endswith(" (es)") for labels in together["when"].values() for label in labels)
    for q, qs in enumerate(english["questions"]):
        assert [a["label"] + " (es)" for a in qs["answers"]] == [a["label"] for a in data["questions"][q]["answers"]]
    answers = {"pregnant": "Yes", "opioids": "Yes"}
    chosen_en = by_labels(english, answers)
    chosen_es = by_labels(data, {k: v + " (es)" for k, v in answers.items()})
    assert len(with_together(data, chosen_es)) == len(with_together(english, chosen_en)) == 3
    assert weigh(data, chosen_es)["discuss"] == weigh(english, chosen_en)["discuss"]
