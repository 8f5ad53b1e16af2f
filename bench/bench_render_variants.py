"""The report's render alone (WeasyPrint, charts already exported) for each variant, interleaved
in the same run so that each sees the same machine load: CPU time of the process (the machine may
be shared; wall time is printed too) and PDF size.

    .venv/bin/python bench/bench_render_variants.py [--commune 94080] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import _setup  # noqa: F401
from django.conf import settings

from observatoire.report import render
from observatoire.report.collect import collect_report_data
from territoires.models import Level, Territory

COLLAPSE = "border-collapse: collapse;"
SEPARATE = "border-collapse: separate; border-spacing: 0;"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commune", default="94080")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    settings.CACHE_DIR = Path(tempfile.mkdtemp(prefix="bench-variants-"))
    from weasyprint import HTML

    territory = Territory.objects.filter(level=Level.COMMUNE, code=args.commune).first()
    data = collect_report_data(territory)
    htmls = {}
    for fmt in ("svg", "png"):
        settings.REPORT_CHART_FORMAT = fmt
        htmls[fmt] = render.render_html(data, render.build_charts(data))
    variants = {
        "SVG, tableaux border-collapse (actuel)": (htmls["svg"], True),
        "SVG, tableaux separate": (htmls["svg"].replace(COLLAPSE, SEPARATE), True),
        "SVG, separate, optimize_images=False": (htmls["svg"].replace(COLLAPSE, SEPARATE), False),
        "PNG ×2, separate, optimize_images=False": (
            htmls["png"].replace(COLLAPSE, SEPARATE),
            False,
        ),
    }
    cpu: dict[str, list[float]] = {k: [] for k in variants}
    wall: dict[str, list[float]] = {k: [] for k in variants}
    size: dict[str, int] = {}
    loads = []
    for _ in range(args.runs + 1):  # the first round warms fonts and caches, not counted
        for name, (html, optimize) in variants.items():
            options = {**render.pdf_options(), "optimize_images": optimize}
            start, c0 = time.perf_counter(), time.process_time()
            pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(**options)
            cpu[name].append(time.process_time() - c0)
            wall[name].append(time.perf_counter() - start)
            size[name] = len(pdf)
            loads.append(os.getloadavg()[0])
    print(
        f"{territory.name} : rendu seul, médiane de {args.runs} (charge {min(loads):.1f}–{max(loads):.1f}, {os.cpu_count()} cœurs)"
    )
    for name in variants:
        print(
            f"  {name:<42} CPU {statistics.median(cpu[name][1:]):.2f} s · mur"
            f" {statistics.median(wall[name][1:]):.2f} s · {size[name] // 1024} Kio"
        )


if __name__ == "__main__":
    main()
