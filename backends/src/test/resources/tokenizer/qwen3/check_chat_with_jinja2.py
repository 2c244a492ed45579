"""Cross-checks the chat renderings in expected.json (made by make_expected.js with @huggingface/jinja)
against Python Jinja2 configured exactly as HF transformers' chat-template environment
(ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, tojson, raise_exception).
Run: python3 check_chat_with_jinja2.py   (needs jinja2 >= 3.1); exits non-zero on any difference."""
import json
import os
import sys

from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
import jinja2.ext


def transformers_env():
    def raise_exception(message):
        raise TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    return env


here = os.path.dirname(os.path.abspath(__file__))
config = json.load(open(os.path.join(here, "tokenizer_config.json"), encoding="utf-8"))
expected = json.load(open(os.path.join(here, "expected.json"), encoding="utf-8"))
template = transformers_env().from_string(config["chat_template"])
specials = {k: config[k] for k in ("bos_token", "eos_token", "unk_token", "pad_token") if config.get(k) is not None}
specials["additional_special_tokens"] = config["additional_special_tokens"]
bad = 0
for chat in expected["chats"]:
    got = template.render(messages=chat["messages"], tools=None, documents=None,
                          add_generation_prompt=chat["add_generation_prompt"], **specials)
    if got != chat["rendered"]:
        bad += 1
        print("DIFFERENT:", chat["name"], chat["add_generation_prompt"], repr(got), repr(chat["rendered"]))
print(f"{len(expected['chats']) - bad}/{len(expected['chats'])} renderings agree between @huggingface/jinja and Jinja2")
sys.exit(1 if bad else 0)
