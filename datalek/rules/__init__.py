"""The shipped detection rules (``*.yml`` in this folder) and their loader; see README.md for the format."""

from datalek.rules.loader import DEFAULT_INVENTORY, DEFAULT_RULES, describe, load_inventory, load_rule_set, load_rules

__all__ = ["DEFAULT_INVENTORY", "DEFAULT_RULES", "describe", "load_inventory", "load_rule_set", "load_rules"]
