"""A random checkpoint in Hugging Face layout shaped like Qwen2.5-0.5B but with 4 layers instead of 24 (hidden 896,
14 heads, 2 KV heads, SwiGLU 4864, vocabulary 151936, tied embeddings; 196M parameters, 783 MB), with the Qwen3
tokenizer of the test resources. For memory measurements at a real vocabulary size (docs/models.md):

    /usr/bin/python3 backends/src/test/python/make_qwen_shaped_checkpoint.py /tmp/qwen-shaped [layers, default 4]
    launcher/target/prefopt/bin/prefopt bench --model /tmp/qwen-shaped --threads 2 --batch 2 --new-tokens 4 \
        --train-batch 4 --train-len 512 --repeats 1 [--logits-chunk-tokens 512] [--gradient-checkpointing]

safetensors is written by hand (header length, JSON header, raw little-endian float32), as the format defines.
"""
import gzip, json, os, shutil, struct, sys
import numpy as np

out = sys.argv[1]
# optional second argument: the number of layers (Qwen2.5-0.5B has 24)
layers = int(sys.argv[2]) if len(sys.argv) > 2 else 4
os.makedirs(out, exist_ok=True)
os.chdir(out)
res = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "tokenizer", "qwen3")
with gzip.open(os.path.join(res, "tokenizer.json.gz")) as f, open("tokenizer.json", "wb") as t:
    shutil.copyfileobj(f, t)
shutil.copy(os.path.join(res, "tokenizer_config.json"), "tokenizer_config.json")
cfg = {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 896, "intermediate_size": 4864,
       "num_hidden_layers": layers, "num_attention_heads": 14, "num_key_value_heads": 2, "vocab_size": 151936,
       "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "tie_word_embeddings": True, "torch_dtype": "float32",
       "max_position_embeddings": 32768, "hidden_act": "silu", "bos_token_id": 151643, "eos_token_id": 151645}
json.dump(cfg, open("config.json", "w"), indent=2)
json.dump({"eos_token_id": [151645, 151643]}, open("generation_config.json", "w"))
rng = np.random.default_rng(0)
h, i, kv = 896, 4864, 2 * 64
shapes = {"model.embed_tokens.weight": (151936, h), "model.norm.weight": (h,)}
for l in range(layers):
    p = f"model.layers.{l}."
    shapes.update({p + "input_layernorm.weight": (h,), p + "post_attention_layernorm.weight": (h,),
                   p + "self_attn.q_proj.weight": (h, h), p + "self_attn.q_proj.bias": (h,),
                   p + "self_attn.k_proj.weight": (kv, h), p + "self_attn.k_proj.bias": (kv,),
                   p + "self_attn.v_proj.weight": (kv, h), p + "self_attn.v_proj.bias": (kv,),
                   p + "self_attn.o_proj.weight": (h, h), p + "mlp.gate_proj.weight": (i, h),
                   p + "mlp.up_proj.weight": (i, h), p + "mlp.down_proj.weight": (h, i)})
header, off, blobs = {}, 0, []
for name, shape in shapes.items():
    a = (np.ones(shape) if name.endswith("norm.weight") else rng.normal(0, 0.02, shape)).astype("<f4")
    b = a.tobytes(); header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [off, off + len(b)]}
    off += len(b); blobs.append(b)
hj = json.dumps(header).encode(); hj += b" " * ((8 - len(hj) % 8) % 8)
with open("model.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(hj))); f.write(hj)
    for b in blobs: f.write(b)
print(sum(np.prod(s) for s in shapes.values()), "parameters")
