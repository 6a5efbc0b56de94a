"""The sandbox's state: the SQLite store, the clock, events, search, and what a handler gets."""
