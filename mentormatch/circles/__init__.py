"""Command line for peer pairs and peer circles: `python -m mentormatch.circles` (see __main__)."""
