"""Cases for the built-in filters, including escaping interactions."""


def add_filter_cases(case):
    c = case
    # default family
    c("default", "{{ a|default:'x' }}|{{ b|default:'x' }}|{{ m|default:'x' }}|{{ z|default:d }}|{{ n|default:\"none\" }}",
      {"a": "", "b": "val", "z": 0, "d": "<d>", "n": None})
    c("default_if_none", "{{ n|default_if_none:'nil' }}|{{ e|default_if_none:'nil' }}|{{ m|default_if_none:'nil' }}",
      {"n": None, "e": ""})
    # length
    c("length", "{{ l|length }} {{ s|length }} {{ d|length }} {{ i|length }} {{ m|length }} {{ u|length }}",
      {"l": [1, 2, 3], "s": "abcd", "d": {"a": 1}, "i": 5, "u": "héllo✓"})
    # case
    c("lower_upper", "{{ s|lower }} {{ s|upper }} {{ u|upper }}", {"s": "MiXeD <Tag>", "u": "straße éa"})
    c("title", "{{ s|title }}|{{ t|title }}|{{ n|title }}",
      {"s": "hello wORLD of-the it's", "t": "they're 1st o'neil", "n": 5})
    c("capfirst", "{{ s|capfirst }}|{{ e|capfirst }}|{{ n|capfirst }}", {"s": "hello <b>", "e": "", "n": 12})
    # truncation
    c("truncatechars", "{{ s|truncatechars:5 }}|{{ s|truncatechars:50 }}|{{ s|truncatechars:1 }}|{{ s|truncatechars:0 }}|{{ s|truncatechars:'x' }}",
      {"s": "Hello world"})
    c("truncatechars_escape", "{{ s|truncatechars:6 }}", {"s": "<b>bold</b>"})
    c("truncatewords", "{{ s|truncatewords:2 }}|{{ s|truncatewords:10 }}|{{ t|truncatewords:1 }}|{{ s|truncatewords:0 }}",
      {"s": "The  quick brown\nfox", "t": "one"})
    # join
    c("join", "{{ l|join:', ' }}|{{ l|join:sep }}|{{ n|join:'-' }}|{{ s|join:'.' }}",
      {"l": ["a", "<b>", "c"], "sep": " & ", "n": [1, 2], "s": "xyz"})
    c("join_autoescape_off", "{% autoescape off %}{{ l|join:sep }}|{{ n|join:'-' }}{% endautoescape %}",
      {"l": ["a", "<b>"], "sep": "<br>", "n": [1, 2]})
    # first/last/slice
    c("first_last", "{{ l|first }} {{ l|last }} {{ s|first }} {{ s|last }} [{{ e|first }}] [{{ e|last }}]",
      {"l": ["<a>", "b", "c"], "s": "xyz", "e": []})
    c("slice", "{{ l|slice:':2' }} {{ l|slice:'1:' }} {{ l|slice:'-2:' }} {{ l|slice:'::2' }} {{ l|slice:'1:2' }} {{ s|slice:'2:4' }} {{ l|slice:'bad' }}",
      {"l": [1, 2, 3, 4, 5], "s": "abcdef"})
    c("slice_int_arg", "{{ l|slice:2 }}|{{ s|slice:':-1' }}|{{ l|slice:'::-1' }}", {"l": [1, 2, 3], "s": "hello"})
    # numbers
    c("floatformat", "{{ a|floatformat }} {{ a|floatformat:3 }} {{ a|floatformat:'-3' }} {{ b|floatformat }} {{ b|floatformat:2 }} {{ b|floatformat:'-2' }} {{ c|floatformat }}",
      {"a": 34.23234, "b": 34.0, "c": 34.26})
    c("floatformat_more", "{{ a|floatformat:0 }} {{ b|floatformat:1 }} {{ c|floatformat:2 }} {{ d|floatformat }} {{ e|floatformat }} {{ f|floatformat:2 }} {{ g|floatformat:'x' }}",
      {"a": 39.56, "b": -0.01, "c": 2.675, "d": "12.5", "e": "abc", "f": 7, "g": 1.5})
    c("floatformat_round", "{{ a|floatformat:1 }} {{ b|floatformat:1 }} {{ c|floatformat:'-1' }} {{ d|floatformat:3 }} {{ e|floatformat }}",
      {"a": 0.05, "b": 1.25, "c": 1.05, "d": 1e-7, "e": 1e20})
    c("add", "{{ a|add:2 }} {{ s|add:'3' }} {{ s|add:'x' }} {{ l|add:l2 }} {{ f|add:1 }} {{ n|add:1 }}|{{ t|add:'b' }}",
      {"a": 4, "s": "5", "l": [1], "l2": [2], "f": 1.9, "n": None, "t": "a"})
    c("filesizeformat", "{{ a|filesizeformat }}|{{ b|filesizeformat }}|{{ c|filesizeformat }}|{{ d|filesizeformat }}|{{ e|filesizeformat }}|{{ f|filesizeformat }}|{{ g|filesizeformat }}|{{ h|filesizeformat }}",
      {"a": 1, "b": 1023, "c": 1024, "d": 123456789, "e": 1099511627776 * 3, "f": -2048, "g": "x", "h": 1 << 52})
    # yesno / pluralize
    c("yesno", "{{ t|yesno }} {{ f|yesno }} {{ n|yesno }} {{ t|yesno:'y,n' }} {{ n|yesno:'y,n' }} {{ n|yesno:'y,n,m' }} {{ t|yesno:'bad' }}",
      {"t": True, "f": 0, "n": None})
    c("pluralize", "{{ 0|pluralize }} {{ 1|pluralize }} {{ 2|pluralize }} {{ l|pluralize }} {{ one|pluralize:'es' }} {{ two|pluralize:'y,ies' }} {{ one|pluralize:'y,ies' }} {{ s|pluralize }} {{ x|pluralize:'a,b,c' }}",
      {"l": [1], "one": 1, "two": 2, "s": "1", "x": 2})
    # line breaks
    c("linebreaks", "{{ s|linebreaks }}", {"s": "line 1\nline 2\n\npara <2>\r\n\r\n\r\npara 3"})
    c("linebreaks_safe", "{{ s|safe|linebreaks }}|{{ e|linebreaks }}", {"s": "<b>x</b>\ny", "e": ""})
    c("linebreaksbr", "{{ s|linebreaksbr }}|{% autoescape off %}{{ s|linebreaksbr }}{% endautoescape %}",
      {"s": "a<b>\nc\r\nd"})
    # urlize
    c("urlize_basic", "{{ s|urlize }}", {"s": "Visit http://example.com/a?b=1&c=2 now."})
    c("urlize_www_email", "{{ s|urlize }}", {"s": "see www.famigo.com, mail me@example.org or (https://x.org/p)."})
    c("urlize_escape", "{{ s|urlize }}", {"s": "<b> & http://a.com/<x> done"})
    c("urlize_safe_input", "{{ s|safe|urlize }}", {"s": "<i>http://a.com</i> x"})
    c("urlize_domain_only", "{{ s|urlize }}", {"s": "go to example.com or foo.net/path!"})
    # urlencode / escape / safe / striptags
    c("urlencode", "{{ s|urlencode }}|{{ s|urlencode:'' }}|{{ u|urlencode }}", {"s": "a b/c?d=e&f", "u": "ü ~"})
    c("escape_filter", "{{ s|escape }}|{% autoescape off %}{{ s|escape }}{% endautoescape %}|{{ s|safe|escape }}",
      {"s": "<a href='x'>&amp;</a>"})
    c("safe_filter", "{{ s|safe }}|{{ s|safe|upper }}|{{ s|safe|lower }}|{{ s|safe|title }}|{{ n|safe }}",
      {"s": "<b>Bold</b>", "n": 5})
    c("safe_through_filters", "{{ s|safe|truncatechars:4 }}|{{ s|safe|capfirst }}|{{ s|safe|default:'x' }}|{{ s|safe|slice:':3' }}|{{ s|safe|first }}|{{ s|safe|last }}",
      {"s": "<i>abc</i>"})
    c("striptags", "{{ s|striptags }}|{{ t|striptags }}",
      {"s": "<p>Hello <b>World</b> &amp; <a href='x'>link</a></p>", "t": "a < b and c > d"})
    c("striptags_nested", "{{ s|striptags }}", {"s": "<scr<script>ipt>alert(1)</script> <br/>x"})
    c("slugify", "{{ a|slugify }}|{{ b|slugify }}|{{ c|slugify }}|{{ d|slugify }}",
      {"a": "Hello World!", "b": "  Jaguar_Car - 2 -- x ", "c": "Ãpp Ñame Über", "d": "-_-a_b-_-"})
    # dictsort
    apps = [{"name": "Zeta", "age": 3, "dev": {"n": "b"}}, {"name": "alpha", "age": 10, "dev": {"n": "a"}},
            {"name": "Beta", "age": 3, "dev": {"n": "c"}}]
    c("dictsort", "{% for a in apps|dictsort:'name' %}{{ a.name }} {% endfor %}|{% for a in apps|dictsort:'age' %}{{ a.name }} {% endfor %}|{% for a in apps|dictsort:'dev.n' %}{{ a.name }} {% endfor %}",
      {"apps": apps})
    c("dictsort_bad", "[{{ apps|dictsort:'nokey' }}][{{ s|dictsort:'x' }}]", {"apps": apps, "s": 5})
    c("dictsortreversed", "{% for a in apps|dictsortreversed:'age' %}{{ a.name }} {% endfor %}", {"apps": apps})
    c("dictsort_index", "{% for p in pairs|dictsort:0 %}{{ p.1 }}{% endfor %}", {"pairs": [[3, "c"], [1, "a"], [2, "b"]]})
    # json_script
    c("json_script", "{{ v|json_script:'data-id' }}", {"v": {"a": "</script><b>&", "b": [1, 2.5, None, True], "c": "é✓"}})
    c("json_script_escape_id", "{{ v|json_script:id }}", {"v": "x", "id": "a\"b"})
    # dates
    dt = {"d": "2011-03-04T05:06:07", "pm": "2009-12-31T13:30:00", "noon": "2010-06-15T12:00:00",
          "mid": "2010-06-15T00:00:00", "day": "2012-02-29", "us": "2011-03-04T05:06:07.123456"}
    c("date_basic", "{{ d|date:'Y-m-d H:i:s' }}|{{ d|date }}|{{ day|date }}|{{ d|date:'DATETIME_FORMAT' }}|{{ d|date:'SHORT_DATE_FORMAT' }}",
      dt, dates=True)
    c("date_letters_a", "{{ d|date:'a A b d D E f F g G h H i' }}|{{ pm|date:'a A b d D E f F g G h H i' }}", dt, dates=True)
    c("date_letters_b", "{{ d|date:'j l L m M n N' }}|{{ pm|date:'j l L m M n N' }}|{{ day|date:'L t' }}", dt, dates=True)
    c("date_letters_c", "{{ d|date:'P' }} {{ pm|date:'P' }} {{ noon|date:'P' }} {{ mid|date:'P' }} {{ d|date:'s S t w W y Y z' }}",
      dt, dates=True)
    c("date_letters_tz", "{{ d|date:'c' }}|{{ us|date:'c u' }}|{{ d|date:'e I O T U Z r' }}", dt, dates=True)
    c("date_ordinals", "{% for x in l %}{{ x|date:'jS' }} {% endfor %}",
      {"l": ["2011-01-01", "2011-01-02", "2011-01-03", "2011-01-04", "2011-01-11", "2011-01-12", "2011-01-13",
             "2011-01-21", "2011-01-22", "2011-01-23", "2011-01-31"]}, dates=True)
    c("date_iso_week", "{% for x in l %}{{ x|date:'o-W w' }} {% endfor %}",
      {"l": ["2008-12-29", "2010-01-03", "2011-01-01", "2012-12-31", "2015-12-31", "2016-01-03"]}, dates=True)
    c("date_escape_chars", "{{ d|date:'\\Y\\e\\a\\r: Y \\\\ jS \\o\\f F' }}", dt, dates=True)
    c("date_months", "{% for x in l %}{{ x|date:'b M N F' }};{% endfor %}",
      {"l": ["2011-%02d-01" % m for m in range(1, 13)]}, dates=True)
    c("date_bad_value", "[{{ s|date:'Y' }}][{{ n|date:'Y' }}][{{ m|date }}]", {"s": "yesterday", "n": None})
    c("time_filter", "{{ d|time:'H:i' }}|{{ d|time }}", dt, dates=True)
    ts = {"now": "2011-03-04T05:06:07", "a": "2011-03-04T04:06:07", "b": "2011-03-01T05:00:00",
          "c": "2010-01-04T05:06:07", "d": "2011-03-04T05:06:00", "e": "2011-03-05T00:00:00",
          "f": "2007-02-13T05:06:07", "g": "2011-02-04T05:06:07", "h": "2011-03-04"}
    c("timesince", "{{ a|timesince:now }}|{{ b|timesince:now }}|{{ c|timesince:now }}|{{ d|timesince:now }}|{{ e|timesince:now }}|{{ f|timesince:now }}|{{ g|timesince:now }}|{{ h|timesince:now }}",
      ts, dates=True)
    c("timeuntil", "{{ now|timeuntil:a }}|{{ e|timeuntil:now }}", ts, dates=True)
    c("timesince_missing", "[{{ m|timesince }}][{{ m|timeuntil:now }}]", ts, dates=True)
    # misc extra filters
    c("cut", "{{ s|cut:' ' }}|{{ s|safe|cut:'a' }}", {"s": "a b <c> a"})
    c("make_list_wordcount", "{{ s|make_list }}|{{ s|wordcount }}|{{ n|make_list }}", {"s": "ab cd", "n": 123})
    c("divisibleby", "{{ 21|divisibleby:3 }} {{ 22|divisibleby:'3' }}")
    c("length_is", "{{ l|length_is:2 }} {{ l|length_is:'3' }}", {"l": [1, 2]})
    c("get_digit", "{{ 123|get_digit:1 }} {{ 123|get_digit:3 }} {{ 123|get_digit:5 }} {{ 'x'|get_digit:1 }}")
    c("force_escape", "{{ s|force_escape }}|{{ s|safe|force_escape }}", {"s": "<&>"})
    c("addslashes", "{{ s|addslashes }}", {"s": "I'm \"here\" \\ ok"})
    c("escapejs", "{{ s|escapejs }}", {"s": "a'b\"c<d>&\n\t\\ e=f;\u2028"})
    c("ljust_rjust_center", "[{{ s|ljust:6 }}][{{ s|rjust:6 }}][{{ s|center:7 }}]", {"s": "ab"})
    c("wordwrap", "{{ s|wordwrap:10 }}", {"s": "Joel is a slug and a very long wordwhichdoesnotfit here"})
    c("linenumbers", "{{ s|linenumbers }}", {"s": "one\n<two>\nthree"})
    c("safeseq", "{{ l|safeseq|join:',' }}|{{ l|join:',' }}", {"l": ["<a>", "<b>"]})
    c("iriencode", "{{ s|iriencode }}", {"s": "/a b/?q=ü&x=1"})
    c("phone2numeric", "{{ s|phone2numeric }}", {"s": "800-COLLECT"})
    c("stringformat", "[{{ n|stringformat:'03d' }}][{{ f|stringformat:'.2f' }}][{{ s|stringformat:'s' }}][{{ n|stringformat:'x' }}][{{ s|stringformat:'5s' }}]",
      {"n": 42, "f": 3.14159, "s": "ab"})

    # filter chaining and arguments
    c("chain", "{{ s|lower|capfirst|truncatechars:8 }}", {"s": "HELLO WORLD"})
    c("filter_var_arg", "{{ s|truncatewords:n }}", {"s": "a b c d", "n": 2})
    c("filter_missing_var_arg_default", "{{ s|default:other }}", {"s": "v"})
    c("filter_spaces", "{{ s | lower }}", {"s": "AB"})
    c("filter_literal_escaped_quote", "{{ 'it\\'s'|upper }}|{{ \"say \\\"hi\\\"\"|lower }}")
    c("filter_on_missing", "[{{ missing|upper }}][{{ missing|length }}][{{ missing|add:1 }}]")
    c("numeric_literal_e", "{{ 1e3 }} {{ 2.5e-3|floatformat:4 }}")


