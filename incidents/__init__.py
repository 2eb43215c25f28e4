"""The incident domain: pure core (standard library only) plus persistence adapters."""
