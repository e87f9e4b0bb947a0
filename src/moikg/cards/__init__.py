"""Source cards: YAML cards checked against their schema, resolved, turned into Turtle."""