def add_more_filter_cases(case):
    c = case
    c("safe_escape_combos", "{{ s|escape|safe }}|{{ s|safe|escape }}|{{ s|force_escape|safe }}|{{ s|escape|force_escape }}",
      {"s": "<&>"})
    c("add_strings_numbers", "{{ 5|add:'-2' }} {{ '3'|add:'4' }} {{ ' 7 '|add:1 }} {{ t|add:1 }} {{ l|add:'x' }}",
      {"t": True, "l": [1]})
    c("floatformat_neg_zero", "{{ -0.04|floatformat:1 }} {{ -0.5|floatformat:0 }} {{ -1.5|floatformat }} {{ -2.0|floatformat }} {{ 0.0|floatformat:2 }}")
    c("floatformat_grouping_suffix", "{{ 1234.5|floatformat:'2g' }} {{ 1234|floatformat:'g' }} {{ x|floatformat:'-2g' }}",
      {"x": 9876.125})
    c("floatformat_strings_bools", "{{ s|floatformat:2 }} {{ t|floatformat }} {{ n|floatformat }} {{ bad|floatformat:'z' }}",
      {"s": "  3.14159 ", "t": True, "n": None, "bad": "1.5"})
    c("urlize_parens_punct", "{{ s|urlize }}", {"s": "(see http://x.com/a_(b)). Also [www.y.org]; ok: z.com:"})
    c("urlize_query_fragment", "{{ s|urlize }}", {"s": "http://ex.com/p?a=1+2&b=%20x#frag ok"})
    c("striptags_comments_entities", "{{ s|striptags }}", {"s": "a<!-- x -->b<br>c &amp; d &#39; e <scr"})
    c("yesno_four_bits", "{{ t|yesno:'a,b,c,d' }}{{ n|yesno:'a,b,c,d' }}", {"t": True, "n": None})
    c("json_script_list_astral", "{{ v|json_script:'x' }}", {"v": ["\U0001F600", 1.5e20, -0.0, {"k": [True]}]})
    c("escapejs_unicode", "{{ s|escapejs }}", {"s": "é`-\u2029\x01"})
    c("title_numbers", "{{ s|title }}", {"s": "3rd place for team 42b and o'reilly's"})
    c("linebreaks_edges", "{{ s|linebreaks }}|{{ t|linebreaks }}", {"s": "\n\nfoo\n\n", "t": "a\n\n\n\nb\n"})
    c("pluralize_floats", "{{ a|pluralize }}{{ b|pluralize }}{{ c|pluralize:'y,ies' }}", {"a": 1.0, "b": "1.0", "c": 0})
    c("length_views", "{{ d.items|length }} {{ d.keys|length }} {{ s|length }}", {"d": {"a": 1, "b": 2}, "s": "✓✓"})
    c("truncatewords_whitespace", "{{ s|truncatewords:3 }}|{{ s|truncatewords:-1 }}", {"s": "  a\tb\n c  d e "})
    c("truncatechars_unicode", "{{ s|truncatechars:4 }}|{{ s|truncatechars:3 }}", {"s": "héllo wörld"})
    c("slice_strings_unicode", "{{ s|slice:'1:3' }}|{{ s|slice:'-2:' }}", {"s": "✓é✓é"})
    c("dictsort_mixed_types", "[{{ l|dictsort:'a' }}]", {"l": [{"a": 1}, {"a": "x"}]})
    c("date_default_formats", "{{ d|date:'YEAR_MONTH_FORMAT' }}|{{ d|date:'MONTH_DAY_FORMAT' }}|{{ d|date:'SHORT_DATETIME_FORMAT' }}|{{ d|time:'TIME_FORMAT' }}",
      {"d": "2020-07-09T18:00:05"}, dates=True)
    c("date_only_time_letter", "{{ d|date:'H' }}", {"d": "2020-07-09"}, dates=True)
    c("date_microseconds", "{{ d|date:'u c' }}", {"d": "2020-07-09T18:00:05.5"}, dates=True)
    # Objects are written in insertion order, nested ones too.
    c("json_script_key_order", "{{ data|json_script:'x' }}",
      {"data": {"name": "Ünïcode <app>", "n": 1, "nested": {"z": True, "a": None}}})
    c("dictsort_keeps_ties_in_order", "{% for d in l|dictsort:'k' %}{{ d.v }}{% endfor %}",
      {"l": [{"v": "b", "k": 1}, {"v": "a", "k": 1}, {"v": "c", "k": 0}]})
