#include "docstore/checksum.hpp"

#include <sodium.h>

#include <fstream>
#include <vector>

#include "core/encoding.hpp"
#include "docstore/errors.hpp"
#include "docstore/query_tools.hpp"
#include "docstore/store.hpp"

namespace famigo::docstore {

std::string sha256_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Unavailable("cannot read '" + path.string() + "'");
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    std::vector<char> buffer(1 << 16);
    while (in) {
        in.read(buffer.data(), std::streamsize(buffer.size()));
        if (in.gcount() > 0)
            crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buffer.data()),
                                      static_cast<unsigned long long>(in.gcount()));
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state, digest);
    return encoding::to_hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

void write_checksum(const std::filesystem::path& file) {
    std::filesystem::path sidecar = file.string() + ".sha256";
    std::ofstream out(sidecar, std::ios::trunc);
    out << sha256_file(file) << "  " << file.filename().string() << "\n";
    if (!out.flush()) throw Unavailable("cannot write '" + sidecar.string() + "'");
}

void verify_checksum(const std::filesystem::path& file) {
    std::filesystem::path sidecar = file.string() + ".sha256";
    std::ifstream in(sidecar);
    std::string expected;
    if (!(in >> expected))
        throw Unavailable("'" + sidecar.string() +
                          "' is missing: cannot check the backup before restoring it");
    std::string actual = sha256_file(file);
    if (actual != expected)
        throw Unavailable("backup '" + file.string() + "' is damaged: its SHA-256 is " + actual +
                          ", expected " + expected);
}

std::string store_checksum(Store& store) {
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    auto feed = [&](const std::string& text) {
        crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<unsigned long long>(text.size()));
        crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>("\n"), 1);
    };
    for (const auto& name : store.collection_names()) {
        Collection& collection = store.collection(name);
        Document indexes = Document::array();
        for (const auto& spec : collection.indexes()) indexes.push_back(index_spec_json(spec));
        feed(Document{{"$collection", name}, {"indexes", indexes}}.dump());
        FindOptions by_id;
        by_id.sort = {{"_id", false}};
        collection.scan({}, by_id, [&](Document&& doc) {
            feed(doc.dump());
            return true;
        });
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state, digest);
    return encoding::to_hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace famigo::docstore
