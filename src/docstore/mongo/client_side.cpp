#include "docstore/mongo/client_side.hpp"

namespace famigo::docstore::mongo {
namespace {

bool names_fields(const Filter& f) {
    if (f.kind() == Filter::Kind::Condition) return !f.path().empty();
    if (f.kind() == Filter::Kind::ElemMatch) return true;
    for (const auto& child : f.children())
        if (names_fields(child)) return true;
    return false;
}

}  // namespace

bool has_document_elem_match(const Filter& f) {
    if (f.kind() == Filter::Kind::ElemMatch && names_fields(f.children().front())) return true;
    for (const auto& child : f.children())
        if (has_document_elem_match(child)) return true;
    return false;
}

Filter relax(const Filter& f) {
    switch (f.kind()) {
        case Filter::Kind::ElemMatch:
            return names_fields(f.children().front()) ? Filter() : f;
        case Filter::Kind::And: {
            Filter out;
            for (const auto& child : f.children()) out = std::move(out) && relax(child);
            return out;
        }
        case Filter::Kind::Or: {
            std::vector<Filter> children;
            for (const auto& child : f.children()) {
                Filter relaxed = relax(child);
                if (relaxed.matches_everything()) return Filter();
                children.push_back(std::move(relaxed));
            }
            return Filter::join(Filter::Kind::Or, std::move(children));
        }
        case Filter::Kind::Nor:
            // Under a negation a wider child narrows the result: give up the whole nor.
            return has_document_elem_match(f) ? Filter() : f;
        default:
            return f;
    }
}

}  // namespace famigo::docstore::mongo
