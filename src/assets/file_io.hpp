// Whole-file reads and atomic writes for collectstatic. A write goes to a hidden
// temporary file in the destination's folder and is renamed over the target,
// so a server reading the build folder sees the old file or the new one, never
// a half-written one. Failures throw famigo::Error naming the path.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace famigo::assets {

std::string read_file(const std::filesystem::path& path);
// nullopt when the file does not exist (or is not a regular file).
std::optional<std::string> read_file_if_exists(const std::filesystem::path& path);

// Creates missing parent folders; fsyncs the data before the rename.
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

// Writes only when the content differs; true when it wrote. Keeping unchanged
// files untouched keeps their mtime, so validators and caches stay warm.
bool write_file_if_changed(const std::filesystem::path& path, std::string_view bytes);

}  // namespace famigo::assets
