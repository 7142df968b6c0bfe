"""Pieces every service shares: the clock, errors, events and state moves, links, the mail
outbox, the job runner, reference data. Core imports models and the matching core, never
services or the web layer (docs/architecture.md)."""
