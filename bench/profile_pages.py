"""Where an uncached page's time goes: cProfile over the load test's page mix.

    python bench/profile_pages.py [--scale 1] [--rounds 5] [--database-name kosi_bench] [--top 25]

Uses the benchmark database (built at --scale when missing, as bench/load.py does) with
production settings and the page cache off. In one process it requests each path of the
mix once to warm up, then --rounds times under cProfile through Django's test client (the
whole middleware stack, no network). Prints per kind of page the milliseconds and queries
per request, the share of the time spent in each part of the stack (SQL in the database
driver, template rendering, image renditions, Wagtail's routing, the rest), and the
functions with the most own time overall: the profile summary docs/scaling.md quotes.
"""

import argparse
import json
import tempfile
from pathlib import Path

from common import (
    DATABASE_NAME,
    bench_environment,
    create_database,
    django_json,
    media_root,
    mix_and_workshop,
    postgres_database_exists,
    prepare_database,
)

PROFILE_SCRIPT = r"""
import cProfile, io, json, pstats, time
from collections import defaultdict
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

MIX = MIX_JSON
ROUNDS = ROUNDS_VALUE
TOP = TOP_VALUE
# which part of the stack a function belongs to, by the file it is in (first match)
PARTS = [
    ("SQL (driver and database)", ("psycopg", "sqlite3", "django/db/backends")),
    ("ORM (building queries, rows to objects)", ("django/db/models",)),
    ("image renditions", ("wagtail/images", "willow", "portal/images.py")),
    ("templates", ("django/template", "jinja2")),
    ("Wagtail routing and sites", ("wagtail/models/pages.py", "wagtail/models/sites.py",
                                    "wagtail/views.py", "wagtail/url_routing.py")),
    ("search", ("wagtail/search", "modelsearch")),
]

def part(filename):
    for name, markers in PARTS:
        if any(marker in filename for marker in markers):
            return name
    return "the rest (Python: portal, Django, Wagtail)"

client = Client(HTTP_HOST="127.0.0.1")
kinds = defaultdict(list)
for kind, path in MIX:
    kinds[kind].append(path)
    client.get(path)  # warm up: code loaded, Wagtail's site root paths cached

result = {"kinds": {}, "parts": {}, "top": []}
overall = None
for kind, paths in kinds.items():
    profile = cProfile.Profile()
    queries = 0
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for path in paths:
            with CaptureQueriesContext(connection) as captured:
                profile.enable()
                response = client.get(path)
                profile.disable()
            assert response.status_code == 200, (path, response.status_code)
            queries += len(captured.captured_queries)
    elapsed = time.perf_counter() - started
    requests = ROUNDS * len(paths)
    stats = pstats.Stats(profile)
    own = defaultdict(float)
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        own[part(filename)] += tottime
    total = sum(own.values()) or 1
    result["kinds"][kind] = {
        "ms": 1000 * stats.total_tt / requests,
        "queries": queries / requests,
        "parts": {name: seconds / total for name, seconds in own.items()},
    }
    if overall is None:
        overall = stats
    else:
        overall.add(profile)
own = defaultdict(float)
for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in overall.stats.items():
    own[part(filename)] += tottime
total = sum(own.values()) or 1
result["parts"] = {name: seconds / total for name, seconds in own.items()}
rows = sorted(overall.stats.items(), key=lambda item: item[1][2], reverse=True)[:TOP]
result["top"] = [
    {"function": f"{filename.split('site-packages/')[-1]}:{line} {name}",
     "calls": calls, "own_share": tottime / overall.total_tt}
    for (filename, line, name), (_cc, calls, tottime, _ct, _callers) in rows
]
print(json.dumps(result))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="data set size if built")
    parser.add_argument("--rounds", type=int, default=5, help="requests per path (default 5)")
    parser.add_argument("--top", type=int, default=25, help="functions listed (default 25)")
    parser.add_argument("--database-name", default=DATABASE_NAME)
    arguments = parser.parse_args()

    work_dir = Path(tempfile.mkdtemp(prefix="kosi-profile-"))
    name = arguments.database_name
    reuse = postgres_database_exists(name)
    env = bench_environment(
        create_database("postgres", work_dir, reuse=reuse, name=name),
        work_dir,
        8767,
        media_root("postgres", work_dir, name),
    )
    env.update({"PORTAL_PAGE_CACHE_SECONDS": "0", "REDIS_URL": "", "DJANGO_LOG_LEVEL": "ERROR"})
    prepare_database(env, None if reuse else arguments.scale)
    mix, _workshop, pages = mix_and_workshop(env)
    pages_mix = [(kind, path) for kind, _weight, path in mix if not path.startswith("/static/")]
    script = (
        PROFILE_SCRIPT.replace("MIX_JSON", json.dumps(pages_mix))
        .replace("ROUNDS_VALUE", str(arguments.rounds))
        .replace("TOP_VALUE", str(arguments.top))
    )
    result = django_json(script, env)

    parts = sorted(result["parts"], key=result["parts"].get, reverse=True)
    print(f"Uncached pages under cProfile: postgres {name} ({pages} live pages), cache off")
    print(f"{'kind':<24} {'ms':>7} {'queries':>8}  " + "  ".join(f"{p[:12]:>12}" for p in parts))
    for kind, figures in result["kinds"].items():
        shares = "  ".join(f"{figures['parts'].get(p, 0):>12.0%}" for p in parts)
        print(f"{kind:<24} {figures['ms']:>7.1f} {figures['queries']:>8.1f}  {shares}")
    print()
    print("share of the time, all pages:")
    for name_ in parts:
        print(f"  {result['parts'][name_]:>5.0%}  {name_}")
    print()
    print("functions with the most own time:")
    for row in result["top"]:
        print(f"  {row['own_share']:>5.1%} {row['calls']:>9}  {row['function']}")


if __name__ == "__main__":
    main()
