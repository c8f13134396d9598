"""`make bench`: timings as ratios measured in one run, written to bench/results.json.

- results page median latency ÷ a trivial page's median, under gunicorn (goal ≤ 10×);
- queries on the diagnosis pages and the results page with 10 answers vs all (must be equal);
- time of `load_referential` + `seed_demo` on a fresh database;
- on PostgreSQL only, with 10,000 companies (`seed_scale`, database `parcours_bench_scale`):
  queries of the cohort board at 1,000 vs 10 companies (must be equal) and its median ÷ the
  trivial page's, the median of 5 `recompute_benchmarks()` runs (goal ≤ 1 s), and the
  results page showing a company's benchmark position ÷ the trivial page (goal ≤ 10×).

Runs on a throw-away SQLite file, or on PostgreSQL (database `parcours_bench`) when
DATABASE_URL points to a PostgreSQL server. See docs/bench.md.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from parcours import localserver  # noqa: E402

N_TRIVIAL, N_PAGE = 60, 30
SCALE_ORGS, SCALE_COHORT, SMALL_COHORT = 10_000, 1_000, 10


def median_latency(client: httpx.Client, url: str, n: int) -> float:
    client.get(url)  # warm-up
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        resp = client.get(url)
        samples.append(time.perf_counter() - start)
        resp.raise_for_status()
    return statistics.median(samples)


def login(client: httpx.Client, base: str, email: str, password: str) -> None:
    page = client.get(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    resp = client.post(
        f"{base}/accounts/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{base}/accounts/login/"},
    )
    assert resp.status_code in (200, 302) and "sessionid" in client.cookies, "login failed"


def pdf_timings(n: int = 7) -> dict[str, object]:
    """The diagnosis report of the richest demo company (most answers), rendered n times."""
    from django.db.models import Count

    from parcours.diagnoses.models import Diagnosis
    from parcours.reports import documents

    richest = (
        Diagnosis.objects.annotate(n=Count("answers"))
        .select_related("organisation")
        .order_by("-n", "-completed_at")
        .first()
    )
    assert richest is not None
    documents.html_to_pdf(documents.diagnosis_report_html(richest, "fr"))  # warm-up: fonts
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        documents.html_to_pdf(documents.diagnosis_report_html(richest, "fr"))
        samples.append(time.perf_counter() - start)
    one_page = []
    for _ in range(n):
        start = time.perf_counter()
        documents.html_to_pdf(
            f"<html><body><h1>{richest.organisation.name}</h1><p>Parcours</p></body></html>"
        )
        one_page.append(time.perf_counter() - start)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return {
        "company": richest.organisation.name,
        "median_s": round(statistics.median(samples), 3),
        "p95_s": round(p95, 3),
        "one_page_median_s": round(statistics.median(one_page), 3),
        "ratio_to_one_page": round(statistics.median(samples) / statistics.median(one_page), 1),
    }


def vsme_export_timings(n: int = 5) -> dict[str, object]:
    """The demo company's VSME year exported to the digital template and to xBRL-JSON."""
    from parcours.vsme.models import ReportingYear
    from parcours.vsme.services import export_xbrl_json, export_xlsx

    year = ReportingYear.objects.select_related("organisation").order_by("-year").first()
    assert year is not None, "the demo has no VSME reporting year"
    timings: dict[str, list[float]] = {"xlsx": [], "xbrl_json": []}
    for _ in range(n):
        for name, export in (("xlsx", export_xlsx), ("xbrl_json", export_xbrl_json)):
            start = time.perf_counter()
            export(year)
            timings[name].append(time.perf_counter() - start)
    return {
        "company": year.organisation.name,
        "year": year.year,
        "facts": year.facts.count(),
        **{f"{name}_median_s": round(statistics.median(v), 3) for name, v in timings.items()},
    }


