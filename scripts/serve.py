"""The editors' preview (`make serve`, or the `carekb-serve` command): engine/serve.py.

    python scripts/serve.py [--dev-addr 127.0.0.1:8000] [-f mkdocs.yml] [-w PATH ...] [--strict]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This project's packages, not whichever ones are installed in the environment.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.serve import main  # noqa: E402

if __name__ == "__main__":
    main()
