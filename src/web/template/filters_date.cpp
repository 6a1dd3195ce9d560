// Date filters over ISO 8601 strings: date, time, timesince, timeuntil.
#include "web/template/dateformat.hpp"
#include "web/template/filter_util.hpp"

namespace famigo::web::tmpl {

using namespace filters;

namespace {

bool empty_value(const Value& v) {
    return v.is_none() || (v.is_string() && v.as_string().empty());
}

Value since(const Value& v, const Value* arg, bool reversed) {
    if (!v.truthy()) return Value::borrowed("");
    auto d = to_datetime(v);
    if (!d) return Value::borrowed("");
    DateTime now = now_utc();
    if (arg && arg->truthy()) {
        auto a = to_datetime(*arg);
        if (!a) return Value::borrowed("");
        now = *a;
    }
    return Value::string(timesince(*d, now, reversed));
}

}  // namespace

void register_date_filters(Library& lib) {
    lib.add_filter("date", spec(
                               [](const Value& v, const Value* arg, FilterEnv&) {
                                   if (empty_value(v)) return Value::borrowed("");
                                   auto dt = to_datetime(v);
                                   if (!dt) return Value::borrowed("");
                                   std::string f =
                                       arg && arg->truthy() ? arg->str() : "DATE_FORMAT";
                                   return Value::string(format_datetime(*dt, named_format(f)));
                               },
                               kOptArg, false, false));
    lib.add_filter("time",
                   spec(
                       [](const Value& v, const Value* arg, FilterEnv&) {
                           if (empty_value(v)) return Value::borrowed("");
                           auto dt = to_datetime(v);
                           if (!dt || !dt->has_time) return Value::borrowed("");
                           std::string f = arg && arg->truthy() ? arg->str() : "TIME_FORMAT";
                           return Value::string(format_time(*dt, named_format(f)).value_or(""));
                       },
                       kOptArg, false, false));
    lib.add_filter("timesince", spec([](const Value& v, const Value* arg,
                                        FilterEnv&) { return since(v, arg, false); },
                                     kOptArg, false, false));
    lib.add_filter("timeuntil", spec([](const Value& v, const Value* arg,
                                        FilterEnv&) { return since(v, arg, true); },
                                     kOptArg, false, false));
}

}  // namespace famigo::web::tmpl
