#!/usr/bin/env python3
"""prefopt bench's measurements in PyTorch eager, for comparison with `prefopt bench` (same model, same shapes, same
batch sizes, same thread count). Run the two programs alternately on an otherwise idle machine.

    /usr/bin/python3 backends/src/test/python/bench_pytorch.py --threads 2 [--json]
    /usr/bin/python3 backends/src/test/python/bench_pytorch.py --model /tmp/qwen-shaped-24 --threads 2 \
        --batch 4 --prompt-len 16 --new-tokens 32 --train-batch 2 --train-len 128 --lora-rank 8 --repeats 2

Debian: apt-get install -y python3-torch libopenblas0-pthread (the default reference BLAS is far slower).
Model: without --model, bench-small (Llama-style, 8 layers, hidden 512, 8 heads, 2 KV heads, SwiGLU 1408,
vocabulary 4096, tied embeddings, random weights); with --model, a Hugging Face checkpoint directory of the Llama or
Qwen2 layout (config.json and model.safetensors in float32 or bfloat16, widened to float32 as prefopt does).
Generation: sampled at temperature 1 with a KV cache, random prompt tokens, the same counts as prefopt bench.
Training: batch x length tokens (the first quarter prompt, the rest completion), mean log-prob loss on the
completion, backward, gradient clipping at 1.0, AdamW; full fine-tuning, or with --lora-rank N LoRA adapters of
rank N and alpha 2N on every projection (q, k, v, o, gate, up, down), as prefopt bench --lora-rank N.
Peak resident memory per phase: Linux VmHWM, reset before the phase by writing 5 to /proc/self/clear_refs
(whole process, as prefopt bench reports it).
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn.functional as F

from check_export import read_safetensors  # the one safetensors reader of these scripts (same directory)

BENCH_SMALL = dict(vocab_size=4096, hidden_size=512, num_hidden_layers=8, num_attention_heads=8,
                   num_key_value_heads=2, intermediate_size=1408, rms_norm_eps=1e-5, rope_theta=10000.0,
                   tie_word_embeddings=True)
PROJECTIONS = ("q", "k", "v", "o", "gate", "up", "down")


def load_checkpoint(d):
    cfg = json.load(open(os.path.join(d, "config.json")))
    index = os.path.join(d, "model.safetensors.index.json")
    if os.path.exists(index):
        weights = {}
        for shard in sorted(set(json.load(open(index))["weight_map"].values())):
            weights.update(read_safetensors(os.path.join(d, shard)))
    else:
        weights = read_safetensors(os.path.join(d, "model.safetensors"))
    # widened to float32 as prefopt widens a bfloat16 checkpoint
    return cfg, {k: v.float() for k, v in weights.items()}


class Model(torch.nn.Module):
    def __init__(self, cfg, weights=None, lora_rank=0):
        super().__init__()
        self.v, self.h = cfg["vocab_size"], cfg["hidden_size"]
        self.nh, self.kvh = cfg["num_attention_heads"], cfg["num_key_value_heads"]
        self.d = cfg.get("head_dim") or self.h // self.nh
        self.eps = cfg["rms_norm_eps"]
        self.nl = cfg["num_hidden_layers"]
        inter = cfg["intermediate_size"]
        g = torch.Generator().manual_seed(0)
        full = lora_rank == 0

        def param(name, *shape, ones=False):
            if weights is not None:
                t = weights[name]
            else:
                t = torch.ones(*shape) if ones else torch.randn(*shape, generator=g) * 0.02
            return torch.nn.Parameter(t, requires_grad=full)

        self.embed = param("model.embed_tokens.weight", self.v, self.h)
        tied = cfg.get("tie_word_embeddings", False) or weights is None or "lm_head.weight" not in weights
        self.head = self.embed if tied else param("lm_head.weight", self.v, self.h)
        shapes = dict(q=(self.nh * self.d, self.h), k=(self.kvh * self.d, self.h), v=(self.kvh * self.d, self.h),
                      o=(self.h, self.nh * self.d), gate=(inter, self.h), up=(inter, self.h), down=(self.h, inter))
        keys = dict(q="self_attn.q_proj", k="self_attn.k_proj", v="self_attn.v_proj", o="self_attn.o_proj",
                    gate="mlp.gate_proj", up="mlp.up_proj", down="mlp.down_proj")
        self.layers = torch.nn.ModuleList()
        for li in range(self.nl):
            p = f"model.layers.{li}."
            m = torch.nn.Module()
            m.ln1 = param(p + "input_layernorm.weight", self.h, ones=True)
            m.ln2 = param(p + "post_attention_layernorm.weight", self.h, ones=True)
            for name, shape in shapes.items():
                setattr(m, name, param(p + keys[name] + ".weight", *shape))
                bias = p + keys[name] + ".bias"
                setattr(m, name + "_b", param(bias) if weights is not None and bias in weights else None)
                if lora_rank > 0:  # PEFT's init: A random, B zero, scale alpha / r = 2
                    setattr(m, name + "_A", torch.nn.Parameter(torch.randn(lora_rank, shape[1], generator=g) * 0.01))
                    setattr(m, name + "_B", torch.nn.Parameter(torch.zeros(shape[0], lora_rank)))
            self.layers.append(m)
        self.norm = param("model.norm.weight", self.h, ones=True)
        self.lora = lora_rank > 0
        theta = cfg.get("rope_theta", 10000.0)
        self.inv = 1.0 / (theta ** (torch.arange(0, self.d, 2).float() / self.d))

    def rms(self, x, w):
        return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))

    def rot(self, x):
        x1, x2 = x[..., : self.d // 2], x[..., self.d // 2:]
        return torch.cat((-x2, x1), -1)

    def proj(self, m, name, x):
        y = F.linear(x, getattr(m, name), getattr(m, name + "_b"))
        if self.lora:
            y = y + 2.0 * F.linear(F.linear(x, getattr(m, name + "_A")), getattr(m, name + "_B"))
        return y

    def forward(self, ids, pos, mask, cache=None):
        b, t = ids.shape
        nh, kvh, d = self.nh, self.kvh, self.d
        x = F.embedding(ids, self.embed)
        f = pos[..., None].float() * self.inv
        e = torch.cat((f, f), -1)
        cos, sin = e.cos()[:, None], e.sin()[:, None]
        for li, m in enumerate(self.layers):
            h = self.rms(x, m.ln1)
            q = self.proj(m, "q", h).view(b, t, nh, d).transpose(1, 2)
            k = self.proj(m, "k", h).view(b, t, kvh, d).transpose(1, 2)
            v = self.proj(m, "v", h).view(b, t, kvh, d).transpose(1, 2)
            q, k = q * cos + self.rot(q) * sin, k * cos + self.rot(k) * sin
            if cache is not None:
                if cache[li] is not None:
                    k, v = torch.cat((cache[li][0], k), 2), torch.cat((cache[li][1], v), 2)
                cache[li] = (k, v)
            qg = q.reshape(b, kvh, nh // kvh, t, d)
            s = qg @ k[:, :, None].transpose(-1, -2) / math.sqrt(d) + mask
            a = (s.softmax(-1) @ v[:, :, None]).reshape(b, nh, t, d).transpose(1, 2).reshape(b, t, nh * d)
            x = x + self.proj(m, "o", a)
            h = self.rms(x, m.ln2)
            x = x + self.proj(m, "down", F.silu(self.proj(m, "gate", h)) * self.proj(m, "up", h))
        return self.rms(x, self.norm)


def causal_mask(t):
    return torch.full((t, t), -1e30).triu(1)[None, None, None]


@torch.no_grad()
def generate(model, prompts, new_tokens):
    b, t = prompts.shape
    cache = [None] * model.nl
    pos = torch.arange(t)[None].expand(b, t)
    h = model(prompts, pos, causal_mask(t), cache)
    logits = F.linear(h[:, -1], model.head)
    out = []
    for s in range(new_tokens):
        logp = logits.log_softmax(-1)
        nxt = torch.multinomial(logp.exp(), 1)
        out.append(nxt)
        if s == new_tokens - 1:
            break
        pos = torch.full((b, 1), t + s)
        h = model(nxt, pos, torch.zeros(1, 1, 1, 1, t + s + 1), cache)
        logits = F.linear(h[:, -1], model.head)
    return torch.cat(out, 1)


def train_step(model, opt, seqs, prompt_len):
    b, t = seqs.shape
    h = model(seqs, torch.arange(t)[None].expand(b, t), causal_mask(t))
    hs = h[:, prompt_len - 1: t - 1]
    logp = F.linear(hs, model.head).float().log_softmax(-1).gather(-1, seqs[:, prompt_len:, None]).squeeze(-1)
    loss = -logp.mean()
    loss.backward()
    trained = [p for p in model.parameters() if p.requires_grad]
    torch.nn.utils.clip_grad_norm_(trained, 1.0)
    opt.step()
    opt.zero_grad()


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def read_peak():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", help="Hugging Face checkpoint directory (default: bench-small, random weights)")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--prompt-len", type=int, default=32)
    ap.add_argument("--new-tokens", type=int, default=128)
    ap.add_argument("--train-batch", type=int, default=8)
    ap.add_argument("--train-len", type=int, default=256)
    ap.add_argument("--lora-rank", type=int, default=0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.model:
        cfg, weights = load_checkpoint(a.model)
        model = Model(cfg, weights, a.lora_rank)
        del weights
    else:
        model = Model(BENCH_SMALL, None, a.lora_rank)
    # every parameter once (a tied head is the embedding), adapters included, as prefopt bench counts them
    params = sum(p.numel() for p in model.parameters())
    n = 1024
    x, y = torch.randn(n, n), torch.randn(n, n)
    x @ y
    t0 = time.perf_counter()
    for _ in range(10):
        x @ y
    matmul = 2 * n ** 3 * 10 / (time.perf_counter() - t0)

    prompts = torch.randint(100, model.v, (a.batch, a.prompt_len))
    generate(model, prompts[:4], 4)
    gen_reset = reset_peak()
    gen = min(timed(lambda: generate(model, prompts, a.new_tokens)) for _ in range(a.repeats))
    gen_peak = read_peak() if gen_reset else None
    gen_tps = a.batch * a.new_tokens / gen

    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4, weight_decay=0.0)
    seqs = torch.randint(100, model.v, (a.train_batch, a.train_len))
    pl = a.train_len // 4
    train_reset = reset_peak()
    train_step(model, opt, seqs, pl)
    tr = min(timed(lambda: train_step(model, opt, seqs, pl)) for _ in range(a.repeats))
    train_peak = read_peak() if train_reset else None
    train_tps = a.train_batch * a.train_len / tr
    o = dict(implementation="pytorch-eager-" + torch.__version__, model=a.model or "bench-small", parameters=params,
             threads=torch.get_num_threads(), generation_batch=a.batch, generation_new_tokens=a.new_tokens,
             generation_tokens_per_s=gen_tps, generation_peak_rss_bytes=gen_peak, train_batch=a.train_batch,
             train_seq_len=a.train_len, train_tokens_per_s=train_tps, lora_rank=a.lora_rank,
             train_peak_rss_bytes=train_peak, matmul_flops=matmul,
             generation_matmul_fraction=2 * params * gen_tps / matmul,
             train_matmul_fraction=(4 if a.lora_rank else 6) * params * train_tps / matmul)
    if a.json:
        print(json.dumps(o))
    else:
        for k, v in o.items():
            print(f"{k}: {v}")


def timed(f):
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
