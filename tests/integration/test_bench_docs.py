"""Every figure quoted in docs/benchmarks.md comes from a saved results file.

A measured figure (a ratio "1.36×", "64.7k req/s", "2,283 renders/s", "1,234 q/s",
"p99 1.01 ms", "647 µs", "31.7 MiB") must equal, at the precision it is quoted
with, a number in one of the results files that its section names
(`bench/results/<file>`). Figures in code blocks (sample output), targets
("≥ 0.95×") and approximations ("~65 k") are not measurements and are skipped.
"""
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = ROOT / "bench" / "results"

NUMBER = r"(\d[\d,]*(?:\.\d+)?)"
# unit -> (a pattern the stored key's name matches, the scale to the unit)
RATIO = r"ratio|cpu_ratio|cpu_efficiency"
UNITS = {
    "×": ((RATIO, 1),),
    "x": ((RATIO, 1),),
    "k req/s": ((r"rps", 1e-3),),
    "q/s": ((r"qps|qps_per_server_core", 1),),
    "k": ((r"rps", 1e-3),),  # "nginx 74.4k" beside "64.7k req/s"
    "req/s": ((r"rps", 1),),
    "renders/s": ((r"renders_per_s|renders_per_cpu_s", 1),),
    "ms": ((r"\w*ms_per_render", 1), (r"p\d+_us|max_us|mean_us", 1e-3)),
    "µs": ((r"p\d+_us|\w*_us_per_req|\w*_us_per_query", 1),),
    "MiB": ((r"rss_kib\w*", 1 / 1024),),
}
FIGURE = re.compile(
    r"(?P<before>(?:[≥>=~]|about|target)\s*\**\s*)?"
    + NUMBER
    + r"(?:[-–]" + NUMBER + r")?"
    + r"\s?(?P<unit>k req/s|req/s|q/s|renders/s|µs|ms\b|MiB|k(?![\w.])|×|x\b)"
)


def sections(text):
    """(heading, body) pairs, code blocks removed."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    parts = re.split(r"^(#{2,3} .*)$", text, flags=re.M)
    yield "(top)", parts[0]
    for i in range(1, len(parts), 2):
        yield parts[i], parts[i + 1]


def numbers_in(value, out, key=""):
    """(key, number) for every number in a results file, by the key that holds it."""
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        out.append((key, float(value)))
    elif isinstance(value, dict):
        for k, v in value.items():
            numbers_in(v, out, k)
    elif isinstance(value, list):
        for v in value:
            numbers_in(v, out, key)


def cited_numbers(body):
    names = set(re.findall(r"bench/results/([\w.-]+\.json)", body))
    values = []
    for name in names:
        path = RESULTS / name
        assert path.exists(), f"docs/benchmarks.md cites {path}, which does not exist"
        numbers_in(json.loads(path.read_text()), values)
    return names, values


def decimals(figure):
    return len(figure.split(".")[1]) if "." in figure else 0


def backed(figure, unit, values):
    shown = float(figure.replace(",", ""))
    places = decimals(figure)
    for key, value in values:
        for pattern, scale in UNITS[unit]:
            if not re.fullmatch(pattern, key):
                continue
            if round(value * scale, places) == shown:
                return True
            # a whole number quoted from a value stored to the unit ("647 µs")
            if places == 0 and abs(value * scale - shown) <= 0.5:
                return True
    return False


def unbacked_figures(text):
    problems = []
    for heading, body in sections(text):
        names, values = cited_numbers(body)
        for match in FIGURE.finditer(body):
            if match.group("before"):
                continue  # a target or an approximation
            unit = match.group("unit")
            if unit == "k" and "." not in match.group(2):
                continue  # a size ("1k.dat", "100k"), not thousands of requests
            for figure in filter(None, (match.group(2), match.group(3))):
                if not backed(figure, unit, values):
                    cited = ", ".join(sorted(names)) or "no results file"
                    problems.append(f"{heading}: '{match.group(0).strip()}' is not in {cited}")
    return problems


def test_every_benchmark_figure_has_a_results_file():
    problems = unbacked_figures(DOC.read_text())
    assert not problems, "\n".join(problems)


def test_the_check_finds_a_figure_no_results_file_holds():
    doc = "## Numbers\n\nSeen in `bench/results/20261128-013313-c4306d1.json`: 64.7k req/s, 0.87×.\n"
    assert unbacked_figures(doc) == []
    assert unbacked_figures(doc.replace("0.87×", "0.91×")) != []
    assert unbacked_figures("## Prose\n\nit measured 1.05× nginx\n") != []
    assert unbacked_figures("## Targets\n\ntarget ≥ 0.95×, about 20 ms\n") == []
