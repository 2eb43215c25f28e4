"""The recorded facts and the audit trail as the FG reads them in the workspace: labels and values in the page's
language (Dutch first), never the stored field names and codes. Pure.

The facts use the questionnaire's labels (``questionnaire.QUESTIONS``) and the vocabulary's labels
(``i18n.choice``); the audit actions are labelled here, the stored code kept as the cell's title. What people wrote
(reasons, notes, the measures text) and the detections' own words are shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from datalek.web import i18n
from datalek.web.questionnaire import GROUP_CHOICES, QUESTIONS, Question
from incidents.services import SYSTEM_ACTOR
from notifications.enisa_nl import FACTOR

Pair = tuple[str, str]  # nl, en
WORDS: Mapping[str, Pair] = {
    "subjects": ("betrokkenen", "data subjects"), "data": ("gegevens", "data"),
    "special": ("bijzondere persoonsgegevens", "special categories"), "none": ("geen", "none"),
    "not_answered": ("nog niet beantwoord", "not answered yet"), "unknown": ("onbekend", "unknown"),
    "to": ("tot", "to"), "hours": ("uur", "hours"), "state_of_the_art": ("stand van de techniek", "state of the art"),
    "key_safe": ("sleutel veilig", "key safe"),
    "effective": ("werkte tegen deze inbreuk", "effective against this breach"),
    "not_assessed": ("niet beoordeeld: telt als maximaal", "not assessed: counted as maximum"),
    "trusted": ("betrouwbaar", "trusted"), "deleted": ("verwijdering bevestigd", "deletion confirmed"),
    "essential": ("essentiële dienst", "essential service"), "steps": ("stap(pen)", "step(s)"),
    "adjustments": ("Aanpassingen van de DPC-score (ENISA)", "DPC adjustments (ENISA)"),
    "group": ("groep", "group"),
}
ACTIONS: Mapping[str, Pair] = {  # audit actions on an incident (incidents.services, the CLI, the console, the API)
    "incident.opened": ("incident geopend", "incident opened"),
    "detection.correlated": ("detectie toegevoegd", "detection added"),
    "affected.added": ("getroffen accounts of bestanden toegevoegd", "affected accounts or files added"),
    "status.changed": ("status gewijzigd", "status changed"),
    "awareness.changed": ("moment van kennisname gewijzigd", "awareness time changed"),
    "facts.recorded": ("feiten vastgelegd", "facts recorded"),
    "draft.supplement_saved": ("aanvullende antwoorden opgeslagen", "supplementary answers saved"),
    "incident.viewed": ("bekeken (opdrachtregel)", "viewed (command line)"),
    "facts.template": ("feitensjabloon opgevraagd (opdrachtregel)", "facts template read (command line)"),
    "register.exported": ("register geëxporteerd (opdrachtregel)", "register exported (command line)"),
    "web.viewed": ("bekeken (console)", "viewed (console)"),
    "web.facts.viewed": ("vragenlijst feiten geopend (console)", "facts questionnaire opened (console)"),
    "web.facts.rejected": ("feiten afgewezen: velden verbeteren (console)",
                           "facts refused: fields to correct (console)"),
    "web.supplement.viewed": ("aanvullende antwoorden geopend (console)", "supplementary answers opened (console)"),
    "web.supplement.saving": ("aanvullende antwoorden opslaan (console)", "supplementary answers saving (console)"),
    "api.viewed": ("bekeken (API)", "viewed (API)"),
    "api.register.exported": ("register geëxporteerd (API)", "register exported (API)"),
    "web.register.viewed": ("register bekeken (console)", "register viewed (console)"),
    "web.register.exported": ("register gedownload (console)", "register downloaded (console)"),
}
DRAFTS: Mapping[str, Pair] = {"ap": ("concept melding AP", "AP notification draft"),
                              "subjects": ("concept bericht aan betrokkenen", "notice to data subjects draft"),
                              "register": ("registerregel", "register entry")}
CHANNELS: Mapping[str, Pair] = {"draft": ("opdrachtregel", "command line"), "web.draft": ("console", "console"),
                                "api.draft": ("API", "API")}
FOLLOW_UPS: Mapping[str, Pair] = {"supplement": ("aanvulling op de melding", "notification supplemented"),
                                  "amend": ("melding gewijzigd", "notification amended"),
                                  "withdraw": ("melding ingetrokken", "notification withdrawn")}
REASONS: Mapping[str, str] = {  # the reasons the workflow writes itself (incidents.workflow defaults), in Dutch
    "facts recorded": "feiten vastgelegd", "proposal accepted": "voorstel overgenomen",
    "override": "afgeweken van het voorstel", "data subjects informed": "betrokkenen geïnformeerd",
}
_DRAFT = re.compile(r"(draft|web\.draft|api\.draft)\.([a-z_]+)")
_AWARENESS = re.compile(r"(.+?) -> (\S+): (.*)", re.S)  # previous is str(datetime): with a space


def _word(key: str, lang: str) -> str:
    return WORDS[key][i18n.LANGUAGES.index(lang)]


def action(code: str, lang: str) -> str:
    """An audit action for people; an unknown code is shown as stored."""
    index = i18n.LANGUAGES.index(lang)
    if code in ACTIONS:
        return ACTIONS[code][index]
    if (m := _DRAFT.fullmatch(code)) and m.group(2) in DRAFTS:
        return f"{DRAFTS[m.group(2)][index]} ({CHANNELS[m.group(1)][index]})"
    kind = code.removeprefix("follow_up.")
    return FOLLOW_UPS[kind][index] if code.startswith("follow_up.") and kind in FOLLOW_UPS else code


def trail(entries: list[Mapping[str, Any]], lang: str) -> list[dict[str, str]]:
    """The audit trail's rows: time (UTC), who, what, from and to (status labels), why."""
    return [{"at": _moment(str(a["at"])), "actor": _actor(str(a["actor"]), lang), "code": str(a["action"]),
             "action": action(str(a["action"]), lang),
             "from_status": i18n.status(a["from_status"], lang) if a.get("from_status") else "",
             "to_status": i18n.status(a["to_status"], lang) if a.get("to_status") else "",
             "reason": _reason(a, lang)} for a in entries]


