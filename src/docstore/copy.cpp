#include "docstore/copy.hpp"

#include "docstore/checksum.hpp"

namespace famigo::docstore {

CopyReport copy_store(Store& source, Store& dest, const Progress& progress, bool force) {
    auto names = source.collection_names();
    if (!force) {
        for (const auto& name : dest.collection_names())
            if (dest.collection(name).count() > 0)
                throw StoreError("the destination is not empty (collection '" + name +
                                 "'); copy with --force to replace its collections");
    }
    std::uint64_t total = 0;
    for (const auto& name : names) total += std::uint64_t(source.collection(name).count());
    CopyReport report;
    constexpr size_t batch_size = 500;
    for (const auto& name : names) {
        Collection& from = source.collection(name);
        Collection& to = dest.collection(name);
        if (force) to.drop();
        std::vector<Document> batch;
        FindOptions by_id;
        by_id.sort = {{"_id", false}};
        from.scan({}, by_id, [&](Document&& doc) {
            batch.push_back(std::move(doc));
            if (batch.size() >= batch_size) {
                report.documents += to.insert_many(std::exchange(batch, {})).size();
                if (progress) progress(report.documents, total, name);
            }
            return true;
        });
        if (!batch.empty()) report.documents += to.insert_many(std::move(batch)).size();
        if (progress) progress(report.documents, total, name);
        for (const auto& spec : from.indexes()) {
            to.create_index(spec);
            ++report.indexes;
        }
        if (to.count() != from.count())
            throw StoreError("copy of collection '" + name + "': " + std::to_string(to.count()) +
                             " documents, the source has " + std::to_string(from.count()));
        ++report.collections;
    }
    report.checksum = store_checksum(source);
    std::string copied = store_checksum(dest);
    if (copied != report.checksum)
        throw StoreError("the copy's content checksum " + copied + " differs from the source's " +
                         report.checksum);
    return report;
}

}  // namespace famigo::docstore
