#!/usr/bin/python3
"""Render Famigo's template compatibility cases with real Django.

Each case is a template (or a small set of named templates), a JSON context
and the output Django produces for it. The C++ test suite in
tests/unit/template/ replays every case through famigo's engine and demands
the same bytes. Run with Debian's Django (apt-get install python3-django):

    /usr/bin/python3 tools/django_cases/generate.py

Conventions shared with the C++ side:
- Context dicts keep the order they are written in, as Python's do: famigo's
  context is a nlohmann::ordered_json whose objects iterate in insertion order
  (and a JSON context keeps its document's key order).
- With "dates": true, strings shaped like ISO dates ("2011-03-04" or
  "2011-03-04T05:06:07[.ffffff]") become date/datetime objects for Django;
  famigo's date-aware filters read the same strings as dates.
- URL names resolve through the small URLconf below; the C++ test installs a
  resolver that knows the same patterns. STATIC_URL is "/static/".
"""
import copy
import datetime
import json
import os
import re
import sys
import types

import django
from django.conf import settings

urls = types.ModuleType("famigo_case_urls")
sys.modules["famigo_case_urls"] = urls

settings.configure(
    DEBUG=False,
    USE_TZ=False,
    TIME_ZONE="UTC",
    USE_I18N=False,
    USE_L10N=False,
    STATIC_URL="/static/",
    ROOT_URLCONF="famigo_case_urls",
    CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
    INSTALLED_APPS=[],
)
django.setup()

from django.http import HttpResponse  # noqa: E402
from django.template import Context, Engine  # noqa: E402
from django.urls import path  # noqa: E402


def _view(request, **kwargs):
    return HttpResponse("")


urls.urlpatterns = [
    path("", _view, name="home"),
    path("app/<slug:slug>/", _view, name="app-detail"),
    path("applist/<int:id>/", _view, name="applist"),
    path("search/", _view, name="search"),
    path("u/<str:user>/<int:n>/", _view, name="user-n"),
]

ISO_DT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$")
ISO_D = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def to_dates(v):
    if isinstance(v, dict):
        return {k: to_dates(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_dates(x) for x in v]
    if isinstance(v, str):
        if ISO_DT.match(v):
            return datetime.datetime.fromisoformat(v)
        if ISO_D.match(v):
            return datetime.date.fromisoformat(v)
    return v


CASES = []


def case(name, template, context=None, templates=None, dates=False):
    CASES.append({"name": name, "template": template, "context": context or {},
                  "templates": templates or {}, "dates": dates})


from cases_tags import add_tag_cases, add_more_tag_cases  # noqa: E402
from cases_filters import add_filter_cases, add_more_filter_cases  # noqa: E402

add_tag_cases(case)
add_filter_cases(case)
add_more_tag_cases(case)
add_more_filter_cases(case)


def render(c):
    templates = dict(c["templates"])
    main = "__main__.html"
    templates[main] = c["template"]
    engine = Engine(loaders=[("django.template.loaders.locmem.Loader", templates)],
                    debug=False, string_if_invalid="", autoescape=True,
                    libraries={"static": "django.templatetags.static",
                               "cache": "django.templatetags.cache"})
    ctx = copy.deepcopy(c["context"])  # Django writes {% ... as v %} into it
    if c["dates"]:
        ctx = to_dates(ctx)
    try:
        tpl = engine.get_template(main)
        return {"output": tpl.render(Context(ctx))}
    except Exception as e:  # a template Django refuses: famigo must refuse too
        return {"error": type(e).__name__, "message": str(e)}


def main():
    out = {"django_version": django.get_version(), "cases": []}
    names = set()
    for c in CASES:
        if c["name"] in names:
            raise SystemExit("duplicate case name " + c["name"])
        names.add(c["name"])
        entry = {"name": c["name"], "template": c["template"],
                 "context": c["context"]}
        if c["templates"]:
            entry["templates"] = c["templates"]
        if c["dates"]:
            entry["dates"] = True
        entry.update(render(c))
        out["cases"].append(entry)
    here = os.path.dirname(os.path.abspath(__file__))
    dest = os.path.join(here, "..", "..", "tests", "unit", "template", "django_cases.json")
    with open(dest, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False, sort_keys=False)
        f.write("\n")
    errors = sum(1 for c in out["cases"] if "error" in c)
    print("%d cases (%d expected errors), Django %s -> %s"
          % (len(out["cases"]), errors, out["django_version"], os.path.normpath(dest)))


if __name__ == "__main__":
    main()
