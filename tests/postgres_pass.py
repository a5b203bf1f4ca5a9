"""Second pass of `make test`: the PostgreSQL-only tests, against a PostgreSQL server.

The main pass runs on the embedded SQLite database unless DATABASE_URL says otherwise; tests
marked `postgres` are skipped there and run here whenever a server answers at
PORTAL_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/kosi_portal).
"""

import os
import subprocess
import sys

from tests.services import postgres_reachable, postgres_url, services_required


def main(extra_args: list[str]) -> int:
    url = postgres_url()
    if not postgres_reachable(url):
        message = f"PostgreSQL-only tests: no server at {url.split('@')[-1]}"
        if services_required():
            print(f"FAILED {message} (PORTAL_REQUIRE_SERVICES=1)", file=sys.stderr)
            return 1
        print(f"SKIPPED {message}; set PORTAL_TEST_POSTGRES_URL to run them.")
        return 0
    print(f"PostgreSQL-only tests against {url.split('@')[-1]}")
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, "-m", "pytest", "-m", "postgres", *extra_args]
    return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