def vsme_table_measures(n: int = 7) -> dict[str, Any]:
    """In-process: the B7 page with 3 and with 200 rows of waste by type (queries and median
    latency), and the export of a full year — a value in every field of every disclosure and
    one row in every table (all datapoints of the comprehensive module)."""
    from dataclasses import replace

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from parcours.organisations.models import Role
    from parcours.testing import OrganisationFactory, member
    from parcours.vsme.forms import slots, tables
    from parcours.vsme.models import ReportingYear
    from parcours.vsme.selectors import catalogue
    from parcours.vsme.services import export_xbrl_json, export_xlsx, facts_save

    disclosures = {d.code: d for d in catalogue("comprehensive")}
    waste = next(t for t in tables(disclosures["B7"], "EUR") if t.axis.qname == "vsme:TypeOfWasteAxis")
    mass = [c for c in waste.columns if c.datapoint.concept.endswith("Mass")]
    pages: dict[int, dict[str, float]] = {}
    for rows in (3, 200):
        org = OrganisationFactory(name=f"Bench VSME {rows}", slug=f"bench-vsme-{rows}")
        user = member(org, Role.OWNER)
        ry = ReportingYear.objects.create(organisation=org, year=2025)
        values = [
            (replace(c, dimensions={waste.axis.qname: m.qname}), "1.5")
            for m in waste.members[:rows]
            for c in mass
        ]
        facts_save(actor=user, reporting_year=ry, values=values)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        url = reverse("indicator_disclosure", args=[org.slug, 2025, "B7"])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        queries = len(ctx)
        timings = []
        for _ in range(n):
            start = time.perf_counter()
            client.get(url)
            timings.append(time.perf_counter() - start)
        pages[rows] = {"queries": queries, "median_s": statistics.median(timings)}

    org = OrganisationFactory(name="Bench VSME full", slug="bench-vsme-full")
    user = member(org, Role.OWNER)
    ry = ReportingYear.objects.create(organisation=org, year=2025, module=ReportingYear.Module.COMPREHENSIVE)
    sample = {"number": "12.5", "percent": "0.25", "boolean": "true", "year": "2020", "date": "2025-06-30"}
    for d in disclosures.values():
        values = [
            (sl, sample.get(sl.kind, "Texte"))
            for sl in slots(d, "EUR")
            if sl.kind not in ("choice", "choices")
        ]
        for t in tables(d, "EUR"):
            key = "Site 1" if t.typed else t.members[0].qname
            values += [
                (replace(c, dimensions={t.axis.qname: key}), sample.get(c.kind, "Texte"))
                for c in t.columns
                if c.kind not in ("choice", "choices")
            ]
        facts_save(actor=user, reporting_year=ry, values=values)
    exports: dict[str, list[float]] = {"xlsx": [], "xbrl_json": []}
    for _ in range(5):
        for name, export in (("xlsx", export_xlsx), ("xbrl_json", export_xbrl_json)):
            start = time.perf_counter()
            export(ry)
            exports[name].append(time.perf_counter() - start)
    return {
        "b7_queries": {f"{rows} rows": p["queries"] for rows, p in pages.items()},
        "b7_median_s": {f"{rows} rows": round(p["median_s"], 4) for rows, p in pages.items()},
        "b7_200_over_3": round(pages[200]["median_s"] / pages[3]["median_s"], 2),
        "full_year_facts": ry.facts.count(),
        **{f"full_year_{name}_median_s": round(statistics.median(v), 3) for name, v in exports.items()},
    }


