#include "docstore/export.hpp"

#include <fstream>

#include "docstore/checksum.hpp"
#include "docstore/query_tools.hpp"

namespace famigo::docstore {
namespace {

constexpr std::size_t kBatch = 500;

}  // namespace

void export_store(Store& store, const std::filesystem::path& dest, const Progress& progress) {
    std::filesystem::path partial = dest.string() + ".partial";
    std::ofstream out(partial, std::ios::trunc | std::ios::binary);
    if (!out) throw Unavailable("cannot write '" + partial.string() + "'");
    auto names = store.collection_names();
    std::uint64_t total = 0;
    for (const auto& name : names) total += std::uint64_t(store.collection(name).count());
    out << Document{{"famigo_backup", 1}, {"backend", store.backend()}, {"collections", names}}
               .dump()
        << "\n";
    std::uint64_t done = 0;
    for (const auto& name : names) {
        Collection& collection = store.collection(name);
        Document indexes = Document::array();
        for (const auto& spec : collection.indexes()) indexes.push_back(index_spec_json(spec));
        out << Document{{"$collection", name}, {"indexes", indexes}, {"count", collection.count()}}
                   .dump()
            << "\n";
        collection.scan({}, {}, [&](Document&& doc) {
            out << doc.dump() << "\n";
            if (++done % 1000 == 0 && progress) progress(done, std::max(done, total), "documents");
            return true;
        });
    }
    out << Document{{"$end", true}, {"documents", done}}.dump() << "\n";
    out.flush();
    if (!out) throw Unavailable("writing '" + partial.string() + "' failed");
    out.close();
    if (progress) progress(done, done, "documents");
    std::filesystem::rename(partial, dest);
    write_checksum(dest);
}

void import_store(Store& store, const std::filesystem::path& src, const Progress& progress,
                  bool force) {
    verify_checksum(src);
    std::ifstream in(src, std::ios::binary);
    std::string line;
    if (!std::getline(in, line)) throw Unavailable("'" + src.string() + "' is empty");
    Document header = Document::parse(line, nullptr, false);
    if (header.is_discarded() || !header.contains("famigo_backup"))
        throw Unavailable("'" + src.string() + "' is not a Famigo backup");
    if (!force) {
        for (const auto& name : store.collection_names())
            if (store.collection(name).count() > 0)
                throw StoreError("the store is not empty (collection '" + name +
                                 "'); restore with --force to replace it");
    }
    std::uint64_t total = 0;
    Collection* current = nullptr;
    std::vector<IndexSpec> pending_indexes;
    std::vector<Document> batch;
    auto flush = [&] {
        if (current && !batch.empty()) current->insert_many(std::move(batch));
        batch.clear();
    };
    auto finish_collection = [&] {
        flush();
        if (current)
            for (const auto& spec : pending_indexes) current->create_index(spec);
        pending_indexes.clear();
    };
    bool ended = false;
    while (std::getline(in, line)) {
        Document doc = Document::parse(line, nullptr, false);
        if (doc.is_discarded())
            throw Unavailable("'" + src.string() + "' holds a line that is not JSON");
        if (doc.contains("$collection")) {
            finish_collection();
            current = &store.collection(doc["$collection"].get<std::string>());
            if (force) current->drop();
            for (const auto& spec : doc["indexes"])
                pending_indexes.push_back(index_spec_from_json(spec));
        } else if (doc.contains("$end")) {
            finish_collection();
            if (doc["documents"].get<std::uint64_t>() != total)
                throw Unavailable("'" + src.string() + "' ends after " + std::to_string(total) +
                                  " documents, expected " + doc["documents"].dump());
            ended = true;
            break;
        } else {
            if (!current)
                throw Unavailable("'" + src.string() + "' has a document before any collection");
            batch.push_back(std::move(doc));
            ++total;
            if (batch.size() >= kBatch) flush();
            if (total % 1000 == 0 && progress) progress(total, 0, "documents");
        }
    }
    if (!ended) throw Unavailable("'" + src.string() + "' is truncated (no end marker)");
    if (progress) progress(total, total, "documents");
}

}  // namespace famigo::docstore
