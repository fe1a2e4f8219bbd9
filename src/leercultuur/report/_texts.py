"""The HTML report's style sheet and its texts in Dutch and English (``key: (nl, en)``)."""

from __future__ import annotations

__all__ = ["CSS", "TEXTS"]

CSS = """
:root { --ink:#1d2733; --muted:#5b6773; --line:#dde3ea; --accent:#1b6ca8; --soft:#f4f7fa; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
  color:var(--ink); background:#fff; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 64px; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 12px; margin-bottom: 20px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 4px;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 22px 0 8px; }
.sub { color: var(--muted); margin: 0; }
.banner { background:#fff4d6; border:1px solid #e7c766; border-radius:6px; padding:10px 14px;
  margin: 14px 0; font-weight: 600; }
.facts { display:flex; flex-wrap:wrap; gap:12px; margin: 14px 0; padding:0; list-style:none; }
.facts li { background: var(--soft); border-radius: 6px; padding: 8px 14px; }
.facts b { display:block; font-size: 20px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: 12.5px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: var(--soft); font-weight: 600; vertical-align: bottom; }
td.withheld { color: var(--muted); font-style: italic;
  background: repeating-linear-gradient(45deg,#fff,#fff 4px,#eef1f4 4px,#eef1f4 8px); }
td.low { color: #a3261b; font-weight: 600; }
.note { color: var(--muted); font-size: 13px; }
figure { margin: 12px 0; }
figure svg { max-width: 100%; height: auto; }
.unit { border: 1px solid var(--line); border-radius: 8px; padding: 4px 20px 16px; margin: 18px 0; }
.cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.25fr); gap: 20px; }
ol.recs { padding-left: 22px; } ol.recs li { margin-bottom: 10px; }
.why { color: var(--muted); font-size: 13px; display:block; }
.warn { color: #8a4b00; font-size: 13px; display:block; }
.phase { background: var(--soft); border-radius: 6px; padding: 8px 14px; margin: 8px 0; }
footer { margin-top: 40px; color: var(--muted); font-size: 12.5px;
  border-top: 1px solid var(--line); padding-top: 10px; }
@media print { .unit { break-inside: avoid; } }
"""

