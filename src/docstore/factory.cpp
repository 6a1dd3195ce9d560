// open_store(): the one place that knows every backend, so that only
// famigo_docstore links their drivers (the interface library links none).
#include "docstore/backends.hpp"
#include "docstore/errors.hpp"
#include "docstore/store.hpp"

namespace famigo::docstore {

std::unique_ptr<Store> open_store(const StoreOptions& options) {
    const std::string& url = options.url;
    if (url.starts_with("sqlite://")) {
        std::string path = url.substr(9);  // sqlite:///abs -> /abs ; sqlite://rel -> rel
        if (auto q = path.find('?'); q != std::string::npos) path.resize(q);
        if (path.empty()) throw StoreError("store.url '" + url + "' names no database file");
        return open_sqlite_store(path, options);
    }
    if (url.starts_with("mongodb://") || url.starts_with("mongodb+srv://"))
        return open_mongo_store(options);
    if (url.starts_with("postgresql://") || url.starts_with("postgres://"))
        return open_postgres_store(options);
    throw StoreError(
        "store.url '" + url +
        "': unknown scheme (use sqlite:///abs/path, sqlite://rel/path, mongodb://host:port/db or "
        "postgresql://host:port/db)");
}

}  // namespace famigo::docstore