def query_counts() -> dict[str, dict[str, int]]:
    """In-process: the same pages with 10 answers and with every question answered."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from parcours.organisations.models import Role
    from parcours.testing import DiagnosisFactory, OrganisationFactory, answer_all, member

    org = OrganisationFactory(name="Bench", slug="bench-org")
    user = member(org, Role.OWNER)
    few, many = DiagnosisFactory(organisation=org), DiagnosisFactory(organisation=org)
    answer_all(few, level=2, limit=10)
    answer_all(many, level=3)
    domain = few.referential_version.domains.order_by("position").first().key
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    counts: dict[str, dict[str, int]] = {}
    for name, route, extra in (
        ("diagnosis overview", "diagnosis_detail", []),
        ("diagnosis domain page", "domain_detail", [domain]),
        ("results page", "diagnosis_results", []),
    ):
        row = {}
        for label, diagnosis in (("10 answered", few), ("all answered", many)):
            url = reverse(route, args=[org.slug, diagnosis.pk, *extra])
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            row[label] = len(ctx)
        counts[name] = row
    return counts


def django_json(env: dict[str, str], code: str) -> Any:
    """Run ``code`` in a fresh Django process on ``env``'s database; it prints JSON last."""
    done = subprocess.run(
        [sys.executable, "-c", "import json\nimport django\n\ndjango.setup()\n" + code],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def scale_measures(tmp: Path) -> dict[str, Any]:
    """10,000 companies on their own PostgreSQL database, seeded by `seed_scale`."""
    env = localserver.environment(localserver.throwaway_database_url("parcours_bench_scale", tmp))
    big, small = f"scale-cohort-{SCALE_COHORT}", f"scale-cohort-{SMALL_COHORT}"
    try:
        localserver.manage(env, "migrate", "--noinput")
        localserver.manage(env, "load_referential")
        localserver.manage(env, "load_catalogue")
        t_seed, printed = localserver.manage(
            env, "seed_scale", "--orgs", str(SCALE_ORGS), "--cohort", str(SCALE_COHORT)
        )
        # "scale: coordinator <email> <password>", "scale: owner <email> <password> <results path>"
        lines = printed.splitlines()
        _s, _role, coordinator_email, coordinator_password = lines[0].split()
        _s, _role, owner_email, owner_password, results_path = lines[1].split()
        # the summary's "recomputed in x s": seed_scale's own run, which writes every group
        full_write = re.search(r"recomputed in ([\d.]+) s", lines[-1])
        queries = django_json(
            env,
            "from parcours.programmes.scale import board_query_counts\n"
            f"print(json.dumps(board_query_counts({[big, small]!r})))",
        )
        recompute = django_json(
            env,
            "from parcours.benchmarks.synthetic import time_recompute\n"
            "print(json.dumps(time_recompute(runs=5)))",
        )
        server, base = localserver.start(env, workers=1)
        try:
            with (
                httpx.Client(follow_redirects=True, timeout=60) as coordinator,
                httpx.Client(follow_redirects=True, timeout=60) as owner,
            ):
                login(coordinator, base, coordinator_email, coordinator_password)
                login(owner, base, owner_email, owner_password)
                board = coordinator.get(f"{base}/p/{big}/")
                rows = board.text.count('<tr><th scope="row">')
                # the table shows one page of companies; the funnel and the CSV cover them all
                assert board.status_code == 200 and rows >= 100, f"cohort board: {rows} rows"
                listed = coordinator.get(f"{base}/p/{big}/cohort.csv").text.strip().count("\n")
                assert listed == SCALE_COHORT, f"cohort CSV: {listed} companies"
                page = owner.get(base + results_path)
                groups = page.text.count('class="data-table benchmark-table"')
                assert page.status_code == 200 and 'id="h-benchmarks"' in page.text and groups, (
                    f"no benchmark position on {results_path}"
                )
                trivial = median_latency(coordinator, f"{base}/bench/trivial", N_TRIVIAL)
                board_big = median_latency(coordinator, f"{base}/p/{big}/", N_PAGE)
                board_small = median_latency(coordinator, f"{base}/p/{small}/", N_PAGE)
                results = median_latency(owner, base + results_path, N_PAGE)
        finally:
            localserver.stop(server)
    finally:
        localserver.drop_database(env["DATABASE_URL"])
    return {
        "organisations": SCALE_ORGS,
        "seed_scale_s": round(t_seed, 2),
        "seed_scale_goal_s": 60,
        "cohort_board_queries": {
            f"{SCALE_COHORT} companies": queries[big],
            f"{SMALL_COHORT} companies": queries[small],
        },
        "cohort_board_queries_equal": queries[big] == queries[small],
        "trivial_page_median_s": round(trivial, 4),
        "cohort_board_median_s": {
            f"{SCALE_COHORT} companies": round(board_big, 4),
            f"{SMALL_COHORT} companies": round(board_small, 4),
        },
        "cohort_board_over_trivial": round(board_big / trivial, 2),
        "recompute_benchmarks_writing_all_groups_s": float(full_write.group(1)) if full_write else None,
        "recompute_benchmarks_first_in_process_s": recompute["first_s"],
        "recompute_benchmarks_median_s": recompute["median_s"],
        "recompute_benchmarks_goal_s": 1,
        "results_page": results_path,
        "results_page_benchmark_groups": groups,
        "results_page_median_s": round(results, 4),
        "results_page_over_trivial": round(results / trivial, 2),
        "results_page_over_trivial_goal": 10,
    }


def scale_lines(scale: dict[str, Any]) -> list[str]:
    if "skipped" in scale:
        return [
            f"| {SCALE_ORGS:,} companies: cohort board, recompute, results page | skipped: {scale['skipped']} | — |"
        ]
    n = f"{scale['organisations']:,} companies"
    q = scale["cohort_board_queries"]
    board = scale["cohort_board_median_s"]
    trivial_ms = scale["trivial_page_median_s"] * 1000
    return [
        f"| {n}: `seed_scale` | {scale['seed_scale_s']:.1f} s | < 60 s |",
        f"| {n}: queries, cohort board: {SMALL_COHORT} companies / {SCALE_COHORT:,} companies "
        f"| {q[f'{SMALL_COHORT} companies']} / {q[f'{SCALE_COHORT} companies']} | equal |",
        f"| {n}: cohort board of {SCALE_COHORT:,} companies median ÷ trivial page median "
        f"| {scale['cohort_board_over_trivial']:.1f}× ({board[f'{SCALE_COHORT} companies'] * 1000:.1f} ms ÷ "
        f"{trivial_ms:.1f} ms; {SMALL_COHORT} companies: {board[f'{SMALL_COHORT} companies'] * 1000:.1f} ms) | — |",
        f"| {n}: `recompute_benchmarks()`, median of 5 runs | {scale['recompute_benchmarks_median_s']:.3f} s "
        f"(first in its process {scale['recompute_benchmarks_first_in_process_s']:.3f} s; "
        f"writing every group, in seed_scale: {scale['recompute_benchmarks_writing_all_groups_s']} s) | ≤ 1 s |",
        f"| {n}: results page with benchmark position median ÷ trivial page median "
        f"| {scale['results_page_over_trivial']:.1f}× ({scale['results_page_median_s'] * 1000:.1f} ms ÷ "
        f"{trivial_ms:.1f} ms, {scale['results_page_benchmark_groups']} groups) | ≤ 10× |",
    ]


def scale_ok(scale: dict[str, Any]) -> bool:
    if "skipped" in scale:
        return True
    return bool(
        scale["cohort_board_queries_equal"]
        and scale["recompute_benchmarks_median_s"] <= scale["recompute_benchmarks_goal_s"]
        and scale["results_page_over_trivial"] <= scale["results_page_over_trivial_goal"]
        and scale["seed_scale_s"] < scale["seed_scale_goal_s"]
    )


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="parcours-bench-"))
    env = localserver.environment(localserver.throwaway_database_url("parcours_bench", tmp))
    localserver.manage(env, "migrate", "--noinput")
    t_referential, _ = localserver.manage(env, "load_referential")
    t_catalogue, _ = localserver.manage(env, "load_catalogue")
    t_seed, accounts = localserver.manage(env, "seed_demo")
    # the first printed account: "demo: owner <email> <password>"
    _demo, _role, owner_email, owner_password = accounts.splitlines()[0].split()
    server, base = localserver.start(env, workers=1)
    try:
        with httpx.Client(follow_redirects=True, timeout=30) as client:
            for _ in range(100):
                try:
                    client.get(f"{base}/healthz")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            login(client, base, owner_email, owner_password)
            org_page = client.get(f"{base}/o/atelier-tissage-berry/diagnoses/").text
            results_path = re.search(r'href="(/o/atelier-tissage-berry/diagnoses/\d+/results/)"', org_page)
            assert results_path, "no results link on the diagnoses page"
            trivial = median_latency(client, f"{base}/bench/trivial", N_TRIVIAL)
            results = median_latency(client, base + results_path.group(1), N_PAGE)
            board = median_latency(client, f"{base}/o/atelier-tissage-berry/actions/board/", N_PAGE)
    finally:
        localserver.stop(server)

    os.environ.update({"DATABASE_URL": env["DATABASE_URL"], "DJANGO_SETTINGS_MODULE": "parcours.settings"})
    import django

    django.setup()
    pdf = pdf_timings()  # before query_counts(), which adds an organisation of its own
    vsme = vsme_export_timings()
    tables_ = vsme_table_measures()
    counts = query_counts()
    ratio = results / trivial
    if env["DATABASE_URL"].startswith("postgres"):
        scale = scale_measures(tmp)
    else:
        scale = {"skipped": "needs PostgreSQL (DATABASE_URL=postgres://…)"}
        print(f"note: the {SCALE_ORGS:,}-company measures are skipped on SQLite; they need PostgreSQL.")
    report = {
        "database": "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite",
        "results_page_median_s": round(results, 4),
        "trivial_page_median_s": round(trivial, 4),
        "results_over_trivial": round(ratio, 2),
        "results_over_trivial_goal": 10,
        "action_board_median_s": round(board, 4),
        "action_board_over_trivial": round(board / trivial, 2),
        "diagnosis_pdf": pdf,
        "diagnosis_pdf_p95_goal_s": 5,
        "vsme_export": vsme,
        "vsme_tables": tables_,
        "query_counts": counts,
        "query_counts_equal": all(len(set(row.values())) == 1 for row in counts.values()),
        "load_referential_s": round(t_referential, 2),
        "load_catalogue_s": round(t_catalogue, 2),
        "seed_demo_s": round(t_seed, 2),
        "scale": scale,
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        f"| measure ({report['database']}) | value | goal |",
        "|---|---|---|",
        f"| results page median ÷ trivial page median | {ratio:.1f}× ({results * 1000:.1f} ms ÷ {trivial * 1000:.1f} ms) | ≤ 10× |",
    ]
    lines.append(
        f"| action board median ÷ trivial page median | {board / trivial:.1f}× ({board * 1000:.1f} ms) | — |"
    )
    lines.append(
        f"| diagnosis PDF of {pdf['company']}: median / p95 | {pdf['median_s']} s / {pdf['p95_s']} s "
        f"({pdf['ratio_to_one_page']}× a one-page PDF) | p95 ≤ 5 s |"
    )
    lines.append(
        f"| VSME export of {vsme['company']} {vsme['year']} ({vsme['facts']} facts): XLSX / xBRL-JSON median "
        f"| {vsme['xlsx_median_s']} s / {vsme['xbrl_json_median_s']} s | — |"
    )
    tq, tm = tables_["b7_queries"], tables_["b7_median_s"]
    lines.append(
        f"| VSME B7 page, waste by type: queries with 3 rows / 200 rows | {tq['3 rows']} / {tq['200 rows']} | equal |"
    )
    lines.append(
        f"| VSME B7 page with 200 rows median ÷ with 3 rows | {tables_['b7_200_over_3']:.1f}× "
        f"({tm['200 rows'] * 1000:.1f} ms ÷ {tm['3 rows'] * 1000:.1f} ms, in process) | — |"
    )
    lines.append(
        f"| VSME export of a full year ({tables_['full_year_facts']} facts: every field, a row per table): "
        f"XLSX / xBRL-JSON median | {tables_['full_year_xlsx_median_s']} s / {tables_['full_year_xbrl_json_median_s']} s | — |"
    )
    for name, row in counts.items():
        lines.append(
            f"| queries, {name}: 10 answered / all answered | {row['10 answered']} / {row['all answered']} | equal |"
        )
    lines.append(f"| load_referential + seed_demo | {t_referential:.1f} s + {t_seed:.1f} s | — |")
    lines += scale_lines(scale)
    table = "\n".join(lines)
    (ROOT / "bench" / "results.md").write_text(table + "\n")
    print(table)
    tables_equal = len(set(tables_["b7_queries"].values())) == 1
    ok = (
        ratio <= 10
        and report["query_counts_equal"]
        and tables_equal
        and float(str(pdf["p95_s"])) <= 5
        and scale_ok(scale)
    )
    print("goals met" if ok else "GOALS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
