"""The PySide6 desktop console on top of :mod:`console`.

``launch`` decides between the command line and the window (without importing Qt);
``app`` starts Qt, the qasync loop, the embedded sandbox and the main window.
"""
