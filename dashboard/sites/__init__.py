"""Sites: the map (pydeck decks and their layers) and the site profile."""
