// Launch ingestion and recommendations (families.hpp).
#include <algorithm>
#include <map>
#include <regex>
#include <unordered_map>
#include <unordered_set>

#include "apps/families/families.hpp"
#include "docstore/objects.hpp"
#include "docstore/store.hpp"

namespace famigo::apps::families {

namespace {

// Family ids are base64url (no '/'), so "<family>/<event>" names one event
// of one family and nothing else.
std::string families_launch_id(const std::string& family_id, const std::string& event_id) {
    return family_id + "/" + event_id;
}

bool families_printable(std::string_view text) {
    return std::none_of(text.begin(), text.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

const std::regex& families_slug_rule() {
    static const std::regex rule("^[a-z0-9][a-z0-9_-]{0,199}$");
    return rule;
}

// The reason the event cannot be kept, as {field, message}; empty field: fine.
std::pair<std::string, std::string> families_event_problem(const LaunchEvent& event) {
    if (event.event_id.empty() || event.event_id.size() > 128 ||
        !families_printable(event.event_id))
        return {"event_id", "must be 1 to 128 printable bytes"};
    if (!std::regex_match(event.app, families_slug_rule())) return {"app", "not an app slug"};
    if (event.started_at.empty() || event.started_at.size() > 40 ||
        !families_printable(event.started_at))
        return {"started_at", "must be an ISO 8601 time"};
    if (event.seconds < 0 || event.seconds > 86400)
        return {"seconds", "must be between 0 and 86400"};
    return {};
}

}  // namespace

LaunchReport Families::record_launches(const Device& device,
                                       const std::vector<LaunchEvent>& events) const {
    LaunchReport report;
    std::unordered_map<std::string, std::string> band_of_kid;
    const int year = current_year();
    for (const auto& kid : kids(device.family_id))
        band_of_kid.emplace(kid.id, age_band(kid.birth_year, year));

    std::vector<docstore::Document> fresh;
    std::vector<docstore::Document> ids;
    std::unordered_set<std::string> in_batch;
    for (const auto& event : events) {
        auto [field, message] = families_event_problem(event);
        auto band = band_of_kid.find(event.kid_id);
        if (field.empty() && band == band_of_kid.end())
            std::tie(field, message) = std::pair<std::string, std::string>{"kid_id", "no such kid"};
        if (!field.empty()) {
            report.rejected.push_back({event.index, std::move(field), std::move(message)});
            continue;
        }
        std::string id = families_launch_id(device.family_id, event.event_id);
        if (!in_batch.insert(id).second) {
            ++report.duplicates;
            continue;
        }
        ids.emplace_back(id);
        fresh.push_back({{"_id", std::move(id)},
                         {"family_id", device.family_id},
                         {"device_id", device.id},
                         {"event_id", event.event_id},
                         {"kid_id", event.kid_id},
                         {"app", event.app},
                         {"age_band", band->second},
                         {"started_at", event.started_at},
                         {"seconds", event.seconds}});
    }
    if (fresh.empty()) return report;

    auto& launches = store_.collection("launches");
    // Resends: drop the events already stored, then insert the rest at once.
    std::unordered_set<std::string> stored;
    docstore::FindOptions only_ids;
    only_ids.projection.only = {"_id"};
    launches.scan(docstore::field("_id").in(std::move(ids)), only_ids,
                  [&](docstore::Document&& doc) {
                      stored.insert(doc["_id"].get<std::string>());
                      return true;
                  });
    std::vector<docstore::Document> to_insert;
    to_insert.reserve(fresh.size());
    for (auto& doc : fresh) {
        if (stored.count(doc["_id"].get_ref<const std::string&>()))
            ++report.duplicates;
        else
            to_insert.push_back(std::move(doc));
    }
    std::vector<const docstore::Document*> inserted;
    try {
        launches.insert_many(to_insert);
        for (const auto& doc : to_insert) inserted.push_back(&doc);
    } catch (const docstore::DuplicateKey&) {
        // A concurrent resend of some of these: one by one, so the rest are kept.
        for (const auto& doc : to_insert) try {
                launches.insert(doc);
                inserted.push_back(&doc);
            } catch (const docstore::DuplicateKey&) {
                ++report.duplicates;
            }
    }
    report.recorded = inserted.size();

    std::map<std::pair<std::string, std::string>, std::int64_t> per_app;
    for (const auto* doc : inserted)
        ++per_app[{(*doc)["age_band"].get<std::string>(), (*doc)["app"].get<std::string>()}];
    auto& counts = store_.collection("launch_counts");
    for (const auto& [key, n] : per_app)
        counts.update(
            docstore::field("_id") == key.first + "|" + key.second,
            docstore::Update().set("age_band", key.first).set("app", key.second).inc("launches", n),
            {.multi = false, .upsert = true});
    return report;
}

std::int64_t Families::launch_count(const std::string& family_id) const {
    return store_.collection("launches").count(docstore::field("family_id") == family_id);
}

std::optional<std::vector<docstore::Document>> Families::recommendations(
    const std::string& family_id, const std::string& kid_id, std::size_t limit) const {
    auto kid = find_kid(family_id, kid_id);
    if (!kid) return std::nullopt;
    const std::string band = age_band(kid->birth_year, current_year());
    auto box = sandbox(family_id, kid_id);
    std::unordered_set<std::string> excluded(box->apps.begin(), box->apps.end());
    const auto window = static_cast<std::int64_t>(limit + excluded.size());

    // Candidates: the band's best rated (APProved first) and its most launched.
    std::unordered_map<std::string, std::int64_t> launched;
    docstore::FindOptions top_launched;
    top_launched.sort = docstore::parse_sort("-launches");
    top_launched.limit = window;
    for (auto& doc :
         store_.collection("launch_counts").find(docstore::field("age_band") == band, top_launched))
        launched[doc.value("app", "")] = doc.value("launches", std::int64_t{0});

    docstore::FindOptions best;
    best.sort = docstore::parse_sort("-approved,-rating,slug");
    best.limit = window;
    best.projection.only = {"slug", "title", "approved", "rating", "icon_url"};
    auto& apps = store_.collection("apps");
    auto published_in_band =
        docstore::field("published") == true && docstore::field("age_band") == band;
    std::vector<docstore::Document> candidates = apps.find(published_in_band, best);
    std::vector<docstore::Document> slugs;
    for (const auto& [slug, n] : launched) slugs.emplace_back(slug);
    if (!slugs.empty()) {
        docstore::FindOptions by_slug;
        by_slug.projection = best.projection;
        for (auto& doc : apps.find(published_in_band && docstore::field("slug").in(slugs), by_slug))
            candidates.push_back(std::move(doc));
    }

    std::vector<docstore::Document> out;
    std::unordered_set<std::string> seen;
    for (auto& doc : candidates) {
        std::string slug = doc.value("slug", "");
        if (slug.empty() || excluded.count(slug) || !seen.insert(slug).second) continue;
        auto it = launched.find(slug);
        out.push_back({{"slug", slug},
                       {"title", doc.value("title", "")},
                       {"icon_url", doc.value("icon_url", "")},
                       {"approved", doc.value("approved", false)},
                       {"rating", doc.value("rating", 0.0)},
                       {"launches", it == launched.end() ? 0 : it->second}});
    }
    std::sort(out.begin(), out.end(), [](const docstore::Document& a, const docstore::Document& b) {
        auto key = [](const docstore::Document& d) {
            return std::make_tuple(d["approved"].get<bool>(), d["launches"].get<std::int64_t>(),
                                   d["rating"].get<double>());
        };
        if (key(a) != key(b)) return key(a) > key(b);
        return a["slug"].get<std::string>() < b["slug"].get<std::string>();
    });
    if (out.size() > limit) out.resize(limit);
    return out;
}

}  // namespace famigo::apps::families
