#include "apps/families/api_views.hpp"

#include <ctime>

#include "apps/site/site.hpp"
#include "core/time.hpp"
#include "docstore/objects.hpp"
#include "http/errors.hpp"
#include "web/security/form_data.hpp"

namespace famigo::apps::families {

namespace {

using Json = nlohmann::json;

Json families_body(const http::Request& request) {
    Json body = Json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
        throw http::BadRequest("the body must be a JSON object", "body", "bad_json");
    return body;
}

// The string at `name`: nullopt when absent (or null) and not required; a
// 400 naming the field when it is of another type.
std::optional<std::string> families_string(const Json& body, const std::string& name,
                                           bool required) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
        if (required) throw http::BadRequest("'" + name + "' is required", name, "required");
        return std::nullopt;
    }
    if (!it->is_string()) throw http::BadRequest("'" + name + "' must be a string", name);
    return it->get<std::string>();
}

std::optional<std::int64_t> families_integer(const Json& body, const std::string& name,
                                             bool required) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
        if (required) throw http::BadRequest("'" + name + "' is required", name, "required");
        return std::nullopt;
    }
    if (!it->is_number_integer()) throw http::BadRequest("'" + name + "' must be an integer", name);
    return it->get<std::int64_t>();
}

int families_year(std::int64_t value, const std::string& name) {
    if (value < 0 || value > 9999) throw http::BadRequest("'" + name + "' is not a year", name);
    return static_cast<int>(value);
}

Json families_present(const Family& family) {
    return {{"id", family.id},
            {"email", family.email},
            {"name", family.name},
            {"created_at", family.created_at}};
}

Json families_present(const Kid& kid) {
    return {{"id", kid.id},
            {"family_id", kid.family_id},
            {"name", kid.name},
            {"birth_year", kid.birth_year},
            {"age_band", age_band(kid.birth_year, current_year())}};
}

Json families_present(const Device& device) {
    return {{"id", device.id},
            {"family_id", device.family_id},
            {"device_id", device.device_id},
            {"model", device.device_model},
            {"created_at", device.created_at}};
}

std::string families_etag(std::int64_t version) {
    return "\"" + std::to_string(version) + "\"";
}

void families_sandbox_answer(http::Response& response, int status, const Sandbox& box) {
    json_answer(response, status,
                {{"kid_id", box.id}, {"apps", box.apps}, {"version", box.version}});
    response.set_header("ETag", families_etag(box.version));
}

// If-Match: "*" (write whatever is there) or one "N" (weak W/"N" too): the
// version the client read. nullopt for "*".
std::optional<std::int64_t> families_if_match(const http::Request& request) {
    auto header = request.header("If-Match");
    if (!header)
        throw http::HttpError(428, "if_match_required",
                              "send If-Match with the ETag of the sandbox you read (or *)",
                              "If-Match");
    std::string_view value = *header;
    if (value == "*") return std::nullopt;
    if (value.starts_with("W/")) value.remove_prefix(2);
    if (value.size() >= 3 && value.size() <= 20 && value.front() == '"' && value.back() == '"') {
        std::int64_t version = 0;
        bool digits = true;
        for (char c : value.substr(1, value.size() - 2)) {
            if (c < '0' || c > '9')
                digits = false;
            else
                version = version * 10 + (c - '0');
        }
        if (digits) return version;
    }
    throw http::BadRequest("If-Match must be a sandbox ETag such as \"3\", or *", "If-Match");
}

}  // namespace

std::string ApiViews::own_family(const ApiClient& client, const http::Request& request) const {
    std::string id(request.params.get("family_id").value_or(""));
    if (!client.device || client.device->family_id != id)
        throw http::NotFound("no such family", "family_id");
    return id;
}

Kid ApiViews::own_kid(const ApiClient& client, const http::Request& request) const {
    std::string id(request.params.get("kid_id").value_or(""));
    auto kid = families_.find_kid(client.device->family_id, id);
    if (!kid) throw http::NotFound("no such kid", "kid_id");
    return std::move(*kid);
}

