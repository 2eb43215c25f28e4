"""The notice to data subjects (Art. 34(2) GDPR) in clear, plain Dutch or English. Pure.

Art. 34(2): the nature of the breach, the contact point of Art. 33(3)(b), the likely consequences and the
measures taken, plus what the person can do. One notice serves every data subject, so it contains no
personal data: the greeting is generic and the entity value is never used. It is built only from fields meant
for data subjects (plain labels of the facts), never from internal text: the free-text measures description is
written for the AP and may name an attacker's address or a colleague, so it stays out of both languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from incidents.assessment import BreachNature, DataCategory, Measure, SpecialCategory, SubjectGroup
from incidents.assessment.deadlines import in_amsterdam
from notifications import labels
from notifications.alerts import short_id
from notifications.answers import DraftInputs
from notifications.consequences import HARM_PLAIN, harms
from notifications.organisation import Person

AP_COMPLAINT_URL = "https://autoriteitpersoonsgegevens.nl"
_MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
_LANG = {"nl": 0, "en": 1}
_CREDENTIALS = frozenset({DataCategory.ACCESS_CREDENTIALS})
_REACHABLE = frozenset({DataCategory.EMAIL, DataCategory.PHONE, DataCategory.CONTACT_DETAILS})
_MONEY = frozenset({DataCategory.BANK_ACCOUNT, DataCategory.CREDIT_CARD, DataCategory.FINANCIAL_OTHER})
_IDENTITY = frozenset({DataCategory.BSN, DataCategory.IDENTITY_DOCUMENT})

ADVICE: dict[str, tuple[str, str]] = {
    "password": ("Kies een nieuw wachtwoord voor uw account bij ons. Gebruikt u hetzelfde wachtwoord ook "
                 "ergens anders? Verander het daar ook.",
                 "Choose a new password for your account with us. If you use the same password anywhere "
                 "else, change it there too."),
    "phishing": ("Wees alert op e-mails, sms'jes en telefoontjes die van ons lijken te komen. Wij vragen u "
                 "nooit om uw wachtwoord of om geld over te maken.",
                 "Be careful with e-mails, text messages and calls that seem to come from us. We will never "
                 "ask for your password or ask you to transfer money."),
    "bank": ("Controleer uw bankafschriften. Ziet u een betaling die u niet kent? Neem dan direct contact op "
             "met uw bank.",
             "Check your bank statements. If you see a payment you do not recognise, contact your bank "
             "straight away."),
    "identity": ("Vermoedt u dat iemand zich als u voordoet? Neem contact op met het Centraal Meldpunt "
                 "Identiteitsfraude (CMI) van de Rijksoverheid.",
                 "If you think someone is pretending to be you, contact the Dutch government's Central "
                 "Reporting Point for Identity Fraud (CMI)."),
}


@dataclass(frozen=True, slots=True)
class SubjectNotice:
    """Everything the notice says, in one language."""

    lang: str
    organisation: str
    greeting: str
    reference: str
    discovered_on: str
    what_happened: tuple[str, ...]
    data: tuple[str, ...]
    consequences: tuple[str, ...]
    measures: tuple[str, ...]
    advice: tuple[str, ...]
    contact: tuple[str, ...]
    missing: tuple[str, ...]  # what the FG still has to supply before sending
    complaint_url: str = AP_COMPLAINT_URL


def long_date(moment: datetime, lang: str) -> str:
    """``20 november 2026`` / ``20 November 2026``, in Amsterdam time."""
    local = in_amsterdam(moment)
    return f"{local.day} {_MONTHS[lang][local.month - 1]} {local.year}"


def build_subject_notice(inputs: DraftInputs, *, lang: str) -> SubjectNotice:
    """The notice in ``lang`` ("nl" or "en") from the incident's facts and the organisation config."""
    if lang not in _LANG:
        raise ValueError(f"unsupported language {lang!r}: use 'nl' or 'en'")
    k, i, facts = _LANG[lang], inputs.incident, inputs.incident.facts
    contact = _contact(inputs.organisation.subject_contact, inputs.organisation.contact)
    missing = [m for m, absent in (("facts", facts is None), ("contact", not contact),
                                   ("measures", facts is not None and not facts.measures)) if absent]
    return SubjectNotice(
        lang=lang, organisation=inputs.organisation.name, greeting=_greeting(inputs, lang),
        reference=short_id(i.id),
        discovered_on=long_date(i.became_aware_at or i.opened_at, lang),
        what_happened=tuple(labels.PLAIN_NATURE[n][k] for n in BreachNature if facts and n in facts.nature),
        data=_data(inputs, k),
        consequences=tuple(HARM_PLAIN[h][k] for h in harms(facts)) if facts else (),
        measures=tuple((labels.MEASURE_PLAIN_NL if k == 0 else labels.MEASURE_EN)[m]
                       for m in Measure if facts and m in facts.measures),
        advice=tuple(ADVICE[a][k] for a in _advice(inputs)),
        contact=contact, missing=tuple(missing),
    )


def _greeting(inputs: DraftInputs, lang: str) -> str:
    """Generic (the notice goes to everyone): "Beste klant" when customers are affected."""
    customers = inputs.incident.facts is not None and SubjectGroup.CUSTOMERS in inputs.incident.facts.subject_groups
    return {("nl", True): "Beste klant", ("nl", False): "Beste lezer", ("en", True): "Dear customer",
            ("en", False): "Dear reader"}[(lang, customers)]


def _data(inputs: DraftInputs, k: int) -> tuple[str, ...]:
    facts = inputs.incident.facts
    if facts is None:
        return ()
    some = ("bij een deel van de betrokkenen", "for some of those affected")[k]

    def shown(text: str, category: DataCategory | SpecialCategory) -> str:
        everyone = all(category in g.all_categories for g in facts.groups)
        return text if everyone else f"{text} ({some})"

    ordinary = [shown(labels.PLAIN_CATEGORY[c][k], c) for c in DataCategory if c in facts.data_categories]
    special = [shown(labels.PLAIN_SPECIAL[c][k], c) for c in SpecialCategory if c in facts.special_categories]
    return (*ordinary, *special)


def _advice(inputs: DraftInputs) -> list[str]:
    facts = inputs.incident.facts
    if facts is None or BreachNature.CONFIDENTIALITY not in facts.nature:
        return []
    seen = facts.data_categories | facts.credentials_access
    wanted = (("password", _CREDENTIALS), ("phishing", _REACHABLE), ("bank", _MONEY), ("identity", _IDENTITY))
    return [key for key, categories in wanted if seen & categories]


def _contact(subject_contact: Person, contact: Person) -> tuple[str, ...]:
    """Where people go with questions: the subject contact, else the AP contact point (Art. 33(3)(b))."""
    chosen = subject_contact if not subject_contact.is_empty else contact
    return chosen.lines()
