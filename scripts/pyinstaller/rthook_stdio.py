"""Runtime hook: give the windowed executable somewhere to write.

A windowed Windows program starts with ``sys.stdout`` and ``sys.stderr`` set to None, and
argparse's ``--help``, a stray ``print`` or a logging handler on stderr would then raise.
Sending them to the null device keeps the program running; the log file keeps the details.
"""

import os
import sys

for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))
