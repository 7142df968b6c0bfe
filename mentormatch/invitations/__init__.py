"""Answering a program invitation sent by a coordinator\x27s import."""
