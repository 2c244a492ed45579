#!/usr/bin/env python3
"""Independent reference for the Java decoder (org.prefopt.backends.djl.model.Decoder).

Writes, for tiny Llama-, Qwen2-, Qwen3- and Mistral-style configurations, a Hugging Face checkpoint directory
(config.json + model.safetensors, written by this script's own safetensors writer) and expected.json holding
the float64 logits of each test sequence computed *unpadded*, one sequence at a time, by a plain PyTorch
re-implementation of transformers' modeling_llama / modeling_qwen2 / modeling_qwen3 / modeling_mistral eager path.
For qwen3 and mistral it also holds the log-prob of each sequence's next tokens ("logprobs") and the float64 greedy
continuation of a prompt ("greedy": prompt, tokens, and the smallest top-1/top-2 logit margin on the way, so a tie
that float32 could break differently would show).

Qwen3 differs from Qwen2 by an RMSNorm over each head's query and key (q_norm, k_norm: [head_dim]) before RoPE, no
q/k/v bias, and an explicit head_dim (here 8, not hidden/heads = 4). Mistral is Llama's layout; its sliding window
(4096) is longer than every sequence here, where it equals full attention.

Usage (Debian: apt-get install -y python3-torch libopenblas0-pthread):
    /usr/bin/python3 backends/src/test/python/reference_logits.py backends/src/test/resources/reference [names...]
(names: which configurations to write, default all; the committed llama/qwen2 files predate qwen3/mistral)
"""
import json
import math
import os
import struct
import sys

import torch

SEQUENCES = [[1, 5, 9, 3, 7, 2, 11], [4, 8, 15, 16], [30, 0, 12, 27, 6]]

CONFIGS = {
    "llama": dict(architectures=["LlamaForCausalLM"], model_type="llama", vocab_size=32, hidden_size=16,
                  intermediate_size=24, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                  rope_theta=10000.0, rms_norm_eps=1e-5, tie_word_embeddings=False, attention_bias=False,
                  eos_token_id=2, torch_dtype="float32"),
    "qwen2": dict(architectures=["Qwen2ForCausalLM"], model_type="qwen2", vocab_size=32, hidden_size=16,
                  intermediate_size=40, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=1,
                  head_dim=8, rope_theta=1000000.0, rms_norm_eps=1e-6, tie_word_embeddings=True,
                  eos_token_id=[2, 3], torch_dtype="float32"),
    "qwen3": dict(architectures=["Qwen3ForCausalLM"], model_type="qwen3", vocab_size=32, hidden_size=16,
                  intermediate_size=24, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                  head_dim=8, rope_theta=1000000.0, rms_norm_eps=1e-6, tie_word_embeddings=True,
                  attention_bias=False, use_sliding_window=False, sliding_window=None, max_position_embeddings=40960,
                  eos_token_id=2, torch_dtype="float32"),
    "mistral": dict(architectures=["MistralForCausalLM"], model_type="mistral", vocab_size=32, hidden_size=16,
                    intermediate_size=24, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=1,
                    rope_theta=10000.0, rms_norm_eps=1e-5, tie_word_embeddings=False, sliding_window=4096,
                    max_position_embeddings=32768, eos_token_id=2, torch_dtype="float32"),
}

SEEDS = {"llama": 1234, "qwen2": 4321, "qwen3": 3333, "mistral": 7777}
GREEDY_PROMPT = [1, 5, 9, 3]
GREEDY_TOKENS = 8