TEXTS: dict[str, tuple[str, str]] = {
    "fictional": (
        "Fictieve voorbeeldgegevens: deze organisatie, haar teams en alle antwoorden zijn"
        " verzonnen.",
        "Fictional example data: this organisation, its teams and every answer are made up.",
    ),
    "subtitle": ("Leercultuur: scores, aanbevelingen en routekaart",
                 "Learning culture: scores, recommendations and roadmap"),
    "respondents": ("respondenten", "respondents"),
    "units": ("eenheden", "units"),
    "threshold": ("anonimiteitsdrempel", "anonymity threshold"),
    "withheld_n": ("eenheden geheel afgeschermd", "units fully withheld"),
    "partly_n": ("eenheden deels afgeschermd", "units partly withheld"),
    "privacy": ("Anonimiteit", "Anonymity"),
    "privacy_text": (
        "Scores van een groep met minder dan {k} respondenten worden niet getoond (n<{k}); waar"
        " een kleine groep anders uit andere cijfers af te leiden zou zijn, zijn ook die"
        " afgeschermd. Geen enkel cijfer in dit rapport toont de antwoorden van één persoon.",
        "Scores of a group with fewer than {k} respondents are not shown (n<{k}); where a small"
        " group could otherwise be derived from other figures, those are withheld too. No"
        " figure in this report shows one person's answers.",
    ),
    "suppressed_units": ("Afgeschermde eenheden", "Units withheld"),
    "none": ("geen", "none"),
    "all_dims": ("alle dimensies", "all dimensions"),
    "scores": ("Scores per eenheid", "Scores per unit"),
    "scores_text": (
        "Gemiddelde score van 0 tot 100 (POMP) per eenheid en dimensie, met het aantal"
        " respondenten in de laatste kolom; een gearceerde cel is afgeschermd, een score onder"
        " 40 is rood.",
        "Mean score from 0 to 100 (POMP) per unit and dimension, with the number of"
        " respondents in the last column; a hatched cell is withheld, a score below 40 is red.",
    ),
    "unit": ("Eenheid", "Unit"),
    "group": ("Groep", "Group"),
    "crosscut": ("Per groep over de eenheden heen", "Per group across the units"),
    "crosscut_text": (
        "Dezelfde scores per kenmerk van de respondenten (zoals beroep) voor de hele"
        " organisatie, met dezelfde afscherming.",
        "The same scores per respondent attribute (such as profession) for the whole"
        " organisation, with the same protection.",
    ),
    "reliability": ("Betrouwbaarheid en overeenstemming", "Reliability and agreement"),
    "reliability_text": (
        "Cronbachs alfa en McDonalds omega over alle respondenten; ICC(1) en ICC(2) voor de"
        " verschillen tussen eenheden; rwg(j) voor de overeenstemming binnen een eenheid"
        " (0 = geen, 1 = volledig). De scan is niet gevalideerd: lees deze cijfers als"
        " controle op je eigen gegevens.",
        "Cronbach's alpha and McDonald's omega over all respondents; ICC(1) and ICC(2) for the"
        " differences between units; rwg(j) for the agreement within a unit (0 = none, 1 ="
        " full). The scan is not validated: read these figures as a check on your own data.",
    ),
    "dimension": ("Dimensie", "Dimension"),
    "agreement": ("Overeenstemming binnen eenheden, rwg(j)", "Agreement within units, rwg(j)"),
    "indicators": ("Indicatoren", "Indicators"),
    "indicator": ("Indicator", "Indicator"),
    "value": ("Waarde", "Value"),
    "score": ("Score", "Score"),
    "transform": ("Omzetting", "Transform"),
    "source": ("Bron", "Source"),
    "advice": ("Aanbevelingen voor de zwakste eenheden", "Recommendations for the weakest units"),
    "advice_text": (
        "Voor de eenheden met de laagste gepubliceerde gemiddelde score: het profiel tegenover"
        " de hele organisatie, de best passende interventies met hun onderbouwing, en een"
        " routekaart die de randvoorwaarden eerst aanpakt.",
        "For the units with the lowest published mean score: the profile against the whole"
        " organisation, the best-fitting interventions with their reasons, and a roadmap that"
        " addresses the preconditions first.",
    ),
    "context": ("Context", "Context"),
    "top": ("Best passende interventies", "Best-fitting interventions"),
    "strengthens": ("Versterkt", "Strengthens"),
    "criteria": ("Criteria (waarde × gewicht)", "Criteria (value × weight)"),
    "warning": ("Let op", "Note"),
    "roadmap": ("Routekaart", "Roadmap"),
    "phase": ("Fase", "Phase"),
    "focus": ("randvoorwaarden", "preconditions"),
    "hours": ("uur", "hours"),
    "expected": ("Verwacht daarna", "Expected after"),
    "no_recs": ("Geen haalbare interventies.", "No feasible interventions."),
    "no_phase": ("Geen haalbare fase binnen budget en uren.",
                 "No feasible phase within budget and hours."),
    "footer": (
        "Gemaakt met leercultuur {v}, naar het rapport 'Een Leven Lang Leren' (Zorgpact"
        " Rotterdam). Uitkomsten zijn gespreksstof, geen oordeel.",
        "Made with leercultuur {v}, after the report 'Een Leven Lang Leren' (Zorgpact"
        " Rotterdam). Results are for conversation, not a verdict.",
    ),
    "no_charts": ("(grafieken vereisen matplotlib: pip install 'leercultuur[plot]')",
                  "(charts need matplotlib: pip install 'leercultuur[plot]')"),
    "strength": ("zwak|matig|sterk", "weak|moderate|strong"),
}  # fmt: skip
