#include "apps/families/models.hpp"

#include <ctime>

#include "web/security/crypto.hpp"

namespace famigo::apps::families {

std::string age_band(int birth_year, int year) {
    const int age = year - birth_year;
    if (age <= 5) return kAgeBands[0];
    if (age <= 8) return kAgeBands[1];
    if (age <= 12) return kAgeBands[2];
    return kAgeBands[3];
}

int current_year() {
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
    gmtime_r(&now, &parts);
    return parts.tm_year + 1900;
}

std::string new_public_id() {
    return web::security::base64url_encode(web::security::random_bytes(16));
}

void register_models(docstore::ModelRegistry& registry) {
    registry.add<Family>()
        .add<Kid>()
        .add<Sandbox>()
        .add<Device>()
        .add<Launch>()
        .add<LaunchCount>()
        .add<ApiKey>()
        .add<Referral>()
        .add<IdempotentAnswer>();
}

}  // namespace famigo::apps::families
