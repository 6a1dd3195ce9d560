"""Cases for variables, lookups, autoescaping and every supported tag."""


def add_tag_cases(case):
    # --- variables and lookups -------------------------------------------
    case("var_plain", "Hello {{ name }}!", {"name": "Ann"})
    case("var_missing", "[{{ missing }}][{{ missing.deeper }}]")
    case("var_dict_attr_index", "{{ a.b.0 }}|{{ a.b.1.c }}|{{ a.b.5 }}",
         {"a": {"b": [10, {"c": "deep"}]}})
    case("var_str_index", "{{ s.0 }}{{ s.2 }}", {"s": "hello"})
    case("var_numeric_key", "{{ d.1 }}", {"d": {"1": "one"}})
    case("var_types", "{{ i }} {{ f }} {{ t }} {{ fa }} {{ n }} {{ big }} {{ small }}",
         {"i": 42, "f": 3.5, "t": True, "fa": False, "n": None, "big": 1e16, "small": 0.00001})
    case("var_float_repr", "{{ a }} {{ b }} {{ c }} {{ d }}",
         {"a": 0.1, "b": 2.0, "c": -1.25, "d": 123456789.125})
    case("var_list_repr", "{{ l }}", {"l": ["a", 1, None, True, 2.5, "it's", {"k": "v"}]})
    case("var_dict_repr", "{{ d }}", {"d": {"b": [1, 2], "a": "x"}})
    case("var_literals", "{{ \"lit<b>\" }} {{ 'single' }} {{ 12 }} {{ 1.5 }} {{ -3 }}")
    case("var_builtins", "{{ True }} {{ False }} {{ None }}")
    case("var_dict_items", "{% for k, v in d.items %}{{ k }}={{ v }};{% endfor %}",
         {"d": {"x": 1, "y": 2}})
    case("var_dict_keys_values", "{% for k in d.keys %}{{ k }}{% endfor %}-{% for v in d.values %}{{ v }}{% endfor %}",
         {"d": {"x": 1, "y": 2}})
    case("var_key_shadows_method", "{{ d.items }}", {"d": {"items": "mine"}})
    case("var_unicode", "{{ s }} {{ s.1 }}", {"s": "héllo wörld ✓"})
    case("var_whitespace_tag", "{{name}}{{   name   }}", {"name": "x"})
    case("var_not_a_tag", "{ {name} } {{ name } {% x", {"name": "n"})
    case("var_multiline_not_tag", "{{ a\n}} {% if\n %}", {"a": 1})
    case("var_underscore_error", "{{ _private }}")
    case("var_empty_error", "{{ }}")
    case("var_bad_remainder", "{{ a b }}")

    # --- autoescape ------------------------------------------------------
    case("escape_default", "{{ s }}", {"s": "<a href=\"x\">Tom & 'Jerry'</a>"})
    case("autoescape_off", "{% autoescape off %}{{ s }}{% endautoescape %}{{ s }}", {"s": "<i>"})
    case("autoescape_nested", "{% autoescape off %}{{ s }}{% autoescape on %}{{ s }}{% endautoescape %}{% endautoescape %}",
         {"s": "<&>"})
    case("autoescape_bad_arg", "{% autoescape maybe %}{% endautoescape %}")
    case("escape_in_list", "{{ l }}", {"l": ["<b>", "a&b"]})
    case("escape_safe_literal_arg", "{{ s|default:\"<b>x</b>\" }}", {"s": ""})

    # --- if --------------------------------------------------------------
    case("if_basic", "{% if a %}yes{% else %}no{% endif %}", {"a": 1})
    case("if_elif", "{% for n in ns %}{% if n == 1 %}one{% elif n == 2 %}two{% elif n > 2 %}many{% else %}none{% endif %},{% endfor %}",
         {"ns": [0, 1, 2, 3]})
    case("if_truthiness", "{% for v in vals %}{% if v %}T{% else %}F{% endif %}{% endfor %}",
         {"vals": [0, 1, "", "x", [], [0], {}, {"a": 1}, None, True, False, 0.0]})
    case("if_and_or_not", "{% if a and not b or c %}1{% endif %}{% if not a and b %}2{% endif %}{% if a or b and c %}3{% endif %}",
         {"a": True, "b": False, "c": False})
    case("if_precedence", "{% if not x == y %}ne{% else %}eq{% endif %} {% if a or b and c %}t{% else %}f{% endif %}",
         {"x": 1, "y": 2, "a": False, "b": True, "c": False})
    case("if_in", "{% if 'b' in l %}a{% endif %}{% if 'z' not in l %}b{% endif %}{% if 'ell' in s %}c{% endif %}{% if 'k' in d %}d{% endif %}{% if x in missing %}e{% endif %}",
         {"l": ["a", "b"], "s": "hello", "d": {"k": 1}, "x": 1})
    case("if_comparisons", "{% if a < b %}1{% endif %}{% if a <= 1 %}2{% endif %}{% if b > a %}3{% endif %}{% if b >= 3 %}4{% endif %}{% if a != b %}5{% endif %}{% if s < t %}6{% endif %}{% if a < s %}7{% endif %}",
         {"a": 1, "b": 2, "s": "apple", "t": "banana"})
    case("if_eq_mixed", "{% if one == 1.0 %}a{% endif %}{% if t == 1 %}b{% endif %}{% if one == '1' %}c{% endif %}{% if l == l2 %}d{% endif %}{% if n == None %}e{% endif %}",
         {"one": 1, "t": True, "l": [1, 2], "l2": [1, 2], "n": None})
    case("if_is", "{% if n is None %}a{% endif %}{% if t is True %}b{% endif %}{% if f is not True %}c{% endif %}{% if m is None %}d{% endif %}",
         {"n": None, "t": True, "f": False})
    case("if_filters", "{% if l|length > 2 %}long{% endif %}{% if s|lower == 'abc' %}lower{% endif %}",
         {"l": [1, 2, 3], "s": "ABC"})
    case("if_missing_var", "{% if missing %}x{% else %}y{% endif %}{% if not missing %}z{% endif %}")
    case("if_missing_attr_cmp", "{% if a.b.c == None %}none{% endif %}", {"a": {}})
    case("if_nested", "{% if a %}{% if b %}ab{% else %}a{% endif %}{% endif %}", {"a": 1, "b": 0})
    case("if_syntax_error", "{% if a == %}x{% endif %}")
    case("if_unclosed", "{% if a %}x")
    case("if_bad_end", "{% if a %}x{% endfor %}")
    case("if_no_space_op", "{% if a==b %}x{% endif %}")

    # --- for -------------------------------------------------------------
    case("for_basic", "{% for x in l %}{{ x }},{% endfor %}", {"l": [1, 2, 3]})
    case("for_reversed", "{% for x in l reversed %}{{ x }}{% endfor %}", {"l": [1, 2, 3]})
    case("for_empty", "{% for x in l %}{{ x }}{% empty %}nothing{% endfor %}", {"l": []})
    case("for_missing", "{% for x in missing %}{{ x }}{% empty %}none{% endfor %}")
    case("for_forloop", "{% for x in l %}{{ forloop.counter }}{{ forloop.counter0 }}{{ forloop.revcounter }}{{ forloop.revcounter0 }}{% if forloop.first %}F{% endif %}{% if forloop.last %}L{% endif %} {% endfor %}",
         {"l": ["a", "b", "c"]})
    case("for_parentloop", "{% for a in l %}{% for b in l %}{{ forloop.parentloop.counter }}.{{ forloop.counter }} {% endfor %}{% endfor %}{{ forloop.counter }}",
         {"l": [1, 2]})
    case("for_unpack_lists", "{% for a, b in pairs %}{{ a }}-{{ b }};{% endfor %}", {"pairs": [[1, 2], ["x", "y"]]})
    case("for_unpack_spaces", "{% for a , b in pairs %}{{ a }}{{ b }}{% endfor %}", {"pairs": [[1, 2]]})
    case("for_string", "{% for c in s %}[{{ c }}]{% endfor %}", {"s": "ab<"})
    case("for_dict", "{% for k in d %}{{ k }}{% endfor %}", {"d": {"b": 1, "a": 2}})
    case("for_scope", "{% for x in l %}{% endfor %}[{{ x }}]", {"l": [1], "x": "outer"})
    case("for_filter_seq", "{% for x in l|slice:':2' %}{{ x }}{% endfor %}", {"l": [5, 6, 7]})
    case("for_items_tuple", "{% for kv in d.items %}{{ kv }} {{ kv.0 }}{% endfor %}", {"d": {"k": "v"}})
    case("for_unpack_mismatch", "{% for a, b in l %}{{ a }}{% endfor %}", {"l": [[1, 2, 3]]})
    case("for_bad_syntax", "{% for x of l %}{% endfor %}")
    case("for_too_short", "{% for x %}{% endfor %}")
    case("for_nested_empty", "{% for a in l %}{% for b in a %}{{ b }}{% empty %}E{% endfor %}|{% endfor %}",
         {"l": [[1], [], [2, 3]]})

    # --- with ------------------------------------------------------------
    case("with_kw", "{% with a=x.y b='lit' %}{{ a }} {{ b }}{% endwith %}[{{ a }}]", {"x": {"y": "deep"}})
    case("with_legacy", "{% with x.y as a %}{{ a }}{% endwith %}", {"x": {"y": 7}})
    case("with_legacy_and", "{% with x as a and y as b %}{{ a }}{{ b }}{% endwith %}", {"x": 1, "y": 2})
    case("with_filter", "{% with n=l|length %}{{ n }}{% endwith %}", {"l": [1, 2]})
    case("with_missing", "{% with a=missing %}[{{ a }}]{% endwith %}")
    case("with_safe_literal", "{% with a='<b>' %}{{ a }}{{ a|upper }}{% endwith %}")
    case("with_no_args", "{% with %}{% endwith %}")
    case("with_bad_token", "{% with a=1 junk %}{% endwith %}")

    # --- comment, verbatim, load, spaceless, now -------------------------
    case("comment_tag", "a{% comment %}hidden {{ x }} {% bogus %}{% endcomment %}b{% comment \"note\" %}x{% endcomment %}c")
    case("comment_inline", "a{# hidden {{ x }} #}b{# multi\nline #}c")
    case("comment_unclosed", "a{% comment %}b")
    case("verbatim", "{% verbatim %}{{ x }}{% if %}{% endverbatim %}", {"x": 1})
    case("verbatim_named", "{% verbatim v1 %}{% endverbatim %}{{ y }}{% endverbatim v1 %}{{ x }}", {"x": 1})
    case("load_ignored", "{% load static %}{% load cache %}ok")
    case("spaceless", "{% spaceless %} <p>\n  <a href=\"x\">  Hi  </a>\n</p> {% endspaceless %}")
    case("spaceless_text", "{% spaceless %}<b> {{ x }} </b> <i>{% endspaceless %}", {"x": "a b"})
    case("now_literal", "{% now \"\\h\\i\" %}")
    case("now_as", "{% now \"\\o\\k\" as v %}[{{ v }}]")

    # --- cycle, firstof --------------------------------------------------
    case("cycle_basic", "{% for x in l %}{% cycle 'odd' 'even' %} {% endfor %}", {"l": [1, 2, 3]})
    case("cycle_vars", "{% for x in l %}{% cycle a b %}{% endfor %}", {"l": [1, 2, 3], "a": "<A>", "b": "B"})
    case("cycle_as", "{% for x in l %}{% cycle 'r1' 'r2' as row %}{{ row }}{% endfor %}", {"l": [1, 2, 3]})
    case("cycle_silent", "{% for x in l %}{% cycle 'r1' 'r2' as row silent %}[{{ row }}]{% endfor %}", {"l": [1, 2, 3]})
    case("cycle_named_reuse", "{% cycle 'a' 'b' 'c' as c %}{% cycle c %}{% cycle c %}{% cycle c %}")
    case("cycle_outside_loop", "{% cycle 'x' 'y' %}{% cycle 'x' 'y' %}")
    case("cycle_unknown_name", "{% cycle nope %}")
    case("firstof", "{% firstof a b c 'fallback' %}|{% firstof a b %}|{% firstof x %}",
         {"a": 0, "b": "", "c": "<c>", "x": ""})
    case("firstof_as", "{% firstof a 'z' as v %}[{{ v }}]", {"a": None})
    case("firstof_literal_safe", "{% firstof '<b>' %}")

    # --- url, static, csrf_token, cache ---------------------------------
    case("url_plain", "{% url 'home' %}|{% url 'search' %}")
    case("url_args", "{% url 'app-detail' slug %}|{% url 'applist' 42 %}|{% url \"user-n\" 'bob' 3 %}", {"slug": "angry-birds"})
    case("url_kwargs", "{% url 'app-detail' slug=s %}|{% url 'user-n' user=u n=5 %}", {"s": "cut-the-rope", "u": "ann"})
    case("url_var_name", "{% url name 7 %}", {"name": "applist"})
    case("url_as", "{% url 'applist' 3 as u %}<{{ u }}>{% url 'nothere' as v %}[{{ v }}]")
    case("url_missing", "{% url 'nothere' %}")
    case("static_tag", "{% load static %}{% static 'css/site.css' %}|{% static path %}|{% static 'a b.png' as p %}{{ p }}",
         {"path": "js/app.js"})
    case("csrf_token", "<form>{% csrf_token %}</form>", {"csrf_token": "abc123<>"})
    case("csrf_token_missing", "[{% csrf_token %}]")
    case("cache_tag", "{% load cache %}{% cache 500 sidebar %}side {{ x }}{% endcache %}", {"x": 1})
    case("cache_tag_vary", "{% load cache %}{% cache 60 frag user.id lang %}[{{ user.name }}]{% endcache %}",
         {"user": {"id": 3, "name": "Bo"}, "lang": "en"})
    case("cache_tag_bad", "{% load cache %}{% cache %}x{% endcache %}")

    # --- include, extends, block ----------------------------------------
    inc = {"part.html": "<{{ who }}|{{ extra }}>", "loop.html": "{{ forloop.counter }}:{{ item }} "}
    case("include_basic", "a{% include 'part.html' %}b", {"who": "me"}, inc)
    case("include_with", "{% include 'part.html' with who='you' extra=x %}[{{ who }}]", {"who": "me", "x": "<x>"}, inc)
    case("include_only", "{% include 'part.html' with extra='e' only %}", {"who": "me"}, inc)
    case("include_var_name", "{% include name %}", {"name": "part.html", "who": "v"}, inc)
    case("include_in_loop", "{% for item in l %}{% include 'loop.html' %}{% endfor %}", {"l": ["a", "b"]}, inc)
    case("include_missing", "{% include 'nope.html' %}", {}, inc)
    case("include_relative", "{% include 'dir/b.html' %}", {},
         {"dir/b.html": "B{% include './c.html' %}", "dir/c.html": "C"})
    case("include_list_names", "{% include names %}", {"names": ["missing.html", "part.html"], "who": 1}, inc)
    case("include_bad_option", "{% include 'part.html' sometimes %}", {}, inc)
    base = {
        "base.html": "<title>{% block title %}Base{% endblock %}</title>{% block body %}B{% endblock body %}-end",
        "mid.html": "{% extends 'base.html' %}{% block title %}Mid/{{ block.super }}{% endblock %}",
        "nested.html": "[{% block outer %}O{% block inner %}I{% endblock %}{% endblock %}]",
    }
    case("extends_basic", "{% extends 'base.html' %}{% block title %}Child{% endblock %}", {}, base)
    case("extends_super", "{% extends 'base.html' %}{% block body %}{{ block.super }}+C{% endblock %}", {}, base)
    case("extends_three_levels", "{% extends 'mid.html' %}{% block title %}Leaf<{{ block.super }}>{% endblock %}", {}, base)
    case("extends_ignores_outside", "{% extends 'base.html' %}ignored {{ x }}{% block body %}in{% endblock %}ignored",
         {"x": 1}, base)
    case("extends_text_before", "hello {% extends 'base.html' %}", {}, base)
    case("extends_var", "{% extends parent %}{% block title %}V{% endblock %}", {"parent": "base.html"}, base)
    case("extends_nested_blocks", "{% extends 'nested.html' %}{% block inner %}i2{% endblock %}", {}, base)
    case("extends_override_outer", "{% extends 'nested.html' %}{% block outer %}o2{{ block.super }}{% endblock %}", {}, base)
    case("extends_not_first", "{% if 1 %}{% endif %}{% extends 'base.html' %}", {}, base)
    case("extends_twice", "{% extends 'base.html' %}{% extends 'base.html' %}", {}, base)
    case("extends_missing", "{% extends 'nope.html' %}", {}, base)
    case("block_standalone", "{% block a %}A{{ block.super }}{% endblock %}")
    case("block_duplicate", "{% block a %}{% endblock %}{% block a %}{% endblock %}")
    case("block_bad_endname", "{% block a %}{% endblock b %}")
    case("block_in_include_and_context", "{% extends 'base.html' %}{% block body %}{% with who='w' %}{% include 'part.html' %}{% endwith %}{% endblock %}",
         {}, dict(base, **inc))
    case("extends_block_in_for", "{% extends 'base.html' %}{% block body %}{% for x in l %}{{ x }}{% endfor %}{% endblock %}",
         {"l": [1, 2]}, base)

    # --- parse errors ----------------------------------------------------
    case("error_unknown_tag", "{% frobnicate %}")
    case("error_empty_block", "{% %}")
    case("error_unknown_filter", "{{ x|nosuchfilter }}")
    case("error_filter_arg_count", "{{ x|lower:'a' }}")
    case("error_filter_missing_arg", "{{ x|add }}")
    case("error_stray_end", "text{% endif %}")


