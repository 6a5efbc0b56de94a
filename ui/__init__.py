"""The PySide6 desktop views on top of :mod:`console` (arrives with the desktop console issue)."""
