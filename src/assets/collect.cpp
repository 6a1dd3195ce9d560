#include "assets/collect.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "assets/compress.hpp"
#include "assets/css_rewrite.hpp"
#include "assets/digest.hpp"
#include "assets/file_io.hpp"
#include "assets/mime.hpp"
#include "assets/path_safety.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"

namespace famigo::assets {
namespace fs = std::filesystem;
namespace {

struct Source {
    fs::path path;
    std::string bytes;
    bool css = false;
    enum class State { Pending, Visiting, Done } state = State::Pending;
    std::string hash;
    std::string hashed_name;
};

bool is_inside(const fs::path& path, const fs::path& root) {
    const std::string& p = path.native();
    const std::string& r = root.native();
    return p == r ||
           (p.size() > r.size() && p.starts_with(r) && (r.back() == '/' || p[r.size()] == '/'));
}

bool is_css(std::string_view name) {
    return name.size() > 4 && strings::iequals(name.substr(name.size() - 4), ".css");
}

// Nanoseconds of a file's mtime, or nullopt when it does not exist.
std::optional<std::int64_t> mtime_ns(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return std::int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

class Collector {
  public:
    Collector(const AssetOptions& options, std::ostream& progress)
        : options_(options), progress_(progress) {}

    CollectReport run() {
        std::error_code ec;
        if (!fs::is_directory(options_.source, ec))
            throw Error("static.source folder '" + options_.source.string() + "' does not exist");
        root_ = fs::canonical(options_.source);
        build_ = fs::weakly_canonical(fs::absolute(options_.build_dir));
        if (is_inside(root_, build_))
            throw Error("static.build_dir '" + options_.build_dir.string() +
                        "' must not be or contain static.source '" + options_.source.string() +
                        "'");

        // Everything is found and checked before anything is written, so a
        // refused symlink leaves the build folder as it was.
        std::vector<fs::path> ancestors{root_};
        scan(root_, "", ancestors);
        for (auto& [name, source] : sources_) {
            source.bytes = read_file(source.path);
            source.css = is_css(name);
        }
        report_.files = sources_.size();

        // Referenced files are hashed before the stylesheets that point to them.
        for (auto& [name, source] : sources_)
            if (!source.css) process(name, source);
        for (auto& [name, source] : sources_)
            if (source.css) visit_css(name, source);

        Manifest manifest;
        for (const auto& [name, source] : sources_) manifest.emplace(name, source.hashed_name);
        count(write_file_if_changed(build_ / kManifestFile, manifest_json(manifest)));
        report_.manifest = std::move(manifest);

        progress_ << "collectstatic: " << report_.files << " files from '"
                  << options_.source.string() << "' into '" << options_.build_dir.string()
                  << "': " << report_.written << " written, " << report_.unchanged << " unchanged, "
                  << report_.variants << " compressed variants, " << report_.references
                  << " CSS references fingerprinted\n";
        return std::move(report_);
    }

  private:
    void scan(const fs::path& folder, const std::string& prefix, std::vector<fs::path>& ancestors) {
        std::vector<fs::directory_entry> entries(fs::directory_iterator(folder), {});
        std::sort(entries.begin(), entries.end());
        for (const auto& entry : entries) {
            std::string name = entry.path().filename().string();
            if (name.starts_with('.')) continue;  // hidden files are never served
            std::string logical = prefix + name;
            fs::path real = entry.path();
            if (entry.is_symlink()) {
                std::error_code ec;
                real = fs::canonical(entry.path(), ec);
                if (ec) {
                    progress_ << "  skipped " << logical << ": broken symlink\n";
                    continue;
                }
                if (!is_inside(real, root_))
                    throw Error("refusing symlink '" + entry.path().string() + "' -> '" +
                                real.string() + "': it points out of the static source folder");
            }
            if (is_inside(real, build_)) continue;  // a build folder inside the sources
            if (!is_safe_logical_name(logical)) {
                progress_ << "  skipped " << logical << ": not a name the server would serve\n";
                continue;
            }
            auto status = fs::status(real);
            if (fs::is_directory(status)) {
                if (std::find(ancestors.begin(), ancestors.end(), real) != ancestors.end()) {
                    progress_ << "  skipped " << logical << ": symlink loop\n";
                    continue;
                }
                ancestors.push_back(real);
                scan(real, logical + "/", ancestors);
                ancestors.pop_back();
            } else if (fs::is_regular_file(status)) {
                sources_[logical].path = real;
            } else {
                progress_ << "  skipped " << logical << ": not a regular file\n";
            }
        }
    }

    void visit_css(const std::string& name, Source& source) {
        if (source.state != Source::State::Pending) return;
        source.state = Source::State::Visiting;
        rewrite_css(source.bytes, [&](std::string_view reference) -> std::optional<std::string> {
            auto target = reference_target(name, reference, options_.url);
            if (!target) return std::nullopt;
            auto it = sources_.find(*target);
            if (it == sources_.end() || !it->second.css) return std::nullopt;
            if (it->second.state == Source::State::Visiting && it->first != name)
                progress_ << "  note: " << name << " and " << *target
                          << " refer to each other; that reference keeps the plain name\n";
            visit_css(it->first, it->second);
            return std::nullopt;
        });
        process(name, source);
    }

    std::string fingerprinted_css(const std::string& name, const Source& source,
                                  size_t& rewritten) {
        return rewrite_css(
            source.bytes, [&](std::string_view reference) -> std::optional<std::string> {
                auto target = reference_target(name, reference, options_.url);
                if (!target) return std::nullopt;
                auto it = sources_.find(*target);
                if (it == sources_.end() || it->second.hashed_name.empty()) return std::nullopt;
                std::string replacement = fingerprint_reference(reference, it->second.hash);
                // Only when the new reference really names the fingerprinted file
                // (an escaped dot in the extension could make it point elsewhere).
                if (reference_target(name, replacement, options_.url) != it->second.hashed_name)
                    return std::nullopt;
                ++rewritten;
                return replacement;
            });
    }

    void process(const std::string& name, Source& source) {
        size_t rewritten = 0;
        if (source.css) source.bytes = fingerprinted_css(name, source, rewritten);
        source.hash = content_hash_hex(source.bytes);
        source.hashed_name = fingerprinted_name(name, source.hash);
        source.state = Source::State::Done;
        report_.references += rewritten;

        bool plain_written = write_file_if_changed(build_ / name, source.bytes);
        bool hashed_written = write_file_if_changed(build_ / source.hashed_name, source.bytes);
        count(plain_written);
        count(hashed_written);

        std::string line = "  " + name + " -> " + source.hashed_name;
        line += plain_written || hashed_written ? " (written" : " (unchanged";
        if (rewritten)
            line += ", " + std::to_string(rewritten) +
                    (rewritten == 1 ? " reference" : " references") + " fingerprinted";
        if (mime_for(name).compressible) {
            std::optional<std::string> gz, br;
            const std::string* outputs[] = {&name, &source.hashed_name};
            for (const std::string* output : outputs) {
                bool output_written = output == &name ? plain_written : hashed_written;
                variant(build_ / (*output + ".gz"), source.bytes, output_written, gz,
                        [](std::string_view data) { return gzip_compress(data, 9); });
                variant(build_ / (*output + ".br"), source.bytes, output_written, br,
                        [](std::string_view data) { return brotli_compress(data, 11); });
            }
            if (gz) line += ", gz " + describe_variant(*gz, source.bytes);
            if (br) line += ", br " + describe_variant(*br, source.bytes);
        }
        progress_ << line << ")\n";
    }

    static std::string describe_variant(const std::string& compressed,
                                        const std::string& original) {
        if (compressed.size() >= original.size()) return "not smaller";
        return std::to_string(compressed.size()) + " bytes";
    }

    // Keeps, writes or removes one precompressed variant. `compressed` caches
    // the compressed bytes between the plain and the fingerprinted output.
    template <typename Compress>
    void variant(const fs::path& path, const std::string& original, bool output_written,
                 std::optional<std::string>& compressed, Compress compress) {
        auto variant_mtime = mtime_ns(path);
        fs::path output = path;
        output.replace_extension();
        // The server trusts a variant only if it is not older than its file.
        if (!output_written && variant_mtime && *variant_mtime >= mtime_ns(output).value_or(0)) {
            ++report_.variants;
            ++report_.unchanged;
            return;
        }
        if (!compressed) compressed = compress(original);
        if (compressed->size() < original.size()) {
            write_file_atomic(path, *compressed);  // always: its mtime must follow the output's
            ++report_.variants;
            ++report_.written;
        } else if (variant_mtime) {
            fs::remove(path);  // a stale variant of content that no longer compresses
        }
    }

    void count(bool written) { ++(written ? report_.written : report_.unchanged); }

    const AssetOptions& options_;
    std::ostream& progress_;
    fs::path root_, build_;
    std::map<std::string, Source, std::less<>> sources_;
    CollectReport report_;
};

}  // namespace

CollectReport collect(const AssetOptions& options, std::ostream& progress) {
    return Collector(options, progress).run();
}

int run_collectstatic(const config::Config& config, std::ostream& out, std::ostream& err) {
    try {
        collect(asset_options(config), out);
        return 0;
    } catch (const std::exception& e) {
        err << "collectstatic: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace famigo::assets
