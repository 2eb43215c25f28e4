"""Alerts and regulator drafts: routing policy (pure), rendering (Jinja2), dispatch (Apprise)."""
