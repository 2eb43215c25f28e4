"""Groups of data subjects in the AP draft (6.2 and 7.2): which data of how many people, group by group. Pure.

Only when the facts have more than one group; one group says nothing the totals do not say already."""

from __future__ import annotations

from functools import reduce

from incidents.assessment import AffectedGroup, BreachFacts, SpecialCategory, SubjectCount, SubjectGroup
from notifications import labels


def count_text(count: SubjectCount | None) -> str:
    """``13 betrokkenen``, ``2 tot 3 betrokkenen`` or ``aantal onbekend``."""
    if count is None:
        return "aantal onbekend"
    return f"{_span(count)} {'betrokkene' if _span(count) == '1' else 'betrokkenen'}"


def _span(count: SubjectCount) -> str:
    return str(count.minimum) if count.is_exact else f"{count.minimum} tot {count.maximum}"


def group_lines(facts: BreachFacts) -> tuple[str, ...]:
    """7.2: one line per group, its kinds, count and data (AP option texts); empty for a single group."""
    if len(facts.groups) < 2:
        return ()
    return tuple(f"Groep {n}: {_line(g)}" for n, g in enumerate(facts.groups, start=1))


def special_line(facts: BreachFacts, category: SpecialCategory) -> str:
    """6.2: the option, and for several groups how many of the data subjects it concerns."""
    label = labels.AP_SPECIAL[category]
    if len(facts.groups) < 2:
        return label
    counts = [g.data_subjects for g in facts.groups if category in g.special_categories]
    if any(c is None for c in counts):
        return f"{label} (bij een deel van de betrokkenen)"
    having = reduce(SubjectCount.__add__, (c for c in counts if c is not None))
    total = facts.data_subjects
    return f"{label} (bij {_span(having)}{f' van de {_span(total)}' if total else ''} betrokkenen)"


def _line(g: AffectedGroup) -> str:
    kinds = ", ".join(labels.AP_GROUP[k] for k in SubjectGroup if k in g.subject_groups) or "groep niet opgegeven"
    data = ", ".join(labels.ap_categories(g.data_categories))
    special = ", ".join(labels.AP_SPECIAL[c] for c in SpecialCategory if c in g.special_categories)
    parts = [p for p in (data, f"bijzondere persoonsgegevens: {special}" if special else "") if p]
    return f"{kinds} ({count_text(g.data_subjects)}): {'; '.join(parts)}"
