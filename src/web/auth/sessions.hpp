// Sessions, as Django's: a random 32-character id in the `sessionid` cookie
// (signed with security.secret_key under the salt "sessions", HttpOnly,
// SameSite and Secure from the security keys), the data as a JSON object in a
// SessionStore. A session is written, and the cookie set, only when it was
// modified; a bad signature or an unknown or expired id is a fresh empty
// session; cycle_id() gives the data a new id and deletes the old one (at
// login, against session fixation); flush() deletes it and expires the cookie
// (at logout).
//
//   Session session = sessions.load(request);
//   session.set("cart", 3);
//   sessions.save(session, response);   // stores it, sets the cookie
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "http/request.hpp"
#include "http/response.hpp"
#include "web/auth/options.hpp"
#include "web/auth/session_stores.hpp"
#include "web/security/cookies.hpp"
#include "web/security/signing.hpp"

namespace famigo::web::auth {

class Session {
  public:
    // Empty for a session that has never been stored.
    const std::string& id() const { return id_; }
    const nlohmann::json& data() const { return data_; }
    const nlohmann::json* find(std::string_view key) const;
    void set(const std::string& key, nlohmann::json value);
    void erase(const std::string& key);
    bool empty() const { return data_.empty(); }
    bool modified() const { return modified_; }
    // True when it came from the client's cookie (its answer depends on the cookie).
    bool from_cookie() const { return from_cookie_; }

  private:
    friend class Sessions;
    std::string id_;
    nlohmann::json data_ = nlohmann::json::object();
    bool modified_ = false;
    bool from_cookie_ = false;  // the request carried a valid cookie for a live session
    bool had_cookie_ = false;   // the request carried our cookie at all
    bool flushed_ = false;
};

class Sessions {
  public:
    Sessions(SessionStore& store, security::Signer signer, SessionOptions options,
             security::CookieOptions cookie);

    // The session named by the request's cookie, or a fresh empty one.
    Session load(const http::Request& request) const;
    Session load_cookie(std::string_view cookie_value) const;
    // The same data under a new id; the old id is deleted from the store.
    void cycle_id(Session& session) const;
    // Deletes the session and empties it; save() then expires the cookie.
    void flush(Session& session) const;
    // Writes a modified session and sets its cookie (a new id for a new
    // session); a modified session left empty is deleted, as after flush().
    void save(Session& session, http::Response& response) const;

    // "<id>:<signature>", what the cookie holds.
    std::string cookie_value(std::string_view id) const { return signer_.sign(id); }
    const SessionOptions& options() const { return options_; }
    SessionStore& store() const { return store_; }

    static constexpr std::size_t kIdLength = 32;

  private:
    SessionStore& store_;
    security::Signer signer_;
    SessionOptions options_;
    security::CookieOptions cookie_;
};

// A fresh session id: 32 random letters and digits (about 190 bits).
std::string new_session_id();

}  // namespace famigo::web::auth
