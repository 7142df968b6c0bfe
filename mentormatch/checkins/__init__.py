"""Check-ins 30 and 60 days into a pairing."""