def shapes(c):
    h, hd = c["hidden_size"], c.get("head_dim", c["hidden_size"] // c["num_attention_heads"])
    q, kv = c["num_attention_heads"] * hd, c["num_key_value_heads"] * hd
    bias = c["architectures"][0] == "Qwen2ForCausalLM" or c.get("attention_bias", False)
    s = {"model.embed_tokens.weight": (c["vocab_size"], h)}
    for l in range(c["num_hidden_layers"]):
        p = f"model.layers.{l}."
        s[p + "input_layernorm.weight"] = (h,)
        s[p + "self_attn.q_proj.weight"] = (q, h)
        s[p + "self_attn.k_proj.weight"] = (kv, h)
        s[p + "self_attn.v_proj.weight"] = (kv, h)
        if bias:
            s[p + "self_attn.q_proj.bias"] = (q,)
            s[p + "self_attn.k_proj.bias"] = (kv,)
            s[p + "self_attn.v_proj.bias"] = (kv,)
        if c["architectures"][0] == "Qwen3ForCausalLM":
            s[p + "self_attn.q_norm.weight"] = (hd,)
            s[p + "self_attn.k_norm.weight"] = (hd,)
        s[p + "self_attn.o_proj.weight"] = (h, q)
        s[p + "post_attention_layernorm.weight"] = (h,)
        s[p + "mlp.gate_proj.weight"] = (c["intermediate_size"], h)
        s[p + "mlp.up_proj.weight"] = (c["intermediate_size"], h)
        s[p + "mlp.down_proj.weight"] = (h, c["intermediate_size"])
    s["model.norm.weight"] = (h,)
    if not c["tie_word_embeddings"]:
        s["lm_head.weight"] = (c["vocab_size"], h)
    return s, hd


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        data = t.to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    hb = json.dumps(header).encode()
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for b in blobs:
            f.write(b)


def rms_norm(x, w, eps):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def forward(c, w, hd, ids):
    """Unpadded single-sequence forward in float64; returns logits (T, V)."""
    T = len(ids)
    nh, kvh = c["num_attention_heads"], c["num_key_value_heads"]
    x = w["model.embed_tokens.weight"][torch.tensor(ids)]
    inv = 1.0 / (c["rope_theta"] ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd))
    freqs = torch.arange(T, dtype=torch.float64)[:, None] * inv[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()
    mask = torch.full((T, T), float("-inf"), dtype=torch.float64).triu(1)
    for l in range(c["num_hidden_layers"]):
        p = f"model.layers.{l}."
        lin = lambda z, n: z @ w[p + n + ".weight"].T + (w[p + n + ".bias"] if p + n + ".bias" in w else 0)
        h = rms_norm(x, w[p + "input_layernorm.weight"], c["rms_norm_eps"])
        q = lin(h, "self_attn.q_proj").view(T, nh, hd)
        k = lin(h, "self_attn.k_proj").view(T, kvh, hd)
        if p + "self_attn.q_norm.weight" in w:  # Qwen3: per-head RMSNorm over head_dim, before RoPE
            q = rms_norm(q, w[p + "self_attn.q_norm.weight"], c["rms_norm_eps"])
            k = rms_norm(k, w[p + "self_attn.k_norm.weight"], c["rms_norm_eps"])
        q, k = q.transpose(0, 1), k.transpose(0, 1)
        v = lin(h, "self_attn.v_proj").view(T, kvh, hd).transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(nh // kvh, dim=0)
        v = v.repeat_interleave(nh // kvh, dim=0)
        att = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(hd) + mask, dim=-1) @ v
        x = x + lin(att.transpose(0, 1).reshape(T, nh * hd), "self_attn.o_proj")
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], c["rms_norm_eps"])
        g = lin(h, "mlp.gate_proj")
        x = x + lin(torch.nn.functional.silu(g) * lin(h, "mlp.up_proj"), "mlp.down_proj")
    x = rms_norm(x, w["model.norm.weight"], c["rms_norm_eps"])
    head = w["model.embed_tokens.weight"] if c["tie_word_embeddings"] else w["lm_head.weight"]
    return x @ head.T


def next_token_logprobs(c, w, hd, seq):
    """log p(seq[t] | seq[:t]) for t = 1 .. len-1, in float64."""
    logp = torch.log_softmax(forward(c, w, hd, seq), dim=-1)
    return [logp[t - 1, seq[t]].item() for t in range(1, len(seq))]


def greedy(c, w, hd, prompt, n):
    """Argmax continuation of prompt (stopping after an eos), and the smallest top-1/top-2 margin met."""
    seq, out, margin = list(prompt), [], float("inf")
    eos = c["eos_token_id"] if isinstance(c["eos_token_id"], list) else [c["eos_token_id"]]
    for _ in range(n):
        last = forward(c, w, hd, seq)[-1]
        top = torch.topk(last, 2).values
        margin = min(margin, (top[0] - top[1]).item())
        t = int(torch.argmax(last))
        out.append(t)
        seq.append(t)
        if t in eos:
            break
    return out, margin


def main(out_dir, names):
    for name in names:
        c = CONFIGS[name]
        gen = torch.Generator().manual_seed(SEEDS[name])
        s, hd = shapes(c)
        w = {}
        for n, shape in s.items():
            if n.endswith("layernorm.weight") or n == "model.norm.weight":
                w[n] = 1.0 + 0.1 * torch.randn(shape, generator=gen)
            else:
                w[n] = 0.3 * torch.randn(shape, generator=gen)
        # round through float32 so both sides use exactly the stored values
        w = {n: t.to(torch.float32).to(torch.float64) for n, t in w.items()}
        d = os.path.join(out_dir, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump(c, f, indent=2)
        write_safetensors(os.path.join(d, "model.safetensors"), w)
        expected = {"sequences": SEQUENCES,
                    "logits": [forward(c, w, hd, seq).tolist() for seq in SEQUENCES]}
        if name in ("qwen3", "mistral"):
            expected["logprobs"] = [next_token_logprobs(c, w, hd, seq) for seq in SEQUENCES]
            tokens, margin = greedy(c, w, hd, GREEDY_PROMPT, GREEDY_TOKENS)
            expected["greedy"] = {"prompt": GREEDY_PROMPT, "tokens": tokens, "min_margin": margin}
            print(name, "greedy", tokens, "min top-1/top-2 margin %.4f" % margin)
        with open(os.path.join(d, "expected.json"), "w") as f:
            json.dump(expected, f)
        print(name, "written to", d)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "backends/src/test/resources/reference",
         sys.argv[2:] if len(sys.argv) > 2 else list(CONFIGS))
