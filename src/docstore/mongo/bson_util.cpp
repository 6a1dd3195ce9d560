#include "docstore/mongo/mongo_store.hpp"

namespace famigo::docstore::mongo {

Bson::Bson(const Document& json) {
    std::string text;
    try {
        text = json.dump();
    } catch (const nlohmann::json::type_error&) {
        throw QueryError("document contains a string that is not valid UTF-8");
    }
    bson_error_t error;
    if (!bson_init_from_json(&doc_, text.data(), ssize_t(text.size()), &error)) {
        bson_init(&doc_);
        throw QueryError(std::string("cannot convert to BSON: ") + error.message);
    }
}

Document to_json(const bson_t* doc) {
    size_t length = 0;
    char* text = bson_as_relaxed_extended_json(doc, &length);
    if (!text) throw StoreError("mongodb: a document could not be read as JSON");
    Document out = Document::parse(text, text + length, nullptr, false);
    bson_free(text);
    if (out.is_discarded()) throw StoreError("mongodb: a document could not be read as JSON");
    return out;
}

void fail(const bson_error_t& error, std::string_view what) {
    std::string message = "mongodb: " + std::string(what) + ": " + error.message;
    // FerretDB reports a unique index broken by an update as an internal error
    // quoting SQLite ("UNIQUE constraint failed") instead of code 11000.
    if (error.code == 11000 || error.code == 11001 ||
        std::string_view(error.message).find("UNIQUE constraint failed") !=
            std::string_view::npos) {
        std::string index;
        std::string text = error.message;
        if (auto at = text.find("index: "); at != std::string::npos) {
            index = text.substr(at + 7);
            index.resize(index.find(' ') == std::string::npos ? index.size() : index.find(' '));
        }
        throw DuplicateKey(message, index);
    }
    if (error.domain == MONGOC_ERROR_SERVER_SELECTION || error.domain == MONGOC_ERROR_STREAM ||
        error.domain == MONGOC_ERROR_CLIENT)
        throw Unavailable(message);
    if (error.domain == MONGOC_ERROR_SERVER || error.domain == MONGOC_ERROR_QUERY ||
        error.domain == MONGOC_ERROR_WRITE_CONCERN) {
        // Bad values and operators the server refused (BadValue, FailedToParse,
        // TypeMismatch, ImmutableField, ConflictingUpdateOperators, NotImplemented).
        static const int kQueryCodes[] = {2, 9, 14, 17, 40, 51, 66, 238, 115, 16837};
        for (int code : kQueryCodes)
            if (int(error.code) == code) throw QueryError(message);
    }
    throw StoreError(message);
}

void append_keys(bson_t* out, const char* name, const std::vector<SortKey>& keys) {
    bson_t child;
    bson_append_document_begin(out, name, -1, &child);
    for (const auto& key : keys)
        bson_append_int32(&child, key.path.c_str(), -1, key.descending ? -1 : 1);
    bson_append_document_end(out, &child);
}

}  // namespace famigo::docstore::mongo