void ApiViews::create_family(const http::Request& request, http::Response& response) const {
    ApiClient client = gate_.client(request);
    Json body = families_body(request);
    std::string email = *families_string(body, "email", true);
    std::string name = families_string(body, "name", false).value_or("");

    std::optional<std::string> answer_id;
    std::string request_hash;
    auto& answers = families_.store().collection("idempotent_answers");
    auto replay = [&](const docstore::Document& stored) {
        if (stored.value("request_hash", "") != request_hash)
            throw http::HttpError(422, "idempotency_key_reused",
                                  "this Idempotency-Key was used with another request",
                                  "Idempotency-Key");
        response.text(stored.value("status", 200), stored.value("body", ""), "application/json");
        response.set_header("Idempotent-Replayed", "true");
    };
    auto in_progress = [] {
        http::HttpError busy(409, "idempotency_key_in_use",
                             "a request with this Idempotency-Key is still being answered",
                             "Idempotency-Key");
        busy.retry_after = 1;
        return busy;
    };
    if (auto key = request.header("Idempotency-Key")) {
        if (key->empty() || key->size() > 200 ||
            key->find_first_of("\r\n") != std::string_view::npos)
            throw http::BadRequest("Idempotency-Key must be 1 to 200 characters",
                                   "Idempotency-Key");
        answer_id = token_hash(client.key.id + "\n" + std::string(*key));
        request_hash = token_hash(request.body);
        // The key is claimed before the work (status 0), so of two requests
        // with one key only one does it; the other replays its answer, or
        // gets 409 while it is still being made.
        const std::string now = utc_now_iso();
        bool claimed = false;
        for (int attempt = 0; attempt < 2 && !claimed; ++attempt) {
            IdempotentAnswer claim{*answer_id, request_hash, 0, "{}",
                                   utc_iso8601(std::time(nullptr) + idempotency_ttl_.count())};
            try {
                docstore::Objects<IdempotentAnswer>(families_.store()).insert(claim);
                claimed = true;
            } catch (const docstore::DuplicateKey&) {
                auto stored = answers.get(*answer_id);
                if (!stored) continue;
                if (stored->value("expires_at", "") <= now) {
                    answers.remove(docstore::field("_id") == *answer_id &&
                                   docstore::field("expires_at") ==
                                       stored->value("expires_at", ""));
                    continue;
                }
                if (stored->value("status", 0) == 0) {
                    if (stored->value("request_hash", "") != request_hash) return replay(*stored);
                    throw in_progress();
                }
                return replay(*stored);
            }
        }
        if (!claimed) throw in_progress();
    }

    Families::FamilyResult result;
    try {
        result = families_.create_or_get_family(email, name);
    } catch (...) {
        // Bad input or a store failure: the key is free for a corrected retry.
        if (answer_id) answers.remove(docstore::field("_id") == *answer_id);
        throw;
    }
    const int status = result.created ? 201 : 200;
    const std::string text = Json{{"family", families_present(result.family)}}.dump(
                                 -1, ' ', false, Json::error_handler_t::replace) +
                             "\n";
    if (answer_id)
        answers.update(docstore::field("_id") == *answer_id,
                       docstore::Update().set("status", status).set("body", text),
                       {.multi = false});
    response.text(status, text, "application/json");
}

void ApiViews::register_device(const http::Request& request, http::Response& response) const {
    gate_.client(request);
    Json body = families_body(request);
    std::string family_id = *families_string(body, "family_id", true);
    std::string device_id = *families_string(body, "device_id", true);
    std::string model = families_string(body, "model", false).value_or("");
    auto registered = families_.register_device(family_id, device_id, model);
    if (!registered) throw http::NotFound("no such family", "family_id");
    json_answer(response, registered->created ? 201 : 200,
                {{"device", families_present(registered->device)}, {"token", registered->token}});
}

void ApiViews::kids(const http::Request& request, http::Response& response) const {
    ApiClient client = gate_.device(request);
    const std::string family_id = own_family(client, request);
    if (request.method == http::Method::Post) {
        Json body = families_body(request);
        std::string name = *families_string(body, "name", true);
        int year = families_year(*families_integer(body, "birth_year", true), "birth_year");
        json_answer(response, 201, families_present(families_.add_kid(family_id, name, year)));
        return;
    }
    Json list = Json::array();
    for (const auto& kid : families_.kids(family_id)) list.push_back(families_present(kid));
    json_answer(response, 200, {{"kids", list}});
}

void ApiViews::kid(const http::Request& request, http::Response& response) const {
    ApiClient client = gate_.device(request);
    Kid kid = own_kid(client, request);
    if (request.method == http::Method::Delete) {
        families_.delete_kid(kid.family_id, kid.id);
        response.text(204, "", "application/json");
        return;
    }
    Json body = families_body(request);
    for (const auto& [key, value] : body.items())
        if (key != "name" && key != "birth_year")
            throw http::BadRequest("'" + key + "' cannot be changed", key);
    Families::KidChange change;
    change.name = families_string(body, "name", false);
    if (auto year = families_integer(body, "birth_year", false))
        change.birth_year = families_year(*year, "birth_year");
    auto changed = families_.update_kid(kid.family_id, kid.id, change);
    if (!changed) throw http::NotFound("no such kid", "kid_id");
    json_answer(response, 200, families_present(*changed));
}