def add_more_tag_cases(case):
    base = {"base.html": "<{% block a %}A{% endblock %}>"}
    case("extends_after_load", "{% load static %}{% extends 'base.html' %}", {}, base)
    case("extends_after_comment_tag", "{% comment %}x{% endcomment %}{% extends 'base.html' %}", {}, base)
    case("extends_after_inline_comment", "{# c #}\n{% extends 'base.html' %}{% block a %}B{% endblock %}", {}, base)
    case("forloop_repr", "{% for x in l %}{{ forloop }}{% endfor %}", {"l": [1]})
    case("if_not_in_type_error", "{% if x not in missing %}a{% else %}b{% endif %}{% if 1 in 5 %}c{% else %}d{% endif %}",
         {"x": 1})
    case("if_compare_none", "{% if n < 1 %}a{% else %}b{% endif %}{% if s > 1 %}c{% else %}d{% endif %}",
         {"n": None, "s": "x"})
    case("if_chain_compare", "{% if a == b == c %}t{% else %}f{% endif %}", {"a": 1, "b": 1, "c": True})
    case("if_not_not", "{% if not not a %}t{% endif %}{% if not a or not b %}u{% endif %}", {"a": 1, "b": 0})
    case("for_unpack_strings", "{% for a, b in l %}{{ a }}{{ b }};{% endfor %}", {"l": ["xy", "zw"]})
    case("for_nested_forloop_vars", "{% for a in l %}{% for b in l %}{% if forloop.parentloop.first and forloop.last %}[{{ a }}{{ b }}]{% endif %}{% endfor %}{% endfor %}",
         {"l": [1, 2, 3]})
    inc = {"cyc.html": "{% cycle 'x' 'y' %}"}
    case("cycle_state_per_include", "{% for i in l %}{% include 'cyc.html' %}{% cycle 'a' 'b' %}{% endfor %}",
         {"l": [1, 2, 3]}, inc)
    case("with_shadowing", "{% with a=1 %}{% with a=2 b=a %}{{ a }}{{ b }}{% endwith %}{{ a }}{% endwith %}")
    case("block_super_twice", "{% extends 'base.html' %}{% block a %}{{ block.super }}{{ block.super|lower }}{% endblock %}",
         {}, base)
    chain = {"l1.html": "[{% block a %}1{% endblock %}]",
             "l2.html": "{% extends 'l1.html' %}{% block a %}2{{ block.super }}{% endblock %}",
             "l3.html": "{% extends 'l2.html' %}{% block a %}3{{ block.super }}{% endblock %}"}
    case("extends_super_chain", "{% extends 'l3.html' %}{% block a %}4{{ block.super }}{% endblock %}", {}, chain)
    case("include_only_forloop", "{% for x in l %}{% include 'p.html' only %}{% endfor %}", {"l": [1, 2]},
         {"p.html": "({{ forloop.counter }}{{ x }})"})
    case("autoescape_off_escape_filters", "{% autoescape off %}{{ s|escape }}{{ s|linebreaksbr }}{{ s|urlize }}{% endautoescape %}",
         {"s": "<a>\nb & www.x.com"})
    case("firstof_escaping_off", "{% autoescape off %}{% firstof a 'x' %}{% endautoescape %}", {"a": "<b>"})
    case("now_named_format_escaped", "{% now \"\\Y\\e\\s\" %}")
    # Dicts iterate in insertion order, not key order.
    case("dict_order_items", "{% for k, v in d.items %}{{ k }}={{ v }};{% endfor %}",
         {"d": {"zeta": 1, "alpha": 2, "mid": 3}})
    case("dict_order_keys_values", "{% for k in d.keys %}{{ k }}{% endfor %}-{% for v in d.values %}{{ v }}{% endfor %}|{{ d }}",
         {"d": {"b": 1, "a": 2}})
    case("dict_order_for_dict", "{% for k in d %}{{ k }},{% endfor %}",
         {"d": {"y": 1, "x": 2}})
