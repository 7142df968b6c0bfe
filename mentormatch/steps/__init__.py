"""Goal steps: the mentee plans and ticks off steps of their near-term goal."""
