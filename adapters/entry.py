"""`dslp-bot`'s first module: the program loads with Python's cyclic garbage collector off.

Start is almost all imports: a few hundred thousand objects (modules, classes, SQLModel's
tables, the SDKs) that live as long as the process. The collector runs after every 700 new
objects and walks the young ones each time; while loading it frees next to nothing and costs
about an eighth of the start. `adapters.cli` turns it back on before any command runs, except
`serve`, which does once the server is up and everything loaded is frozen (adapters/web.py).
"""

from __future__ import annotations

import gc
import sys


def main() -> int:
    gc.disable()
    from adapters.cli import main as run

    return run()


if __name__ == "__main__":
    sys.exit(main())
