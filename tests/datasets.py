"""Real datasets kept in the repository for tests (see tests/data/*/README.md for source and licence)."""

from pathlib import Path

LOGHUB_OPENSSH = Path(__file__).parent / "data" / "loghub" / "OpenSSH_2k.log"
