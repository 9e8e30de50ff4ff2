"""The offline reading-grade calculator used to keep public pages at grade 8 or below."""

from __future__ import annotations

import pytest

from carekb.checks.readability import body_text, grade_html, grade_text, syllables


@pytest.mark.parametrize("word,count", [("care", 1), ("week", 1), ("program", 2), ("treatment", 2),
                                        ("family", 3), ("therapy", 3), ("outpatient", 3), ("medication", 4)])
def test_syllables_from_shipped_dictionary(word, count):
    """Syllables come from pyphen's bundled dictionary, with no download."""
    assert syllables(word) == count


def test_plain_text_grades_low_and_dense_text_grades_high():
    """Short words and sentences grade far below long clinical ones."""
    plain = grade_text("You go to care a few days a week. You live at home. You can keep your job.")
    dense = grade_text("Intensive outpatient programs provide comprehensive, individualized therapeutic "
                       "interventions addressing co-occurring psychiatric conditions, facilitating recovery.")
    assert plain.grade < 4 < 16 < dense.grade
    assert plain.sentences == 3 and plain.words == 18


def test_body_text_skips_tables_code_footnotes_and_crisis_bar():
    """Only the prose of the article is graded."""
    html = ('<p>You live at home.</p><table><tr><td>Pharmacological methodology</td></tr></table>'
            '<pre><code>x = incomprehensibility</code></pre><div class="footnote"><p>Administration</p></div>'
            '<div class="kb-crisis">Call 988</div><ul><li>Group talks</li></ul>')
    text = body_text(html)
    assert "You live at home." in text and "Group talks" in text
    for hidden in ("Pharmacological", "incomprehensibility", "Administration", "988"):
        assert hidden not in text


def test_headings_and_list_items_count_as_sentences():
    """A heading or list item without a full stop still ends a sentence."""
    g = grade_html("<h2>What it costs</h2><ul><li>Ask your plan</li><li>Ask the program</li></ul>")
    assert g.sentences == 3
