"""Sigma rules (SigmaHQ format) through pySigma, mapped onto the datalek rule engine.

pySigma parses, validates and resolves the rules (references between files, correlation aliases); this
module only translates its parsed condition trees and correlation rules into ``incidents.rules`` rules.
Fields are matched by name against the flat ECS fields of the datalek event schema; ``logsource`` is not
used. Anything the engine cannot evaluate raises a RuleError rather than being silently weakened.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sigma.collection import SigmaCollection
from sigma.conditions import (
    ConditionAND,
    ConditionFieldEqualsValueExpression,
    ConditionNOT,
    ConditionOR,
    ConditionValueExpression,
)
from sigma.correlations import (
    CorrelationConditionAND,
    CorrelationConditionNOT,
    SigmaCorrelationConditionOperator,
    SigmaCorrelationRule,
    SigmaCorrelationType,
    SigmaExtendedCorrelationCondition,
    SigmaRuleReference,
)
from sigma.exceptions import SigmaError
from sigma.rule import SigmaRule
from sigma.types import (
    CompareOperators,
    SigmaBool,
    SigmaCasedString,
    SigmaCIDRExpression,
    SigmaCompareExpression,
    SigmaExists,
    SigmaExpansion,
    SigmaNull,
    SigmaNumber,
    SigmaRegularExpression,
    SigmaRegularExpressionFlag,
    SigmaString,
    SpecialChars,
)
from sigma.validation import SigmaValidator
from sigma.validators.base import SigmaValidationIssueSeverity
from sigma.validators.core import validators as core_validators

from incidents.rules import BreachType, Kind, Rule, RuleError, Step, duration
from incidents.rules.conditions import AllOf, AnyOf, Condition, Field, Keywords, Not, Op

VALIDATORS = ("dangling_detection", "identifier_existence", "identifier_uniqueness",
              "invalid_modifier_combinations", "all_of_them_condition", "them_condition_with_single_detection")
LEVELS = {"informational": "low", "low": "low", "medium": "medium", "high": "high", "critical": "critical"}
COMPARE = {CompareOperators.GT: Op.GT, CompareOperators.GTE: Op.GTE, CompareOperators.LT: Op.LT,
           CompareOperators.LTE: Op.LTE}
KINDS = {SigmaCorrelationType.EVENT_COUNT: Kind.COUNT, SigmaCorrelationType.VALUE_COUNT: Kind.DISTINCT,
         SigmaCorrelationType.TEMPORAL: Kind.ALL, SigmaCorrelationType.TEMPORAL_ORDERED: Kind.SEQUENCE}
AnyRule = SigmaRule | SigmaCorrelationRule


def rules_from_sigma(files: Sequence[tuple[str, str]]) -> list[Rule]:
    """Engine rules for Sigma YAML texts ``(source, text)``; references may cross files."""
    sources: dict[int, str] = {}
    parts = []
    for source, text in files:
        collection = _parse(source, text)
        sources.update({id(r): source for r in collection.rules})
        parts.append(collection)
    try:
        collection = SigmaCollection.merge(parts, resolve_references=False)
        collection.resolve_rule_references()
    except SigmaError as e:
        raise RuleError(f"unresolved Sigma rule reference: {e}", source=", ".join(s for s, _ in files)) from e
    _validate(collection, sources)
    return _translate(collection, sources)


def _parse(source: str, text: str) -> SigmaCollection:
    try:
        collection = SigmaCollection.from_yaml(text, collect_errors=True, resolve_references=False)
    except SigmaError as e:
        raise RuleError(f"invalid Sigma YAML: {e}", source=source) from e
    for rule in collection.rules:
        if rule.errors:
            raise RuleError(f"invalid Sigma rule: {rule.errors[0]}", source=source, rule=_name(rule),
                            field=type(rule.errors[0]).__name__)
    return collection


def _validate(collection: SigmaCollection, sources: dict[int, str]) -> None:
    validator = SigmaValidator({core_validators[name] for name in VALIDATORS})
    for issue in validator.validate_rules(collection):
        if issue.severity is SigmaValidationIssueSeverity.HIGH:
            rule = issue.rules[0]
            raise RuleError(f"Sigma validation: {issue.description}", source=sources.get(id(rule), "-"),
                            rule=_name(rule), field=type(issue).__name__)


def _translate(collection: SigmaCollection, sources: dict[int, str]) -> list[Rule]:
    correlations = [r for r in collection.rules if isinstance(r, SigmaCorrelationRule)]
    hidden = {id(ref.rule) for c in correlations if not c.generate for ref in _refs(c)}
    found = []
    for rule in collection.rules:
        source = sources.get(id(rule), "-")
        if id(rule) in hidden:
            continue  # only the correlation that references it alerts (Sigma's generate: false)
        if isinstance(rule, SigmaCorrelationRule):
            found.append(_correlation(rule, source))
        else:
            found.append(_single(rule, source))
    return found


def _refs(rule: SigmaCorrelationRule) -> list[SigmaRuleReference]:
    return list(rule.rules or [])


def _name(rule: AnyRule) -> str:
    return f"sigma.{rule.name or rule.id or rule.title}"


def _common(rule: AnyRule, source: str) -> dict[str, Any]:
    extra = rule.custom_attributes
    try:
        breach = BreachType(extra.get("breach_type", "confidentiality"))
        lateness, suppress = duration(extra.get("lateness", "5m")), duration(extra.get("suppress", "1h"))
    except ValueError as e:
        raise RuleError(str(e), source=source, rule=_name(rule), field="breach_type/lateness/suppress") from e
    level = LEVELS.get(str(rule.level).lower(), "medium") if rule.level else "medium"
    return {"id": _name(rule), "title": rule.title, "description": (rule.description or "").strip(),
            "breach_type": breach, "severity": level, "lateness": lateness, "suppress": suppress,
            "source": source}


def _single(rule: SigmaRule, source: str) -> Rule:
    """A detection rule not hidden behind a correlation: every match is a detection (per window)."""
    common = _common(rule, source)
    window = duration(rule.custom_attributes.get("window", "1h"))
    return Rule(kind=Kind.MATCH, steps=(Step("match", condition_of(rule, source)),), window=window,
                **common)


def condition_of(rule: SigmaRule, source: str = "-") -> Condition:
    """The engine condition for a Sigma detection rule (all its conditions, ORed)."""
    try:
        trees = [c.parsed for c in rule.detection.parsed_condition]
        items = tuple(_node(t) for t in trees if t is not None)
    except (SigmaError, _Unsupported) as e:
        raise RuleError(str(e), source=source, rule=_name(rule), field="detection") from e
    return items[0] if len(items) == 1 else AnyOf(items)


class _Unsupported(Exception):
    pass


def _node(node: Any) -> Condition:
    if isinstance(node, ConditionAND):
        return AllOf(tuple(_node(a) for a in node.args))
    if isinstance(node, ConditionOR):
        return AnyOf(tuple(_node(a) for a in node.args))
    if isinstance(node, ConditionNOT):
        return Not(_node(node.args[0]))
    if isinstance(node, ConditionFieldEqualsValueExpression):
        return _value(node.field, node.value)
    if isinstance(node, ConditionValueExpression) and isinstance(node.value, SigmaString):
        return Keywords((_pattern(node.value),))
    raise _Unsupported(f"unsupported Sigma condition element {type(node).__name__}")


def _value(field: str, value: Any) -> Condition:
    if isinstance(value, SigmaString):
        return Field(field, Op.EQ, (_pattern(value),), cased=isinstance(value, SigmaCasedString))
    if isinstance(value, SigmaRegularExpression):
        flags = value.flags
        inline = "".join(f for f, k in (("m", SigmaRegularExpressionFlag.MULTILINE),
                                        ("s", SigmaRegularExpressionFlag.DOTALL)) if k in flags)
        text = f"(?{inline}){value.regexp.original}" if inline else value.regexp.original
        return Field(field, Op.RE, (text,), cased=SigmaRegularExpressionFlag.IGNORECASE not in flags)
    if isinstance(value, SigmaCIDRExpression):
        return Field(field, Op.CIDR, (value.cidr,))
    if isinstance(value, SigmaCompareExpression) and value.op in COMPARE:
        return Field(field, COMPARE[value.op], (value.number.number,))
    if isinstance(value, SigmaNumber) and type(value) is SigmaNumber:
        return Field(field, Op.EQ, (value.number,))
    if isinstance(value, SigmaBool):
        return Field(field, Op.EQ, (value.boolean,))
    if isinstance(value, SigmaNull):
        return Field(field, Op.EXISTS, (False,))
    if isinstance(value, SigmaExists):
        return Field(field, Op.EXISTS, (value.exists,))
    if isinstance(value, SigmaExpansion):
        return AnyOf(tuple(_value(field, v) for v in value.values))
    raise _Unsupported(f"{field}: unsupported Sigma value type {type(value).__name__}")


def _pattern(value: SigmaString) -> str:
    """Our wildcard syntax: ``*``/``?`` special, backslash escapes a literal one."""
    out = []
    for part in value.s:
        if part is SpecialChars.WILDCARD_MULTI:
            out.append("*")
        elif part is SpecialChars.WILDCARD_SINGLE:
            out.append("?")
        elif isinstance(part, str):
            out.append(part.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?"))
        else:
            raise _Unsupported("Sigma placeholders are not supported")
    return "".join(out)


def _correlation(rule: SigmaCorrelationRule, source: str) -> Rule:
    common = _common(rule, source)
    group_by = tuple(rule.group_by or ())
    try:
        if isinstance(rule.condition, SigmaExtendedCorrelationCondition):
            return _absence(rule, common, group_by)
        kind = KINDS.get(rule.type)
        if kind is None:
            raise _Unsupported(f"correlation type {rule.type} is not supported")
        steps = tuple(_step(rule, ref, group_by, kind) for ref in _refs(rule))
    except (_Unsupported, RuleError) as e:
        raise RuleError(str(e), source=source, rule=common["id"], field="correlation") from e
    min_steps = _threshold(rule) if kind is Kind.ALL else None
    return Rule(kind=kind, steps=steps, group_by=group_by, per_asset=False, window=rule.timespan.seconds,
                min_steps=min_steps, **common)


def _step(rule: SigmaCorrelationRule, ref: SigmaRuleReference, group_by: tuple[str, ...], kind: Kind) -> Step:
    fields = tuple(_alias(rule, ref, f) for f in group_by)
    target = ref.rule
    if kind in (Kind.COUNT, Kind.DISTINCT):
        distinct = _distinct_field(rule) if kind is Kind.DISTINCT else None
        return Step(ref.reference, _base(target), _threshold(rule), distinct, group_by=fields)
    if isinstance(target, SigmaCorrelationRule):  # a chained event_count/value_count, e.g. "many failures"
        inner = KINDS.get(target.type)
        if inner not in (Kind.COUNT, Kind.DISTINCT):
            raise _Unsupported("only event_count and value_count correlations can be chained")
        conditions = tuple(_base(r.rule) for r in _refs(target))
        cond = conditions[0] if len(conditions) == 1 else AnyOf(conditions)
        distinct = _distinct_field(target) if inner is Kind.DISTINCT else None
        return Step(ref.reference, cond, _threshold(target), distinct, group_by=fields)
    return Step(ref.reference, _base(target), group_by=fields)


def _base(target: AnyRule) -> Condition:
    if isinstance(target, SigmaCorrelationRule):
        raise _Unsupported(f"correlation {_name(target)} cannot be used here")
    return condition_of(target)


def _alias(rule: SigmaCorrelationRule, ref: SigmaRuleReference, field: str) -> str:
    alias = rule.aliases.aliases.get(field)
    if alias is None:
        return field
    for key, name in alias.mapping.items():
        if key.reference == ref.reference:
            return name
    raise _Unsupported(f"alias {field!r} has no field for rule {ref.reference!r}")


def _distinct_field(rule: SigmaCorrelationRule) -> str:
    field = getattr(rule.condition, "fieldref", None)
    if not isinstance(field, str):
        raise _Unsupported("value_count needs exactly one condition field")
    return field


def _threshold(rule: SigmaCorrelationRule) -> int:
    """The count at which a streaming engine fires: gte N -> N, gt N -> N+1, eq N -> N."""
    cond = rule.condition
    ops = SigmaCorrelationConditionOperator
    offsets = {ops.GTE: 0, ops.GT: 1, ops.EQ: 0}
    if getattr(cond, "op", None) not in offsets:
        raise _Unsupported("only gte, gt and eq conditions can fire while events stream in")
    return max(1, int(cond.count) + offsets[cond.op])  # type: ignore[union-attr]


def _absence(rule: SigmaCorrelationRule, common: dict[str, Any], group_by: tuple[str, ...]) -> Rule:
    """Extended temporal condition ``A and not B``: A without B for the group within the timespan."""
    tree = rule.condition.parsed  # type: ignore[union-attr]
    shape_ok = isinstance(tree, CorrelationConditionAND) and len(tree.args) == 2 \
        and isinstance(tree.args[0], SigmaRuleReference) and isinstance(tree.args[1], CorrelationConditionNOT)
    if not shape_ok:
        raise _Unsupported("of the extended temporal conditions only 'A and not B' is supported")
    wanted = [tree.args[0].reference, tree.args[1].args[0].reference]  # type: ignore[union-attr]
    refs = {r.reference: r for r in _refs(rule)}
    steps = tuple(Step(name, _base(refs[name].rule), group_by=tuple(_alias(rule, refs[name], f) for f in group_by))
                  for name in wanted)
    return Rule(kind=Kind.ABSENCE, steps=steps, group_by=group_by, per_asset=False, window=rule.timespan.seconds,
                **common)
