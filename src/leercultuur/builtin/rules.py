"""Built-in plugin: evidence rules for the premises the blog and the literature question.

Sources are those collected in the project's research notes (``mission.md``, section 5).
"""

from __future__ import annotations

from collections.abc import Iterator

from leercultuur.evidence import EvidenceRule, Verdict
from leercultuur.model import Text
from leercultuur.plugins import hookimpl

__all__ = ["RULES", "leercultuur_evidence_rules"]

RULES: tuple[EvidenceRule, ...] = (
    EvidenceRule(
        id="builtin.learning_styles",
        premise="learning_style_matching",
        verdict=Verdict.DEBUNKED,
        message=Text(
            nl="Berust op het afstemmen van onderwijs op leerstijlen; daarvoor ontbreekt bewijs"
            " en goed opgezette studies spreken het tegen.",
            en="Rests on matching instruction to learning styles; the evidence for it is missing"
            " and well-designed studies contradict it.",
        ),
        citations=(
            "Pashler, H., McDaniel, M., Rohrer, D., & Bjork, R. (2008). Learning styles: Concepts"
            " and evidence. Psychological Science in the Public Interest, 9(3), 105-119.",
            "Rogowsky, B. A., Calhoun, B. M., & Tallal, P. (2015). Matching learning style to"
            " instructional method: Effects on comprehension. Journal of Educational Psychology,"
            " 107(1), 64-78.",
        ),
    ),
    EvidenceRule(
        id="builtin.seventy_twenty_ten",
        premise="seventy_twenty_ten_norm",
        verdict=Verdict.DEBUNKED,
        message=Text(
            nl="Gebruikt 70-20-10 als norm; het is hooguit een vuistregel zonder empirische basis.",
            en="Uses 70-20-10 as a norm; it is at most a rule of thumb without an empirical basis.",
        ),
        citations=(
            "Clardy, A. (2018). 70-20-10 and the dominance of informal learning: A fact in search"
            " of evidence. Human Resource Development Review, 17(2), 153-178.",
        ),
    ),
    EvidenceRule(
        id="builtin.satisfaction_as_learning",
        premise="satisfaction_proves_learning",
        verdict=Verdict.DEBUNKED,
        message=Text(
            nl="Neemt tevredenheid van deelnemers als bewijs van leren; reactie en leerresultaat"
            " hangen nauwelijks samen.",
            en="Takes participants' satisfaction as proof of learning; reactions and learning"
            " outcomes are barely related.",
        ),
        citations=(
            "Alliger, G. M., Tannenbaum, S. I., Bennett, W., Traver, H., & Shotland, A. (1997)."
            " A meta-analysis of the relations among training criteria. Personnel Psychology,"
            " 50(2), 341-358.",
        ),
    ),
    EvidenceRule(
        id="builtin.motivation_drives_results",
        premise="motivation_drives_results",
        verdict=Verdict.CONTESTED,
        message=Text(
            nl="Gaat ervan uit dat meer plezier en motivatie tot betere leerresultaten leiden;"
            " dat effect is omstreden.",
            en="Assumes that more enjoyment and motivation lead to better learning outcomes;"
            " that effect is contested.",
        ),
        citations=(
            "Garon-Carrier, G., et al. (2016). Intrinsic motivation and achievement in"
            " mathematics in elementary school: A longitudinal investigation of their"
            " association. Child Development, 87(1), 165-175.",
            "Taylor, G., et al. (2014). A self-determination theory approach to predicting"
            " school achievement over time. Contemporary Educational Psychology, 39(4), 342-358.",
        ),
    ),
    EvidenceRule(
        id="builtin.feedback_always_helps",
        premise="feedback_always_helps",
        verdict=Verdict.CONTESTED,
        message=Text(
            nl="Gaat ervan uit dat feedback altijd helpt; in meer dan een derde van de studies"
            " verslechterde feedback de prestaties.",
            en="Assumes feedback always helps; in more than a third of the studies feedback"
            " lowered performance.",
        ),
        citations=(
            "Kluger, A. N., & DeNisi, A. (1996). The effects of feedback interventions on"
            " performance: A historical review, a meta-analysis, and a preliminary feedback"
            " intervention theory. Psychological Bulletin, 119(2), 254-284.",
        ),
    ),
)
"""The built-in evidence rules."""


@hookimpl
def leercultuur_evidence_rules() -> Iterator[EvidenceRule]:
    """Yield the built-in evidence rules."""
    yield from RULES
