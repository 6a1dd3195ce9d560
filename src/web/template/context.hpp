// Per-render state: the variable stack a template sees (Django's Context) and
// the per-template bookkeeping Django keeps in its render_context (cycle
// positions, the block inheritance chain). One Context lives on the stack of
// one render call; compiled templates are never written to, which is what
// makes rendering a shared template from many threads safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "web/template/value.hpp"

namespace famigo::web::tmpl {

class Engine;
class Template;
class BlockNode;
class Context;

// The `forloop` variable. parent is null at the outermost loop, where Django's
// forloop.parentloop is an empty dict.
struct LoopState {
    std::int64_t counter0 = 0;
    std::int64_t length = 0;
    std::shared_ptr<const LoopState> parent;
};

// The `block` variable inside {% block %}; block.super renders the parent's
// version of the same block.
struct BlockRef {
    const BlockNode* node = nullptr;
    Context* context = nullptr;  // null outside inheritance, where block.super is an error
};
Value render_block_super(const BlockRef& ref);

// Django's BlockContext: for each block name the chain of overriding blocks,
// root template first, most derived last.
struct BlockChain {
    std::unordered_map<std::string_view, std::vector<const BlockNode*>> blocks;
};

// Django's render_context for one template render (include starts a new one,
// extends shares its child's).
struct RenderState {
    std::unordered_map<const void*, std::size_t> cycle_positions;
    BlockChain* block_chain = nullptr;
    const Template* template_ = nullptr;
};

class Context {
  public:
    Context(const Engine& engine, const Json* root, const Object* root_object, bool autoescape);
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    // Django's lookup of the first name in a variable: innermost frame first,
    // then the root JSON object and host object, then True/False/None.
    Value lookup(std::string_view name) const;
    bool contains(std::string_view name) const;

    // barrier: the new frame hides every outer frame and the root, as
    // Django's context.new() does for {% include ... only %}.
    void push(bool barrier = false);
    void pop();
    void set(std::string_view name, Value v);         // in the innermost frame
    void set_upward(std::string_view name, Value v);  // where the name already lives

    const Engine& engine() const { return engine_; }
    bool autoescape = true;
    RenderState* state = nullptr;
    int include_depth = 0;

    // Counts loop iterations and includes against the engine's budget; throws
    // a TemplateError (naming `where`) when a hostile template exceeds it.
    void step(const Template* where, int line);
    // Included templates stay alive until the outermost render returns, so
    // borrowed strings that escape an include stay valid.
    void keep(std::shared_ptr<const Template> t) { kept_.push_back(std::move(t)); }

  private:
    struct Entry {
        std::string_view name;
        Value value;
    };
    struct Frame {
        std::uint32_t start;
        std::uint32_t saved_floor;
        bool saved_root_visible;
    };

    const Engine& engine_;
    const Json* root_;
    const Object* root_object_;
    std::vector<Entry> vars_;
    std::vector<Frame> frames_;
    std::uint32_t floor_ = 0;  // entries below this are hidden by a barrier
    bool root_visible_ = true;
    std::uint64_t steps_ = 0;
    std::uint64_t step_limit_ = 0;
    std::vector<std::shared_ptr<const Template>> kept_;
};

// RAII frame push, popped on scope exit even when rendering throws.
class FrameGuard {
  public:
    explicit FrameGuard(Context& c, bool barrier = false) : c_(c) { c_.push(barrier); }
    ~FrameGuard() { c_.pop(); }
    FrameGuard(const FrameGuard&) = delete;
    FrameGuard& operator=(const FrameGuard&) = delete;

  private:
    Context& c_;
};

}  // namespace famigo::web::tmpl
