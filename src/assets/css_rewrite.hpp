// Finds and rewrites the references inside a CSS file: url(...) in any form
// (unquoted, '...' or "...") and @import "...". collectstatic uses it to point
// references at fingerprinted names, so a stylesheet cached for a year never
// refers to an image that has since changed. Comments and other strings are
// skipped; references with CSS escapes are left alone.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace famigo::assets {

// Called with each reference as written (quotes removed); returns the text to
// put in its place, or nullopt to keep it.
using ReferenceRewriter = std::function<std::optional<std::string>(std::string_view reference)>;

std::string rewrite_css(std::string_view css, const ReferenceRewriter& rewrite);

// The logical name a reference in the CSS file `css_name` points to, or nullopt
// when it points nowhere we own: data:, http(s):, any other scheme, "//host",
// "#fragment", an absolute path outside `static_url`, or above the static root.
// Query and fragment suffixes are dropped; percent escapes are decoded.
std::optional<std::string> reference_target(std::string_view css_name, std::string_view reference,
                                            std::string_view static_url);

// The reference with `.<first 12 hex>` inserted before the extension of its
// last path segment, keeping the author's directory form and any ?query/#frag.
std::string fingerprint_reference(std::string_view reference, std::string_view hash_hex);

}  // namespace famigo::assets
