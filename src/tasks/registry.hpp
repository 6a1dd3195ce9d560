// The task registry: task names mapped to C++ functions. A handler takes the
// task's JSON args and kwargs and returns a JSON result; add_typed() binds a
// function with typed parameters, each taken from args by position or from
// kwargs by name, so a task body never parses JSON itself. Arguments of the
// wrong shape throw BadArguments, which the worker treats as permanent (no
// retry: the same arguments would fail again). A worker runs only the names
// registered here.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "tasks/broker.hpp"

namespace famigo::tasks {

class BadArguments : public Error {
  public:
    using Error::Error;
};

// Thrown by a task for a failure that retrying cannot fix: straight to the
// dead-letter queue.
class PermanentFailure : public Error {
  public:
    using Error::Error;
};

namespace detail {

template <class T>
T argument(const Json& args, const Json& kwargs, std::size_t index, std::string_view name) {
    const Json* value = nullptr;
    if (index < args.size()) {
        value = &args[index];
    } else if (auto it = kwargs.find(std::string(name)); it != kwargs.end()) {
        value = &*it;
    }
    if (!value) throw BadArguments("missing argument '" + std::string(name) + "'");
    bool fits;
    if constexpr (std::is_same_v<T, bool>) {
        fits = value->is_boolean();
    } else if constexpr (std::is_integral_v<T>) {
        fits = value->is_number_integer();
    } else if constexpr (std::is_floating_point_v<T>) {
        fits = value->is_number();
    } else if constexpr (std::is_same_v<T, std::string>) {
        fits = value->is_string();
    } else {
        fits = true;  // Json: anything
    }
    if (!fits)
        throw BadArguments("argument '" + std::string(name) + "' has the wrong type (" +
                           value->type_name() + ")");
    return value->get<T>();
}

}  // namespace detail

class Registry {
  public:
    using Handler = std::function<Json(const Json& args, const Json& kwargs)>;

    void add(std::string name, Handler handler);

    // add_typed<R, A...>("famigo.add", {"x", "y"}, [](long x, long y) { return x + y; })
    template <class R, class... A, class F>
    void add_typed(std::string name, std::array<std::string_view, sizeof...(A)> params,
                   F function) {
        add(std::move(name), [params, function](const Json& args, const Json& kwargs) -> Json {
            if (args.size() > sizeof...(A)) throw BadArguments("too many arguments");
            for (auto it = kwargs.begin(); it != kwargs.end(); ++it) {
                bool known = false;
                for (auto p : params) known = known || p == it.key();
                if (!known) throw BadArguments("unexpected argument '" + it.key() + "'");
            }
            return call<R, A...>(function, args, kwargs, params, std::index_sequence_for<A...>{});
        });
    }

    const Handler* find(std::string_view name) const;
    std::vector<std::string> names() const;

  private:
    template <class R, class... A, class F, std::size_t... I>
    static Json call(const F& function, const Json& args, const Json& kwargs,
                     const std::array<std::string_view, sizeof...(A)>& params,
                     std::index_sequence<I...>) {
        if constexpr (std::is_void_v<R>) {
            function(detail::argument<std::decay_t<A>>(args, kwargs, I, params[I])...);
            return nullptr;
        } else {
            return Json(function(detail::argument<std::decay_t<A>>(args, kwargs, I, params[I])...));
        }
    }

    std::map<std::string, Handler, std::less<>> handlers_;
};

// famigo.ping (returns its argument) and famigo.add (returns x + y): for
// checking a deployment and Celery interoperation end to end; famigo.sleep
// (sleeps `seconds`, at most 600, and returns them): for shutdown drills.
void register_builtin_tasks(Registry& registry);

}  // namespace famigo::tasks
