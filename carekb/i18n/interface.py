"""The languages of the public site, and every word of its interface that is not a fact.

The public site is built in English (mkdocs.yml) and in Spanish (mkdocs.es.yml, `extra.language:
es`), from the same facts. What a page says about care comes from facts.yaml (and its Spanish
texts, facts.es.yaml: carekb/i18n/translations.py) and from the templates of each language
(carekb/templates/ and carekb/templates/es/). What is left is the site's own interface: the
crisis bar's words, the skip link, the "Get help now" button, the review dates, the disclaimer,
the 404 page, the titles of generated pages, the words the sources page uses for kinds of
source. They are here, once, in every language (`WORDS`); the theme gets them as `kb_words`
(hooks/crisis.py). A word missing in one language is an error, never English in its place
(`words`; tests/test_spanish_site.py checks every key has every language).

Material's own interface (search box, "Skip to content", the palette names are ours) comes
from `theme.language`.
"""

from __future__ import annotations

from typing import Any

DEFAULT = "en"
LANGUAGES = ("en", "es")
NAMES = {"en": "English", "es": "Español"}  # each language in its own words

WORDS: dict[str, dict[str, str]] = {
    # overrides/main.html
    "skip_help": {"en": "Skip to all crisis help", "es": "Ir a toda la ayuda en caso de crisis"},
    "help_now": {"en": "Get help now", "es": "Obtener ayuda ahora"},
    "ld_about": {"en": "Substance use and mental health conditions",
                 "es": "Trastornos por consumo de sustancias y afecciones de salud mental"},
    "ld_audience": {"en": "Patients, families and caregivers",
                    "es": "Pacientes, familias y cuidadores"},
    "switch_label": {"en": "This page in Spanish", "es": "Esta página en inglés"},
    # overrides/partials/kb-crisis.html
    "crisis_region": {"en": "Crisis help", "es": "Ayuda en caso de crisis"},
    "crisis_lead": {"en": "Need help now?", "es": "¿Necesita ayuda ahora?"},
    "crisis_call": {"en": "call", "es": "llame al"},
    "crisis_or": {"en": "or", "es": "o"},
    "crisis_text": {"en": "text", "es": "envíe un mensaje de texto al"},
    "crisis_text_word": {"en": "text {word} to", "es": "envíe {word} por mensaje de texto al"},
    "crisis_press": {"en": "press {digit} for Spanish", "es": "marque {digit} para español"},
    "crisis_more": {"en": "All ways to get help", "es": "Todas las formas de obtener ayuda"},
    # overrides/partials/kb-page-info.html
    "page_info": {"en": "About this page", "es": "Sobre esta página"},
    "disclaimer": {"en": "This site explains levels of care. It does not diagnose or replace "
                         "advice from a clinician.",
                   "es": "Este sitio explica los niveles de atención. No da diagnósticos ni "
                         "reemplaza los consejos de un profesional clínico."},
    "reviewed": {"en": "Page last reviewed:", "es": "Página revisada por última vez:"},
    "review_due": {"en": "Next review due:", "es": "Próxima revisión:"},
    "translation_reviewed": {"en": "Translation reviewed:", "es": "Traducción revisada:"},
    "follows_english": {"en": "It follows the English page reviewed on",
                        "es": "Sigue la página en inglés revisada el"},
    # overrides/404.html and partials/search.html
    "not_found_title": {"en": "Page not found", "es": "No se encontró la página"},
    "not_found_text": {"en": "This page does not exist. Use the menu or the search to find what "
                             "you need.",
                       "es": "Esta página no existe. Use el menú o la búsqueda para encontrar lo "
                             "que necesita."},
    "not_found_description": {"en": "This page does not exist. Use the menu or the search to find "
                                    "what you need, or get help now by phone or text.",
                              "es": "Esta página no existe. Use el menú o la búsqueda para "
                                    "encontrar lo que necesita, o pida ayuda ahora por teléfono o "
                                    "por mensaje de texto."},
    "search_dialog": {"en": "Search the site", "es": "Buscar en el sitio"},
    # text shown in English in a Spanish page (carekb/i18n/untranslated.py)
    "untranslated_notice": {"en": "Parts of this page are not translated yet: they are shown in "
                                  "Spanish.",
                            "es": "Partes de esta página aún no están traducidas: se muestran en "
                                  "inglés."},
    "untranslated_page": {"en": "This page is not translated yet, so it is shown in Spanish.",
                          "es": "Esta página aún no está traducida, o su traducción está "
                                "desactualizada, así que se muestra en inglés."},
    # the titles of the pages made from the facts (carekb/pages/generated.py)
    "title_levels": {"en": "Levels of care", "es": "Niveles de atención"},
    "title_modalities": {"en": "Therapies and services", "es": "Terapias y servicios"},
    "title_compare": {"en": "Compare levels of care", "es": "Comparar los niveles de atención"},
    "title_glossary": {"en": "Glossary", "es": "Glosario"},
    "title_sources": {"en": "Sources", "es": "Fuentes"},
}

# Who wrote a source (`kind:`) and how directly we read it (`confidence:`), as the Spanish
# pages say it (the English words are in carekb/model/facts.py and carekb/render/language/filters.py).
SOURCE_KINDS_ES = {
    "government": "Fuente del gobierno",
    "research": "Estudio o datos de investigación",
    "professional": "Organización profesional o de normas",
    "provider": "Lo que dice un proveedor de tratamiento",
    "report": "Informe o resumen de otros",
}
READ_WORDS_ES = {
    "authoritative": "Leímos la fuente misma.",
    "secondary": "Leímos una parte, o la leímos a través de otras fuentes.",
    "provider": "Lo que un programa dice de sí mismo.",
}
CONFIDENCE_WORDS_ES = {
    "authoritative": "Fuente oficial o de investigación",
    "secondary": "Resumen de una fuente oficial",
    "provider": "Lo que dice un proveedor de tratamiento",
}


class LanguageError(ValueError):
    """A language the site has no words for."""


def check_language(language: Any) -> str:
    """`language` if the site speaks it; LanguageError (naming the choices) otherwise."""
    if language not in LANGUAGES:
        raise LanguageError(f"extra.language must be one of {', '.join(LANGUAGES)}, not "
                            f"{language!r}")
    return language


def words(language: str) -> dict[str, str]:
    """Every interface word in `language` (key -> text); a key without that language fails."""
    check_language(language)
    missing = [key for key, texts in WORDS.items() if not texts.get(language)]
    if missing:
        raise LanguageError(f"carekb/i18n/interface.py: no {NAMES[language]} words for "
                            f"{', '.join(missing)}")
    return {key: texts[language] for key, texts in WORDS.items()}


def word(key: str, language: str) -> str:
    """One interface word (KeyError for a key that does not exist)."""
    return WORDS[key][check_language(language)]
