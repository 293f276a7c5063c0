"""Runtime hook: put the modules both executables share on ``sys.path``.

build.spec moves most pure-Python modules out of each executable's own archive into one
``shared_modules.zip`` in the bundle (see scripts/pyinstaller/shared_modules.py), so this
hook runs first, before any other hook or the application imports one of them.
"""

import os
import sys

_archive = os.path.join(sys._MEIPASS, "shared_modules.zip")
if os.path.isfile(_archive) and _archive not in sys.path:
    sys.path.append(_archive)
del _archive
