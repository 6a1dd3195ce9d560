// libFuzzer target for the parsers of untrusted input in the web security layer:
// the Cookie header, urlencoded and multipart form bodies (small limits, so
// limit paths are reached), header parameters, CSRF tokens, signed values and
// stored password hashes. The first byte picks the parser; any exception other
// than BadForm, any crash or sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "web/security/cookies.hpp"
#include "web/security/csrf.hpp"
#include "web/security/form_data.hpp"
#include "web/security/messages.hpp"
#include "web/security/passwords.hpp"
#include "web/security/signing.hpp"

using namespace famigo::web::security;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t selector = data[0];
    std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    static const FormLimits limits{.max_fields = 50, .max_memory = 2048, .max_upload_bytes = 2048};
    try {
        switch (selector % 6) {
            case 0: {
                (void)parse_cookie_header(input);
                famigo::http::Request request;
                request.add_header("Cookie", input);
                (void)find_cookie(request, "csrftoken");
                break;
            }
            case 1:
                (void)parse_urlencoded(input, limits);
                break;
            case 2: {
                // "boundary\n body": the boundary comes from the input too.
                size_t newline = input.find('\n');
                std::string_view boundary = input.substr(0, newline);
                std::string_view body = newline == std::string_view::npos
                                            ? std::string_view()
                                            : input.substr(newline + 1);
                FormData form = parse_multipart(body, boundary, limits);
                for (const auto& file : form.files()) (void)file.data.size();
                break;
            }
            case 3:
                (void)header_parameter(input, "name");
                (void)header_parameter(input, "boundary");
                (void)sanitize_utf8(input);
                break;
            case 4: {
                (void)csrf_secret_of(input);
                static const Signer signer("fuzz-key", "fuzz");
                (void)signer.unsign(input);
                (void)signer.unsign_timestamped(input, 3600, 1'800'000'000);
                SecurityOptions options;
                options.secret_key = "fuzz-key";
                static const Messages messages(options);
                (void)messages.decode(input);
                break;
            }
            case 5: {
                // Legacy formats only: Argon2id verification is slow by design.
                static const PasswordHasher hasher(1, 8192);
                if (!input.starts_with("argon2") && !input.starts_with("$argon2") &&
                    input.find("pbkdf2") == std::string_view::npos)
                    (void)hasher.verify("password", input);
                break;
            }
        }
    } catch (const BadForm&) {
        // The expected answer to a malformed or over-limit body: a 4xx.
    }
    return 0;
}
