"""Portal Console's core: no Qt here, so it can be tested and scripted without a display."""
