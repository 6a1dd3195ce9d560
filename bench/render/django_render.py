#!/usr/bin/python3
"""Django's side of the render benchmark (bench/render/run): renders the same
template with the same context as famigo_render_bench, in one process.

    /usr/bin/python3 bench/render/django_render.py [--seconds 3] [--warmup 1]
        [--template app_list.html] [--out page.html]

Uses Debian's Django (python3-django, Django 3.2): a standalone template Engine
over bench/render/templates with the cached loader (each template compiled
once), autoescape on, STATIC_URL "/static/" and the small URLconf below (the
C++ side resolves the same names). The context is bench/render/context.json,
key-sorted (famigo's JSON objects iterate in key order), with ISO date strings
turned into date/datetime objects as tools/django_cases/generate.py does.
The conversion and template compilation happen before the timed loop.

Prints one line: BENCH_JSON {"renders": N, "seconds": S, "renders_per_s": R,
"cpu_seconds": process CPU time of the timed loop, "bytes": size of one output,
"django": version}.
"""
import argparse
import datetime
import json
import re
import sys
import time
import types
from pathlib import Path

import django
from django.conf import settings

HERE = Path(__file__).resolve().parent

urls = types.ModuleType("famigo_render_bench_urls")
sys.modules["famigo_render_bench_urls"] = urls
settings.configure(
    DEBUG=False,
    USE_TZ=False,
    TIME_ZONE="UTC",
    USE_I18N=False,
    USE_L10N=False,
    STATIC_URL="/static/",
    ROOT_URLCONF="famigo_render_bench_urls",
    INSTALLED_APPS=[],
)
django.setup()

from django.http import HttpResponse  # noqa: E402
from django.template import Context, Engine  # noqa: E402
from django.urls import path  # noqa: E402


def _view(request, **kwargs):
    return HttpResponse("")


# Same names and shapes as url_resolver() in render_bench.cpp.
urls.urlpatterns = [
    path("", _view, name="home"),
    path("search/", _view, name="search"),
    path("apps/<slug:slug>/", _view, name="category"),
    path("app/<slug:slug>/", _view, name="app-detail"),
]

ISO_DT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$")
ISO_D = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def to_python(v):
    if isinstance(v, dict):
        return {k: to_python(v[k]) for k in sorted(v)}
    if isinstance(v, list):
        return [to_python(x) for x in v]
    if isinstance(v, str):
        if ISO_DT.match(v):
            return datetime.datetime.fromisoformat(v)
        if ISO_D.match(v):
            return datetime.date.fromisoformat(v)
    return v


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--templates", type=Path, default=HERE / "templates")
    p.add_argument("--context", type=Path, default=HERE / "context.json")
    p.add_argument("--template", default="app_list.html")
    p.add_argument("--seconds", type=float, default=3.0, help="length of the timed loop")
    p.add_argument("--warmup", type=float, default=1.0, help="untimed renders first, for this long")
    p.add_argument("--out", type=Path, help="write one rendered page here")
    args = p.parse_args()

    engine = Engine(
        dirs=[str(args.templates)],
        loaders=[("django.template.loaders.cached.Loader",
                  ["django.template.loaders.filesystem.Loader"])],
        libraries={"static": "django.templatetags.static"},
        autoescape=True,
        debug=False,
    )
    ctx = to_python(json.loads(args.context.read_text()))
    tpl = engine.get_template(args.template)
    page = tpl.render(Context(ctx))
    if args.out:
        args.out.write_text(page, encoding="utf-8")

    def loop(seconds):
        n = 0
        start = time.perf_counter()
        deadline = start + seconds
        while True:
            tpl.render(Context(ctx))
            n += 1
            now = time.perf_counter()
            if now >= deadline:
                return n, now - start

    if args.warmup > 0:
        loop(args.warmup)
    cpu0 = time.process_time()
    n, secs = loop(args.seconds)
    cpu = time.process_time() - cpu0
    print("BENCH_JSON " + json.dumps({
        "renders": n, "seconds": round(secs, 6), "renders_per_s": n / secs,
        "cpu_seconds": round(cpu, 6),
        "bytes": len(page.encode("utf-8")), "django": django.get_version()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
