"""The frozen program's entry point: the same ``portal-console`` command as the installed script."""

import sys

from ui.launch import main

if __name__ == "__main__":
    sys.exit(main())
