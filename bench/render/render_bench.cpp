// The famigo side of the template render benchmark (bench/render/run): compiles
// bench/render/templates/app_list.html once and renders it with
// bench/render/context.json in a loop on one thread, as django_render.py does
// with Django. Prints one line:
//   BENCH_JSON {"renders": N, "seconds": S, "renders_per_s": R, "cpu_seconds": C, "bytes": B}
// (cpu_seconds: the process's CPU time during the timed loop)
//
//   famigo_render_bench [--templates DIR] [--context FILE] [--template NAME]
//                       [--seconds S] [--warmup S] [--out FILE]
//
// The URL names resolve like the URLconf in django_render.py; {% static %}
// uses the engine's default ("/static/" + quoted path), Django's without
// staticfiles. The context is parsed before the loop; each render returns a
// fresh std::string, as a request handler would.
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>

#include "web/template/engine.hpp"

using namespace famigo::web::tmpl;

namespace {

std::optional<std::string> url_resolver(std::string_view name, std::span<const Value> args,
                                        std::span<const std::pair<std::string, Value>> kwargs) {
    auto one_slug = [&]() -> std::optional<std::string> {
        std::string v;
        if (args.size() == 1 && kwargs.empty())
            v = args[0].str();
        else if (args.empty() && kwargs.size() == 1 && kwargs[0].first == "slug")
            v = kwargs[0].second.str();
        else
            return std::nullopt;
        if (v.empty()) return std::nullopt;
        for (unsigned char c : v)  // Django's <slug:>: [-a-zA-Z0-9_]+
            if (!(std::isalnum(c) || c == '-' || c == '_')) return std::nullopt;
        return v;
    };
    if (name == "home" && args.empty() && kwargs.empty()) return "/";
    if (name == "search" && args.empty() && kwargs.empty()) return "/search/";
    if (name == "category")
        if (auto s = one_slug()) return "/apps/" + *s + "/";
    if (name == "app-detail")
        if (auto s = one_slug()) return "/app/" + *s + "/";
    return std::nullopt;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

int main(int argc, char** argv) {
    std::string templates = "bench/render/templates", context_file = "bench/render/context.json",
                name = "app_list.html", out_file;
    double seconds = 3.0, warmup = 1.0;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "famigo_render_bench: " << a << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--templates")
            templates = value();
        else if (a == "--context")
            context_file = value();
        else if (a == "--template")
            name = value();
        else if (a == "--seconds")
            seconds = std::stod(value());
        else if (a == "--warmup")
            warmup = std::stod(value());
        else if (a == "--out")
            out_file = value();
        else {
            std::cerr << "usage: famigo_render_bench [--templates DIR] [--context FILE]"
                         " [--template NAME] [--seconds S] [--warmup S] [--out FILE]\n";
            return 2;
        }
    }
    try {
        Json context = Json::parse(read_file(context_file));
        EngineOptions options;
        options.dirs = {templates};
        options.url_resolver = url_resolver;
        Engine engine(std::move(options));
        auto tpl = engine.get_template(name);  // compiled once, with its parent and includes
        std::string page = tpl->render(context);
        if (!out_file.empty()) {
            std::ofstream out(out_file, std::ios::binary);
            out << page;
        }

        using Clock = std::chrono::steady_clock;
        std::size_t sink = 0;
        auto cpu_now = [] {
            timespec ts{};
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
            return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
        };
        auto loop = [&](double secs) {
            std::uint64_t n = 0;
            auto start = Clock::now();
            auto deadline = start + std::chrono::duration<double>(secs);
            for (;;) {
                std::string s = tpl->render(context);
                sink += s.size();
                ++n;
                auto now = Clock::now();
                if (now >= deadline)
                    return std::pair{n, std::chrono::duration<double>(now - start).count()};
            }
        };
        if (warmup > 0) loop(warmup);
        double cpu0 = cpu_now();
        auto [n, secs] = loop(seconds);
        double cpu = cpu_now() - cpu0;
        std::printf(
            "BENCH_JSON {\"renders\": %llu, \"seconds\": %.6f, \"renders_per_s\": %.3f,"
            " \"cpu_seconds\": %.6f, \"bytes\": %zu, \"sink\": %zu}\n",
            static_cast<unsigned long long>(n), secs, n / secs, cpu, page.size(), sink);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "famigo_render_bench: " << e.what() << "\n";
        return 1;
    }
}
