"""Reference outputs for JinjaTemplateCompatTest: each case is rendered with Python Jinja2 configured like
HF transformers' chat-template environment; the Java test renders the same template with Jinjava plus
prefopt's bridges and must produce the identical string (or fail where Jinja2 raises).
Run: python3 make_cases.py > cases.json   (jinja2 >= 3.1)"""
import json

from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
import jinja2.ext


def raise_exception(message):
    raise TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception

MSGS = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Hi <tool_response>x</tool_response>"},
    {"role": "assistant", "content": "<think>\nplan\n</think>\n\nHello!"},
    {"role": "user", "content": "  2+2?  "},
]
V = {"messages": MSGS, "add_generation_prompt": True, "eos_token": "</s>", "bos_token": "<s>", "date_string": "26 Jul 2024"}

CASES = {
    # whitespace: lstrip_blocks only strips at line start, trim_blocks eats one newline after %} and #}
    "lstrip_line_start": "a\n    {% if true %}\n    X\n    {% endif %}\nb\n",
    "lstrip_not_mid_line": "Hello {% if true %}X{% endif %} world",
    "minus_markers": "a  \n  {%- if true -%}  \n  X  \n  {%- endif -%}\n\n b",
    "expression_minus": "a \n {{- 'x' -}} \n b",
    "plus_disables_lstrip": "a\n    {%+ if true %}X{% endif %}",
    "plus_disables_trim": "{% if true +%}\nX{% endif %}",
    "comments": "a\n  {# a comment #}\nb{#- x -#}  c",
    "keep_one_trailing_newline_removed": "x\n\n",
    "trim_after_set": "{% set x = 1 %}\n{{ x }}\n",
    "raw_block": "a\n{% raw %}{{ not rendered }} {% if %}{% endraw %}\nb {%- raw -%}  x  {%- endraw -%} c",
    "text_braces": "{ not a tag } {{ '{{' }} %}",
    # loops
    "loop_vars": "{% for m in messages %}{{ loop.index0 }}/{{ loop.index }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }};{% endfor %}",
    "loop_prev": "{% for m in messages %}{% if not loop.first %}{{ messages[loop.index0 - 1].role }}>{% endif %}{{ m.role }} {% endfor %}",
    "reverse_slice": "{% for m in messages[::-1] %}{{ m.role }},{% endfor %}",
    "slices": "{{ messages[1:]|length }} {{ messages[:-1]|length }} {{ messages[-2:][0].role }} {{ messages[::2]|map(attribute='role')|join(',') }} {{ 'abcdef'[1:-1] }} {{ 'abcdef'[::-2] }} {{ messages[5:]|length }}",
    "reversed_filter": "{% for m in messages|reverse %}{{ m.role[0] }}{% endfor %}",
    "alternation_check": "{% for message in messages[1:] %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate') }}{% endif %}{{ message['role'] }} {% endfor %}",
    # namespace and kwargs precedence (Qwen3)
    "namespace": "{% set ns = namespace(multi=true, last=messages|length - 1) %}{% for m in messages[::-1] %}{% set i = (messages|length - 1) - loop.index0 %}{% if ns.multi and m.role == 'user' %}{% set ns.multi = false %}{% set ns.last = i %}{% endif %}{% endfor %}{{ ns.last }} {{ ns.multi }}",
    # python str methods
    "str_methods": "{{ messages[1].content.startswith('Hi') }} {{ messages[1].content.endswith('</tool_response>') }} [{{ messages[3].content.strip() }}] [{{ messages[3].content.lstrip() }}] [{{ messages[3].content.rstrip() }}] {{ 'a,b,,c,'.split(',') }} {{ ' a  b '.split() }} {{ 'x'.upper() }}{{ 'Y'.lower() }} {{ 'hello world'.title() }} {{ 'aXbXc'.replace('X', '-') }} {{ 'a-b-c'.split('-', 1) }}",
    "think_split": "{% set c = messages[2].content %}{% if '</think>' in c %}[{{ c.split('</think>')[-1].lstrip('\\n') }}][{{ c.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') }}]{% endif %}[{{ '\\n\\nr\\n'.strip('\\n') }}]",
    "str_in_and_not": "{{ 'think' in messages[2].content }} {{ 'zzz' not in messages[2].content }} {{ not(messages[1].content.startswith('<tool_response>') and messages[1].content.endswith('</tool_response>')) }}",
    # tests and conditionals
    "tests": "{{ messages[0].reasoning is defined }} {{ messages[0].content is string }} {{ nothing is undefined }} {{ 3 is odd }} {{ none is none }}",
    "not_precedence": "{{ not nothing is defined }} {{ not messages|length > 10 }} {{ not 1 == 2 and not false }} {{ 2 not in [1, 3] }} {{ not not true }} {{ -3|abs }}",
    "ternary": "{{ 'many' if messages|length > 3 else 'few' }} {{ messages[0]['role'] }}",
    "elif": "{% for m in messages %}{% if m.role == 'system' %}S{% elif m.role == 'user' %}U{% else %}A{% endif %}{% endfor %}",
    "filters": "{{ messages|length }} [{{ messages[3].content|trim }}] {{ messages|map(attribute='role')|join('|') }} {{ 'abc'|upper }} {{ messages[0].role|capitalize }} {{ [3,1,2]|sort|join(',') }} {{ ['a','b']|first }}{{ ['a','b']|last }}",
    "concat": "{{ bos_token + messages[0].content ~ eos_token }}{{ 'n=' ~ messages|length }}",
    "dict_access": "{% set d = {'a': 1, 'b': 'two'} %}{{ d['a'] }} {{ d.b }} {{ d.get('a') }} {{ d.get('zz', 'dflt') }}{% for k, v in d.items() %} {{ k }}={{ v }}{% endfor %}",
    "tojson": "{{ {'name': 'add', 'args': {'a': 1, 'b': [1.5, 'é', none, true]}, 'empty': {}, 'l': []}|tojson }}",
    "tojson_indent": "{{ {'a': 1, 'b': [1, {'c': 'x'}]}|tojson(indent=2) }}",
    "tojson_floats": "{{ [0.1, 1.0, 1e-05, 1e16, 123456789.5, -2.5]|tojson }}",
    "set_block_chatml": "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
    # templates in the style of popular models (structure as published; texts shortened)
    "llama3_style": "{{- bos_token }}\n{%- if messages[0]['role'] == 'system' %}\n    {%- set system_message = messages[0]['content']|trim %}\n    {%- set messages = messages[1:] %}\n{%- else %}\n    {%- set system_message = \"\" %}\n{%- endif %}\n{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}\n{{- \"Today Date: \" + date_string + \"\\n\\n\" }}\n{{- system_message }}\n{{- \"<|eot_id|>\" }}\n{%- for message in messages %}\n    {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}\n{%- endfor %}\n{%- if add_generation_prompt %}\n    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}\n{%- endif %}\n",
    "gemma_style": "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\\n'}}{% endif %}",
    "deepseek_r1_style": "{% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}{% set ns = namespace(is_first=false, system_prompt='') %}{%- for message in messages %}{%- if message['role'] == 'system' %}{% set ns.system_prompt = message['content'] %}{%- endif %}{%- endfor %}{{bos_token}}{{ns.system_prompt}}{%- for message in messages %}{%- if message['role'] == 'user' %}{{'<\uff5cUser\uff5c>' + message['content']}}{%- endif %}{%- if message['role'] == 'assistant' %}{% set content = message['content'] %}{% if '</think>' in content %}{% set content = content.split('</think>')[-1] %}{% endif %}{{'<\uff5cAssistant\uff5c>' + content + '<\uff5cend\u2581of\u2581sentence\uff5c>'}}{%- endif %}{%- endfor %}{% if add_generation_prompt %}{{'<\uff5cAssistant\uff5c><think>\\n'}}{% endif %}",
    "mistral_style": "{%- if messages[0]['role'] == 'system' %}\n    {%- set system_message = messages[0]['content'] %}\n    {%- set loop_messages = messages[1:] %}\n{%- else %}\n    {%- set loop_messages = messages %}\n{%- endif %}\n\n{{- bos_token }}\n{%- for message in loop_messages %}\n    {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}\n        {{- raise_exception('After the optional system message, conversation roles must alternate user/assistant/user/assistant/...') }}\n    {%- endif %}\n    {%- if message['role'] == 'user' %}\n        {%- if loop.first and system_message is defined %}\n            {{- ' [INST] ' + system_message + '\\n\\n' + message['content'] + ' [/INST]' }}\n        {%- else %}\n            {{- ' [INST] ' + message['content'] + ' [/INST]' }}\n        {%- endif %}\n    {%- elif message['role'] == 'assistant' %}\n        {{- ' ' + message['content'] + eos_token}}\n    {%- else %}\n        {{- raise_exception('Only user and assistant roles are supported, with the exception of an initial optional system message!') }}\n    {%- endif %}\n{%- endfor %}\n",
    "more_filters_and_tests": "{{ messages|selectattr('role', 'equalto', 'user')|list|length }} {{ messages|rejectattr('role', 'equalto', 'user')|map(attribute='role')|join(',') }} {{ nothing|default('d') }} {{ messages|join(',', attribute='role') }} {{ messages|count }} {{ (messages|first).role }} {{ 'xxhixx'|trim('x') }} {{ 'aaa'|replace('a', 'b', 2) }} {{ messages[0].content|wordcount }}",
    "more_tests": "{{ messages is sequence }} {{ messages[0] is mapping }} {{ messages is iterable }} {{ 'x' is mapping }} {{ 'user' in messages|map(attribute='role')|list }} [{{ 'x' if false }}]",
    "numbers": "{% for i in range(3) %}{{ i }}{% endfor %}{{ range(1, 7, 2)|list }} {{ '42'|int + 1 }} {{ 5|string + 'x' }} {{ 7 // 2 }} {{ 7 / 2 }} {{ 2 ** 3 }}",
    "loop_extras": "{% for m in messages %}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.cycle('a', 'b') }}{% endfor %}",
    "dict_items_filter": "{% set d = {'a': 1, 'b': 2} %}{% for k, v in d|items %}{{ k }}{{ v }}{% endfor %} {{ d.keys()|list }} {{ d.values()|list }} {{ 'a' in d }} {{ d }}",
    "set_block_and_tojson_ns": "{% set x %}A{{ 1 }}B{% endset %}{{ x }}{% set ns = namespace(a=1) %}{{ ns.a|tojson }}",
    "macro": "{% macro fmt(m) %}[{{ m.role }}]{% endmacro %}{% for m in messages %}{{ fmt(m) }}{% endfor %}",
}

out = []
for name, source in CASES.items():
    case = {"name": name, "template": source, "variables": V}
    try:
        case["expected"] = env.from_string(source).render(**V)
    except TemplateError as e:
        case["error"] = str(e)
    out.append(case)
print(json.dumps(out, ensure_ascii=False, indent=1))
