"""A file cache safe for counters shared by every worker process (rate limits)."""

from __future__ import annotations

import os
import pickle
import tempfile
import time
import zlib
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


class FileCache(FileBasedCache):
    """Django's file cache, with ``add`` and ``incr`` atomic across processes (for counters)."""

    @contextmanager
    def _locked(self):
        self._createdir()
        with open(os.path.join(self._dir, "counters.lock"), "ab") as fh:
            locks.lock(fh, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(fh)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        """Add to a stored number, keeping its expiry (the base class would reset it)."""
        with self._locked():
            fname = self._key_to_file(key, version)
            try:
                with open(fname, "rb") as fh:
                    expiry = pickle.load(fh)  # noqa: S301 - our own cache folder
                    value = pickle.loads(zlib.decompress(fh.read()))  # noqa: S301
            except (FileNotFoundError, EOFError):
                raise ValueError(f"Key '{key}' not found") from None
            if expiry is not None and expiry < time.time():
                raise ValueError(f"Key '{key}' not found")
            value += delta
            fd, tmp_path = tempfile.mkstemp(dir=self._dir)
            with open(fd, "wb") as out:
                out.write(pickle.dumps(expiry, self.pickle_protocol))
                out.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
            os.replace(tmp_path, fname)
            return value
