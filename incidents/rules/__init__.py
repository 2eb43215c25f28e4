"""Detection rules as data and the engine that runs them (pure: standard library only).

    engine = Engine(rules, inventory=inventory)
    detections = engine.detect(states, events)   # states: dict or a per-batch view of a Faust table
"""

from incidents.rules.engine import AssetIndex, Engine, NoInventory
from incidents.rules.errors import RuleError
from incidents.rules.parse import duration, rule_from_dict
from incidents.rules.spec import Baseline, BreachType, Kind, Rule, Step, Travel

__all__ = ["AssetIndex", "Baseline", "BreachType", "Engine", "Kind", "NoInventory", "Rule", "RuleError", "Step",
           "Travel", "duration", "rule_from_dict"]
