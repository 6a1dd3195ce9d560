#include "tasks/registry.hpp"

#include <thread>

namespace famigo::tasks {

void Registry::add(std::string name, Handler handler) {
    check_name("task name", name);
    handlers_[std::move(name)] = std::move(handler);
}

const Registry::Handler* Registry::find(std::string_view name) const {
    auto it = handlers_.find(name);
    return it == handlers_.end() ? nullptr : &it->second;
}

std::vector<std::string> Registry::names() const {
    std::vector<std::string> out;
    for (const auto& [name, handler] : handlers_) out.push_back(name);
    return out;
}

void register_builtin_tasks(Registry& registry) {
    registry.add_typed<Json, Json>("famigo.ping", {"value"}, [](Json value) { return value; });
    registry.add_typed<Json, Json, Json>("famigo.add", {"x", "y"}, [](Json x, Json y) -> Json {
        if (!x.is_number() || !y.is_number()) throw BadArguments("famigo.add takes two numbers");
        if (x.is_number_integer() && y.is_number_integer())
            return x.get<std::int64_t>() + y.get<std::int64_t>();
        return x.get<double>() + y.get<double>();
    });
    // Sleeps, then returns its argument: for drills of shutdown and leases.
    registry.add_typed<double, double>("famigo.sleep", {"seconds"}, [](double seconds) {
        if (seconds < 0 || seconds > 600) throw BadArguments("famigo.sleep takes 0 to 600 seconds");
        std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
        return seconds;
    });
}

}  // namespace famigo::tasks