def _moment(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return iso


def _actor(name: str, lang: str) -> str:
    return ("systeem (detectie)", "system (detection)")[i18n.LANGUAGES.index(lang)] if name == SYSTEM_ACTOR else name


def _reason(a: Mapping[str, Any], lang: str) -> str:
    """What was written; the parts the system itself wrote (times, counts, a follow-up) in the page's language."""
    reason, code = str(a.get("reason") or ""), str(a["action"])
    if lang != "nl":
        return reason
    if code == "awareness.changed" and (m := _AWARENESS.fullmatch(reason)):
        before = "niet vastgelegd" if m.group(1) == "None" else _moment(m.group(1)) + " UTC"
        return f"{before} -> {_moment(m.group(2))} UTC: {m.group(3)}"
    if code == "status.changed" and reason in REASONS:
        return REASONS[reason]
    if code == "affected.added":
        return re.sub(r"\b(\d+) (users|files)\b", lambda m: f"{m.group(1)} {_DUTCH_KIND[m.group(2)]}", reason)
    return re.sub(r" \(follows closed incident (\S+)\)$", r" (volgt op gesloten incident \1)", reason)


_DUTCH_KIND = {"users": "gebruikers", "files": "bestanden"}


def facts(recorded: Mapping[str, Any], lang: str) -> list[dict[str, Any]]:
    """The recorded facts (``BreachFacts.to_dict``) as labelled rows in the questionnaire's order; a row's
    ``values`` is a list when it has several parts (one per group, one per adjustment)."""
    index = i18n.LANGUAGES.index(lang)
    rows = [{"key": q.key, "label": q.label[index], "values": _FORMAT[q.kind](q, recorded.get(q.key), lang)}
            for q in QUESTIONS]
    if recorded.get("dpc_adjustments"):
        rows.append({"key": "dpc_adjustments", "label": _word("adjustments", lang),
                     "values": [_adjustment(a, lang) for a in recorded["dpc_adjustments"]]})
    return rows


def _choices(q: Question, value: Any, lang: str) -> str:
    if value is None:
        return _word("not_assessed" if q.kind == "optional_one" else "not_answered", lang)
    if isinstance(value, list):
        return _joined(value, q.choices, lang) or _word("none", lang)
    return i18n.choice(str(value), lang)


def _joined(values: Any, order: tuple[str, ...], lang: str) -> str:
    """The values' labels in the questionnaire's order (the stored order is alphabetical by code)."""
    rank = {v: n for n, v in enumerate(order)}
    return ", ".join(i18n.choice(v, lang) for v in sorted(values or [], key=lambda v: rank.get(v, len(rank))))


def _yes(value: Any, lang: str) -> str:
    if value is None:
        return _word("unknown", lang)
    return i18n.translator(lang)("yes" if value else "no")


def _number(q: Question, value: Any, lang: str) -> str:
    if value is None:
        return _word("unknown", lang)
    return f"{_decimal(value, lang)} {_word('hours', lang)}" if q.kind == "hours" else str(value)


def _decimal(value: float, lang: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "nl" else text


def _count(value: Any, lang: str) -> str:
    if value is None:
        return f"{_word('unknown', lang)} {_word('subjects', lang)}"
    if isinstance(value, Mapping):
        return f"{value['min']} {_word('to', lang)} {value['max']} {_word('subjects', lang)}"
    return f"{value} {_word('subjects', lang)}"


def _groups(q: Question, value: Any, lang: str) -> list[str]:
    out = []
    for number, g in enumerate(value or [], start=1):
        who = _joined(g.get("subject_groups"), GROUP_CHOICES["subject_groups"], lang) or "-"
        data = _joined(g.get("data_categories"), GROUP_CHOICES["data_categories"], lang) or _word("none", lang)
        special = _joined(g.get("special_categories"), GROUP_CHOICES["special_categories"], lang) or _word("none",
                                                                                                       lang)
        out.append(f"{_word('group', lang)} {number}: {who}; {_count(g.get('data_subjects'), lang)}; "
                   f"{_word('data', lang)}: {data}; {_word('special', lang)}: {special}")
    return out or [_word("not_answered", lang)]


def _protection(q: Question, value: Any, lang: str) -> str:
    if not value or value.get("method") == "none":
        return i18n.choice("none", lang)
    parts = [i18n.choice(value["method"], lang),
             f"{_word('state_of_the_art', lang)}: {_yes(value.get('state_of_the_art'), lang)}",
             f"{_word('key_safe', lang)}: {_yes(value.get('key_safe'), lang)}"]
    effective = value.get("effective")
    parts.append(f"{_word('effective', lang)}: "
                 f"{_word('not_answered', lang) if effective is None else _yes(effective, lang)}")
    return "; ".join(parts)


def _recipients(q: Question, value: Any, lang: str) -> str:
    if not value:
        return _word("not_answered", lang)
    text = i18n.choice(value["received"], lang)
    if value["received"] != "known":
        return text
    return (f"{text}; {_word('trusted', lang)}: {_yes(value.get('trusted'), lang)}; "
            f"{_word('deleted', lang)}: {_yes(value.get('deletion_confirmed'), lang)}")


def _service(q: Question, value: Any, lang: str) -> str:
    if not value:
        return _word("not_answered", lang)
    parts = [i18n.choice(value["outage"], lang), f"{_word('essential', lang)}: {_yes(value.get('essential'), lang)}"]
    if value.get("hours") is not None:
        parts.append(f"{_decimal(value['hours'], lang)} {_word('hours', lang)}")
    return "; ".join(parts)


def _adjustment(a: Mapping[str, Any], lang: str) -> str:
    factor = str(a["factor"])
    name = FACTOR.get(factor, factor) if lang == "nl" else factor.replace("_", " ")
    note = f": {a['note']}" if a.get("note") else ""
    return f"{name} {int(a['steps']):+d} {_word('steps', lang)}{note}"


def _text(q: Question, value: Any, lang: str) -> str:
    if q.kind == "countries":
        return ", ".join(value) if value else "-"
    return str(value) if value else "-"


_FORMAT: Mapping[str, Callable[[Question, Any, str], Any]] = {
    "multi": _choices, "one": _choices, "optional_one": _choices, "groups": _groups, "count": _number,
    "hours": _number, "protection": _protection, "recipients": _recipients, "service": _service,
    "tristate": lambda q, v, lang: _yes(v, lang), "flag": lambda q, v, lang: _yes(bool(v), lang),
    "countries": _text, "text": _text,
}
