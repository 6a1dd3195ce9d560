#include "web/security/form_data.hpp"

#include "core/encoding.hpp"
#include "core/strings.hpp"

namespace famigo::web::security {
namespace {

constexpr size_t kMaxPartHeaderBytes = 8192;
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid
// (overlong forms, surrogates and code points past U+10FFFF included).
size_t utf8_sequence_length(std::string_view s, size_t i) {
    auto byte = [&](size_t k) { return std::uint8_t(s[k]); };
    std::uint8_t c = byte(i);
    if (c < 0x80) return 1;
    size_t n;
    std::uint8_t lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else
        return 0;
    if (i + n > s.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    return n;
}

class Budget {
  public:
    explicit Budget(const FormLimits& limits) : limits_(limits) {}
    void field(size_t value_bytes) {
        count();
        memory_ += value_bytes;
        if (memory_ > limits_.max_memory)
            throw BadForm(413,
                          "form values exceed " + std::to_string(limits_.max_memory) + " bytes");
    }
    void file(size_t bytes) {
        count();
        uploads_ += bytes;
        if (uploads_ > limits_.max_upload_bytes)
            throw BadForm(413, "uploaded files exceed " + std::to_string(limits_.max_upload_bytes) +
                                   " bytes");
    }

  private:
    void count() {
        if (++fields_ > limits_.max_fields)
            throw BadForm(400, "more than " + std::to_string(limits_.max_fields) + " form fields");
    }
    const FormLimits& limits_;
    size_t fields_ = 0, memory_ = 0, uploads_ = 0;
};

std::string decode_component(std::string_view raw) {
    std::string plus(raw);
    for (auto& c : plus)
        if (c == '+') c = ' ';
    std::string decoded;
    if (!encoding::percent_decode(plus, decoded))
        throw BadForm(400, "form data has a malformed %-escape or a NUL byte");
    return sanitize_utf8(decoded);
}

// The base name of a client path ("C:\\x\\cv.pdf", "../../cv.pdf" -> "cv.pdf").
std::string base_name(std::string_view path) {
    size_t cut = path.find_last_of("/\\");
    if (cut != std::string_view::npos) path = path.substr(cut + 1);
    if (path == "." || path == "..") return {};
    return sanitize_utf8(path);
}

struct PartHead {
    std::optional<std::string> name;
    std::optional<std::string> filename;
    std::string content_type;
};

PartHead parse_part_head(std::string_view head) {
    PartHead part;
    while (!head.empty()) {
        size_t eol = head.find("\r\n");
        std::string_view line = head.substr(0, eol);
        head = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
        size_t colon = line.find(':');
        if (colon == std::string_view::npos) throw BadForm(400, "malformed multipart part header");
        std::string_view name = strings::trim(line.substr(0, colon));
        std::string_view value = strings::trim(line.substr(colon + 1));
        if (strings::iequals(name, "content-disposition")) {
            if (!strings::istarts_with(value, "form-data")) continue;
            part.name = header_parameter(value, "name");
            part.filename = header_parameter(value, "filename");
        } else if (strings::iequals(name, "content-type")) {
            part.content_type = std::string(value);
        }
    }
    return part;
}

}  // namespace

std::optional<std::string_view> FormData::get(std::string_view name) const {
    for (auto it = fields_.rbegin(); it != fields_.rend(); ++it)
        if (it->first == name) return it->second;
    return std::nullopt;
}

std::vector<std::string_view> FormData::get_all(std::string_view name) const {
    std::vector<std::string_view> out;
    for (const auto& [key, value] : fields_)
        if (key == name) out.push_back(value);
    return out;
}

const UploadedFile* FormData::file(std::string_view name) const {
    for (const auto& f : files_)
        if (f.field == name) return &f;
    return nullptr;
}

std::string sanitize_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        size_t n = utf8_sequence_length(text, i);
        if (n == 0) {
            out += kReplacement;
            ++i;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::optional<std::string> header_parameter(std::string_view header_value, std::string_view name) {
    size_t i = header_value.find(';');
    while (i != std::string_view::npos && i < header_value.size()) {
        ++i;  // past ';'
        while (i < header_value.size() && (header_value[i] == ' ' || header_value[i] == '\t')) ++i;
        size_t eq = header_value.find('=', i);
        if (eq == std::string_view::npos) return std::nullopt;
        std::string_view key = strings::trim(header_value.substr(i, eq - i));
        std::string value;
        size_t j = eq + 1;
        if (j < header_value.size() && header_value[j] == '"') {
            // Quoted, without backslash escapes: browsers send '"' as %22 and
            // Windows paths with raw backslashes (HTML's rules, RFC 7578 4.2).
            for (++j; j < header_value.size() && header_value[j] != '"'; ++j)
                value += header_value[j];
            if (j < header_value.size()) ++j;  // past the closing quote
            i = header_value.find(';', j);
        } else {
            size_t end = header_value.find(';', j);
            value = std::string(strings::trim(header_value.substr(j, end - j)));
            i = end;
        }
        if (strings::iequals(key, name)) return value;
    }
    return std::nullopt;
}

FormData parse_urlencoded(std::string_view body, const FormLimits& limits) {
    FormData form;
    Budget budget(limits);
    while (!body.empty()) {
        size_t amp = body.find('&');
        std::string_view piece = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
        if (piece.empty()) continue;
        size_t eq = piece.find('=');
        std::string_view raw_name = piece.substr(0, eq);
        std::string_view raw_value =
            eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
        budget.field(piece.size());
        form.add(decode_component(raw_name), decode_component(raw_value));
    }
    return form;
}

FormData parse_multipart(std::string_view body, std::string_view boundary,
                         const FormLimits& limits) {
    if (boundary.empty() || boundary.size() > 200)
        throw BadForm(400, "multipart boundary missing or too long");
    std::string delimiter = "--";
    delimiter += boundary;
    // The first delimiter may open the body or follow a preamble line.
    size_t pos;
    if (body.starts_with(delimiter)) {
        pos = delimiter.size();
    } else {
        size_t found = body.find("\r\n" + delimiter);
        if (found == std::string_view::npos) throw BadForm(400, "multipart body has no boundary");
        pos = found + 2 + delimiter.size();
    }
    std::string next_delimiter = "\r\n" + delimiter;
    FormData form;
    Budget budget(limits);
    for (;;) {
        if (body.substr(pos, 2) == "--") return form;  // the closing delimiter
        // Transport padding (spaces, tabs) may follow a delimiter before its CRLF.
        while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
        if (body.substr(pos, 2) != "\r\n") throw BadForm(400, "malformed multipart delimiter");
        pos += 2;
        size_t head_end = body.find("\r\n\r\n", pos);
        if (head_end == std::string_view::npos && body.substr(pos, 2) != "\r\n")
            throw BadForm(400, "multipart part without a header end");
        std::string_view head;
        size_t content_start;
        if (body.substr(pos, 2) == "\r\n") {  // a part with no headers at all
            content_start = pos + 2;
        } else {
            if (head_end - pos > kMaxPartHeaderBytes)
                throw BadForm(400, "multipart part headers too large");
            head = body.substr(pos, head_end - pos);
            content_start = head_end + 4;
        }
        size_t content_end = body.find(next_delimiter, content_start);
        if (content_end == std::string_view::npos)
            throw BadForm(400, "multipart body ends inside a part");
        std::string_view content = body.substr(content_start, content_end - content_start);
        pos = content_end + next_delimiter.size();

        PartHead part = parse_part_head(head);
        if (!part.name) continue;  // not a form field: ignored, as browsers never send it
        if (part.filename) {
            std::string filename = base_name(*part.filename);
            if (filename.empty() && content.empty()) continue;  // an empty file input
            budget.file(content.size());
            form.add_file({sanitize_utf8(*part.name), std::move(filename),
                           std::move(part.content_type), content});
        } else {
            budget.field(content.size());
            form.add(sanitize_utf8(*part.name), sanitize_utf8(content));
        }
    }
}

FormData parse_form(const http::Request& request, const FormLimits& limits) {
    auto type = request.header("Content-Type");
    if (!type) return {};
    std::string_view mime = strings::trim(type->substr(0, type->find(';')));
    if (strings::iequals(mime, "application/x-www-form-urlencoded"))
        return parse_urlencoded(request.body, limits);
    if (strings::iequals(mime, "multipart/form-data")) {
        auto boundary = header_parameter(*type, "boundary");
        if (!boundary) throw BadForm(400, "multipart/form-data without a boundary");
        return parse_multipart(request.body, *boundary, limits);
    }
    return {};
}

}  // namespace famigo::web::security
