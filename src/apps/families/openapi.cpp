#include "apps/families/openapi.hpp"

#include <string>

#include "apps/families/families.hpp"

namespace famigo::apps::families {

namespace {

using nlohmann::json;

json families_ref(const std::string& name) {
    return {{"$ref", "#/components/schemas/" + name}};
}

json families_error(const std::string& description) {
    return {{"description", description},
            {"content", {{"application/json", {{"schema", families_ref("Error")}}}}}};
}

json families_ok(const std::string& description, const std::string& schema) {
    return {{"description", description},
            {"content", {{"application/json", {{"schema", families_ref(schema)}}}}}};
}

json families_body(const json& schema) {
    return {{"required", true}, {"content", {{"application/json", {{"schema", schema}}}}}};
}

json families_path_id(const std::string& name) {
    return {{"name", name},
            {"in", "path"},
            {"required", true},
            {"schema", {{"type", "string"}, {"maxLength", 64}}}};
}

// The errors every operation can answer, plus its own.
json families_responses(json own, bool device) {
    own["400"] = families_error("The body or a parameter is malformed; error.field names it");
    own["401"] = families_error(device ? "No valid X-Api-Key, or no valid Bearer device token"
                                       : "No valid X-Api-Key");
    own["429"] = families_error("Past the key's or the device's budget; see Retry-After");
    own["503"] = families_error("The store is unreachable; see Retry-After");
    if (device)
        own["404"] = families_error(
            "No such family or kid for this device (another family's ids answer the same)");
    return own;
}

json families_op(const std::string& id, const std::string& summary, bool device, json responses) {
    json security = device
                        ? json::array({{{"ApiKey", json::array()}, {"DeviceToken", json::array()}}})
                        : json::array({{{"ApiKey", json::array()}}});
    return {{"operationId", id},
            {"summary", summary},
            {"tags", {"Sandbox"}},
            {"security", security},
            {"responses", families_responses(std::move(responses), device)}};
}

json families_schemas() {
    json str = {{"type", "string"}};
    json integer = {{"type", "integer"}};
    return {
        {"Family",
         {{"type", "object"},
          {"properties", {{"id", str}, {"email", str}, {"name", str}, {"created_at", str}}}}},
        {"FamilyAnswer",
         {{"type", "object"}, {"properties", {{"family", families_ref("Family")}}}}},
        {"Device",
         {{"type", "object"},
          {"properties",
           {{"id", str},
            {"family_id", str},
            {"device_id", str},
            {"model", str},
            {"created_at", str}}}}},
        {"Registered",
         {{"type", "object"},
          {"properties",
           {{"device", families_ref("Device")},
            {"token", {{"type", "string"}, {"description", "the Bearer token; shown once"}}}}}}},
        {"Kid",
         {{"type", "object"},
          {"properties",
           {{"id", str},
            {"family_id", str},
            {"name", str},
            {"birth_year", integer},
            {"age_band", {{"type", "string"}, {"enum", kAgeBands}}}}}}},
        {"KidList",
         {{"type", "object"},
          {"properties", {{"kids", {{"type", "array"}, {"items", families_ref("Kid")}}}}}}},
        {"Sandbox",
         {{"type", "object"},
          {"properties",
           {{"kid_id", str},
            {"apps", {{"type", "array"}, {"items", str}, {"maxItems", kMaxSandboxApps}}},
            {"version", {{"type", "integer"}, {"description", "also the ETag, quoted"}}}}}}},
        {"LaunchEvent",
         {{"type", "object"},
          {"required", {"event_id", "kid_id", "app", "started_at", "seconds"}},
          {"properties",
           {{"event_id", {{"type", "string"}, {"maxLength", 128}}},
            {"kid_id", str},
            {"app", {{"type", "string"}, {"description", "a catalog slug"}}},
            {"started_at", {{"type", "string"}, {"format", "date-time"}}},
            {"seconds", {{"type", "integer"}, {"minimum", 0}, {"maximum", 86400}}}}}}},
        {"LaunchReport",
         {{"type", "object"},
          {"properties",
           {{"recorded", integer},
            {"duplicates", {{"type", "integer"}, {"description", "event_ids already recorded"}}},
            {"rejected",
             {{"type", "array"},
              {"items",
               {{"type", "object"},
                {"properties", {{"index", integer}, {"field", str}, {"message", str}}}}}}}}}}},
        {"Recommendations",
         {{"type", "object"},
          {"properties",
           {{"kid_id", str},
            {"age_band", str},
            {"apps",
             {{"type", "array"},
              {"items",
               {{"type", "object"},
                {"properties",
                 {{"slug", str},
                  {"title", str},
                  {"icon_url", str},
                  {"approved", {{"type", "boolean"}}},
                  {"rating", {{"type", "number"}}},
                  {"launches", integer}}}}}}}}}}},
        {"Export",
         {{"type", "object"},
          {"description",
           "family, kids, sandboxes, devices, launches, referrals (no token or address hashes)"}}},
    };
}

}  // namespace

void add_openapi_paths(json& document) {
    json& paths = document["paths"];
    json kid_id = json::array({families_path_id("kid_id")});
    json family_id = json::array({families_path_id("family_id")});

    paths["/families"]["post"] = families_op(
        "createFamily", "Create the family with this email, or return the one that has it", false,
        {{"200", families_ok("The family that already had this email", "FamilyAnswer")},
         {"201", families_ok("A new family", "FamilyAnswer")},
         {"409", families_error("A request with this Idempotency-Key is still being answered; "
                                "see Retry-After")},
         {"422", families_error("The Idempotency-Key was used with another body")}});
    paths["/families"]["post"]["parameters"] =
        json::array({{{"name", "Idempotency-Key"},
                      {"in", "header"},
                      {"required", false},
                      {"description", "a retry with the same key within 24 h gets the same answer"},
                      {"schema", {{"type", "string"}, {"maxLength", 200}}}}});
    paths["/families"]["post"]["requestBody"] = families_body(
        {{"type", "object"},
         {"required", {"email", "name"}},
         {"properties",
          {{"email", {{"type", "string"}, {"format", "email"}}}, {"name", {{"type", "string"}}}}}});

    paths["/devices"]["post"] = families_op(
        "registerDevice", "Register a device (again: same device, new token)", false,
        {{"200",
          families_ok("The device was registered before; its old token is void", "Registered")},
         {"201", families_ok("A new device", "Registered")},
         {"404", families_error("No such family")}});
    paths["/devices"]["post"]["requestBody"] =
        families_body({{"type", "object"},
                       {"required", {"family_id", "device_id"}},
                       {"properties",
                        {{"family_id", {{"type", "string"}}},
                         {"device_id", {{"type", "string"}, {"maxLength", 128}}},
                         {"model", {{"type", "string"}, {"maxLength", 128}}}}}});

    json& kids = paths["/families/{family_id}/kids"];
    kids["parameters"] = family_id;
    kids["get"] = families_op("listKids", "The family's kids", true,
                              {{"200", families_ok("The kids", "KidList")}});
    kids["post"] = families_op("addKid", "Add a kid (first name or nickname, birth year)", true,
                               {{"201", families_ok("The new kid", "Kid")}});
    kids["post"]["requestBody"] =
        families_body({{"type", "object"},
                       {"required", {"name", "birth_year"}},
                       {"properties",
                        {{"name", {{"type", "string"}, {"maxLength", 40}}},
                         {"birth_year", {{"type", "integer"}}}}}});

    json& kid = paths["/kids/{kid_id}"];
    kid["parameters"] = kid_id;
    kid["patch"] = families_op("updateKid", "Change a kid's name or birth year", true,
                               {{"200", families_ok("The kid", "Kid")}});
    kid["patch"]["requestBody"] =
        families_body({{"type", "object"},
                       {"properties",
                        {{"name", {{"type", "string"}, {"maxLength", 40}}},
                         {"birth_year", {{"type", "integer"}}}}}});
    kid["delete"] = families_op("deleteKid", "Delete a kid and its sandbox", true,
                                {{"204", {{"description", "Deleted"}}}});

    json& box = paths["/kids/{kid_id}/sandbox"];
    box["parameters"] = kid_id;
    box["get"] = families_op("getSandbox", "The apps the kid may open (ETag: the version)", true,
                             {{"200", families_ok("The sandbox", "Sandbox")},
                              {"304", {{"description", "If-None-Match names the current ETag"}}}});
    box["put"] = families_op(
        "putSandbox", "Replace the apps, if the sandbox is still the version read", true,
        {{"200", families_ok("The new sandbox", "Sandbox")},
         {"412", families_error("If-Match names an older version: read again, merge, retry")},
         {"428", families_error("If-Match is missing")}});
    box["put"]["parameters"] =
        json::array({{{"name", "If-Match"},
                      {"in", "header"},
                      {"required", true},
                      {"schema", {{"type", "string"}}},
                      {"description", "the ETag read (\"3\"), or * to write over any version"}}});
    json slugs = {
        {"type", "array"}, {"items", {{"type", "string"}}}, {"maxItems", kMaxSandboxApps}};
    box["put"]["requestBody"] = families_body(
        {{"type", "object"}, {"required", {"apps"}}, {"properties", {{"apps", slugs}}}});

    paths["/launches"]["post"] = families_op(
        "recordLaunches",
        "Record launch events; each event_id once per family; bad events named by index, the "
        "others kept",
        true, {{"200", families_ok("What was recorded", "LaunchReport")}});
    paths["/launches"]["post"]["requestBody"] =
        families_body({{"type", "object"},
                       {"required", {"events"}},
                       {"properties",
                        {{"events",
                          {{"type", "array"},
                           {"items", families_ref("LaunchEvent")},
                           {"maxItems", kMaxLaunchBatch}}}}}});

    json& recs = paths["/kids/{kid_id}/recommendations"];
    recs["parameters"] = kid_id;
    recs["get"] =
        families_op("recommendApps",
                    "Apps for the kid's age band not in its sandbox: APProved, launches, rating",
                    true, {{"200", families_ok("The apps", "Recommendations")}});
    recs["get"]["parameters"] = json::array(
        {{{"name", "limit"},
          {"in", "query"},
          {"required", false},
          {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 50}, {"default", 10}}}}});

    json& exp = paths["/families/{family_id}/export"];
    exp["parameters"] = family_id;
    exp["get"] = families_op("exportFamily", "All of the family's data", true,
                             {{"200", families_ok("The data", "Export")}});

    json& components = document["components"];
    const json schemas = families_schemas();
    for (const auto& [name, schema] : schemas.items()) components["schemas"][name] = schema;
    components["securitySchemes"]["ApiKey"] = {
        {"type", "apiKey"}, {"in", "header"}, {"name", "X-Api-Key"}};
    components["securitySchemes"]["DeviceToken"] = {{"type", "http"}, {"scheme", "bearer"}};
}

}  // namespace famigo::apps::families
