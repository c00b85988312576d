"""Test-wide settings: compiled programs are not written to the on-disk cache (the
tests that check it point MXC_CACHE_DIR at a temporary directory themselves)."""

import os

os.environ.setdefault("MXC_DISK_CACHE", "0")
