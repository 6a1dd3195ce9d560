// Fuzzes the JSON filter form of the query DSL (the CLI's and the API's input):
// arbitrary text must parse into a filter or raise famigo::Error, never crash;
// a parsed filter must survive the round trip through to_mongo() and evaluate
// against a sample document.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/error.hpp"
#include "docstore/filter.hpp"

using namespace famigo::docstore;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    static const Document sample = nlohmann::json::parse(
        R"({"_id":"a1","title":"Minecraft","rating":4.5,"tags":["game","kids"],)"
        R"("developer":{"name":"Mojang"},"price":0,"ads":null})");
    try {
        Filter filter = parse_filter_text(text);
        Filter again = parse_filter(to_mongo(filter));
        if (matches(filter, sample) != matches(again, sample)) std::abort();
    } catch (const famigo::Error&) {
        // Refused with a message: the expected outcome for most inputs.
    }
    return 0;
}
