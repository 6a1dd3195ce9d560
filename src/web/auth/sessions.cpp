#include "web/auth/sessions.hpp"

#include "web/security/crypto.hpp"

namespace famigo::web::auth {
namespace {

bool is_session_id(std::string_view id) {
    if (id.size() != Sessions::kIdLength) return false;
    for (char c : id)
        if (security::kAlphanumeric.find(c) == std::string_view::npos) return false;
    return true;
}

}  // namespace

std::string new_session_id() {
    return security::random_string(Sessions::kIdLength, security::kAlphanumeric);
}

const nlohmann::json* Session::find(std::string_view key) const {
    auto it = data_.find(key);
    return it == data_.end() ? nullptr : &*it;
}

void Session::set(const std::string& key, nlohmann::json value) {
    data_[key] = std::move(value);
    modified_ = true;
}

void Session::erase(const std::string& key) {
    if (data_.erase(key) > 0) modified_ = true;
}

Sessions::Sessions(SessionStore& store, security::Signer signer, SessionOptions options,
                   security::CookieOptions cookie)
    : store_(store), signer_(signer), options_(std::move(options)), cookie_(std::move(cookie)) {
    cookie_.max_age = options_.age.count();
}

Session Sessions::load(const http::Request& request) const {
    auto cookie = security::find_cookie(request, options_.cookie_name);
    if (!cookie) return Session();
    return load_cookie(*cookie);
}

Session Sessions::load_cookie(std::string_view cookie_value) const {
    Session session;
    session.had_cookie_ = true;
    auto id = signer_.unsign(cookie_value);
    if (!id || !is_session_id(*id)) return session;  // tampered or malformed: a fresh one
    auto data = store_.load(*id);
    if (!data) return session;  // unknown or expired
    session.id_ = std::move(*id);
    session.data_ = std::move(*data);
    session.from_cookie_ = true;
    return session;
}

void Sessions::cycle_id(Session& session) const {
    if (!session.id_.empty()) store_.remove(session.id_);
    session.id_ = new_session_id();
    session.modified_ = true;
}

void Sessions::flush(Session& session) const {
    if (!session.id_.empty()) store_.remove(session.id_);
    session.id_.clear();
    session.data_ = nlohmann::json::object();
    session.modified_ = false;
    session.flushed_ = true;
}

void Sessions::save(Session& session, http::Response& response) const {
    if (session.modified_ && session.data_.empty()) {
        flush(session);
    }
    if (session.flushed_ && !session.modified_) {
        if (session.had_cookie_)
            security::replace_set_cookie(
                response, options_.cookie_name,
                security::delete_cookie_value(options_.cookie_name, cookie_));
        session.had_cookie_ = false;
        session.flushed_ = false;
        return;
    }
    if (!session.modified_) return;
    if (session.id_.empty()) session.id_ = new_session_id();
    store_.save(session.id_, session.data_);
    security::replace_set_cookie(
        response, options_.cookie_name,
        security::set_cookie_value(options_.cookie_name, cookie_value(session.id_), cookie_));
    session.modified_ = false;
    session.flushed_ = false;
    session.had_cookie_ = true;
}

}  // namespace famigo::web::auth
