// Checksums of backup files: SHA-256 written beside the file as FILE.sha256 in
// the format `sha256sum -c` reads, and checked before any restore.
#pragma once

#include <filesystem>
#include <string>

namespace famigo::docstore {

std::string sha256_file(const std::filesystem::path& path);  // lower-case hex
void write_checksum(const std::filesystem::path& file);
// Throws Unavailable when FILE.sha256 is missing or does not match.
void verify_checksum(const std::filesystem::path& file);

}  // namespace famigo::docstore
