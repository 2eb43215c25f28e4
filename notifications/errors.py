"""Errors of the notifications package: one root, small documented subclasses."""

from __future__ import annotations


class NotificationError(Exception):
    """Root of every error raised by ``notifications``."""


class ConfigError(NotificationError):
    """Organisation details or alert targets are missing or malformed."""


class DraftError(NotificationError):
    """A draft cannot be produced as asked (unknown kind or format, follow-up without meldnummer)."""


class RenderError(NotificationError):
    """A template failed to render (undefined variable, sandbox violation)."""
