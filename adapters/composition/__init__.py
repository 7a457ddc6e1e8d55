"""Where the app is built: `root.build` wires every part, with the digest and the lifecycle
beside it (`digest.py`, `notifications.py`) and the adapters `dslp-bot serve` mounts
(`mounts.py`). The types it builds (`App`, `Mount`) are in `adapters/app.py`, a leaf.
"""

from adapters.composition.root import build, build_tracker

__all__ = ["build", "build_tracker"]
