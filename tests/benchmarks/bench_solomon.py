"""Solomon VRPTW with the scheduler's routing layer (see scheduler/bench.py).

``make bench`` runs a quick subset; the full set at 10 s per instance, the issue's target, is
``python -m scheduler.bench solomon --seconds 10`` (about ten minutes).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scheduler.bench import solomon

if __name__ == "__main__":
    solomon(sys.argv[1:] or ["--seconds", "5", "--instances", "C101,C201,R101,R201,RC101,RC201"])
