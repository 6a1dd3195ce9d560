// Checksums of backup files: SHA-256 written beside the file as FILE.sha256 in
// the format `sha256sum -c` reads, and checked before any restore. And the
// checksum of a store's content, the same on every backend for the same data.
#pragma once

#include <filesystem>
#include <string>

namespace famigo::docstore {

class Store;

std::string sha256_file(const std::filesystem::path& path);  // lower-case hex
void write_checksum(const std::filesystem::path& file);
// Throws Unavailable when FILE.sha256 is missing or does not match.
void verify_checksum(const std::filesystem::path& file);
// SHA-256 of the store's content: per collection (by name) its name, declared
// indexes and documents in _id order as compact JSON with sorted keys. Equal
// for equal content whatever the backend (store copies are checked with it).
std::string store_checksum(Store& store);

}  // namespace famigo::docstore