void ApiViews::sandbox(const http::Request& request, http::Response& response) const {
    ApiClient client = gate_.device(request);
    Kid kid = own_kid(client, request);
    if (request.method != http::Method::Put) {
        auto box = families_.sandbox(kid.family_id, kid.id);
        if (!box) throw http::NotFound("no such kid", "kid_id");
        families_sandbox_answer(response, 200, *box);
        return;
    }
    auto if_version = families_if_match(request);
    Json body = families_body(request);
    auto apps = body.find("apps");
    if (apps == body.end() || !apps->is_array())
        throw http::BadRequest("'apps' must be a list of app slugs", "apps");
    std::vector<std::string> slugs;
    for (std::size_t i = 0; i < apps->size(); ++i) {
        if (!(*apps)[i].is_string())
            throw http::BadRequest("an app slug must be a string",
                                   "apps[" + std::to_string(i) + "]");
        slugs.push_back((*apps)[i].get<std::string>());
    }
    auto put = families_.put_sandbox(kid.family_id, kid.id, std::move(slugs), if_version);
    if (put.outcome == Families::PutOutcome::NoKid) throw http::NotFound("no such kid", "kid_id");
    if (put.outcome == Families::PutOutcome::Stale) {
        http::HttpError stale(412, "precondition_failed",
                              "the sandbox changed since you read it (now version " +
                                  std::to_string(put.sandbox.version) + "): read it again",
                              "If-Match");
        throw stale;
    }
    families_sandbox_answer(response, 200, put.sandbox);
}

void ApiViews::launches(const http::Request& request, http::Response& response) const {
    ApiClient client = gate_.device(request);
    Json body = families_body(request);
    auto events = body.find("events");
    if (events == body.end() || !events->is_array())
        throw http::BadRequest("'events' must be a list", "events");
    if (events->size() > kMaxLaunchBatch)
        throw http::BadRequest("at most " + std::to_string(kMaxLaunchBatch) + " events a request",
                               "events", "too_many_events");
    std::vector<LaunchEvent> good;
    std::vector<LaunchProblem> bad;
    for (std::size_t i = 0; i < events->size(); ++i) {
        const Json& item = (*events)[i];
        LaunchEvent event;
        event.index = i;
        std::string problem_field;
        auto text = [&](const char* name, std::string& into) {
            auto it = item.find(name);
            if (it == item.end() || !it->is_string()) {
                if (problem_field.empty()) problem_field = name;
                return;
            }
            into = it->get<std::string>();
        };
        if (!item.is_object()) {
            bad.push_back({i, "events[" + std::to_string(i) + "]", "must be an object"});
            continue;
        }
        text("event_id", event.event_id);
        text("kid_id", event.kid_id);
        text("app", event.app);
        text("started_at", event.started_at);
        auto seconds = item.find("seconds");
        if (seconds == item.end() || !seconds->is_number_integer()) {
            if (problem_field.empty()) problem_field = "seconds";
        } else {
            event.seconds = seconds->get<std::int64_t>();
        }
        if (!problem_field.empty())
            bad.push_back({i, problem_field, "missing or of the wrong type"});
        else
            good.push_back(std::move(event));
    }
    LaunchReport report = families_.record_launches(*client.device, good);
    bad.insert(bad.end(), report.rejected.begin(), report.rejected.end());
    std::sort(bad.begin(), bad.end(),
              [](const LaunchProblem& a, const LaunchProblem& b) { return a.index < b.index; });
    Json rejected = Json::array();
    for (const auto& p : bad)
        rejected.push_back({{"index", p.index}, {"field", p.field}, {"message", p.message}});
    json_answer(
        response, 200,
        {{"recorded", report.recorded}, {"duplicates", report.duplicates}, {"rejected", rejected}});
}

void ApiViews::recommendations(const http::Request& request, http::Response& response) const {
    ApiClient client = gate_.device(request);
    Kid kid = own_kid(client, request);
    auto query = web::security::parse_urlencoded(request.query, {});
    std::size_t limit = 10;
    if (auto text = query.get("limit")) {
        std::size_t value = 0;
        bool ok = !text->empty() && text->size() <= 3;
        for (char c : *text) {
            if (c < '0' || c > '9')
                ok = false;
            else
                value = value * 10 + static_cast<std::size_t>(c - '0');
        }
        if (!ok || value < 1 || value > 50)
            throw http::BadRequest("'limit' must be between 1 and 50", "limit");
        limit = value;
    }
    auto apps = families_.recommendations(kid.family_id, kid.id, limit);
    if (!apps) throw http::NotFound("no such kid", "kid_id");
    json_answer(response, 200,
                {{"kid_id", kid.id},
                 {"age_band", age_band(kid.birth_year, current_year())},
                 {"apps", *apps}});
}

void ApiViews::export_family(const http::Request& request, http::Response& response) const {
    ApiClient client = gate_.device(request);
    auto data = families_.export_family(own_family(client, request));
    if (!data) throw http::NotFound("no such family", "family_id");
    json_answer(response, 200, *data);
}

}  // namespace famigo::apps::families
