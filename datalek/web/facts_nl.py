"""The facts checks of the core (``incidents.assessment.facts``), in Dutch for the questionnaire.

Keyed by the core's exact English text; a text without a translation is shown as the core wrote it, and a test
walks every check the questionnaire can reach so that none is left untranslated.
"""

from __future__ import annotations

from collections.abc import Mapping

PROBLEMS: Mapping[str, str] = {
    "give at least one group with a category (use 'unknown' if not known yet)":
        "geef ten minste één groep met een categorie (kies 'onbekend' als dat nog niet bekend is)",
    "give at least one category (use 'unknown' if not known yet)":
        "kies ten minste één categorie (of 'onbekend' als dat nog niet bekend is)",
    "must not be negative": "mag niet negatief zijn",
    "recipients imply a loss of confidentiality; add it to nature":
        "ontvangers betekenen een verlies van vertrouwelijkheid: kies die ook bij de aard van de inbreuk",
    "an outage needs availability_temporary or availability_permanent in nature":
        "een onderbreking van de dienst vraagt om 'beschikbaarheid: tijdelijk' of 'beschikbaarheid: permanent kwijt' "
        "bij de aard van de inbreuk",
    "misuse of altered data needs 'integrity' in nature":
        "misbruik van gewijzigde gegevens vraagt om 'integriteit' bij de aard van de inbreuk",
    "needs 'access_credentials' in data_categories": "vraagt om 'inloggegevens' bij de gegevens van een groep",
    "list the data the credentials open, not credentials":
        "kies de gegevens waartoe de inloggegevens toegang geven, niet de inloggegevens zelf",
    "expected an ISO 3166-1 alpha-2 code such as 'BE'":
        "geef een landcode van twee letters (ISO 3166-1), zoals DE of FR",
    "countries are listed but cross_border is false":
        "er zijn landen opgegeven, maar grensoverschrijdend is niet aangevinkt",
    "state_of_the_art/key_safe need a protection method":
        "stand van de techniek en een veilige sleutel vragen om een beveiligingsmethode",
    "effective needs a protection method; leave it out": "zonder beveiligingsmethode blijft 'werkte dit' leeg",
    "trusted/deletion_confirmed need received 'known'":
        "een betrouwbare ontvanger en een bevestigde verwijdering gelden alleen voor bekende ontvangers",
    "give hours >= 0, and only for outage 'temporary'":
        "geef een aantal uren (0 of meer), alleen bij een tijdelijke onderbreking",
    "essential needs outage 'temporary' or 'permanent'":
        "een essentiële dienst vraagt om een tijdelijke of blijvende onderbreking",
    "need 0 <= min <= max": "het minimum mag niet negatief zijn en niet groter dan het maximum",
    "give each factor at most once": "geef elke factor hoogstens één keer",
}
PREFIXES: Mapping[str, str] = {"give at least one of ": "kies ten minste één van de mogelijkheden"}  # the form
# lists them


def problem(text: str, lang: str) -> str:
    """A problem of the core in the page's language."""
    if lang != "nl":
        return text
    if text in PROBLEMS:
        return PROBLEMS[text]
    for prefix, dutch in PREFIXES.items():
        if text.startswith(prefix):
            return dutch
    return text
