"""The web console (an adapter like ``streams/``): a module per feature, one composition in ``app``."""

from datalek.web.app import build_web_app
from datalek.web.security import COOKIE
from datalek.web.views import clock_state, detail, summary

__all__ = ["COOKIE", "build_web_app", "clock_state", "detail", "summary"]
