// MD5, only for Django-compatible cache keys ({% cache %} fragment keys are
// "template.cache.<name>.<md5 hex>"). Not for anything security related.
#pragma once

#include <string>
#include <string_view>

namespace famigo::web::tmpl {

std::string md5_hex(std::string_view data);

}  // namespace famigo::web::tmpl
